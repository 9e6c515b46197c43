/**
 * A fresh, migrated database per test. On SQLite (always) it is a new
 * in-memory database; `dialects` also lists 'postgres' when
 * TEST_POSTGRES_URL is set, where each test gets its own schema, dropped after.
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
import { test as base } from 'vitest'
import { migrateToLatest, openDatabase, type DatabaseDialect } from '../../src/db/database.ts'
import type { Database } from '../../src/db/schema.ts'

const postgresUrl = process.env.TEST_POSTGRES_URL

export const dialects: DatabaseDialect[] = postgresUrl ? ['sqlite', 'postgres'] : ['sqlite']

export async function freshDatabase(dialect: DatabaseDialect): Promise<{ db: Kysely<Database>; drop: () => Promise<void> }> {
  if (dialect === 'sqlite') {
    const { db } = openDatabase(':memory:')
    await migrateToLatest(db)
    return { db, drop: () => db.destroy() }
  }
  if (!postgresUrl) throw new Error('TEST_POSTGRES_URL is not set')
  const schema = `t_${randomBytes(6).toString('hex')}`
  const admin = new pg.Client({ connectionString: postgresUrl })
  await admin.connect()
  await admin.query(`create schema ${schema}`)
  await admin.end()
  pg.types.setTypeParser(pg.types.builtins.INT8, (v) => Number(v))
  const pool = new pg.Pool({ connectionString: postgresUrl, max: 4, options: `-c search_path=${schema}` })
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) })
  await migrateToLatest(db)
  return {
    db,
    drop: async () => {
      await sql`drop schema ${sql.id(schema)} cascade`.execute(db)
      await db.destroy()
    },
  }
}

export function dbTest(dialect: DatabaseDialect) {
  return base.extend<{ db: Kysely<Database> }>({
    db: async ({}, use) => {
      const { db, drop } = await freshDatabase(dialect)
      await use(db)
      await drop()
    },
  })
}
