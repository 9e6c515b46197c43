import { describe, expect } from 'vitest'
import { apiTest, type Api } from '../helpers/api.ts'
import { dialects } from '../helpers/db.ts'
import { organiserIdOf, seedEvent, type EventSpec, type SeededEvent } from '../helpers/followup-fixture.ts'

// A hand-made event. C3 is absent, so its two meetings are not held.
const spec: EventSpec = {
  associations: [
    { key: 'A1', size: 'micro', themes: ['handicap', 'sante'], name: 'Les Amis du Quartier' },
    { key: 'A2', size: 'petite', themes: ['precarite'] },
    { key: 'A3', size: 'micro', themes: ['handicap'] },
  ],
  companies: [
    { key: 'C1', size: 'grande', sector: 'industrie', themes: ['handicap'], name: 'Usine Dupont SA' },
    { key: 'C2', size: 'petite', sector: 'numerique', themes: ['precarite', 'sante'] },
    { key: 'C3', size: 'grande', sector: 'commerce', themes: [], attendance: 'absent' },
  ],
  meetings: [
    ['A1', 'C1', 1, 8], ['A2', 'C2', 1, 5], ['A3', 'C3', 1, 9],
    ['A1', 'C2', 2, 7], ['A2', 'C3', 2, 9], ['A3', 'C1', 2, 5],
    ['A2', 'C1', 3, 4], ['A3', 'C2', 3, 3],
  ],
}

async function put(api: Api, ev: SeededEvent, pair: string, who: string, json: object) {
  const r = await api.call('PUT', `/api/me/meetings/${ev.meeting[pair]!.id}/rating`, { token: ev.token[who]!, json })
  expect(r.status).toBe(200)
}

async function advance(api: Api, ev: SeededEvent, id: string, statuses: string[]) {
  for (const status of statuses) {
    const r = await api.call('POST', `/api/events/${ev.eventId}/partnerships/${id}/status`, {
      token: api.org, json: status === 'abandoned' ? { status, reason: 'plus de contact' } : { status },
    })
    expect(r.status).toBe(200)
  }
}

/**
 * Ratings: A1-C1, A2-C2, A1-C2 mutual; A3-C1 one-sided; A2-C1 "did not take place" (only rating:
 * not held); A3-C2 held but not rated. Partnerships: A1-C1 carried out, A2-C2 agreement,
 * A1-C2 contacted then abandoned, and A1-C3 (never met) agreement as a baseline.
 */
async function handMade(api: Api) {
  const ev = await seedEvent(api.db, await organiserIdOf(api.db, api.org), spec)
  const yes = { interest: 4, followUp: true, kinds: ['mecenat/competences'], note: 'note privée très secrète' }
  for (const pair of ['A1-C1', 'A2-C2', 'A1-C2']) {
    const [a, c] = pair.split('-') as [string, string]
    await put(api, ev, pair, a, yes)
    await put(api, ev, pair, c, { ...yes, interest: 5 })
  }
  await put(api, ev, 'A3-C1', 'A3', { interest: 3, followUp: true })
  await put(api, ev, 'A3-C1', 'C1', { interest: 1, followUp: false })
  await put(api, ev, 'A2-C1', 'A2', { tookPlace: false })
  const run = await api.call('POST', `/api/events/${ev.eventId}/proposals`, { token: api.org })
  const proposal = (pair: string) => {
    const [a, c] = pair.split('-') as [string, string]
    return run.body.proposals.find((p: any) => p.associationRegistrationId === ev.reg[a] && p.companyRegistrationId === ev.reg[c])
  }
  const create = async (json: object) => (await api.call('POST', `/api/events/${ev.eventId}/partnerships`, { token: api.org, json })).body.partnership.id as string
  await advance(api, ev, await create({ proposalId: proposal('A1-C1').id, valueMoneyEur: 5000 }), ['contacted', 'in_discussion', 'agreement', 'carried_out'])
  await advance(api, ev, await create({ proposalId: proposal('A2-C2').id }), ['contacted', 'in_discussion', 'agreement'])
  await advance(api, ev, await create({ proposalId: proposal('A1-C2').id }), ['contacted', 'abandoned'])
  await advance(api, ev, await create({ associationRegistrationId: ev.reg.A1, companyRegistrationId: ev.reg.C3 }), ['contacted', 'in_discussion', 'agreement'])
  return ev
}

