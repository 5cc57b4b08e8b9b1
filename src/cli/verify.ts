// `countersign verify`: the offline check of a data directory (DESIGN §5). Exit 0 intact, 1 something
// does not match (the first such thing is named), 2 it could not run.
import { loadConfig } from '../config/load.js';
import { CS_ERR } from '../errors.js';
import { escapeControls } from '../model/escape.js';
import { storePath } from '../store/index.js';
import { existsSync, readFileSync } from 'node:fs';
import { verifyBundle, verifyStore } from '../pipeline/verify.js';

export const runVerify = (o: { config?: string; data?: string; bundle?: string; checkpoint?: string; key?: string; json?: boolean }): void => {
  const config = loadConfig(o.config, o.data !== undefined ? { dataDir: o.data } : {});
  if (o.bundle === undefined && !existsSync(storePath(config.dataDir))) throw CS_ERR.storeNotFound(storePath(config.dataDir));
  const key = o.key === undefined ? undefined : existsSync(o.key) ? readFileSync(o.key, 'utf8').trim() : o.key;
  const tty = process.stderr.isTTY === true;
  let report;
  try {
    const run = o.bundle !== undefined ? (opts: Parameters<typeof verifyStore>[1]) => verifyBundle(o.bundle!, opts) : (opts: Parameters<typeof verifyStore>[1]) => verifyStore(config.dataDir, opts);
    report = run({
      ...(o.checkpoint !== undefined ? { checkpointFile: o.checkpoint } : {}),
      ...(key !== undefined ? { verifierKey: key } : {}),
      onProgress: (n) => {
        if (tty && n % 65536 < 256) process.stderr.write(`\rverifying: ${n} entries\x1b[K`);
      },
    });
  } catch (e) {
    throw CS_ERR.badArgument(String((e as Error).message));
  } finally {
    if (tty) process.stderr.write('\r\x1b[K');
  }
  if (o.json) process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  else {
    const what = `${report.entries} entries${report.pruned ? ` (${report.pruned} pruned by retention)` : ''}, ${report.checkpoints} checkpoints, ${report.events} events, ${report.sessions} sessions${report.reviewActions ? `, ${report.reviewActions} review actions` : ''}`;
    if (report.problems.length === 0) process.stdout.write(`intact: ${what}${o.checkpoint !== undefined ? '; extends the given checkpoint' : ''}\n`);
    else {
      const first = report.problems[0]!;
      process.stdout.write(`NOT INTACT: ${escapeControls(first.at)}: ${escapeControls(first.message)}\n`);
      for (const p of report.problems.slice(1, 20)) process.stdout.write(`  also ${escapeControls(p.at)}: ${escapeControls(p.message)}\n`);
      if (report.problems.length > 20) process.stdout.write(`  … and ${report.problems.length - 20} more\n`);
      process.stdout.write(`checked ${what}\n`);
    }
  }
  if (report.problems.length > 0) process.exitCode = 1;
};
