// Versioned schema migrations, written with Kysely's schema builder so that the PostgreSQL backend
// runs the same list. Never edit a migration that has shipped: add a new one.
import { sql, type Kysely, type Migration } from 'kysely';

export type SqlDialectName = 'sqlite' | 'postgres';

/** The migration list for one dialect; only column types differ between dialects. */
export const migrationsFor = (dialect: SqlDialectName): Record<string, Migration> => {
  const binary = dialect === 'postgres' ? sql`bytea` : sql`blob`;
  return {
    '0001_records': {
      async up(db: Kysely<unknown>) {
        await db.schema
          .createTable('connections')
          .addColumn('id', 'integer', (c) => (dialect === 'postgres' ? c.primaryKey().generatedAlwaysAsIdentity() : c.primaryKey().autoIncrement()))
          .addColumn('transport', 'text', (c) => c.notNull())
          .addColumn('peer', 'text', (c) => c.notNull())
          .addColumn('peer_identity', 'text')
          .addColumn('first_seen', 'bigint', (c) => c.notNull())
          .execute();
        await db.schema
          .createTable('record_bundles')
          .addColumn('first_seq', 'bigint', (c) => c.primaryKey().notNull())
          .addColumn('count', 'integer', (c) => c.notNull())
          .addColumn('data', binary, (c) => c.notNull())
          .execute();
        await db.schema
          .createTable('unparsed_records')
          .addColumn('seq', 'bigint', (c) => c.primaryKey().notNull())
          .addColumn('reason', 'text', (c) => c.notNull())
          .execute();
        await db.schema
          .createTable('ingest_counters')
          .addColumn('transport', 'text', (c) => c.notNull())
          .addColumn('reason', 'text', (c) => c.notNull())
          .addColumn('count', 'bigint', (c) => c.notNull())
          .addPrimaryKeyConstraint('ingest_counters_pk', ['transport', 'reason'])
          .execute();
        await db.schema
          .createTable('meta')
          .addColumn('key', 'text', (c) => c.primaryKey())
          .addColumn('value', 'text', (c) => c.notNull())
          .addColumn('updated_at', 'bigint', (c) => c.notNull().defaultTo(sql`0`))
          .execute();
      },
    },
    '0002_sessions': {
      async up(db: Kysely<unknown>) {
        // Events and sessions are derived from the records (DESIGN §5: rebuildable from the log);
        // derive_cursor in meta says how far. `data` is the whole Event as JSON, the columns are its index.
        await db.schema
          .createTable('events')
          .addColumn('id', 'bigint', (c) => c.primaryKey().notNull())
          .addColumn('seq', 'bigint', (c) => c.notNull())
          .addColumn('time', 'bigint', (c) => c.notNull())
          .addColumn('host', 'text', (c) => c.notNull())
          .addColumn('kind', 'text', (c) => c.notNull())
          .addColumn('user', 'text')
          .addColumn('target_user', 'text')
          .addColumn('effective_user', 'text')
          .addColumn('command', 'text')
          .addColumn('parser', 'text', (c) => c.notNull())
          .addColumn('session_id', 'bigint')
          .addColumn('link', 'text')
          .addColumn('why', 'text')
          .addColumn('data', 'text', (c) => c.notNull())
          .execute();
        await db.schema.createIndex('events_session').on('events').columns(['session_id', 'id']).execute();
        await db.schema.createIndex('events_seq').on('events').column('seq').execute();
        await db.schema
          .createTable('sessions')
          .addColumn('id', 'bigint', (c) => c.primaryKey().notNull())
          .addColumn('host', 'text', (c) => c.notNull())
          .addColumn('user', 'text')
          .addColumn('origin', 'text')
          .addColumn('origin_port', 'integer')
          .addColumn('auth', 'text')
          .addColumn('tty', 'text')
          .addColumn('started_at', 'bigint', (c) => c.notNull())
          .addColumn('ended_at', 'bigint')
          .addColumn('last_activity', 'bigint', (c) => c.notNull())
          .addColumn('status', 'text', (c) => c.notNull())
          .addColumn('close_reason', 'text')
          .addColumn('event_count', 'integer', (c) => c.notNull())
          .addColumn('command_count', 'integer', (c) => c.notNull())
          .addColumn('privilege_count', 'integer', (c) => c.notNull())
          .addColumn('weak_count', 'integer', (c) => c.notNull())
          .addColumn('device_type', 'text', (c) => c.notNull())
          // The sessionizer's resume state (hint keys, recent commands) while it may still change; NULL after.
          .addColumn('state', 'text')
          .execute();
        await db.schema.createIndex('sessions_started').on('sessions').column('started_at').execute();
        await db.schema.createIndex('sessions_state').on('sessions').column('state').where(sql.ref('state'), 'is not', null).execute();
        await db.schema
          .createTable('body_counters')
          .addColumn('parser', 'text', (c) => c.notNull())
          .addColumn('outcome', 'text', (c) => c.notNull())
          .addColumn('count', 'bigint', (c) => c.notNull())
          .addPrimaryKeyConstraint('body_counters_pk', ['parser', 'outcome'])
          .execute();
      },
    },
    '0003_tlog': {
      async up(db: Kysely<unknown>) {
        // The Merkle tree over the records (DESIGN §5), stored as C2SP tlog-tiles: tile (level, idx)
        // holds up to 256 hashes of tree level 8·level. The right-edge frontier makes appends O(log n).
        await db.schema
          .createTable('tlog_tiles')
          .addColumn('level', 'integer', (c) => c.notNull())
          .addColumn('idx', 'bigint', (c) => c.notNull())
          .addColumn('data', binary, (c) => c.notNull())
          .addPrimaryKeyConstraint('tlog_tiles_pk', ['level', 'idx'])
          .execute();
        await db.schema
          .createTable('tlog_state')
          .addColumn('id', 'integer', (c) => c.primaryKey())
          .addColumn('size', 'bigint', (c) => c.notNull())
          .addColumn('frontier', binary, (c) => c.notNull())
          .execute();
        await db.schema
          .createTable('tlog_checkpoints')
          .addColumn('id', 'integer', (c) => (dialect === 'postgres' ? c.primaryKey().generatedAlwaysAsIdentity() : c.primaryKey().autoIncrement()))
          .addColumn('size', 'bigint', (c) => c.notNull())
          .addColumn('root', binary, (c) => c.notNull())
          .addColumn('note', 'text', (c) => c.notNull())
          .addColumn('created_at', 'bigint', (c) => c.notNull())
          .execute();
        await db.schema.createIndex('tlog_checkpoints_size').on('tlog_checkpoints').column('size').execute();
      },
    },
    '0004_witnesses': {
      async up(db: Kysely<unknown>) {
        // What each witness last cosigned, and every cosigned checkpoint note it returned.
        await db.schema
          .createTable('tlog_witness_state')
          .addColumn('witness', 'text', (c) => c.primaryKey())
          .addColumn('size', 'bigint', (c) => c.notNull())
          .addColumn('updated_at', 'bigint', (c) => c.notNull())
          .execute();
        await db.schema
          .createTable('tlog_cosignatures')
          .addColumn('checkpoint_id', 'bigint', (c) => c.notNull())
          .addColumn('witness', 'text', (c) => c.notNull())
          .addColumn('line', 'text', (c) => c.notNull())
          .addColumn('received_at', 'bigint', (c) => c.notNull())
          .addPrimaryKeyConstraint('tlog_cosignatures_pk', ['checkpoint_id', 'witness'])
          .execute();
      },
    },
    '0005_risk': {
      async up(db: Kysely<unknown>) {
        // Rule hits (issue 7), written by the derive stage with the events they are about, and each
        // session's risk as computed from its hits (src/rules/risk.ts).
        await db.schema
          .createTable('rule_hits')
          .addColumn('event_id', 'bigint', (c) => c.notNull())
          .addColumn('rule', 'text', (c) => c.notNull())
          .addColumn('seq', 'bigint', (c) => c.notNull())
          .addColumn('session_id', 'bigint')
          .addColumn('host', 'text', (c) => c.notNull())
          .addColumn('level', 'text', (c) => c.notNull())
          .addColumn('time', 'bigint', (c) => c.notNull())
          .addPrimaryKeyConstraint('rule_hits_pk', ['event_id', 'rule'])
          .execute();
        await db.schema.createIndex('rule_hits_session').on('rule_hits').columns(['session_id', 'seq']).execute();
        await db.schema.createIndex('rule_hits_time').on('rule_hits').column('time').execute();
        await db.schema.alterTable('sessions').addColumn('risk_score', 'integer', (c) => c.notNull().defaultTo(0)).execute();
        await db.schema.alterTable('sessions').addColumn('risk_level', 'text', (c) => c.notNull().defaultTo('none')).execute();
      },
    },
    '0006_review': {
      async up(db: Kysely<unknown>) {
        // Accounts (issue 6). Password hashes are argon2id PHC strings; TOTP secrets are base32.
        await db.schema
          .createTable('users')
          .addColumn('id', 'integer', (c) => (dialect === 'postgres' ? c.primaryKey().generatedAlwaysAsIdentity() : c.primaryKey().autoIncrement()))
          .addColumn('name', 'text', (c) => c.notNull().unique())
          .addColumn('role', 'text', (c) => c.notNull())
          .addColumn('password_hash', 'text', (c) => c.notNull())
          .addColumn('must_change_password', 'integer', (c) => c.notNull().defaultTo(0))
          .addColumn('totp_secret', 'text')
          .addColumn('totp_enabled', 'integer', (c) => c.notNull().defaultTo(0))
          .addColumn('totp_last_step', 'bigint')
          .addColumn('disabled', 'integer', (c) => c.notNull().defaultTo(0))
          .addColumn('created_at', 'bigint', (c) => c.notNull())
          .execute();
        // The usernames a Countersign user acts as on hosts and devices; device_type '*' is any.
        await db.schema
          .createTable('identities')
          .addColumn('username', 'text', (c) => c.notNull())
          .addColumn('device_type', 'text', (c) => c.notNull())
          .addColumn('user_id', 'integer', (c) => c.notNull())
          .addColumn('created_at', 'bigint', (c) => c.notNull())
          .addPrimaryKeyConstraint('identities_pk', ['username', 'device_type'])
          .execute();
        await db.schema.createIndex('identities_user').on('identities').column('user_id').execute();
        // Browser sessions: only the SHA-256 of the cookie's token is kept.
        await db.schema
          .createTable('auth_sessions')
          .addColumn('token_hash', 'text', (c) => c.primaryKey())
          .addColumn('user_id', 'integer', (c) => c.notNull())
          .addColumn('csrf', 'text', (c) => c.notNull())
          .addColumn('created_at', 'bigint', (c) => c.notNull())
          .addColumn('expires_at', 'bigint', (c) => c.notNull())
          .addColumn('last_seen', 'bigint', (c) => c.notNull())
          .execute();
        // Every review action (view, replay, comment, approve, flag, resolve) is a tlog entry (an internal
        // record, seq = its leaf index); this table indexes them, and `verify` checks it against the entries.
        await db.schema
          .createTable('review_actions')
          .addColumn('seq', 'bigint', (c) => c.primaryKey().notNull())
          .addColumn('session_id', 'bigint', (c) => c.notNull())
          .addColumn('action', 'text', (c) => c.notNull())
          .addColumn('user_name', 'text', (c) => c.notNull())
          .addColumn('at', 'bigint', (c) => c.notNull())
          .addColumn('digest', 'text')
          .addColumn('event_count', 'integer')
          .addColumn('event_id', 'bigint')
          .addColumn('body', 'text')
          .execute();
        await db.schema.createIndex('review_actions_session').on('review_actions').columns(['session_id', 'seq']).execute();
        // Each session's review state under the policy, kept current by the review service.
        await db.schema
          .createTable('reviews')
          .addColumn('session_id', 'bigint', (c) => c.primaryKey().notNull())
          .addColumn('state', 'text', (c) => c.notNull())
          .addColumn('policy', 'text')
          .addColumn('required', 'text', (c) => c.notNull())
          .addColumn('event_count', 'integer', (c) => c.notNull())
          .addColumn('risk_score', 'integer', (c) => c.notNull())
          .addColumn('due_at', 'bigint')
          .addColumn('changed_since_approval', 'integer', (c) => c.notNull().defaultTo(0))
          .addColumn('updated_at', 'bigint', (c) => c.notNull())
          .execute();
        await db.schema.createIndex('reviews_state').on('reviews').columns(['state', 'due_at']).execute();
      },
    },
    '0007_review_risk_level': {
      async up(db: Kysely<unknown>) {
        // The risk level a review was decided on: a level change without a score change (an informational hit) decides again.
        await db.schema.alterTable('reviews').addColumn('risk_level', 'text', (c) => c.notNull().defaultTo('none')).execute();
      },
    },
    '0008_alerts': {
      async up(db: Kysely<unknown>) {
        // Alerts (issue 7, docs/alerts.md): one outbox row per (route, alert), the hits already taken, and
        // per-route totals. The cursor over rule_hits is meta.alerts_cursor.
        await db.schema
          .createTable('alert_outbox')
          .addColumn('id', 'integer', (c) => (dialect === 'postgres' ? c.primaryKey().generatedAlwaysAsIdentity() : c.primaryKey().autoIncrement()))
          .addColumn('route', 'text', (c) => c.notNull())
          .addColumn('kind', 'text', (c) => c.notNull())
          .addColumn('dedup_key', 'text')
          .addColumn('parent_id', 'bigint')
          .addColumn('rule', 'text')
          .addColumn('host', 'text')
          .addColumn('session_id', 'bigint')
          .addColumn('level', 'text', (c) => c.notNull())
          .addColumn('count', 'integer', (c) => c.notNull())
          .addColumn('state', 'text', (c) => c.notNull())
          .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
          .addColumn('next_attempt_at', 'bigint')
          .addColumn('last_error', 'text')
          .addColumn('window_end', 'bigint')
          .addColumn('created_at', 'bigint', (c) => c.notNull())
          .addColumn('released_at', 'bigint')
          .addColumn('delivered_at', 'bigint')
          .addColumn('payload', 'text', (c) => c.notNull())
          .execute();
        await db.schema.createIndex('alert_outbox_due').on('alert_outbox').columns(['state', 'route', 'next_attempt_at']).execute();
        await db.schema.createIndex('alert_outbox_window').on('alert_outbox').columns(['route', 'dedup_key', 'window_end']).execute();
        await db.schema.createIndex('alert_outbox_released').on('alert_outbox').columns(['route', 'released_at']).execute();
        await db.schema.createIndex('alert_outbox_parent').on('alert_outbox').column('parent_id').execute();
        await db.schema
          .createTable('alert_seen')
          .addColumn('event_id', 'bigint', (c) => c.notNull())
          .addColumn('rule', 'text', (c) => c.notNull())
          .addColumn('hit_rowid', 'bigint', (c) => c.notNull())
          .addColumn('seen_at', 'bigint', (c) => c.notNull())
          .addPrimaryKeyConstraint('alert_seen_pk', ['event_id', 'rule'])
          .execute();
        await db.schema.createIndex('alert_seen_at').on('alert_seen').column('seen_at').execute();
        await db.schema.createIndex('alert_seen_rowid').on('alert_seen').column('hit_rowid').execute();
        await db.schema
          .createTable('alert_routes')
          .addColumn('route', 'text', (c) => c.primaryKey())
          .addColumn('delivered', 'bigint', (c) => c.notNull().defaultTo(0))
          .addColumn('failed', 'bigint', (c) => c.notNull().defaultTo(0))
          .addColumn('last_success_at', 'bigint')
          .addColumn('last_error', 'text')
          .addColumn('last_error_at', 'bigint')
          .execute();
      },
    },
  };
};
