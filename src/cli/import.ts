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
import { prepareStore } from '../store/index.js';

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
};
