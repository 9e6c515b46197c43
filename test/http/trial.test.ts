import { readFileSync } from 'node:fs'
import { describe, expect } from 'vitest'
import { DEFAULT_WEIGHTS } from '../../solver/scoring.ts'
import { drawTrial, eventArm, lateArm } from '../../src/domain/trial.ts'
import { apiTest, type Api } from '../helpers/api.ts'
import { addParticipant, createEvent, eventBody, smallEvent } from '../helpers/builders.ts'
import { dialects } from '../helpers/db.ts'

/** 4 associations and 4 companies, 2 rounds, 4 tables: not everyone meets everyone. */
async function fourByFour(api: Api) {
  const eventId = await createEvent(api, api.org, { ...eventBody, rounds: 2, tables: 4, breaks: [] })
  const associations = []
  const companies = []
  for (const name of ['Amicale Bretonne', 'Banque Alimentaire', 'Cercle Culturel', 'Donneurs de Sang']) associations.push(await addParticipant(api, eventId, 'association', name))
  for (const name of ['Électricité Rhénane', 'Fonderie Kuhn', 'Garage Muller', 'Hôtel Brant']) companies.push(await addParticipant(api, eventId, 'company', name))
  return { eventId, associations, companies }
}

const meetingsOf = async (api: Api, scheduleId: string) =>
  api.db.selectFrom('meetings').select(['association_registration_id as a', 'company_registration_id as c', 'arm', 'score']).where('schedule_id', '=', scheduleId).execute()

