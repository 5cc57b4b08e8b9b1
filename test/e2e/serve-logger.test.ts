// A newcomer's first minutes: run the server, point util-linux `logger` at it over TCP (LF and
// octet-counted) and UDP, see the records counted in /metrics and listed by `countersign records`.
import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeWithTools } from './helpers/require-tool.js';
import { fetchMetrics, metric, runCli, startServer, waitForStored, type RunningServer } from './helpers/countersign.js';

describeWithTools(['logger'], 'serve + logger', () => {
  let s: RunningServer;
  beforeAll(async () => {
    s = await startServer();
  });
  afterAll(async () => {
    expect(await s.stop()).toBe(0);
  });

  it('stores what logger sends over TCP (LF and octet-counting) and UDP, and counts it', async () => {
    const common = ['-n', '127.0.0.1', '-t', 'cs-e2e', '--id=4242'];
    execFileSync('logger', ['--tcp', '--rfc5424', '-P', String(s.ports.tcp), ...common, 'hello over tcp lf']);
    execFileSync('logger', ['--tcp', '--rfc5424', '--octet-count', '-P', String(s.ports.tcp), ...common, 'hello over tcp octet', 'with two lines? no: one message']);
    execFileSync('logger', ['--udp', '--rfc3164', '-P', String(s.ports.udp), ...common, 'hello over udp']);
    expect(await waitForStored(s, 3)).toBe(3);

    const m = await fetchMetrics(s);
    expect(metric(m, 'countersign_records_received_total', { transport: 'tcp' })).toBe(2);
    expect(metric(m, 'countersign_records_received_total', { transport: 'udp' })).toBe(1);
    expect(metric(m, 'countersign_records_stored_total', { kind: 'parsed' })).toBe(3);
    expect(metric(m, 'countersign_records_stored_total', { kind: 'unparsed' })).toBe(0);
    expect(m).toMatch(/^countersign_store_commit_seconds_count \d+$/m);

    const out = runCli(['records', '--data', s.dataDir, '--limit', '10', '--json']);
    expect(out.stderr).toBe('');
    expect(out.status).toBe(0);
    const all = JSON.parse(out.stdout) as { seq: number; transport: string; kind: string; envelope: { format: string; app: string; procid: string; msgid: string; msg: string; time: string } }[];
    // seq 0 is the server's own first entry: the first admin's account (an internal record, user.add).
    expect(all.map((r) => r.seq)).toEqual([0, 1, 2, 3]);
    expect(all[0]).toMatchObject({ transport: 'internal', envelope: { app: 'countersign', msgid: 'user.add' } });
    const rows = all.slice(1);
    const byMsg = new Map(rows.map((r) => [r.envelope.msg, r]));
    expect(byMsg.get('hello over tcp lf')).toMatchObject({ transport: 'tcp', kind: 'parsed', envelope: { format: 'rfc5424', app: 'cs-e2e', procid: '4242' } });
    expect(byMsg.get('hello over tcp octet with two lines? no: one message')).toMatchObject({ transport: 'tcp', envelope: { format: 'rfc5424' } });
    expect(byMsg.get('hello over udp')).toMatchObject({ transport: 'udp', envelope: { format: 'rfc3164', app: 'cs-e2e', procid: '4242' } });
    for (const r of rows) expect(Math.abs(Date.parse(r.envelope.time) - Date.now())).toBeLessThan(5 * 60_000);
  });

  it('says it is healthy', async () => {
    const r = await fetch(s.url('/healthz'));
    expect(r.status).toBe(200);
    const h = (await r.json()) as { status: string; sources: { id: string }[] };
    expect(h.status).toBe('ok');
    expect(h.sources.map((x) => x.id).sort()).toEqual(['relp', 'syslog-tcp', 'syslog-tls', 'syslog-udp']);
  });

  it('prints records for people with control characters shown, not obeyed', async () => {
    execFileSync('logger', ['--tcp', '--rfc5424', '-n', '127.0.0.1', '-P', String(s.ports.tcp), '-t', 'evil', 'before\x1b[2Jafter \u202egnp.exe']);
    await waitForStored(s, 4);
    const out = runCli(['records', '--data', s.dataDir, '--limit', '1']);
    expect(out.status).toBe(0);
    expect(out.stdout).toContain('before\\x1b[2Jafter \\u202egnp.exe');
    expect(out.stdout).not.toContain('\x1b');
    expect(out.stdout).not.toContain('\u202e');
  });
});
