/** An organisation across the network's evenings, and the merge of two records of one organisation. */
import { readFileSync } from 'node:fs'
import { describe, expect } from 'vitest'
import { loadExampleEvent } from '../../src/domain/seed.ts'
import { apiTest, fixedNow, type Api } from '../helpers/api.ts'
import { dialects } from '../helpers/db.ts'

const now = fixedNow.toISOString()
const example = JSON.parse(readFileSync(new URL('../../data/events/strasbourg-10x10.json', import.meta.url), 'utf8'))
const asso = 'Les Jardins de la Montagne Verte'

/** The example held in March 2025 (3 rounds), its first meeting of `asso` rated and turned into a partnership in discussion. */
async function heldEvening(api: Api) {
  const json = structuredClone(example)
  json.event = { ...json.event, title: 'Soirée de mars', date: '2025-03-12', rounds: 3, breaks: [] }
  const { event } = await loadExampleEvent(api.db, api.network, json, now)
  const meeting = await api.db
    .selectFrom('meetings')
    .innerJoin('schedules', 'schedules.id', 'meetings.schedule_id')
    .innerJoin('registrations as ra', 'ra.id', 'meetings.association_registration_id')
    .innerJoin('organisations as oa', 'oa.id', 'ra.organisation_id')
    .innerJoin('registrations as rc', 'rc.id', 'meetings.company_registration_id')
    .innerJoin('organisations as oc', 'oc.id', 'rc.organisation_id')
    .select(['meetings.id', 'meetings.round', 'ra.id as ar', 'rc.id as cr', 'oa.id as associationId', 'oc.name as company'])
    .where('schedules.event_id', '=', event.id)
    .where('oa.name', '=', asso)
    .orderBy('meetings.round')
    .executeTakeFirstOrThrow()
  for (const [side, reg, interest] of [['association', meeting.ar, 5], ['company', meeting.cr, 3]] as const) {
    await api.db
      .insertInto('ratings')
      .values({
        id: `r-${side}`, meeting_id: meeting.id, side, registration_id: reg, took_place: 1, interest, follow_up: 1, kinds: '[]', note: null,
        source: 'participant', created_at: now, updated_at: now,
      })
      .execute()
  }
  const created = await api.call('POST', `/api/events/${event.id}/partnerships`, {
    token: api.org,
    json: { associationRegistrationId: meeting.ar, companyRegistrationId: meeting.cr },
  })
  expect(created.status).toBe(201)
  const pid = created.body.partnership.id
  for (const status of ['contacted', 'in_discussion']) {
    expect((await api.call('POST', `/api/events/${event.id}/partnerships/${pid}/status`, { token: api.org, json: { status } })).status).toBe(200)
  }
  return { event, meeting }
}

