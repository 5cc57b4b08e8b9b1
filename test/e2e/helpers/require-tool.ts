// Checks that external programs an e2e suite needs (rsyslogd, logger, openssl, ...) are installed.
// In CI (CI=true) a missing tool must FAIL the suite, never skip it silently; outside CI it skips loudly.
// It must never install anything or touch the system: it only looks at PATH and rsyslog's module dir.
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';
import { describe, it } from 'vitest';

/** Debian package that provides each tool (or `rsyslog:<module>` pseudo-tool). */
export const TOOL_PACKAGES: Readonly<Record<string, string>> = {
  rsyslogd: 'rsyslog',
  'rsyslog:lmnsd_gtls': 'rsyslog-gnutls',
  'rsyslog:omrelp': 'rsyslog-relp',
  'rsyslog:imrelp': 'rsyslog-relp',
  logger: 'bsdutils',
  openssl: 'openssl',
  'gnutls-cli': 'gnutls-bin',
  'gnutls-serv': 'gnutls-bin',
  certtool: 'gnutls-bin',
  'syslog-ng': 'syslog-ng-core',
  sshd: 'openssh-server',
  ssh: 'openssh-client',
  'ssh-keygen': 'openssh-client',
  sudo: 'sudo',
  su: 'util-linux',
  auditd: 'auditd',
  auditctl: 'auditd',
  'tlog-rec-session': 'tlog',
  'tlog-rec': 'tlog',
  unshare: 'util-linux',
  chromium: 'chromium',
};

/** Directories where rsyslog keeps its loadable modules on Debian/Ubuntu (amd64, arm64) and others. */
const RSYSLOG_MODULE_DIRS = [
  '/usr/lib/x86_64-linux-gnu/rsyslog',
  '/usr/lib/aarch64-linux-gnu/rsyslog',
  '/usr/lib/rsyslog',
  '/usr/lib64/rsyslog',
];

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * Absolute path of an executable, searching PATH plus the sbin directories (rsyslogd, sshd and
 * auditd live there and a non-login CI shell may not have them on PATH). `rsyslog:<module>` names
 * resolve to the module's .so file. Returns null when not found.
 */
export function findTool(name: string): string | null {
  if (name.startsWith('rsyslog:')) {
    const mod = name.slice('rsyslog:'.length);
    for (const dir of RSYSLOG_MODULE_DIRS) {
      const p = join(dir, `${mod}.so`);
      try {
        accessSync(p, constants.R_OK);
        return p;
      } catch {
        /* try next */
      }
    }
    return null;
  }
  if (name.includes('/')) return isExecutable(name) ? name : null;
  const dirs = (process.env.PATH ?? '').split(delimiter).filter(Boolean);
  for (const extra of ['/usr/local/sbin', '/usr/sbin', '/sbin', '/usr/local/bin', '/usr/bin', '/bin']) {
    if (!dirs.includes(extra)) dirs.push(extra);
  }
  for (const dir of dirs) {
    const p = join(dir, name);
    if (isExecutable(p)) return p;
  }
  return null;
}

/** Which of the named tools are not installed. */
export function requireTools(...names: string[]): { missing: string[] } {
  return { missing: names.filter((n) => findTool(n) === null) };
}

/** Human-readable reason for one missing tool. */
export function missingToolMessage(name: string): string {
  const pkg = TOOL_PACKAGES[name];
  if (pkg) return `missing tool ${name}: install Debian package ${pkg}`;
  return `missing tool ${name}: install the Debian package that provides it (not in TOOL_PACKAGES)`;
}

/**
 * `describe` that needs external tools. All present: a normal describe. Something missing and
 * CI=true: the suite fails with one test that throws "missing tool X: install Debian package Y".
 * Missing outside CI: console.warn and describe.skip.
 */
export function describeWithTools(names: readonly string[], title: string, fn: () => void): void {
  const { missing } = requireTools(...names);
  if (missing.length === 0) {
    describe(title, fn);
    return;
  }
  const message = missing.map(missingToolMessage).join('; ');
  if (process.env.CI === 'true') {
    describe(title, () => {
      it('has the external tools it needs', () => {
        throw new Error(message);
      });
    });
    return;
  }
  console.warn(`\n*** SKIPPING e2e suite "${title}": ${message} (this would FAIL with CI=true) ***\n`);
  describe.skip(title, fn);
}
