/**
 * The network's memory (issue 14): pairs that met at an earlier evening and
 * active partnerships in the next rotation, an organisation's history and the
 * merge of two of its records, and an event's duplicate, archive and delete.
 */
import { readFileSync } from 'node:fs'
import type { Kysely } from 'kysely'
import { describe, expect } from 'vitest'
import type { Database, Event } from '../../src/db/schema.ts'
import { buildInstanceWithMemory } from '../../src/domain/instance.ts'
import { createSchedule, loadInstanceRows, publish } from '../../src/domain/schedules.ts'
import { loadExampleEvent } from '../../src/domain/seed.ts'
import { apiTest, fixedNow, type Api } from '../helpers/api.ts'
import { dialects } from '../helpers/db.ts'

const now = fixedNow.toISOString()
const example = JSON.parse(readFileSync(new URL('../../data/events/strasbourg-10x10.json', import.meta.url), 'utf8'))

/** The 10 x 10 example on `date`, in `rounds` rounds, with its other settings. */
function evening(date: string, rounds: number, event: Record<string, unknown> = {}) {
  const json = structuredClone(example)
  json.event = { ...json.event, date, rounds, breaks: [], title: `Soirée du ${date}`, ...event }
  return json
}

interface Named {
  association: string
  company: string
  associationRegistrationId: string
  companyRegistrationId: string
  meetingId: string
  round: number
  reasons: string[]
}

async function publishedMeetings(db: Kysely<Database>, eventId: string): Promise<Named[]> {
  const rows = await db
    .selectFrom('meetings')
    .innerJoin('schedules', 'schedules.id', 'meetings.schedule_id')
    .innerJoin('registrations as ra', 'ra.id', 'meetings.association_registration_id')
    .innerJoin('organisations as oa', 'oa.id', 'ra.organisation_id')
    .innerJoin('registrations as rc', 'rc.id', 'meetings.company_registration_id')
    .innerJoin('organisations as oc', 'oc.id', 'rc.organisation_id')
    .select(['meetings.id', 'meetings.round', 'meetings.reasons', 'oa.name as association', 'oc.name as company', 'ra.id as ar', 'rc.id as cr'])
    .where('schedules.event_id', '=', eventId)
    .where('schedules.published', '=', 1)
    .orderBy('meetings.round')
    .orderBy('meetings.table_no')
    .execute()
  return rows.map((r) => ({
    association: r.association, company: r.company, associationRegistrationId: r.ar, companyRegistrationId: r.cr,
    meetingId: r.id, round: r.round, reasons: JSON.parse(r.reasons) as string[],
  }))
}

async function rate(db: Kysely<Database>, m: Named, side: 'association' | 'company', tookPlace: boolean, interest: number | null, followUp: boolean | null) {
  await db
    .insertInto('ratings')
    .values({
      id: `rating-${m.meetingId}-${side}`, meeting_id: m.meetingId, side,
      registration_id: side === 'association' ? m.associationRegistrationId : m.companyRegistrationId,
      took_place: tookPlace ? 1 : 0, interest, follow_up: followUp === null ? null : followUp ? 1 : 0, kinds: '[]', note: null,
      source: 'participant', created_at: now, updated_at: now,
    })
    .execute()
}

async function partnership(db: Kysely<Database>, eventId: string, a: string, c: string, stages: ('proposed' | 'contacted' | 'in_discussion' | 'abandoned')[]) {
  const id = `partnership-${a}-${c}`
  const status = stages[stages.length - 1]!
  await db
    .insertInto('partnerships')
    .values({
      id, event_id: eventId, origin: 'direct', proposal_id: null, meeting_id: null, association_registration_id: a, company_registration_id: c,
      status, abandon_reason: null, kinds: '[]', value_money_eur: null, value_staff_hours: null, value_in_kind_eur: null, started_on: null,
      ended_on: null, note: null, created_by: 'test', created_at: now, updated_at: now,
    })
    .execute()
  let from: string | null = null
  for (const [seq, to] of stages.entries()) {
    await db.insertInto('partnership_history').values({ id: `${id}-${seq}`, partnership_id: id, seq, from_status: from as never, to_status: to, reason: null, actor: 'test', at: now }).execute()
    from = to
  }
}

