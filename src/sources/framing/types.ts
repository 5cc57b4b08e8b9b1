// The framing stage: a byte stream in, frames out. A framer never throws; it reports a broken
// stream as a FramerError that says whether the connection can go on.

/** Why a frame is marked; stored as the record's unparsed reason when not OK. */
export const FRAME_OK = 0;
export const FRAME_TOO_LONG = 1;
export const FRAME_INCOMPLETE = 2;
export type FrameFlag = typeof FRAME_OK | typeof FRAME_TOO_LONG | typeof FRAME_INCOMPLETE;

/**
 * Receives each frame. The buffer may be a view into the chunk being read: copy it if kept.
 * A callback rather than a returned array: the hot path makes no array per chunk.
 */
export type FrameSink = (frame: Buffer, flag: FrameFlag) => void;

export interface FramerError {
  readonly type: 'bad-octet-count';
  readonly message: string;
  /** false: the stream cannot be resynchronised and the connection must close. */
  readonly canContinue: boolean;
}

export interface Framer {
  /** Feeds bytes; returns an error when the stream is broken (then stop feeding if !canContinue). */
  push(chunk: Buffer, out: FrameSink): FramerError | null;
  /** The stream ended ('eof') or the server is stopping ('shutdown'): hands over what is left. */
  end(why: 'eof' | 'shutdown', out: FrameSink): void;
  /** Bytes held in a partly read frame (for memory accounting). */
  readonly pendingBytes: number;
}
