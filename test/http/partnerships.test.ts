import { createApp } from '../../src/app.ts'
import { describe, expect } from 'vitest'
import { apiTest, type Api } from '../helpers/api.ts'
import { dialects } from '../helpers/db.ts'
import { organiserIdOf, seedEvent, threeByThree } from '../helpers/followup-fixture.ts'

// Two rounds only: A1-C3, A2-C1 and A3-C2 never meet.
const twoRounds = { ...threeByThree, meetings: threeByThree.meetings.filter((m) => m[2] <= 2) }

async function setup(api: Api) {
  return seedEvent(api.db, await organiserIdOf(api.db, api.org), twoRounds)
}

describe.each(dialects)('partnerships on %s', (dialect) => {
  const test = apiTest(dialect)

  test('from a meeting, then through the whole pipeline with an append-only history', async ({ api }) => {
    const ev = await setup(api)
    const base = `/api/events/${ev.eventId}/partnerships`
    const created = await api.call('POST', base, { token: api.org, json: { meetingId: ev.meeting['A1-C1']!.id, kinds: ['mecenat/competences'], valueStaffHours: 40 } })
    expect(created.status).toBe(201)
    const p = created.body.partnership
    expect(p).toMatchObject({ origin: 'meeting', status: 'proposed', associationRegistrationId: ev.reg.A1, companyRegistrationId: ev.reg.C1, kinds: ['mecenat/competences'], valueStaffHours: 40 })
    expect(p.history).toEqual([{ seq: 1, from: null, to: 'proposed', reason: null, by: expect.stringMatching(/^organiser:/), at: '2026-11-24T18:00:00.000Z' }])
    for (const status of ['contacted', 'in_discussion', 'agreement', 'carried_out', 'renewed']) {
      const r = await api.call('POST', `${base}/${p.id}/status`, { token: api.org, json: { status } })
      expect(r.status).toBe(200)
      expect(r.body.partnership.status).toBe(status)
    }
    const final = await api.call('GET', `${base}/${p.id}`, { token: api.org })
    expect(final.body.partnership.history.map((h: any) => [h.seq, h.from, h.to])).toEqual([
      [1, null, 'proposed'], [2, 'proposed', 'contacted'], [3, 'contacted', 'in_discussion'], [4, 'in_discussion', 'agreement'],
      [5, 'agreement', 'carried_out'], [6, 'carried_out', 'renewed'],
    ])
    // renewed is final
    const again = await api.call('POST', `${base}/${p.id}/status`, { token: api.org, json: { status: 'abandoned', reason: 'x' } })
    expect(again.status).toBe(409)
    expect(again.body.error.code).toBe('invalid_transition')
  })

  test('transitions outside the pipeline are refused (409); abandoning needs a reason', async ({ api }) => {
    const ev = await setup(api)
    const base = `/api/events/${ev.eventId}/partnerships`
    const { body } = await api.call('POST', base, { token: api.org, json: { meetingId: ev.meeting['A2-C2']!.id } })
    const id = body.partnership.id
    const skip = await api.call('POST', `${base}/${id}/status`, { token: api.org, json: { status: 'agreement' } })
    expect(skip.status).toBe(409)
    expect(skip.body.error.message).toMatch(/Proposé.*Accord/)
    const noReason = await api.call('POST', `${base}/${id}/status`, { token: api.org, json: { status: 'abandoned' } })
    expect(noReason.status).toBe(422)
    expect(noReason.body.error.issues[0].path).toBe('reason')
    await api.call('POST', `${base}/${id}/status`, { token: api.org, json: { status: 'contacted' } })
    const ab = await api.call('POST', `${base}/${id}/status`, { token: api.org, json: { status: 'abandoned', reason: 'pas de budget cette année' } })
    expect(ab.status).toBe(200)
    expect(ab.body.partnership).toMatchObject({ status: 'abandoned', abandonReason: 'pas de budget cette année' })
    expect((await api.call('POST', `${base}/${id}/status`, { token: api.org, json: { status: 'contacted' } })).status).toBe(409)
    const history = await api.db.selectFrom('partnership_history').selectAll().where('partnership_id', '=', id).orderBy('seq').execute()
    expect(history.map((h) => h.to_status)).toEqual(['proposed', 'contacted', 'abandoned'])
  })

  test('directly for a pair that never met (baseline), once per pair, only between the event’s two sides', async ({ api }) => {
    const ev = await setup(api)
    const base = `/api/events/${ev.eventId}/partnerships`
    const direct = await api.call('POST', base, { token: api.org, json: { associationRegistrationId: ev.reg.A1, companyRegistrationId: ev.reg.C3 } })
    expect(direct.status).toBe(201)
    expect(direct.body.partnership).toMatchObject({ origin: 'direct', meetingId: null })
    const twice = await api.call('POST', base, { token: api.org, json: { associationRegistrationId: ev.reg.A1, companyRegistrationId: ev.reg.C3 } })
    expect(twice.status).toBe(409)
    const wrong = await api.call('POST', base, { token: api.org, json: { associationRegistrationId: ev.reg.C1, companyRegistrationId: ev.reg.C3 } })
    expect(wrong.status).toBe(422)
    expect(wrong.body.error.issues[0].path).toBe('associationRegistrationId')
    const two = await api.call('POST', base, { token: api.org, json: { meetingId: ev.meeting['A1-C1']!.id, associationRegistrationId: ev.reg.A1 } })
    expect(two.status).toBe(422)
    expect((await api.call('GET', base, { token: api.org2 })).status).toBe(404)
    expect((await api.call('GET', base, { token: api.org })).body.partnerships).toHaveLength(1)
  })

  test('check-ins at 2 weeks, 3, 6 and 12 months: due per organiser, answered by each side through its link', async ({ api }) => {
    const ev = await setup(api)
    const { body } = await api.call('POST', `/api/events/${ev.eventId}/partnerships`, { token: api.org, json: { meetingId: ev.meeting['A1-C1']!.id } })
    const p = body.partnership
    // created 2026-11-24: due 2026-12-08, 2027-02-24, 2027-05-24, 2027-11-24, for each side
    expect([...new Set(p.checkins.map((c: any) => `${c.milestone}:${c.dueOn}`))]).toEqual([
      '2w:2026-12-08', '3m:2027-02-24', '6m:2027-05-24', '12m:2027-11-24',
    ])
    expect((await api.call('GET', '/api/checkins/due?on=2026-12-07', { token: api.org })).body.checkins).toHaveLength(0)
    const due = await api.call('GET', '/api/checkins/due?on=2027-03-01', { token: api.org })
    expect(due.body.checkins.map((c: any) => `${c.milestone}/${c.side}`)).toEqual(['2w/association', '2w/company', '3m/association', '3m/company'])
    expect((await api.call('GET', '/api/checkins/due?on=2027-03-01', { token: api.org2 })).body.checkins).toHaveLength(0)
    expect((await api.call('GET', '/api/checkins/due?on=2027-13-01', { token: api.org })).status).toBe(422)

    const mine = await api.call('GET', '/api/me/checkins', { token: ev.token.A1! })
    expect(mine.body.checkins.map((c: any) => c.side)).toEqual(['association', 'association', 'association', 'association'])
    const first = mine.body.checkins[0]
    expect(first.due).toBe(false) // the fixed clock is 2026-11-24
    const theirs = (await api.call('GET', '/api/me/checkins', { token: ev.token.C1! })).body.checkins[0]
    expect((await api.call('POST', `/api/me/checkins/${theirs.id}`, { token: ev.token.A1!, json: { evolution: 'in-progress' } })).status).toBe(404)
    expect((await api.call('POST', `/api/me/checkins/${first.id}`, { token: ev.token.A1!, json: { evolution: 'going well' } })).status).toBe(422)
    // not before its due date (409 checkin_not_due), then from it
    const early = await api.call('POST', `/api/me/checkins/${first.id}`, { token: ev.token.A1!, json: { evolution: 'in-progress' } })
    expect(early.status).toBe(409)
    expect(early.body.error.code).toBe('checkin_not_due')
    const later = createApp({ db: api.db, clock: () => new Date('2026-12-08T09:00:00.000Z') })
    const res = await later.request(`/api/me/checkins/${first.id}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ev.token.A1!}`, 'content-type': 'application/json' },
      body: JSON.stringify({ evolution: 'in-progress', comment: 'premier atelier en janvier' }),
    })
    expect(res.status).toBe(200)
    const answered = { body: (await res.json()) as any }
    expect(answered.body.checkin).toMatchObject({ evolution: 'in-progress', answeredAt: '2026-12-08T09:00:00.000Z' })
    const dueAfter = await api.call('GET', '/api/checkins/due?on=2027-03-01', { token: api.org })
    expect(dueAfter.body.checkins.map((c: any) => `${c.milestone}/${c.side}`)).toEqual(['2w/company', '3m/association', '3m/company'])
    // someone without a partnership has no check-ins
    expect((await api.call('GET', '/api/me/checkins', { token: ev.token.A3! })).body.checkins).toEqual([])
  })
})
