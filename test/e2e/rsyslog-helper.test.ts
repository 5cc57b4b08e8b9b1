// Proves the e2e helpers against a real private rsyslogd: receiving over imtcp/imptcp into a file,
// and forwarding imfile/imtcp -> omfwd (TCP, UDP, TLS) to an in-test sink, without the Countersign server.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { sendTcp } from '../../bench/load-tcp.js';
import { buildPayload, extractSeq, makeLines } from '../../bench/messages.js';
import { LineCounter } from '../../bench/rsyslog-peer.js';
import { startLineSink, type LineSink } from './helpers/line-sink.js';
import { makePki, type Pki } from './helpers/pki.js';
import { describeWithTools } from './helpers/require-tool.js';
import {
  forwardConfig,
  freePort,
  receiveToFileConfig,
  startRsyslog,
  type RsyslogProcess,
} from './helpers/rsyslog.js';

const N = 1000;

/** Every sequence number 1..n appears exactly once among the texts. */
function expectAllSeqs(texts: readonly string[], n: number): void {
  const seen = new Map<number, number>();
  for (const t of texts) {
    const s = extractSeq(t);
    if (s !== null) seen.set(s, (seen.get(s) ?? 0) + 1);
  }
  const missing: number[] = [];
  for (let i = 1; i <= n; i++) if (seen.get(i) !== 1) missing.push(i);
  expect(missing, `sequence numbers missing or duplicated (first few): ${missing.slice(0, 10).join(',')}`).toEqual([]);
  expect(texts.length).toBe(n);
}

async function waitForLines(file: string, n: number, rs: RsyslogProcess, timeoutMs = 20_000): Promise<string[]> {
  const counter = new LineCounter(file);
  const deadline = Date.now() + timeoutMs;
  try {
    while (counter.poll() < n) {
      if (Date.now() > deadline) throw new Error(`${file}: ${counter.lines}/${n} lines\n${rs.diagnostics()}`);
      await sleep(20);
    }
  } finally {
    counter.close();
  }
  return readFileSync(file, 'utf8').split('\n').slice(0, -1);
}

let root = '';
let caseNo = 0;
const running: RsyslogProcess[] = [];
const sinks: LineSink[] = [];

function caseDir(name: string): string {
  return join(root, `${++caseNo}-${name}`);
}

async function rsyslog(dir: string, config: string): Promise<RsyslogProcess> {
  const rs = await startRsyslog({ dir, config });
  running.push(rs);
  return rs;
}

async function sink(opts: Parameters<typeof startLineSink>[0]): Promise<LineSink> {
  const s = await startLineSink(opts);
  sinks.push(s);
  return s;
}

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'cs-rsyslog-helper-'));
});
afterEach(async () => {
  await Promise.all(running.splice(0).map((r) => r.stop()));
  await Promise.all(sinks.splice(0).map((s) => s.close()));
});
afterAll(() => {
  if (root) rmSync(root, { recursive: true, force: true });
});

/** Writes N plain log lines (what an application would write to a file) for imfile to read. */
function writeInputFile(dir: string): string {
  mkdirSync(dir, { recursive: true });
  const file = join(dir, 'app.log');
  const lines = makeLines(N, { format: 'rfc3164', seed: 11 }).map((l) => l.replace(/^<\d+>/, ''));
  writeFileSync(file, `${lines.join('\n')}\n`);
  return file;
}

describeWithTools(['rsyslogd', 'logger'], 'private rsyslogd as a receiver', () => {
  it('imtcp writes every one of 1000 lines sent by logger --tcp to the file', async () => {
    const dir = caseDir('imtcp-logger');
    const port = await freePort();
    const file = join(dir, 'received.log');
    const rs = await rsyslog(dir, receiveToFileConfig({ port, file, input: 'imtcp' }));
    const input = makeLines(N, { format: 'rfc3164', seed: 1 }).map((l) => l.replace(/^<\d+>/, ''));
    const logger = spawn('logger', ['--tcp', '-n', '127.0.0.1', '-P', String(port), '-t', 'cs-helper-test'], {
      stdio: ['pipe', 'ignore', 'pipe'],
    });
    let loggerErr = '';
    logger.stderr.on('data', (d: Buffer) => (loggerErr += d.toString()));
    logger.stdin.end(`${input.join('\n')}\n`);
    const [code] = (await once(logger, 'exit')) as [number | null];
    expect(code, loggerErr).toBe(0);
    const got = await waitForLines(file, N, rs);
    expectAllSeqs(got, N);
    expect(got[0]).toMatch(/^<13>1 \S+ \S+ cs-helper-test /); // logger's RFC 5424 header, kept raw
  });

  it('imptcp writes 1000 octet-counted messages from a Node client to the file', async () => {
    const dir = caseDir('imptcp-node');
    const port = await freePort();
    const file = join(dir, 'received.log');
    const rs = await rsyslog(dir, receiveToFileConfig({ port, file }));
    const lines = makeLines(N, { format: 'mixed', seed: 2 });
    await sendTcp({ host: '127.0.0.1', port, payload: buildPayload(lines, 'octet'), connections: 3 });
    const got = await waitForLines(file, N, rs);
    expectAllSeqs(got, N);
    expect(new Set(got)).toEqual(new Set(lines)); // %rawmsg% is byte-for-byte what was sent
  });

  it('refuses to start on a config rsyslogd does not understand', async () => {
    await expect(
      startRsyslog({ dir: caseDir('bad-config'), config: 'input(type="imtcp" port="1" bogusParam="x")' }),
    ).rejects.toThrow(/bogusParam|not known/i);
  });
});

