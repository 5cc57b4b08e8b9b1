// A real rsyslog forwarding with omrelp (rsyslog-relp) to Countersign's RELP listener: every numbered
// message arrives; and while 200 000 of them flow, the server is SIGKILLed and restarted twice on the
// same data: afterwards every number is stored (duplicates, which RELP allows after a broken session,
// are counted and reported), and `countersign verify` passes; with the connection cut instead, what
// rsyslog resends is stored again and counted as resent. Prints figures; asserts no timings.
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, expect, it } from 'vitest';
import { extractSeq, makeLines } from '../../bench/messages.js';
import { sendTcp } from '../../bench/load-tcp.js';
import type { StoredRecord } from '../../src/model/record.js';
import { openReader } from '../../src/store/index.js';
import { CLI, fetchMetrics, metric, startServer, tempDir, testConfig, waitForStored, type RunningServer } from './helpers/countersign.js';
import { makePki, CLIENT_CN } from './helpers/pki.js';
import { relpForwardConfig, type RelpForwardOptions } from './helpers/relp-rsyslog.js';
import { startTcpProxy } from './helpers/tcp-proxy.js';
import { describeWithTools } from './helpers/require-tool.js';
import { freePort, startRsyslog, type RsyslogProcess } from './helpers/rsyslog.js';

const execFileP = promisify(execFile);
const cleanup: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c().catch(() => undefined);
});

const payload = (n: number, seed: number): Buffer => Buffer.from(makeLines(n, { format: 'mixed', seed }).map((l) => `${l}\n`).join(''));

const rsyslogRelp = async (o: Omit<RelpForwardOptions, 'inPort'>): Promise<{ rs: RsyslogProcess; inPort: number }> => {
  const inPort = await freePort();
  const rs = await startRsyslog({ dir: tempDir('rsyslog-relp'), config: relpForwardConfig({ ...o, inPort }) });
  cleanup.push(() => rs.stop());
  return { rs, inPort };
};

const relpRecords = async (dataDir: string): Promise<StoredRecord[]> => {
  const reader = openReader(dataDir, { readonly: true });
  try {
    const stats = await reader.stats();
    return (await reader.latest({ limit: stats.records + 10 })).filter((r) => r.transport === 'relp');
  } finally {
    await reader.close();
  }
};

/** Sequence numbers found, how often each, and whether repeats are byte for byte the same frame. */
const tally = (rows: readonly StoredRecord[]) => {
  const bySeq = new Map<number, string[]>();
  let unnumbered = 0;
  for (const r of rows) {
    const n = extractSeq(Buffer.from(r.raw).toString('utf8'));
    if (n === null) unnumbered++;
    else {
      const list = bySeq.get(n) ?? [];
      list.push(r.rawSha256);
      bySeq.set(n, list);
    }
  }
  let duplicates = 0;
  let differingRepeats = 0;
  for (const shas of bySeq.values()) {
    duplicates += shas.length - 1;
    if (new Set(shas).size > 1) differingRepeats++;
  }
  return { stored: rows.length, distinct: bySeq.size, duplicates, differingRepeats, unnumbered, bySeq };
};

const missing = (bySeq: ReadonlyMap<number, unknown>, n: number): number[] => {
  const out: number[] = [];
  for (let i = 1; i <= n; i++) if (!bySeq.has(i)) out.push(i);
  return out;
};

const lastSeq = async (s: RunningServer): Promise<number> => metric(await fetchMetrics(s), 'countersign_ingest', { what: 'last_seq' });

