// Every public sample of the formats Countersign reads (Linux and network devices) (copied from ../shared/corpora into the
// repository, each folder with its PROVENANCE.md), imported with the real `countersign import`: the
// per-body-parser counts it prints are pinned in golden/import-corpora.json, so a parser that starts
// missing lines shows here. Regenerate after a deliberate change with UPDATE_GOLDEN=1 and review the diff.
import { execFile } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { CLI, REPO, tempDir } from './helpers/countersign.js';

const execFileP = promisify(execFile);
const GOLDEN = join(REPO, 'test/e2e/golden/import-corpora.json');

/** Corpus folders of the Linux formats (sshd, pam, logind, sudo, su, snoopy, auditd, tlog via journald). */
const CORPUS_DIRS = ['audit-userspace', 'elastic-beats-integrations', 'go-libaudit', 'journald-json', 'laurel-auditd', 'loghub', 'snoopy', 'sudo'];
/** Samples kept beside their parser rather than under test/fixtures/corpora: the full OpenSSH_2k.log and real captures. */
const EXTRA = [
  'src/parsers/body/sshd/testdata/OpenSSH_2k.log',
  'src/parsers/body/sshd/testdata/capture-openssh-9.2-verbose.log',
  'src/parsers/body/snoopy/testdata/capture-debian-2.5.1.log',
  'src/parsers/body/tlog-rec/testdata/capture-tlog-12.1-syslog.log',
  'test/fixtures/real/linux-sessions/debian12-ssh-sudo-su-snoopy-tlog.rfc5424.log',
  // Network devices: the Cisco samples of the corpora, and tac_plus accounting files.
  'test/fixtures/corpora/elastic-beats-integrations/integrations_cisco_ios_test-cisco-ios.log',
  'src/parsers/body/cisco-ios/testdata/ossec-ciscoios.log',
  'src/parsers/body/cisco-ios/testdata/ossec-cisco-ios-ids.log',
  'src/parsers/body/cisco-ios/testdata/wazuh-cisco-ios-decoder-examples.txt',
  'src/parsers/body/cisco-ios/testdata/elastic-test-asr920.log',
  'src/parsers/body/cisco-ios/testdata/elastic-test-nexus.log',
  'src/parsers/body/tacacs/testdata/tac_plus-ios.acct',
  'src/parsers/body/tacacs/testdata/tac_plus-junos.acct',
  'src/parsers/body/tacacs/testdata/tac_plus-srlinux.log',
  'src/parsers/body/tacacs/testdata/tac_plus-faq.acct',
];

const walk = (dir: string): string[] =>
  readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? walk(p) : [p];
  });

const files = [
  ...CORPUS_DIRS.flatMap((d) => walk(join(REPO, 'test/fixtures/corpora', d)))
    .filter((p) => /\.(log|txt|json)$/.test(p) && !/cisco|LICENSE|Thunderbird/.test(p))
    .map((p) => relative(REPO, p)),
  ...EXTRA,
].sort();

interface Counts {
  records: number;
  parsed: number;
  unparsed: number;
  /** body parser → [parsed, unparsed]; 'none' → records no body parser read. */
  body: Record<string, [number, number]>;
}

/** What `countersign import` printed, as numbers. */
const readSummary = (stdout: string): Counts => {
  const head = /^imported (\d+) records: (\d+) parsed, (\d+) unparsed$/m.exec(stdout);
  if (!head) throw new Error(`no summary line in:\n${stdout}`);
  const body: Record<string, [number, number]> = {};
  for (const m of stdout.matchAll(/^ {2}([a-z0-9-]+): (\d+) parsed, (\d+) unparsed$/gm)) body[m[1]!] = [Number(m[2]), Number(m[3])];
  const none = /^ {2}no body parser: (\d+) records$/m.exec(stdout);
  if (none) body.none = [Number(none[1]), 0];
  return { records: Number(head[1]), parsed: Number(head[2]), unparsed: Number(head[3]), body };
};

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

const importOne = async (file: string): Promise<Counts> => {
  const data = tempDir('import-corpora');
  dirs.push(data);
  const { stdout } = await execFileP(process.execPath, [CLI, 'import', '--data', data, join(REPO, file)], { timeout: 120_000, maxBuffer: 16 << 20 });
  return readSummary(stdout);
};

describe('countersign import over every Linux-format corpus sample', () => {
  it('prints per-parser counts that match the pinned ones', async () => {
    expect(files.length).toBeGreaterThan(40);
    const got: Record<string, Counts> = {};
    // Two at a time: each import is its own process with its own store.
    const queue = [...files];
    await Promise.all(
      [0, 1].map(async () => {
        for (let f = queue.shift(); f !== undefined; f = queue.shift()) got[f] = await importOne(f);
      }),
    );
    const sorted = Object.fromEntries(Object.keys(got).sort().map((k) => [k, got[k]]));
    if (process.env.UPDATE_GOLDEN === '1') writeFileSync(GOLDEN, `${JSON.stringify(sorted, null, 1)}\n`);
    expect(existsSync(GOLDEN), 'golden file missing: run with UPDATE_GOLDEN=1 and review it').toBe(true);
    expect(sorted).toEqual(JSON.parse(readFileSync(GOLDEN, 'utf8')));
    // Every record of these files is stored: parsed or unparsed with a reason, none lost.
    for (const [f, c] of Object.entries(got)) expect(c.parsed + c.unparsed, f).toBe(c.records);
  }, 600_000);
});
