// `countersign verify`, as a library: recomputes every record's SHA-256 and leaf, the whole tree, every
// checkpoint's signature and root, an outside checkpoint if given, and checks the derived tables
// (events, sessions) against what the records say. Reads only; names the first thing that does not match.
import { existsSync, readFileSync } from 'node:fs';
import BetterSqlite3 from 'better-sqlite3';
import { createHash } from 'node:crypto';
import type { Event } from '../model/event.js';
import { BodyParsers } from '../parsers/body/index.js';
import { decodeBundle } from '../store/record-bundle.js';
import { openSqlite } from '../store/sqlite/open.js';
import { leafOf } from '../store/sqlite/record-writer.js';
import { appendLeaves, EMPTY_FRONTIER, frontierRoot, hashesEqual, openCheckpoint, ed25519Verifier, type Frontier, type NoteVerifier } from '../tlog/index.js';
import { logVerifierKeyFile } from './log-key.js';
import { SESSION_EVIDENCE_FORMAT, verifySessionEvidence, type SessionEvidence } from './session-evidence.js';

export const PROBLEM_KINDS = ['seq-gap', 'record-bytes', 'leaf', 'tree', 'checkpoint', 'outside-checkpoint', 'event', 'session', 'review', 'account'] as const;
export type ProblemKind = (typeof PROBLEM_KINDS)[number];

export interface Problem {
  readonly kind: ProblemKind;
  /** What does not match: "record 123", "checkpoint 7 (size 5000)", "event 42", "session 17". */
  readonly at: string;
  readonly message: string;
}

export interface VerifyReport {
  readonly entries: number;
  /** Records whose payload retention erased, each covered by a retention.prune entry. */
  readonly pruned?: number;
  readonly checkpoints: number;
  readonly events: number;
  readonly sessions: number;
  /** Review actions (approvals, comments, flags, views …) checked against their log entries. */
  readonly reviewActions?: number;
  readonly problems: readonly Problem[];
}

export interface VerifyOptions {
  /** A checkpoint note obtained elsewhere (saved by a colleague, cosigned by a witness). */
  readonly checkpointFile?: string;
  /** The log's verifier key as the operator holds it; default: the one in the data directory. */
  readonly verifierKey?: string;
  readonly onProgress?: (entries: number) => void;
  /** Stop collecting after this many problems (the first is what matters). */
  readonly maxProblems?: number;
}

const sha256 = (b: Uint8Array): Buffer => createHash('sha256').update(b).digest();

export const verifyStore = (dataDir: string, opts: VerifyOptions = {}): VerifyReport => {
  const db = openSqlite(dataDir, { readonly: true });
  try {
    return new Verifier(db, () => readFileSync(logVerifierKeyFile(dataDir), 'utf8'), opts).run();
  } finally {
    db.close();
  }
};

/** The key under which an exported bundle carries the log's verifier key (the bundle is the whole store, one file). */
export const BUNDLE_VKEY = 'bundle_log_vkey';

/** Verifies an exported bundle (`countersign export --bundle`) on a machine with no access to the server. */
export const verifyBundle = (file: string, opts: VerifyOptions = {}): VerifyReport => {
  if (!existsSync(file)) throw new Error(`${file}: no such bundle`);
  const head = readFileSync(file).subarray(0, 16).toString('latin1');
  if (head.trimStart().startsWith('{')) {
    // A session's evidence (export --session), JSON.
    const doc = JSON.parse(readFileSync(file, 'utf8')) as SessionEvidence;
    if (doc.format !== SESSION_EVIDENCE_FORMAT) throw new Error(`${file}: not a Countersign evidence file`);
    return verifySessionEvidence(doc, opts.verifierKey);
  }
  const db = new BetterSqlite3(file, { readonly: true, fileMustExist: true });
  try {
    const vkey = (): string => {
      const v = db.prepare('SELECT value FROM meta WHERE key = ?').pluck().get(BUNDLE_VKEY) as string | undefined;
      if (v === undefined) throw new Error('the bundle carries no verifier key');
      return v;
    };
    return new Verifier(db, vkey, opts).run();
  } finally {
    db.close();
  }
};

class Verifier {
  private readonly problems: Problem[] = [];
  private readonly max: number;
  constructor(
    private readonly db: BetterSqlite3.Database,
    /** The verifier key the store itself carries (data directory file, or the bundle's meta row). */
    private readonly ownKey: () => string,
    private readonly opts: VerifyOptions,
  ) {
    this.max = opts.maxProblems ?? 100;
  }

