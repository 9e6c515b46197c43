import { describe, expect } from 'vitest'
import { apiTest } from '../helpers/api.ts'
import { smallEvent } from '../helpers/builders.ts'
import { dialects } from '../helpers/db.ts'

describe.each(dialects)('wishes and the participant space on %s', (dialect) => {
  const test = apiTest(dialect)

  test('the organiser sets, changes, lists and removes wishes', async ({ api }) => {
    const { eventId, associations, companies } = await smallEvent(api)
    const put = (json: unknown) => api.call('PUT', `/api/events/${eventId}/wishes`, { token: api.org, json })
    const r = await put({ from: associations[0]!.id, to: companies[0]!.id, level: 'like' })
    expect(r.status).toBe(200)
    expect(r.body.wish).toMatchObject({ from: associations[0]!.id, to: companies[0]!.id, level: 'like', setBy: 'organiser' })
    expect((await put({ from: associations[0]!.id, to: companies[0]!.id, level: 'must' })).body.wish.level).toBe('must')
    await put({ from: companies[1]!.id, to: associations[1]!.id, level: 'avoid' })
    const all = await api.call('GET', `/api/events/${eventId}/wishes`, { token: api.org })
    expect(all.body.wishes).toHaveLength(2)
    const mine = await api.call('GET', `/api/events/${eventId}/wishes?from=${associations[0]!.id}`, { token: api.org })
    expect(mine.body.wishes.map((w: { level: string }) => w.level)).toEqual(['must'])
    expect((await put({ from: associations[0]!.id, to: companies[0]!.id, level: null })).body.wish).toBeNull()
    expect((await api.call('GET', `/api/events/${eventId}/wishes`, { token: api.org })).body.wishes).toHaveLength(1)
  })

  test('a wish must target the other side of the same event', async ({ api }) => {
    const { eventId, associations } = await smallEvent(api)
    const same = await api.call('PUT', `/api/events/${eventId}/wishes`, { token: api.org, json: { from: associations[0]!.id, to: associations[1]!.id, level: 'like' } })
    expect(same.status).toBe(422)
    expect(same.body.error.issues[0].path).toBe('to')
    const unknown = await api.call('PUT', `/api/events/${eventId}/wishes`, { token: api.org, json: { from: 'x', to: associations[1]!.id, level: 'like' } })
    expect(unknown.body.error.issues[0].path).toBe('from')
    const badLevel = await api.call('PUT', `/api/events/${eventId}/wishes`, { token: api.org, json: { from: associations[0]!.id, to: 'y', level: 'adore' } })
    expect(badLevel.status).toBe(422)
  })

  test('/api/me: registration, event, and own published schedule only', async ({ api }) => {
    const { eventId, associations } = await smallEvent(api)
    const me = associations[0]!
    const before = await api.call('GET', '/api/me', { token: me.token })
    expect(before.status).toBe(200)
    expect(before.body.participant.id).toBe(me.id)
    expect(before.body.event.id).toBe(eventId)
    expect(before.body.schedule).toBeNull()
    await api.call('POST', `/api/events/${eventId}/schedule?publish=1`, { token: api.org })
    const after = await api.call('GET', '/api/me', { token: me.token })
    expect(after.body.schedule.version).toBe(1)
    expect(after.body.schedule.meetings).toHaveLength(3)
    for (const m of after.body.schedule.meetings) expect(m.with.registrationId).not.toBe(me.id)
    expect(JSON.stringify(after.body)).not.toContain(associations[1]!.id)
  })

  test('the participant lists the other side (no contact details) and sets its own wishes', async ({ api }) => {
    const { associations, companies } = await smallEvent(api)
    const me = associations[0]!
    const others = await api.call('GET', '/api/me/participants', { token: me.token })
    expect(others.body.participants.map((p: { registrationId: string }) => p.registrationId).sort()).toEqual(companies.map((c) => c.id).sort())
    expect(others.body.participants[0].organisation.contactEmail).toBeUndefined()
    const put = await api.call('PUT', '/api/me/wishes', {
      token: me.token,
      json: { wishes: [{ to: companies[0]!.id, level: 'must' }, { to: companies[2]!.id, level: 'avoid' }] },
    })
    expect(put.status).toBe(200)
    expect(put.body.wishes.map((w: { setBy: string }) => w.setBy)).toEqual(['participant', 'participant'])
    const replaced = await api.call('PUT', '/api/me/wishes', { token: me.token, json: { wishes: [{ to: companies[1]!.id, level: 'like' }] } })
    expect(replaced.body.wishes).toHaveLength(1)
    expect((await api.call('GET', '/api/me/wishes', { token: me.token })).body.wishes[0].to).toBe(companies[1]!.id)
  })

  test('a participant cannot wish about its own side, twice, or outside its event', async ({ api }) => {
    const { associations, companies } = await smallEvent(api)
    const other = await smallEvent(api)
    const me = associations[0]!
    const own = await api.call('PUT', '/api/me/wishes', { token: me.token, json: { wishes: [{ to: associations[1]!.id, level: 'like' }] } })
    expect(own.status).toBe(422)
    expect(own.body.error.issues[0].path).toBe('wishes.0.to')
    const twice = await api.call('PUT', '/api/me/wishes', {
      token: me.token,
      json: { wishes: [{ to: companies[0]!.id, level: 'like' }, { to: companies[0]!.id, level: 'must' }] },
    })
    expect(twice.status).toBe(422)
    const elsewhere = await api.call('PUT', '/api/me/wishes', { token: me.token, json: { wishes: [{ to: other.companies[0]!.id, level: 'like' }] } })
    expect(elsewhere.status).toBe(422)
  })

  test('wishes close when the event is live', async ({ api }) => {
    const { eventId, associations, companies } = await smallEvent(api)
    await api.call('POST', `/api/events/${eventId}/schedule?publish=1`, { token: api.org })
    await api.call('POST', `/api/events/${eventId}/status`, { token: api.org, json: { status: 'live' } })
    const r = await api.call('PUT', '/api/me/wishes', { token: associations[0]!.token, json: { wishes: [{ to: companies[0]!.id, level: 'like' }] } })
    expect(r.status).toBe(409)
  })

  test('access: /api/me needs a participant token; a participant reaches nothing else', async ({ api }) => {
    const { eventId, associations } = await smallEvent(api)
    expect((await api.call('GET', '/api/me')).status).toBe(401)
    expect((await api.call('GET', '/api/me', { token: api.org })).status).toBe(403)
    expect((await api.call('GET', '/api/me', { token: api.lab })).status).toBe(403)
    const p = associations[0]!.token
    expect((await api.call('GET', `/api/events/${eventId}`, { token: p })).status).toBe(403)
    expect((await api.call('GET', `/api/events/${eventId}/wishes`, { token: p })).status).toBe(403)
    expect((await api.call('PUT', `/api/events/${eventId}/wishes`, { token: p, json: { from: associations[1]!.id, to: 'x', level: 'like' } })).status).toBe(403)
    expect((await api.call('GET', `/api/events/${eventId}/schedule/participants/${associations[1]!.id}`, { token: p })).status).toBe(403)
    expect((await api.call('GET', '/api/organisations', { token: p })).status).toBe(403)
    expect((await api.call('GET', '/api/me', { token: 'p_unknown' })).status).toBe(401)
  })
})
