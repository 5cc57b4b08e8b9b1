// Table types of the index store, as Kysely sees them. Column names are snake_case and portable:
// the same definitions serve the SQLite backend now and the PostgreSQL one later. Records are kept
// as entry bundles (record-bundle.ts): one row holds up to 256 consecutive records, because a row per
// record made SQLite the bottleneck of ingest (measured: ~3 µs of a ~4.6 µs per-record budget).
import type { Generated } from 'kysely';

export interface RecordBundlesTable {
  /** seq of the bundle's first record; its records are first_seq … first_seq + count - 1. */
  first_seq: number;
  count: number;
  /** The packed records (record-bundle.ts). */
  data: Uint8Array;
}

/** The few records no parser read, indexed so they can be listed without unpacking every bundle. */
export interface UnparsedRecordsTable {
  seq: number;
  reason: string;
}

/** One sender as one writer saw it: a TCP/TLS connection, a UDP source address, an imported file. */
export interface ConnectionsTable {
  id: Generated<number>;
  transport: string;
  peer: string;
  /** Subject of the verified TLS client certificate; NULL: the sender is not authenticated. */
  peer_identity: string | null;
  first_seen: number;
}

/** Receptions counted without a stored record (UDP dropped under overload, refused connections …). */
export interface IngestCountersTable {
  transport: string;
  reason: string;
  count: number;
}

export interface MetaTable {
  key: string;
  value: string;
  updated_at: Generated<number>;
}

/** One normalized event (DESIGN §3); `data` is the Event as JSON, the other columns index it. */
export interface EventsTable {
  id: number;
  seq: number;
  time: number;
  host: string;
  kind: string;
  user: string | null;
  target_user: string | null;
  effective_user: string | null;
  command: string | null;
  parser: string;
  session_id: number | null;
  link: string | null;
  why: string | null;
  data: string;
}

export interface SessionsTable {
  id: number;
  host: string;
  user: string | null;
  origin: string | null;
  origin_port: number | null;
  /** LoginAuth as JSON. */
  auth: string | null;
  tty: string | null;
  started_at: number;
  ended_at: number | null;
  last_activity: number;
  status: string;
  close_reason: string | null;
  event_count: number;
  command_count: number;
  privilege_count: number;
  weak_count: number;
  device_type: string;
  /** The sessionizer's resume state as JSON while the session may still change; NULL once forgotten. */
  state: string | null;
  /** From the session's rule hits (rules/risk.ts). */
  risk_score: Generated<number>;
  risk_level: Generated<string>;
}

/** One rule matching one event; written by the derive stage with the event. */
export interface RuleHitsTable {
  event_id: number;
  rule: string;
  seq: number;
  session_id: number | null;
  host: string;
  level: string;
  time: number;
}

export interface UsersTable {
  id: Generated<number>;
  name: string;
  /** 'admin' | 'reviewer' | 'viewer' */
  role: string;
  /** argon2id, PHC string. */
  password_hash: string;
  must_change_password: Generated<number>;
  /** base32; set while enrolling, used once totp_enabled. */
  totp_secret: string | null;
  totp_enabled: Generated<number>;
  /** The last TOTP time step accepted: a code is good once. */
  totp_last_step: number | null;
  disabled: Generated<number>;
  created_at: number;
}

/** A username a Countersign user acts as on hosts and devices ('*': any device type). */
export interface IdentitiesTable {
  username: string;
  device_type: string;
  user_id: number;
  created_at: number;
}

/** A browser session: the SHA-256 (hex) of the cookie token, never the token. */
export interface AuthSessionsTable {
  token_hash: string;
  user_id: number;
  csrf: string;
  created_at: number;
  expires_at: number;
  last_seen: number;
}

/** One review action; seq is its tlog entry (an internal record). */
export interface ReviewActionsTable {
  seq: number;
  session_id: number;
  /** 'view' | 'replay' | 'comment' | 'approve' | 'flag' | 'resolve' */
  action: string;
  user_name: string;
  at: number;
  /** The session digest the action was taken on (approve; others where known). */
  digest: string | null;
  event_count: number | null;
  /** The timeline line a comment is on. */
  event_id: number | null;
  body: string | null;
}

