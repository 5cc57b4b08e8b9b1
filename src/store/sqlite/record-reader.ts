// Read side of the SQLite store, for the API and the CLI. Safe while another process writes (WAL).
// Records live in bundles: reading the last N unpacks the last few bundles.
import type { Kysely } from 'kysely';
import type { StoredRecord, Transport } from '../../model/record.js';
import { decodeBundle, type DecodedRecord } from '../record-bundle.js';
import type { Database } from '../schema.js';
import type { RecordQuery, RecordReader, StoreStats } from '../types.js';

const toHex = (b: Uint8Array): string => Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('hex');

interface Conn {
  transport: string;
  peer: string;
  peer_identity: string | null;
}

export class SqliteRecordReader implements RecordReader {
  constructor(private readonly k: Kysely<Database>) {}

  private async withConns(recs: { seq: number; r: DecodedRecord }[]): Promise<StoredRecord[]> {
    const ids = [...new Set(recs.map((x) => x.r.connId))];
    const conns = new Map<number, Conn>();
    if (ids.length > 0) for (const c of await this.k.selectFrom('connections').selectAll().where('id', 'in', ids).execute()) conns.set(c.id, c);
    return recs.map(({ seq, r }) => {
      const c = conns.get(r.connId);
      return {
        seq,
        receivedAt: r.receivedAt,
        transport: (c?.transport ?? 'unknown') as Transport,
        peer: c?.peer ?? 'unknown',
        peerIdentity: c?.peer_identity ?? null,
        raw: r.raw,
        rawSha256: toHex(r.rawSha256),
        kind: r.unparsedReason === null ? 'parsed' : 'unparsed',
        unparsedReason: r.unparsedReason,
        envelope: r.envelope,
      };
    });
  }

  /** The records with these seqs (any order), oldest first. */
  private async bySeqs(seqs: readonly number[]): Promise<{ seq: number; r: DecodedRecord }[]> {
    const out: { seq: number; r: DecodedRecord }[] = [];
    const sorted = [...seqs].sort((a, b) => a - b);
    let i = 0;
    while (i < sorted.length) {
      const b = await this.k.selectFrom('record_bundles').selectAll().where('first_seq', '<=', sorted[i]!).orderBy('first_seq', 'desc').limit(1).executeTakeFirst();
      if (b === undefined) break;
      const recs = decodeBundle(b.data);
      while (i < sorted.length && sorted[i]! < b.first_seq + b.count) {
        out.push({ seq: sorted[i]!, r: recs[sorted[i]! - b.first_seq]! });
        i++;
      }
    }
    return out;
  }

  async latest(q: RecordQuery): Promise<StoredRecord[]> {
    if (q.kind === 'unparsed') {
      let sel = this.k.selectFrom('unparsed_records').select('seq').orderBy('seq', 'desc').limit(q.limit);
      if (q.beforeSeq !== undefined) sel = sel.where('seq', '<', q.beforeSeq);
      const seqs = (await sel.execute()).map((x) => x.seq);
      return this.withConns(await this.bySeqs(seqs));
    }
    const picked: { seq: number; r: DecodedRecord }[] = [];
    let before = q.beforeSeq ?? Number.MAX_SAFE_INTEGER;
    while (picked.length < q.limit) {
      const bundles = await this.k.selectFrom('record_bundles').selectAll().where('first_seq', '<', before).orderBy('first_seq', 'desc').limit(8).execute();
      if (bundles.length === 0) break;
      for (const b of bundles) {
        const recs = decodeBundle(b.data);
        for (let i = recs.length - 1; i >= 0 && picked.length < q.limit; i--) {
          const seq = b.first_seq + i;
          if (seq >= before) continue;
          if (q.kind === 'parsed' && recs[i]!.unparsedReason !== null) continue;
          picked.push({ seq, r: recs[i]! });
        }
        before = b.first_seq;
        if (picked.length >= q.limit) break;
      }
    }
    return this.withConns(picked.reverse());
  }

  async stats(): Promise<StoreStats> {
    const total = await this.k
      .selectFrom('record_bundles')
      .select((eb) => [eb.fn.sum<number>('count').as('n'), eb.fn.max(eb('first_seq', '+', eb.ref('count'))).as('next')])
      .executeTakeFirstOrThrow();
    const unparsed = await this.k.selectFrom('unparsed_records').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    const counters = await this.k.selectFrom('ingest_counters').selectAll().orderBy('transport').orderBy('reason').execute();
    const next = total.next === null ? null : Number(total.next);
    return { records: Number(total.n ?? 0), unparsed: Number(unparsed.n), lastSeq: next === null ? null : next - 1, counters };
  }

  async close(): Promise<void> {
    await this.k.destroy();
  }
}
