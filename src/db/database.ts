/**
 * The one place that knows about dialects. `openDatabase()` gives a Kysely
 * instance on SQLite (a file path or ':memory:') or on PostgreSQL
 * (`postgres://...`); `migrateToLatest()` brings its schema up to date.
 */
import { closeSync, openSync } from 'node:fs'
import SQLite from 'better-sqlite3'
import { Kysely, Migrator, PostgresAdapter, PostgresDialect, SqliteDialect, sql, type Migration, type MigrationResultSet } from 'kysely'
import pg from 'pg'
import * as core from './migrations/2026-11-24-01-core.ts'
import * as followup from './migrations/2026-11-24-02-followup.ts'
import * as room from './migrations/2026-11-24-03-room.ts'
import * as networks from './migrations/2026-11-26-01-networks.ts'
import * as loginFailures from './migrations/2026-11-26-02-login-failures.ts'
import * as reach from './migrations/2026-11-26-03-reach.ts'
import * as lab from './migrations/2026-11-26-04-lab.ts'
import * as memory from './migrations/2026-11-26-05-memory.ts'
import * as privacy from './migrations/2026-11-26-06-privacy.ts'
import * as stablePseudonyms from './migrations/2026-11-26-07-stable-pseudonyms.ts'
import * as trialWeights from './migrations/2026-11-26-08-trial-weights.ts'
import * as participantLocale from './migrations/2026-11-26-09-participant-locale.ts'
import type { Database } from './schema.ts'

/** Migrations in order; a new one is added at the end, named by date. */
export const migrations: Record<string, Migration> = {
  '2026-11-24-01-core': core,
  '2026-11-24-02-followup': followup,
  '2026-11-24-03-room': room,
  '2026-11-26-01-networks': networks,
  '2026-11-26-02-login-failures': loginFailures,
  '2026-11-26-03-reach': reach,
  '2026-11-26-04-lab': lab,
  '2026-11-26-05-memory': memory,
  '2026-11-26-06-privacy': privacy,
  '2026-11-26-07-stable-pseudonyms': stablePseudonyms,
  '2026-11-26-08-trial-weights': trialWeights,
  '2026-11-26-09-participant-locale': participantLocale,
}

export type DatabaseDialect = 'sqlite' | 'postgres'

export interface OpenedDatabase {
  db: Kysely<Database>
  dialect: DatabaseDialect
}

/** `url`: a postgres:// or postgresql:// URL, or a SQLite file path, or ':memory:'. */
export function openDatabase(url: string): OpenedDatabase {
  if (/^postgres(ql)?:\/\//.test(url)) {
    // PostgreSQL returns bigint counts as strings and numeric as strings; we
    // use integer and double precision only, which pg parses as numbers.
    pg.types.setTypeParser(pg.types.builtins.INT8, (v) => Number(v))
    const pool = new pg.Pool({ connectionString: url, max: 10 })
    return { db: new Kysely<Database>({ dialect: new PostgresDialect({ pool }) }), dialect: 'postgres' }
  }
  // owner-only: the file holds token hashes and personal data. SQLite gives
  // the -wal and -shm files the mode of the database file.
  if (url !== ':memory:' && url !== '') closeSync(openSync(url, 'a', 0o600))
  const sqlite = new SQLite(url)
  sqlite.pragma('foreign_keys = ON')
  if (url !== ':memory:') sqlite.pragma('journal_mode = WAL')
  sqlite.pragma('busy_timeout = 5000')
  return { db: new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) }), dialect: 'sqlite' }
}

export async function migrateToLatest(db: Kysely<Database>): Promise<void> {
  await runMigrations(db, (migrator) => migrator.migrateToLatest())
}

/** Migrates up to (and including) `name`: tests of a migration on data of the schema before it. */
export async function migrateTo(db: Kysely<Database>, name: string): Promise<void> {
  await runMigrations(db, (migrator) => migrator.migrateTo(name))
}

async function runMigrations(db: Kysely<Database>, run: (migrator: Migrator) => Promise<MigrationResultSet>): Promise<void> {
  // On PostgreSQL, Kysely looks for its migration tables in every schema unless
  // told which one: name the current schema (the tests give each its own).
  let migrationTableSchema: string | undefined
  if (db.getExecutor().adapter instanceof PostgresAdapter) {
    const { rows } = await sql<{ schema: string }>`select current_schema() as schema`.execute(db)
    migrationTableSchema = rows[0]?.schema
  }
  const migrator = new Migrator({
    db,
    provider: { getMigrations: async () => migrations },
    ...(migrationTableSchema ? { migrationTableSchema } : {}),
  })
  const { error, results } = await run(migrator)
  const failed = results?.find((r) => r.status === 'Error')
  if (error || failed) {
    throw new Error(`migration ${failed?.migrationName ?? ''} failed: ${String(error)}`)
  }
}
