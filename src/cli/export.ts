// `countersign export --bundle FILE`: the whole store as one file an outsider can verify without the
// server (`countersign verify --bundle FILE`): records, the tree, every checkpoint (a fresh one signed
// first), the derived tables, and the log's verifier key. A consistent snapshot even while serve runs.
import { existsSync, writeFileSync } from 'node:fs';
import BetterSqlite3 from 'better-sqlite3';
import { systemClock } from '../clock.js';
import { loadConfig } from '../config/load.js';
import { CS_ERR } from '../errors.js';
import { Checkpointer } from '../pipeline/checkpointer.js';
import { loadOrCreateLogKey } from '../pipeline/log-key.js';
import { BUNDLE_VKEY } from '../pipeline/verify.js';
import { openSessionReader, openTlogStore, prepareStore, storePath } from '../store/index.js';
import { SESSION_EVIDENCE_FORMAT, type SessionEvidence } from '../pipeline/session-evidence.js';
import { openSqlite } from '../store/sqlite/open.js';

export const runExport = async (o: { config?: string; data?: string; bundle: string; session?: string }): Promise<void> => {
  const config = loadConfig(o.config, o.data !== undefined ? { dataDir: o.data } : {});
  if (!existsSync(storePath(config.dataDir))) throw CS_ERR.storeNotFound(storePath(config.dataDir));
  if (existsSync(o.bundle)) throw CS_ERR.badArgument(`${o.bundle} exists; export does not overwrite`);
  if (o.session !== undefined) return exportSession(config.dataDir, o.session, o.bundle);
  await prepareStore(config.dataDir);
  const key = loadOrCreateLogKey(config.dataDir);
  const tlog = openTlogStore(config.dataDir);
  let size: number;
  try {
    size = new Checkpointer(tlog, key, systemClock).make()?.size ?? 0;
  } finally {
    tlog.close();
  }
  const db = openSqlite(config.dataDir, { readonly: true });
  try {
    db.prepare('VACUUM INTO ?').run(o.bundle); // one read transaction: a consistent copy
  } catch (e) {
    throw CS_ERR.badArgument(`${o.bundle}: cannot write the bundle: ${(e as Error).message}`);
  } finally {
    db.close();
  }
  const out = new BetterSqlite3(o.bundle);
  try {
    out.prepare('INSERT INTO meta (key, value, updated_at) VALUES (?, ?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value').run(BUNDLE_VKEY, key.verifierKey, systemClock.now());
  } finally {
    out.close();
  }
  process.stdout.write(`exported ${size} entries with their checkpoints to ${o.bundle}; check it anywhere with: countersign verify --bundle ${o.bundle} --key '${key.verifierKey}'\n`);
};

/** One session's evidence as a JSON file (pipeline/session-evidence.ts): what an outside auditor checks. */
const exportSession = async (dataDir: string, idText: string, file: string): Promise<void> => {
  const id = Number(idText);
  if (!Number.isSafeInteger(id)) throw CS_ERR.badArgument(`session id: expected a number, got ${idText}`);
  await prepareStore(dataDir);
  const reader = openSessionReader(dataDir);
  const detail = await reader.get(id);
  await reader.close();
  if (detail === null) throw CS_ERR.notFound(`no session ${id}`);
  const key = loadOrCreateLogKey(dataDir);
  const tlog = openTlogStore(dataDir);
  try {
    new Checkpointer(tlog, key, systemClock).make();
    const c = tlog.latestCosigned();
    if (c === undefined) throw CS_ERR.notFound('no checkpoint');
    const seqs = [...new Set(detail.events.flatMap((e) => e.event.seqs ?? [e.seq]))].sort((a, b) => a - b);
    const records = seqs.map((index) => {
      const entry = tlog.entries(index, index + 1)[0];
      const raw = tlog.recordRaw(index);
      const proof = tlog.inclusion(index, c.size);
      if (entry === undefined || raw === undefined || !proof.ok) throw CS_ERR.notFound(`record ${index} of the session is not in the log`);
      return { index, entry: entry.entry, raw: Buffer.from(raw).toString('base64'), proof: proof.value.map((h) => Buffer.from(h).toString('base64')) };
    });
    const doc: SessionEvidence = { format: SESSION_EVIDENCE_FORMAT, session: detail.session, checkpoint: c.note, verifierKey: key.verifierKey, records, events: detail.events };
    writeFileSync(file, `${JSON.stringify(doc, null, 1)}\n`, { flag: 'wx' });
    process.stdout.write(`exported session ${id}: ${records.length} records with inclusion proofs against the checkpoint of ${c.size} entries, to ${file}; check it anywhere with: countersign verify --bundle ${file} --key '${key.verifierKey}'\n`);
  } finally {
    tlog.close();
  }
};
