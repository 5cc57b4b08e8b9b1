// Known-bad inputs, one named test per real failure of a comparable receiver
// (../shared/research/security-reliability.md §1b and test T2), sent to a running server over TCP,
// UDP and RELP. Each checks what was stored (`countersign records --json`) or counted (/metrics),
// and after each the server must still be healthy and storing.
import { join } from 'node:path';
import { connect as tlsConnect } from 'node:tls';
import { readFileSync } from 'node:fs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { metric, fetchMetrics, runCli, startServer, tempDir, testConfig, type RunningServer } from '../e2e/helpers/countersign.js';
import { makePki, type Pki } from '../e2e/helpers/pki.js';
import { makeHugeSanClientCert, type HugeSanCert } from '../e2e/helpers/pki-huge-san.js';
import { RelpTestClient } from '../e2e/helpers/relp-client.js';
import { describeWithTools } from '../e2e/helpers/require-tool.js';
import { mark, rejected, rssKb, sha256, stillHealthy, storedAfter, tcpSend, udpSend } from './wire.js';

const HDR = '<13>1 2026-11-29T10:00:00Z web01 cs-regression 77 - - ';
const octet = (b: Buffer): Buffer => Buffer.concat([Buffer.from(`${b.length} `), b]);
/** A frame of exactly `n` bytes: an RFC 5424 header, then filler. */
const frameOf = (n: number): Buffer => Buffer.concat([Buffer.from(HDR), Buffer.alloc(n - HDR.length, 0x61)]);

const relpData = (c: RelpTestClient, txnr: number) => c.frames.find((f) => f.command === 'rsp' && f.txnr === txnr)?.data.toString('latin1');

