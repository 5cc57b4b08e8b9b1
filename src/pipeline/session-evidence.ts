// Evidence for outsiders (DESIGN §5): one session's records, each with its tlog entry and an inclusion
// proof against one signed (and, where witnesses gave them, cosigned) checkpoint, as a single JSON file;
// and the check of such a file on a machine with no access to the server. The check trusts only the
// verifier key the auditor supplies.
import { createHash } from 'node:crypto';
import type { Session } from '../model/session.js';
import type { SessionEvent } from '../model/session-view.js';
import { BodyParsers } from '../parsers/body/index.js';
import { parseEnvelope } from '../parsers/envelope/index.js';
import { ed25519Verifier, leafHash, openCheckpoint, verifyInclusion } from '../tlog/index.js';
import type { Problem, VerifyReport } from './verify.js';

export const SESSION_EVIDENCE_FORMAT = 'countersign-session-evidence/1';

export interface SessionEvidence {
  readonly format: typeof SESSION_EVIDENCE_FORMAT;
  readonly session: Session;
  /** The checkpoint every proof leads to: a C2SP signed note, with witness cosignatures if any. */
  readonly checkpoint: string;
  readonly verifierKey: string;
  readonly records: readonly {
    readonly index: number;
    /** The entry's canonical JSON, as hashed into the leaf. */
    readonly entry: string;
    /** The record's bytes, base64. */
    readonly raw: string;
    readonly proof: readonly string[];
  }[];
  readonly events: readonly SessionEvent[];
}

const b64 = (s: string): Uint8Array => new Uint8Array(Buffer.from(s, 'base64'));

/** Checks a session evidence file: checkpoint signature, every record against its entry and proof, every event against its record. */
export const verifySessionEvidence = (doc: SessionEvidence, verifierKey: string | undefined): VerifyReport => {
  const problems: Problem[] = [];
  const key = ed25519Verifier((verifierKey ?? doc.verifierKey).trim());
  if (!key.ok) throw new Error(`not a verifier key: ${key.error.message}`);
  const cp = openCheckpoint(doc.checkpoint, key.value);
  if (!cp.ok) {
    problems.push({ kind: 'checkpoint', at: 'checkpoint', message: `its signature does not verify: ${cp.error.message}` });
    return { entries: doc.records.length, checkpoints: 1, events: doc.events.length, sessions: 1, problems };
  }
  const { size, rootHash } = cp.value.checkpoint;
  const raws = new Map<number, Uint8Array>();
  for (const r of doc.records) {
    const at = `record ${r.index}`;
    const raw = b64(r.raw);
    raws.set(r.index, raw);
    let entry: { rawSha256?: string };
    try {
      entry = JSON.parse(r.entry) as { rawSha256?: string };
    } catch {
      problems.push({ kind: 'leaf', at, message: 'its entry is not JSON' });
      continue;
    }
    if (entry.rawSha256 !== createHash('sha256').update(raw).digest('hex')) problems.push({ kind: 'record-bytes', at, message: 'its bytes do not match the SHA-256 in its entry' });
    const v = verifyInclusion(leafHash(Buffer.from(r.entry, 'utf8')), r.index, size, r.proof.map(b64), rootHash);
    if (!v.ok) problems.push({ kind: 'leaf', at, message: `its entry is not in the signed tree: ${v.error.message}` });
  }
  // Every event must be what its record says, read by today's parsers.
  const parsers = new BodyParsers();
  for (const e of doc.events) {
    const at = `event ${e.id} (record ${e.seq})`;
    const raw = raws.get(e.seq);
    if (raw === undefined) {
      problems.push({ kind: 'event', at, message: 'its record is not in the evidence' });
      continue;
    }
    if (e.event.seqs !== undefined && e.event.seqs.length > 1) continue;
    const env = parseEnvelope(raw, { receivedAt: e.event.time, timezone: 'UTC' });
    const again = env.ok ? parsers.parse({ seq: e.seq, time: env.value.time ?? e.event.time, host: e.event.host, envelope: env.value }) : undefined;
    const events = again?.outcome.kind === 'events' ? again.outcome.events : [];
    const same = events.some((x) => x.kind === e.event.kind && (x.command ?? null) === (e.event.command ?? null) && (x.user ?? null) === (e.event.user ?? null) && (x.targetUser ?? null) === (e.event.targetUser ?? null));
    if (e.kind !== 'unparsed' && !same) problems.push({ kind: 'event', at, message: 'its record does not say this' });
  }
  const hosts = new Set(doc.events.map((e) => e.event.host));
  if (hosts.size > 1 || (hosts.size === 1 && !hosts.has(doc.session.host))) problems.push({ kind: 'session', at: `session ${doc.session.id}`, message: 'its host is not its events\' host' });
  if (doc.events.length !== doc.session.eventCount) problems.push({ kind: 'session', at: `session ${doc.session.id}`, message: `it counts ${doc.session.eventCount} events, the evidence holds ${doc.events.length}` });
  return { entries: doc.records.length, checkpoints: 1, events: doc.events.length, sessions: 1, problems };
};