describe.each(dialects)('lab metrics on %s', (dialect) => {
  const test = apiTest(dialect)

  test('a hand-made event: funnel, Wilson intervals, conversion tables and AUC', async ({ api }) => {
    const ev = await handMade(api)
    const r = await api.call('GET', `/api/lab/events/${ev.eventId}/metrics`, { token: api.lab })
    expect(r.status).toBe(200)
    const stages = Object.fromEntries(r.body.funnel.map((s: any) => [s.stage, s]))
    // registered 6; present 5 (C3 absent); held: A1-C1, A2-C2, A1-C2, A3-C1, A3-C2 = 5
    // (A3-C3 and A2-C3: C3 absent; A2-C1: its only rating says not held); rated 4 (A3-C2 unrated);
    // mutual 3; proposed 3; contacted 3; agreement 2; carried out 1. The baseline A1-C3 never met: outside.
    expect(r.body.funnel.map((s: any) => s.count)).toEqual([6, 5, 5, 4, 3, 3, 3, 2, 1])
    expect(r.body.funnel.map((s: any) => s.unit)).toEqual(['participants', 'participants', 'pairs', 'pairs', 'pairs', 'pairs', 'pairs', 'pairs', 'pairs'])
    // Wilson 5/6 = [.436498, .969946]; 4/5 = [.375537, .963777]; 2/3 = [.207659, .938509]; 1/2 = [.094531, .905469]
    expect(stages.present.fromPrevious.ci.low).toBeCloseTo(0.436498, 5)
    expect(stages.present.fromPrevious.ci.high).toBeCloseTo(0.969946, 5)
    expect(stages.rated.fromPrevious.ci.low).toBeCloseTo(0.375537, 5)
    expect(stages.agreement.fromPrevious.ci.low).toBeCloseTo(0.207659, 5)
    expect(stages.agreement.fromPrevious.ci.high).toBeCloseTo(0.938509, 5)
    expect(stages.carried_out.fromPrevious.ci.low).toBeCloseTo(0.094531, 5)
    expect(stages.carried_out.fromHeld.rate).toBeCloseTo(1 / 5, 12)

    const conv = r.body.conversion
    expect(conv.pairsHeld).toBe(5)
    expect(conv.converted.count).toBe(2)
    // AUC: converted A1-C1 (8), A2-C2 (5) vs A1-C2 (7), A3-C1 (5), A3-C2 (3):
    // 8 beats all 3, 5 ties 5 (.5) and beats 3 -> 4.5/6 = .75; Hanley–McNeil se = .253546 -> [.253059, 1]
    expect(conv.scoreAuc.auc).toBeCloseTo(0.75, 12)
    expect(conv.scoreAuc.se).toBeCloseTo(0.253546, 5)
    expect(conv.scoreAuc.ci.low).toBeCloseTo(0.253059, 5)
    expect(conv.scoreAuc.ci.high).toBe(1)
    // shared themes: A1-C1 handicap (conv), A2-C2 precarite (conv), A1-C2 sante, A3-C1 handicap, A3-C2 none
    expect(conv.byTheme.map((g: any) => [g.key, g.converted, g.pairs])).toEqual([['(none)', 0, 1], ['handicap', 1, 2], ['precarite', 1, 1], ['sante', 0, 1]])
    // rounds: 1 -> A1-C1, A2-C2 (2/2); 2 -> A1-C2, A3-C1 (0/2); 3 -> A3-C2 (0/1)
    // Wilson 2/2: d = 1 + z²/2 = 2.920730, centre = (1 + z²/4)/d = 1.960365/2.920730 = .671193,
    // half = (z/d) * sqrt(z²/16) = .671053 * .489989 = .328808 -> [.34238, 1]
    expect(conv.byRound.map((g: any) => [g.key, g.converted, g.pairs])).toEqual([['1', 2, 2], ['2', 0, 2], ['3', 0, 1]])
    expect(conv.byRound[0].conversion.ci.low).toBeCloseTo(0.34238, 4)
    expect(conv.byRound[0].conversion.ci.high).toBe(1)
    expect(conv.byPairSize.map((g: any) => [g.key, g.converted, g.pairs])).toEqual([['microxgrande', 1, 2], ['microxpetite', 0, 2], ['petitexpetite', 1, 1]])
    expect(conv.byCompanySector.map((g: any) => [g.key, g.converted, g.pairs])).toEqual([['industrie', 1, 2], ['numerique', 1, 3]])
    // deciles of 3, 5, 5, 7, 8: 1, 3, 3, 7, 9
    expect(conv.byScoreDecile.map((g: any) => [g.key, g.converted, g.pairs])).toEqual([['1', 0, 1], ['3', 1, 2], ['7', 0, 1], ['9', 1, 1]])
  })

  test('present: checked in, or (not marked absent) in a meeting rated as held', async ({ api }) => {
    // nobody checked in at the door; A3 is marked absent; C3 never came and nobody rated its meetings
    const noCheckIn: EventSpec = {
      associations: [{ key: 'A1', attendance: 'registered' }, { key: 'A2', attendance: 'registered' }, { key: 'A3', attendance: 'absent' }],
      companies: [{ key: 'C1', attendance: 'registered' }, { key: 'C2', attendance: 'registered' }, { key: 'C3', attendance: 'registered' }],
      meetings: [['A1', 'C1', 1, 5], ['A2', 'C2', 1, 5], ['A1', 'C2', 2, 5], ['A2', 'C3', 2, 5], ['A3', 'C1', 3, 5]],
    }
    const ev = await seedEvent(api.db, await organiserIdOf(api.db, api.org), noCheckIn)
    // A1 rates A1-C1 as held (so A1 and C1 were there); C2 says A2-C2 did not take place; nothing else
    await put(api, ev, 'A1-C1', 'A1', { interest: 3, followUp: false })
    await put(api, ev, 'A2-C2', 'C2', { tookPlace: false })
    const r = await api.call('GET', `/api/lab/events/${ev.eventId}/metrics`, { token: api.lab })
    const present = r.body.funnel.find((s: any) => s.stage === 'present')
    expect(present.count).toBe(2) // A1 and C1
    // a check-in counts on its own, without any rating
    await api.db.updateTable('registrations').set({ attendance: 'present' }).where('id', '=', ev.reg.C3!).execute()
    const again = await api.call('GET', `/api/lab/events/${ev.eventId}/metrics`, { token: api.lab })
    expect(again.body.funnel.find((s: any) => s.stage === 'present').count).toBe(3)
  })

  test('who may read: labs every event, organisers their own, participants nobody', async ({ api }) => {
    const ev = await handMade(api)
    const other = await seedEvent(api.db, await organiserIdOf(api.db, api.org2))
    const labEvents = await api.call('GET', '/api/lab/events', { token: api.lab })
    expect(labEvents.body.events.map((e: any) => e.id).sort()).toEqual([ev.eventId, other.eventId].sort())
    const own = await api.call('GET', '/api/lab/metrics', { token: api.org })
    expect(own.body.events.map((e: any) => e.eventId)).toEqual([ev.eventId])
    expect((await api.call('GET', `/api/lab/events/${other.eventId}/metrics`, { token: api.org })).status).toBe(404)
    expect((await api.call('GET', '/api/lab/metrics', { token: ev.token.A1! })).status).toBe(403)
    expect((await api.call('GET', '/api/lab/metrics')).status).toBe(401)
    // across events: counts add up
    const all = await api.call('GET', '/api/lab/metrics', { token: api.lab })
    const sum = (stage: string) => all.body.events.reduce((t: number, e: any) => t + e.funnel.find((s: any) => s.stage === stage).count, 0)
    for (const s of all.body.overall.funnel) expect(s.count).toBe(sum(s.stage))
    expect(all.body.overall.events).toBe(2)
  })

  test('pseudonymised export: no names, e-mails or notes; pseudonyms stable within a key', async ({ api }) => {
    const ev = await handMade(api)
    const a = await api.call('GET', `/api/lab/export?format=json&key=cle-secrete-1`, { token: api.lab })
    expect(a.status).toBe(200)
    const rows = a.body.rows
    // 8 scheduled pairs + the baseline A1-C3
    expect(rows).toHaveLength(9)
    expect(rows.filter((r: any) => !r.scheduled)).toEqual([expect.objectContaining({ partnership_origin: 'direct', reached: 'agreement', held: false, converted: false })])
    expect(a.body.codebook.map((c: any) => c.column)).toEqual(Object.keys(rows[0]))
    for (const secret of ['Les Amis du Quartier', 'Usine Dupont SA', 'Personne', '@example.org', 'note privée', 'plus de contact', ev.eventId, ev.reg.A1!, ev.meeting['A1-C1']!.id]) {
      expect(a.text).not.toContain(secret)
    }
    const again = await api.call('GET', `/api/lab/export?format=json&key=cle-secrete-1`, { token: api.lab })
    expect(again.body.rows).toEqual(rows)
    const other = await api.call('GET', `/api/lab/export?format=json&key=une-autre-cle`, { token: api.lab })
    expect(other.body.rows.map((r: any) => r.pair)).not.toEqual(rows.map((r: any) => r.pair))
    expect(other.body.rows.map((r: any) => r.association).filter((p: string) => rows.some((r: any) => r.association === p))).toEqual([])
    // one association keeps one pseudonym across its pairs
    expect(new Set(rows.map((r: any) => r.association)).size).toBe(3)

    const csv = await api.call('GET', `/api/lab/export?format=csv&key=cle-secrete-1`, { token: api.lab })
    expect(csv.headers.get('content-type')).toMatch(/text\/csv/)
    const lines = csv.text.trim().split(/\r\n/)
    expect(lines).toHaveLength(10)
    expect(lines[0]).toBe(a.body.codebook.map((c: any) => c.column).join(','))
    expect(csv.text).not.toContain('Dupont')
    expect((await api.call('GET', `/api/lab/export?format=csv&key=court`, { token: api.lab })).status).toBe(422)
    const codebook = await api.call('GET', '/api/lab/codebook?format=csv', { token: api.lab })
    expect(codebook.text.split(/\r\n/)[0]).toBe('column,type,description')
  })
})