describe('known-bad inputs: framing, headers and content (T2)', () => {
  let s: RunningServer;
  beforeAll(async () => {
    // RELP's maxFrameBytes at 64 KiB too, so that both framers are tried at the same boundary.
    s = await startServer({ config: testConfig({ sources: { relp: { maxFrameBytes: 65536 } } }) });
  });
  afterEach(async () => {
    expect(await stillHealthy(s)).toBe(true);
  });
  afterAll(async () => {
    expect(await s.stop()).toBe(0);
  });

  it('CVE-2022-24903 (rsyslog): a 1000-digit octet count is refused, the connection closed and counted; the next connection works', async () => {
    const before = await rejected(s, 'tcp', 'bad-octet-count');
    const r = await tcpSend(s.ports.tcp!, Buffer.from(`${'9'.repeat(1000)} <13>1 - h a - - - x`), { end: false });
    expect(r.closedByServer).toBe(true);
    expect(await rejected(s, 'tcp', 'bad-octet-count')).toBe(before + 1);
    expect(metric(await fetchMetrics(s), 'countersign_connections_total', { transport: 'tcp', outcome: 'framing-error' })).toBeGreaterThanOrEqual(1);
  });

  it('rsyslog PR #1522/#7410: an octet count above maxFrameBytes, then a valid frame: the first is kept cut (frame-too-long), the next parses', async () => {
    const before = await mark(s);
    const big = frameOf(100_000);
    const next = Buffer.from(`${HDR}after the oversized one`);
    await tcpSend(s.ports.tcp!, Buffer.concat([octet(big), octet(next)]));
    const rows = await storedAfter(s, before, 2);
    expect(rows.map((r) => [r.kind, r.unparsedReason])).toEqual([['unparsed', 'frame-too-long'], ['parsed', null]]);
    expect(Buffer.from(rows[0]!.rawBase64, 'base64').equals(big.subarray(0, 65536))).toBe(true);
    expect(rows[1]!.raw).toBe(next.toString());
  });

  it.each([
    ['PRI overflow', '<99999999999>1 2026-11-29T10:00:00Z web01 app - - - pri overflow'],
    ['negative PRI', '<-1>1 2026-11-29T10:00:00Z web01 app - - - negative pri'],
    ['PRI overflow, BSD form', '<4294967296>Nov 29 10:00:00 web01 app: pri overflow'],
  ])('%s is stored byte-exact as unparsed bad-pri, not guessed', async (_what, line) => {
    const before = await mark(s);
    await tcpSend(s.ports.tcp!, Buffer.from(`${line}\n`));
    const [r] = await storedAfter(s, before, 1);
    expect(r).toMatchObject({ kind: 'unparsed', unparsedReason: 'bad-pri', raw: line, envelope: null });
  });

  it('systemd #4234: an empty UDP datagram and an empty RELP message are stored as unparsed `empty`; empty TCP lines are framing, not records', async () => {
    const before = await mark(s);
    await udpSend(s.ports.udp!, Buffer.alloc(0));
    const [udp] = await storedAfter(s, before, 1);
    expect(udp).toMatchObject({ transport: 'udp', kind: 'unparsed', unparsedReason: 'empty', raw: '' });

    const c = await RelpTestClient.connect(s.ports.relp!);
    await c.open();
    const t = c.send('syslog', '');
    expect((await c.answer(t)).data.toString()).toBe('200 OK');
    c.close();
    const [, relp] = await storedAfter(s, before, 2);
    expect(relp).toMatchObject({ transport: 'relp', kind: 'unparsed', unparsedReason: 'empty', raw: '' });

    await tcpSend(s.ports.tcp!, Buffer.from(`\n\n\n${HDR}after empty lines\n`));
    const rows = await storedAfter(s, before, 3);
    expect(rows.map((r) => r.raw)).toEqual(['', '', `${HDR}after empty lines`]);
  });

  it('one-byte frames (TCP, UDP) are stored as unparsed no-envelope', async () => {
    const before = await mark(s);
    await tcpSend(s.ports.tcp!, Buffer.from('x\n'));
    await storedAfter(s, before, 1);
    await udpSend(s.ports.udp!, Buffer.from('y'));
    const rows = await storedAfter(s, before, 2);
    expect(rows.map((r) => [r.transport, r.raw, r.unparsedReason])).toEqual([
      ['tcp', 'x', 'no-envelope'],
      ['udp', 'y', 'no-envelope'],
    ]);
  });

  it('an all-NUL frame is stored byte-exact (octet-counted over TCP, and as a UDP datagram)', async () => {
    const before = await mark(s);
    const nul = Buffer.alloc(64, 0);
    await tcpSend(s.ports.tcp!, octet(nul));
    await storedAfter(s, before, 1);
    await udpSend(s.ports.udp!, nul);
    const rows = await storedAfter(s, before, 2);
    for (const r of rows) {
      expect(r.kind).toBe('unparsed');
      expect(Buffer.from(r.rawBase64, 'base64').equals(nul)).toBe(true);
      expect(r.rawSha256).toBe(sha256(nul));
    }
  });

  it.each([
    [65535, 'parsed', 65535],
    [65536, 'parsed', 65536],
    [65537, 'frame-too-long', 65536],
    [69633, 'frame-too-long', 65536], // wazuh #15861's 69 633-byte request
  ])('wazuh #15861: a %d-byte frame at the 64 KiB maxFrameBytes boundary, octet-counted and LF-framed over TCP', async (n, outcome, kept) => {
    const frame = frameOf(n);
    const before = await mark(s);
    await tcpSend(s.ports.tcp!, Buffer.concat([octet(frame), frame, Buffer.from('\n')]));
    const rows = await storedAfter(s, before, 2);
    for (const r of rows) {
      expect(r.kind === 'parsed' ? 'parsed' : r.unparsedReason).toBe(outcome);
      const raw = Buffer.from(r.rawBase64, 'base64');
      expect(raw.length).toBe(kept);
      expect(raw.equals(frame.subarray(0, kept))).toBe(true);
    }
  });

  it.each([
    [65535, '200 OK'],
    [65536, '200 OK'],
    [65537, '500 DATALEN above 65536 bytes'],
  ])('a RELP DATALEN of %d at maxFrameBytes (64 KiB)', async (n, answer) => {
    const before = await mark(s);
    const c = await RelpTestClient.connect(s.ports.relp!);
    await c.open();
    const frame = frameOf(n);
    const t = c.send('syslog', frame);
    expect((await c.answer(t)).data.toString()).toBe(answer);
    if (answer === '200 OK') {
      const [r] = await storedAfter(s, before, 1);
      expect(Buffer.from(r!.rawBase64, 'base64').equals(frame)).toBe(true);
      c.close();
    } else {
      await c.closed;
      expect(await mark(s)).toEqual(before);
    }
  });

  it('CVE-2020-8445 (OSSEC/Wazuh): an embedded newline forging a second sshd line stays ONE record, byte-exact, and forges no login', async () => {
    const forged = Buffer.from(
      '<38>1 2026-11-29T10:00:00Z web01 sshd 4242 - - Connection closed by 198.51.100.7 port 50000\n' +
        '<38>Nov 29 10:00:01 web01 sshd[4243]: Accepted password for root from 203.0.113.9 port 22 ssh2',
    );
    const before = await mark(s);
    await tcpSend(s.ports.tcp!, octet(forged));
    const c = await RelpTestClient.connect(s.ports.relp!);
    await c.open();
    await c.answer(c.send('syslog', forged));
    c.close();
    const rows = await storedAfter(s, before, 2);
    expect(rows.map((r) => r.transport)).toEqual(['tcp', 'relp']);
    for (const r of rows) {
      expect(Buffer.from(r.rawBase64, 'base64').equals(forged)).toBe(true);
      expect(r.envelope).toMatchObject({ app: 'sshd' });
      expect(r.envelope!.msg).toContain('\n<38>Nov 29 10:00:01 web01 sshd[4243]: Accepted password for root');
    }
    // Once the sessions stage has read both records: no root login was made out of the forged line.
    const last = rows.at(-1)!.seq;
    const until = Date.now() + 30_000;
    while (metric(await fetchMetrics(s), 'countersign_derive', { what: 'cursor' }) < last && Date.now() < until) await new Promise((r) => setTimeout(r, 50));
    const sessions = JSON.parse(runCli(['sessions', '--json', '--data', s.dataDir, '--user', 'root']).stdout) as unknown[];
    expect(sessions).toEqual([]);
  });

  it('invalid UTF-8, overlong encodings, a lone surrogate, bidi and terminal controls are stored byte-exact', async () => {
    const hostile = Buffer.concat([
      Buffer.from(HDR),
      Buffer.from([0xff, 0xfe, 0xc0, 0xaf, 0xe0, 0x80, 0xaf, 0xed, 0xa0, 0x80, 0x20]), // invalid, overlong '/', lone surrogate
      Buffer.from('\u202Etxt.exe \u2066x\u2069 \x1b[2J\x1b]0;title\x07\r', 'utf8'),
      Buffer.from([0x9b, 0x33, 0x31, 0x6d]), // C1 CSI
    ]);
    const before = await mark(s);
    await tcpSend(s.ports.tcp!, octet(hostile));
    await udpSend(s.ports.udp!, hostile);
    const rows = await storedAfter(s, before, 2);
    for (const r of rows) {
      expect(Buffer.from(r.rawBase64, 'base64').equals(hostile)).toBe(true);
      expect(r.rawSha256).toBe(sha256(hostile));
    }
  });

  it('CVE-2021-44228 class: template and shell metacharacters are stored literally, never evaluated', async () => {
    const payloads = ['${jndi:ldap://x}', '$(reboot)', '`id`', '{{7*7}}', '%n%s%x', "'; DROP TABLE records; --"];
    const before = await mark(s);
    await tcpSend(s.ports.tcp!, Buffer.concat(payloads.map((p) => octet(Buffer.from(`${HDR}${p}`)))));
    const rows = await storedAfter(s, before, payloads.length);
    expect(rows.map((r) => r.envelope?.msg)).toEqual(payloads);
    expect(rows.map((r) => r.raw)).toEqual(payloads.map((p) => `${HDR}${p}`));
  });

  describe('RELP', () => {
    it('a 1000-digit DATALEN (CVE-2022-24903 class): 500, connection closed, counted; the next session works', async () => {
      const before = await rejected(s, 'relp', 'relp-frame-too-long');
      const c = await RelpTestClient.connect(s.ports.relp!);
      await c.open();
      c.raw(`2 syslog ${'9'.repeat(1000)} x\n`);
      await c.closed;
      expect(relpData(c, 2)).toMatch(/^500 /);
      expect(await rejected(s, 'relp', 'relp-frame-too-long')).toBe(before + 1);
      const again = await RelpTestClient.connect(s.ports.relp!);
      await again.open();
      expect((await again.answer(again.send('syslog', `${HDR}after the 1000 digits`))).data.toString()).toBe('200 OK');
      again.close();
    });

    it('a negative DATALEN: 500, closed, counted', async () => {
      const before = await rejected(s, 'relp', 'relp-bad-datalen');
      const c = await RelpTestClient.connect(s.ports.relp!);
      await c.open();
      c.raw('2 syslog -5 hello\n');
      await c.closed;
      expect(relpData(c, 2)).toMatch(/^500 DATALEN: unexpected byte 0x2d/);
      expect(await rejected(s, 'relp', 'relp-bad-datalen')).toBe(before + 1);
    });

    it('a non-numeric TXNR: closed without an answer (there is no transaction to name), counted', async () => {
      const before = await rejected(s, 'relp', 'relp-bad-txnr');
      const c = await RelpTestClient.connect(s.ports.relp!);
      c.raw('abc open 0\n');
      await c.closed;
      expect(c.frames).toEqual([]);
      expect(await rejected(s, 'relp', 'relp-bad-txnr')).toBe(before + 1);
    });

    it('syslog before open: 500, closed, counted, nothing stored', async () => {
      const before = await mark(s);
      const n = await rejected(s, 'relp', 'relp-syslog-before-open');
      const c = await RelpTestClient.connect(s.ports.relp!);
      c.raw(`1 syslog 5 hello\n`);
      await c.closed;
      expect(relpData(c, 1)).toBe('500 session not open: send open first');
      expect(await rejected(s, 'relp', 'relp-syslog-before-open')).toBe(n + 1);
      expect(await mark(s)).toEqual(before);
    });
  });
});

