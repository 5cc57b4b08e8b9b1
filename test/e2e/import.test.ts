// `countersign import` as an operator uses it: real files of each kind (auth.log without PRI, a raw
// audit.log, `journalctl -o json`, an RFC 5424 file written by rsyslog from logger's messages), .gz,
// standard input, beside a running server. Every line ends as a record: parsed or unparsed with a reason.
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync, copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openReader } from '../../src/store/index.js';
import { describeWithTools } from './helpers/require-tool.js';
import { freePort, receiveToFileConfig, startRsyslog } from './helpers/rsyslog.js';
import { REPO, runCli, startServer, tempDir, waitForStored } from './helpers/countersign.js';

const FIX = join(REPO, 'test/fixtures/corpora');
const OPENSSH = join(FIX, 'loghub/OpenSSH_2k.head500.log');
const AUDIT = join(FIX, 'audit-userspace/test.log');
const JOURNAL = join(FIX, 'journald-json/tlog-journal-good.json');
const JOURNAL_HAND = join(FIX, 'journald-json/handwritten.json');
const SUMMARY = /^imported (\d+) records: (\d+) parsed, (\d+) unparsed$/m;

const summary = (stdout: string): [number, number, number] => {
  const m = SUMMARY.exec(stdout);
  expect(m, stdout).not.toBeNull();
  return [Number(m![1]), Number(m![2]), Number(m![3])];
};
const lines = (f: string): number => readFileSync(f, 'utf8').split('\n').filter((l) => l.trim() !== '').length;

describe('countersign import', () => {
  let data: string;
  beforeAll(() => {
    data = join(tempDir('import'), 'data');
  });

  it('tells an RFC 3164 file, a raw audit.log and journalctl -o json apart, and stores every line', () => {
    const r = runCli(['import', '--data', data, OPENSSH, AUDIT, JOURNAL]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toContain(`${OPENSSH}: detected rfc3164`);
    expect(r.stderr).toContain(`${AUDIT}: detected auditd`);
    expect(r.stderr).toContain(`${JOURNAL}: detected journald`);
    const total = lines(OPENSSH) + lines(AUDIT) + lines(JOURNAL);
    expect(summary(r.stdout)).toEqual([total, total, 0]);
  });

  it('reads .gz by content and standard input with --format', () => {
    const dir = tempDir('gz');
    const gz = join(dir, 'auth.log.1.gz');
    writeFileSync(gz, gzipSync(readFileSync(OPENSSH)));
    expect(summary(runCli(['import', '--data', data, gz]).stdout)).toEqual([500, 500, 0]);
    const r = runCli(['import', '--data', data, '--format', 'journald', '-'], readFileSync(JOURNAL_HAND));
    expect(r.status, r.stderr).toBe(0);
    expect(summary(r.stdout)).toEqual([6, 6, 0]);
  });

  it('--host names the host of audit records that carry none; the file is the peer', async () => {
    const dir = tempDir('host');
    const copy = join(dir, 'audit.log');
    copyFileSync(AUDIT, copy);
    const d2 = join(dir, 'data');
    expect(runCli(['import', '--data', d2, '--host', 'db7', copy]).status).toBe(0);
    const rows = JSON.parse(runCli(['records', '--data', d2, '--json', '--limit', '100']).stdout) as { transport: string; peer: string; envelope: { format: string; hostname: string } }[];
    expect(rows).toHaveLength(lines(AUDIT));
    for (const r of rows) expect(r).toMatchObject({ transport: 'file', peer: copy, envelope: { format: 'auditd', hostname: 'db7' } });
  });

  it('keeps lines no parser understands, as unparsed with a reason', () => {
    const dir = tempDir('junk');
    const f = join(dir, 'mixed.log');
    writeFileSync(f, 'Nov 26 10:00:00 web1 sshd[1]: fine\nthis is not syslog at all\n<999>Nov 26 10:00:00 web1 x: bad pri\n\n');
    const d2 = join(dir, 'data');
    expect(summary(runCli(['import', '--data', d2, f]).stdout)).toEqual([3, 1, 2]);
    const un = JSON.parse(runCli(['records', '--data', d2, '--json', '--kind', 'unparsed']).stdout) as { unparsedReason: string; raw: string }[];
    expect(un.map((u) => [u.unparsedReason, u.raw])).toEqual([
      ['no-envelope', 'this is not syslog at all'],
      ['bad-pri', '<999>Nov 26 10:00:00 web1 x: bad pri'],
    ]);
  });

  it('an unreadable file stops with its name and exit code 2', () => {
    const r = runCli(['import', '--data', data, '/nonexistent/auth.log']);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^countersign: \/nonexistent\/auth.log: ENOENT/m);
  });
});

