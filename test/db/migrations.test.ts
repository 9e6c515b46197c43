import { describe, expect } from 'vitest'
import { dbTest, dialects } from '../helpers/db.ts'

describe.each(dialects)('migrations on %s', (dialect) => {
  const test = dbTest(dialect)

  test('create every table of the schema', async ({ db }) => {
    const tables = (await db.introspection.getTables()).map((t) => t.name)
    expect(tables).toEqual(
      expect.arrayContaining(['organisations', 'events', 'registrations', 'wishes', 'exclusions', 'schedules', 'meetings']),
    )
  })

  test('refuse an event status outside the list', async ({ db }) => {
    const now = new Date().toISOString()
    await db.insertInto('organisers').values({ id: 'o1', name: 'Org', email: null, created_at: now }).execute()
    const insert = db
      .insertInto('events')
      .values({
        id: 'e1', organiser_id: 'o1', title: 'Soirée', date: '2026-12-01', venue: null, start_time: null,
        rounds: 10, meeting_minutes: 7, transition_minutes: 1, breaks: '[]', tables: 10, seated_side: 'company',
        status: 'dancing' as never, created_at: now, updated_at: now,
      })
      .execute()
    await expect(insert).rejects.toThrow()
  })
})
