// Fuzz targets for the framing stage: the RFC 6587 framer (TCP/TLS syslog) and the RELP framer and
// session. Both are fed every input whole, one byte at a time and in pieces cut by the input's own
// bytes: the frames must not depend on the chunking, memory must stay bounded, and every byte must be
// accounted for (in a frame, framing, skipped past a cut frame, or refused with a counted error).
import fc from 'fast-check';
import { encodeRelpFrame, RELP_FRAMING_ERRORS, RELP_MAX_COMMAND_CHARS, RELP_MAX_NUMBER_DIGITS, RelpFramer, type RelpFrame } from '../sources/framing/relp.js';
import { Rfc6587Framer } from '../sources/framing/rfc6587.js';
import type { FrameFlag } from '../sources/framing/types.js';
import { RelpAnswers, RelpSession } from '../sources/relp-session.js';
import { corpusLines } from './corpus.js';
import { bytesLike, mutated, utf8 } from './mutate.js';
import { rfc6587Model } from './rfc6587-model.js';
import { check, type FuzzTarget } from './target.js';

/** Small, so that inputs cross it often. */
const MAX_FRAME = 512;

/** Bytes fed one at a time; the rest of a longer input follows in one piece (a 70 KB input byte by byte measures the loop, not the framer). */
const BYTEWISE = 4096;

/** The input cut three ways: whole, byte by byte, and at sizes taken from its own bytes. */
const chunkings = (input: Buffer): Buffer[][] => {
  const single = [input];
  const bytes: Buffer[] = [];
  const k = Math.min(input.length, BYTEWISE);
  for (let i = 0; i < k; i++) bytes.push(input.subarray(i, i + 1));
  if (k < input.length) bytes.push(input.subarray(k));
  const cut: Buffer[] = [];
  for (let p = 0, k = 0; p < input.length; k++) {
    const size = 1 + ((input[k % input.length]! * 7 + k) % 97);
    cut.push(input.subarray(p, p + size));
    p += size;
  }
  return [single, bytes, cut];
};

const sameFrames = (a: readonly { bytes: Buffer; flag: FrameFlag }[], b: readonly { bytes: Buffer; flag: FrameFlag }[]): boolean =>
  a.length === b.length && a.every((x, i) => x.flag === b[i]!.flag && x.bytes.equals(b[i]!.bytes));

const syslogTemplates = (): Uint8Array[] => {
  const lines = corpusLines().slice(0, 400);
  const out: Uint8Array[] = [];
  for (let i = 0; i + 3 < lines.length; i += 3) {
    const three = lines.slice(i, i + 3).map((l) => Buffer.from(l));
    out.push(Buffer.concat(three.map((l) => Buffer.concat([l, Buffer.from('\n')])))); // LF framing
    out.push(Buffer.concat(three.map((l) => Buffer.concat([Buffer.from(`${l.length} `), l])))); // octet counting
  }
  return out;
};

export const rfc6587Target: FuzzTarget = {
  id: 'framer-rfc6587',
  about: `RFC 6587 framer (octet counting and LF, maxFrameBytes ${MAX_FRAME}) against a whole-buffer model, any chunking`,
  arbitrary: () => fc.oneof({ weight: 1, arbitrary: bytesLike(syslogTemplates()) }, { weight: 2, arbitrary: mutated(syslogTemplates()) }),
  run(bytes) {
    const input = Buffer.from(bytes);
    const model = rfc6587Model(input, MAX_FRAME);
    const a = model.accounting;
    check(a.framed + a.framing + a.skipped + a.unread === input.length, 'model lost track of bytes');
    for (const chunks of chunkings(input)) {
      const f = new Rfc6587Framer(MAX_FRAME);
      const got: { bytes: Buffer; flag: FrameFlag }[] = [];
      const sink = (b: Buffer, flag: FrameFlag): void => {
        got.push({ bytes: Buffer.from(b), flag });
      };
      let error: string | null = null;
      for (const c of chunks) {
        const e = f.push(c, sink);
        check(f.pendingBytes <= MAX_FRAME + 10, `framer holds ${f.pendingBytes} bytes`);
        if (e !== null) {
          check(e.type === 'bad-octet-count' && !e.canContinue, `error ${e.type} canContinue=${e.canContinue}`);
          error = e.type;
          break;
        }
      }
      if (error === null) f.end('eof', sink);
      check(error === model.error, `error ${error}, model says ${model.error} (${chunks.length} chunks)`);
      check(sameFrames(got, model.frames), `frames differ from the model (${chunks.length} chunks): ${got.length} vs ${model.frames.length}`);
    }
  },
};

