import { mkdtempSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { sql } from 'kysely'
import { afterEach, expect, test } from 'vitest'
import { migrateToLatest, openDatabase } from '../../src/db/database.ts'

const dirs: string[] = []
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true })
})

test('a new SQLite file and its WAL and SHM files are readable by their owner only', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'rencontres-mode-'))
  dirs.push(dir)
  const file = join(dir, 'db.sqlite')
  const previous = process.umask(0o022)
  try {
    const { db } = openDatabase(file)
    await migrateToLatest(db)
    await sql`select 1`.execute(db)
    for (const name of [file, `${file}-wal`, `${file}-shm`]) expect((statSync(name).mode & 0o777).toString(8), name).toBe('600')
    await db.destroy()
  } finally {
    process.umask(previous)
  }
})
