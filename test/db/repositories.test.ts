import { readFileSync } from 'node:fs'
import { sql } from 'kysely'
import { describe, expect, test as plainTest } from 'vitest'
import { createEvent, roundStartTimes } from '../../src/db/repositories/events.repository.ts'
import { createOrganisation, findMatchingOrganisation, upsertOrganisation } from '../../src/db/repositories/organisations.repository.ts'
import { addRegistration, listRegistrations } from '../../src/db/repositories/registrations.repository.ts'
import { insertSchedule, publishSchedule, publishedSchedule } from '../../src/db/repositories/schedules.repository.ts'
import { createOrganiser } from '../helpers/accounts.ts'
import { loadExampleEvent } from '../../src/domain/seed.ts'
import { dbTest, dialects, freshDatabase } from '../helpers/db.ts'

const now = '2026-11-24T18:00:00.000Z'
const eventFields = { title: 'Soirée', date: '2026-12-03', rounds: 4, meetingMinutes: 7, transitionMinutes: 1, breaks: [], seatedSide: 'company' as const }

describe.each(dialects)('repositories on %s', (dialect) => {
  const test = dbTest(dialect)

  test('every test starts with empty tables', async ({ db }) => {
    for (const table of ['networks', 'organisations', 'events', 'registrations', 'schedules', 'meetings'] as const) {
      const row = await db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()
      expect(Number(row.n), table).toBe(0)
    }
    await createOrganiser(db, { name: 'Left behind' }, now)
  })

  test('organisations match by SIREN, by RNA, else by kind and name ignoring case', async ({ db }) => {
    const { networkId: n } = await createOrganiser(db, { name: 'Réseau' }, now)
    const company = await createOrganisation(db, n, { kind: 'company', name: 'Imprimerie Graff', siren: '412345678' }, now)
    const asso = await createOrganisation(db, n, { kind: 'association', name: 'Entraide Neudorf', rna: 'W672000001' }, now)
    expect((await findMatchingOrganisation(db, n, { kind: 'company', name: 'Autre nom', siren: '412345678' }))?.id).toBe(company.id)
    expect((await findMatchingOrganisation(db, n, { kind: 'association', name: 'Autre', rna: 'W672000001' }))?.id).toBe(asso.id)
    expect((await findMatchingOrganisation(db, n, { kind: 'association', name: '  entraide NEUDORF ' }))?.id).toBe(asso.id)
    expect(await findMatchingOrganisation(db, n, { kind: 'company', name: 'Entraide Neudorf' })).toBeUndefined()
    // same name, another RNA: another association
    expect(await findMatchingOrganisation(db, n, { kind: 'association', name: 'Entraide Neudorf', rna: 'W672000002' })).toBeUndefined()
    const updated = await db.transaction().execute((trx) => upsertOrganisation(trx, n, { kind: 'company', name: 'Imprimerie Graff', siren: '412345678', town: 'Saverne', themes: ['handicap'] }, now))
    expect(updated).toMatchObject({ id: company.id, town: 'Saverne', themes: '["handicap"]' })
  })

  test('an organisation is registered once per event', async ({ db }) => {
    const { organiserId } = await createOrganiser(db, { name: 'Org' }, now)
    const event = await createEvent(db, organiserId, eventFields, now)
    const org = await createOrganisation(db, organiserId, { kind: 'association', name: 'A' }, now)
    await db.transaction().execute((trx) => addRegistration(trx, event.id, org.id, { personName: 'X' }, now))
    await expect(db.transaction().execute((trx) => addRegistration(trx, event.id, org.id, { personName: 'Y' }, now))).rejects.toThrow()
    const rows = await listRegistrations(db, event.id)
    expect(rows).toHaveLength(1)
    expect(rows[0]!.organisation.name).toBe('A')
  })

  test('schedule versions count up and one only is published', async ({ db }) => {
    const { organiserId } = await createOrganiser(db, { name: 'Org' }, now)
    const event = await createEvent(db, organiserId, eventFields, now)
    const row = {
      event_id: event.id, kind: 'full' as const, from_round: null, input_digest: 'x', status: 'optimal' as const, objective: 1, bound: 1,
      fairness_level: 0, meeting_count: 0, idle_rounds: 0, solve_ms: 1, stats: '{}', created_by: 'test', created_at: now,
    }
    const v1 = await db.transaction().execute((trx) => insertSchedule(trx, row, []))
    const v2 = await db.transaction().execute((trx) => insertSchedule(trx, row, []))
    expect([v1.version, v2.version]).toEqual([1, 2])
    await db.transaction().execute((trx) => publishSchedule(trx, event.id, v1.id))
    await db.transaction().execute((trx) => publishSchedule(trx, event.id, v2.id))
    const published = await db.selectFrom('schedules').select('version').where('published', '=', 1).execute()
    expect(published).toEqual([{ version: 2 }])
    expect((await publishedSchedule(db, event.id))?.id).toBe(v2.id)
    // the database itself refuses a second published version
    await expect(db.updateTable('schedules').set({ published: 1 }).where('id', '=', v1.id).execute()).rejects.toThrow()
  })

  test('the 10 x 10 example loads, solves and publishes', async ({ db }) => {
    const { organiserId } = await createOrganiser(db, { name: 'Org' }, now)
    const json: unknown = JSON.parse(readFileSync(new URL('../../data/events/strasbourg-10x10.json', import.meta.url), 'utf8'))
    const loaded = await loadExampleEvent(db, organiserId, json, now)
    expect(loaded).toMatchObject({ participants: 20, scheduleVersion: 1 })
    expect(loaded.status).not.toBe('infeasible')
    const event = await db.selectFrom('events').selectAll().where('id', '=', loaded.event.id).executeTakeFirstOrThrow()
    expect(event.status).toBe('scheduled')
    const meetings = await db.selectFrom('meetings').select('id').execute()
    expect(meetings).toHaveLength(100)
  })
})