describeWithTools(['rsyslogd'], 'private rsyslogd forwarding with omfwd', () => {
  it('imfile -> omfwd TCP (LF framing, RFC 5424) delivers all 1000 lines', async () => {
    const dir = caseDir('imfile-tcp');
    const s = await sink({ protocol: 'tcp', framing: 'lf' });
    const file = writeInputFile(dir);
    await rsyslog(dir, forwardConfig({ input: { kind: 'imfile', file }, target: { protocol: 'tcp', host: '127.0.0.1', port: s.port } }));
    await s.waitFor(N);
    await sleep(300); // nothing extra may follow
    expectAllSeqs(s.messages, N);
    // local0.info = <134>; RFC5424 with the imfile tag as APP-NAME.
    expect(s.messages[0]).toMatch(/^<134>1 \d{4}-\d\d-\d\dT\S+ \S+ cs-imfile - - - /);
  });

  it('imtcp -> omfwd TCP (octet-counted, RSYSLOG_ForwardFormat) delivers all 1000', async () => {
    const dir = caseDir('imtcp-octet');
    const s = await sink({ protocol: 'tcp', framing: 'octet' });
    const inPort = await freePort();
    await rsyslog(
      dir,
      forwardConfig({
        input: { kind: 'imtcp', port: inPort },
        target: { protocol: 'tcp', host: '127.0.0.1', port: s.port, framing: 'octet-counted', template: 'RSYSLOG_ForwardFormat' },
      }),
    );
    await sendTcp({ host: '127.0.0.1', port: inPort, payload: buildPayload(makeLines(N, { format: 'rfc3164', seed: 3 }), 'lf') });
    await s.waitFor(N);
    expectAllSeqs(s.messages, N);
    // RFC 3164 layout with an RFC 3339 timestamp (fractional seconds only if the source had them:
    // these 3164 inputs had none, and rsyslog filled in the year itself); no LF inside the frame.
    expect(s.messages[0]).toMatch(/^<\d+>\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?[+-]\d\d:\d\d \S+ \S+/);
    expect(s.messages.some((m) => m.includes('\n'))).toBe(false);
  });

  it('imtcp -> omfwd TCP forwards 100 000 messages without losing one', async () => {
    const dir = caseDir('imtcp-100k');
    const s = await sink({ protocol: 'tcp', framing: 'lf' });
    const inPort = await freePort();
    await rsyslog(dir, forwardConfig({ input: { kind: 'imtcp', port: inPort }, target: { protocol: 'tcp', host: '127.0.0.1', port: s.port } }));
    const n = 100_000;
    await sendTcp({ host: '127.0.0.1', port: inPort, payload: buildPayload(makeLines(n, { format: 'mixed', seed: 4 }), 'lf') });
    await s.waitFor(n, 60_000);
    await sleep(200);
    expectAllSeqs(s.messages, n);
  });

  it('imfile -> omfwd UDP delivers 1000 datagrams on loopback', async () => {
    const dir = caseDir('imfile-udp');
    const s = await sink({ protocol: 'udp' });
    const file = writeInputFile(dir);
    await rsyslog(dir, forwardConfig({ input: { kind: 'imfile', file }, target: { protocol: 'udp', host: '127.0.0.1', port: s.port } }));
    await s.waitFor(N);
    expectAllSeqs(s.messages, N);
  });
});

