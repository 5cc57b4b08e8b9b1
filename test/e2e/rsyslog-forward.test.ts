// A real rsyslog forwarding to Countersign, as Priya's servers will: omfwd over TCP (LF and
// octet-counted framing), UDP and TLS (gtls, with a client certificate). Messages carry a unique
// seq token; every one must arrive, exactly once, parsed, with the sender's identity where TLS proves it.
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { makeLines, extractSeq } from '../../bench/messages.js';
import { sendTcp } from '../../bench/load-tcp.js';
import { openReader } from '../../src/store/index.js';
import { describeWithTools } from './helpers/require-tool.js';
import { forwardConfig, freePort, startRsyslog, type ForwardTarget, type RsyslogProcess } from './helpers/rsyslog.js';
import { makePki, CLIENT_CN } from './helpers/pki.js';
import { fetchMetrics, metric, startServer, tempDir, testConfig, waitForStored, type RunningServer } from './helpers/countersign.js';

const cleanup: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
});

/** rsyslog listening on imtcp, forwarding to `target`; the test feeds it `lines`. */
const forwardThroughRsyslog = async (target: ForwardTarget, lines: string[]): Promise<RsyslogProcess> => {
  const inPort = await freePort();
  const rs = await startRsyslog({ dir: tempDir('rsyslog'), config: forwardConfig({ input: { kind: 'imtcp', port: inPort }, target }) });
  cleanup.push(() => rs.stop());
  await sendTcp({ host: '127.0.0.1', port: inPort, payload: Buffer.from(lines.map((l) => `${l}\n`).join('')) });
  return rs;
};

const server = async (config = testConfig()): Promise<RunningServer> => {
  const s = await startServer({ config });
  cleanup.push(() => s.stop());
  return s;
};

/** Every seq 1..n exactly once, all parsed; returns the records for further checks. */
const expectAllOnce = async (s: RunningServer, n: number) => {
  const reader = openReader(s.dataDir, { readonly: true });
  try {
    const all = await reader.latest({ limit: n + 10 });
    // Besides what rsyslog sent: the server's own first entry, the first admin's account (user.add).
    expect(all.filter((r) => r.transport === 'internal').map((r) => r.envelope?.msgid)).toEqual(['user.add']);
    const rows = all.filter((r) => r.transport !== 'internal');
    expect(rows).toHaveLength(n);
    const seen = new Set<number>();
    for (const r of rows) {
      expect(r.kind).toBe('parsed');
      const seq = extractSeq(r.envelope!.msg);
      expect(seq).not.toBeNull();
      expect(seen.has(seq!)).toBe(false);
      seen.add(seq!);
    }
    expect(Math.min(...seen)).toBe(1);
    expect(Math.max(...seen)).toBe(n);
    return rows;
  } finally {
    await reader.close();
  }
};