describeWithTools(['openssl'], 'known-bad inputs: an oversized client-certificate SAN list (librelp CVE-2018-1000140)', () => {
  let s: RunningServer;
  let pki: Pki;
  let huge: HugeSanCert;
  beforeAll(async () => {
    const dir = join(tempDir('pki'), 'pki');
    pki = await makePki(dir);
    huge = await makeHugeSanClientCert(dir, { cert: pki.caCert, key: pki.caKey });
    s = await startServer({
      config: testConfig({ sources: { tls: { certFile: pki.serverCert, keyFile: pki.serverKey, caFile: pki.caCert, requireClientCert: true }, relp: { tls: true } } }),
    });
  });
  afterAll(async () => {
    expect(await s.stop()).toBe(0);
  });

  const tlsOpts = () => ({ ca: readFileSync(pki.caCert), cert: readFileSync(huge.cert), key: readFileSync(huge.key), servername: 'localhost' });

  const tlsHandshake = (i: number): Promise<void> =>
    new Promise<void>((resolve) => {
      const c = tlsConnect({ host: '127.0.0.1', port: s.ports.tls!, ...tlsOpts() });
      c.on('secureConnect', () => c.end(octet(Buffer.from(`${HDR}huge SAN ${i}`))));
      c.on('error', () => resolve());
      c.on('close', () => resolve());
      c.resume();
    });

  it('TLS syslog and RELP over TLS take a client certificate with a > 32 KB SAN list without crashing, memory bounded', async () => {
    expect(huge.sanBytes).toBeGreaterThan(32 * 1024);
    const before = await mark(s);
    // Node's heap grows for a while before it settles: measure over a second run after a first one.
    const warmup = 200;
    const rounds = Number(process.env.CS_SAN_ROUNDS ?? 400);
    for (let i = 0; i < warmup; i++) await tlsHandshake(i);
    const rssWarm = rssKb(s.proc.pid!);
    for (let i = warmup; i < warmup + rounds; i++) await tlsHandshake(i);
    const relp = await RelpTestClient.connect(s.ports.relp!, tlsOpts());
    await relp.open();
    const answer = (await relp.answer(relp.send('syslog', `${HDR}huge SAN over RELP`))).data.toString();
    relp.close();
    const rssAfter = rssKb(s.proc.pid!);
    // The certificate chains to the CA, so it is accepted: the subject is recorded, the SAN list is never copied into a record.
    const rows = await storedAfter(s, before, warmup + rounds + 1, 60_000);
    console.log(
      `huge-SAN client certificate: ${huge.names} names, ${huge.sanBytes} bytes of SAN; server RSS ${rssWarm} kB after ${warmup} TLS handshakes, ${rssAfter} kB after ${rounds} more and one over RELP/TLS`,
    );
    expect(answer).toBe('200 OK');
    expect(rows.map((r) => `${r.transport} ${r.peerIdentity}`)).toEqual([
      ...Array.from({ length: warmup + rounds }, () => 'tls CN=san-flood.example.net'),
      'relp CN=san-flood.example.net',
    ]);
    // Bounded: memory does not grow with the number of hostile handshakes. Coarse on purpose (RSS moves with
    // the garbage collector by tens of MB): it catches a handshake keeping ~160 KB, four copies of the list.
    expect(rssAfter - rssWarm).toBeLessThan(64 * 1024);
    expect(await stillHealthy(s)).toBe(true);
  });
});
