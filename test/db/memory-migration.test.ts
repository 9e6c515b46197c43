/** Migration 2026-11-26-05-memory on events written before it: the defaults, on both dialects. */
import { describe, expect, test } from 'vitest'
import { migrateToLatest } from '../../src/db/database.ts'
import { dialects, freshDatabase } from '../helpers/db.ts'

describe.each(dialects)('memory migration on %s', (dialect) => {
  test('existing events forbid pairs that met before and active partnerships, penalty 5, not archived', async () => {
    const { db, drop } = await freshDatabase(dialect, { upTo: '2026-11-26-01-networks' })
    try {
      const now = '2026-11-24T18:00:00.000Z'
      await db.insertInto('networks').values({ id: 'n1', name: 'Réseau', email: null, created_at: now }).execute()
      await db
        .insertInto('events')
        .values({
          id: 'e1', network_id: 'n1', title: 'Soirée', date: '2026-12-01', venue: null, start_time: null, rounds: 10, meeting_minutes: 7,
          transition_minutes: 1, breaks: '[]', tables: 10, seated_side: 'company', status: 'closed', created_at: now, updated_at: now,
        } as never)
        .execute()
      await migrateToLatest(db)
      const row = await db.selectFrom('events').selectAll().where('id', '=', 'e1').executeTakeFirstOrThrow()
      expect(row).toMatchObject({ met_before: 'forbid', met_before_penalty: 5, active_partnerships: 'forbid', archived_at: null })
    } finally {
      await drop()
    }
  })
})