describeWithTools(['rsyslogd', 'rsyslog:lmnsd_gtls', 'openssl'], 'rsyslog omfwd → countersign', () => {
  it('TCP: 100 000 messages forwarded, none missing, none doubled', async () => {
    const s = await server();
    const N = 100_000;
    await forwardThroughRsyslog({ protocol: 'tcp', host: '127.0.0.1', port: s.ports.tcp! }, makeLines(N, { format: 'mixed', seed: 11 }));
    expect(await waitForStored(s, N, 180_000)).toBe(N);
    const rows = await expectAllOnce(s, N);
    expect(new Set(rows.map((r) => r.envelope!.format))).toEqual(new Set(['rfc5424']));
    expect(rows.every((r) => r.transport === 'tcp' && r.peer.startsWith('127.0.0.1:') && r.peerIdentity === null)).toBe(true);
  }, 240_000);

  it('TCP with RFC 6587 octet-counted framing and RFC 3164 (RSYSLOG_ForwardFormat)', async () => {
    const s = await server();
    const N = 2000;
    await forwardThroughRsyslog(
      { protocol: 'tcp', host: '127.0.0.1', port: s.ports.tcp!, framing: 'octet-counted', template: 'RSYSLOG_ForwardFormat' },
      makeLines(N, { format: 'rfc3164', seed: 12 }),
    );
    expect(await waitForStored(s, N)).toBe(N);
    const rows = await expectAllOnce(s, N);
    expect(new Set(rows.map((r) => r.envelope!.format))).toEqual(new Set(['rfc3164']));
    // RSYSLOG_ForwardFormat sends a full ISO timestamp: nothing about the time is inferred, except
    // for Cisco lines rsyslog relays whole, where the device's own `*` timestamp (clock not in sync) wins.
    const inexact = rows.filter((r) => r.envelope!.timeQuality !== 'exact');
    expect(inexact.length).toBeGreaterThan(0);
    for (const r of inexact) {
      expect(r.envelope!.timeQuality).toBe('unsynchronised');
      expect(Buffer.from(r.raw).toString()).toMatch(/ \d+: [\w.-]+: \*\w{3} +\d+ [\d:.]+ UTC: %/);
    }
  });

  it('UDP: every datagram is stored or counted as dropped', async () => {
    const s = await server();
    const N = 1000;
    await forwardThroughRsyslog({ protocol: 'udp', host: '127.0.0.1', port: s.ports.udp! }, makeLines(N, { format: 'mixed', seed: 13 }));
    await waitForStored(s, N, 20_000);
    const m = await fetchMetrics(s);
    const stored = metric(m, 'countersign_records_stored_total', { transport: 'udp' });
    const dropped = metric(m, 'countersign_records_rejected_total', { transport: 'udp' }) + metric(m, 'countersign_ingest', { what: 'udp_kernel_drops' });
    expect(stored + dropped).toBe(N);
    expect(stored).toBeGreaterThan(0);
  });

  it('TLS (gtls, x509/name) with a client certificate: identity recorded on every record', async () => {
    const pki = await makePki(join(tempDir('pki'), 'pki'));
    const s = await server(
      testConfig({ sources: { tls: { certFile: pki.serverCert, keyFile: pki.serverKey, caFile: pki.caCert, requireClientCert: true } } }),
    );
    const N = 1000;
    await forwardThroughRsyslog(
      { protocol: 'tls', host: '127.0.0.1', port: s.ports.tls!, caFile: pki.caCert, certFile: pki.clientCert, keyFile: pki.clientKey, authMode: 'x509/name', permittedPeer: 'localhost' },
      makeLines(N, { format: 'mixed', seed: 14 }),
    );
    expect(await waitForStored(s, N, 60_000)).toBe(N);
    const rows = await expectAllOnce(s, N);
    expect(rows.every((r) => r.transport === 'tls' && (r.peerIdentity ?? '').includes(`CN=${CLIENT_CN}`))).toBe(true);
  });

  it('TLS: an rsyslog whose client certificate is from another CA gets nothing in', async () => {
    const pki = await makePki(join(tempDir('pki'), 'pki'));
    const s = await server(
      testConfig({ sources: { tls: { certFile: pki.serverCert, keyFile: pki.serverKey, caFile: pki.caCert, requireClientCert: true } } }),
    );
    await forwardThroughRsyslog(
      { protocol: 'tls', host: '127.0.0.1', port: s.ports.tls!, caFile: pki.caCert, certFile: pki.rogueClientCert, keyFile: pki.rogueClientKey, authMode: 'x509/name', permittedPeer: 'localhost' },
      makeLines(10, { format: 'mixed', seed: 15 }),
    );
    const line = await s.waitForLog((l) => l.msg === 'TLS client rejected', 30_000);
    expect(String(line.reason)).toMatch(/^client certificate not accepted: UNABLE_TO_VERIFY_LEAF_SIGNATURE \(subject CN=router1.example.net, issuer CN=Rogue Test CA\)$/);
    expect(metric(await fetchMetrics(s), 'countersign_records_received_total')).toBe(0);
  });
});
