import { describe, expect } from 'vitest'
import { apiTest, type Api } from '../helpers/api.ts'
import { dialects } from '../helpers/db.ts'
import { organiserIdOf, seedEvent, type SeededEvent } from '../helpers/followup-fixture.ts'

async function rate(api: Api, ev: SeededEvent, pair: string, who: string, interest: number, followUp: boolean) {
  const r = await api.call('PUT', `/api/me/meetings/${ev.meeting[pair]!.id}/rating`, { token: ev.token[who]!, json: { interest, followUp } })
  expect(r.status).toBe(200)
}

async function rated(api: Api) {
  const ev = await seedEvent(api.db, await organiserIdOf(api.db, api.org))
  await rate(api, ev, 'A1-C1', 'A1', 5, true)
  await rate(api, ev, 'A1-C1', 'C1', 4, true)
  await rate(api, ev, 'A2-C2', 'A2', 3, true)
  await rate(api, ev, 'A2-C2', 'C2', 3, true)
  await rate(api, ev, 'A1-C2', 'A1', 4, true)
  await rate(api, ev, 'A1-C2', 'C2', 4, true)
  await rate(api, ev, 'A3-C3', 'A3', 5, true) // one-sided: never proposed
  await rate(api, ev, 'A3-C3', 'C3', 2, false)
  return ev
}

const pairOf = (ev: SeededEvent, p: any) => {
  const key = (id: string) => Object.entries(ev.reg).find(([, v]) => v === id)![0]
  return `${key(p.associationRegistrationId)}-${key(p.companyRegistrationId)}`
}

describe.each(dialects)('proposals on %s', (dialect) => {
  const test = apiTest(dialect)

  test('mutual pairs only, capacity per organisation, who calls whom and by when', async ({ api }) => {
    const ev = await rated(api)
    const url = `/api/events/${ev.eventId}/proposals`
    const all = await api.call('POST', url, { token: api.org, json: {} })
    expect(all.status).toBe(201)
    const followUps = all.body.proposals.filter((p: any) => p.kind === 'follow-up')
    expect(followUps.map((p: any) => pairOf(ev, p)).sort()).toEqual(['A1-C1', 'A1-C2', 'A2-C2'])
    const a1c1 = followUps.find((p: any) => pairOf(ev, p) === 'A1-C1')
    // C1 rated lower (4 < 5): the company calls; two weeks after the event date
    expect(a1c1).toMatchObject({ caller: 'company', dueDate: '2026-12-08', mutualInterest: 9, status: 'proposed', meetingId: ev.meeting['A1-C1']!.id })
    expect(followUps.find((p: any) => pairOf(ev, p) === 'A2-C2').caller).toBe('association') // tie
    expect(JSON.stringify(a1c1.reasons)).toContain('Organisation C1')
    expect(JSON.stringify(a1c1.reasons)).not.toContain(ev.reg.C1)

    // capacity 1: A1 keeps the pair of larger mutual interest, A2-C2 fits too (9 + 6 > 8)
    const one = await api.call('POST', url, { token: api.org, json: { capacity: 1, dueDays: 7 } })
    const kept = one.body.proposals.filter((p: any) => p.kind === 'follow-up')
    expect(kept.map((p: any) => pairOf(ev, p)).sort()).toEqual(['A1-C1', 'A2-C2'])
    expect(kept[0].dueDate).toBe('2026-12-01')
    expect((await api.call('POST', url, { token: api.org, json: { capacity: 0 } })).status).toBe(422)
  })

  test('organisers edit, accept and drop; a new run keeps their decisions', async ({ api }) => {
    const ev = await rated(api)
    const url = `/api/events/${ev.eventId}/proposals`
    const { body } = await api.call('POST', url, { token: api.org })
    const byPair = Object.fromEntries(body.proposals.map((p: any) => [pairOf(ev, p), p]))
    const edit = await api.call('PATCH', `${url}/${byPair['A1-C1'].id}`, { token: api.org, json: { caller: 'association', dueDate: '2026-12-15', note: 'appel le lundi' } })
    expect(edit.status).toBe(200)
    expect(edit.body.proposal).toMatchObject({ caller: 'association', dueDate: '2026-12-15', note: 'appel le lundi' })
    expect((await api.call('PATCH', `${url}/${byPair['A1-C1'].id}`, { token: api.org, json: { dueDate: '15/12/2026' } })).status).toBe(422)
    expect((await api.call('POST', `${url}/${byPair['A1-C1'].id}/accept`, { token: api.org })).body.proposal.status).toBe('accepted')
    expect((await api.call('POST', `${url}/${byPair['A2-C2'].id}/drop`, { token: api.org })).body.proposal.status).toBe('dropped')
    expect((await api.call('POST', `${url}/nope/drop`, { token: api.org })).status).toBe(404)
    expect((await api.call('GET', url, { token: api.org2 })).status).toBe(404)

    const rerun = await api.call('POST', url, { token: api.org })
    const after = Object.fromEntries(rerun.body.proposals.map((p: any) => [pairOf(ev, p), p]))
    expect(after['A1-C1']).toMatchObject({ id: byPair['A1-C1'].id, status: 'accepted', note: 'appel le lundi' })
    expect(after['A2-C2']).toMatchObject({ id: byPair['A2-C2'].id, status: 'dropped' })
    expect(rerun.body.proposals).toHaveLength(3)

    // a partnership from a proposal; a dropped proposal cannot become one
    const fromProposal = await api.call('POST', `/api/events/${ev.eventId}/partnerships`, { token: api.org, json: { proposalId: byPair['A1-C2'].id } })
    expect(fromProposal.status).toBe(201)
    expect(fromProposal.body.partnership).toMatchObject({ origin: 'proposal', proposalId: byPair['A1-C2'].id, meetingId: ev.meeting['A1-C2']!.id })
    expect((await api.call('GET', `${url}/${byPair['A1-C2'].id}`, { token: api.org })).body.proposal.status).toBe('accepted')
    expect((await api.call('POST', `/api/events/${ev.eventId}/partnerships`, { token: api.org, json: { proposalId: byPair['A2-C2'].id } })).status).toBe(409)
  })

  test('no published schedule: 409', async ({ api }) => {
    const organiserId = await organiserIdOf(api.db, api.org)
    const ev = await seedEvent(api.db, organiserId)
    await api.db.updateTable('schedules').set({ published: 0 }).where('event_id', '=', ev.eventId).execute()
    const r = await api.call('POST', `/api/events/${ev.eventId}/proposals`, { token: api.org })
    expect(r.status).toBe(409)
    expect(r.body.error.code).toBe('no_published_schedule')
  })
})