describeWithTools(['rsyslogd', 'logger'], 'countersign import: an RFC 5424 file written by rsyslog', () => {
  it('detects RFC 5424 and keeps structured data', async () => {
    const dir = tempDir('r5424');
    const out = join(dir, 'messages');
    const port = await freePort();
    const rs = await startRsyslog({ dir, config: receiveToFileConfig({ port, file: out, input: 'imtcp' }) });
    try {
      for (let i = 0; i < 20; i++)
        execFileSync('logger', ['--tcp', '--rfc5424', '-n', '127.0.0.1', '-P', String(port), '-t', 'sshd', '--id=77', '--sd-id', 'origin@32473', '--sd-param', `n="${i}"`, `message ${i}`]);
      for (let t = 0; t < 100 && (readFileSync(out, { encoding: 'utf8', flag: 'a+' }).match(/\n/g) ?? []).length < 20; t++) await new Promise((r) => setTimeout(r, 50));
    } finally {
      await rs.stop();
    }
    const r = runCli(['import', '--data', join(dir, 'data'), out]);
    expect(r.stderr).toContain('detected rfc5424');
    expect(summary(r.stdout)).toEqual([20, 20, 0]);
    const rows = JSON.parse(runCli(['records', '--data', join(dir, 'data'), '--json', '--limit', '1']).stdout) as { envelope: { app: string; procid: string; structuredData: unknown; msg: string } }[];
    expect(rows[0]!.envelope).toMatchObject({ app: 'sshd', procid: '77', msg: 'message 19' });
    expect(rows[0]!.envelope.structuredData).toContainEqual({ id: 'origin@32473', params: [['n', '19']] });
  });
});

describe('countersign import beside a running server', () => {
  let s: Awaited<ReturnType<typeof startServer>>;
  beforeAll(async () => {
    s = await startServer();
  });
  afterAll(async () => {
    await s.stop();
  });

  it('shares the store: seqs stay gap-free, both kinds of record are there', async () => {
    const sock = await import('node:net').then((n) => n.connect({ host: '127.0.0.1', port: s.ports.tcp! }));
    sock.write(Array.from({ length: 1000 }, (_, i) => `<13>1 - live app - - - live ${i}\n`).join(''));
    const r = runCli(['import', '--data', s.dataDir, OPENSSH]);
    sock.end();
    expect(summary(r.stdout)).toEqual([500, 500, 0]);
    await waitForStored(s, 1000);
    const reader = openReader(s.dataDir, { readonly: true });
    try {
      // 1000 live, 500 imported, and the server's own first entry (the first admin's user.add).
      const st = await reader.stats();
      expect(st.records).toBe(1501);
      expect(st.lastSeq).toBe(1500);
      const all = await reader.latest({ limit: 1501 });
      expect(all.filter((x) => x.transport === 'file')).toHaveLength(500);
      expect(all.filter((x) => x.transport === 'tcp')).toHaveLength(1000);
      expect(all.filter((x) => x.transport === 'internal')).toHaveLength(1);
    } finally {
      await reader.close();
    }
  });
});
