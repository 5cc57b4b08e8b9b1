// Token rules for BSD syslog headers: the TAG (`app:` / `app[pid]:`), the HOSTNAME heuristic and the
// Cisco IOS prefixes (sequence numbers, `origin-id` hostnames, uptime stamps). Byte scans only; must
// never decode, allocate or throw.
import { COLON, DIGIT_0, DIGIT_9, LBRACKET, RBRACKET, SP } from './bytes.js';

/** Output of the last scanTag call. */
export const tag = { nameEnd: 0, pidStart: -1, pidEnd: -1, after: 0 };

const MAX_TAG = 128;

export function skipSpaces(b: Uint8Array, p: number, end: number): number {
  while (p < end && b[p] === SP) p++;
  return p;
}

function tokenEnd(b: Uint8Array, p: number, end: number): number {
  while (p < end && b[p] !== SP) p++;
  return p;
}

/**
 * Is the token at `p` a TAG: NAME `:`, NAME `[` PID `]:` or NAME `[` PID `]` + SP, NAME and PID printable
 * ASCII without brackets (so `sshd(pam_unix)`, `postfix/smtpd`, `%SYS-5-CONFIG_I` qualify)? A bare
 * `name:` must be followed by SP or the end, which keeps IPv6 addresses, URLs and `05:00:00` out; after
 * the distinctive `]:` text may follow directly. Fills `tag` (after = offset past the colon or `]`).
 */
export function scanTag(b: Uint8Array, p: number, end: number): boolean {
  const limit = Math.min(end, p + MAX_TAG + 1);
  let q = p;
  while (q < limit) {
    const c = b[q]!;
    if (c === COLON || c === LBRACKET) break;
    if (c <= SP || c > 0x7e || c === RBRACKET) return false;
    q++;
  }
  if (q === p || q >= limit) return false;
  tag.nameEnd = q;
  if (b[q] === LBRACKET) {
    const ps = q + 1;
    const lim = Math.min(end, ps + MAX_TAG + 1);
    let r = ps;
    while (r < lim) {
      const c = b[r]!;
      if (c === RBRACKET) break;
      if (c <= SP || c > 0x7e || c === LBRACKET) return false;
      r++;
    }
    if (r === ps || r >= lim) return false;
    const n = b[r + 1];
    // `app[pid]:` as syslog(3) writes it; `app[pid] ` without the colon (proftpd, some appliances) is
    // still unmistakably a tag thanks to the bracketed pid.
    if (n !== COLON && n !== SP && r + 1 !== end) return false;
    tag.pidStart = ps;
    tag.pidEnd = r;
    tag.after = n === COLON ? r + 2 : r + 1;
    return true;
  }
  if (q + 1 < end && b[q + 1] !== SP) return false;
  tag.pidStart = -1;
  tag.pidEnd = -1;
  tag.after = q + 1;
  return true;
}

/**
 * The HOSTNAME heuristic. A missing hostname must not swallow the tag, and a word of free text must not
 * become a host, so the token T right after the timestamp is the HOSTNAME only if T is not itself
 * tag-like and
 *   1. the next token is tag-like (`host app[pid]: ...`, the usual shape; T may then be any printable
 *      ASCII, e.g. Thunderbird's `dn228/dn228`), or
 *   2. T is hostname-shaped ([A-Za-z0-9._:-], not all digits, at most 255 bytes) and either is the last
 *      token of the line (`<14>Jan  6 2009 15:22:26 localhost`) or looks like a machine name rather
 *      than a word: an address or FQDN (has `.` or `:`), or letters mixed with digits, `-` or `_`
 *      (`ABC-1-234567 Some message here`, `X4711 ...`).
 * Consequences, on purpose: `serverX -- MARK --` or `combo syslogd 1.4.1: restart.` get no hostname
 * (a plain word followed by a non-tag is indistinguishable from the start of a message), and a year or
 * counter such as `2009` is never a hostname. Returns the end of T, or -1 when there is no hostname.
 */