/** A session's review state under the review policy. */
export interface ReviewsTable {
  session_id: number;
  /** 'needs_review' | 'flagged' | 'approved' | 'not_required' */
  state: string;
  /** Name of the policy rule that decided it. */
  policy: string | null;
  /** Requirement as JSON: [{ group, count }]. */
  required: string;
  /** The session's event count and risk score when last evaluated: a change re-evaluates. */
  event_count: number;
  risk_score: number;
  risk_level: Generated<string>;
  due_at: number | null;
  changed_since_approval: Generated<number>;
  updated_at: number;
}

/** Records per body parser and outcome ('parsed', 'unparsed:<reason>', 'none' for records no parser claimed). */
export interface BodyCountersTable {
  parser: string;
  outcome: string;
  count: number;
}

/** One C2SP tile: up to 256 hashes of tree level 8 × level, 32 bytes each. */
export interface TlogTilesTable {
  level: number;
  idx: number;
  data: Uint8Array;
}

/** The tree's size and right-edge frontier (tlog/frontier.ts encoding); one row, id 1. */
export interface TlogStateTable {
  id: number;
  size: number;
  frontier: Uint8Array;
}

/** Every signed checkpoint ever made, kept. */
export interface TlogCheckpointsTable {
  id: Generated<number>;
  size: number;
  root: Uint8Array;
  /** The C2SP signed note: checkpoint body and signature lines. */
  note: string;
  created_at: number;
}

export interface TlogWitnessStateTable {
  witness: string;
  size: number;
  updated_at: number;
}

export interface TlogCosignaturesTable {
  checkpoint_id: number;
  witness: string;
  /** The cosignature line as the witness returned it (`— name base64`). */
  line: string;
  received_at: number;
}

/** One alert to deliver on one route (src/alerts/): a first alert, the follow-up of a folded burst, or a rate-limit summary. */
export interface AlertOutboxTable {
  id: Generated<number>;
  route: string;
  /** 'alert' | 'followup' | 'summary' */
  kind: string;
  /** rule, host and session of the hits it stands for (tab-separated); NULL for a summary. */
  dedup_key: string | null;
  /** followup: its first alert; held rows: the summary that carried them. */
  parent_id: number | null;
  rule: string | null;
  host: string | null;
  session_id: number | null;
  level: string;
  /** Hits it stands for (a follow-up: all hits of the window, the first included). */
  count: number;
  /** 'folding' | 'held' | 'pending' | 'delivered' | 'failed' | 'summarized' */
  state: string;
  attempts: Generated<number>;
  next_attempt_at: number | null;
  last_error: string | null;
  /** End of the deduplication window the row belongs to. */
  window_end: number | null;
  created_at: number;
  /** When it became deliverable (counted against the route's rate limit). */
  released_at: number | null;
  delivered_at: number | null;
  /** The rest of the alert as JSON (title, why, user, command, time, url, items). */
  payload: string;
}

/** Rule hits the alert router has taken, so a hit written again (an adopted orphan) is not alerted twice. */
export interface AlertSeenTable {
  event_id: number;
  rule: string;
  hit_rowid: number;
  seen_at: number;
}

/** Per route: deliveries and failures so far, and the last success and error. */
export interface AlertRoutesTable {
  route: string;
  delivered: number;
  failed: number;
  last_success_at: number | null;
  last_error: string | null;
  last_error_at: number | null;
}

export interface Database {
  alert_outbox: AlertOutboxTable;
  alert_seen: AlertSeenTable;
  alert_routes: AlertRoutesTable;
  rule_hits: RuleHitsTable;
  users: UsersTable;
  identities: IdentitiesTable;
  auth_sessions: AuthSessionsTable;
  review_actions: ReviewActionsTable;
  reviews: ReviewsTable;
  tlog_witness_state: TlogWitnessStateTable;
  tlog_cosignatures: TlogCosignaturesTable;
  tlog_tiles: TlogTilesTable;
  tlog_state: TlogStateTable;
  tlog_checkpoints: TlogCheckpointsTable;
  events: EventsTable;
  sessions: SessionsTable;
  body_counters: BodyCountersTable;
  record_bundles: RecordBundlesTable;
  unparsed_records: UnparsedRecordsTable;
  connections: ConnectionsTable;
  ingest_counters: IngestCountersTable;
  meta: MetaTable;
}
