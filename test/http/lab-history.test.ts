import { readFileSync } from 'node:fs'
import { describe, expect } from 'vitest'
import { apiTest, type Api } from '../helpers/api.ts'
import { dialects } from '../helpers/db.ts'

const example = readFileSync(new URL('../../data/csv/history-example.csv', import.meta.url), 'utf8')

const importCsv = (api: Api, body: string, token = api.org) =>
  api.call('POST', '/api/history/import', { token, body, headers: { 'content-type': 'text/csv' } })

async function counts(api: Api) {
  const n = async (table: 'events' | 'organisations' | 'registrations' | 'meetings' | 'ratings' | 'partnerships' | 'partnership_history' | 'proposals') =>
    (await api.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n
  return {
    events: Number(await n('events')), organisations: Number(await n('organisations')), registrations: Number(await n('registrations')),
    meetings: Number(await n('meetings')), ratings: Number(await n('ratings')), partnerships: Number(await n('partnerships')),
    history: Number(await n('partnership_history')), proposals: Number(await n('proposals')),
  }
}

describe.each(dialects)('history import on %s', (dialect) => {
  const test = apiTest(dialect)

  test('the example file becomes a closed event that counts in the lab figures', async ({ api }) => {
    const r = await importCsv(api, example)
    expect(r.status).toBe(201)
    // 3 associations + 4 companies; 9 meetings; 17 side ratings (line 7: only the association said "did not take place");
    // 6 outcomes, one for a pair that never met (last line)
    expect(r.body).toMatchObject({ organisations: { created: 7, reused: 0 }, meetings: 9, ratings: 17, partnerships: 6 })
    const metrics = await api.call('GET', `/api/lab/events/${r.body.eventId}/metrics`, { token: api.lab })
    // held 8 (line 7 not held); rated 8; mutual: lines 2, 3, 6, 9, 10 = 5; all five have an outcome -> proposed 5;
    // contacted 5 (line 6 abandoned after contacted); agreement: lines 2, 3, 10 = 3; carried out: lines 2, 10 = 2
    expect(metrics.body.funnel.map((s: any) => [s.stage, s.count])).toEqual([
      ['registered', 7], ['present', 7], ['meetings_held', 8], ['rated', 8], ['mutual_interest', 5],
      ['proposed', 5], ['contacted', 5], ['agreement', 3], ['carried_out', 2],
    ])
    // days from the event (2019-03-14) to agreement: 2019-06-12 = 90, 2019-09-30 = 200, 2019-10-15 = 215 (baseline),
    // 2019-12-01 = 262 -> median (200 + 215)/2 = 207.5
    expect(metrics.body.daysTo.agreement).toMatchObject({ n: 4, median: 207.5 })
    const p = await api.db
      .selectFrom('partnerships')
      .innerJoin('registrations', 'registrations.id', 'partnerships.company_registration_id')
      .select(['partnerships.id', 'partnerships.status', 'partnerships.value_in_kind_eur', 'registrations.person_name'])
      .where('partnerships.event_id', '=', r.body.eventId)
      .execute()
    const kieffer = p.find((x) => x.person_name === 'Boulangeries Kieffer' && x.value_in_kind_eur === 3500)!
    expect(kieffer.status).toBe('carried_out')
    const steps = await api.db.selectFrom('partnership_history').selectAll().where('partnership_id', '=', kieffer.id).orderBy('seq').execute()
    expect(steps.map((s) => [s.from_status, s.to_status, s.at.slice(0, 10)])).toEqual([
      [null, 'proposed', '2019-03-14'], ['proposed', 'contacted', '2019-09-30'], ['contacted', 'in_discussion', '2019-09-30'],
      ['in_discussion', 'agreement', '2019-09-30'], ['agreement', 'carried_out', '2019-09-30'],
    ])
    const exported = await api.call('GET', `/api/lab/export?key=history-key&event=${r.body.eventId}`, { token: api.lab })
    expect(exported.body.rows).toHaveLength(10)
    expect(exported.body.rows.filter((x: any) => !x.scheduled)).toEqual([expect.objectContaining({ reached: 'agreement', partnership_origin: 'history', event_month: '2019-03' })])
    // no check-ins for a past event
    expect(await api.db.selectFrom('checkins').selectAll().execute()).toEqual([])

    // a second edition reuses the organisations, so pseudonyms follow them across events
    const again = await importCsv(api, example.replaceAll('2019-03-14', '2020-03-12').replaceAll('Strasbourg 2019', 'Strasbourg 2020'))
    expect(again.body.organisations).toEqual({ created: 0, reused: 7 })
  })

  test('a bad row: 422 naming rows and columns, nothing written', async ({ api }) => {
    const before = await counts(api)
    const lines = example.trim().split('\n')
    lines[3] = lines[3]!.replace(',9,oui,3,non,', ',9,oui,7,non,') // line 4: interest 7
    lines[5] = lines[5]!.replace('abandoned,contacted', 'abandoned,nowhere') // line 6: unknown stage
    lines[8] = lines[8]!.replace('2019-03-14,3,2', '2019-03-14,3,1') // line 9: table 1 of round 3 taken twice
    const r = await importCsv(api, lines.join('\n'))
    expect(r.status).toBe(422)
    expect(r.body.error.code).toBe('csv_invalid')
    const where = r.body.error.issues.map((i: any) => `${i.row}:${i.column}`)
    expect(where).toEqual(expect.arrayContaining(['4:a_interest', '6:abandoned_after', '9:table']))
    expect(r.body.error.message).toMatch(/4, 6, 9/)
    expect(await counts(api)).toEqual(before)
  })

  test('one event per file, required columns, organisers only', async ({ api }) => {
    const mixed = example.trim().split('\n')
    mixed[2] = mixed[2]!.replace('2019-03-14', '2019-03-15')
    const r = await importCsv(api, mixed.join('\n'))
    expect(r.status).toBe(422)
    expect(r.body.error.issues[0]).toMatchObject({ row: 3, column: 'event_title' })
    const noRound = await importCsv(api, 'event_title,event_date,association,company\nSoirée,2019-01-01,A,C\n')
    expect(noRound.status).toBe(422)
    expect(noRound.body.error.issues).toEqual([{ row: 1, column: 'round', message: expect.any(String) }])
    expect((await importCsv(api, example, api.lab)).status).toBe(403)
    expect((await counts(api)).events).toBe(0)
  })
})
