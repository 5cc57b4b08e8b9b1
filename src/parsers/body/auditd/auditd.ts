// The auditd body parser: audit records (raw audit.log, or forwarded over syslog under any tag) →
// events. Stateful: the records of one kernel syscall event are held by (host, node, event id) and
// released together. Never throws, never reads the clock, does no I/O; one instance per pipeline.
//
// Forms read (see testdata/PROVENANCE.md for where each was seen):
//  - raw audit.log lines, envelope format 'auditd' (msg = the whole record);
//  - the same line as a syslog message under any tag: `type=… msg=audit(…): …` or `node=N type=…`
//    (audisp-syslog's `audisp-syslog:` tag, audispd's `audispd:` tag, rsyslog imfile tags);
//  - the kernel's printk form when no auditd runs: `kernel: audit: type=1105 audit(…): …` (numbered types);
//  - several records on one line (Wazuh's agent joins an event's records);
//  - journald's text form `audit[pid]: USER_START pid=…` (no event id: only single-record types read).
//
// Release policy (auditd's own coalescing is "EOE, or the next event after a short wait"):
//  - a record of a single-record type (USER_*, CRED_*, LOGIN, TTY, CONFIG_CHANGE, DAEMON_*, …) → events at once;
//  - syscall-event records (SYSCALL, EXECVE, CWD, PATH, PROCTITLE, …) → 'pending', until
//    (a) the event's EOE arrives, (b) `flush(now)` sees `now` at least `windowMs` (2 s) past the newest
//    record time this parser had seen when the event's first record came (time in the log's own terms,
//    so hosts with skewed clocks wait as long as the others), (c) more than `maxPending` events are held
//    (the oldest by arrival goes first), (d) an event reaches `maxRecordsPerEvent`, or (e) `flush(…, true)`.
//    Released events wait in a queue that the next `flush` returns (an event built from several records
//    carries the first one's seq, so it cannot be the answer to the record that completed it).
//  - a syscall-event record that comes after its event was released → unparsed 'orphan'.
import type { Event } from '../../../model/event.js';
import type { BodyInput, BodyParser, BodyParserFactory, ParseOutcome } from '../types.js';
import { recordEvents, syscallEvents, type Origin } from './events.js';
import { readBareRecord, readBareType, readRecords, type AuditRecord } from './record-line.js';
import { HELD_TYPES, KNOWN_TYPES } from './record-types.js';

export interface AuditdOptions {
  /** How long, in log time, a syscall event waits for its EOE. */
  readonly windowMs?: number;
  /** Held events at most (memory bound); beyond it the oldest is released incomplete. */
  readonly maxPending?: number;
  /** Records one event may gather before it is released. */
  readonly maxRecordsPerEvent?: number;
}

/** Tags audit records are forwarded under, whatever the message: the parser answers for these programs. */
const AUDIT_TAGS = ['audispd', 'audisp-syslog', 'audit', 'auditd'] as const;

const RELEASED_MEMORY = 4096;

interface Held {
  readonly host: string;
  readonly records: AuditRecord[];
  readonly seqs: number[];
  /** The event's audit time (the input time where the record has none). */
  readonly time: number;
  /** The newest record time seen when the first record came: the window is measured from here. */
  readonly arrivedAt: number;
}

export class AuditdParser implements BodyParser {
  readonly id = 'auditd';
  readonly version = 1;
  readonly programs: readonly string[] = AUDIT_TAGS;
  private readonly windowMs: number;
  private readonly maxPending: number;
  private readonly maxRecords: number;
  private readonly held = new Map<string, Held>();
  private readonly released = new Map<string, true>();
  private ready: Event[] = [];
  private newest = Number.NEGATIVE_INFINITY;

  constructor(opts: AuditdOptions = {}) {
    this.windowMs = opts.windowMs ?? 2000;
    this.maxPending = Math.max(1, opts.maxPending ?? 4096);
    this.maxRecords = Math.max(1, opts.maxRecordsPerEvent ?? 2048);
  }

  /** Audit records under any tag; journald entries from the audit transport. */
  claims(input: BodyInput): boolean {
    const env = input.envelope;
    if (env.format === 'auditd') return true;
    if (env.format === 'journald' && env.extra?._TRANSPORT === 'audit') return true;
    const m = env.msg;
    if (env.app !== undefined && (AUDIT_TAGS as readonly string[]).includes(env.app) && readBareType(m) !== undefined) return true;
    // Cheap pre-check before reading a header: `type=` within the first bytes.
    const head = m.slice(0, 300);
    if (!head.includes('type=')) return false;
    return readRecords(m.slice(0, 1024)).kind === 'records';
  }

  parse(input: BodyInput): ParseOutcome {
    try {
      return this.read(input);
    } catch (e) {
      // Defensive: a bug here must not stop the pipeline; the record is kept as unparsed.
      return { kind: 'unparsed', reason: 'malformed', message: `auditd parser error: ${e instanceof Error ? e.message : String(e)}` };
    }
  }

  flush(now: number, all: boolean): readonly Event[] {
    const out = this.ready;
    this.ready = [];
    for (const [key, h] of this.held) {
      if (all || now - h.arrivedAt >= this.windowMs) this.release(key, h, out);
    }
    return out;
  }