describe.each(dialects)('trials and weights on %s', (dialect) => {
  const test = apiTest(dialect)

  test('participant blocks: seed drawn and recorded, arms stored per meeting, shown to the organiser, locked once published', async ({ api }) => {
    const { eventId, associations } = await fourByFour(api)
    const none = await api.call('GET', `/api/events/${eventId}/trial`, { token: api.org })
    expect(none.body).toEqual({ trial: null, locked: false, draw: null })

    const put = await api.call('PUT', `/api/events/${eventId}/trial`, { token: api.org, json: { arms: ['engine', 'random'], assignment: 'participant-block' } })
    expect(put.status).toBe(200)
    expect(put.body.trial).toMatchObject({ assignment: 'participant-block', arms: ['engine', 'random'], createdBy: expect.stringMatching(/^organiser:/) })
    expect(put.body.trial.seed).toMatch(/^[0-9a-f]{12}$/)
    expect(put.body.draw.source).toBe('preview')
    const blocks: { registrationId: string; name: string; arm: string }[] = put.body.draw.blocks
    expect(blocks).toHaveLength(4)
    expect(blocks.filter((b) => b.arm === 'engine')).toHaveLength(2)
    expect(blocks.map((b) => b.name)).toContain('Amicale Bretonne')
    // the draw is the seed's: anyone can draw it again
    const again = drawTrial({ assignment: 'participant-block', seed: put.body.trial.seed, arms: ['engine', 'random'] }, eventId, associations.map((a) => a.id))
    for (const b of blocks) expect(b.arm).toBe(again.blocks![b.registrationId])

    const solved = await api.call('POST', `/api/events/${eventId}/schedule?publish=1`, { token: api.org })
    expect(solved.status).toBe(201)
    expect(solved.body.schedule.trial).toMatchObject({ assignment: 'participant-block', seed: put.body.trial.seed, arms: ['engine', 'random'], arm: null, blockSizes: { engine: 2, random: 2 } })
    expect(solved.body.schedule.weightsVersion).toBe('default')
    expect(solved.body.schedule.weights).toEqual({ ...DEFAULT_WEIGHTS })
    // the arm is the organiser's to read, not in the meeting views participants and the room read
    expect(JSON.stringify(solved.body.meetings)).not.toContain('"arm"')
    const meetings = await meetingsOf(api, solved.body.schedule.id)
    expect(meetings).toHaveLength(8)
    for (const m of meetings) expect(m.arm).toBe(again.blocks![m.a])

    const view = await api.call('GET', `/api/events/${eventId}/trial`, { token: api.org })
    expect(view.body).toMatchObject({ locked: true, draw: { source: 'published', version: 1 } })

    const change = await api.call('PUT', `/api/events/${eventId}/trial`, { token: api.org, json: { arms: ['engine', 'rotation'], assignment: 'participant-block' } })
    expect(change.status).toBe(409)
    expect(change.body.error.message).toMatch(/^La version 1 du planning est publiée\s: l’essai ne peut plus changer/)
    expect((await api.call('DELETE', `/api/events/${eventId}/trial`, { token: api.org })).status).toBe(409)

    // a re-plan keeps each association's arm
    const replan = await api.call('POST', `/api/events/${eventId}/schedule/replan`, { token: api.org, json: { fromRound: 2 } })
    expect(replan.status).toBe(201)
    for (const m of await meetingsOf(api, replan.body.schedule.id)) expect(m.arm).toBe(again.blocks![m.a])

    // the lab export carries the arm of every pair, and the weights version
    await api.call('POST', `/api/events/${eventId}/schedules/2/publish`, { token: api.org })
    const exported = await api.call('GET', `/api/lab/export?event=${eventId}`, { token: api.lab })
    expect(exported.body.rows.length).toBeGreaterThan(0)
    for (const row of exported.body.rows) {
      expect(['engine', 'random']).toContain(row.arm)
      expect(row.trial_assignment).toBe('participant-block')
      expect(row.weights_version).toBe('default')
    }
    expect(exported.body.codebook.map((c: { column: string }) => c.column)).toEqual(expect.arrayContaining(['arm', 'weights_version', 'weights']))

    // the lab compares the arms on the held pairs, with cluster-bootstrap intervals
    const metrics = await api.call('GET', `/api/lab/metrics?event=${eventId}`, { token: api.lab })
    const arms = metrics.body.arms.filter((a: { outcome: string }) => a.outcome === 'mutual')
    expect(arms.map((a: { arm: string; n: number; reference: boolean }) => [a.arm, a.n, a.reference])).toEqual([
      ['engine', 4, true],
      ['random', 4, false],
    ])
    expect(arms[1]).toMatchObject({ positives: 0, diff: 0, ciMethod: 'cluster-bootstrap' })
  })

  test('lab: a balanced allocation of arms for a series of events; the power calculator on one network', async ({ api }) => {
    const r = await api.call('GET', '/api/lab/allocation?arm=engine&arm=random&events=5&seed=serie-2027', { token: api.lab })
    expect(r.status).toBe(200)
    expect(r.body.seed).toBe('serie-2027')
    expect(r.body.allocation).toHaveLength(5)
    expect([...r.body.allocation.slice(0, 2)].sort()).toEqual(['engine', 'random'])
    expect([...r.body.allocation.slice(2, 4)].sort()).toEqual(['engine', 'random'])
    expect((await api.call('GET', '/api/lab/allocation?arm=engine,rotation&events=3', { token: api.org })).body.seed).toMatch(/^[0-9a-f]{12}$/)
    const bad = await api.call('GET', '/api/lab/allocation?arm=tirage&events=3', { token: api.lab })
    expect(bad.status).toBe(422)
    expect(bad.body.error.issues[0]).toMatchObject({ path: 'arm', message: expect.stringMatching(/^au moins un bras parmi/) })
    expect((await api.call('GET', '/api/lab/allocation?arm=engine&events=0', { token: api.lab })).status).toBe(422)

    await createEvent(api)
    const power = await api.call('GET', `/api/lab/power?target=0.3&network=${api.network}`, { token: api.lab })
    expect(power.status).toBe(200)
    expect(power.body).toMatchObject({ target: 0.3, events: 0 })
    expect((await api.call('GET', `/api/lab/power?target=0.3&network=${api.network2}`, { token: api.lab })).status).toBe(404)
    expect((await api.call('GET', `/api/lab/power?target=0.3&network=${api.network2}`, { token: api.org })).status).toBe(404)
  })

  test('by event: one arm drawn from the seed and the event; the rotation arm meets the cyclic rotation', async ({ api }) => {
    const { eventId, associations, companies } = await fourByFour(api)
    const put = await api.call('PUT', `/api/events/${eventId}/trial`, { token: api.org, json: { arms: ['rotation'], assignment: 'event', seed: 42 } })
    expect(put.body.trial.seed).toBe('42')
    expect(put.body.draw).toMatchObject({ source: 'preview', arm: 'rotation', blocks: [] })
    const solved = await api.call('POST', `/api/events/${eventId}/schedule`, { token: api.org })
    expect(solved.body.schedule.trial).toMatchObject({ assignment: 'event', arm: 'rotation', blockSizes: null })
    const meetings = await meetingsOf(api, solved.body.schedule.id)
    const a = associations.map((x) => x.id).sort()
    const c = companies.map((x) => x.id).sort()
    // association i meets company (i + r) mod 4, r = 0, 1
    const rotation = new Set(a.flatMap((id, i) => [0, 1].map((r) => `${id} ${c[(i + r) % 4]}`)))
    expect(new Set(meetings.map((m) => `${m.a} ${m.c}`))).toEqual(rotation)
    for (const m of meetings) expect(m.arm).toBe('rotation')

    // with several arms, the event's arm is the seed's
    const other = await createEvent(api)
    const setup = await api.call('PUT', `/api/events/${other}/trial`, { token: api.org, json: { arms: ['engine', 'engine-no-wishes', 'random', 'rotation'], assignment: 'event', seed: 'serie-2027' } })
    expect(setup.body.draw.arm).toBe(eventArm({ assignment: 'event', seed: 'serie-2027', arms: ['engine', 'engine-no-wishes', 'random', 'rotation'] }, other))
  })

  test('a version solved before the trial cannot be published; removing the trial before publishing', async ({ api }) => {
    const { eventId } = await smallEvent(api)
    await api.call('POST', `/api/events/${eventId}/schedule`, { token: api.org })
    await api.call('PUT', `/api/events/${eventId}/trial`, { token: api.org, json: { arms: ['random'], assignment: 'event' } })
    const refused = await api.call('POST', `/api/events/${eventId}/schedules/1/publish`, { token: api.org })
    expect(refused.status).toBe(409)
    expect(refused.body.error.message).toMatch(/^Version 1 calculée avant l’essai\s: recalculez/)
    const v2 = await api.call('POST', `/api/events/${eventId}/schedule`, { token: api.org })
    expect(v2.body.schedule.trial.arm).toBe('random')
    const removed = await api.call('DELETE', `/api/events/${eventId}/trial`, { token: api.org })
    expect(removed.status).toBe(200)
    expect(removed.body.trial).toBeNull()
    expect((await api.call('DELETE', `/api/events/${eventId}/trial`, { token: api.org })).status).toBe(404)
    const stale = await api.call('POST', `/api/events/${eventId}/schedules/2/publish`, { token: api.org })
    expect(stale.status).toBe(409)
    expect(stale.body.error.message).toMatch(/avec un autre essai/)
  })

  test('a re-plan on the night: played meetings keep their arm, a walk-in association draws its own from the seed', async ({ api }) => {
    const { eventId, associations } = await smallEvent(api)
    const put = await api.call('PUT', `/api/events/${eventId}/trial`, { token: api.org, json: { arms: ['engine', 'rotation'], assignment: 'participant-block', seed: 'soiree' } })
    const first = await api.call('POST', `/api/events/${eventId}/schedule?publish=1`, { token: api.org })
    expect(first.status).toBe(201)
    await api.call('POST', `/api/events/${eventId}/status`, { token: api.org, json: { status: 'live' } })
    await api.call('POST', `/api/events/${eventId}/participants/${associations[2]!.id}/attendance`, { token: api.org, json: { attendance: 'absent' } })
    const walkIn = await addParticipant(api, eventId, 'association', 'Vélo-École Schiltigheim', { attendance: 'walk-in' })
    const r = await api.call('POST', `/api/events/${eventId}/schedule/replan?publish=1`, { token: api.org, json: { fromRound: 3 } })
    expect(r.status, r.text).toBe(201)
    const blocks = Object.fromEntries(put.body.draw.blocks.map((b: { registrationId: string; arm: string }) => [b.registrationId, b.arm]))
    const meetings = await meetingsOf(api, r.body.schedule.id)
    expect(meetings.some((m) => m.a === walkIn.id)).toBe(true)
    for (const m of meetings) expect(m.arm).toBe(m.a === walkIn.id ? lateArm({ assignment: 'participant-block', seed: 'soiree', arms: ['engine', 'rotation'] }, walkIn.id) : blocks[m.a])
    const view = await api.call('GET', `/api/events/${eventId}/trial`, { token: api.org })
    expect(view.body.draw.blocks.find((b: { name: string }) => b.name === 'Vélo-École Schiltigheim')).toBeDefined()
  })

  test('trial setup is validated, in French first', async ({ api }) => {
    const eventId = await createEvent(api)
    const put = (json: unknown) => api.call('PUT', `/api/events/${eventId}/trial`, { token: api.org, json })
    const unknown = await put({ arms: ['engine', 'tirage'], assignment: 'event' })
    expect(unknown.status).toBe(422)
    expect(unknown.body.error.issues[0]).toMatchObject({ path: 'arms.1', message: expect.stringMatching(/^bras inconnu/) })
    const one = await put({ arms: ['engine'], assignment: 'participant-block' })
    expect(one.body.error.issues[0]).toMatchObject({ path: 'arms', message: expect.stringMatching(/^au moins deux bras/) })
    expect((await put({ arms: ['engine', 'engine'], assignment: 'event' })).body.error.issues[0].message).toMatch(/^chaque bras une seule fois/)
    expect((await put({ arms: ['engine'], assignment: 'table' })).body.error.issues[0].path).toBe('assignment')
    expect((await put({ arms: ['engine'], assignment: 'event', seed: 'a b' })).body.error.issues[0].message).toMatch(/^graine/)
    expect((await put({ arms: [], assignment: 'event' })).status).toBe(422)
    // another network's event is not found; the door volunteer's role may not
    const foreign = await api.call('PUT', `/api/events/${eventId}/trial`, { token: api.org2, json: { arms: ['engine'], assignment: 'event' } })
    expect(foreign.status).toBe(404)
  })

  test('weights: adopted by hand, used by the solve, kept with the version and exported; back to the defaults', async ({ api }) => {
    const { eventId } = await smallEvent(api)
    const initial = await api.call('GET', `/api/events/${eventId}/weights`, { token: api.org })
    expect(initial.body).toEqual({ source: 'default', weights: { ...DEFAULT_WEIGHTS }, version: 'default', adoptedAt: null, adoptedBy: null, suggestion: null })
    const put = await api.call('PUT', `/api/events/${eventId}/weights`, { token: api.org, json: { source: 'manual', weights: { offerMeetsNeed: 30, sharedTheme: 0 } } })
    expect(put.status).toBe(200)
    expect(put.body).toMatchObject({ source: 'manual', weights: { ...DEFAULT_WEIGHTS, offerMeetsNeed: 30, sharedTheme: 0 }, adoptedBy: expect.stringMatching(/^organiser:/) })
    expect(put.body.version).toMatch(/^manual-[0-9a-f]{10}$/)
    const solved = await api.call('POST', `/api/events/${eventId}/schedule?publish=1`, { token: api.org })
    expect(solved.body.schedule).toMatchObject({ weightsVersion: put.body.version, weights: put.body.weights, trial: null })
    // the pair whose offer meets the other's need scores 30 + the rest, with the themes at 0
    const top = Math.max(...solved.body.meetings.map((m: { score: number }) => m.score))
    expect(top).toBe(30)
    const versions = await api.call('GET', `/api/events/${eventId}/schedules`, { token: api.org })
    expect(versions.body.schedules[0].weightsVersion).toBe(put.body.version)
    const exported = await api.call('GET', `/api/lab/export?event=${eventId}`, { token: api.lab })
    expect(exported.body.rows[0].weights_version).toBe(put.body.version)
    expect(JSON.parse(exported.body.rows[0].weights)).toEqual(put.body.weights)

    const back = await api.call('PUT', `/api/events/${eventId}/weights`, { token: api.org, json: { source: 'default' } })
    expect(back.body).toMatchObject({ source: 'default', version: 'default' })
    const v2 = await api.call('POST', `/api/events/${eventId}/schedule`, { token: api.org })
    expect(v2.body.schedule.weightsVersion).toBe('default')
  })

  test('learned weights: fitted on the network’s other events and adopted for a new event; the solve uses them', async ({ api }) => {
    const example = readFileSync(new URL('../../data/csv/history-example.csv', import.meta.url), 'utf8')
    const past = []
    for (const year of ['2019', '2020']) {
      const body = example.replaceAll('2019-03-14', `${year}-03-14`).replaceAll('Strasbourg 2019', `Strasbourg ${year}`)
      const r = await api.call('POST', '/api/history/import', { token: api.org, body, headers: { 'content-type': 'text/csv' } })
      expect(r.status, r.text).toBe(201)
      past.push(r.body.eventId as string)
    }
    const fit = await api.call('GET', `/api/lab/weights?event=${past[0]}&event=${past[1]}`, { token: api.org })
    const { eventId } = await smallEvent(api)
    const suggested = await api.call('GET', `/api/events/${eventId}/weights?suggest=1`, { token: api.org })
    expect(suggested.body.suggestion).toEqual({ weights: fit.body.weights, events: 2, n: 16 })
    const adopted = await api.call('PUT', `/api/events/${eventId}/weights`, { token: api.org, json: { source: 'learned' } })
    // the example's themes and sizes carry the outcomes: { sharedTheme: 9.24, sizeFit: 1.38, the others 0 }
    expect(fit.body.weights).toMatchObject({ sharedTheme: 9.24, sizeFit: 1.38, offerMeetsNeed: 0 })
    expect(adopted.status).toBe(200)
    expect(adopted.body).toMatchObject({ source: 'learned', weights: { ...DEFAULT_WEIGHTS, ...fit.body.weights } })
    const solved = await api.call('POST', `/api/events/${eventId}/schedule`, { token: api.org })
    expect(solved.body.schedule).toMatchObject({ weightsVersion: adopted.body.version, weights: adopted.body.weights })
  })

  test('weights are validated by name and range, in French first; learned weights need outcomes', async ({ api }) => {
    const eventId = await createEvent(api)
    const put = (json: unknown) => api.call('PUT', `/api/events/${eventId}/weights`, { token: api.org, json })
    const unknown = await put({ source: 'manual', weights: { offersMeetNeeds: 3 } })
    expect(unknown.status).toBe(422)
    expect(unknown.body.error.issues[0].path).toBe('weights')
    expect(unknown.body.error.issues[0].message).toMatch(/offersMeetNeeds/)
    const negative = await put({ source: 'manual', weights: { wishMust: -1 } })
    expect(negative.body.error.issues[0]).toMatchObject({ path: 'weights.wishMust', message: 'wishMust\u00a0: au moins 0' })
    expect((await put({ source: 'manual', weights: { maxDistanceKm: 0 } })).body.error.issues[0].path).toBe('weights.maxDistanceKm')
    expect((await put({ source: 'manual' })).body.error.issues[0]).toMatchObject({ path: 'weights', message: expect.stringMatching(/^poids requis/) })
    expect((await put({ source: 'default', weights: { wishMust: 1 } })).body.error.issues[0].message).toMatch(/^les poids par défaut ne se donnent pas/)
    expect((await put({ source: 'appris' })).body.error.issues[0].path).toBe('source')
    const learned = await put({ source: 'learned' })
    expect(learned.status).toBe(409)
    expect(learned.body.error.message).toMatch(/^Pas de poids appris/)
    // weights given from the lab's fit are taken as given
    const given = await put({ source: 'learned', weights: { offerMeetsNeed: 4.5, wishMust: 2 } })
    expect(given.body).toMatchObject({ source: 'learned', weights: { offerMeetsNeed: 4.5, wishMust: 2 } })
    expect(given.body.version).toMatch(/^learned-/)
    expect((await api.call('GET', `/api/events/${eventId}/weights?suggest=1`, { token: api.org })).body.suggestion).toEqual({ weights: null, events: 0, n: 0 })
    expect((await api.call('PUT', `/api/events/${eventId}/weights`, { token: api.org2, json: { source: 'default' } })).status).toBe(404)
  })
})
