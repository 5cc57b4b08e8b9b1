// `countersign import`: log files into the store, with a progress bar on a terminal and a
// one-line summary. Works beside a running server (SQLite serialises the writers).
import { statSync } from 'node:fs';
import { pino } from 'pino';
import { systemClock } from '../clock.js';
import { loadConfig } from '../config/load.js';
import { InlineCommitter } from '../pipeline/committer.js';
import type { FormatHint } from '../pipeline/frame-batch.js';
import { Ingest } from '../pipeline/ingest.js';
import { ingestMetrics } from '../pipeline/metrics.js';
import { importFile, type ImportProgress } from '../sources/file-import.js';
import { openDerivedStore, openTlogStore, prepareStore } from '../store/index.js';
import { Checkpointer } from '../pipeline/checkpointer.js';
import { loadOrCreateLogKey } from '../pipeline/log-key.js';
import { BodyParsers } from '../parsers/body/index.js';
import { BodyTally, bodyInput, Deriver } from '../pipeline/derive.js';
import { tryDeriveLock } from '../pipeline/derive-lock.js';
import { loadRuleSet, ruleErrorLine, type RuleSources } from '../rules/load.js';

const mib = (n: number): string => `${(n / 1048576).toFixed(1)} MiB`;

const progressBar = (p: ImportProgress, fileNo: number, files: number): string => {
  const width = 30;
  const frac = p.bytesTotal !== null && p.bytesTotal > 0 ? Math.min(1, p.bytesRead / p.bytesTotal) : null;
  const bar = frac === null ? '' : `[${'#'.repeat(Math.round(frac * width)).padEnd(width, '.')}] ${Math.floor(frac * 100)}% `;
  return `\r${bar}${mib(p.bytesRead)}${p.bytesTotal !== null ? `/${mib(p.bytesTotal)}` : ''} ${p.frames} lines (file ${fileNo}/${files})\x1b[K`;
};

export const runImport = async (files: string[], o: { config?: string; data?: string; format: FormatHint; host?: string }): Promise<void> => {
  const config = loadConfig(o.config, o.data !== undefined ? { dataDir: o.data } : {});
  const diag = pino({ level: 'warn' }, pino.destination(2));
  await prepareStore(config.dataDir);
  const metrics = ingestMetrics();
  const committer = new InlineCommitter({ dataDir: config.dataDir, timezone: config.parsing.timezone });
  const ingest = new Ingest(committer, config.ingest, systemClock, metrics, diag);
  const tty = process.stderr.isTTY === true;
  let lastDraw = 0;
  const ranges: [first: number, count: number][] = [];
  ingest.onCommitted((first, count) => ranges.push([first, count]));
  try {
    for (const [i, file] of files.entries()) {
      let mtime: number | undefined;
      try {
        if (file !== '-') mtime = statSync(file).mtimeMs;
      } catch {
        // importFile reports the unreadable file with its reason
      }
      await importFile(
        ingest,
        {
          file,
          format: o.format,
          ...(o.host !== undefined ? { host: o.host } : {}),
          onFormat: (f, fmt) => process.stderr.write(`${tty ? '\r\x1b[K' : ''}${f}: ${fmt === 'unknown' ? 'format not recognised; each line is tried as any format' : `detected ${fmt}`}\n`),
          onProgress: (p) => {
            const now = Date.now();
            if (tty && now - lastDraw > 100) {
              lastDraw = now;
              process.stderr.write(progressBar(p, i + 1, files.length));
            }
          },
        },
        mtime,
      );
    }
    await ingest.flush();
  } finally {
    if (tty) process.stderr.write('\r\x1b[K');
    await committer.close();
  }
  const parsed = metrics.stored.get({ transport: 'file', kind: 'parsed' });
  const unparsed = metrics.stored.get({ transport: 'file', kind: 'unparsed' });
  process.stdout.write(`imported ${parsed + unparsed} records: ${parsed} parsed, ${unparsed} unparsed\n`);
  reportBodyParsers(config.dataDir, ranges);
  deriveSessions(config.dataDir, config.sessions, config.rules, tty);
  if (ranges.length > 0) {
    // A checkpoint covering what was imported (a running server also signs its own on its interval).
    const store = openTlogStore(config.dataDir);
    try {
      const c = new Checkpointer(store, loadOrCreateLogKey(config.dataDir), systemClock).make();
      if (c !== undefined) process.stdout.write(`tlog: checkpoint of ${c.size} entries signed\n`);
    } finally {
      store.close();
    }
  }
};

/** Which body parser read how many of the imported records: a regression in a parser shows here. */
const reportBodyParsers = (dataDir: string, ranges: readonly [number, number][]): void => {
  const store = openDerivedStore(dataDir);
  const parsers = new BodyParsers();
  const tally = new BodyTally();
  try {
    for (const [first, count] of ranges) {
      let after = first - 1;
      while (after < first + count - 1) {
        const recs = store.readAfter(after, 4096).filter((r) => r.seq < first + count);
        if (recs.length === 0) break;
        for (const r of recs) {
          const input = bodyInput(r);
          if (input !== null) tally.add(parsers.parse(input));
        }
        after = recs[recs.length - 1]!.seq;
      }
    }
  } finally {
    store.close();
  }
  const rows = [...tally.byParser()].sort(([a], [b]) => (a === 'none' ? 1 : b === 'none' ? -1 : a.localeCompare(b)));
  for (const [parser, c] of rows) {
    if (parser === 'none') process.stdout.write(`  no body parser: ${c.parsed + c.unparsed} records\n`);
    else process.stdout.write(`  ${parser}: ${c.parsed} parsed, ${c.unparsed} unparsed\n`);
  }
};

/** Turns the new records into events and sessions now, unless a running server is doing it. */
const deriveSessions = (dataDir: string, o: ReturnType<typeof loadConfig>['sessions'], rules: RuleSources, tty: boolean): void => {
  const lock = tryDeriveLock(dataDir);
  if ('heldBy' in lock) {
    process.stdout.write(`sessions: the running server (pid ${lock.heldBy}) derives them from these records\n`);
    return;
  }
  const loaded = loadRuleSet(rules);
  // A broken rule is refused, not fatal: the others are matched (docs/rules.md).
  for (const e of loaded.errors) process.stderr.write(`countersign: rule refused: ${ruleErrorLine(e)}\n`);
  const store = openDerivedStore(dataDir);
  try {
    const deriver = new Deriver(store, {
      clock: systemClock,
      rules: loaded.set,
      sessionizer: { idleTimeoutMs: o.idleTimeoutSeconds * 1000, graceMs: o.lateGraceSeconds * 1000, orphanWindowMs: o.orphanWaitSeconds * 1000, weakWindowMs: o.weakWindowSeconds * 1000 },
    });
    const from = deriver.cursor;
    deriver.catchUp((cursor) => {
      if (tty) process.stderr.write(`\rderiving sessions: record ${cursor}\x1b[K`);
    });
    deriver.finish();
    deriver.settle();
    if (tty) process.stderr.write('\r\x1b[K');
    process.stdout.write(`sessions: derived records ${from + 1}…${deriver.cursor}; ${deriver.openSessions} sessions still open\n`);
  } finally {
    store.close();
    lock.release();
  }
};
