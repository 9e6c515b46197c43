/**
 * End to end, through the API only: an example event is scheduled, both sides
 * rate (personal links, paper slips, a CSV), the organiser closes rating, runs
 * the proposals and takes partnerships through the pipeline; the lab funnel
 * must match counts this test computes itself from what it sent.
 */
import { describe, expect } from 'vitest'
import { apiTest, type Api } from '../helpers/api.ts'
import { dialects } from '../helpers/db.ts'

interface Person { key: string; id: string; token: string; side: 'association' | 'company'; name: string }

const themes = ['handicap', 'insertion-jeunes', 'precarite', 'sante']

async function ok(p: Promise<{ status: number; body: any }>, status = 200) {
  const r = await p
  if (r.status !== status) throw new Error(`expected ${status}, got ${r.status}: ${JSON.stringify(r.body)}`)
  return r.body
}

async function exampleEvent(api: Api) {
  const { event } = await ok(api.call('POST', '/api/events', {
    token: api.org, json: { title: 'Soirée partenariats Strasbourg', date: '2026-11-24', startTime: '18:00', rounds: 4, seatedSide: 'company' }, // over by the fixed clock (18:00 UTC): every meeting may be rated
  }), 201)
  const people: Person[] = []
  for (const side of ['association', 'company'] as const) {
    for (let i = 1; i <= 4; i++) {
      const key = `${side === 'association' ? 'A' : 'C'}${i}`
      const name = `${side === 'association' ? 'Association' : 'Entreprise'} ${i}`
      const body = await ok(api.call('POST', `/api/events/${event.id}/participants`, {
        token: api.org,
        json: {
          organisation: { kind: side, name, size: i % 2 ? 'micro' : 'grande', themes: [themes[i - 1]!, themes[i % 4]!], ...(side === 'company' ? { sector: 'industrie' } : {}) },
          personName: `Personne ${key}`, personEmail: `${key.toLowerCase()}@example.org`, attendance: 'present',
        },
      }), 201)
      people.push({ key, id: body.participant.id, token: body.token, side, name })
    }
  }
  await ok(api.call('POST', `/api/events/${event.id}/schedule?publish=1`, { token: api.org }), 201)
  return { eventId: event.id as string, people }
}

