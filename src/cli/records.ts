// `countersign records`: the last N records with their envelope, as a table for people or JSON for tools.
// Everything printed from a record goes through escapeControls or JSON escaping: log content is hostile.
import { loadConfig } from '../config/load.js';
import { escapeControls } from '../model/escape.js';
import type { StoredRecord } from '../model/record.js';
import { openReader } from '../store/index.js';

const iso = (ms: number | undefined): string | null => (ms === undefined ? null : new Date(ms).toISOString());

export const recordJson = (r: StoredRecord): object => ({
  seq: r.seq,
  receivedAt: iso(r.receivedAt),
  transport: r.transport,
  peer: r.peer,
  peerIdentity: r.peerIdentity,
  kind: r.kind,
  unparsedReason: r.unparsedReason,
  rawSha256: r.rawSha256,
  raw: Buffer.from(r.raw).toString('utf8'),
  rawBase64: Buffer.from(r.raw).toString('base64'),
  envelope: r.envelope === null ? null : { ...r.envelope, time: iso(r.envelope.time) },
});

const line = (r: StoredRecord): string => {
  const e = r.envelope;
  const when = iso(e?.time ?? r.receivedAt) ?? '';
  if (e === null) return `${r.seq}\t${when}\t${r.transport} ${r.peer}\tUNPARSED(${r.unparsedReason})\t${escapeControls(Buffer.from(r.raw).toString('utf8'))}`;
  const who = `${e.hostname ?? '-'} ${e.app ?? '-'}${e.procid !== undefined ? `[${e.procid}]` : ''}`;
  return `${r.seq}\t${when}\t${r.transport} ${r.peer}${r.peerIdentity !== null ? ` (${r.peerIdentity})` : ''}\t${escapeControls(who)}: ${escapeControls(e.msg)}`;
};

export const runRecords = async (o: { config?: string; data?: string; limit: number; kind?: 'parsed' | 'unparsed'; json?: boolean }): Promise<void> => {
  const config = loadConfig(o.config, o.data !== undefined ? { dataDir: o.data } : {});
  const reader = openReader(config.dataDir, { readonly: true });
  try {
    const rows = await reader.latest({ limit: o.limit, ...(o.kind !== undefined ? { kind: o.kind } : {}) });
    if (o.json) process.stdout.write(`${JSON.stringify(rows.map(recordJson), null, 2)}\n`);
    else for (const r of rows) process.stdout.write(`${line(r)}\n`);
  } finally {
    await reader.close();
  }
};
