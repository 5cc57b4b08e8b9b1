import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Rfc6587Framer } from './rfc6587.js';
import { FRAME_INCOMPLETE, FRAME_OK, FRAME_TOO_LONG, type FrameFlag } from './types.js';

type Out = [string, FrameFlag][];

const run = (chunks: (string | Buffer)[], max = 1024, end: 'eof' | 'shutdown' = 'eof', octet = true) => {
  const f = new Rfc6587Framer(max, octet);
  const out: Out = [];
  const errors: string[] = [];
  const sink = (b: Buffer, flag: FrameFlag) => out.push([b.toString('latin1'), flag]);
  for (const c of chunks) {
    const e = f.push(Buffer.isBuffer(c) ? c : Buffer.from(c, 'latin1'), sink);
    if (e) {
      errors.push(`${e.type}:${e.canContinue}`);
      break;
    }
  }
  if (errors.length === 0) f.end(end, sink);
  return { out, errors };
};

describe('RFC 6587 framing', () => {
  it('splits LF-terminated (non-transparent) frames', () => {
    expect(run(['<13>a b\n<14>c\n']).out).toEqual([['<13>a b', FRAME_OK], ['<14>c', FRAME_OK]]);
  });

  it('keeps CR in the frame (the envelope parser trims it) and skips empty lines', () => {
    expect(run(['<13>a\r\n\n\n<13>b\n']).out).toEqual([['<13>a\r', FRAME_OK], ['<13>b', FRAME_OK]]);
  });

  it('reads octet-counted frames, including ones holding LF', () => {
    expect(run(['7 <13>a\nb5 <14>c']).out).toEqual([['<13>a\nb', FRAME_OK], ['<14>c', FRAME_OK]]);
  });

  it('detects the framing per frame, so mixed streams work', () => {
    expect(run(['5 <13>a<14>b\n3 xyz']).out).toEqual([['<13>a', FRAME_OK], ['<14>b', FRAME_OK], ['xyz', FRAME_OK]]);
  });

  it('treats digits not followed by a space as the start of an LF frame (Cisco sequence numbers)', () => {
    expect(run(['123: *Mar  1 00:00:01.123: %SYS-5-CONFIG_I: x\n']).out).toEqual([['123: *Mar  1 00:00:01.123: %SYS-5-CONFIG_I: x', FRAME_OK]]);
  });

  it('files: a line starting "12 " is text when octet counting is off', () => {
    expect(run(['12 abc\n'], 1024, 'eof', false).out).toEqual([['12 abc', FRAME_OK]]);
  });

  it('refuses an octet count of 11+ digits and closes (rsyslog CVE-2022-24903)', () => {
    expect(run(['1'.repeat(1000) + ' x']).errors).toEqual(['bad-octet-count:false']);
    expect(run(['99999999999 x']).errors).toEqual(['bad-octet-count:false']);
  });

  it('cuts an octet-counted frame longer than the maximum, keeps the prefix, and resynchronises', () => {
    const r = run(['20 ' + 'a'.repeat(20) + '3 xyz'], 10);
    expect(r.out).toEqual([['a'.repeat(10), FRAME_TOO_LONG], ['xyz', FRAME_OK]]);
  });

  it('cuts an LF frame longer than the maximum and skips to the next LF', () => {
    const r = run(['<13>' + 'b'.repeat(30) + '\n<13>ok\n'], 10);
    expect(r.out).toEqual([['<13>bbbbbb', FRAME_TOO_LONG], ['<13>ok', FRAME_OK]]);
  });

  it('accepts frames of exactly the maximum and cuts one byte more', () => {
    const max = 64;
    expect(run([`${max} ${'x'.repeat(max)}`], max).out).toEqual([['x'.repeat(max), FRAME_OK]]);
    expect(run([`${max + 1} ${'x'.repeat(max + 1)}`], max).out).toEqual([['x'.repeat(max), FRAME_TOO_LONG]]);
    expect(run(['y'.repeat(max) + '\n'], max).out).toEqual([['y'.repeat(max), FRAME_OK]]);
  });

  it('hands over an unterminated last LF line at EOF as whole, and a cut octet frame as incomplete', () => {
    expect(run(['<13>a\n<13>tail']).out).toEqual([['<13>a', FRAME_OK], ['<13>tail', FRAME_OK]]);
    expect(run(['10 <13>ab']).out).toEqual([['<13>ab', FRAME_INCOMPLETE]]);
    expect(run(['<13>tail'], 1024, 'shutdown').out).toEqual([['<13>tail', FRAME_INCOMPLETE]]);
  });

  it('keeps NUL and invalid UTF-8 bytes exactly', () => {
    const payload = Buffer.from([0x3c, 0x31, 0x33, 0x3e, 0x00, 0xff, 0xfe, 0x0a]);
    const f = new Rfc6587Framer(1024);
    const got: Buffer[] = [];
    f.push(payload, (b) => got.push(Buffer.from(b)));
    expect(got).toEqual([payload.subarray(0, 7)]);
  });

  it('gives the same frames however the stream is cut into chunks', () => {
    const frame = fc.oneof(
      fc.string({ unit: fc.constantFrom('a', ' ', '<', '1', '\n', 'é'), minLength: 1, maxLength: 40 }).map((s) => ({ octet: true, s })),
      fc.string({ unit: fc.constantFrom('a', ' ', '<', '>', 'x'), minLength: 1, maxLength: 40 }).map((s) => ({ octet: false, s: `<${s}` })),
    );
    fc.assert(
      fc.property(fc.array(frame, { minLength: 1, maxLength: 20 }), fc.array(fc.nat(), { maxLength: 10 }), (frames, cuts) => {
        const stream = Buffer.concat(
          frames.map(({ octet, s }) => {
            const b = Buffer.from(s, 'utf8');
            return octet ? Buffer.concat([Buffer.from(`${b.length} `), b]) : Buffer.concat([b, Buffer.from('\n')]);
          }),
        );
        const points = [...new Set(cuts.map((c) => c % (stream.length + 1)))].sort((a, b) => a - b);
        const chunks: Buffer[] = [];
        let last = 0;
        for (const p of points) {
          chunks.push(stream.subarray(last, p));
          last = p;
        }
        chunks.push(stream.subarray(last));
        const whole = run([stream]).out;
        const pieces = run(chunks).out;
        expect(pieces).toEqual(whole);
        expect(whole.map(([s]) => s)).toEqual(frames.map(({ s }) => Buffer.from(s, 'utf8').toString('latin1')));
      }),
      { numRuns: 300 },
    );
  });

  it('never throws and never holds more than the maximum, whatever the bytes', () => {
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ maxLength: 200 }), { maxLength: 20 }), (chunks) => {
        const f = new Rfc6587Framer(100);
        for (const c of chunks) {
          const e = f.push(Buffer.from(c), () => undefined);
          expect(f.pendingBytes).toBeLessThanOrEqual(100);
          if (e) break;
        }
      }),
    );
  });
});