describe.each(dialects)('after the meetings, end to end, on %s', (dialect) => {
  const test = apiTest(dialect)

  test('schedule, ratings from both sides, proposals, pipeline: every funnel figure checks out', async ({ api }) => {
    const { eventId, people } = await exampleEvent(api)
    const byKey = Object.fromEntries(people.map((p) => [p.key, p]))
    const byName = Object.fromEntries(people.map((p) => [p.name, p]))
    // C4 leaves before the first round: marked absent, its meetings are not held
    await ok(api.call('POST', `/api/events/${eventId}/participants/${byKey.C4!.id}/attendance`, { token: api.org, json: { attendance: 'absent' } }))

    // The meetings, as each association sees them.
    const meetings: { id: string; code: string; round: number; a: Person; c: Person }[] = []
    for (const a of people.filter((p) => p.side === 'association')) {
      const { meetings: mine } = await ok(api.call('GET', '/api/me/meetings', { token: a.token }))
      for (const m of mine) meetings.push({ id: m.id, code: m.code, round: m.round, a, c: byName[m.with.organisation]! })
    }
    meetings.sort((x, y) => x.round - y.round || x.a.key.localeCompare(y.a.key))
    expect(meetings.length).toBeGreaterThanOrEqual(12)

    // What each side says, decided here (i = position of the meeting):
    //   C4's meetings: nobody rates them;
    //   i % 7 == 3: the association says it did not take place, the company does not rate;
    //   i % 5 == 4: only the association rates;
    //   otherwise both rate; follow-up yes unless i % 6 == 5 (association) or i % 6 == 2 (company).
    type Said = { tookPlace: boolean; interest?: number; followUp?: boolean }
    const said = new Map<string, { association?: Said; company?: Said }>()
    const csv = ['code;side;took_place;interest;follow_up;kinds;note']
    for (const [i, m] of meetings.entries()) {
      if (m.c.key === 'C4') continue
      const a: Said = i % 7 === 3 ? { tookPlace: false } : { tookPlace: true, interest: 1 + (i % 5), followUp: i % 6 !== 5 }
      const entry: { association?: Said; company?: Said } = { association: a }
      await ok(api.call('PUT', `/api/me/meetings/${m.id}/rating`, { token: m.a.token, json: a }))
      if (a.tookPlace && i % 5 !== 4) {
        const c: Said = { tookPlace: true, interest: 1 + ((i * 3) % 5), followUp: i % 6 !== 2 }
        entry.company = c
        if (i % 3 === 0) await ok(api.call('PUT', `/api/me/meetings/${m.id}/rating`, { token: m.c.token, json: c }))
        else if (i % 3 === 1) await ok(api.call('POST', `/api/events/${eventId}/ratings/slip`, { token: api.org, json: { code: m.code, side: 'company', ...c } }))
        else csv.push(`${m.code};company;oui;${c.interest};${c.followUp ? 'oui' : 'non'};mecenat;`)
      }
      said.set(m.id, entry)
    }
    const imported = await ok(api.call('POST', `/api/events/${eventId}/ratings/import`, { token: api.org, body: csv.join('\n'), headers: { 'content-type': 'text/csv' } }))
    expect(imported.imported).toBe(csv.length - 1)
    await ok(api.call('POST', `/api/events/${eventId}/ratings/close`, { token: api.org }))
    expect((await api.call('PUT', `/api/me/meetings/${meetings[0]!.id}/rating`, { token: meetings[0]!.a.token, json: { tookPlace: false } })).status).toBe(409)

    // Proposals, then partnerships taken along the pipeline to stage (rank % 4).
    const { proposals } = await ok(api.call('POST', `/api/events/${eventId}/proposals`, { token: api.org, json: { capacity: 2 } }), 201)
    const followUps = proposals.filter((p: any) => p.kind === 'follow-up')
    expect(followUps.length).toBeGreaterThanOrEqual(4)
    const paths = [['contacted'], ['contacted', 'in_discussion', 'agreement'], ['contacted', 'in_discussion', 'agreement', 'carried_out'], []]
    const reached: string[][] = []
    for (const [i, p] of followUps.entries()) {
      const { partnership } = await ok(api.call('POST', `/api/events/${eventId}/partnerships`, { token: api.org, json: { proposalId: p.id } }), 201)
      const path = paths[i % 4]!
      for (const status of path) await ok(api.call('POST', `/api/events/${eventId}/partnerships/${partnership.id}/status`, { token: api.org, json: { status } }))
      reached.push(path)
    }
    // and a baseline partnership for a pair that never met (C4 was absent: scheduled or not, not held), carried out: outside the funnel
    const { partnership: baseline } = await ok(api.call('POST', `/api/events/${eventId}/partnerships`, {
      token: api.org, json: { associationRegistrationId: byKey.A1!.id, companyRegistrationId: byKey.C4!.id },
    }), 201)
    for (const status of ['contacted', 'in_discussion', 'agreement', 'carried_out']) {
      await ok(api.call('POST', `/api/events/${eventId}/partnerships/${baseline.id}/status`, { token: api.org, json: { status } }))
    }

    // Counts computed here, from what was sent.
    const entries = meetings.map((m) => ({ m, s: said.get(m.id) }))
    const held = entries.filter(({ m, s }) => m.c.key !== 'C4' && !(s && [s.association, s.company].filter(Boolean).every((x) => !x!.tookPlace)))
    const rated = held.filter(({ s }) => s && [s.association, s.company].some((x) => x?.tookPlace))
    const mutual = rated.filter(({ s }) => s!.association?.followUp === true && s!.company?.followUp === true)
    const proposedIds = new Set(followUps.map((p: any) => p.meetingId))
    const proposed = mutual.filter(({ m }) => proposedIds.has(m.id))
    const expected = {
      registered: 8, present: 7, meetings_held: held.length, rated: rated.length, mutual_interest: mutual.length,
      proposed: proposed.length,
      contacted: reached.filter((r) => r.includes('contacted')).length,
      agreement: reached.filter((r) => r.includes('agreement')).length,
      carried_out: reached.filter((r) => r.includes('carried_out')).length,
    }
    // the solver proposes mutual pairs only
    expect(proposed.length).toBe(followUps.length)
    expect(held.length).toBe(meetings.filter((m) => m.c.key !== 'C4').length - meetings.filter((_, i) => i % 7 === 3 && meetings[i]!.c.key !== 'C4').length)

    const metrics = await ok(api.call('GET', `/api/lab/events/${eventId}/metrics`, { token: api.lab }))
    expect(Object.fromEntries(metrics.funnel.map((s: any) => [s.stage, s.count]))).toEqual(expected)
    for (const s of metrics.funnel.slice(3)) {
      const previous = metrics.funnel[metrics.funnel.indexOf(s) - 1]
      expect(s.fromPrevious.of).toBe(previous.count)
      expect(s.fromPrevious.ci.low).toBeLessThanOrEqual(s.fromPrevious.rate)
      expect(s.fromPrevious.ci.high).toBeGreaterThanOrEqual(s.fromPrevious.rate)
    }
    expect(metrics.conversion.converted.count).toBe(expected.agreement)

    // the organiser reads the same figures; the export has one row per scheduled pair plus the baseline
    const own = await ok(api.call('GET', `/api/lab/metrics?event=${eventId}`, { token: api.org }))
    expect(own.overall.funnel.map((s: any) => s.count)).toEqual(metrics.funnel.map((s: any) => s.count))
    const exported = await ok(api.call('GET', `/api/lab/export?key=e2e-export-key&event=${eventId}`, { token: api.lab }))
    const baselineScheduled = meetings.some((m) => m.a.key === 'A1' && m.c.key === 'C4')
    expect(exported.rows).toHaveLength(meetings.length + (baselineScheduled ? 0 : 1))
    expect(exported.rows.filter((r: any) => r.reached === 'carried_out' && !r.held)).toHaveLength(1)
    expect(exported.rows.filter((r: any) => r.converted).length).toBe(expected.agreement)
    expect(exported.rows.filter((r: any) => r.held).length).toBe(expected.meetings_held)
  })
})
