// A whole-buffer reference of RFC 6587 framing as Countersign reads it (sources/framing/rfc6587.ts),
// written plainly to be obviously right: the fuzz target checks the incremental framer against it
// under any chunking (differential testing), and its byte accounting says where every byte went.
import { FRAME_INCOMPLETE, FRAME_OK, FRAME_TOO_LONG, type FrameFlag } from '../sources/framing/types.js';

const LF = 0x0a;
const SP = 0x20;
const isDigit = (b: number): boolean => b >= 0x30 && b <= 0x39;
const MAX_COUNT_DIGITS = 10;

export interface ModelResult {
  readonly frames: readonly { readonly bytes: Buffer; readonly flag: FrameFlag }[];
  readonly error: 'bad-octet-count' | null;
  /** Where the bytes went: kept in a frame, framing (counts, spaces, LFs), skipped past a cut frame, or never read after the error. */
  readonly accounting: { readonly framed: number; readonly framing: number; readonly skipped: number; readonly unread: number };
}

/** Frames of `input` read to its end, then ended with 'eof'. */
export const rfc6587Model = (input: Buffer, max: number): ModelResult => {
  const frames: { bytes: Buffer; flag: FrameFlag }[] = [];
  const acc = { framed: 0, framing: 0, skipped: 0, unread: 0 };
  const n = input.length;
  const emit = (from: number, to: number, flag: FrameFlag): void => {
    frames.push({ bytes: input.subarray(from, to), flag });
    acc.framed += to - from;
  };
  let p = 0;
  while (p < n) {
    if (input[p] === LF) {
      acc.framing++;
      p++;
      continue;
    }
    let lineFrom = p;
    if (input[p]! > 0x30 && input[p]! <= 0x39) {
      let q = p;
      while (q < n && isDigit(input[q]!)) {
        if (q - p === MAX_COUNT_DIGITS) {
          acc.framing += q - p + 1; // the digits read so far and the one too many
          acc.unread += n - q - 1;
          return { frames, error: 'bad-octet-count', accounting: acc };
        }
        q++;
      }
      if (q === n) {
        emit(p, n, FRAME_OK); // digits at the end of the stream: a short LF-framed last line
        return { frames, error: null, accounting: acc };
      }
      if (input[q] === SP) {
        const count = Number(input.subarray(p, q).toString('latin1'));
        acc.framing += q - p + 1;
        const start = q + 1;
        const keep = Math.min(count, max);
        if (n - start < keep) {
          emit(start, n, FRAME_INCOMPLETE);
          return { frames, error: null, accounting: acc };
        }
        emit(start, start + keep, count > max ? FRAME_TOO_LONG : FRAME_OK);
        const skip = Math.min(count - keep, n - start - keep);
        acc.skipped += skip;
        p = start + keep + skip;
        continue;
      }
      lineFrom = p; // digits not followed by SP begin an LF-framed line
    }
    const i = input.indexOf(LF, lineFrom);
    const end = i === -1 ? n : i;
    if (end - lineFrom > max) {
      emit(lineFrom, lineFrom + max, FRAME_TOO_LONG);
      acc.skipped += end - lineFrom - max;
      if (i === -1) return { frames, error: null, accounting: acc };
      acc.framing++;
      p = i + 1;
    } else if (i === -1) {
      if (end > lineFrom) emit(lineFrom, end, FRAME_OK); // an unterminated last line is whole at EOF
      return { frames, error: null, accounting: acc };
    } else {
      emit(lineFrom, i, FRAME_OK);
      acc.framing++;
      p = i + 1;
    }
  }
  return { frames, error: null, accounting: acc };
};
