/**
 * Issue 11: a history file with lab predictors, missing values, a 1-10 scale,
 * unknown outcomes, Windows-1252 text and dd/mm/yyyy dates; the lab metrics
 * give each predictor's AUC over exactly the pairs where it is present.
 */
import { readFileSync } from 'node:fs'
import { describe, expect } from 'vitest'
import { apiTest, type Api } from '../helpers/api.ts'
import { dialects } from '../helpers/db.ts'
import { organiserIdOf, seedEvent } from '../helpers/followup-fixture.ts'

// Windows-1252 bytes of a string (Latin-1 below 0x100, and the 0x80-0x9F letters used here)
const cp1252 = (text: string): Uint8Array => {
  const extra: Record<string, number> = { '€': 0x80, '–': 0x96, '’': 0x92, 'œ': 0x9c, 'Œ': 0x8c }
  return Uint8Array.from([...text].map((ch) => extra[ch] ?? (ch.charCodeAt(0) < 0x100 ? ch.charCodeAt(0) : 0x3f)))
}

const header = 'event_title;event_date;round;association;company;score;interest_scale;a_took_place;a_interest;a_follow_up;c_took_place;c_interest;c_follow_up;outcome;outcome_date;predictor:affinity;predictor:distance;salle'
// round; association; company; score; a_interest; a_follow_up; c_interest; c_follow_up; outcome; outcome_date; affinity; distance
const pairs: string[][] = [
  ['1', 'Café Solidaire', 'Boulangerie Œuvre', '12', '9', 'oui', '8,5', 'oui', 'agreement', '12/06/2019', '0,9', '3'],
  ['1', 'Élan Jeunes', 'Transports Rhénans', '', '7', 'oui', '7', 'oui', 'carried_out', '', '0,7', ''],
  ['1', 'Jardins d’Été', 'Pharmacie du Marché', '5', '2', 'non', '3', 'non', '', '', '', '10'],
  ['2', 'Café Solidaire', 'Transports Rhénans', '11', '6', 'oui', '4', 'non', '', '', '0,8', '5'],
  ['2', 'Élan Jeunes', 'Pharmacie du Marché', '9', '8', 'oui', '9', 'oui', 'unknown', '', '0,8', '2'],
  ['2', 'Jardins d’Été', 'Boulangerie Œuvre', '3', '1', 'non', '2', 'non', '', '', '0,72', '-4,5'],
  ['3', 'Café Solidaire', 'Pharmacie du Marché', '', '5', 'oui', '6', 'oui', 'contacted', '01/04/2019', '', '7'],
  ['3', 'Élan Jeunes', 'Boulangerie Œuvre', '10', '10', 'oui', '9,5', 'oui', 'agreement', '15/05/2019', '0,95', ''],
  ['3', 'Jardins d’Été', 'Transports Rhénans', '4', '3', 'non', '5', 'oui', 'unknown', '', '0,2', '8'],
]
const text = [
  header,
  ...pairs.map(([round, a, c, score, ai, af, ci, cf, outcome, date, affinity, distance]) =>
    ['Rencontres de l’Été', '14/03/2019', round, a, c, score, '1-10', 'oui', ai, af, 'oui', ci, cf, outcome, date, affinity, distance, 'Hôtel de Ville – salle 2'].join(';'),
  ),
].join('\r\n')
const file = cp1252(text)

const importFile = (api: Api, body: Uint8Array, query = '', token = api.org) =>
  api.call('POST', `/api/history/import${query}`, { token, body, headers: { 'content-type': 'text/csv' } })

