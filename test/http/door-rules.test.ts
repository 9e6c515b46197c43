/**
 * When ratings, check-ins and wishes open, and who sees what (issue 10):
 * - a meeting is rated once it has started (timetable or room clock), never by
 *   a participant marked absent, unless the organiser types in the paper slip;
 * - a check-in is answered from its due date;
 * - a participant sees its own wishes only, labelled by who set them, and no
 *   score nor reason of its meetings (they tell the other side's wishes).
 */
import { describe, expect } from 'vitest'
import { createApp } from '../../src/app.ts'
import { apiTest } from '../helpers/api.ts'
import { dialects } from '../helpers/db.ts'
import { organiserIdOf, seedEvent, threeByThree } from '../helpers/followup-fixture.ts'

const held = { tookPlace: true, interest: 4, followUp: true }

describe.each(dialects)('door rules on %s', (dialect) => {
  const test = apiTest(dialect)

  test('a meeting is rated once its start time has passed, or once the room clock reached its round', async ({ api }) => {
    const ev = await seedEvent(api.db, await organiserIdOf(api.db, api.org))
    // the evening is live, starting at 19:30 in Paris (18:30 UTC); the clock says 18:00 UTC
    await api.db.updateTable('events').set({ status: 'live', start_time: '19:30' }).where('id', '=', ev.eventId).execute()
    const round1 = ev.meeting['A1-C1']!
    const early = await api.call('PUT', `/api/me/meetings/${round1.id}/rating`, { token: ev.token.A1!, json: held })
    expect(early.status).toBe(409)
    expect(early.body.error.code).toBe('meeting_not_started')
    expect(early.body.error.message).toContain('Organisation C1')
    expect(early.body.error.message).toContain('19\u00a0h\u00a030')
    expect(early.body.error.message).not.toMatch(/ev\d+-/)
    const listed = await api.call('GET', '/api/me/meetings', { token: ev.token.A1! })
    expect(listed.body.meetings.every((m: { ratable: boolean }) => !m.ratable)).toBe(true)
    // a paper slip of a meeting not yet held is refused too
    const slip = await api.call('POST', `/api/events/${ev.eventId}/ratings/slip`, { token: api.org, json: { code: round1.code, side: 'company', ...held } })
    expect(slip.status).toBe(409)
    expect(slip.body.error.code).toBe('meeting_not_started')
    // and a CSV row of it is a bad row, nothing imported
    const csv = await api.call('POST', `/api/events/${ev.eventId}/ratings/import`, {
      token: api.org,
      body: `code;side;took_place;interest;follow_up\n${round1.code};company;oui;4;oui\n`,
      headers: { 'content-type': 'text/csv' },
    })
    expect(csv.status).toBe(422)
    expect(csv.body.error.issues[0]).toMatchObject({ row: 2, column: 'code' })
    expect(csv.body.error.issues[0].message).toContain('tour 1')
    // the room screen reaches round 1: round 1 opens, round 2 not yet
    await api.db
      .insertInto('room_states')
      .values({ event_id: ev.eventId, round: 1, on_break: 0, running_since: null, elapsed_ms: 0, updated_at: '2026-11-24T18:00:00.000Z' })
      .execute()
    expect((await api.call('PUT', `/api/me/meetings/${round1.id}/rating`, { token: ev.token.A1!, json: held })).status).toBe(200)
    const round2 = ev.meeting['A1-C2']!
    const next = await api.call('PUT', `/api/me/meetings/${round2.id}/rating`, { token: ev.token.A1!, json: held })
    expect(next.status).toBe(409)
    expect(next.body.error.message).toContain('(tour 2)')
    const after = await api.call('GET', '/api/me/meetings', { token: ev.token.A1! })
    expect(after.body.meetings.map((m: { round: number; ratable: boolean }) => [m.round, m.ratable])).toEqual([
      [1, true],
      [2, false],
      [3, false],
    ])
    // by the timetable: at 18:30 UTC (19:30 in Paris) round 1 has started, round 2 (19:38) not yet
    await api.db.deleteFrom('room_states').execute()
    const later = createApp({ db: api.db, clock: () => new Date('2026-11-24T18:31:00.000Z') })
    const call = (path: string) =>
      later.request(path, { method: 'PUT', headers: { authorization: `Bearer ${ev.token.C1!}`, 'content-type': 'application/json' }, body: JSON.stringify(held) })
    expect((await call(`/api/me/meetings/${round1.id}/rating`)).status).toBe(200)
    expect((await call(`/api/me/meetings/${ev.meeting['A3-C1']!.id}/rating`)).status).toBe(409)
  })

  test('a participant marked absent cannot rate; the organiser may type its slip', async ({ api }) => {
    const spec = { ...threeByThree, associations: threeByThree.associations.map((a) => (a.key === 'A1' ? { ...a, attendance: 'absent' as const } : a)) }
    const ev = await seedEvent(api.db, await organiserIdOf(api.db, api.org), spec)
    const m = ev.meeting['A1-C1']!
    const r = await api.call('PUT', `/api/me/meetings/${m.id}/rating`, { token: ev.token.A1!, json: held })
    expect(r.status).toBe(409)
    expect(r.body.error.code).toBe('participant_absent')
    expect(r.body.error.message).toContain('Organisation A1')
    expect((await api.call('GET', '/api/me/meetings', { token: ev.token.A1! })).body.meetings[0].ratable).toBe(false)
    expect(await api.db.selectFrom('ratings').selectAll().execute()).toHaveLength(0)
    // the other side, present, says it did not take place
    expect((await api.call('PUT', `/api/me/meetings/${m.id}/rating`, { token: ev.token.C1!, json: { tookPlace: false } })).status).toBe(200)
    // the organiser types the absent side's paper slip (it came after all)
    const slip = await api.call('POST', `/api/events/${ev.eventId}/ratings/slip`, { token: api.org, json: { code: m.code, side: 'association', ...held } })
    expect(slip.status).toBe(200)
    expect(slip.body.rating.source).toBe('slip')
  })

  test('a check-in is answered from its due date, not before', async ({ api }) => {
    const ev = await seedEvent(api.db, await organiserIdOf(api.db, api.org))
    const created = await api.call('POST', `/api/events/${ev.eventId}/partnerships`, { token: api.org, json: { meetingId: ev.meeting['A1-C1']!.id } })
    expect(created.status).toBe(201)
    const list = await api.call('GET', '/api/me/checkins', { token: ev.token.A1! })
    expect(list.body.checkins.map((k: { dueOn: string; due: boolean }) => [k.dueOn, k.due])).toEqual([
      ['2026-12-08', false],
      ['2027-02-24', false],
      ['2027-05-24', false],
      ['2027-11-24', false],
    ])
    const twelve = list.body.checkins[3].id as string
    const early = await api.call('POST', `/api/me/checkins/${twelve}`, { token: ev.token.A1!, json: { evolution: 'agreement' } })
    expect(early.status).toBe(409)
    expect(early.body.error.code).toBe('checkin_not_due')
    expect(early.body.error.message).toContain('mercredi 24 novembre 2027')
    expect((await api.db.selectFrom('checkins').select('answered_at').where('id', '=', twelve).executeTakeFirstOrThrow()).answered_at).toBeNull()
    // two weeks later the first one opens, the 12-month one still not
    const later = createApp({ db: api.db, clock: () => new Date('2026-12-08T09:00:00.000Z') })
    const post = (id: string) =>
      later.request(`/api/me/checkins/${id}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${ev.token.A1!}`, 'content-type': 'application/json' },
        body: JSON.stringify({ evolution: 'in-progress' }),
      })
    expect((await post(list.body.checkins[0].id)).status).toBe(200)
    expect((await post(twelve)).status).toBe(409)
  })

  test('a participant sees its own wishes only, labelled by who set them, and no score nor reason', async ({ api }) => {
    const ev = await seedEvent(api.db, await organiserIdOf(api.db, api.org))
    await api.db.updateTable('events').set({ status: 'open' }).where('id', '=', ev.eventId).execute()
    // the organiser sets a "must" for A1 towards C1; C2 wishes to meet A1
    const org = await api.call('PUT', `/api/events/${ev.eventId}/wishes`, { token: api.org, json: { from: ev.reg.A1, to: ev.reg.C1, level: 'must' } })
    expect(org.status).toBe(200)
    const other = await api.call('PUT', '/api/me/wishes', { token: ev.token.C2!, json: { wishes: [{ to: ev.reg.A1, level: 'must' }] } })
    expect(other.status).toBe(200)
    const mine = await api.call('GET', '/api/me/wishes', { token: ev.token.A1! })
    expect(mine.body.wishes).toEqual([expect.objectContaining({ from: ev.reg.A1, to: ev.reg.C1, level: 'must', setBy: 'organiser' })])
    // the participant's page says who set it
    const page = async () => (await api.app.request(`/p/${ev.token.A1!}`)).text()
    const before = await page()
    expect(before).toMatch(new RegExp(`id="wish-by-${ev.reg.C1}"[^>]*>souhait de l’organisateur<`))
    expect(before).not.toContain('votre souhait')
    // sent back unchanged with a wish of its own: the organiser's stays the organiser's
    const put = await api.call('PUT', '/api/me/wishes', {
      token: ev.token.A1!,
      json: { wishes: [{ to: ev.reg.C1, level: 'must' }, { to: ev.reg.C3, level: 'like' }] },
    })
    expect(put.status).toBe(200)
    expect(put.body.wishes.map((w: { to: string; setBy: string }) => [w.to, w.setBy]).sort()).toEqual(
      [[ev.reg.C1, 'organiser'], [ev.reg.C3, 'participant']].sort(),
    )
    // changed by the participant: now its own
    const changed = await api.call('PUT', '/api/me/wishes', { token: ev.token.A1!, json: { wishes: [{ to: ev.reg.C1, level: 'like' }] } })
    expect(changed.body.wishes).toEqual([expect.objectContaining({ to: ev.reg.C1, level: 'like', setBy: 'participant' })])
    const after = await page()
    expect(after).toMatch(new RegExp(`id="wish-by-${ev.reg.C1}"[^>]*>votre souhait<`))
    expect(after).not.toContain('souhait de l’organisateur')
    // GET /api/me: own schedule without the pair's score or reasons (they tell C2's wish)
    const me = await api.call('GET', '/api/me', { token: ev.token.A1! })
    expect(me.status).toBe(200)
    expect(me.body.schedule.meetings).toHaveLength(3)
    for (const m of me.body.schedule.meetings) {
      expect(m).not.toHaveProperty('score')
      expect(m).not.toHaveProperty('reasons')
    }
    expect(me.text).not.toContain('raison A1-C2')
  })
})
