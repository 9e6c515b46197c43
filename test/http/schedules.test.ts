import { describe, expect, test as plainTest } from 'vitest'
import { workerSolver } from '../../src/domain/solver-runner.ts'
import { apiTest, makeApi } from '../helpers/api.ts'
import { addParticipant, createEvent, smallEvent } from '../helpers/builders.ts'
import { dialects, freshDatabase } from '../helpers/db.ts'

interface M { round: number; table: number; association: { registrationId: string }; company: { registrationId: string }; shortCode: string }

describe.each(dialects)('schedules on %s', (dialect) => {
  const test = apiTest(dialect)

  test('solve stores a version with its meetings; publish makes it the one', async ({ api }) => {
    const { eventId } = await smallEvent(api)
    const r = await api.call('POST', `/api/events/${eventId}/schedule`, { token: api.org })
    expect(r.status).toBe(201)
    expect(r.body.schedule).toMatchObject({ version: 1, kind: 'full', published: false })
    expect(['optimal', 'feasible']).toContain(r.body.schedule.status)
    expect(r.body.schedule.inputDigest).toMatch(/^[0-9a-f]{64}$/)
    expect(r.body.schedule.createdBy).toMatch(/^organiser:/)
    const meetings: M[] = r.body.meetings
    expect(meetings.length).toBe(r.body.schedule.meetingCount)
    expect(meetings.length).toBe(9) // 3 x 3 over 4 rounds: everyone meets everyone
    const codes = meetings.map((m) => m.shortCode)
    expect(new Set(codes).size).toBe(codes.length)
    for (const code of codes) expect(code).toMatch(/^[ACEFHJKMNPRTUVWXY34679]{4}$/)
    expect((await api.call('GET', `/api/events/${eventId}/schedule`, { token: api.org })).status).toBe(409)

    const pub = await api.call('POST', `/api/events/${eventId}/schedules/1/publish`, { token: api.org })
    expect(pub.status).toBe(200)
    const second = await api.call('POST', `/api/events/${eventId}/schedule?publish=1`, { token: api.org })
    expect(second.body.schedule).toMatchObject({ version: 2, published: true })
    expect(second.body.schedule.inputDigest).toBe(r.body.schedule.inputDigest)
    const codes2 = second.body.meetings.map((m: M) => m.shortCode)
    expect(codes2.filter((c: string) => codes.includes(c))).toEqual([])
    const versions = await api.call('GET', `/api/events/${eventId}/schedules`, { token: api.org })
    expect(versions.body.schedules.map((s: { version: number; published: boolean }) => [s.version, s.published])).toEqual([
      [2, true],
      [1, false],
    ])
    const v1 = await api.call('GET', `/api/events/${eventId}/schedules/1`, { token: api.org })
    expect(v1.body.meetings).toHaveLength(9)
    expect((await api.call('GET', `/api/events/${eventId}/schedules/7`, { token: api.org })).status).toBe(404)
    expect((await api.call('POST', `/api/events/${eventId}/schedules/x/publish`, { token: api.org })).status).toBe(404)
  })

  test('the digest changes with the input', async ({ api }) => {
    const { eventId, associations } = await smallEvent(api)
    const first = await api.call('POST', `/api/events/${eventId}/schedule`, { token: api.org })
    await api.call('PATCH', `/api/events/${eventId}/participants/${associations[0]!.id}`, { token: api.org, json: { arriveRound: 2 } })
    const second = await api.call('POST', `/api/events/${eventId}/schedule`, { token: api.org })
    expect(second.body.schedule.inputDigest).not.toBe(first.body.schedule.inputDigest)
  })

  test('views: by round, by participant, by table, one participant, CSV', async ({ api }) => {
    const { eventId, associations, companies } = await smallEvent(api)
    await api.call('POST', `/api/events/${eventId}/schedule?publish=1`, { token: api.org })
    const byRound = await api.call('GET', `/api/events/${eventId}/schedule`, { token: api.org })
    expect(byRound.body.view).toBe('round')
    expect(byRound.body.rounds).toHaveLength(4)
    expect(byRound.body.rounds.map((r: { start: string }) => r.start)).toEqual(['18:30', '18:38', '18:56', '19:04'])
    expect(byRound.body.rounds[1].breakAfterMinutes).toBe(10)
    // 6 people x 4 rounds, 9 meetings of 2: 6 person-rounds without a meeting
    const waiting = byRound.body.rounds.map((r: { waiting: unknown[] }) => r.waiting.length)
    expect(waiting.reduce((a: number, b: number) => a + b, 0)).toBe(6)
    const all: M[] = byRound.body.rounds.flatMap((r: { meetings: M[] }) => r.meetings)
    expect(all).toHaveLength(9)
    // companies stay seated: each company keeps its table
    for (const c of companies) expect(new Set(all.filter((m) => m.company.registrationId === c.id).map((m) => m.table)).size).toBe(1)

    const byParticipant = await api.call('GET', `/api/events/${eventId}/schedule?view=participant`, { token: api.org })
    expect(byParticipant.body.participants).toHaveLength(6)
    for (const p of byParticipant.body.participants) expect(p.meetings).toHaveLength(3)

    const byTable = await api.call('GET', `/api/events/${eventId}/schedule?view=table`, { token: api.org })
    expect(byTable.body.tables.map((t: { table: number }) => t.table)).toEqual([1, 2, 3])

    expect((await api.call('GET', `/api/events/${eventId}/schedule?view=grid`, { token: api.org })).status).toBe(422)

    const one = await api.call('GET', `/api/events/${eventId}/schedule/participants/${associations[0]!.id}`, { token: api.org })
    expect(one.body.participant.meetings).toHaveLength(3)
    expect(one.body.participant.meetings[0].with.name).toBeTruthy()
    expect((await api.call('GET', `/api/events/${eventId}/schedule/participants/nope`, { token: api.org })).status).toBe(404)

    const csv = await api.call('GET', `/api/events/${eventId}/schedule.csv`, { token: api.org })
    expect(csv.status).toBe(200)
    expect(csv.headers.get('content-type')).toContain('text/csv')
    const lines = csv.text.replace(/^\uFEFF/, '').trim().split('\r\n')
    expect(lines[0]).toBe('rencontre;heure;fin;table;association;participant association;entreprise;participant entreprise;code;score')
    expect(lines).toHaveLength(10)
    expect(lines[1]).toMatch(/^1;18:30;18:37;1;/)
  })

  test('exclusions and "do not want" wishes are never paired', async ({ api }) => {
    const { eventId, associations, companies } = await smallEvent(api)
    await api.call('POST', `/api/events/${eventId}/exclusions`, {
      token: api.org,
      json: { associationId: associations[0]!.organisationId, companyId: companies[0]!.organisationId, reason: 'existing-partnership' },
    })
    await api.call('PUT', `/api/events/${eventId}/wishes`, { token: api.org, json: { from: companies[1]!.id, to: associations[1]!.id, level: 'avoid' } })
    const r = await api.call('POST', `/api/events/${eventId}/schedule`, { token: api.org })
    const pairs = r.body.meetings.map((m: M) => `${m.association.registrationId} ${m.company.registrationId}`)
    expect(pairs).not.toContain(`${associations[0]!.id} ${companies[0]!.id}`)
    expect(pairs).not.toContain(`${associations[1]!.id} ${companies[1]!.id}`)
    expect(pairs).toHaveLength(7)
  })

  test('an infeasible run is stored but cannot be published: 409 with the reason', async ({ api }) => {
    const eventId = await createEvent(api)
    const a = await addParticipant(api, eventId, 'association', 'Entraide Neudorf', { arriveRound: 3 })
    const c = await addParticipant(api, eventId, 'company', 'Brasserie du Kochersberg', { leaveRound: 2 })
    await api.call('PUT', `/api/events/${eventId}/wishes`, { token: api.org, json: { from: a.id, to: c.id, level: 'must' } })
    const r = await api.call('POST', `/api/events/${eventId}/schedule`, { token: api.org })
    expect(r.status).toBe(201)
    expect(r.body.schedule.status).toBe('infeasible')
    expect(r.body.schedule.reason).toBeTruthy()
    const pub = await api.call('POST', `/api/events/${eventId}/schedules/1/publish`, { token: api.org })
    expect(pub.status).toBe(409)
    expect(pub.body.error.code).toBe('schedule_infeasible')
    // the reason in words: the organisations by their names, never their ids, in the request's language
    expect(pub.body.error.message).toContain('la paire obligatoire Entraide Neudorf – Brasserie du Kochersberg')
    expect(pub.body.error.message).not.toMatch(/[0-9a-f]{8}-[0-9a-f]{4}-|\/ required/)
    const en = await api.call('POST', `/api/events/${eventId}/schedules/1/publish`, { token: api.org, headers: { 'accept-language': 'en' } })
    expect(en.body.error.message).toBe('Version 1 is infeasible and cannot be published: required pair never present at the same time')
    const direct = await api.call('POST', `/api/events/${eventId}/schedule?publish=1`, { token: api.org })
    expect(direct.status).toBe(409)
    const versions = await api.call('GET', `/api/events/${eventId}/schedules`, { token: api.org })
    expect(versions.body.schedules).toHaveLength(2)
  })

  test('solving an event without both sides answers 409', async ({ api }) => {
    const eventId = await createEvent(api)
    await addParticipant(api, eventId, 'association', 'Entraide Neudorf')
    const r = await api.call('POST', `/api/events/${eventId}/schedule`, { token: api.org })
    expect(r.status).toBe(409)
  })

  test('replan: played rounds and their codes kept, absentee removed, walk-in added', async ({ api }) => {
    const { eventId, associations, companies } = await smallEvent(api)
    const first = await api.call('POST', `/api/events/${eventId}/schedule?publish=1`, { token: api.org })
    const played: M[] = first.body.meetings.filter((m: M) => m.round < 3)
    await api.call('POST', `/api/events/${eventId}/status`, { token: api.org, json: { status: 'live' } })
    const gone = associations[2]!.id
    await api.call('POST', `/api/events/${eventId}/participants/${gone}/attendance`, { token: api.org, json: { attendance: 'absent' } })
    const walkIn = await addParticipant(api, eventId, 'association', 'Vélo-École Schiltigheim')

    const noBody = await api.call('POST', `/api/events/${eventId}/schedule/replan`, { token: api.org, json: {} })
    expect(noBody.status).toBe(422)
    const late = await api.call('POST', `/api/events/${eventId}/schedule/replan`, { token: api.org, json: { fromRound: 9 } })
    expect(late.status).toBe(422)

    const r = await api.call('POST', `/api/events/${eventId}/schedule/replan?publish=1`, { token: api.org, json: { fromRound: 3 } })
    expect(r.status, r.text).toBe(201)
    expect(r.body.schedule).toMatchObject({ kind: 'replan', fromRound: 3, version: 2, published: true })
    const meetings: M[] = r.body.meetings
    const key = (m: M) => `${m.round} ${m.table} ${m.association.registrationId} ${m.company.registrationId} ${m.shortCode}`
    expect(meetings.filter((m) => m.round < 3).map(key).sort()).toEqual(played.map(key).sort())
    const later = meetings.filter((m) => m.round >= 3)
    expect(later.some((m) => m.association.registrationId === gone)).toBe(false)
    expect(later.some((m) => m.association.registrationId === walkIn.id)).toBe(true)
    // no pair twice
    const pairs = meetings.map((m) => `${m.association.registrationId} ${m.company.registrationId}`)
    expect(new Set(pairs).size).toBe(pairs.length)
    expect(companies).toHaveLength(3)
  })

  test('on the night a full rotation cannot replace the published one: 409, re-plan instead', async ({ api }) => {
    const { eventId } = await smallEvent(api)
    await api.call('POST', `/api/events/${eventId}/schedule?publish=1`, { token: api.org })
    await api.call('POST', `/api/events/${eventId}/status`, { token: api.org, json: { status: 'live' } })
    const full = await api.call('POST', `/api/events/${eventId}/schedule?publish=1`, { token: api.org })
    expect(full.status).toBe(409)
    expect(full.body.error.code).toBe('conflict')
    expect(full.body.error.message).toMatch(/replanifiez/)
    const versions = await api.call('GET', `/api/events/${eventId}/schedules`, { token: api.org })
    expect(versions.body.schedules.filter((s: { published: boolean }) => s.published).map((s: { version: number }) => s.version)).toEqual([1])
    const replan = await api.call('POST', `/api/events/${eventId}/schedule/replan?publish=1`, { token: api.org, json: { fromRound: 2 } })
    expect(replan.status, replan.text).toBe(201)
  })

  test('ratings given before a re-plan follow their meeting into the new version', async ({ api }) => {
    const { eventId, associations } = await smallEvent(api)
    await api.call('POST', `/api/events/${eventId}/schedule?publish=1`, { token: api.org })
    await api.call('POST', `/api/events/${eventId}/status`, { token: api.org, json: { status: 'live' } })
    // the room screen has reached round 1: its meetings may be rated (issue 10: not before)
    await api.db.insertInto('room_states').values({ event_id: eventId, round: 1, on_break: 0, running_since: null, elapsed_ms: 0, updated_at: '2026-11-24T18:00:00.000Z' }).execute()
    const me = associations[0]!.token
    const before = await api.call('GET', '/api/me/meetings', { token: me })
    const first = before.body.meetings.find((m: { round: number }) => m.round === 1)
    expect(first).toBeDefined()
    const rated = await api.call('PUT', `/api/me/meetings/${first.id}/rating`, {
      token: me,
      json: { tookPlace: true, interest: 4, followUp: true },
    })
    expect(rated.status, rated.text).toBe(200)

    const replan = await api.call('POST', `/api/events/${eventId}/schedule/replan?publish=1`, { token: api.org, json: { fromRound: 2 } })
    expect(replan.status, replan.text).toBe(201)
    const after = await api.call('GET', '/api/me/meetings', { token: me })
    const same = after.body.meetings.find((m: { round: number }) => m.round === 1)
    expect(same.id).not.toBe(first.id)
    expect(same.shortCode).toBe(first.shortCode)
    expect(same.rating).toMatchObject({ interest: 4, followUp: true })
    expect(await api.db.selectFrom('ratings').selectAll().execute()).toHaveLength(1)
  })

  test('replan without a published schedule answers 409', async ({ api }) => {
    const { eventId } = await smallEvent(api)
    const r = await api.call('POST', `/api/events/${eventId}/schedule/replan`, { token: api.org, json: { fromRound: 2 } })
    expect(r.status).toBe(409)
    expect(r.body.error.code).toBe('no_published_schedule')
  })

  test('access: lab 403, participant 403, another organiser 404', async ({ api }) => {
    const { eventId, associations } = await smallEvent(api)
    await api.call('POST', `/api/events/${eventId}/schedule?publish=1`, { token: api.org })
    const other = associations[1]!.id
    for (const path of [`/api/events/${eventId}/schedule`, `/api/events/${eventId}/schedule/participants/${other}`, `/api/events/${eventId}/schedule.csv`]) {
      expect((await api.call('GET', path, { token: api.lab })).status, path).toBe(403)
      expect((await api.call('GET', path, { token: associations[0]!.token })).status, path).toBe(403)
      expect((await api.call('GET', path, { token: api.org2 })).status, path).toBe(404)
      expect((await api.call('GET', path)).status, path).toBe(401)
    }
  })
})

plainTest('with the solver in a worker thread, as npm start runs it', async () => {
  const { db, drop } = await freshDatabase('sqlite')
  const solver = workerSolver()
  try {
    const api = await makeApi(db, { solver })
    const { eventId } = await smallEvent(api)
    const r = await api.call('POST', `/api/events/${eventId}/schedule?publish=1`, { token: api.org })
    expect(r.status).toBe(201)
    expect(r.body.meetings).toHaveLength(9)
    const replan = await api.call('POST', `/api/events/${eventId}/schedule/replan`, { token: api.org, json: { fromRound: 2 } })
    expect(replan.body.schedule.kind).toBe('replan')
    // both solves done: nothing runs or waits for the event
    const progress = await api.call('GET', `/api/events/${eventId}/schedules/progress`, { token: api.org })
    expect(progress.status).toBe(200)
    expect(progress.body).toEqual({ running: false, phase: null, fraction: null, queued: 0 })
  } finally {
    await solver.close()
    await drop()
  }
})
