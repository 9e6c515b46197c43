import { describe, expect } from 'vitest'
import { apiTest } from '../helpers/api.ts'
import { addParticipant, createEvent, eventBody } from '../helpers/builders.ts'
import { dialects } from '../helpers/db.ts'

describe.each(dialects)('events on %s', (dialect) => {
  const test = apiTest(dialect)

  test('create, read, update and list own events', async ({ api }) => {
    const created = await api.call('POST', '/api/events', { token: api.org, json: eventBody })
    expect(created.status).toBe(201)
    expect(created.body.event).toMatchObject({ title: eventBody.title, status: 'draft', rounds: 4, breaks: [{ afterRound: 2, minutes: 10 }] })
    const id = created.body.event.id

    const read = await api.call('GET', `/api/events/${id}`, { token: api.org })
    expect(read.status).toBe(200)
    expect(read.body).toMatchObject({ associations: 0, companies: 0, publishedVersion: null })

    const patched = await api.call('PATCH', `/api/events/${id}`, { token: api.org, json: { venue: 'Hôtel de Ville', rounds: 8 } })
    expect(patched.status).toBe(200)
    expect(patched.body.event).toMatchObject({ venue: 'Hôtel de Ville', rounds: 8, title: eventBody.title })

    await createEvent(api, api.org2, { ...eventBody, title: 'Autre organisateur' })
    const list = await api.call('GET', '/api/events', { token: api.org })
    expect(list.body.events.map((e: { id: string }) => e.id)).toEqual([id])
  })

  test('defaults: 7 minutes, companies seated, no breaks', async ({ api }) => {
    const r = await api.call('POST', '/api/events', { token: api.org, json: { title: 'Soirée', date: '2026-12-01', rounds: 10 } })
    expect(r.status).toBe(201)
    expect(r.body.event).toMatchObject({ meetingMinutes: 7, transitionMinutes: 1, seatedSide: 'company', breaks: [] })
  })

  test('malformed JSON answers 400 invalid_json', async ({ api }) => {
    const r = await api.call('POST', '/api/events', { token: api.org, body: '{"title": "x",', headers: { 'content-type': 'application/json' } })
    expect(r.status).toBe(400)
    expect(r.body.error.code).toBe('invalid_json')
  })

  test('malformed JSON without a content type is caught too', async ({ api }) => {
    const r = await api.call('POST', '/api/events', { token: api.org, body: 'title=x' })
    expect(r.status).toBe(400)
    expect(r.body.error.code).toBe('invalid_json')
  })

  test('wrong types answer 422 naming each field', async ({ api }) => {
    const r = await api.call('POST', '/api/events', { token: api.org, json: { ...eventBody, rounds: 'ten', date: '03/12/2026', extra: 1 } })
    expect(r.status).toBe(422)
    expect(r.body.error.code).toBe('validation_failed')
    const paths = r.body.error.issues.map((i: { path: string }) => i.path)
    expect(paths).toEqual(expect.arrayContaining(['rounds', 'date']))
  })

  test('a break after the last round is refused', async ({ api }) => {
    const r = await api.call('POST', '/api/events', { token: api.org, json: { ...eventBody, breaks: [{ afterRound: 4, minutes: 5 }] } })
    expect(r.status).toBe(422)
    expect(r.body.error.issues[0].path).toBe('breaks.0.afterRound')
  })

  test('fewer rounds than an existing break is refused', async ({ api }) => {
    const id = await createEvent(api) // 4 rounds, a break after round 2
    const r = await api.call('PATCH', `/api/events/${id}`, { token: api.org, json: { rounds: 2 } })
    expect(r.status).toBe(422)
    expect(r.body.error.issues[0].path).toBe('breaks.0.afterRound')
  })

  test('unknown event id answers 404', async ({ api }) => {
    const r = await api.call('GET', '/api/events/nope', { token: api.org })
    expect(r.status).toBe(404)
    expect(r.body.error.code).toBe('not_found')
  })

  test('status: allowed transitions pass, others answer 409', async ({ api }) => {
    const id = await createEvent(api)
    const go = (status: string) => api.call('POST', `/api/events/${id}/status`, { token: api.org, json: { status } })
    expect((await go('live')).status).toBe(409)
    expect((await go('open')).status).toBe(200)
    const noSchedule = await go('scheduled')
    expect(noSchedule.status).toBe(409)
    expect(noSchedule.body.error.code).toBe('no_published_schedule')
    await addParticipant(api, id, 'association', 'Entraide Neudorf')
    await addParticipant(api, id, 'company', 'Brasserie du Kochersberg')
    expect((await api.call('POST', `/api/events/${id}/schedule?publish=1`, { token: api.org })).status).toBe(201)
    expect((await api.call('GET', `/api/events/${id}`, { token: api.org })).body.event.status).toBe('scheduled')
    expect((await go('live')).status).toBe(200)
    expect((await go('open')).status).toBe(409)
    expect((await go('closed')).status).toBe(200)
    expect((await go('open')).status).toBe(409)
    expect((await api.call('PATCH', `/api/events/${id}`, { token: api.org, json: { title: 'x' } })).status).toBe(409)
    // a closed evening can be reopened (back to live), and the reopening is recorded
    expect((await go('live')).status).toBe(200)
    const audit = await api.db.selectFrom('audit_log').select(['action', 'target']).where('action', '=', 'event-reopen').execute()
    expect(audit).toEqual([{ action: 'event-reopen', target: `event:${id}` }])
    const again = await go('draft')
    expect(again.status).toBe(409)
    expect(again.body.error.code).toBe('invalid_transition')
  })

  test('an unknown status value answers 422', async ({ api }) => {
    const id = await createEvent(api)
    const r = await api.call('POST', `/api/events/${id}/status`, { token: api.org, json: { status: 'dancing' } })
    expect(r.status).toBe(422)
  })
})