  private problem(kind: ProblemKind, at: string, message: string): void {
    if (this.problems.length < this.max) this.problems.push({ kind, at, message });
  }

  run(): VerifyReport {
    const verifier = this.verifier();
    const checkpoints = this.db.prepare('SELECT id, size, root, note FROM tlog_checkpoints ORDER BY id').all() as { id: number; size: number; root: Uint8Array; note: string }[];
    const outside = this.outsideCheckpoint(verifier);
    const wanted = new Set<number>([...checkpoints.map((c) => c.size), ...(outside ? [outside.size] : [])]);
    const roots = new Map<number, Uint8Array>();
    let frontier: Frontier = EMPTY_FRONTIER;
    if (wanted.has(0)) roots.set(0, frontierRoot(frontier));

    // Records → leaves → the tree, in seq order; compared with the stored level-0 tiles.
    const conns = new Map<number, { transport: string; peer: string; peerIdentity: string | null }>();
    const connStmt = this.db.prepare('SELECT transport, peer, peer_identity AS peerIdentity FROM connections WHERE id = ?');
    const tileStmt = this.db.prepare('SELECT data FROM tlog_tiles WHERE level = 0 AND idx = ?').pluck();
    let tile: { idx: number; data: Uint8Array | undefined } = { idx: -1, data: undefined };
    let next = 0;
    const erased: number[] = [];
    const allowed: [number, number][] = [];
    const reviewEntries = new Map<number, Record<string, unknown>>();
    const accountEntries: Record<string, unknown>[] = [];
    for (const b of this.db.prepare('SELECT first_seq, count, data FROM record_bundles ORDER BY first_seq').iterate() as Iterable<{ first_seq: number; count: number; data: Uint8Array }>) {
      if (b.first_seq !== next) this.problem('seq-gap', `record ${next}`, b.first_seq > next ? `records ${next}…${b.first_seq - 1} are missing` : `records from ${b.first_seq} are stored twice`);
      let recs;
      try {
        recs = decodeBundle(b.data);
      } catch (e) {
        this.problem('record-bytes', `records ${b.first_seq}…${b.first_seq + b.count - 1}`, `the stored bundle is damaged: ${(e as Error).message}`);
        next = b.first_seq + b.count;
        continue;
      }
      if (recs.length !== b.count) this.problem('record-bytes', `record ${b.first_seq}`, `bundle says ${b.count} records, holds ${recs.length}`);
      const leaves: Uint8Array[] = [];
      recs.forEach((r, i) => {
        const seq = b.first_seq + i;
        if (r.unparsedReason === 'pruned' && r.raw.length === 0) erased.push(seq);
        else if (!hashesEqual(sha256(r.raw), r.rawSha256)) this.problem('record-bytes', `record ${seq}`, 'its bytes do not match their SHA-256 (the record was changed)');
        else if (r.envelope?.format === 'countersign') {
          // One of Countersign's own entries; a retention.prune names the records it erased.
          try {
            const a = JSON.parse(r.envelope.msg) as { type?: string; ranges?: [number, number][] };
            if (a.type === 'retention.prune' && Array.isArray(a.ranges)) for (const [from, to] of a.ranges) if (from <= to && to < seq) allowed.push([from, to]);
            if (typeof a.type === 'string' && a.type.startsWith('review.')) reviewEntries.set(seq, a as Record<string, unknown>);
            if (typeof a.type === 'string' && a.type.startsWith('user.')) accountEntries.push(a as Record<string, unknown>);
          } catch {
            this.problem('record-bytes', `record ${seq}`, 'an internal entry that is not JSON');
          }
        }
        let c = conns.get(r.connId);
        if (c === undefined) {
          c = connStmt.get(r.connId) as typeof c;
          if (c === undefined) {
            this.problem('leaf', `record ${seq}`, `its connection ${r.connId} is missing`);
            c = { transport: '?', peer: '?', peerIdentity: null };
          }
          conns.set(r.connId, c);
        }
        const leaf = leafOf(r.receivedAt, c, r.rawSha256);
        const idx = Math.floor(seq / 256);
        if (tile.idx !== idx) tile = { idx, data: tileStmt.get(idx) as Uint8Array | undefined };
        const off = (seq % 256) * 32;
        const stored = tile.data !== undefined && tile.data.length >= off + 32 ? tile.data.subarray(off, off + 32) : undefined;
        if (stored === undefined) this.problem('tree', `record ${seq}`, 'the tree has no leaf for it');
        else if (!hashesEqual(stored, leaf)) this.problem('leaf', `record ${seq}`, 'its entry (receipt, sender, SHA-256) does not match the leaf in the tree');
        leaves.push(leaf);
      });
      for (const leaf of leaves) {
        const a = appendLeaves(frontier, [leaf]);
        if (!a.ok) throw new Error(a.error.message);
        frontier = a.value.frontier;
        if (wanted.has(frontier.size)) roots.set(frontier.size, frontierRoot(frontier));
      }
      next = b.first_seq + b.count;
      this.opts.onProgress?.(next);
    }
    const entries = frontier.size;
    for (const seq of erased) {
      if (!allowed.some(([from, to]) => seq >= from && seq <= to)) this.problem('record-bytes', `record ${seq}`, 'its payload was erased without a retention.prune entry naming it');
    }

    // The stored tree head must be the one recomputed.
    const state = this.db.prepare('SELECT size FROM tlog_state WHERE id = 1').pluck().get() as number | undefined;
    if ((state ?? 0) !== entries) this.problem('tree', 'tree state', `the stored tree has ${state ?? 0} entries, the records ${entries}`);

    for (const c of checkpoints) {
      const at = `checkpoint ${c.id} (size ${c.size})`;
      const opened = verifier === null ? null : openCheckpoint(c.note, verifier);
      if (opened !== null && !opened.ok) {
        this.problem('checkpoint', at, `its signature does not verify: ${opened.error.message}`);
        continue;
      }
      const root = roots.get(c.size);
      if (root === undefined) this.problem('checkpoint', at, `it covers ${c.size} entries; the records hold ${entries}`);
      else if (opened !== null && !hashesEqual(opened.value.checkpoint.rootHash, root)) this.problem('checkpoint', at, 'the records no longer give the root it signed: history was changed');
      else if (!hashesEqual(c.root, root)) this.problem('checkpoint', at, 'its stored root differs from the recomputed one');
    }
    if (outside) {
      const root = roots.get(outside.size);
      if (root === undefined) this.problem('outside-checkpoint', `checkpoint of size ${outside.size}`, `the log holds only ${entries} entries: it was rolled back or cut`);
      else if (!hashesEqual(root, outside.root)) this.problem('outside-checkpoint', `checkpoint of size ${outside.size}`, 'the current log is not an extension of it: history was rewritten');
    }

    const { events, sessions } = this.derived(entries);
    const reviewActions = this.reviewActions(reviewEntries);
    this.accounts(accountEntries);
    return { entries, pruned: erased.length, checkpoints: checkpoints.length, events, sessions, reviewActions, problems: this.problems };
  }