async function counts(api: Api) {
  const n = async (table: 'events' | 'organisations' | 'meetings' | 'ratings' | 'partnerships' | 'pair_extras' | 'history_imports') =>
    Number((await api.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n)
  return {
    events: await n('events'), organisations: await n('organisations'), meetings: await n('meetings'), ratings: await n('ratings'),
    partnerships: await n('partnerships'), extras: await n('pair_extras'), imports: await n('history_imports'),
  }
}

describe.each(dialects)('lab predictors on %s', (dialect) => {
  const test = apiTest(dialect)

  test('dry run writes nothing; the file imports once (409 again) unless replaced; organisations matched within the network', async ({ api }) => {
    // the same file in network 2 first: its organisations are not network 1's, and its digest is network 2's
    const n2 = await importFile(api, file, '', api.org2)
    expect(n2.status).toBe(201)
    const before = await counts(api)
    const dry = await importFile(api, file, '?dryRun=1')
    expect(dry.status).toBe(200)
    expect(dry.body).toMatchObject({
      dryRun: true, eventId: null, replaced: null, encoding: 'windows-1252', interestScale: '1-10',
      predictors: ['affinity', 'distance'], covariates: ['salle'],
      organisations: { created: 6, reused: 0 }, meetings: 9, ratings: 18, partnerships: 4,
    })
    expect(await counts(api)).toEqual(before)

    const first = await importFile(api, file)
    expect(first.status).toBe(201)
    expect(first.body).toMatchObject({ dryRun: false, organisations: { created: 6, reused: 0 }, meetings: 9, partnerships: 4 })
    const event = await api.db.selectFrom('events').selectAll().where('id', '=', first.body.eventId).executeTakeFirstOrThrow()
    expect([event.title, event.date, event.network_id]).toEqual(['Rencontres de l’Été', '2019-03-14', api.network])
    const names = await api.db.selectFrom('organisations').select('name').where('network_id', '=', api.network).orderBy('name').execute()
    expect(names.map((o) => o.name)).toContain('Boulangerie Œuvre')
    expect(names.map((o) => o.name)).toContain('Jardins d’Été')

    const again = await importFile(api, file)
    expect(again.status).toBe(409)
    expect(again.body.error.code).toBe('conflict')
    expect((await importFile(api, file, '?dryRun=1')).status).toBe(409)
    const afterFirst = await counts(api)

    const replaced = await importFile(api, file, '?replace=1')
    expect(replaced.status).toBe(201)
    expect(replaced.body.replaced).toBe(first.body.eventId)
    // organisations of the network reused (the same names, case and accents aside)
    expect(replaced.body.organisations).toEqual({ created: 0, reused: 6 })
    expect(await counts(api)).toEqual(afterFirst)
    expect(await api.db.selectFrom('events').select('id').where('id', '=', first.body.eventId).execute()).toEqual([])
  })

  test('each predictor’s AUC over exactly the pairs where it is present; unknown outcomes left out of conversion', async ({ api }) => {
    const r = await importFile(api, file)
    expect(r.status).toBe(201)
    const m = await api.call('GET', `/api/lab/metrics?event=${r.body.eventId}`, { token: api.lab })
    expect(m.status).toBe(200)
    const find = (name: string, outcome: string) => m.body.predictors.find((p: any) => p.name === name && p.outcome === outcome)
    // conversion (agreement or later), known outcomes: lines 1 (yes), 2 (yes), 3, 4, 6, 7 (contacted), 8 (yes); 5 and 9 unknown
    // score present on 1, 3, 4, 6, 8: positives 12, 10; negatives 5, 11, 3 -> 5/6
    expect(find('score', 'conversion')).toMatchObject({ n: 5, positives: 2, negatives: 3, missing: 2, ciMethod: 'cluster-bootstrap' })
    expect(find('score', 'conversion').auc).toBeCloseTo(5 / 6, 12)
    expect(find('score', 'conversion').hanleyMcNeil).toHaveLength(2)
    // affinity present on 1, 2, 4, 6, 8: positives 0.9, 0.7, 0.95; negatives 0.8, 0.72 -> 4/6
    expect(find('predictor:affinity', 'conversion')).toMatchObject({ n: 5, positives: 3, negatives: 2 })
    expect(find('predictor:affinity', 'conversion').auc).toBeCloseTo(4 / 6, 12)
    // distance present on 1, 3, 4, 6, 7: positive 3; negatives 10, 5, -4.5, 7 -> 1/4
    expect(find('predictor:distance', 'conversion')).toMatchObject({ n: 5, positives: 1, negatives: 4, auc: 0.25 })
    // mutual interest over every held pair: lines 1, 2, 5, 7, 8; score present on 7 pairs: positives 12, 9, 10; negatives 5, 11, 3, 4 -> 10/12
    expect(find('score', 'mutual')).toMatchObject({ n: 7, positives: 3, negatives: 4 })
    expect(find('score', 'mutual').auc).toBeCloseTo(10 / 12, 12)
    // the ratings on 1-10 normalised: interest_min of line 1 = min(8/9, 7.5/9)
    expect(find('interest_min', 'mutual').n).toBe(9)
    // no wishes collected: missing, not 0
    expect(find('wish_sum', 'conversion')).toMatchObject({ n: 0, auc: null, ci95: null })
    for (const p of m.body.predictors) {
      if (p.auc !== null && p.ci95 !== null) expect(p.ci95[0]).toBeLessThanOrEqual(p.ci95[1])
    }

    const conversion = m.body.events[0].conversion
    expect(conversion.pairsHeld).toBe(9)
    expect(conversion.outcomeUnknown).toBe(2)
    expect(conversion.converted).toMatchObject({ count: 3, of: 7 })
    expect(conversion.scoreAuc.auc).toBeCloseTo(5 / 6, 12)
    // scored pairs with a known outcome only
    expect(conversion.byScoreDecile.reduce((t: number, g: any) => t + g.pairs, 0)).toBe(5)
    expect(m.body.calibration.score).toMatchObject({ n: 5, missing: 2 })
    // days to agreement: 90 (12/06) and 62 (15/05); the carried-out pair has no date -> left out, not 0
    expect(m.body.events[0].daysTo.agreement).toMatchObject({ n: 2, median: 76 })

    const cmp = await api.call('GET', `/api/lab/compare?a=score&b=predictor:affinity&event=${r.body.eventId}`, { token: api.lab })
    expect(cmp.status).toBe(200)
    // both present on lines 1, 4, 6, 8: positives 1, 8; score 12, 10 vs 11, 3 -> 3/4; affinity 0.9, 0.95 vs 0.8, 0.72 -> 1
    expect(cmp.body).toMatchObject({ n: 4, aucA: 0.75, aucB: 1, diff: -0.25 })
    expect(cmp.body.ci95).toHaveLength(2)
    expect(typeof cmp.body.p).toBe('number')
    const same = await api.call('GET', `/api/lab/compare?a=score&b=predictor:affinity&event=${r.body.eventId}`, { token: api.lab })
    expect(same.body).toEqual(cmp.body) // seeded
    const mutual = await api.call('GET', `/api/lab/compare?a=score&b=interest_sum&outcome=mutual&event=${r.body.eventId}`, { token: api.lab })
    expect(mutual.body).toMatchObject({ n: 7, outcome: 'mutual' })
    const unknown = await api.call('GET', `/api/lab/compare?a=score&b=nope&event=${r.body.eventId}`, { token: api.lab })
    expect(unknown.status).toBe(422)
    expect(unknown.body.error.issues).toEqual([expect.objectContaining({ path: 'b' })])
    expect((await api.call('GET', `/api/lab/compare?a=score&b=score&event=${r.body.eventId}`, { token: api.org2 })).status).toBe(404)
  })

  test('export: predictors, covariates, interests as given and normalised, unknown outcomes, documented in the codebook', async ({ api }) => {
    const r = await importFile(api, file)
    const e = await api.call('GET', `/api/lab/export?format=json&key=cle-de-labo&event=${r.body.eventId}`, { token: api.lab })
    expect(e.status).toBe(200)
    const columns = e.body.codebook.map((c: any) => c.column)
    expect(columns).toEqual(Object.keys(e.body.rows[0]))
    expect(columns).toEqual(expect.arrayContaining(['predictor:affinity', 'predictor:distance', 'covariate:salle', 'a_interest_given', 'a_interest_norm', 'outcome_known']))
    const rows = e.body.rows
    const first = rows.find((x: any) => x.round === 1 && x['predictor:affinity'] === 0.9)
    expect(first).toMatchObject({
      score: 12, interest_scale: '1-10', a_interest: null, a_interest_given: 9, c_interest_given: 8.5, 'predictor:distance': 3,
      'covariate:salle': 'Hôtel de Ville – salle 2', outcome_known: true, converted: true, a_wish: null,
    })
    expect(first.a_interest_norm).toBeCloseTo(8 / 9, 6)
    const noScore = rows.filter((x: any) => x.score === null)
    expect(noScore).toHaveLength(2)
    expect(noScore.every((x: any) => x.score_decile === null)).toBe(true)
    const unknown = rows.filter((x: any) => x.outcome_known === false)
    expect(unknown).toHaveLength(2)
    expect(unknown.every((x: any) => x.converted === null)).toBe(true)
    expect(rows.filter((x: any) => x['predictor:distance'] === null)).toHaveLength(2)

    const csv = await api.call('GET', `/api/lab/export?format=csv&key=cle-de-labo&event=${r.body.eventId}`, { token: api.lab })
    expect(csv.text.split('\r\n')[0]).toBe(columns.join(','))
    const book = await api.call('GET', '/api/lab/codebook', { token: api.lab })
    expect(book.body.codebook.map((c: any) => c.column)).toEqual(expect.arrayContaining(['predictor:NAME', 'covariate:NAME', 'interest_scale', 'outcome_known']))
  })

  test('bad predictor values and scales are named; UTF-8 and YYYY-MM-DD still read', async ({ api }) => {
    const utf8 = new TextEncoder().encode(text.replaceAll('14/03/2019', '2019-03-14').replace(';0,9;3;', ';abc;3;').replace(';1-10;oui;9;', ';1-10;oui;11;'))
    const bad = await importFile(api, utf8)
    expect(bad.status).toBe(422)
    expect(bad.body.error.issues.map((i: any) => `${i.row}:${i.column}`)).toEqual(expect.arrayContaining(['2:predictor:affinity', '2:a_interest']))
    const scale = await importFile(api, new TextEncoder().encode(text.replaceAll(';1-10;', ';10-1;')))
    expect(scale.status).toBe(422)
    expect(scale.body.error.issues[0]).toMatchObject({ column: 'interest_scale' })
    const ok = await importFile(api, new TextEncoder().encode(text.replaceAll('14/03/2019', '2019-03-14')))
    expect(ok.status).toBe(201)
    expect(ok.body.encoding).toBe('utf-8')
  })

  test('/labo: predictors table, comparison and calibration, in French with decimal commas', async ({ api }) => {
    const r = await importFile(api, file)
    const page = async (query: string) => {
      const res = await api.app.request(`/labo?event=${r.body.eventId}${query}`, { headers: { cookie: `lab_token=${api.lab}`, 'accept-language': 'fr-FR' } })
      return { status: res.status, html: await res.text() }
    }
    const p = await page('')
    expect(p.status).toBe(200)
    expect(p.html).toContain('data-predictors')
    expect(p.html).toContain('predictor:affinity')
    expect(p.html).toContain('0,83') // score AUC 5/6 for conversion
    expect(p.html).toContain('bootstrap par grappes')
    expect(p.html).toContain('data-calibration')
    const cmp = await page('&a=score&b=predictor:affinity&outcome=conversion')
    expect(cmp.html).toMatch(/data-comparison[^>]*>Sur 4 paires[^<]*AUC A 0,75, AUC B 1, différence -0,25/)
  })

  test('stated wishes and popularity baselines that leave the pair out', async ({ api }) => {
    const ev = await seedEvent(api.db, await organiserIdOf(api.db, api.org), {
      associations: [{ key: 'A1', size: 'micro', themes: [] }, { key: 'A2', size: 'micro', themes: [] }, { key: 'A3', size: 'micro', themes: [] }],
      companies: [{ key: 'C1', size: 'petite', sector: 'commerce', themes: [] }, { key: 'C2', size: 'petite', sector: 'commerce', themes: [] }, { key: 'C3', size: 'petite', sector: 'commerce', themes: [] }],
      meetings: [['A1', 'C1', 1, 8], ['A2', 'C2', 1, 7], ['A3', 'C3', 1, 6], ['A1', 'C2', 2, 5], ['A2', 'C3', 2, 4], ['A3', 'C1', 2, 3]],
    })
    const wish = async (from: string, to: string, level: 'must' | 'like' | 'avoid') =>
      api.db.insertInto('wishes').values({ id: `w-${from}-${to}`, event_id: ev.eventId, from_registration_id: ev.reg[from]!, to_registration_id: ev.reg[to]!, level, set_by: 'participant', created_at: '2026-11-01T00:00:00.000Z' }).execute()
    await wish('A1', 'C1', 'must')
    await wish('A2', 'C1', 'like')
    await wish('A3', 'C1', 'avoid')
    await wish('C1', 'A1', 'like')
    const rate = async (pair: string, who: string, interest: number) => {
      const r = await api.call('PUT', `/api/me/meetings/${ev.meeting[pair]!.id}/rating`, { token: ev.token[who]!, json: { tookPlace: true, interest, followUp: false } })
      expect(r.status).toBe(200)
    }
    await rate('A3-C1', 'A3', 3) // C1 received 0.5 from A3
    await rate('A1-C2', 'C2', 5) // A1 received 1 from C2
    await rate('A1-C1', 'A1', 1) // the pair's own rating: left out of its popularity
    const e = await api.call('GET', `/api/lab/export?format=json&key=cle-de-labo&event=${ev.eventId}`, { token: api.lab })
    const row = (score: number) => e.body.rows.find((x: any) => x.score === score)
    // A1-C1: C1 wanted by A2 (like 2) and A3 (avoid 0) -> 1; A1 by C2 and C3 (none 1) -> 1
    expect(row(8)).toMatchObject({ a_wish: 'must', c_wish: 'like', popularity_wishes: 2, popularity_ratings: 1.5 })
    // A3-C1: C1 wanted by A1 (must 3) and A2 (like 2) -> 2.5; A3 by C2, C3 -> 1
    expect(row(3)).toMatchObject({ a_wish: 'avoid', c_wish: 'none', popularity_wishes: 3.5 })
    // the engine's parts: sizes micro x petite = adjacent bands (0.5); no themes: missing; wishes must + like + mutual = 6 + 3 + 5
    expect(row(8)).toMatchObject({ part_size: 0.5, part_themes: null, part_offers_needs: null, part_distance: null, part_wishes: 14 })
    expect(row(3)).toMatchObject({ part_wishes: 0 })
    // A3-C1's ratings popularity: C1 received from A1 (interest 1 -> 0) only; A3 received nothing -> missing
    expect(row(3).popularity_ratings).toBeNull()
    const m = await api.call('GET', `/api/lab/events/${ev.eventId}/metrics`, { token: api.lab })
    const n = (name: string) => m.body.predictors.find((p: any) => p.name === name && p.outcome === 'mutual').n
    expect([n('wish_sum'), n('popularity_wishes'), n('score')]).toEqual([6, 6, 6])
  })

  test('logistic model with cluster-robust errors, and the power calculator from the events read', async ({ api }) => {
    const r = await importFile(api, file)
    const q = `event=${r.body.eventId}`
    const one = await api.call('GET', `/api/lab/logistic?x=score&${q}`, { token: api.lab })
    expect(one.status).toBe(200)
    // complete cases: the 5 scored pairs with a known outcome; one event: no clusters to be robust over
    expect(one.body).toMatchObject({ outcome: 'conversion', n: 5, positives: 2, events: 1, seMethod: 'model-based' })
    expect(one.body.terms.map((t: any) => t.name)).toEqual(['(intercept)', 'score'])
    expect(one.body.terms[1].coefficient).toBeGreaterThan(0)
    expect(one.body.terms[1].oddsRatio).toBeCloseTo(Math.exp(one.body.terms[1].coefficient), 12)
    // score and affinity together: complete cases 1, 4, 6, 8
    const two = await api.call('GET', `/api/lab/logistic?x=score&x=predictor:affinity&${q}`, { token: api.lab })
    expect(two.body.n).toBe(4)
    // a covariate that is not a number is missing: no complete case
    const cov = await api.call('GET', `/api/lab/logistic?x=covariate:salle&${q}`, { token: api.lab })
    expect(cov.body).toMatchObject({ n: 0, terms: [] })
    expect((await api.call('GET', `/api/lab/logistic?x=nope&${q}`, { token: api.lab })).status).toBe(422)

    const plan = await api.call('GET', `/api/lab/power?target=0.6&${q}`, { token: api.lab })
    expect(plan.status).toBe(200)
    // 7 held pairs with a known outcome, 3 converted; one event: no ICC (0 used)
    expect(plan.body).toMatchObject({ outcome: 'conversion', events: 1, heldPairs: 7, pairsPerEvent: 7, icc: null, iccUsed: 0, target: 0.6 })
    expect(plan.body.baseline).toBeCloseTo(3 / 7, 12)
    // (1.96 + 0.8416)² (3/7 · 4/7 + 0.6 · 0.4) / (0.6 − 3/7)² = 129.5 pairs per arm -> 19 events of 7
    expect(plan.body.sampleSize.eventsPerArm).toBe(19)
    expect((await api.call('GET', `/api/lab/power?target=2&${q}`, { token: api.lab })).status).toBe(422)
  })

  test('trial arms: stored per pair, exported, compared with the reference arm', async ({ api }) => {
    const lines = text.split('\r\n')
    const armOf = (line: string) => (line.includes('Café Solidaire') ? 'engine' : 'random')
    const trialText = [`${lines[0]};arm;trial_assignment;trial_seed`, ...lines.slice(1).map((l) => `${l};${armOf(l)};participant-block;20190314`)].join('\r\n')
    const noSeed = await importFile(api, cp1252(trialText.replaceAll(';20190314', ';')))
    expect(noSeed.status).toBe(422)
    expect(noSeed.body.error.issues).toEqual([expect.objectContaining({ column: 'trial_seed' })])
    const r = await importFile(api, cp1252(trialText))
    expect(r.status).toBe(201)
    expect(r.body.trial).toEqual({ assignment: 'participant-block', seed: '20190314', arms: ['engine', 'random'] })
    const m = await api.call('GET', `/api/lab/metrics?event=${r.body.eventId}`, { token: api.lab })
    const arm = (outcome: string, name: string) => m.body.arms.find((a: any) => a.outcome === outcome && a.arm === name)
    // conversion, known outcomes: engine lines 1 (yes), 4, 7 -> 1/3; random lines 2 (yes), 3, 6, 8 (yes) -> 2/4
    expect(arm('conversion', 'engine')).toMatchObject({ reference: true, n: 3, positives: 1, diff: null })
    expect(arm('conversion', 'random')).toMatchObject({ reference: false, n: 4, positives: 2, rate: 0.5, ciMethod: 'cluster-bootstrap' })
    expect(arm('conversion', 'random').diff).toBeCloseTo(0.5 - 1 / 3, 12)
    expect(arm('conversion', 'random').ci95[0]).toBeLessThanOrEqual(arm('conversion', 'random').ci95[1])
    // mutual: engine 2/3, random 3/6
    expect(arm('mutual', 'random')).toMatchObject({ n: 6, positives: 3 })
    const e = await api.call('GET', `/api/lab/export?format=json&key=cle-de-labo&event=${r.body.eventId}`, { token: api.lab })
    expect(e.body.rows.filter((x: any) => x.arm === 'engine')).toHaveLength(3)
    expect(e.body.rows.every((x: any) => x.trial_assignment === 'participant-block' && x.trial_seed === '20190314')).toBe(true)
    const page = await api.app.request(`/labo?event=${r.body.eventId}`, { headers: { cookie: `lab_token=${api.lab}`, 'accept-language': 'fr-FR' } })
    const html = await page.text()
    expect(html).toContain('data-arms')
    expect(html).toContain('16,7 pts') // random − engine = 1/6
  })

  test('weights learned from past events, with their leave-one-event-out AUC against the default weights', async ({ api }) => {
    const example = readFileSync(new URL('../../data/csv/history-example.csv', import.meta.url), 'utf8')
    const one = await importFile(api, new TextEncoder().encode(example))
    const two = await importFile(api, new TextEncoder().encode(example.replaceAll('2019-03-14', '2020-03-12').replaceAll('Strasbourg 2019', 'Strasbourg 2020')))
    const w = await api.call('GET', `/api/lab/weights?event=${one.body.eventId}&event=${two.body.eventId}`, { token: api.lab })
    expect(w.status).toBe(200)
    // 8 held pairs per event, every outcome known
    expect(w.body).toMatchObject({ outcome: 'conversion', n: 16, events: 2, l2: 1 })
    expect(Object.keys(w.body.coefficients)).toEqual(['offers_needs', 'themes', 'territory', 'distance', 'size', 'wishes'])
    const loeo = w.body.leaveOneEventOut
    expect(loeo).toMatchObject({ a: 'learned_weights', b: 'default_weights', n: 16, ciMethod: 'cluster-bootstrap' })
    expect(loeo.aucA).toBeGreaterThanOrEqual(0)
    expect(loeo.aucB).toBeLessThanOrEqual(1)
    // one event: no leave-one-event-out comparison
    const single = await api.call('GET', `/api/lab/weights?event=${one.body.eventId}`, { token: api.lab })
    expect(single.body).toMatchObject({ events: 1, leaveOneEventOut: null })
  })

  test('no score anywhere: no score AUC, no deciles, no calibration (nothing rather than 0.5); two imports at once: one 201, one 409', async ({ api }) => {
    const noScore = cp1252(text.split('\r\n').map((l, i) => (i === 0 ? l : l.split(';').map((c, j) => (j === 5 ? '' : c)).join(';'))).join('\r\n'))
    const [x, y] = await Promise.all([importFile(api, noScore), importFile(api, noScore)])
    expect([x.status, y.status].sort()).toEqual([201, 409])
    const r = x.status === 201 ? x : y
    const m = await api.call('GET', `/api/lab/events/${r.body.eventId}/metrics`, { token: api.lab })
    expect(m.body.conversion.scoreAuc).toBeNull()
    expect(m.body.conversion.byScoreDecile).toEqual([])
    expect(m.body.calibration.score).toMatchObject({ n: 0, missing: 7, bins: [] })
    expect(m.body.predictors.find((p: any) => p.name === 'score' && p.outcome === 'conversion')).toMatchObject({ n: 0, auc: null, ci95: null })
    const page = await api.app.request(`/labo?event=${r.body.eventId}`, { headers: { cookie: `lab_token=${api.lab}`, 'accept-language': 'fr-FR' } })
    const html = await page.text()
    expect(html).not.toContain('data-auc')
    expect(html).toContain('Aucune paire n’a de score')
  })

  test('the predictors example file imports', async ({ api }) => {
    const example = readFileSync(new URL('../../data/csv/history-predictors-example.csv', import.meta.url))
    const r = await importFile(api, new Uint8Array(example))
    expect(r.status).toBe(201)
    expect(r.body).toMatchObject({
      encoding: 'utf-8', interestScale: '1-10', predictors: ['affinite_declaree', 'distance_km'], covariates: ['salle'],
      trial: { assignment: 'event', seed: '20211118', arms: ['engine'] }, meetings: 4, partnerships: 2,
    })
  })
})