export function hostnameEnd(b: Uint8Array, p: number, end: number): number {
  if (p >= end || scanTag(b, p, end)) return -1;
  const tEnd = tokenEnd(b, p, end);
  let shaped = tEnd - p <= 255;
  let letters = false, digits = false, joiners = false, dotted = false;
  for (let i = p; i < tEnd; i++) {
    const c = b[i]!;
    if (c < 0x21 || c > 0x7e) return -1;
    if ((c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a)) letters = true;
    else if (c >= DIGIT_0 && c <= DIGIT_9) digits = true;
    else if (c === 0x2d || c === 0x5f) joiners = true;
    else if (c === 0x2e || c === COLON) dotted = true;
    else shaped = false;
  }
  const next = skipSpaces(b, tEnd, end);
  if (next < end && scanTag(b, next, end)) return tEnd;
  if (!shaped || (!letters && !dotted) || (!letters && !digits)) return -1;
  if (next >= end) return tEnd;
  return dotted || (letters && (digits || joiners)) ? tEnd : -1;
}

/** Cisco sequence number `123:` / `000123:` followed by SP or the end: returns offset past `:`, else -1. */
export function seqEnd(b: Uint8Array, p: number, end: number): number {
  let q = p;
  while (q < end && q - p <= 12 && b[q]! >= DIGIT_0 && b[q]! <= DIGIT_9) q++;
  if (q === p || q - p > 12 || b[q] !== COLON || (q + 1 < end && b[q + 1] !== SP)) return -1;
  return q + 1;
}

/** Digits of a sequence number ending just before `colon`. */
export function seqValue(b: Uint8Array, p: number, colon: number): number {
  let v = 0;
  for (let i = p; i < colon; i++) v = v * 10 + (b[i]! - DIGIT_0);
  return v;
}

/** Cisco `logging origin-id hostname` prefix: `name: ` with hostname characters. Offset past `:`, else -1. */
export function originHostEnd(b: Uint8Array, p: number, end: number): number {
  let q = p;
  while (q < end && q - p <= 255) {
    const c = b[q]!;
    const ok = (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || (c >= DIGIT_0 && c <= DIGIT_9) || c === 0x2d || c === 0x5f || c === 0x2e;
    if (!ok) break;
    q++;
  }
  if (q === p || b[q] !== COLON || b[q + 1] !== SP) return -1;
  return q + 1;
}

/**
 * Cisco `service timestamps log uptime`: `00:00:46:` (under a day), `1d02h:`, `2w3d:`, `1y2w:`.
 * These say nothing about wall-clock time; returns the offset past the final `:`, else -1.
 */
export function uptimeEnd(b: Uint8Array, p: number, end: number): number {
  let q = p;
  while (q < end && q - p < 6 && b[q]! >= DIGIT_0 && b[q]! <= DIGIT_9) q++;
  if (q === p) return -1;
  if (b[q] === COLON) {
    const ok = q + 6 < end && isD(b[q + 1]) && isD(b[q + 2]) && b[q + 3] === COLON && isD(b[q + 4]) && isD(b[q + 5]) && b[q + 6] === COLON;
    if (!ok || (q + 7 < end && b[q + 7] !== SP)) return -1;
    return q + 7;
  }
  if (!isUnit(b[q])) return -1;
  let r = q + 1;
  const s = r;
  while (r < end && r - s < 3 && isD(b[r])) r++;
  if (r === s || !isUnit(b[r]) || b[r + 1] !== COLON || (r + 2 < end && b[r + 2] !== SP)) return -1;
  return r + 2;
}

function isD(c: number | undefined): boolean {
  return c !== undefined && c >= DIGIT_0 && c <= DIGIT_9;
}

function isUnit(c: number | undefined): boolean {
  return c === 0x79 || c === 0x77 || c === 0x64 || c === 0x68; // y w d h
}