describe('example events', () => {
  const test = dbTest('sqlite')
  test('the large example: 30+ per side, unequal, late arrivals, wishes, an existing partnership', async ({ db }) => {
    const json = JSON.parse(readFileSync(new URL('../../data/events/colmar-forum-38x33.json', import.meta.url), 'utf8')) as {
      participants: { organisation: { kind: string }; arriveRound?: number }[]
      wishes: unknown[]
      exclusions: { reason: string }[]
    }
    const sides = ['association', 'company'].map((k) => json.participants.filter((p) => p.organisation.kind === k).length)
    expect(Math.min(...sides)).toBeGreaterThanOrEqual(30)
    expect(sides[0]).not.toBe(sides[1])
    expect(json.participants.some((p) => (p.arriveRound ?? 1) > 1)).toBe(true)
    expect(json.wishes.length).toBeGreaterThan(0)
    expect(json.exclusions.map((e) => e.reason)).toContain('existing-partnership')
    const { organiserId } = await createOrganiser(db, { name: 'Org' }, now)
    const loaded = await loadExampleEvent(db, organiserId, json, now)
    expect(loaded.status).not.toBe('infeasible')
  })

  plainTest('round start times add meetings, transitions and breaks', () => {
    expect(roundStartTimes({ start_time: '18:30', rounds: 4, meeting_minutes: 7, transition_minutes: 1, breaks: '[{"afterRound":2,"minutes":10}]' })).toEqual([
      '18:30', '18:38', '18:56', '19:04',
    ])
    expect(roundStartTimes({ start_time: null, rounds: 2, meeting_minutes: 7, transition_minutes: 1, breaks: '[]' })).toEqual([null, null])
  })
})

describe.skipIf(!dialects.includes('postgres'))('migrations on postgres', () => {
  plainTest('ignore Kysely tables left in another schema', async () => {
    const stale = await freshDatabase('postgres')
    try {
      const fresh = await freshDatabase('postgres')
      const tables = (await fresh.db.introspection.getTables()).map((t) => t.name)
      expect(tables).toContain('events')
      const { rows } = await sql<{ n: number }>`select count(*)::int as n from kysely_migration`.execute(fresh.db)
      expect(rows[0]!.n).toBeGreaterThan(0)
      await fresh.drop()
    } finally {
      await stale.drop()
    }
  })
})
