// Retention rules in the server's configuration: old payloads are erased on schedule while the server
// receives, the erasure is an entry of the log, and verify afterwards says intact with the records pruned.
import { execFile } from 'node:child_process';
import { connect } from 'node:net';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { CLI, startServer, testConfig, waitForStored, type RunningServer } from './helpers/countersign.js';

const execFileP = promisify(execFile);

describe('retention rules', () => {
  let s: RunningServer | undefined;
  afterAll(async () => {
    await s?.stop();
  });

  it('erase old payloads on schedule, and the log still verifies with them counted as pruned', async () => {
    s = await startServer({ config: testConfig({ retention: { rules: [{ olderThanDays: 30, host: 'old-router' }], intervalHours: 0.0003 } }) });
    const old = '<189>1 2020-01-01T00:00:00Z old-router mgd 4242 UI_CMDLINE_READ_LINE - User \'admin\', command \'show route \'\n';
    const recent = `<189>1 ${new Date().toISOString()} old-router mgd 4243 UI_CMDLINE_READ_LINE - User 'admin', command 'show version '\n`;
    const other = '<189>1 2020-01-01T00:00:00Z other-router mgd 1 UI_CMDLINE_READ_LINE - User \'bob\', command \'show system uptime \'\n';
    await new Promise<void>((resolve) => {
      const c = connect({ host: '127.0.0.1', port: s!.ports.tcp! }, () => c.end(old + recent + other, resolve));
    });
    expect(await waitForStored(s, 3, 30_000)).toBeGreaterThanOrEqual(3);
    const line = await s.waitForLog((l) => l.msg === 'retention: payloads erased, leaves kept, erasure logged', 30_000);
    expect(line.pruned).toBe(1);
    await s.stop();
    const { stdout } = await execFileP(process.execPath, [CLI, 'verify', '--json', '--data', s.dataDir]);
    const report = JSON.parse(stdout) as { entries: number; pruned: number; problems: unknown[] };
    expect(report.problems).toEqual([]);
    expect(report.pruned).toBe(1);
    expect(report.entries).toBe(5); // the first admin's user.add, three received, one retention.prune entry
    const recs = JSON.parse((await execFileP(process.execPath, [CLI, 'records', '--json', '--data', s.dataDir])).stdout) as { raw: string; unparsedReason: string | null; transport: string }[];
    expect(recs.map((r) => [r.transport, r.unparsedReason])).toEqual([['internal', null], ['tcp', 'pruned'], ['tcp', null], ['tcp', null], ['internal', null]]);
    expect(recs[1]!.raw).toBe('');
    s = undefined;
  }, 120_000);
});
