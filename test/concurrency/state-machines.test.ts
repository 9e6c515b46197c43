/**
 * Integrity under concurrency: every state machine takes each request either in
 * full or not at all (409), never half, never twice. The requests go through the
 * in-process app at once (Promise.all); on PostgreSQL the pool of 4 connections
 * runs them truly in parallel, on SQLite their reads and writes interleave.
 */
import { describe, expect } from 'vitest'
import { publishedSchedule } from '../../src/db/repositories/schedules.repository.ts'
import { closeRating, holdRatingOpen } from '../../src/db/repositories/ratings.repository.ts'
import { publish } from '../../src/domain/schedules.ts'
import { apiTest, type Api } from '../helpers/api.ts'
import { createEvent, eventBody, smallEvent } from '../helpers/builders.ts'
import { dialects } from '../helpers/db.ts'
import { organiserIdOf, seedEvent, threeByThree } from '../helpers/followup-fixture.ts'

const statuses = (rs: { status: number }[]) => rs.map((r) => r.status)
const count = (rs: { status: number }[], status: number) => rs.filter((r) => r.status === status).length

async function eventRow(api: Api, eventId: string) {
  return api.db.selectFrom('events').selectAll().where('id', '=', eventId).executeTakeFirstOrThrow()
}

describe.each(dialects)('concurrent requests on %s', (dialect) => {
  const test = apiTest(dialect)

  test('10 concurrent "next round" on the room screen: the round moves once per 200, the others answer 409', async ({ api }) => {
    const eventId = await createEvent(api, api.org, { ...eventBody, rounds: 12, breaks: [] })
    const next = () =>
      api.app.request(`/evenements/${eventId}/salle/etat`, {
        method: 'POST',
        headers: { cookie: `org_token=${api.org}`, 'content-type': 'application/json' },
        body: JSON.stringify({ action: 'next' }),
      })
    const answers = await Promise.all(Array.from({ length: 10 }, next))
    expect(statuses(answers).every((s) => s === 200 || s === 409)).toBe(true)
    const state = await api.db.selectFrom('room_states').selectAll().where('event_id', '=', eventId).executeTakeFirstOrThrow()
    expect(state.round).toBe(count(answers, 200))
    expect(count(answers, 200)).toBeGreaterThan(0)
    // each 200 tells a different round: none was applied on top of a stale read
    const rounds = await Promise.all(answers.filter((r) => r.status === 200).map(async (r) => ((await r.json()) as { round: number }).round))
    expect(new Set(rounds).size).toBe(rounds.length)
  })

  test('the room screen refuses a JSON body that is not an object (4xx, not 500)', async ({ api }) => {
    const eventId = await createEvent(api)
    for (const body of ['null', '[]', '"next"', '{']) {
      const r = await api.app.request(`/evenements/${eventId}/salle/etat`, {
        method: 'POST',
        headers: { cookie: `org_token=${api.org}`, 'content-type': 'application/json' },
        body,
      })
      expect(r.status, body).toBeGreaterThanOrEqual(400)
      expect(r.status, body).toBeLessThan(500)
    }
  })

  test.for([4, 8])('%i concurrent solves of one event store as many versions, numbered 1..N', async (n, { api }) => {
    const { eventId } = await smallEvent(api)
    const answers = await Promise.all(
      Array.from({ length: n }, () => api.call('POST', `/api/events/${eventId}/schedule`, { token: api.org })),
    )
    expect(statuses(answers)).toEqual(Array(n).fill(201))
    const versions = answers.map((r) => r.body.schedule.version as number).sort((a, b) => a - b)
    expect(versions).toEqual(Array.from({ length: n }, (_, i) => i + 1))
    const stored = await api.db.selectFrom('schedules').select('version').where('event_id', '=', eventId).execute()
    expect(stored.length).toBe(n)
  })

  test('concurrent publishing of two versions: each takes effect in turn (200), exactly one ends published', async ({ api }) => {
    const { eventId } = await smallEvent(api)
    for (let i = 0; i < 2; i++) expect((await api.call('POST', `/api/events/${eventId}/schedule`, { token: api.org })).status).toBe(201)
    const answers = await Promise.all(
      [1, 2, 1, 2, 1, 2].map((v) => api.call('POST', `/api/events/${eventId}/schedules/${v}/publish`, { token: api.org })),
    )
    // publishings of one event run one after the other: none trips over the one-published index (409) or fails (500)
    expect(statuses(answers)).toEqual([200, 200, 200, 200, 200, 200])
    const published = await api.db.selectFrom('schedules').select('version').where('event_id', '=', eventId).where('published', '=', 1).execute()
    expect(published.length).toBe(1)
    expect((await eventRow(api, eventId)).status).toBe('scheduled')
  })

  test('publishing a full rotation with a stale view of the event (read before it went live) is refused', async ({ api }) => {
    const { eventId } = await smallEvent(api)
    expect((await api.call('POST', `/api/events/${eventId}/schedule?publish=1`, { token: api.org })).status).toBe(201)
    expect((await api.call('POST', `/api/events/${eventId}/schedule`, { token: api.org })).status).toBe(201)
    const stale = await eventRow(api, eventId)
    expect(stale.status).toBe('scheduled')
    expect((await api.call('POST', `/api/events/${eventId}/status`, { token: api.org, json: { status: 'live' } })).status).toBe(200)
    const v2 = await api.db.selectFrom('schedules').selectAll().where('event_id', '=', eventId).where('version', '=', 2).executeTakeFirstOrThrow()
    await expect(publish(api.db, stale, v2, '2026-11-24T18:05:00.000Z')).rejects.toMatchObject({ code: 'conflict' })
    expect((await publishedSchedule(api.db, eventId))?.version).toBe(1)
  })

  test('5 concurrent status changes from open: one transition takes effect, every 200 reports it, the others answer 409', async ({ api }) => {
    const { eventId } = await smallEvent(api)
    // published, then back to open: both draft and scheduled are allowed from here
    expect((await api.call('POST', `/api/events/${eventId}/schedule?publish=1`, { token: api.org })).status).toBe(201)
    expect((await api.call('POST', `/api/events/${eventId}/status`, { token: api.org, json: { status: 'open' } })).status).toBe(200)
    const wanted = ['draft', 'scheduled', 'draft', 'scheduled', 'draft'] as const
    const answers = await Promise.all(wanted.map((status) => api.call('POST', `/api/events/${eventId}/status`, { token: api.org, json: { status } })))
    expect(statuses(answers).every((s) => s === 200 || s === 409)).toBe(true)
    const final = (await eventRow(api, eventId)).status
    // a 200 either made the change or found the event already there (asking for the status it has changes nothing)
    const ok = answers.filter((r) => r.status === 200)
    expect(ok.length).toBeGreaterThan(0)
    for (const r of ok) expect(r.body.event.status).toBe(final)
    expect(wanted.filter((w, i) => answers[i]!.status === 200 && w !== final)).toEqual([])
    for (const r of answers.filter((a) => a.status === 409)) expect(r.body.error.message).not.toMatch(/ \/ |[a-f0-9]{8}-[a-f0-9]{4}/)
  })

  test('5 concurrent moves of a partnership from proposed to contacted: one 200, four 409, one history row', async ({ api }) => {
    const ev = await seedEvent(api.db, await organiserIdOf(api.db, api.org), threeByThree)
    const base = `/api/events/${ev.eventId}/partnerships`
    const created = await api.call('POST', base, { token: api.org, json: { meetingId: ev.meeting['A1-C1']!.id } })
    expect(created.status).toBe(201)
    const id = created.body.partnership.id as string
    const answers = await Promise.all(
      Array.from({ length: 5 }, () => api.call('POST', `${base}/${id}/status`, { token: api.org, json: { status: 'contacted' } })),
    )
    expect(statuses(answers).sort()).toEqual([200, 409, 409, 409, 409])
    const history = await api.db.selectFrom('partnership_history').selectAll().where('partnership_id', '=', id).orderBy('seq').execute()
    expect(history.map((h) => [h.seq, h.from_status, h.to_status])).toEqual([[1, null, 'proposed'], [2, 'proposed', 'contacted']])
  })

  test('concurrent moves to different statuses: the history is one chain, each row starting where the previous ended', async ({ api }) => {
    const ev = await seedEvent(api.db, await organiserIdOf(api.db, api.org), threeByThree)
    const base = `/api/events/${ev.eventId}/partnerships`
    const id = (await api.call('POST', base, { token: api.org, json: { meetingId: ev.meeting['A2-C2']!.id } })).body.partnership.id as string
    const moves = [{ status: 'contacted' }, { status: 'abandoned', reason: 'plus de nouvelles' }, { status: 'contacted' }, { status: 'abandoned', reason: 'x' }]
    const answers = await Promise.all(moves.map((json) => api.call('POST', `${base}/${id}/status`, { token: api.org, json })))
    expect(statuses(answers).every((s) => s === 200 || s === 409)).toBe(true)
    const history = await api.db.selectFrom('partnership_history').selectAll().where('partnership_id', '=', id).orderBy('seq').execute()
    expect(history.map((h) => h.seq)).toEqual(history.map((_, i) => i + 1))
    for (let i = 1; i < history.length; i++) expect(history[i]!.from_status).toBe(history[i - 1]!.to_status)
    expect(history.length).toBe(1 + count(answers, 200))
    const row = await api.db.selectFrom('partnerships').select('status').where('id', '=', id).executeTakeFirstOrThrow()
    expect(row.status).toBe(history.at(-1)!.to_status)
  })

  test('closing rating concurrently: every caller gets the one closing time that is kept', async ({ api }) => {
    const ev = await seedEvent(api.db, await organiserIdOf(api.db, api.org), threeByThree)
    const times = ['2026-11-24T21:00:00.000Z', '2026-11-24T21:00:01.000Z', '2026-11-24T21:00:02.000Z', '2026-11-24T21:00:03.000Z']
    const answers = await Promise.all(times.map((now, i) => closeRating(api.db, ev.eventId, `organiser:${i}`, now)))
    const stored = await api.db.selectFrom('event_settings').selectAll().where('event_id', '=', ev.eventId).executeTakeFirstOrThrow()
    expect(new Set(answers)).toEqual(new Set([stored.rating_closed_at]))
    // the same through HTTP: idempotent, 200 with the kept time
    const http = await Promise.all(Array.from({ length: 4 }, () => api.call('POST', `/api/events/${ev.eventId}/ratings/close`, { token: api.org })))
    expect(statuses(http)).toEqual([200, 200, 200, 200])
    expect(new Set(http.map((r) => r.body.closedAt))).toEqual(new Set([stored.rating_closed_at]))
  })

  test('closing rating waits for a rating being written, and refuses the ones after it', async ({ api }) => {
    const ev = await seedEvent(api.db, await organiserIdOf(api.db, api.org), threeByThree)
    let closing: Promise<string> | undefined
    let closedMeanwhile = false
    await api.db.transaction().execute(async (tx) => {
      expect(await holdRatingOpen(tx, ev.eventId)).toBeNull()
      closing = closeRating(api.db, ev.eventId, 'organiser:x', '2026-11-24T21:00:00.000Z')
      void closing.then(() => (closedMeanwhile = true))
      await new Promise((resolve) => setTimeout(resolve, 150))
    })
    expect(closedMeanwhile).toBe(false)
    expect(await closing).toBe('2026-11-24T21:00:00.000Z')
    const after = await api.call('POST', `/api/events/${ev.eventId}/ratings/slip`, {
      token: api.org, json: { code: ev.meeting['A1-C1']!.code, side: 'company', interest: 3, followUp: true },
    })
    expect([after.status, after.body.error.code]).toEqual([409, 'rating_closed'])
    expect(await api.db.selectFrom('ratings').selectAll().execute()).toEqual([])
  })

  test('slips typed while rating closes: each is saved (200) or refused (409 rating_closed), nothing in between', async ({ api }) => {
    const ev = await seedEvent(api.db, await organiserIdOf(api.db, api.org), threeByThree)
    const slips = Object.values(ev.meeting).map((m) => ({ code: m.code, side: 'company', interest: 3, followUp: true }))
    const [closed, ...answers] = await Promise.all([
      api.call('POST', `/api/events/${ev.eventId}/ratings/close`, { token: api.org }),
      ...slips.map((json) => api.call('POST', `/api/events/${ev.eventId}/ratings/slip`, { token: api.org, json })),
    ])
    expect(closed!.status).toBe(200)
    for (const r of answers) expect(r.status === 200 || (r.status === 409 && r.body.error.code === 'rating_closed')).toBe(true)
    expect((await api.db.selectFrom('ratings').selectAll().execute()).length).toBe(count(answers, 200))
  })
})
