// SIGKILL in the middle of heavy ingest (no shutdown code runs), then a restart on the same data:
// the tree and the records must still agree to the last leaf (a batch is in both or in neither),
// `countersign verify` must pass, and every record the server had reported stored is still there.
import { execFile } from 'node:child_process';
import { connect } from 'node:net';
import { blast } from './helpers/blast.js';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { openReader } from '../../src/store/index.js';
import { CLI, fetchMetrics, metric, startServer, tempDir, waitForStored, type RunningServer } from './helpers/countersign.js';

const execFileP = promisify(execFile);
const line = (conn: number, i: number): string =>
  `<38>1 2026-11-29T10:00:00Z r${conn} sshd ${1000 + conn} - - Accepted publickey for u${conn} from 10.0.0.${conn} port ${40000 + (i % 20000)} ssh2 seq=${i}\n`;


describe('SIGKILL during heavy ingest', () => {
  const servers: RunningServer[] = [];
  afterAll(async () => {
    for (const s of servers) await s.stop('SIGKILL').catch(() => undefined);
  });

  it('restarts onto a consistent store that verify passes, with every reported record kept', async () => {
    const dataDir = tempDir('crash');
    const s = await startServer({ dataDir });
    servers.push(s);
    const socks = [1, 2, 3].map(() => connect({ host: '127.0.0.1', port: s.ports.tcp! }));
    const sending = socks.map((sock, c) => blast(sock, (i) => line(c + 1, i)));
    await waitForStored(s, 40_000, 60_000);
    const reported = metric(await fetchMetrics(s), 'countersign_records_stored_total'); // stored (committed) before the kill
    expect(reported).toBeGreaterThanOrEqual(40_000);
    await s.stop('SIGKILL');
    await Promise.all(sending);

    // Restart on the same data: it must come up, accept more, and stop cleanly.
    const again = await startServer({ dataDir });
    servers.push(again);
    const more = connect({ host: '127.0.0.1', port: again.ports.tcp! });
    await new Promise<void>((resolve) => more.end(Array.from({ length: 100 }, (_, i) => line(9, i)).join(''), resolve));
    await waitForStored(again, 100, 30_000);
    expect(await again.stop('SIGTERM')).toBe(0);

    const reader = openReader(dataDir, { readonly: true });
    const stats = await reader.stats();
    await reader.close();
    expect(stats.records).toBeGreaterThanOrEqual(reported + 100);
    expect(stats.lastSeq).toBe(stats.records - 1);

    const { stdout } = await execFileP(process.execPath, [CLI, 'verify', '--json', '--data', dataDir], { timeout: 300_000, maxBuffer: 64 << 20 });
    const report = JSON.parse(stdout) as { entries: number; checkpoints: number; problems: unknown[] };
    expect(report.problems).toEqual([]);
    expect(report.entries).toBe(stats.records);
    expect(report.checkpoints).toBeGreaterThanOrEqual(1);
  }, 600_000);
});