async function registrationsByName(db: Kysely<Database>, eventId: string): Promise<Map<string, string>> {
  const rows = await db
    .selectFrom('registrations')
    .innerJoin('organisations', 'organisations.id', 'registrations.organisation_id')
    .select(['registrations.id', 'organisations.name'])
    .where('registrations.event_id', '=', eventId)
    .execute()
  return new Map(rows.map((r) => [r.name, r.id]))
}

/**
 * The first evening (March 2025, 4 rounds) with its meetings: the first meeting
 * rated 4/5 by both sides, the second said not to have taken place by both, an
 * active partnership on a pair that did not meet and an abandoned one on another.
 */
async function firstEvening(api: Api) {
  const { event } = await loadExampleEvent(api.db, api.network, evening('2025-03-12', 4), now)
  const meetings = await publishedMeetings(api.db, event.id)
  const [rated, notHeld] = meetings as [Named, Named]
  await rate(api.db, rated, 'association', true, 4, true)
  await rate(api.db, rated, 'company', true, 4, true)
  await rate(api.db, notHeld, 'association', false, null, null)
  await rate(api.db, notHeld, 'company', false, null, null)
  const met = new Set(meetings.map((m) => `${m.association}|${m.company}`))
  const regs = await registrationsByName(api.db, event.id)
  const names = [...regs.keys()]
  const unmet: [string, string][] = []
  for (const a of names.filter((n) => example.participants.find((p: any) => p.organisation.name === n).organisation.kind === 'association')) {
    for (const c of names.filter((n) => example.participants.find((p: any) => p.organisation.name === n).organisation.kind === 'company')) {
      if (!met.has(`${a}|${c}`)) unmet.push([a, c])
    }
  }
  const [active, abandoned] = unmet as [[string, string], [string, string]]
  await partnership(api.db, event.id, regs.get(active[0])!, regs.get(active[1])!, ['proposed', 'contacted', 'in_discussion'])
  await partnership(api.db, event.id, regs.get(abandoned[0])!, regs.get(abandoned[1])!, ['proposed', 'abandoned'])
  return { event, meetings, rated, notHeld, active, abandoned }
}

async function secondInstance(db: Kysely<Database>, event: Event, locale: 'fr' | 'en' = 'fr') {
  const rows = await loadInstanceRows(db, event)
  const { instance, memory } = buildInstanceWithMemory({ ...rows, locale })
  const nameOf = new Map(rows.registrations.map((r) => [r.id, r.organisation.name]))
  const named = (pair: [string, string]) => `${nameOf.get(pair[0])}|${nameOf.get(pair[1])}`
  return { instance, memory, nameOf, named }
}

