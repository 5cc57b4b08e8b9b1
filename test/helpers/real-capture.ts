// The real sshd/sudo/su/snoopy/tlog capture (test/fixtures/real/linux-sessions/, see its PROVENANCE.md)
// imported into a fresh data directory with `countersign import`'s own code, its progress lines muted:
// the store many in-process tests start from.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { vi } from 'vitest';
import { runImport } from '../../src/cli/import.js';

export const REAL_CAPTURE = fileURLToPath(new URL('../fixtures/real/linux-sessions/debian12-ssh-sudo-su-snoopy-tlog.rfc5424.log', import.meta.url));

/** A new data directory (named after `prefix`) holding the imported capture: records, tlog, events, sessions. */
export const importRealCapture = async (prefix: string): Promise<string> => {
  const dir = mkdtempSync(join(tmpdir(), `cs-${prefix}-`));
  const out = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
  const err = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
  try {
    await runImport([REAL_CAPTURE], { data: dir, format: 'auto' });
  } finally {
    out.mockRestore();
    err.mockRestore();
  }
  return dir;
};