  /** Events held right now (for tests and metrics). */
  get pendingCount(): number {
    return this.held.size;
  }

  private read(input: BodyInput): ParseOutcome {
    const env = input.envelope;
    const ours = env.format === 'auditd' || (env.app !== undefined && (AUDIT_TAGS as readonly string[]).includes(env.app));
    const journal = env.format === 'journald' && env.extra?._TRANSPORT === 'audit';
    let records: readonly AuditRecord[];
    const r = readRecords(env.msg);
    if (r.kind === 'records') records = r.records;
    else if (r.kind === 'malformed') return { kind: 'unparsed', reason: 'malformed', message: r.message };
    else {
      const bare = ours || journal ? readBareRecord(env.msg, env.extra?._AUDIT_ID) : undefined;
      if (bare === undefined || !KNOWN_TYPES.has(bare.type)) {
        if (ours || journal) return { kind: 'unparsed', reason: env.format === 'auditd' ? 'malformed' : 'unknown-message', message: 'not an audit record' };
        return { kind: 'not-mine' };
      }
      records = [bare];
    }
    if (input.time > this.newest) this.newest = input.time;

    const events: Event[] = [];
    let heldAny = false;
    let orphan: string | undefined;
    let unknown: string | undefined;
    // Syscall-event records of this message, by event: one message holding several records of an
    // event (Wazuh's joined lines) holds the whole event, so it is read at once.
    const local = new Map<string, AuditRecord[]>();
    for (const rec of records) {
      if (!KNOWN_TYPES.has(rec.type)) {
        unknown = rec.type;
        continue;
      }
      const origin: Origin = { seqs: [input.seq], host: input.host, time: rec.time ?? input.time };
      if (!HELD_TYPES.has(rec.type)) {
        events.push(...recordEvents(rec, origin));
        continue;
      }
      const key = this.keyOf(input.host, rec);
      if (key === undefined) {
        orphan = `${rec.type} record without an audit event id: its event cannot be assembled`;
        continue;
      }
      let l = local.get(key);
      if (l === undefined) local.set(key, (l = []));
      l.push(rec);
    }
    for (const [key, recs] of local) {
      const eoe = recs.some((x) => x.type === 'EOE');
      const h = this.held.get(key);
      if (h === undefined && this.released.has(key)) {
        // The event went out already (its window passed): this record can no longer join it.
        if (!recs.every((x) => x.type === 'EOE')) orphan = `${recs[0]?.type ?? 'audit'} record arrived after its event was released`;
        continue;
      }
      if (h === undefined && records.length > 1 && (eoe || recs.some((x) => x.type === 'SYSCALL'))) {
        // The whole event is in this one message.
        const first = recs[0];
        events.push(...syscallEvents(recs, { seqs: [input.seq], host: input.host, time: first?.time ?? input.time }));
        this.remember(key);
        continue;
      }
      if (h === undefined && recs.every((x) => x.type === 'EOE')) continue; // a lone EOE closes nothing
      const g: Held = h ?? { host: input.host, records: [], seqs: [], time: recs[0]?.time ?? input.time, arrivedAt: this.newest };
      if (h === undefined) this.held.set(key, g);
      g.records.push(...recs);
      if (!g.seqs.includes(input.seq)) g.seqs.push(input.seq);
      heldAny = true;
      if (eoe || g.records.length >= this.maxRecords) this.release(key, g, this.ready);
    }
    this.bound();

    if (events.length > 0) return { kind: 'events', events };
    if (heldAny) return { kind: 'pending' };
    if (orphan !== undefined) return { kind: 'unparsed', reason: 'orphan', message: orphan };
    if (unknown !== undefined) return { kind: 'unparsed', reason: 'unknown-message', message: `unknown audit record type ${unknown}` };
    return { kind: 'events', events: [] };
  }

  /** host + node + event id; journald's form has only the serial. Undefined when the record has no id. */
  private keyOf(host: string, rec: AuditRecord): string | undefined {
    const id = rec.id ?? (rec.serial !== undefined ? `:${rec.serial}` : undefined);
    return id === undefined ? undefined : `${host}\u0000${rec.node ?? ''}\u0000${id}`;
  }

  private release(key: string, h: Held, out: Event[]): void {
    this.held.delete(key);
    this.remember(key);
    const seqs = [...h.seqs].sort((a, b) => a - b);
    out.push(...syscallEvents(h.records, { seqs, host: h.host, time: h.time }));
  }

  private remember(key: string): void {
    this.released.set(key, true);
    if (this.released.size > RELEASED_MEMORY) {
      const oldest = this.released.keys().next();
      if (oldest.done !== true) this.released.delete(oldest.value);
    }
  }

  /** The memory bound: oldest held events (by arrival) go first, incomplete. */
  private bound(): void {
    while (this.held.size > this.maxPending) {
      const first = this.held.entries().next();
      if (first.done === true) return;
      const [key, h] = first.value;
      this.release(key, h, this.ready);
    }
  }
}

export const auditd: BodyParserFactory = () => new AuditdParser();
