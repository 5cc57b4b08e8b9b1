// Byte-level helpers shared by the envelope parsers: view a frame as a Buffer without copying,
// find where its content ends and decode only field substrings.
// Must never copy the whole frame, allocate per byte, or throw on any input.

/** Undocumented but long-stable Buffer methods: no argument coercion, so they are the cheapest decoders. */
interface FastSlices {
  latin1Slice(start: number, end: number): string;
  utf8Slice(start: number, end: number): string;
}
export type FrameBuffer = Buffer & FastSlices;

export const SP = 0x20;
export const TAB = 0x09;
export const LF = 0x0a;
export const CR = 0x0d;
export const COLON = 0x3a;
export const LT = 0x3c;
export const GT = 0x3e;
export const DASH = 0x2d;
export const DOT = 0x2e;
export const LBRACKET = 0x5b;
export const RBRACKET = 0x5d;
export const QUOTE = 0x22;
export const BACKSLASH = 0x5c;
export const EQUALS = 0x3d;
export const DIGIT_0 = 0x30;
export const DIGIT_9 = 0x39;

/** A Buffer over the same memory (a view, not a copy) so the fast slice decoders can be used. */
export function asBuffer(frame: Uint8Array): FrameBuffer {
  const b = Buffer.isBuffer(frame) ? frame : Buffer.from(frame.buffer, frame.byteOffset, frame.byteLength);
  return b as FrameBuffer;
}

/**
 * Where the content ends: framers usually drop the LF already, but file lines and some UDP senders keep
 * one trailing LF / CRLF, and some C senders append NULs. Only one line ending is removed, so a message
 * that really ends in a blank line keeps it; a lone trailing CR is the rest of a CRLF whose LF a
 * line framer already took, so it goes too.
 */
export function contentEnd(b: Uint8Array): number {
  let end = b.length;
  while (end > 0 && b[end - 1] === 0) end--;
  if (end > 0 && b[end - 1] === LF) end--;
  if (end > 0 && b[end - 1] === CR) end--;
  while (end > 0 && b[end - 1] === 0) end--;
  return end;
}

/** ASCII-only fields (header tokens already checked to be 0x21..0x7E) decode 1:1 as latin1. */
export function ascii(b: FrameBuffer, start: number, end: number): string {
  return start < end ? b.latin1Slice(start, end) : '';
}

/** Free text: UTF-8 with U+FFFD for invalid sequences, never an exception. */
export function utf8(b: FrameBuffer, start: number, end: number): string {
  return start < end ? b.utf8Slice(start, end) : '';
}

export function isDigit(c: number | undefined): boolean {
  return c !== undefined && c >= DIGIT_0 && c <= DIGIT_9;
}

/** Value of `count` ASCII digits at `p`, or -1 if any is not a digit. */
export function readDigits(b: Uint8Array, p: number, count: number, end: number): number {
  if (p + count > end) return -1;
  let v = 0;
  for (let i = 0; i < count; i++) {
    const c = b[p + i]!;
    if (c < DIGIT_0 || c > DIGIT_9) return -1;
    v = v * 10 + (c - DIGIT_0);
  }
  return v;
}

/** Whitespace as the framers may leave it: space, tab, CR, LF, VT, FF and NUL padding. */
export function isBlank(b: Uint8Array): boolean {
  for (let i = 0; i < b.length; i++) {
    const c = b[i]!;
    if (c !== SP && c !== 0 && (c < 0x09 || c > 0x0d)) return false;
  }
  return true;
}