describeWithTools(['rsyslogd', 'openssl', 'rsyslog:lmnsd_gtls'], 'private rsyslogd forwarding over TLS', () => {
  let pki: Pki;
  beforeAll(async () => {
    pki = await makePki(join(root, 'pki'));
  });

  it('x509/name + client cert: all 1000 lines arrive and the sink sees CN router1.example.net', async () => {
    const dir = caseDir('tls-x509-name');
    const s = await sink({ protocol: 'tls', tls: { cert: pki.serverCert, key: pki.serverKey, clientCa: pki.caCert } });
    const file = writeInputFile(dir);
    await rsyslog(
      dir,
      forwardConfig({
        input: { kind: 'imfile', file },
        target: {
          protocol: 'tls', host: '127.0.0.1', port: s.port, authMode: 'x509/name', permittedPeer: 'localhost',
          caFile: pki.caCert, certFile: pki.clientCert, keyFile: pki.clientKey,
        },
      }),
    );
    await s.waitFor(N);
    expectAllSeqs(s.messages, N);
    expect(s.peerCommonNames).toContain(pki.clientCommonName);
  });

  it('x509/certvalid without a client cert, octet-counted', async () => {
    const dir = caseDir('tls-certvalid');
    const s = await sink({ protocol: 'tls', framing: 'octet', tls: { cert: pki.serverCert, key: pki.serverKey } });
    const file = writeInputFile(dir);
    await rsyslog(
      dir,
      forwardConfig({
        input: { kind: 'imfile', file },
        target: { protocol: 'tls', host: '127.0.0.1', port: s.port, authMode: 'x509/certvalid', caFile: pki.caCert, framing: 'octet-counted' },
      }),
    );
    await s.waitFor(N);
    expectAllSeqs(s.messages, N);
  });

  it('anon mode delivers too (encryption without server authentication)', async () => {
    const dir = caseDir('tls-anon');
    const s = await sink({ protocol: 'tls', tls: { cert: pki.serverCert, key: pki.serverKey } });
    const file = writeInputFile(dir);
    await rsyslog(
      dir,
      forwardConfig({
        input: { kind: 'imfile', file },
        target: { protocol: 'tls', host: '127.0.0.1', port: s.port, authMode: 'anon', caFile: pki.caCert },
      }),
    );
    await s.waitFor(N);
    expectAllSeqs(s.messages, N);
  });

  it('rsyslog delivers nothing to a server whose cert it cannot verify (rogue CA trusted)', async () => {
    const dir = caseDir('tls-wrong-ca');
    const s = await sink({ protocol: 'tls', tls: { cert: pki.serverCert, key: pki.serverKey } });
    const file = writeInputFile(dir);
    const rs = await rsyslog(
      dir,
      forwardConfig({
        input: { kind: 'imfile', file },
        target: { protocol: 'tls', host: '127.0.0.1', port: s.port, authMode: 'x509/name', permittedPeer: 'localhost', caFile: pki.rogueCaCert },
      }),
    );
    await sleep(2000);
    expect(s.messages).toEqual([]);
    expect(rs.diagnostics()).toMatch(/certificate invalid: signer not found/);
  });

  it('x509/name with the wrong permitted peer delivers nothing', async () => {
    const dir = caseDir('tls-wrong-peer');
    const s = await sink({ protocol: 'tls', tls: { cert: pki.serverCert, key: pki.serverKey } });
    const file = writeInputFile(dir);
    const rs = await rsyslog(
      dir,
      forwardConfig({
        input: { kind: 'imfile', file },
        target: { protocol: 'tls', host: '127.0.0.1', port: s.port, authMode: 'x509/name', permittedPeer: 'collector.example.org', caFile: pki.caCert },
      }),
    );
    await sleep(2000);
    expect(s.messages).toEqual([]);
    expect(rs.diagnostics()).toMatch(/peer name not authorized/);
  });

  it('the sink rejects a client cert from the rogue CA', async () => {
    const dir = caseDir('tls-rogue-client');
    const s = await sink({ protocol: 'tls', tls: { cert: pki.serverCert, key: pki.serverKey, clientCa: pki.caCert } });
    const file = writeInputFile(dir);
    await rsyslog(
      dir,
      forwardConfig({
        input: { kind: 'imfile', file },
        target: {
          protocol: 'tls', host: '127.0.0.1', port: s.port, authMode: 'x509/name', permittedPeer: 'localhost',
          caFile: pki.caCert, certFile: pki.rogueClientCert, keyFile: pki.rogueClientKey,
        },
      }),
    );
    await sleep(2000);
    expect(s.messages).toEqual([]);
    expect(s.connections).toBe(0); // no handshake completed
    expect(s.errors.length).toBeGreaterThan(0); // Node sees "socket hang up": GnuTLS gives up, rsyslog logs nothing

  });
});