describe.each(dialects)('the network remembers on %s', (dialect) => {
  const test = apiTest(dialect)

  test('forbid (default): the second evening never pairs again what was held in the first, nor an active partnership, and says why', async ({ api }) => {
    const first = await firstEvening(api)
    const { event: second } = await loadExampleEvent(api.db, api.network, evening('2025-06-18', 10), now, { schedule: false })
    expect(second.met_before).toBe('forbid')
    const { instance, memory, named, nameOf } = await secondInstance(api.db, second)
    const forbidden = new Set((instance.forbidden ?? []).map(named))
    const held = first.meetings.filter((m) => m !== first.notHeld)
    for (const m of held) expect(forbidden).toContain(`${m.association}|${m.company}`)
    expect(forbidden).toContain(first.active.join('|'))
    // not held, or an abandoned partnership: free to meet
    expect(forbidden).not.toContain(`${first.notHeld.association}|${first.notHeld.company}`)
    expect(forbidden).not.toContain(first.abandoned.join('|'))
    expect(forbidden.size).toBe(held.length + 1)

    const said = (pair: string) => memory.find((m) => `${nameOf.get(m.association)}|${nameOf.get(m.company)}` === pair)!
    expect(said(`${first.rated.association}|${first.rated.company}`)).toMatchObject({
      decision: 'forbid',
      reasons: [expect.stringContaining('rencontrés en mars 2025 (Soirée du 2025-03-12), intérêt 4/5 des deux côtés')],
    })
    expect(said(first.active.join('|')).reasons[0]).toMatch(/^partenariat en cours \(en discussion\), né de la soirée de mars 2025, pas de nouvelle rencontre/)
    const english = await secondInstance(api.db, second, 'en')
    expect(english.memory.map((m) => m.reasons[0]).join('\n')).toContain('met in March 2025 (Soirée du 2025-03-12), interest 4/5 on both sides, not paired again')

    // 4 rounds were held: 6 companies are left for each association, and the second rotation repeats no pair
    const schedule = await createSchedule(api.db, second, { createdBy: 'test', now })
    expect(schedule.status).not.toBe('infeasible')
    await publish(api.db, second, schedule, now)
    const again = await publishedMeetings(api.db, second.id)
    const before = new Set(held.map((m) => `${m.association}|${m.company}`))
    expect(again.filter((m) => before.has(`${m.association}|${m.company}`) || `${m.association}|${m.company}` === first.active.join('|'))).toEqual([])
    expect(again.length).toBeGreaterThanOrEqual(55)
    expect(JSON.parse(schedule.stats).metBefore).toEqual({ forbidden: held.length + 1, penalised: 0, allowed: 0 })
  })

  test('the 10 x 10 example held in full: a second full evening has no pair left and repeats none', async ({ api }) => {
    const { event: first } = await loadExampleEvent(api.db, api.network, evening('2025-03-12', 10), now)
    expect(await publishedMeetings(api.db, first.id)).toHaveLength(100)
    const { event: second, scheduleVersion } = await loadExampleEvent(api.db, api.network, evening('2025-06-18', 10), now)
    expect(scheduleVersion).toBe(1)
    const { instance } = await secondInstance(api.db, second)
    expect(instance.forbidden).toHaveLength(100)
    const stored = await api.db.selectFrom('schedules').selectAll().where('event_id', '=', second.id).executeTakeFirstOrThrow()
    expect(stored.meeting_count).toBe(0)
    // allowed again, the same pairs meet, and their reasons say they met
    await api.call('PATCH', `/api/events/${second.id}`, { token: api.org, json: { metBefore: 'allow' } })
    const allowed = await api.call('POST', `/api/events/${second.id}/schedule?publish=1`, { token: api.org })
    expect(allowed.status).toBe(201)
    const again = await publishedMeetings(api.db, second.id)
    expect(again).toHaveLength(100)
    for (const m of again) expect(m.reasons.join(' ')).toContain('rencontrés en mars 2025')
  })

  test('penalise: a lower score and the reason, lifted by a mutual wish; an active partnership stays forbidden; a foundation counts as its company', async ({ api }) => {
    const first = await firstEvening(api)
    const created = await api.call('POST', '/api/events', {
      token: api.org,
      json: { ...evening('2025-06-18', 10).event, metBefore: 'penalise', metBeforePenalty: 4 },
    })
    expect(created.status).toBe(201)
    expect(created.body.event).toMatchObject({ metBefore: 'penalise', metBeforePenalty: 4, activePartnerships: 'forbid', archivedAt: null })
    const eventId = created.body.event.id
    const orgs = (await api.call('GET', '/api/organisations', { token: api.org })).body.organisations as { id: string; name: string }[]
    const idOf = (name: string) => orgs.find((o) => o.name === name)!.id
    const registered = new Map<string, string>()
    const reg = async (name: string): Promise<string> => {
      if (!registered.has(name)) {
        const r = await api.call('POST', `/api/events/${eventId}/participants`, { token: api.org, json: { organisationId: idOf(name), personName: `Contact ${name}` } })
        registered.set(name, r.body.participant.id)
      }
      return registered.get(name)!
    }
    const rated = { a: await reg(first.rated.association), c: await reg(first.rated.company) }
    const other = first.meetings.find((m) => m.association !== first.rated.association && m.company !== first.rated.company && m !== first.notHeld)!
    const penalised = { a: await reg(other.association), c: await reg(other.company) }
    const active = { a: await reg(first.active[0]), c: await reg(first.active[1]) }
    expect(active.a).toBeTruthy()
    // the foundation of the company the rated association met
    await api.call('PATCH', `/api/organisations/${idOf(first.rated.company)}`, { token: api.org, json: { groupName: 'Groupe Fondateur' } })
    const foundation = await api.call('POST', `/api/events/${eventId}/participants`, {
      token: api.org,
      json: { organisation: { kind: 'company', name: 'Fondation du Groupe Fondateur', groupName: 'groupe fondateur' }, personName: 'Lucie Fond' },
    })
    expect(foundation.status).toBe(201)
    // a mutual wish lifts the penalty of the rated pair
    for (const [from, to] of [[rated.a, rated.c], [rated.c, rated.a]]) {
      expect((await api.call('PUT', `/api/events/${eventId}/wishes`, { token: api.org, json: { from, to, level: 'like' } })).status).toBe(200)
    }
    const event = (await api.db.selectFrom('events').selectAll().where('id', '=', eventId).executeTakeFirstOrThrow())
    const { instance, memory, named } = await secondInstance(api.db, event)
    const decision = (a: string, c: string) => memory.find((m) => m.association === a && m.company === c)
    expect(decision(rated.a, rated.c)).toMatchObject({ decision: 'allow', penalty: 0, reasons: [expect.stringContaining('souhait mutuel : sans pénalité')] })
    expect(decision(penalised.a, penalised.c)).toMatchObject({ decision: 'penalise', penalty: 4, reasons: [expect.stringMatching(/^rencontrés en mars 2025 .*score réduit de 4$/)] })
    expect(decision(active.a, active.c)).toMatchObject({ decision: 'forbid' })
    // the association met the foundation's company: the foundation counts as met (no wish here: penalised)
    expect(decision(rated.a, foundation.body.participant.id)).toMatchObject({ decision: 'penalise', reasons: [expect.stringContaining('intérêt 4/5 des deux côtés')] })
    const forbidden = (instance.forbidden ?? []).map(named)
    expect(forbidden).toContain(first.active.join('|'))
    expect(forbidden).not.toContain(`${other.association}|${other.company}`)
    // scores: the penalised pair 4 below what the solver would give it, never below 0
    const { scores: given, ...plain } = instance
    const { scorePairs } = await import('../../solver/scoring.ts')
    const base = scorePairs(plain)
    expect(given?.[penalised.a]?.[penalised.c]).toBeCloseTo(Math.max(0, base.score(penalised.a, penalised.c) - 4), 2)
    expect(given?.[rated.a]?.[rated.c]).toBeCloseTo(base.score(rated.a, rated.c), 2)

    const solved = await api.call('POST', `/api/events/${eventId}/schedule?publish=1`, { token: api.org })
    expect(solved.status).toBe(201)
    const meetings = await publishedMeetings(api.db, eventId)
    const pm = meetings.find((m) => m.associationRegistrationId === penalised.a && m.companyRegistrationId === penalised.c)
    expect(pm?.reasons.join(' ')).toContain('score réduit de 4')
    expect(meetings.some((m) => m.associationRegistrationId === active.a && m.companyRegistrationId === active.c)).toBe(false)
  })

  test('an imported history evening counts as met, with its ratings in the reasons', async ({ api }) => {
    const csv = [
      'event_title,event_date,round,association,company,a_took_place,a_interest,a_follow_up,c_took_place,c_interest,c_follow_up',
      'Soirée de 2024,2024-10-08,1,Asso du Passé,Entreprise du Passé,oui,2,non,oui,5,oui',
      'Soirée de 2024,2024-10-08,2,Asso du Passé,Autre Entreprise,non,,,non,,',
    ].join('\n')
    const imported = await api.call('POST', '/api/history/import', { token: api.org, body: csv, headers: { 'content-type': 'text/csv' } })
    expect(imported.status).toBe(201)
    const created = await api.call('POST', '/api/events', { token: api.org, json: { title: 'Soirée de 2025', date: '2025-02-04', rounds: 2 } })
    const eventId = created.body.event.id
    for (const [kind, name] of [['association', 'Asso du Passé'], ['company', 'Entreprise du Passé'], ['company', 'Autre Entreprise']]) {
      const r = await api.call('POST', `/api/events/${eventId}/participants`, { token: api.org, json: { organisation: { kind, name }, personName: `Contact ${name}` } })
      expect(r.status).toBe(201)
    }
    const event = await api.db.selectFrom('events').selectAll().where('id', '=', eventId).executeTakeFirstOrThrow()
    const { instance, memory, named } = await secondInstance(api.db, event)
    // the second meeting did not take place (both said so): not forbidden
    expect((instance.forbidden ?? []).map(named)).toEqual(['Asso du Passé|Entreprise du Passé'])
    expect(memory[0]!.reasons[0]).toBe(
      'rencontrés en octobre 2024 (Soirée de 2024), intérêt 2/5 pour Asso du Passé et 5/5 pour Entreprise du Passé, pas de nouvelle rencontre',
    )
  })
})
