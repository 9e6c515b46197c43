/**
 * The retention job (issue 12): run twice equals run once; a run that stops
 * after its first event (a simulated crash) is finished by the next run;
 * counts and the funnel hold; organisations are anonymised once every event
 * they took part in is purged. And the research-consent filter of pair-level exports.
 */
import { createHash } from 'node:crypto'
import { sql, type Kysely } from 'kysely'
import { describe, expect } from 'vitest'
import type { Database } from '../../src/db/schema.ts'
import { loadEventData } from '../../src/domain/pair-records.ts'
import { excludedRegistrations, keepConsentedPairs, setResearchConsent } from '../../src/domain/privacy/consent.ts'
import { ERASED_NAME, privacyDb } from '../../src/domain/privacy/db.ts'
import { purgePlan, runRetention } from '../../src/domain/privacy/retention.ts'
import { dbTest, dialects } from '../helpers/db.ts'
import { buildWorld } from '../security/world.ts'

/** Rows of the tables retention writes, hashed. */
async function digest(db: Kysely<Database>): Promise<string> {
  const hash = createHash('sha256')
  for (const table of ['registrations', 'organisations', 'ratings', 'partnerships', 'checkins', 'retention_runs', 'audit_log', 'exclusions']) {
    const { rows } = await sql<Record<string, unknown>>`select * from ${sql.table(table)}`.execute(db)
    hash.update(`${table}:${rows.map((r) => JSON.stringify(Object.entries(r).sort())).sort().join('\n')}`)
  }
  return hash.digest('hex')
}

async function funnels(db: Kysely<Database>) {
  const ids = (await db.selectFrom('events').select('id').orderBy('id').execute()).map((e) => e.id)
  return (await loadEventData(db, ids)).map((e) => ({ participants: e.participants, pairs: e.pairs.length, held: e.pairs.filter((p) => p.held).length }))
}

// the world's events are on 2026-12-03 with a check-in due 2026-12-08: purged on 2027-12-08
const later = new Date('2027-12-09T03:00:00.000Z')

