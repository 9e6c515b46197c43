/**
 * Live updates without a browser: the live bus (in-process; across two
 * processes through PostgreSQL's LISTEN/NOTIFY), the server-sent event streams
 * of the room screen and of a participant's page, their JSON fallback, and the
 * participant's language (`PATCH /api/me`, its page).
 */
import { randomBytes } from 'node:crypto'
import type { AddressInfo } from 'node:net'
import { serve, type ServerType } from '@hono/node-server'
import { sql } from 'kysely'
import { afterEach, describe, expect, test as plain } from 'vitest'
import { openDatabase } from '../../src/db/database.ts'
import { listenForChanges, liveBus, LiveBus, publishChange, type LiveChange } from '../../src/domain/live.ts'
import { apiTest, makeApi, type Api } from '../helpers/api.ts'
import { addParticipant, createEvent, smallEvent } from '../helpers/builders.ts'
import { dialects, freshDatabase } from '../helpers/db.ts'

/** Reads server-sent events from a response, one message at a time. */
function sse(res: Response) {
  const reader = res.body!.getReader()
  const decoder = new TextDecoder()
  let buffer = ''
  return {
    /** the data of the next message named `event` (earlier messages of other names are skipped) */
    async next(event: string): Promise<any> {
      for (;;) {
        const end = buffer.indexOf('\n\n')
        if (end >= 0) {
          const block = buffer.slice(0, end)
          buffer = buffer.slice(end + 2)
          const name = /^event: (.*)$/m.exec(block)?.[1]
          const data = block.split('\n').filter((l) => l.startsWith('data: ')).map((l) => l.slice(6)).join('\n')
          if (name === event) return JSON.parse(data)
          continue
        }
        const { done, value } = await reader.read()
        if (done) throw new Error(`stream ended before a '${event}' message`)
        buffer += decoder.decode(value, { stream: true })
      }
    },
    /** true once the server has ended the stream */
    async ended(): Promise<boolean> {
      for (;;) {
        const { done } = await reader.read()
        if (done) return true
      }
    },
    close: () => reader.cancel(),
  }
}

/** The organiser cookie, as the login page sets it (after clearing the old ones). */
async function cookieOf(api: Api, token = api.org): Promise<string> {
  const login = await api.app.request('/connexion', { method: 'POST', body: new URLSearchParams({ token }) })
  return login.headers.getSetCookie().map((c) => c.split(';')[0]!).find((c) => /^org_token=.+/.test(c)) ?? ''
}

const stream = { accept: 'text/event-stream' }

describe('live bus', () => {
  plain('a subscriber gets its event’s changes until it stops; closing the bus tells the open streams', () => {
    const bus = new LiveBus()
    const seen: LiveChange[] = []
    const stop = bus.subscribe('e1', (c) => seen.push(c))
    bus.subscribe('e2', () => seen.push({ eventId: 'wrong', kind: 'clock' }))
    void bus.publish('e1', 'schedule')
    void bus.publish('e1', 'clock')
    expect(seen).toEqual([{ eventId: 'e1', kind: 'schedule' }, { eventId: 'e1', kind: 'clock' }])
    stop()
    void bus.publish('e1', 'schedule')
    expect(seen).toHaveLength(2)
    let closed = 0
    bus.onClose(() => closed++)
    void bus.close()
    expect(closed).toBe(1)
    expect(bus.subscribers('e2')).toBe(0)
  })
})

plain('closing the live bus (server shutdown) ends the open streams', async () => {
  // a database of its own: its bus stays closed
  const { db, drop } = await freshDatabase('sqlite')
  try {
    const api = await makeApi(db)
    const { companies } = await smallEvent(api)
    const events = sse(await api.app.request(`/p/${companies[0]!.token}/flux`, { headers: stream }))
    await events.next('state')
    expect(liveBus(db).subscribers((await db.selectFrom('events').select('id').executeTakeFirstOrThrow()).id)).toBe(1)
    await liveBus(db).close()
    await expect(events.ended()).resolves.toBe(true)
  } finally {
    await drop()
  }
})

