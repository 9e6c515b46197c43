import ICAL from 'ical.js'
import { describe, expect, test as plain } from 'vitest'
import { insertSchedule, listMeetings, publishSchedule, publishedSchedule } from '../../src/db/repositories/schedules.repository.ts'
import { fold, text } from '../../src/domain/calendar.ts'
import { timetable } from '../../src/domain/timetable.ts'
import { roundStartTimes } from '../../src/db/repositories/events.repository.ts'
import { apiTest, type Api } from '../helpers/api.ts'
import { smallEvent } from '../helpers/builders.ts'
import { dialects } from '../helpers/db.ts'

function parse(ics: string) {
  const vcalendar = new ICAL.Component(ICAL.parse(ics))
  return vcalendar.getAllSubcomponents('vevent').map((v) => {
    const e = new ICAL.Event(v)
    return {
      uid: e.uid,
      sequence: e.sequence,
      summary: e.summary,
      location: e.location,
      start: e.startDate.toJSDate().toISOString(),
      end: e.endDate.toJSDate().toISOString(),
      status: String(v.getFirstPropertyValue('status')),
    }
  })
}

/** A new published version: `change` edits the meetings of the current one. */
async function republish(api: Api, eventId: string, change: (ms: Awaited<ReturnType<typeof listMeetings>>) => Awaited<ReturnType<typeof listMeetings>>) {
  const current = (await publishedSchedule(api.db, eventId))!
  const meetings = change(await listMeetings(api.db, current.id))
  await api.db.transaction().execute(async (trx) => {
    const { id: _i, version: _v, published: _p, ...row } = current
    const next = await insertSchedule(trx, { ...row, kind: 'replan' }, meetings.map(({ id: _id, schedule_id: _s, ...m }) => m))
    await publishSchedule(trx, eventId, next.id)
  })
}

describe.each(dialects)('agenda.ics on %s', (dialect) => {
  const test = apiTest(dialect)

  test('one VEVENT per meeting, Paris times in UTC, the other side and the table; a parser accepts it', async ({ api }) => {
    const { eventId, associations } = await smallEvent(api)
    const me = associations[0]!
    expect((await api.call('GET', '/api/me/agenda.ics', { token: me.token })).status).toBe(409)
    await api.call('POST', `/api/events/${eventId}/schedule?publish=1`, { token: api.org })
    const r = await api.call('GET', '/api/me/agenda.ics', { token: me.token })
    expect(r.status).toBe(200)
    expect(r.headers.get('content-type')).toContain('text/calendar')
    expect(r.text).toMatch(/^BEGIN:VCALENDAR\r\n/)
    expect(r.text.split('\r\n').every((l) => Buffer.byteLength(l) <= 75)).toBe(true)
    const events = parse(r.text)
    const mine = (await api.call('GET', '/api/me', { token: me.token })).body.schedule.meetings as { round: number; table: number; with: { name: string } }[]
    expect(events).toHaveLength(mine.length)
    expect(events.length).toBeGreaterThan(0)
    // 3 December 2026 is winter time in Paris (UTC+1): round 1 at 18:30 = 17:30Z, round 3 after a 10-minute break
    const starts: Record<number, string> = { 1: '2026-12-03T17:30:00.000Z', 2: '2026-12-03T17:38:00.000Z', 3: '2026-12-03T17:56:00.000Z', 4: '2026-12-03T18:04:00.000Z' }
    for (const m of mine) {
      const e = events.find((x) => x.start === starts[m.round])!
      expect(e.summary).toContain(m.with.name)
      expect(e.location).toBe(`CCI Strasbourg, table ${m.table}`)
      expect(new Date(e.end).getTime() - new Date(e.start).getTime()).toBe(7 * 60_000)
      expect(e.sequence).toBe(0)
      expect(e.status).toBe('CONFIRMED')
    }
    expect(new Set(events.map((e) => e.uid)).size).toBe(events.length)
    expect((await api.call('GET', '/api/me/agenda.ics', { token: api.org })).status).toBe(403)
  })

  test('a re-plan keeps the UID of each pair, raises SEQUENCE where a pair moved and cancels a dropped pair', async ({ api }) => {
    const { eventId, associations } = await smallEvent(api)
    const me = associations[0]!
    await api.call('POST', `/api/events/${eventId}/schedule?publish=1`, { token: api.org })
    const before = parse((await api.call('GET', '/api/me/agenda.ics', { token: me.token })).text)
    const minePairs = (await listMeetings(api.db, (await publishedSchedule(api.db, eventId))!.id)).filter((m) => m.association_registration_id === me.id)
    const [moved, dropped] = [minePairs[0]!, minePairs[1]!]
    await republish(api, eventId, (ms) =>
      ms.filter((m) => m.id !== dropped.id).map((m) => (m.id === moved.id ? { ...m, table_no: m.table_no + 10 } : m)),
    )
    const after = parse((await api.call('GET', '/api/me/agenda.ics', { token: me.token })).text)
    expect(after.map((e) => e.uid).sort()).toEqual(before.map((e) => e.uid).sort())
    const byUid = (list: typeof after, pair: typeof moved) => list.find((e) => e.uid.includes(`${pair.association_registration_id}.${pair.company_registration_id}`))!
    expect(byUid(after, moved)).toMatchObject({ sequence: 1, status: 'CONFIRMED' })
    expect(byUid(after, moved).location).toContain(`table ${moved.table_no + 10}`)
    expect(byUid(after, dropped)).toMatchObject({ sequence: 1, status: 'CANCELLED' })
    const untouched = after.filter((e) => e !== byUid(after, moved) && e !== byUid(after, dropped))
    expect(untouched.every((e) => e.sequence === 0)).toBe(true)
    // the pair moved again: its sequence goes on rising
    await republish(api, eventId, (ms) => ms.map((m) => (m.association_registration_id === moved.association_registration_id && m.company_registration_id === moved.company_registration_id ? { ...m, table_no: 20 } : m)))
    expect(byUid(parse((await api.call('GET', '/api/me/agenda.ics', { token: me.token })).text), moved).sequence).toBe(2)
  })
})