describe.each(dialects)('organisation history and merge on %s', (dialect) => {
  const test = apiTest(dialect)

  test('the history of an organisation of the examples: its evenings, meetings with both ratings, partnerships with their stages', async ({ api }) => {
    const { event, meeting } = await heldEvening(api)
    const r = await api.call('GET', `/api/organisations/${meeting.associationId}/history`, { token: api.org })
    expect(r.status).toBe(200)
    expect(r.body.organisation.name).toBe(asso)
    expect(r.body.evenings).toHaveLength(1)
    const [evening] = r.body.evenings
    expect(evening).toMatchObject({ eventId: event.id, title: 'Soirée de mars', date: '2025-03-12', personName: expect.any(String) })
    expect(evening.meetings).toHaveLength(3)
    expect(evening.meetings[0]).toMatchObject({
      round: meeting.round,
      held: true,
      with: { name: meeting.company },
      ratings: { association: { interest: 5, followUp: true }, company: { interest: 3, followUp: true } },
    })
    expect(r.body.partnerships).toHaveLength(1)
    expect(r.body.partnerships[0]).toMatchObject({ status: 'in_discussion', with: { name: meeting.company }, eventTitle: 'Soirée de mars' })
    expect(r.body.partnerships[0].stages.map((s: { to: string }) => s.to)).toEqual(['proposed', 'contacted', 'in_discussion'])

    // another network's organisation: 404, as an unknown one
    expect((await api.call('GET', `/api/organisations/${meeting.associationId}/history`, { token: api.org2 })).status).toBe(404)
    expect((await api.call('GET', '/api/organisations/nope/history', { token: api.org })).status).toBe(404)
  })

  test('a merge keeps every link: evenings, meetings, partnerships, exclusions; refused in words when both came to one event', async ({ api }) => {
    const { meeting } = await heldEvening(api)
    // a second record of the same association, spelled otherwise, at a later evening, with an exclusion
    const later = await api.call('POST', '/api/events', { token: api.org, json: { title: 'Soirée de juin', date: '2025-06-18', rounds: 4 } })
    const laterId = later.body.event.id
    const copy = await api.call('POST', `/api/events/${laterId}/participants`, {
      token: api.org,
      json: { organisation: { kind: 'association', name: 'Jardins Montagne Verte (les)', town: 'Strasbourg', themes: ['handicap'] }, personName: 'Nadia Kessler' },
    })
    expect(copy.status).toBe(201)
    const copyId = copy.body.participant.organisation.id ?? copy.body.participant.organisationId
    const company = (await api.call('GET', '/api/organisations?q=brasserie', { token: api.org })).body.organisations[0]
    const exclusion = await api.call('POST', `/api/events/${laterId}/exclusions`, {
      token: api.org,
      json: { associationId: copyId, companyId: company.id, reason: 'conflict', allEvents: true },
    })
    expect(exclusion.status).toBe(201)

    // same kind only, same network only
    expect((await api.call('POST', `/api/organisations/${meeting.associationId}/merge`, { token: api.org, json: { from: company.id } })).status).toBe(409)
    expect((await api.call('POST', `/api/organisations/${meeting.associationId}/merge`, { token: api.org2, json: { from: copyId } })).status).toBe(404)

    const merged = await api.call('POST', `/api/organisations/${meeting.associationId}/merge`, { token: api.org, json: { from: copyId } })
    expect(merged.status).toBe(200)
    expect(merged.body.organisation).toMatchObject({ id: meeting.associationId, name: asso })
    expect(merged.body.organisation.themes).toContain('handicap')
    expect((await api.call('GET', `/api/organisations/${copyId}`, { token: api.org })).status).toBe(404)

    const history = (await api.call('GET', `/api/organisations/${meeting.associationId}/history`, { token: api.org })).body
    expect(history.evenings.map((e: { title: string; personName: string }) => e.title)).toEqual(['Soirée de juin', 'Soirée de mars'])
    expect(history.evenings[0].personName).toBe('Nadia Kessler')
    expect(history.evenings[1].meetings).toHaveLength(3)
    expect(history.partnerships).toHaveLength(1)
    const exclusion2 = await api.db.selectFrom('exclusions').selectAll().where('id', '=', exclusion.body.exclusion.id).executeTakeFirstOrThrow()
    expect(exclusion2).toMatchObject({ association_id: meeting.associationId, company_id: company.id })

    // a third record registered at the same evening as the kept one: refused, naming both and the evening
    const third = await api.call('POST', `/api/events/${laterId}/participants`, {
      token: api.org,
      json: { organisation: { kind: 'association', name: 'Jardins de Montagne-Verte' }, personName: 'Paul Weber' },
    })
    const thirdId = third.body.participant.organisation.id ?? third.body.participant.organisationId
    const refused = await api.call('POST', `/api/organisations/${meeting.associationId}/merge`, { token: api.org, json: { from: thirdId } })
    expect(refused.status).toBe(409)
    expect(refused.body.error.message.replace(/[\u00a0\u202f]/g, ' ')).toContain('« Jardins de Montagne-Verte » et « Les Jardins de la Montagne Verte » sont inscrites toutes deux à « Soirée de juin »')
    expect((await api.call('GET', `/api/organisations/${thirdId}`, { token: api.org })).status).toBe(200)
  })
})
