import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { encodeRelpFrame, RELP_FRAMING_ERRORS, RelpFramer, type RelpFrame, type RelpFramerError } from './relp.js';

const feed = (chunks: (string | Buffer)[], max = 1024) => {
  const f = new RelpFramer(max);
  const frames: RelpFrame[] = [];
  let error: RelpFramerError | null = null;
  for (const c of chunks) {
    const e = f.push(Buffer.isBuffer(c) ? c : Buffer.from(c, 'latin1'), (fr) => frames.push(fr));
    if (e !== null) error ??= e;
  }
  return { f, frames, error, simple: frames.map((x) => [x.txnr, x.command, x.data.toString('latin1')]) };
};

describe('RELP framing', () => {
  it('reads the session rsyslog opens with, then syslog frames and close', () => {
    const offers = 'relp_version=0\nrelp_software=librelp,1.11.0,http://librelp.adiscon.com\ncommands=syslog';
    const open = `1 open ${offers.length} ${offers}\n`;
    const { simple, error } = feed([open, '2 syslog 11 <13>1 hello\n3 close 0\n']);
    expect(error).toBeNull();
    expect(simple).toEqual([
      [1, 'open', 'relp_version=0\nrelp_software=librelp,1.11.0,http://librelp.adiscon.com\ncommands=syslog'],
      [2, 'syslog', '<13>1 hello'],
      [3, 'close', ''],
    ]);
  });

  it('keeps LF and any byte inside DATA: the length decides, not the content', () => {
    const data = Buffer.from([0x3c, 0x31, 0x33, 0x3e, 0x0a, 0x00, 0xff, 0x0a]);
    const { frames } = feed([Buffer.concat([Buffer.from(`7 syslog ${data.length} `), data, Buffer.from('\n')])]);
    expect(frames).toHaveLength(1);
    expect(frames[0]!.data.equals(data)).toBe(true);
  });

  it('reads the same frames whatever the chunking, down to one byte at a time', () => {
    const wire = '1 open 14 relp_version=0\n2 syslog 3 abc\n3 syslog 0\n';
    const whole = feed([wire]).simple;
    expect(feed(wire.split('')).simple).toEqual(whole);
  });

  it.each([
    ['a 1000-digit DATALEN (cf. rsyslog CVE-2022-24903)', `1 syslog ${'9'.repeat(1000)} x\n`, 'relp-frame-too-long', 1],
    ['a 10-digit DATALEN of zeros', '1 syslog 0000000000\n', 'relp-bad-datalen', 1],
    ['a DATALEN above maxFrameBytes', '4 syslog 1025 x\n', 'relp-frame-too-long', 4],
    ['a negative DATALEN', '1 syslog -5 hello\n', 'relp-bad-datalen', 1],
    ['a non-numeric TXNR', 'abc open 0\n', 'relp-bad-txnr', null],
    ['a 10-digit TXNR', '1234567890 syslog 1 x\n', 'relp-bad-txnr', null],
    ['an empty TXNR', ' open 0\n', 'relp-bad-txnr', null],
    ['a 33-letter command', `1 ${'a'.repeat(33)} 0\n`, 'relp-bad-command', 1],
    ['a command with a digit', '1 sys1og 0\n', 'relp-bad-command', 1],
    ['DATA longer than DATALEN', '2 syslog 3 abcd\n', 'relp-bad-trailer', 2],
    ['DATALEN 0 followed by data', '2 syslog 0 x\n', 'relp-bad-trailer', 2],
  ])('refuses %s, naming the transaction when it was read', (_what, wire, type, txnr) => {
    const { error, frames, f } = feed([wire, '9 syslog 1 x\n']);
    expect(frames).toEqual([]);
    expect(error).toMatchObject({ type, canContinue: false, txnr });
    // Broken for good: nothing after the error is read, and every byte is accounted for.
    const a = f.accounting;
    expect(a.framed + a.rejected + a.pending + a.unread).toBe(Buffer.byteLength(wire, 'latin1') + 13);
  });

  it('never holds more than the header and maxFrameBytes, whatever DATALEN claims', () => {
    const f = new RelpFramer(1024);
    f.push(Buffer.from('1 syslog 1024 '), () => undefined);
    expect(f.pendingBytes).toBe(14);
    f.push(Buffer.alloc(1000, 0x61), () => undefined);
    expect(f.pendingBytes).toBe(1014);
  });

  it('end() hands back the size of a partial frame (never answered, so the sender sends it again)', () => {
    const f = new RelpFramer(1024);
    f.push(Buffer.from('1 syslog 10 abc'), () => undefined);
    expect(f.end()).toBe(15);
    expect(f.pendingBytes).toBe(0);
  });

  it('encodes frames as it reads them (round trip for any valid frame and any chunking)', () => {
    const frameArb = fc.record({
      txnr: fc.integer({ min: 0, max: 999_999_999 }),
      command: fc.stringMatching(/^[a-zA-Z]{1,32}$/),
      data: fc.uint8Array({ maxLength: 300 }),
    });
    fc.assert(
      fc.property(fc.array(frameArb, { maxLength: 8 }), fc.array(fc.integer({ min: 1, max: 50 }), { maxLength: 20 }), (frames, cuts) => {
        const wire = Buffer.concat(frames.map((x) => encodeRelpFrame(x.txnr, x.command, Buffer.from(x.data))));
        const chunks: Buffer[] = [];
        let p = 0;
        for (const c of cuts) {
          if (p >= wire.length) break;
          chunks.push(wire.subarray(p, p + c));
          p += c;
        }
        chunks.push(wire.subarray(p));
        const got = feed(chunks, 1024);
        expect(got.error).toBeNull();
        expect(got.frames.map((x) => ({ txnr: x.txnr, command: x.command, data: [...x.data] }))).toEqual(frames.map((x) => ({ ...x, data: [...x.data] })));
        expect(got.f.accounting).toEqual({ framed: wire.length, rejected: 0, pending: 0, unread: 0 });
      }),
    );
  });

  it('accounts for every byte of any input: in a frame, in the broken frame, pending, or unread after the error', () => {
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ maxLength: 64 }), { maxLength: 10 }), (chunks) => {
        const { f, error } = feed(chunks.map((c) => Buffer.from(c)), 64);
        const a = f.accounting;
        expect(a.framed + a.rejected + a.pending + a.unread).toBe(chunks.reduce((n, c) => n + c.length, 0));
        expect(a.pending).toBeLessThanOrEqual(9 + 1 + 32 + 1 + 9 + 1 + 64);
        if (error !== null) expect(RELP_FRAMING_ERRORS).toContain(error.type);
        else expect(a.unread).toBe(0);
      }),
    );
  });
});