/** RELP streams: frames as librelp writes them, then edited. */
const relpTemplates = (): Uint8Array[] => {
  const lines = corpusLines().slice(0, 120);
  const out: Uint8Array[] = [];
  for (let i = 0; i + 2 < lines.length; i += 2) {
    out.push(
      Buffer.concat([
        encodeRelpFrame(1, 'open', 'relp_version=0\nrelp_software=librelp,1.11.0,http://librelp.adiscon.com\ncommands=syslog'),
        encodeRelpFrame(2, 'syslog', lines[i]!),
        encodeRelpFrame(3, 'syslog', lines[i + 1]!),
        encodeRelpFrame(4, 'syslog', ''),
        encodeRelpFrame(5, 'close'),
      ]),
    );
  }
  return out;
};

const RELP_PENDING_BOUND = RELP_MAX_NUMBER_DIGITS * 2 + RELP_MAX_COMMAND_CHARS + 3 + MAX_FRAME;

const feedRelp = (chunks: readonly Buffer[]) => {
  const f = new RelpFramer(MAX_FRAME);
  const frames: RelpFrame[] = [];
  let error: string | null = null;
  for (const c of chunks) {
    const e = f.push(c, (fr) => frames.push(fr));
    check(f.pendingBytes <= RELP_PENDING_BOUND, `RELP framer holds ${f.pendingBytes} bytes`);
    if (e !== null) {
      check((RELP_FRAMING_ERRORS as readonly string[]).includes(e.type) && !e.canContinue, `error ${e.type}`);
      error ??= e.type;
    }
  }
  return { f, frames, error };
};

export const relpTarget: FuzzTarget = {
  id: 'framer-relp',
  about: `RELP framer (maxFrameBytes ${MAX_FRAME}) and session: byte accounting, chunking, answers in order`,
  arbitrary: () => fc.oneof({ weight: 1, arbitrary: bytesLike(relpTemplates()) }, { weight: 3, arbitrary: mutated(relpTemplates()) }),
  run(bytes) {
    const input = Buffer.from(bytes);
    let first: ReturnType<typeof feedRelp> | null = null;
    for (const chunks of chunkings(input)) {
      const r = feedRelp(chunks);
      const a = r.f.accounting;
      check(a.framed + a.rejected + a.pending + a.unread === input.length, `bytes unaccounted: ${JSON.stringify(a)} of ${input.length}`);
      check(r.frames.reduce((n, fr) => n + fr.wireBytes, 0) === a.framed, 'frame sizes do not add up');
      if (first === null) first = r;
      else {
        check(r.error === first.error, `error ${r.error} vs ${first.error} depending on chunking`);
        check(r.frames.length === first.frames.length && r.frames.every((fr, i) => fr.txnr === first!.frames[i]!.txnr && fr.command === first!.frames[i]!.command && fr.data.equals(first!.frames[i]!.data)), 'frames depend on chunking');
      }
    }
    // The session: every frame is stored (answered after its commit) or answered or ends the session;
    // answers come out in the order the frames came in.
    const session = new RelpSession();
    const answers = new RelpAnswers();
    let stored = 0;
    let ended = false;
    for (const fr of first!.frames) {
      if (ended) break;
      const step = session.handle(fr);
      switch (step.kind) {
        case 'store':
          answers.add(step.txnr, '200 OK', ++stored);
          break;
        case 'reply':
          answers.add(step.txnr, step.text);
          break;
        case 'close':
        case 'fail':
          answers.add(0, '', 0, true); // its own answer (a 500 may repeat a TXNR) is the connection's business
          ended = true;
          break;
      }
    }
    check(answers.unacked === stored, `window counts ${answers.unacked}, ${stored} stored`);
    const out = answers.take(stored);
    const txnrs = out.answers.map((x) => x.txnr);
    check(txnrs.every((t, i) => i === 0 || t > txnrs[i - 1]!), `answers out of order: ${txnrs.join(',')}`);
    check(answers.unacked === 0, 'stored frames left unanswered after their commit');
  },
};

export const framingTargets: readonly FuzzTarget[] = [rfc6587Target, relpTarget];
export { utf8 };