plain('a page that goes away (its connection closed) leaves no subscriber behind', async () => {
  const { db, drop } = await freshDatabase('sqlite')
  const api = await makeApi(db)
  const { eventId, companies } = await smallEvent(api)
  const server = await new Promise<ServerType>((resolve) => {
    const s = serve({ fetch: api.app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s))
  })
  try {
    const abort = new AbortController()
    const res = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/p/${companies[0]!.token}/flux`, { headers: stream, signal: abort.signal })
    await sse(res).next('state')
    expect(liveBus(db).subscribers(eventId)).toBe(1)
    abort.abort()
    for (let i = 0; i < 100 && liveBus(db).subscribers(eventId) > 0; i++) await new Promise((r) => setTimeout(r, 50))
    expect(liveBus(db).subscribers(eventId)).toBe(0)
  } finally {
    await new Promise((resolve) => server.close(resolve))
    await drop()
  }
})

const postgresUrl = process.env.TEST_POSTGRES_URL
describe.skipIf(!postgresUrl)('live bus across processes on PostgreSQL (LISTEN/NOTIFY)', () => {
  const opened: { close: () => Promise<void> }[] = []
  afterEach(async () => {
    for (const o of opened.splice(0)) await o.close()
  })

  plain('a change published through one service process reaches the subscribers of another, once', async () => {
    // two "processes": two connection pools, each with its own bus and LISTEN connection, on one channel of their own
    const channel = `live_test_${randomBytes(4).toString('hex')}`
    const one = openDatabase(postgresUrl!).db
    const two = openDatabase(postgresUrl!).db
    opened.push({ close: () => liveBus(one).close().then(() => one.destroy()) }, { close: () => liveBus(two).close().then(() => two.destroy()) })
    const busOne = await listenForChanges(one, postgresUrl!, channel)
    const busTwo = await listenForChanges(two, postgresUrl!, channel)
    expect(busOne).not.toBe(busTwo)

    const atOne: LiveChange[] = []
    const atTwo: LiveChange[] = []
    busOne.subscribe('evt-1', (c) => atOne.push(c))
    const received = new Promise<LiveChange>((resolve) => busTwo.subscribe('evt-1', (c) => (atTwo.push(c), resolve(c))))
    publishChange(one, 'evt-1', 'schedule')
    await expect(received).resolves.toEqual({ eventId: 'evt-1', kind: 'schedule' })
    // and back: process two's clock move reaches process one
    const back = new Promise<LiveChange>((resolve) => busOne.subscribe('evt-1', (c) => c.kind === 'clock' && resolve(c)))
    await busTwo.publish('evt-1', 'clock')
    await expect(back).resolves.toEqual({ eventId: 'evt-1', kind: 'clock' })
    // a round trip more, so that any echo would have arrived: each process saw each change once
    const last = new Promise<void>((resolve) => busTwo.subscribe('evt-2', () => resolve()))
    await busOne.publish('evt-2', 'event')
    await last
    expect(atOne).toEqual([{ eventId: 'evt-1', kind: 'schedule' }, { eventId: 'evt-1', kind: 'clock' }])
    expect(atTwo).toEqual([{ eventId: 'evt-1', kind: 'schedule' }, { eventId: 'evt-1', kind: 'clock' }])
  })

  plain('a lost LISTEN connection is opened again: the pages are told to refetch, and changes flow again', async () => {
    const channel = `live_test_${randomBytes(4).toString('hex')}`
    const one = openDatabase(postgresUrl!).db
    const two = openDatabase(postgresUrl!).db
    opened.push({ close: () => liveBus(one).close().then(() => one.destroy()) }, { close: () => liveBus(two).close().then(() => two.destroy()) })
    const busOne = await listenForChanges(one, postgresUrl!, channel)
    const busTwo = await listenForChanges(two, postgresUrl!, channel)
    const seen: LiveChange[] = []
    let notify = () => {}
    busTwo.subscribe('evt-3', (c) => (seen.push(c), notify()))
    const until = (test: () => boolean) => new Promise<void>((resolve) => ((notify = () => test() && resolve()), test() && resolve()))
    // the database drops both listening connections (a restart, a network cut)
    const { rows } = await sql<{ pid: number }>`select pid from pg_stat_activity where query = ${`LISTEN "${channel}"`}`.execute(one)
    expect(rows).toHaveLength(2)
    await sql`select pg_terminate_backend(pid) from pg_stat_activity where query = ${`LISTEN "${channel}"`}`.execute(one)
    // both listen again and tell their pages to refetch
    await until(() => seen.some((c) => c.kind === 'resync'))
    expect(seen).toEqual([{ eventId: '*', kind: 'resync' }])
    await busOne.publish('evt-3', 'schedule')
    await until(() => seen.length === 2)
    expect(seen[1]).toEqual({ eventId: 'evt-3', kind: 'schedule' })
  })
})

describe.each(dialects)('live pages on %s', (dialect) => {
  const test = apiTest(dialect)

  test('the room screen’s stream sends the rotation and the clock, then each change: a clock move, a re-plan published', async ({ api }) => {
    const { eventId, associations } = await smallEvent(api)
    expect((await api.call('POST', `/api/events/${eventId}/schedule?publish=1`, { token: api.org })).status).toBe(201)
    const cookie = await cookieOf(api)
    const res = await api.app.request(`/evenements/${eventId}/salle/flux`, { headers: { cookie, ...stream } })
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toContain('text/event-stream')
    const events = sse(res)
    const first = await events.next('data')
    expect(first.rounds).toHaveLength(4)
    // the clock times of the timetable, in French: 18:30, 7-minute meetings, 1 minute between, a 10-minute break after round 2
    expect(first.times).toEqual({
      start: '18\u00a0h\u00a030',
      rounds: ['18\u00a0h\u00a030\u00a0– 18\u00a0h\u00a037', '18\u00a0h\u00a038\u00a0– 18\u00a0h\u00a045', '18\u00a0h\u00a056\u00a0– 19\u00a0h\u00a003', '19\u00a0h\u00a004\u00a0– 19\u00a0h\u00a011'],
      breaks: { '2': '18\u00a0h\u00a046\u00a0– 18\u00a0h\u00a056' },
    })
    expect(await events.next('clock')).toMatchObject({ round: 0, rounds: 4 })

    // another screen starts the evening: this one hears it
    const moved = await api.app.request(`/evenements/${eventId}/salle/etat`, { method: 'POST', headers: { cookie, 'content-type': 'application/json' }, body: '{"action":"next"}' })
    expect(moved.status).toBe(200)
    expect(await events.next('clock')).toMatchObject({ round: 1, running: true })

    // someone leaves; the organiser re-plans from round 2 and publishes: the screen gets the new rotation
    await api.call('POST', `/api/events/${eventId}/participants/${associations[0]!.id}/attendance`, { token: api.org, json: { attendance: 'absent' } })
    expect((await api.call('POST', `/api/events/${eventId}/schedule/replan?publish=1`, { token: api.org, json: { fromRound: 2 } })).status).toBe(201)
    const replanned = await events.next('data')
    expect(replanned.stamp).not.toBe(first.stamp)
    // the absent association was in rounds 2 to 4 before, and is no more
    const laterRounds = (data: { rounds: unknown[][] }) => JSON.stringify(data.rounds.slice(1))
    expect(laterRounds(first)).toContain('Jardins de la Montagne Verte')
    expect(laterRounds(replanned)).not.toContain('Jardins de la Montagne Verte')
    await events.close()

    // the fallback: the same state as JSON, the rotation only when the page's stamp is not the current one
    const polled = await (await api.app.request(`/evenements/${eventId}/salle/flux`, { headers: { cookie } })).json()
    expect(polled).toMatchObject({ clock: { round: 1 }, stamp: replanned.stamp, data: { stamp: replanned.stamp } })
    const same = (await (await api.app.request(`/evenements/${eventId}/salle/flux?stamp=${encodeURIComponent(replanned.stamp)}`, { headers: { cookie } })).json()) as { data: unknown }
    expect(same.data).toBeNull()
    // another organiser's cookie: not found, no stream
    const otherCookie = await cookieOf(api, api.org2)
    expect((await api.app.request(`/evenements/${eventId}/salle/flux`, { headers: { cookie: otherCookie, ...stream } })).status).toBe(404)
  })

  test('before a rotation is published, new times reach the room screen (« Début à … »)', async ({ api }) => {
    const { eventId } = await smallEvent(api)
    const cookie = await cookieOf(api)
    const events = sse(await api.app.request(`/evenements/${eventId}/salle/flux`, { headers: { cookie, ...stream } }))
    const first = await events.next('data')
    expect(first.times.start).toBe('18\u00a0h\u00a030')
    expect((await api.call('PATCH', `/api/events/${eventId}`, { token: api.org, json: { startTime: '19:00' } })).status).toBe(200)
    const moved = await events.next('data')
    expect(moved.times.start).toBe('19\u00a0h\u00a000')
    await events.close()
    // the polling fallback sees the data changed too
    const polled = (await (await api.app.request(`/evenements/${eventId}/salle/flux?stamp=${encodeURIComponent(first.stamp)}`, { headers: { cookie } })).json()) as { data: { stamp: string } | null }
    expect(polled.data?.stamp).toBe(moved.stamp)
  })

  test('a participant’s stream tells its page when its own programme changed and which round is under way', async ({ api }) => {
    const { eventId, companies } = await smallEvent(api)
    expect((await api.call('POST', `/api/events/${eventId}/schedule?publish=1`, { token: api.org })).status).toBe(201)
    const me = companies[0]!
    const res = await api.app.request(`/p/${me.token}/flux`, { headers: stream })
    expect(res.status).toBe(200)
    expect(res.headers.get('cache-control')).toBe('no-store')
    const events = sse(res)
    const first = await events.next('state')
    expect(first).toMatchObject({ round: null })
    const page = await (await api.app.request(`/p/${me.token}`)).text()
    expect(page).toContain(`data-programme="${first.programme}"`)
    expect(page).toContain(`data-stamp="${first.stamp}"`)

    // the room screen starts round 1
    const cookie = await cookieOf(api)
    await api.app.request(`/evenements/${eventId}/salle/etat`, { method: 'POST', headers: { cookie, 'content-type': 'application/json' }, body: '{"action":"next"}' })
    expect(await events.next('state')).toMatchObject({ round: 1, programme: first.programme, stamp: first.stamp })

    // whoever this company meets in round 2 leaves; a re-plan from round 2 is published: its programme changed
    const meetings = (await api.call('GET', '/api/me/meetings', { token: me.token })).body.meetings as { round: number; with: { organisation: string } }[]
    const round2 = meetings.find((m) => m.round === 2)!
    const leaving = (await api.call('GET', `/api/events/${eventId}/participants`, { token: api.org })).body.participants.find(
      (p: { organisation: { name: string } }) => p.organisation.name === round2.with.organisation,
    )
    await api.call('POST', `/api/events/${eventId}/participants/${leaving.id}/attendance`, { token: api.org, json: { attendance: 'absent' } })
    expect((await api.call('POST', `/api/events/${eventId}/schedule/replan?publish=1`, { token: api.org, json: { fromRound: 2 } })).status).toBe(201)
    const after = await events.next('state')
    expect(after.stamp).not.toBe(first.stamp)
    expect(after.programme).not.toBe(first.programme)
    // the polling fallback reads the same state as JSON
    const polled = await (await api.app.request(`/p/${me.token}/flux`)).json()
    expect(polled).toEqual({ round: 1, stamp: after.stamp, programme: after.programme })
    expect((await api.app.request('/p/p_not-a-secret/flux', { headers: stream })).status).toBe(404)
    // the link is revoked: at the next change the open stream ends
    expect((await api.call('DELETE', `/api/events/${eventId}/participants/${me.id}/link`, { token: api.org })).status).toBeLessThan(300)
    await api.app.request(`/evenements/${eventId}/salle/etat`, { method: 'POST', headers: { cookie, 'content-type': 'application/json' }, body: '{"action":"next"}' })
    await expect(events.ended()).resolves.toBe(true)
  })


  test('a participant chooses English: its page and its e-mails; French by default, ?lang= for one visit', async ({ api }) => {
    const eventId = await createEvent(api)
    const anna = await addParticipant(api, eventId, 'association', 'Entraide Neudorf', { personName: 'Anna Keller', personEmail: 'anna@entraide.example.org' })
    expect((await api.call('GET', '/api/me', { token: anna.token })).body.locale).toBe('fr')
    expect(await (await api.app.request(`/p/${anna.token}`)).text()).toContain('<html lang="fr">')
    // an unknown language is refused, naming the field
    const refused = await api.call('PATCH', '/api/me', { token: anna.token, json: { locale: 'de' } })
    expect(refused.status).toBe(422)
    expect(refused.body.error.issues[0].path).toBe('locale')
    // the form on the page
    const saved = await api.app.request(`/p/${anna.token}/langue`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'locale=en', redirect: 'manual' })
    expect(saved.status).toBe(303)
    expect(saved.headers.get('location')).toBe(`/p/${anna.token}?saved=locale`)
    expect((await api.call('GET', '/api/me', { token: anna.token })).body.locale).toBe('en')
    const english = await (await api.app.request(`/p/${anna.token}?saved=locale`, { headers: { cookie: 'lang=fr' } })).text()
    expect(english).toContain('<html lang="en">')
    expect(english).toContain('Language saved: this page and your e-mails will be in English.')
    expect(english).toMatch(/<input type="radio" name="locale" value="en" checked=""/)
    // ?lang= shows French for this visit, without changing the choice
    expect(await (await api.app.request(`/p/${anna.token}?lang=fr`)).text()).toContain('<html lang="fr">')
    expect((await api.call('GET', '/api/me', { token: anna.token })).body.locale).toBe('en')
    // her invitation is in English
    await api.call('POST', `/api/events/${eventId}/messages`, { token: api.org, json: { kind: 'invitation' } })
    const message = await api.db.selectFrom('outbox').select(['subject', 'body_text']).executeTakeFirstOrThrow()
    expect(message.subject).toBe('Invitation: Soirée partenariats Strasbourg')
    expect(message.body_text).toMatch(/^Hello Anna Keller,/)
    // and back to French
    expect((await api.call('PATCH', '/api/me', { token: anna.token, json: { locale: 'fr' } })).body).toEqual({ locale: 'fr' })
  })
})
