// `countersign repeats`: marks the records whose bytes repeat, byte for byte, an earlier record from
// the same sender address over the same transport — what a RELP or TCP sender resends after a broken
// connection or a server restart (RELP has no message ids, so a resend is stored again, never dropped).
// Nothing is deleted: this names them, with the record each one repeats. Works while the server runs.
import { loadConfig } from '../config/load.js';
import { escapeControls } from '../model/escape.js';
import { openReader } from '../store/index.js';

/** The sender's address without the port: a reconnect comes from a new port. */
export const senderAddress = (peer: string): string => {
  const v6 = /^\[(.*)\]:\d+$/.exec(peer);
  if (v6) return v6[1]!;
  const v4 = /^(.*):\d+$/.exec(peer);
  return v4 ? v4[1]! : peer;
};

export interface Repeat {
  readonly seq: number;
  /** The first record with the same bytes from the same sender. */
  readonly of: number;
  readonly transport: string;
  readonly sender: string;
}

export const findRepeats = (rows: Iterable<{ seq: number; transport: string; peer: string; rawSha256: string; raw: Uint8Array }>, transport?: string): Repeat[] => {
  const first = new Map<string, number>();
  const out: Repeat[] = [];
  for (const r of rows) {
    // Countersign's own entries and erased payloads are not sender data.
    if (r.transport === 'internal' || r.raw.length === 0 || (transport !== undefined && r.transport !== transport)) continue;
    const sender = senderAddress(r.peer);
    const k = `${r.transport}\u0000${sender}\u0000${r.rawSha256}`;
    const of = first.get(k);
    if (of === undefined) first.set(k, r.seq);
    else out.push({ seq: r.seq, of, transport: r.transport, sender });
  }
  return out;
};

export const runRepeats = async (o: { config?: string; data?: string; transport?: string; json?: boolean }): Promise<void> => {
  const config = loadConfig(o.config, o.data !== undefined ? { dataDir: o.data } : {});
  const reader = openReader(config.dataDir, { readonly: true });
  try {
    const stats = await reader.stats();
    const rows = (await reader.latest({ limit: stats.records + 1 })).sort((a, b) => a.seq - b.seq);
    const repeats = findRepeats(rows, o.transport);
    if (o.json) process.stdout.write(`${JSON.stringify({ records: rows.length, repeats }, null, 2)}\n`);
    else {
      for (const r of repeats) process.stdout.write(`${r.seq}\trepeats ${r.of}\t${r.transport} ${escapeControls(r.sender)}\n`);
      process.stdout.write(`${repeats.length} of ${rows.length} records repeat an earlier record from the same sender (${new Set(repeats.map((r) => r.of)).size} originals)\n`);
    }
  } finally {
    await reader.close();
  }
};
