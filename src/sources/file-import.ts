// Imports log files (plain or gzip) as records with transport `file`: each line one frame, the file's
// format detected from its first lines unless given. Reading waits for the store when the ingest
// queue is full, so a file of any size imports in bounded memory.
import { createReadStream, statSync } from 'node:fs';
import { createGunzip } from 'node:zlib';
import { Readable } from 'node:stream';
import type { Readable as ReadableT } from 'node:stream';
import { CS_ERR } from '../errors.js';
import { newConnKey } from '../ids.js';
import { detectFileFormat } from '../parsers/envelope/index.js';
import type { FormatHint } from '../pipeline/frame-batch.js';
import type { Ingest } from '../pipeline/ingest.js';
import { Rfc6587Framer } from './framing/rfc6587.js';
import type { FrameFlag } from './framing/types.js';

/** Longest line kept whole from a file (journald JSON lines with big fields can be long). */
const MAX_LINE_BYTES = 4 * 1024 * 1024;
const SNIFF_BYTES = 64 * 1024;

export interface ImportProgress {
  readonly file: string;
  readonly bytesRead: number;
  readonly bytesTotal: number | null;
  readonly frames: number;
}

export interface ImportFileOptions {
  readonly file: string; // a path, or '-' for standard input
  readonly format: FormatHint;
  readonly host?: string;
  readonly onProgress?: (p: ImportProgress) => void;
  readonly onFormat?: (file: string, format: string) => void;
  readonly stdin?: ReadableT;
}

const GZIP_MAGIC = [0x1f, 0x8b];

/** Peeks the first bytes (to tell gzip and the format) without losing them for the reader. */
const openInput = async (opts: ImportFileOptions): Promise<{ stream: ReadableT; total: number | null; counter: { bytes: number } }> => {
  const counter = { bytes: 0 };
  let source: ReadableT;
  let total: number | null = null;
  if (opts.file === '-') source = opts.stdin ?? process.stdin;
  else {
    try {
      const st = statSync(opts.file);
      if (st.isDirectory()) throw new Error('is a directory');
      total = st.size;
    } catch (e) {
      throw CS_ERR.inputUnreadable(opts.file, e);
    }
    source = createReadStream(opts.file);
  }
  const it = source[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  const first = await it.next().catch((e: unknown) => {
    throw CS_ERR.inputUnreadable(opts.file, e);
  });
  const head: Buffer = first.done ? Buffer.alloc(0) : first.value;
  counter.bytes += head.length;
  const counted = Readable.from(
    (async function* () {
      if (head.length > 0) yield head;
      for (let r = await it.next(); !r.done; r = await it.next()) {
        counter.bytes += r.value.length;
        yield r.value;
      }
    })(),
    { objectMode: false },
  );
  const gz = head.length >= 2 && head[0] === GZIP_MAGIC[0] && head[1] === GZIP_MAGIC[1];
  return { stream: gz ? counted.pipe(createGunzip()) : counted, total, counter };
};

const FORMAT_TO_HINT: Record<string, FormatHint> = { rfc5424: 'syslog', rfc3164: 'syslog', auditd: 'auditd', journald: 'journald' };

export const importFile = async (ingest: Ingest, opts: ImportFileOptions, referenceTime?: number): Promise<number> => {
  const { stream, total, counter } = await openInput(opts);
  const framer = new Rfc6587Framer(MAX_LINE_BYTES, false);
  let format: FormatHint = opts.format;
  let sniff: Buffer[] | null = opts.format === 'auto' ? [] : null;
  let sniffLen = 0;
  let frames = 0;
  let meta = {
    key: newConnKey(),
    transport: 'file' as const,
    peer: opts.file === '-' ? 'stdin' : opts.file,
    peerIdentity: null,
    ...(opts.host !== undefined ? { defaultHost: opts.host } : {}),
    ...(referenceTime !== undefined ? { referenceTime } : {}),
    formatHint: format,
  };
  const sink = (frame: Buffer, flag: FrameFlag): void => {
    frames++;
    ingest.push(meta, frame, flag);
  };
  const decide = (): void => {
    const lines = Buffer.concat(sniff ?? []).toString('utf8').split('\n').filter((l) => l.trim() !== '').slice(0, 50);
    const detected = detectFileFormat(lines);
    format = FORMAT_TO_HINT[detected] ?? 'auto';
    meta = { ...meta, formatHint: format };
    opts.onFormat?.(opts.file, detected);
    const held = sniff ?? [];
    sniff = null;
    for (const c of held) framer.push(c, sink);
  };
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      if (sniff !== null) {
        sniff.push(chunk);
        sniffLen += chunk.length;
        if (sniffLen >= SNIFF_BYTES) decide();
      } else framer.push(chunk, sink);
      if (ingest.isOverloaded) await ingest.flush();
      opts.onProgress?.({ file: opts.file, bytesRead: counter.bytes, bytesTotal: total, frames });
    }
  } catch (e) {
    throw CS_ERR.inputUnreadable(opts.file, e);
  }
  if (sniff !== null) decide();
  framer.end('eof', sink);
  opts.onProgress?.({ file: opts.file, bytesRead: counter.bytes, bytesTotal: total, frames });
  return frames;
};