  /**
   * Every row of review_actions must be its log entry, field for field (who, what, when, which session,
   * digest, line, text), and every review entry in the log must have its row: an edited author, a
   * deleted comment or an approval slipped into the table shows here.
   */
  private reviewActions(logged: ReadonlyMap<number, Record<string, unknown>>): number {
    const has = this.db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'review_actions'").pluck().get();
    if (has === undefined) return 0;
    let n = 0;
    const seen = new Set<number>();
    for (const r of this.db.prepare('SELECT seq, session_id, action, user_name, at, digest, event_count, event_id, body FROM review_actions ORDER BY seq').iterate() as Iterable<{
      seq: number; session_id: number; action: string; user_name: string; at: number; digest: string | null; event_count: number | null; event_id: number | null; body: string | null;
    }>) {
      n++;
      const at = `review action ${r.seq}`;
      seen.add(Number(r.seq));
      const e = logged.get(Number(r.seq));
      if (e === undefined) {
        this.problem('review', at, `the log holds no review entry at ${r.seq} (a ${r.action} by ${JSON.stringify(r.user_name)} was added to the table)`);
        continue;
      }
      const fields: [string, unknown, unknown][] = [
        ['action', `review.${r.action}`, e['type']], ['user', r.user_name, e['actor']], ['session', Number(r.session_id), e['session']], ['time', Number(r.at), e['at']],
        ['digest', r.digest, e['digest'] ?? null], ['event count', r.event_count, e['eventCount'] ?? null], ['line', r.event_id === null ? null : Number(r.event_id), e['eventId'] ?? null], ['text', r.body, e['body'] ?? null],
      ];
      for (const [name, stored, entry] of fields) if (stored !== entry) this.problem('review', at, `its ${name} (${JSON.stringify(stored)}) differs from its log entry (${JSON.stringify(entry)})`);
    }
    for (const [seq, e] of logged) if (!seen.has(seq)) this.problem('review', `review action ${seq}`, `the table lacks the ${String(e['type'])} by ${JSON.stringify(e['actor'])} the log holds (it was deleted)`);
    return n;
  }

