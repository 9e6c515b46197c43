import { describe, expect } from 'vitest'
import type { Kysely } from 'kysely'
import { migrateToLatest } from '../../src/db/database.ts'
import { dbTest, dialects, freshDatabase } from '../helpers/db.ts'

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
    await db.insertInto('networks').values({ id: 'o1', name: 'Org', email: null, created_at: now }).execute()
    const insert = db
      .insertInto('events')
      .values({
        id: 'e1', network_id: 'o1', title: 'Soirée', date: '2026-12-01', venue: null, start_time: null,
        rounds: 10, meeting_minutes: 7, transition_minutes: 1, breaks: '[]', tables: 10, seated_side: 'company',
        status: 'dancing' as never, created_at: now, updated_at: now,
      })
      .execute()
    await expect(insert).rejects.toThrow()
  })

  test('the networks migration turns organisers into networks and splits organisations they shared', async () => {
    const { db, drop } = await freshDatabase(dialect, { upTo: '2026-11-24-03-room' })
    try {
      const old = db as unknown as Kysely<any>
      const at = '2026-11-01T00:00:00.000Z'
      for (const id of ['o1', 'o2']) await old.insertInto('organisers').values({ id, name: `Réseau ${id}`, email: null, created_at: at }).execute()
      await old.insertInto('api_tokens').values([
        { id: 't1', role: 'organiser', organiser_id: 'o1', label: null, token_hash: 'h1', created_at: at, revoked_at: null },
        { id: 't2', role: 'organiser', organiser_id: 'o2', label: 'Bob', token_hash: 'h2', created_at: at, revoked_at: null },
        { id: 't3', role: 'lab', organiser_id: null, label: 'Labo', token_hash: 'h3', created_at: at, revoked_at: null },
      ]).execute()
      const event = (id: string, organiser: string) => ({
        id, organiser_id: organiser, title: id, date: '2026-12-01', venue: null, start_time: null, rounds: 2, meeting_minutes: 7,
        transition_minutes: 1, breaks: '[]', tables: null, seated_side: 'company', status: 'open', created_at: at, updated_at: at,
      })
      await old.insertInto('events').values([event('e1', 'o1'), event('e2', 'o2')]).execute()
      const org = (id: string, kind: string, name: string) => ({
        id, kind, name, siren: null, rna: null, sector: null, size: null, town: null, postcode: null, latitude: null, longitude: null,
        themes: '[]', territories: '[]', offers: '[]', needs: '[]', description: null, contact_name: null, contact_email: 'x@example.org',
        group_name: null, created_at: at, updated_at: at,
      })
      await old.insertInto('organisations').values([org('a', 'association', 'Épicerie  Solidaire'), org('c', 'company', 'Graff')]).execute()
      const reg = (id: string, eventId: string, orgId: string, t: string) => ({
        id, event_id: eventId, organisation_id: orgId, person_name: id, person_email: null, arrive_round: null, leave_round: null,
        min_meetings: null, max_meetings: null, attendance: 'registered', secret_hash: `s-${id}`, created_at: t,
      })
      await old.insertInto('registrations').values([
        reg('r1', 'e1', 'a', '2026-11-02T00:00:00Z'), reg('r2', 'e1', 'c', '2026-11-02T00:00:00Z'),
        reg('r3', 'e2', 'a', '2026-11-03T00:00:00Z'),
      ]).execute()
      await old.insertInto('exclusions').values([
        { id: 'x1', event_id: null, association_id: 'a', company_id: 'c', reason: 'conflict', note: null, created_at: at },
        { id: 'x2', event_id: 'e2', association_id: 'a', company_id: 'c', reason: 'conflict', note: null, created_at: at },
      ]).execute()

      await migrateToLatest(db)

      expect((await db.selectFrom('networks').select('id').orderBy('id').execute()).map((n) => n.id)).toEqual(['o1', 'o2'])
      expect(await db.selectFrom('events').select(['id', 'network_id']).orderBy('id').execute()).toEqual([
        { id: 'e1', network_id: 'o1' },
        { id: 'e2', network_id: 'o2' },
      ])
      const tokens = await db.selectFrom('tokens').select(['id', 'role', 'network_id', 'lab_id']).orderBy('id').execute()
      expect(tokens).toEqual([
        { id: 't1', role: 'admin', network_id: 'o1', lab_id: null },
        { id: 't2', role: 'admin', network_id: 'o2', lab_id: null },
        { id: 't3', role: 'lab', network_id: null, lab_id: 't3' },
      ])
      expect(await db.selectFrom('lab_grants').select('network_id').where('lab_id', '=', 't3').orderBy('network_id').execute()).toEqual([
        { network_id: 'o1' },
        { network_id: 'o2' },
      ])
      // the association both networks registered is split: o1 (first) keeps it, o2 gets a copy
      const orgs = await db.selectFrom('organisations').select(['id', 'network_id', 'name_key']).orderBy('id').execute()
      expect(orgs).toEqual([
        { id: 'a', network_id: 'o1', name_key: 'epicerie solidaire' },
        { id: 'a:o2', network_id: 'o2', name_key: 'epicerie solidaire' },
        { id: 'c', network_id: 'o1', name_key: 'graff' },
      ])
      expect((await db.selectFrom('registrations').select('organisation_id').where('id', '=', 'r3').executeTakeFirstOrThrow()).organisation_id).toBe('a:o2')
      const exclusions = await db.selectFrom('exclusions').select(['id', 'network_id', 'association_id']).orderBy('id').execute()
      expect(exclusions).toEqual([
        { id: 'x1', network_id: 'o1', association_id: 'a' },
        { id: 'x2', network_id: 'o2', association_id: 'a:o2' },
      ])
    } finally {
      await drop()
    }
  })
})
