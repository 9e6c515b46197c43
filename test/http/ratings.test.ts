import { describe, expect } from 'vitest'
import { apiTest } from '../helpers/api.ts'
import { dialects } from '../helpers/db.ts'
import { organiserIdOf, seedEvent } from '../helpers/followup-fixture.ts'

const yes = (interest: number) => ({ tookPlace: true, interest, followUp: true, kinds: ['mecenat/competences'] })
const no = (interest: number) => ({ tookPlace: true, interest, followUp: false })

describe.each(dialects)('ratings on %s', (dialect) => {
  const test = apiTest(dialect)

  test('a participant sees only its own meetings and cannot see or rate another one (404)', async ({ api }) => {
    const ev = await seedEvent(api.db, await organiserIdOf(api.db, api.org))
    const mine = await api.call('GET', '/api/me/meetings', { token: ev.token.A1! })
    expect(mine.status).toBe(200)
    expect(mine.body.meetings.map((m: any) => m.id).sort()).toEqual(
      [ev.meeting['A1-C1']!.id, ev.meeting['A1-C2']!.id, ev.meeting['A1-C3']!.id].sort(),
    )
    const other = ev.meeting['A2-C2']!.id
    const put = await api.call('PUT', `/api/me/meetings/${other}/rating`, { token: ev.token.A1!, json: yes(5) })
    expect(put.status).toBe(404)
    expect(put.body.error.code).toBe('not_found')
    const ratings = await api.db.selectFrom('ratings').selectAll().execute()
    expect(ratings).toHaveLength(0)
    // an organiser token is not a participant
    expect((await api.call('GET', '/api/me/meetings', { token: api.org })).status).toBe(403)
  })

  test('a participant rates its meeting, changes it, and never sees the other side’s rating', async ({ api }) => {
    const ev = await seedEvent(api.db, await organiserIdOf(api.db, api.org))
    const m = ev.meeting['A1-C1']!.id
    expect((await api.call('PUT', `/api/me/meetings/${m}/rating`, { token: ev.token.A1!, json: no(2) })).status).toBe(200)
    const changed = await api.call('PUT', `/api/me/meetings/${m}/rating`, { token: ev.token.A1!, json: { ...yes(4), note: 'à rappeler' } })
    expect(changed.status).toBe(200)
    expect(changed.body.rating).toMatchObject({ interest: 4, followUp: true, note: 'à rappeler' })
    expect(await api.db.selectFrom('ratings').selectAll().execute()).toHaveLength(1)
    const c1 = await api.call('GET', '/api/me/meetings', { token: ev.token.C1! })
    const seen = c1.body.meetings.find((x: any) => x.id === m)
    expect(seen.rating).toBeNull()
    expect(c1.text).not.toContain('à rappeler')
  })

  test('interest or follow-up for a meeting that did not take place is refused (422 meeting_not_held)', async ({ api }) => {
    const ev = await seedEvent(api.db, await organiserIdOf(api.db, api.org))
    const m = ev.meeting['A1-C1']!.id
    const r = await api.call('PUT', `/api/me/meetings/${m}/rating`, { token: ev.token.A1!, json: { tookPlace: false, interest: 3, followUp: true } })
    expect(r.status).toBe(422)
    expect(r.body.error.code).toBe('meeting_not_held')
    expect(r.body.error.issues.map((i: any) => i.path)).toEqual(['interest', 'followUp'])
    // saying only that it did not take place is fine
    const ok = await api.call('PUT', `/api/me/meetings/${m}/rating`, { token: ev.token.A1!, json: { tookPlace: false } })
    expect(ok.status).toBe(200)
    // a held meeting needs interest and follow-up
    const missing = await api.call('PUT', `/api/me/meetings/${m}/rating`, { token: ev.token.A1!, json: { tookPlace: true } })
    expect(missing.status).toBe(422)
    expect(missing.body.error.issues.map((i: any) => i.path)).toEqual(['interest', 'followUp'])
    // the other side may still say it took place: a conflict shown to the organiser
    expect((await api.call('PUT', `/api/me/meetings/${m}/rating`, { token: ev.token.C1!, json: yes(3) })).status).toBe(200)
    const all = await api.call('GET', `/api/events/${ev.eventId}/ratings`, { token: api.org })
    expect(all.body.progress.conflicts).toEqual([m])
    expect(all.body.progress.reportedNotHeld).toBe(1)
  })

  test('one-sided interest is never revealed; mutual interest reveals both contacts at once', async ({ api }) => {
    const ev = await seedEvent(api.db, await organiserIdOf(api.db, api.org))
    const m = ev.meeting['A1-C1']!.id
    await api.call('PUT', `/api/me/meetings/${m}/rating`, { token: ev.token.A1!, json: yes(5) })
    await api.call('PUT', `/api/me/meetings/${m}/rating`, { token: ev.token.C1!, json: no(2) })
    for (const who of ['A1', 'C1'] as const) {
      const matches = await api.call('GET', '/api/me/matches', { token: ev.token[who]! })
      expect(matches.body.matches).toEqual([])
      const meetings = await api.call('GET', '/api/me/meetings', { token: ev.token[who]! })
      expect(meetings.text).not.toMatch(/@example\.org/)
    }
    const c1 = await api.call('GET', '/api/me/meetings', { token: ev.token.C1! })
    expect(c1.body.meetings.find((x: any) => x.id === m).rating.followUp).toBe(false)
    expect(c1.text).not.toContain('"interest":5')
    // C1 changes its mind: both sides now see each other
    await api.call('PUT', `/api/me/meetings/${m}/rating`, { token: ev.token.C1!, json: yes(4) })
    const a = await api.call('GET', '/api/me/matches', { token: ev.token.A1! })
    const c = await api.call('GET', '/api/me/matches', { token: ev.token.C1! })
    expect(a.body.matches).toEqual([
      { meetingId: m, round: 1, table: 1, other: { side: 'company', registrationId: ev.reg.C1, organisation: 'Organisation C1', personName: 'Personne C1', email: 'c1@example.org' } },
    ])
    expect(c.body.matches[0].other).toMatchObject({ side: 'association', personName: 'Personne A1', email: 'a1@example.org' })
  })

  test('closing rating refuses later writes with 409 rating_closed', async ({ api }) => {
    const ev = await seedEvent(api.db, await organiserIdOf(api.db, api.org))
    const m = ev.meeting['A1-C1']!
    const closed = await api.call('POST', `/api/events/${ev.eventId}/ratings/close`, { token: api.org })
    expect(closed.status).toBe(200)
    expect(closed.body.closedAt).toBe('2026-11-24T18:00:00.000Z')
    const put = await api.call('PUT', `/api/me/meetings/${m.id}/rating`, { token: ev.token.A1!, json: yes(4) })
    expect(put.status).toBe(409)
    expect(put.body.error.code).toBe('rating_closed')
    const slip = await api.call('POST', `/api/events/${ev.eventId}/ratings/slip`, { token: api.org, json: { code: m.code, side: 'company', ...yes(3) } })
    expect(slip.status).toBe(409)
    expect(await api.db.selectFrom('ratings').selectAll().execute()).toHaveLength(0)
  })

  test('organisers type paper slips by short code and see every rating; others get 404', async ({ api }) => {
    const ev = await seedEvent(api.db, await organiserIdOf(api.db, api.org))
    const m = ev.meeting['A2-C3']!
    const slip = await api.call('POST', `/api/events/${ev.eventId}/ratings/slip`, {
      token: api.org, json: { code: m.code.toLowerCase(), side: 'company', interest: 2, followUp: false },
    })
    expect(slip.status).toBe(200)
    expect(slip.body.rating).toMatchObject({ meetingId: m.id, side: 'company', registrationId: ev.reg.C3, source: 'slip' })
    const unknown = await api.call('POST', `/api/events/${ev.eventId}/ratings/slip`, { token: api.org, json: { code: 'ZZZZ', side: 'company', ...yes(3) } })
    expect(unknown.status).toBe(404)
    const all = await api.call('GET', `/api/events/${ev.eventId}/ratings`, { token: api.org })
    expect(all.status).toBe(200)
    expect(all.body.progress).toMatchObject({ meetings: 9, ratedByOne: 1, ratedByNone: 8, companyRatings: 1, associationRatings: 0 })
    expect((await api.call('GET', `/api/events/${ev.eventId}/ratings`, { token: api.org2 })).status).toBe(404)
    expect((await api.call('GET', `/api/events/${ev.eventId}/ratings`, { token: ev.token.A1! })).status).toBe(403)
  })

  test('CSV import: good file imported; a bad row -> 422 naming the rows, nothing written', async ({ api }) => {
    const ev = await seedEvent(api.db, await organiserIdOf(api.db, api.org))
    const code = (k: string) => ev.meeting[k]!.code
    const good = [
      'code;side;took_place;interest;follow_up;kinds;note',
      `${code('A1-C1')};association;oui;5;oui;mecenat/competences|innovation-societale;`,
      `${code('A1-C1')};company;oui;4;oui;;`,
      `${code('A3-C3')};entreprise;non;;;;absent`,
    ].join('\n')
    const bad = [
      'code,side,took_place,interest,follow_up,kinds,note',
      `${code('A1-C2')},association,yes,5,yes,,`,
      `${code('A1-C2')},company,yes,9,yes,,`,
      `NOPE,association,yes,3,no,,`,
      `${code('A2-C2')},association,no,4,,,`,
      `${code('A2-C3')},association,yes,3,no,mecenat/bidon,`,
    ].join('\n')
    const r = await api.call('POST', `/api/events/${ev.eventId}/ratings/import`, { token: api.org, body: bad, headers: { 'content-type': 'text/csv' } })
    expect(r.status).toBe(422)
    expect(r.body.error.code).toBe('csv_invalid')
    expect([...new Set(r.body.error.issues.map((i: any) => i.row))]).toEqual([3, 4, 5, 6])
    expect(r.body.error.issues.find((i: any) => i.row === 3).column).toBe('interest')
    expect(await api.db.selectFrom('ratings').selectAll().execute()).toHaveLength(0)

    const ok = await api.call('POST', `/api/events/${ev.eventId}/ratings/import`, { token: api.org, body: good, headers: { 'content-type': 'text/csv' } })
    expect(ok.status).toBe(200)
    expect(ok.body).toEqual({ imported: 3 })
    const rows = await api.db.selectFrom('ratings').selectAll().orderBy('side').execute()
    expect(rows.map((x) => [x.side, x.took_place, x.interest, x.source])).toEqual(
      expect.arrayContaining([['association', 1, 5, 'csv'], ['company', 1, 4, 'csv'], ['company', 0, null, 'csv']]),
    )
    expect((await api.call('GET', '/api/me/matches', { token: ev.token.A1! })).body.matches).toHaveLength(1)
  })
})