  /**
   * The users and identities tables must be what the log's user.* entries say, replayed in order: a role
   * raised, an account re-enabled or an identity unlinked by editing the database shows here.
   */
  private accounts(logged: readonly Record<string, unknown>[]): void {
    const has = this.db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'users'").pluck().get();
    if (has === undefined) return;
    const want = new Map<string, { role: string; disabled: boolean; ids: Set<string> }>();
    for (const e of logged) {
      const name = String(e['user']);
      const u = want.get(name);
      const id = `${String(e['username'])}\u0000${String(e['deviceType'])}`;
      if (e['type'] === 'user.add') want.set(name, { role: String(e['role']), disabled: false, ids: new Set() });
      else if (u === undefined) continue;
      else if (e['type'] === 'user.role') u.role = String(e['role']);
      else if (e['type'] === 'user.disable') u.disabled = true;
      else if (e['type'] === 'user.enable') u.disabled = false;
      else if (e['type'] === 'user.link') u.ids.add(id);
      else if (e['type'] === 'user.unlink') u.ids.delete(id);
    }
    const rows = this.db.prepare('SELECT id, name, role, disabled FROM users ORDER BY id').all() as { id: number; name: string; role: string; disabled: number }[];
    const idsOf = this.db.prepare('SELECT username, device_type FROM identities WHERE user_id = ?');
    for (const r of rows) {
      const at = `user ${JSON.stringify(r.name)}`;
      const w = want.get(r.name);
      if (w === undefined) {
        this.problem('account', at, 'the log holds no user.add for it (the account was added to the table)');
        continue;
      }
      want.delete(r.name);
      if (w.role !== r.role) this.problem('account', at, `its role (${r.role}) is not the one the log gives it (${w.role})`);
      if (w.disabled !== (r.disabled === 1)) this.problem('account', at, `it is ${r.disabled === 1 ? 'disabled' : 'enabled'}; the log says ${w.disabled ? 'disabled' : 'enabled'}`);
      const have = new Set((idsOf.all(r.id) as { username: string; device_type: string }[]).map((i) => `${i.username}\u0000${i.device_type}`));
      const show = (k: string) => k.replace('\u0000', ' on ');
      for (const k of have) if (!w.ids.has(k)) this.problem('account', at, `its identity ${show(k)} was never linked in the log`);
      for (const k of w.ids) if (!have.has(k)) this.problem('account', at, `its identity ${show(k)} is linked in the log but missing from the table`);
    }
    for (const name of want.keys()) this.problem('account', `user ${JSON.stringify(name)}`, 'the log adds this account; the table lacks it (it was deleted)');
  }

  private verifier(): NoteVerifier | null {
    let vkey = this.opts.verifierKey;
    if (vkey === undefined) {
      try {
        vkey = this.ownKey().trim();
      } catch {
        return null;
      }
    }
    const v = ed25519Verifier(vkey.trim());
    if (!v.ok) throw new Error(`not a verifier key: ${v.error.message}`);
    return v.value;
  }

  private outsideCheckpoint(verifier: NoteVerifier | null): { size: number; root: Uint8Array } | null {
    if (this.opts.checkpointFile === undefined) return null;
    if (verifier === null) throw new Error('no verifier key to check the outside checkpoint with (give --key)');
    const note = readFileSync(this.opts.checkpointFile, 'utf8');
    const o = openCheckpoint(note, verifier);
    if (!o.ok) throw new Error(`${this.opts.checkpointFile}: not a checkpoint signed by this log's key: ${o.error.message}`);
    return { size: o.value.checkpoint.size, root: o.value.checkpoint.rootHash };
  }