describeWithTools(['rsyslogd', 'rsyslog:omrelp', 'openssl'], 'rsyslog omrelp → countersign RELP', () => {
  it('10 000 numbered messages, every one stored once, over RELP', async () => {
    const s = await startServer({ config: testConfig() });
    cleanup.push(() => s.stop());
    const N = 10_000;
    const { rs, inPort } = await rsyslogRelp({ port: s.ports.relp! });
    await sendTcp({ host: '127.0.0.1', port: inPort, payload: payload(N, 21) });
    const got = await waitForStored(s, N, 120_000);
    expect(got, rs.diagnostics()).toBe(N);
    const rows = await relpRecords(s.dataDir);
    const t = tally(rows);
    expect({ stored: t.stored, distinct: t.distinct, duplicates: t.duplicates, unnumbered: t.unnumbered }).toEqual({ stored: N, distinct: N, duplicates: 0, unnumbered: 0 });
    expect(missing(t.bySeq, N)).toEqual([]);
    expect(rows.every((r) => r.kind === 'parsed' && r.envelope?.format === 'rfc5424' && r.peer.startsWith('127.0.0.1:') && r.peerIdentity === null)).toBe(true);
    const m = await fetchMetrics(s);
    expect(metric(m, 'countersign_ingest', { what: 'open_connections', transport: 'relp' })).toBe(1);
    expect(metric(m, 'countersign_ingest', { what: 'relp_unacked', transport: 'relp' })).toBe(0);
    expect(s.logs.some((l) => l.msg === 'RELP session opened' && String(l.software).startsWith('librelp'))).toBe(true);
  }, 180_000);

  it('200 000 messages while the server is SIGKILLed and restarted twice: every number stored, duplicates counted, verify passes', async () => {
    const N = 200_000;
    const t0 = Date.now();
    const dataDir = tempDir('relp-kill');
    const relpPort = await freePort(); // fixed across restarts: rsyslog reconnects to it
    const config = testConfig({ sources: { relp: { port: relpPort } } });
    let s = await startServer({ config, dataDir });
    const servers = [s];
    cleanup.push(async () => {
      for (const x of servers) await x.stop('SIGKILL');
    });
    const { rs, inPort } = await rsyslogRelp({ port: relpPort, windowSize: 128, dequeueBatchSize: 128 });
    const feeding = sendTcp({ host: '127.0.0.1', port: inPort, payload: payload(N, 22), timeoutMs: 240_000 });

    const kills: { atSeq: number; storedAfterRestart: number | null }[] = [];
    for (const target of [Math.floor(N / 3), Math.floor((2 * N) / 3)]) {
      const until = Date.now() + 120_000;
      while ((await lastSeq(s)) < target) {
        if (Date.now() > until) throw new Error(`stuck below seq ${target}\n${rs.diagnostics()}`);
        await new Promise((r) => setTimeout(r, 50));
      }
      const reported = await lastSeq(s); // committed before the kill: must survive it
      await s.stop('SIGKILL');
      s = await startServer({ config, dataDir });
      servers.push(s);
      const reader = openReader(dataDir, { readonly: true });
      const after = (await reader.stats()).lastSeq;
      await reader.close();
      expect(after).toBeGreaterThanOrEqual(reported);
      kills.push({ atSeq: reported, storedAfterRestart: after });
    }
    await feeding;

    // Wait until the store stops growing with every number present (rsyslog resends what it holds no answer for).
    const deadline = Date.now() + 180_000;
    let t = tally(await relpRecords(dataDir));
    let lastCount = -1;
    while (missing(t.bySeq, N).length > 0 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 1000));
      const count = metric(await fetchMetrics(s), 'countersign_ingest', { what: 'last_seq' });
      if (count === lastCount) t = tally(await relpRecords(dataDir));
      lastCount = count;
    }
    const sendSeconds = (Date.now() - t0) / 1000;
    expect(await s.stop('SIGTERM')).toBe(0);
    await rs.stop();
    t = tally(await relpRecords(dataDir));
    const gone = missing(t.bySeq, N);

    const v0 = Date.now();
    const { stdout } = await execFileP(process.execPath, [CLI, 'verify', '--json', '--data', dataDir], { timeout: 300_000, maxBuffer: 64 << 20 });
    const report = JSON.parse(stdout) as { entries: number; problems: unknown[] };
    const figures = {
      sent: N,
      stored: t.stored,
      distinct: t.distinct,
      duplicates: t.duplicates,
      duplicatesNotByteIdentical: t.differingRepeats,
      missing: gone.length,
      kills,
      secondsUntilAllStored: sendSeconds,
      verifySeconds: (Date.now() - v0) / 1000,
      verifyEntries: report.entries,
    };
    console.log(`RELP SIGKILL test: ${JSON.stringify(figures)}`);
    // The duplicates are marked: `countersign repeats` names each one and the record it repeats.
    const rep = await execFileP(process.execPath, [CLI, 'repeats', '--json', '--transport', 'relp', '--data', dataDir], { timeout: 120_000, maxBuffer: 64 << 20 });
    const marked = (JSON.parse(rep.stdout) as { repeats: { seq: number; of: number }[] }).repeats;
    expect(marked.length).toBe(t.duplicates);
    for (const m of marked) expect(m.of).toBeLessThan(m.seq);
    expect(gone.slice(0, 20), rs.diagnostics().slice(-4000)).toEqual([]);
    expect(t.distinct).toBe(N);
    expect(t.unnumbered).toBe(0);
    // A resent message is the very frame sent before: RELP resends bytes, it does not rebuild them.
    expect(t.differingRepeats).toBe(0);
    expect(report.problems).toEqual([]);
  }, 600_000);

  it('connections cut twice mid-stream: every number stored; what rsyslog resent is stored again and counted as resent', async () => {
    const s = await startServer({ config: testConfig() });
    cleanup.push(() => s.stop());
    const proxy = await startTcpProxy(s.ports.relp!);
    cleanup.push(() => proxy.close());
    const N = 50_000;
    const { rs, inPort } = await rsyslogRelp({ port: proxy.port });
    const feeding = sendTcp({ host: '127.0.0.1', port: inPort, payload: payload(N, 24) });
    for (const target of [N / 3, (2 * N) / 3]) {
      const until = Date.now() + 60_000;
      while ((await lastSeq(s)) < target && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
      proxy.cut();
    }
    await feeding;
    const deadline = Date.now() + 120_000;
    let t = tally(await relpRecords(s.dataDir));
    while (missing(t.bySeq, N).length > 0 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 500));
      t = tally(await relpRecords(s.dataDir));
    }
    const resent = metric(await fetchMetrics(s), 'countersign_relp_resent_total');
    console.log(`RELP cut test: ${JSON.stringify({ sent: N, stored: t.stored, distinct: t.distinct, duplicates: t.duplicates, countedAsResent: resent, connections: proxy.accepted })}`);
    expect(missing(t.bySeq, N).slice(0, 20), rs.diagnostics().slice(-4000)).toEqual([]);
    expect(t.differingRepeats).toBe(0);
    // Repeats are resends the server recognised (same sender, first frames of its next connection): in
    // every run so far all of them. Asserted loosely (never a false count; some counted when any
    // happened) because rsyslog's own action retry may add a resend after a new message.
    expect(resent).toBeLessThanOrEqual(t.duplicates);
    if (t.duplicates > 0) expect(resent).toBeGreaterThan(0);
  }, 240_000);

  it('RELP over TLS with a client certificate: the certificate subject is recorded on every record', async () => {
    const pki = await makePki(join(tempDir('pki'), 'pki'));
    const s = await startServer({
      config: testConfig({
        sources: { tls: { certFile: pki.serverCert, keyFile: pki.serverKey, caFile: pki.caCert, requireClientCert: true }, relp: { tls: true } },
      }),
    });
    cleanup.push(() => s.stop());
    const N = 500;
    const { rs, inPort } = await rsyslogRelp({ port: s.ports.relp!, tls: { caFile: pki.caCert, certFile: pki.clientCert, keyFile: pki.clientKey } });
    await sendTcp({ host: '127.0.0.1', port: inPort, payload: payload(N, 23) });
    expect(await waitForStored(s, N, 60_000), rs.diagnostics()).toBe(N);
    const rows = await relpRecords(s.dataDir);
    const t = tally(rows);
    expect([t.distinct, t.duplicates]).toEqual([N, 0]);
    expect(rows.every((r) => (r.peerIdentity ?? '').includes(`CN=${CLIENT_CN}`))).toBe(true);
  }, 120_000);
});
