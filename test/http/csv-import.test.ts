import { readFileSync } from 'node:fs'
import { describe, expect } from 'vitest'
import type { Api } from '../helpers/api.ts'
import { apiTest } from '../helpers/api.ts'
import { addParticipant, createEvent } from '../helpers/builders.ts'
import { dialects } from '../helpers/db.ts'

const utf8File = readFileSync(new URL('../../data/csv/inscriptions-utf8.csv', import.meta.url))
const latin1File = readFileSync(new URL('../../data/csv/inscriptions-excel-latin1.csv', import.meta.url))

const header = 'type,nom,siren/rna,secteur,email,participant,arrivée,départ,thèmes'
const good = [
  'association,Entraide Neudorf,W672000001,sante-social,contact@entraide.example.org,Odile Graff,,,precarite',
  'entreprise,Brasserie du Kochersberg,412345678,agriculture,rse@brasserie.example.com,Thomas Weber,2,,insertion-jeunes|emploi-jeunes',
]
const csv = (...lines: string[]) => [header, ...lines].join('\r\n') + '\r\n'

async function post(api: Api, eventId: string, body: string | Uint8Array, query = '') {
  return api.call('POST', `/api/events/${eventId}/participants/import${query}`, { token: api.org, body, headers: { 'content-type': 'text/csv' } })
}

async function count(api: Api) {
  const regs = await api.db.selectFrom('registrations').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()
  const orgs = await api.db.selectFrom('organisations').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()
  return { registrations: Number(regs.n), organisations: Number(orgs.n) }
}

