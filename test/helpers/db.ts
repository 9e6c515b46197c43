/**
 * A fresh, migrated database per test. On SQLite (always) it is a new
 * in-memory database; `dialects` also lists 'postgres' when
 * TEST_POSTGRES_URL is set, where each dbTest() block gets its own schema,
 * emptied before each test and dropped after the block.
 *
 *   import { dbTest, dialects } from '../helpers/db.ts'
 *   describe.each(dialects)('%s', (dialect) => {
 *     const test = dbTest(dialect)
 *     test('…', async ({ db }) => { … })
 *   })
 */
import { randomBytes } from 'node:crypto'
import { Kysely, PostgresDialect, sql } from 'kysely'
import pg from 'pg'
import { afterAll, test as base } from 'vitest'
import { migrateTo, migrateToLatest, openDatabase, type DatabaseDialect } from '../../src/db/database.ts'
import type { Database } from '../../src/db/schema.ts'

const postgresUrl = process.env.TEST_POSTGRES_URL

/** Under CI a missing dependency fails the run: a suite skipped there would pass unseen. */
export const isCi = /^(true|1)$/i.test(process.env.CI ?? '')
if (isCi && !postgresUrl) {
  throw new Error('CI=true but TEST_POSTGRES_URL is not set: the PostgreSQL suites cannot run (set it, e.g. postgres://postgres:postgres@127.0.0.1:5432/speeddating_test)')
}

export const dialects: DatabaseDialect[] = postgresUrl ? ['sqlite', 'postgres'] : ['sqlite']

/** `upTo`: stop after this migration (to test a later one on data of the older schema). */
export async function freshDatabase(dialect: DatabaseDialect, options: { upTo?: string } = {}): Promise<{ db: Kysely<Database>; drop: () => Promise<void> }> {
  const migrate = options.upTo ? (db: Kysely<Database>) => migrateTo(db, options.upTo!) : migrateToLatest
  if (dialect === 'sqlite') {
    const { db } = openDatabase(':memory:')
    await migrate(db)
    return { db, drop: () => db.destroy() }
  }
  if (!postgresUrl) throw new Error('TEST_POSTGRES_URL is not set')
  const schema = `t_${randomBytes(6).toString('hex')}`
  const admin = new pg.Client({ connectionString: postgresUrl })
  await admin.connect()
  await admin.query(`create schema ${schema}`)
  await admin.end()
  pg.types.setTypeParser(pg.types.builtins.INT8, (v) => Number(v))
  const pool = new pg.Pool({ connectionString: postgresUrl, max: 4, options: `-c search_path=${schema} -c synchronous_commit=off` })
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) })
  await migrate(db)
  return {
    db,
    drop: async () => {
      await sql`drop schema ${sql.id(schema)} cascade`.execute(db)
      await db.destroy()
    },
  }
}

export function dbTest(dialect: DatabaseDialect) {
  if (dialect === 'postgres') return postgresTest()
  return base.extend<{ db: Kysely<Database> }>({
    db: async ({}, use) => {
      const { db, drop } = await freshDatabase(dialect)
      await use(db)
      await drop()
    },
  })
}

/**
 * On PostgreSQL, creating and migrating a schema costs a few hundred
 * milliseconds: each dbTest() block migrates one schema, on its first test,
 * and empties every table before each test (tests of a block run one after
 * the other), then drops the schema after the block.
 */
function postgresTest() {
  let shared: Promise<{ db: Kysely<Database>; drop: () => Promise<void>; tables: string[] }> | undefined
  afterAll(async () => {
    if (shared) await (await shared).drop()
  })
  return base.extend<{ db: Kysely<Database> }>({
    db: async ({}, use) => {
      shared ??= freshDatabase('postgres').then(async ({ db, drop }) => ({ db, drop, tables: await deletionOrder(db) }))
      const { db, tables } = await shared
      // DELETE, children first: TRUNCATE costs ~300 ms a time
      for (const table of tables) await sql`delete from ${sql.id(table)}`.execute(db)
      await use(db)
    },
  })
}

/** The schema's tables, every table after the tables that reference it (Kysely's own left out). */
async function deletionOrder(db: Kysely<Database>): Promise<string[]> {
  // this schema's tables only: the introspection lists every schema, other test runs' included
  const { rows: current } = await sql<{ schema: string }>`select current_schema() as schema`.execute(db)
  const tables = (await db.introspection.getTables()).filter((t) => t.schema === current[0]?.schema).map((t) => t.name)
  const { rows } = await sql<{ child: string; parent: string }>`
    select c.relname as child, p.relname as parent
    from pg_constraint k join pg_class c on c.oid = k.conrelid join pg_class p on p.oid = k.confrelid
    where k.contype = 'f' and k.connamespace = current_schema()::regnamespace`.execute(db)
  const order: string[] = []
  const pending = new Set(tables)
  while (pending.size > 0) {
    // a table can go once no pending table (other than itself) references it
    const ready = [...pending].filter((t) => !rows.some((r) => r.parent === t && r.child !== t && pending.has(r.child)))
    if (ready.length === 0) throw new Error(`foreign key cycle among ${[...pending].join(', ')}`)
    for (const t of ready) {
      order.push(t)
      pending.delete(t)
    }
  }
  return order
}
