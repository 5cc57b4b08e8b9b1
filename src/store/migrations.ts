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
  };
};