  /**
   * Events must be what the body parsers read in their records today; sessions must agree with their
   * events (host, login user, counts, start). Multi-record (auditd) events are checked for their columns only.
   */
  private derived(entries: number): { events: number; sessions: number } {
    const parsers = new BodyParsers();
    const bundle = this.db.prepare('SELECT first_seq, data FROM record_bundles WHERE first_seq <= ? ORDER BY first_seq DESC LIMIT 1');
    let cache: { first: number; recs: ReturnType<typeof decodeBundle> } | null = null;
    const recordAt = (seq: number) => {
      if (cache === null || seq < cache.first || seq >= cache.first + cache.recs.length) {
        const b = bundle.get(seq) as { first_seq: number; data: Uint8Array } | undefined;
        if (b === undefined) return undefined;
        cache = { first: b.first_seq, recs: decodeBundle(b.data) };
      }
      return cache.recs[seq - cache.first];
    };
    let events = 0;
    for (const row of this.db.prepare('SELECT id, seq, time, host, kind, user, target_user, command, parser, session_id, data FROM events ORDER BY id').iterate() as Iterable<{
      id: number; seq: number; time: number; host: string; kind: string; user: string | null; target_user: string | null; command: string | null; parser: string; session_id: number | null; data: string;
    }>) {
      events++;
      const at = `event ${row.id} (record ${row.seq})`;
      let e: Event;
      try {
        e = JSON.parse(row.data) as Event;
      } catch {
        this.problem('event', at, 'its stored event is not JSON');
        continue;
      }
      if (row.seq >= entries) {
        this.problem('event', at, 'it names a record the log does not hold');
        continue;
      }
      const cols: [string, unknown, unknown][] = [
        ['seq', row.seq, e.seq], ['time', row.time, e.time], ['host', row.host, e.host], ['kind', row.kind, e.kind],
        ['user', row.user, e.user ?? null], ['target_user', row.target_user, e.targetUser ?? null], ['command', row.command, e.command ?? null], ['parser', row.parser, e.parser],
      ];
      for (const [name, stored, inData] of cols) if (stored !== inData) this.problem('event', at, `its ${name} column (${JSON.stringify(stored)}) differs from its event (${JSON.stringify(inData)})`);
      if (e.seqs !== undefined && e.seqs.length > 1) continue; // assembled from several records: columns checked above
      const r = recordAt(row.seq);
      if (r === undefined || r.envelope === null) {
        this.problem('event', at, 'its record has no envelope to read it from');
        continue;
      }
      const d = parsers.parse({ seq: row.seq, time: r.envelope.time ?? r.receivedAt, host: e.host, envelope: r.envelope });
      const again = d.outcome.kind === 'events' ? d.outcome.events : [];
      if (e.kind !== 'unparsed' && !again.some((x) => JSON.stringify(x) === JSON.stringify(e))) this.problem('event', at, `its record does not say this (stored ${e.kind} ${JSON.stringify(e.command ?? e.user ?? '')})`);
    }

    let sessions = 0;
    const agg = this.db.prepare(`SELECT count(*) AS n, min(time) AS first,
        sum(CASE WHEN command IS NOT NULL AND kind IN ('command','privilege') THEN 1 ELSE 0 END) AS commands,
        count(DISTINCT host) AS hosts, max(host) AS host FROM events WHERE session_id = ?`);
    const login = this.db.prepare("SELECT user FROM events WHERE session_id = ? AND kind = 'login' AND user IS NOT NULL ORDER BY seq, id LIMIT 1").pluck();
    for (const s of this.db.prepare('SELECT id, host, user, started_at, event_count, command_count FROM sessions ORDER BY id').iterate() as Iterable<{
      id: number; host: string; user: string | null; started_at: number; event_count: number; command_count: number;
    }>) {
      sessions++;
      const at = `session ${s.id}`;
      const a = agg.get(s.id) as { n: number; first: number | null; commands: number | null; hosts: number; host: string | null };
      if (a.n !== s.event_count) this.problem('session', at, `it counts ${s.event_count} events, ${a.n} are attributed to it`);
      if ((a.commands ?? 0) !== s.command_count) this.problem('session', at, `it counts ${s.command_count} commands, its events hold ${a.commands ?? 0}`);
      if (a.n > 0 && (a.hosts !== 1 || a.host !== s.host)) this.problem('session', at, `its host ${JSON.stringify(s.host)} is not its events' host`);
      if (a.first !== null && a.first < s.started_at) this.problem('session', at, 'it starts after its first event');
      const u = login.get(s.id) as string | undefined;
      if (u !== undefined && u !== s.user) this.problem('session', at, `its user ${JSON.stringify(s.user)} is not the one who logged in (${JSON.stringify(u)})`);
    }
    return { events, sessions };
  }
}