describe.each(dialects)('retention on %s', (dialect) => {
  const test = dbTest(dialect)

  test('nothing before the date; organisers see the date and are told a month before', async ({ db }) => {
    const world = await buildWorld(db)
    expect((await runRetention(db, new Date('2027-12-07T12:00:00.000Z'))).events).toEqual([])
    const plan = await purgePlan(db, new Date('2027-11-20T12:00:00.000Z'))
    expect(plan.map((p) => [p.lastCheckin, p.purgeOn, p.state])).toEqual([
      ['2026-12-08', '2027-12-08', 'soon'],
      ['2026-12-08', '2027-12-08', 'soon'],
    ])
    const res = await world.app.request('/api/network/retention', { headers: { authorization: `Bearer ${world.tokens.organiser}` } })
    const body = (await res.json()) as any
    expect(body.retentionMonths).toBe(12)
    expect(body.events.map((e: any) => e.purgeOn)).toEqual(['2027-12-08'])
    // a shorter policy moves the date
    const patch = await world.app.request('/api/network', {
      method: 'PATCH',
      headers: { authorization: `Bearer ${world.tokens.admin}`, 'content-type': 'application/json' },
      body: JSON.stringify({ retentionMonths: 6, contactEmail: 'dpo@alsace-partenariats.example.org' }),
    })
    expect(patch.status).toBe(200)
    const own = await purgePlan(db, new Date('2027-11-20T12:00:00.000Z'), (await db.selectFrom('events').select('network_id').where('id', '=', world.own.eventId).executeTakeFirstOrThrow()).network_id)
    expect(own.map((p) => [p.purgeOn, p.state])).toEqual([['2027-06-08', 'due']])
  })

  test('run twice equals run once; names and e-mails go, counts and funnel stay', async ({ db }) => {
    await buildWorld(db)
    const before = await funnels(db)
    const counts = async () => Promise.all((['registrations', 'organisations', 'meetings', 'wishes', 'partnerships', 'checkins'] as const).map(async (t) => (await db.selectFrom(t).select('id').execute()).length))
    const countsBefore = await counts()
    const first = await runRetention(db, later)
    expect(first.events).toHaveLength(2)
    expect(first.events.every((e) => e.erased === 20)).toBe(true)
    expect(first.organisations).toBe(40)
    const once = await digest(db)
    const second = await runRetention(db, later)
    expect(second).toEqual({ events: [], organisations: 0, auditEntriesRemoved: 0 })
    expect(await digest(db)).toBe(once)
    expect(await funnels(db)).toEqual(before)
    expect(await counts()).toEqual(countsBefore)
    const regs = await privacyDb(db).selectFrom('registrations').select(['person_name', 'person_email', 'erased_at']).execute()
    expect(regs.every((r) => r.person_name === ERASED_NAME && r.person_email === null && r.erased_at !== null)).toBe(true)
    const orgs = await db.selectFrom('organisations').select(['name', 'contact_name', 'contact_email', 'network_id']).execute()
    expect(orgs.every((o) => /^Organisation anonymisée \d+$/.test(o.name) && o.contact_name === null && o.contact_email === null)).toBe(true)
    // numbered 1..20 in each network
    const perNetwork = new Map<string, string[]>()
    for (const o of orgs) perNetwork.set(o.network_id!, [...(perNetwork.get(o.network_id!) ?? []), o.name])
    for (const names of perNetwork.values()) expect(new Set(names).size).toBe(20)
  })

  test('a run that crashes after its first event is finished by the next run', async ({ db }) => {
    await buildWorld(db)
    const before = await funnels(db)
    await expect(
      runRetention(db, later, {
        afterEvent: () => {
          throw new Error('crash')
        },
      }),
    ).rejects.toThrow('crash')
    expect(await db.selectFrom('retention_runs').select('event_id').execute()).toHaveLength(1)
    const rerun = await runRetention(db, later)
    expect(rerun.events).toHaveLength(1)
    expect(rerun.organisations).toBe(40)
    const runs = await db.selectFrom('retention_runs').select(['erased_registrations']).execute()
    expect(runs.map((r) => r.erased_registrations)).toEqual([20, 20])
    const left = await privacyDb(db).selectFrom('registrations').select('id').where('erased_at', 'is', null).execute()
    expect(left).toEqual([])
    expect(await funnels(db)).toEqual(before)
    const done = await digest(db)
    await runRetention(db, later)
    expect(await digest(db)).toBe(done)
  })

  test('an organisation still in a kept event keeps its name', async ({ db }) => {
    const world = await buildWorld(db)
    // network A's event gets a late check-in: it is kept a year longer
    await db.updateTable('checkins').set({ due_on: '2027-11-30' }).where('id', '=', world.own.checkinId).execute()
    const report = await runRetention(db, later)
    expect(report.events).toHaveLength(1)
    expect(report.organisations).toBe(20)
    const kept = await db.selectFrom('organisations').select('name').where('id', '=', world.own.organisationId).executeTakeFirstOrThrow()
    expect(kept.name).not.toMatch(/anonymisée/)
  })

  test('a participant who refused research use is absent from the pair-level export data', async ({ db }) => {
    const world = await buildWorld(db)
    await setResearchConsent(db, world.own.registrationId, false, '2026-11-24T18:00:00.000Z')
    await setResearchConsent(db, world.own.companyRegistrationId, true, '2026-11-24T18:00:00.000Z')
    const excluded = await excludedRegistrations(db, [world.own.eventId])
    expect([...excluded]).toEqual([world.own.registrationId])
    const data = await loadEventData(db, [world.own.eventId])
    const involved = (p: { associationRegistrationId: string; companyRegistrationId: string }) =>
      p.associationRegistrationId === world.own.registrationId || p.companyRegistrationId === world.own.registrationId
    expect(data[0]!.pairs.filter(involved).length).toBeGreaterThan(0)
    const kept = keepConsentedPairs(data, excluded)
    expect(kept[0]!.pairs.filter(involved)).toEqual([])
    expect(kept[0]!.pairs.length).toBe(data[0]!.pairs.filter((p) => !involved(p)).length)
    // the figures still count the participant
    expect(kept[0]!.participants).toEqual(data[0]!.participants)
  })
})
