/** Duplicate an event, edit the copy while it is a draft, archive, delete only a draft. */
import { readFileSync } from 'node:fs'
import { describe, expect } from 'vitest'
import { loadExampleEvent } from '../../src/domain/seed.ts'
import { apiTest, fixedNow } from '../helpers/api.ts'
import { dialects } from '../helpers/db.ts'

const example = JSON.parse(readFileSync(new URL('../../data/events/strasbourg-10x10.json', import.meta.url), 'utf8'))

describe.each(dialects)('event duplicate, archive and delete on %s', (dialect) => {
  const test = apiTest(dialect)

  test('duplicate -> edit -> archive -> delete rules', async ({ api }) => {
    const { event } = await loadExampleEvent(api.db, api.network, example, fixedNow.toISOString())
    await api.call('PATCH', `/api/events/${event.id}`, { token: api.org, json: { metBefore: 'penalise', metBeforePenalty: 3 } })

    const dup = await api.call('POST', `/api/events/${event.id}/duplicate`, { token: api.org, json: { date: '2027-12-02' } })
    expect(dup.status).toBe(201)
    expect(dup.body.participants).toBe(20)
    const copy = dup.body.event
    expect(copy).toMatchObject({
      title: example.event.title, date: '2027-12-02', status: 'draft', rounds: 10, tables: 10, venue: example.event.venue,
      startTime: '18:30', breaks: [{ afterRound: 5, minutes: 10 }], metBefore: 'penalise', metBeforePenalty: 3, archivedAt: null,
    })
    expect(copy.id).not.toBe(event.id)
    const participants = (await api.call('GET', `/api/events/${copy.id}/participants`, { token: api.org })).body.participants
    const original = (await api.call('GET', `/api/events/${event.id}/participants`, { token: api.org })).body.participants
    expect(participants.map((p: any) => [p.organisation.id, p.personName, p.attendance]).sort()).toEqual(
      original.map((p: any) => [p.organisation.id, p.personName, 'registered']).sort(),
    )
    // new personal secrets: no registration shares its secret with the first event's
    const secrets = await api.db.selectFrom('registrations').select(['event_id', 'secret_hash']).execute()
    expect(new Set(secrets.map((s) => s.secret_hash)).size).toBe(40)

    // edit while draft
    const edited = await api.call('PATCH', `/api/events/${copy.id}`, { token: api.org, json: { title: 'Speed-dating de décembre', rounds: 8 } })
    expect(edited.status).toBe(200)
    expect(edited.body.event).toMatchObject({ title: 'Speed-dating de décembre', rounds: 8 })
    const titled = await api.call('POST', `/api/events/${event.id}/duplicate`, { token: api.org, json: { date: '2028-01-10', title: 'Soirée de janvier' } })
    expect(titled.body.event.title).toBe('Soirée de janvier')
    expect((await api.call('POST', `/api/events/${event.id}/duplicate`, { token: api.org, json: { date: 'demain' } })).status).toBe(422)
    expect((await api.call('POST', `/api/events/${event.id}/duplicate`, { token: api.org2, json: { date: '2028-01-10' } })).status).toBe(404)

    // archive: hidden from the list unless asked, figures kept, and back
    const archived = await api.call('POST', `/api/events/${event.id}/archive`, { token: api.org })
    expect(archived.status).toBe(200)
    expect(archived.body.event.archivedAt).toBe(fixedNow.toISOString())
    const ids = async (query = '') => (await api.call('GET', `/api/events${query}`, { token: api.org })).body.events.map((e: { id: string }) => e.id)
    expect(await ids()).not.toContain(event.id)
    expect(await ids('?archived=1')).toContain(event.id)
    const figures = await api.call('GET', `/api/events/${event.id}`, { token: api.org })
    expect(figures.body).toMatchObject({ associations: 10, companies: 10, publishedVersion: 1 })
    expect((await api.call('GET', `/api/events/${event.id}/schedule`, { token: api.org })).status).toBe(200)
    expect((await api.call('POST', `/api/events/${event.id}/archive`, { token: api.org })).status).toBe(200)
    expect((await api.call('POST', `/api/events/${event.id}/unarchive`, { token: api.org })).body.event.archivedAt).toBeNull()
    expect(await ids()).toContain(event.id)

    // delete: a draft only, in words otherwise
    const refused = await api.call('DELETE', `/api/events/${event.id}`, { token: api.org })
    expect(refused.status).toBe(409)
    expect(refused.body.error.message).toContain(`«\u00a0${example.event.title}\u00a0» n’est plus un brouillon (rotation publiée)`)
    expect((await api.call('DELETE', `/api/events/${copy.id}`, { token: api.org2 })).status).toBe(404)
    const deleted = await api.call('DELETE', `/api/events/${copy.id}`, { token: api.org })
    expect(deleted.status).toBe(200)
    expect((await api.call('GET', `/api/events/${copy.id}`, { token: api.org })).status).toBe(404)
    expect(await api.db.selectFrom('registrations').select('id').where('event_id', '=', copy.id).execute()).toEqual([])
    // the organisations stay in the network's directory, with the first event
    expect((await api.call('GET', `/api/events/${event.id}/participants`, { token: api.org })).body.participants).toHaveLength(20)
  })

  test('a live event is not archived', async ({ api }) => {
    const { event } = await loadExampleEvent(api.db, api.network, example, fixedNow.toISOString())
    expect((await api.call('POST', `/api/events/${event.id}/status`, { token: api.org, json: { status: 'live' } })).status).toBe(200)
    const r = await api.call('POST', `/api/events/${event.id}/archive`, { token: api.org })
    expect(r.status).toBe(409)
    expect(r.body.error.message).toContain('est en cours')
  })
})
