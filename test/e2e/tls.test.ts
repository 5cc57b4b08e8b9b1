// TLS syslog (RFC 5425) with client certificates: a sender whose certificate chains to the
// configured CA is recorded with its subject as authenticated identity; one from another CA is
// refused with a clear log line, counted, and nothing it sent is stored.
import { connect } from 'node:tls';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeWithTools } from './helpers/require-tool.js';
import { makePki, CLIENT_CN, type Pki } from './helpers/pki.js';
import { fetchMetrics, metric, runCli, startServer, tempDir, testConfig, waitForStored, type RunningServer } from './helpers/countersign.js';

const send = (port: number, pki: Pki, cert: string, key: string, lines: string[]): Promise<string | null> =>
  new Promise((resolve) => {
    const s = connect({ host: '127.0.0.1', port, ca: readFileSync(pki.caCert), cert: readFileSync(cert), key: readFileSync(key), servername: 'localhost' });
    s.on('secureConnect', () => {
      s.end(lines.map((l) => `${Buffer.byteLength(l)} ${l}`).join(''));
    });
    s.on('error', (e) => resolve(e.message));
    s.on('close', () => resolve(null));
    s.resume();
  });

describeWithTools(['openssl'], 'TLS syslog with client certificates', () => {
  let s: RunningServer;
  let pki: Pki;
  beforeAll(async () => {
    pki = await makePki(join(tempDir('pki'), 'pki'));
    s = await startServer({
      config: testConfig({
        sources: { tls: { certFile: pki.serverCert, keyFile: pki.serverKey, caFile: pki.caCert, requireClientCert: true } },
      }),
    });
  });
  afterAll(async () => {
    expect(await s.stop()).toBe(0);
  });

  it("records the verified client certificate's subject on every record", async () => {
    await send(s.ports.tls!, pki, pki.clientCert, pki.clientKey, [
      '<189>1 2026-11-26T10:00:00.000Z router1 sshd 77 - - Accepted publickey for alice',
      '<189>1 2026-11-26T10:00:01.000Z router1 sshd 77 - - session closed',
    ]);
    expect(await waitForStored(s, 2)).toBe(2);
    const all = JSON.parse(runCli(['records', '--data', s.dataDir, '--json']).stdout) as { transport: string; peerIdentity: string; envelope: { msgid: string } }[];
    // Besides the two received: the server's own first entry, the first admin's account (user.add).
    expect(all.filter((r) => r.transport === 'internal').map((r) => r.envelope.msgid)).toEqual(['user.add']);
    const rows = all.filter((r) => r.transport !== 'internal');
    expect(rows).toHaveLength(2);
    for (const r of rows) {
      expect(r.transport).toBe('tls');
      expect(r.peerIdentity).toContain(`CN=${CLIENT_CN}`);
    }
  });

  it('refuses a client whose certificate is from another CA, says so in its log, stores nothing from it', async () => {
    const before = metric(await fetchMetrics(s), 'countersign_records_received_total');
    await send(s.ports.tls!, pki, pki.rogueClientCert, pki.rogueClientKey, ['<13>1 - rogue app - - - forged']);
    const line = await s.waitForLog((l) => l.msg === 'TLS client rejected');
    expect(line.peer).toMatch(/^127\.0\.0\.1:\d+$/);
    expect(String(line.reason)).toMatch(/^client certificate not accepted: UNABLE_TO_VERIFY_LEAF_SIGNATURE \(subject CN=router1.example.net, issuer CN=Rogue Test CA\)$/);
    const m = await fetchMetrics(s);
    expect(metric(m, 'countersign_connections_total', { transport: 'tls', outcome: 'tls-handshake-failed' })).toBeGreaterThanOrEqual(1);
    expect(metric(m, 'countersign_records_rejected_total', { transport: 'tls', reason: 'tls-client-cert-refused' })).toBeGreaterThanOrEqual(1);
    expect(metric(m, 'countersign_records_received_total')).toBe(before);
  });

  it('refuses a client with no certificate at all', async () => {
    const n = s.logs.filter((l) => l.msg === 'TLS client rejected').length;
    await new Promise<void>((resolve) => {
      const c = connect({ host: '127.0.0.1', port: s.ports.tls!, ca: readFileSync(pki.caCert), servername: 'localhost' });
      c.on('secureConnect', () => c.end('<13>1 - nocert app - - - x\n'));
      c.on('error', () => resolve());
      c.on('close', () => resolve());
      c.resume();
    });
    await s.waitForLog(() => s.logs.filter((l) => l.msg === 'TLS client rejected').length > n);
    const last = s.logs.filter((l) => l.msg === 'TLS client rejected').at(-1)!;
    expect(String(last.reason)).toBe('no client certificate presented');
    expect(last.peer).toMatch(/^127\.0\.0\.1:\d+$/);
  });
});