describe.each(dialects)('CSV import on %s', (dialect) => {
  const test = apiTest(dialect)

  test('the UTF-8 comma example imports every row with personal links', async ({ api }) => {
    const eventId = await createEvent(api, api.org, { title: 'Soirée', date: '2026-12-03', rounds: 10 })
    const r = await post(api, eventId, utf8File)
    expect(r.status, r.text).toBe(201)
    expect(r.body).toMatchObject({ valid: true, encoding: 'utf-8', delimiter: ',', rows: 12 })
    expect(r.body.created).toHaveLength(12)
    expect(r.body.created[0].link).toMatch(/^\/p\/p_/)
    const list = await api.call('GET', `/api/events/${eventId}/participants`, { token: api.org })
    expect(list.body.participants).toHaveLength(12)
    const late = list.body.participants.find((p: { arriveRound: number | null }) => p.arriveRound === 3)
    expect(late).toBeDefined()
  })

  test('the Windows-1252 semicolon example is decoded with its accents and labels', async ({ api }) => {
    const eventId = await createEvent(api, api.org, { title: 'Soirée', date: '2026-12-03', rounds: 10 })
    const r = await post(api, eventId, latin1File)
    expect(r.status, r.text).toBe(201)
    expect(r.body).toMatchObject({ valid: true, encoding: 'windows-1252', delimiter: ';' })
    const names = r.body.created.map((c: { organisation: string }) => c.organisation)
    expect(names).toContain("Solid'Auto Molsheim")
    expect(names.some((n: string) => /[éèàô]/.test(n))).toBe(true)
    const orgs = await api.call('GET', '/api/organisations', { token: api.org })
    const withLabels = orgs.body.organisations.find((o: { name: string }) => o.name === "Solid'Auto Molsheim")
    expect(withLabels.themes).toEqual(['insertion-jeunes'])
    expect(withLabels).toMatchObject({ town: 'Molsheim', latitude: 48.5275, offers: ['ancrage-local', 'visibilite'] })
  })

  test('a semicolon file in Latin-1 with é in a header and a value', async ({ api }) => {
    const eventId = await createEvent(api)
    const text = 'type;nom;participant;ville\r\nassociation;Épicerie Solidaire de Sélestat;Agnès Kuntz;Sélestat\r\n'
    const bytes = Uint8Array.from([...text].map((ch) => ch.charCodeAt(0)))
    const r = await post(api, eventId, bytes)
    expect(r.status, r.text).toBe(201)
    const list = await api.call('GET', `/api/events/${eventId}/participants`, { token: api.org })
    expect(list.body.participants[0].organisation).toMatchObject({ name: 'Épicerie Solidaire de Sélestat', town: 'Sélestat' })
    expect(list.body.participants[0].personName).toBe('Agnès Kuntz')
  })

  test('a UTF-8 file with a BOM and English headers', async ({ api }) => {
    const eventId = await createEvent(api)
    const r = await post(api, eventId, '\uFEFFkind,name,person,email,offers\nassociation,Repair Café Krutenau,Léa Ott,lea@repair.example.org,visibilite\n')
    expect(r.status, r.text).toBe(201)
    expect(r.body.created[0].organisation).toBe('Repair Café Krutenau')
  })

  test('multipart upload with a file field', async ({ api }) => {
    const eventId = await createEvent(api)
    const form = new FormData()
    form.append('file', new Blob([csv(...good)], { type: 'text/csv' }), 'inscriptions.csv')
    const r = await api.call('POST', `/api/events/${eventId}/participants/import`, { token: api.org, body: form })
    expect(r.status, r.text).toBe(201)
    expect(r.body.created).toHaveLength(2)
    const noFile = new FormData()
    noFile.append('other', 'x')
    const bad = await api.call('POST', `/api/events/${eventId}/participants/import`, { token: api.org, body: noFile })
    expect(bad.status).toBe(422)
  })

  test('dryRun validates and previews without writing', async ({ api }) => {
    const eventId = await createEvent(api)
    const before = await count(api)
    const r = await post(api, eventId, csv(...good), '?dryRun=1')
    expect(r.status).toBe(200)
    expect(r.body).toMatchObject({ dryRun: true, valid: true, rows: 2, created: [] })
    expect(r.body.preview[1]).toMatchObject({ row: 3, organisation: { kind: 'company', siren: '412345678', themes: ['insertion-jeunes', 'emploi-jeunes'] }, registration: { arriveRound: 2 } })
    const bad = await post(api, eventId, csv(good[0]!, 'entreprise,X,12,,,Y,,,'), '?dryRun=1')
    expect(bad.status).toBe(200)
    expect(bad.body.valid).toBe(false)
    expect(bad.body.issues[0]).toMatchObject({ row: 3, column: 'siren/rna' })
    expect(await count(api)).toEqual(before)
  })

  test.for([
    ['wrong type value', 'ong,Entraide,,,,Odile,,,', 'type'],
    ['unknown vocabulary code', 'association,Entraide,,,,Odile,,,astrologie', 'thèmes'],
    ['unknown sector', 'association,Entraide,,spatial,,Odile,,,', 'secteur'],
    ['bad email', 'association,Entraide,,,odile@,Odile,,,', 'email'],
    ['bad SIREN', 'entreprise,Brasserie,41234567,,,Thomas,,,', 'siren/rna'],
    ['bad RNA', 'association,Entraide,W12,,,Odile,,,', 'siren/rna'],
    ['round after the last', 'association,Entraide,,,,Odile,5,,', 'arrivée'],
    ['leaves before arriving', 'association,Entraide,,,,Odile,3,2,', 'départ'],
    ['round not a number', 'association,Entraide,,,,Odile,deux,,', 'arrivée'],
    ['missing participant name', 'association,Entraide,,,,,,,', 'participant'],
  ] as const)('%s: the whole file is rejected with the row and column, nothing written', async ([, line, column], { api }) => {
    const eventId = await createEvent(api)
    const before = await count(api)
    const r = await post(api, eventId, csv(good[0]!, good[1]!, line))
    expect(r.status).toBe(422)
    expect(r.body.error.code).toBe('csv_invalid')
    expect(r.body.error.issues).toEqual([expect.objectContaining({ row: 4, column })])
    expect(await count(api)).toEqual(before)
  })

  test('a missing required column is reported on row 1', async ({ api }) => {
    const eventId = await createEvent(api)
    const r = await post(api, eventId, 'type,nom\nassociation,Entraide\n')
    expect(r.status).toBe(422)
    expect(r.body.error.issues).toEqual([expect.objectContaining({ row: 1, column: 'participant' })])
  })

  test('a duplicate participant in the file names both rows', async ({ api }) => {
    const eventId = await createEvent(api)
    const r = await post(api, eventId, csv(good[0]!, good[1]!, 'association,ENTRAIDE NEUDORF,,,,Autre,,,'))
    expect(r.status).toBe(422)
    expect(r.body.error.issues[0]).toMatchObject({ row: 4, column: 'nom' })
    expect(r.body.error.issues[0].message).toContain('2')
  })

  test('an organisation already registered in the event is updated, not refused', async ({ api }) => {
    const eventId = await createEvent(api)
    await addParticipant(api, eventId, 'company', 'Brasserie du Kochersberg', {}, { siren: '412345678' })
    const before = await count(api)
    const r = await post(api, eventId, csv(...good))
    expect(r.status, r.text).toBe(201)
    expect(r.body.counts).toEqual({ created: 1, updated: 1, unchanged: 0 })
    expect(r.body.created.map((c: { organisation: string }) => c.organisation)).toEqual(['Entraide Neudorf'])
    expect(await count(api)).toEqual({ registrations: before.registrations + 1, organisations: before.organisations + 1 })
  })

  test('row numbers follow the spreadsheet: empty rows and quoted line breaks count as the sheet shows', async ({ api }) => {
    const eventId = await createEvent(api)
    const text = [header, good[0], '', '"association","Cœur de Quartier","","","","Anne","","","precarite"', 'association,Mauvais,,,,Denis,,,inconnu'].join('\n')
    const r = await post(api, eventId, text)
    expect(r.status).toBe(422)
    expect(r.body.error.issues).toEqual([expect.objectContaining({ row: 5, column: 'thèmes' })])
  })

  test('every bad row is reported, not only the first', async ({ api }) => {
    const eventId = await createEvent(api)
    const r = await post(api, eventId, csv('ong,A,,,,P,,,', good[0]!, 'association,B,,,x@,Q,,,'))
    expect(r.body.error.issues.map((i: { row: number }) => i.row)).toEqual([2, 4])
  })

  test('an empty file or a header without rows is refused', async ({ api }) => {
    const eventId = await createEvent(api)
    expect((await post(api, eventId, '')).status).toBe(422)
    const r = await post(api, eventId, `${header}\n`)
    expect(r.status).toBe(422)
    expect(r.body.error.code).toBe('csv_invalid')
  })

  test('access: lab 403, another organiser 404', async ({ api }) => {
    const eventId = await createEvent(api)
    const lab = await api.call('POST', `/api/events/${eventId}/participants/import`, { token: api.lab, body: csv(...good) })
    expect(lab.status).toBe(403)
    const other = await api.call('POST', `/api/events/${eventId}/participants/import`, { token: api.org2, body: csv(...good) })
    expect(other.status).toBe(404)
  })
})
