import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { runRulesTest } from './test-command.js';

const run = promisify(execFile);
const root = fileURLToPath(new URL('../../', import.meta.url));
const builtin = join(root, 'src/rules/builtin');
const cli = join(root, 'dist/src/cli/main.js');

const dir = mkdtempSync(join(tmpdir(), 'cs-rules-cli-'));
const broken = join(dir, 'broken.yaml');
writeFileSync(broken, 'id: broken\ntitle: T\ndescription: D\nwhy: W\nlevel: low\nselections:\n  s:\n    command|re: "(a+)+"\ncondition: s\nexamples: {}\n');
const failing = join(dir, 'failing.yaml');
writeFileSync(failing, 'id: failing\ntitle: T\ndescription: D\nwhy: W\nlevel: low\nselections:\n  s: { user: root }\ncondition: s\nexamples:\n  match:\n    - { kind: login, user: bob }\n');

const collect = () => {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, io: { out: (l: string) => out.push(l), err: (l: string) => err.push(l) } };
};

describe('runRulesTest', () => {
  it('prints ok lines for good rules, file:line: reason for bad ones, and the exit code', () => {
    const c = collect();
    expect(runRulesTest([join(builtin, 'root-login.yaml'), broken, failing], c.io)).toBe(1);
    expect(c.out).toEqual([
      'ok root-login: 3 match, 3 nomatch examples',
      expect.stringMatching(new RegExp(`^${broken}:8: command\\|re: .*nested quantifiers`)),
      `${failing}:11: failing: examples.match[0] did not match`,
    ]);
    expect(c.err).toEqual([]);
  });

  it('exits 2 when a file is unreadable, still checking the others', () => {
    const c = collect();
    expect(runRulesTest([join(dir, 'missing.yaml'), join(builtin, 'root-login.yaml')], c.io)).toBe(2);
    expect(c.err[0]).toMatch(/missing\.yaml: cannot read the rule/);
    expect(c.out).toEqual(['ok root-login: 3 match, 3 nomatch examples']);
  });
});

describe('countersign rules test (built CLI)', () => {
  beforeAll(() => {
    // `npm test` builds dist/ first; rebuilding here would rewrite files other tests' processes are loading.
    expect(existsSync(cli), 'dist/ is missing: run npm run build (npm test does)').toBe(true);
  });

  it('passes the good files with exit 0', async () => {
    const files = ['root-login.yaml', 'interactive-root-shell.yaml', 'history-tampering.yaml'].map((f) => join(builtin, f));
    const { stdout } = await run('node', [cli, 'rules', 'test', ...files]);
    expect(stdout).toBe(
      'ok root-login: 3 match, 3 nomatch examples\nok interactive-root-shell: 4 match, 4 nomatch examples\nok history-tampering: 5 match, 4 nomatch examples\n',
    );
  });

  it('reports a broken file with exit 1', async () => {
    const r = await run('node', [cli, 'rules', 'test', join(builtin, 'root-login.yaml'), broken]).then(
      () => null,
      (e: { code: number; stdout: string }) => e,
    );
    expect(r?.code).toBe(1);
    expect(r?.stdout).toMatch(new RegExp(`^ok root-login: .*\\n${broken}:8: command\\|re: `));
  });

  it('exits 2 on an unreadable file', async () => {
    const r = await run('node', [cli, 'rules', 'test', join(dir, 'missing.yaml')]).then(
      () => null,
      (e: { code: number; stderr: string }) => e,
    );
    expect(r?.code).toBe(2);
    expect(r?.stderr).toMatch(/^countersign: .*missing\.yaml: cannot read the rule/);
  });
});