plain('timetable: the labels of roundStartTimes, meeting ends, breaks, and summer time', () => {
  const event = { date: '2026-06-18', start_time: '18:30', rounds: 4, meeting_minutes: 7, transition_minutes: 1, breaks: '[{"afterRound":2,"minutes":10}]' }
  const t = timetable(event)!
  expect(t.rounds.map((r) => r.from)).toEqual(roundStartTimes(event))
  expect(t.rounds.map((r) => `${r.from}–${r.to}`)).toEqual(['18:30–18:37', '18:38–18:45', '18:56–19:03', '19:04–19:11'])
  expect(t.breaks).toEqual([expect.objectContaining({ afterRound: 2, from: '18:46', to: '18:56' })])
  expect(t.rounds[0]!.start.toISOString()).toBe('2026-06-18T16:30:00.000Z')
  // the night clocks go back (25 October 2026), after 03:00 summer time it is 02:00 winter time
  expect(timetable({ ...event, date: '2026-10-25', start_time: '10:00' })!.rounds[0]!.start.toISOString()).toBe('2026-10-25T09:00:00.000Z')
  expect(timetable({ ...event, start_time: null })).toBeNull()
})

plain('iCalendar text: escaping and folding at 75 octets without cutting a character', () => {
  expect(text('a;b,c\\d\ne')).toBe('a\\;b\\,c\\\\d\\ne')
  const line = 'SUMMARY:' + 'Rencontre avec l’Association des Éducateurs Spécialisés '.repeat(4)
  const folded = fold(line)
  const parts = folded.split('\r\n')
  expect(parts.length).toBeGreaterThan(1)
  expect(parts.every((p) => Buffer.byteLength(p) <= 75)).toBe(true)
  expect(parts.slice(1).every((p) => p.startsWith(' '))).toBe(true)
  expect(parts.map((p, i) => (i === 0 ? p : p.slice(1))).join('')).toBe(line)
})