describe.each(dialects)('access to events on %s', (dialect) => {
  const test = apiTest(dialect)

  test('no token answers 401', async ({ api }) => {
    const r = await api.call('GET', '/api/events')
    expect(r.status).toBe(401)
    expect(r.body.error.code).toBe('unauthorized')
  })

  test('a malformed Authorization header answers 401', async ({ api }) => {
    const r = await api.call('GET', '/api/events', { headers: { authorization: 'Basic abc' } })
    expect(r.status).toBe(401)
  })

  test('a lab token on organiser routes answers 403', async ({ api }) => {
    for (const [method, path] of [['GET', '/api/events'], ['POST', '/api/events'], ['GET', '/api/organisations']] as const) {
      const r = await api.call(method, path, method === 'GET' ? { token: api.lab } : { token: api.lab, json: eventBody })
      expect(r.status, `${method} ${path}`).toBe(403)
      expect(r.body.error.code).toBe('forbidden')
    }
  })

  test('a participant token on organiser routes answers 403', async ({ api }) => {
    const id = await createEvent(api)
    const p = await addParticipant(api, id, 'association', 'Entraide Neudorf')
    const r = await api.call('GET', `/api/events/${id}/participants`, { token: p.token })
    expect(r.status).toBe(403)
  })

  test("another organiser's event answers 404, for reading and writing", async ({ api }) => {
    const id = await createEvent(api)
    expect((await api.call('GET', `/api/events/${id}`, { token: api.org2 })).status).toBe(404)
    expect((await api.call('PATCH', `/api/events/${id}`, { token: api.org2, json: { title: 'x' } })).status).toBe(404)
    expect((await api.call('GET', `/api/events/${id}/participants`, { token: api.org2 })).status).toBe(404)
    expect((await api.call('POST', `/api/events/${id}/schedule`, { token: api.org2 })).status).toBe(404)
    expect((await api.call('GET', `/api/events/${id}/wishes`, { token: api.org2 })).status).toBe(404)
    expect((await api.call('GET', `/api/events/${id}/exclusions`, { token: api.org2 })).status).toBe(404)
  })

  test('a revoked organiser token answers 401', async ({ api }) => {
    await api.db.updateTable('tokens').set({ revoked_at: '2026-11-01T00:00:00.000Z' }).where('role', '=', 'organiser').execute()
    expect((await api.call('GET', '/api/events', { token: api.org })).status).toBe(401)
  })

  test('a lab token presented with the organiser prefix answers 401', async ({ api }) => {
    const forged = api.lab.replace(/^lab_/, 'org_')
    expect((await api.call('GET', '/api/events', { token: forged })).status).toBe(401)
  })
})
