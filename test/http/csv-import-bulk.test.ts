/**
 * The CSV import at scale (issue 8) and re-imports that update (issue 14).
 * No timing here: speed is measured by `npm run bench` (bench/import.ts).
 */
import { sql } from 'kysely'
import { describe, expect } from 'vitest'
import { participantsCsv } from '../../bench/import.ts'
import type { Api } from '../helpers/api.ts'
import { apiTest } from '../helpers/api.ts'
import { addParticipant, createEvent } from '../helpers/builders.ts'
import { dialects } from '../helpers/db.ts'

const eventBody = { title: 'Grande soirée', date: '2026-12-03', rounds: 10, tables: 10, seatedSide: 'company' }

async function post(api: Api, eventId: string, body: string, query = '') {
  return api.call('POST', `/api/events/${eventId}/participants/import${query}`, { token: api.org, body, headers: { 'content-type': 'text/csv' } })
}

async function count(api: Api) {
  const regs = await api.db.selectFrom('registrations').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()
  const orgs = await api.db.selectFrom('organisations').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()
  return { registrations: Number(regs.n), organisations: Number(orgs.n) }
}

const macrotask = () => new Promise((resolve) => setTimeout(resolve, 0))

describe.each(dialects)('CSV import in bulk on %s', (dialect) => {
  const test = apiTest(dialect)

  test('3,000 rows import; with a bad last row nothing at all is written', async ({ api }) => {
    const eventId = await createEvent(api, api.org, eventBody)
    const file = participantsCsv(3000)
    const before = await count(api)
    const bad = await post(api, eventId, `${file}association,Dernière,,astrologie,Léa\r\n`)
    expect(bad.status).toBe(422)
    expect(bad.body.error.issues).toEqual([expect.objectContaining({ row: 3002, column: 'thèmes' })])
    expect(await count(api)).toEqual(before)

    const good = await post(api, eventId, file)
    expect(good.status, good.text).toBe(201)
    expect(good.body.counts).toEqual({ created: 3000, updated: 0, unchanged: 0 })
    expect(good.body.created).toHaveLength(3000)
    expect(new Set(good.body.created.map((c: { token: string }) => c.token)).size).toBe(3000)
    expect(await count(api)).toEqual({ registrations: before.registrations + 3000, organisations: before.organisations + 3000 })
  })

  test('a failure while writing rolls back every row already written', async ({ api }) => {
    const eventId = await createEvent(api, api.org, eventBody)
    const before = await count(api)
    // the database refuses the last registration, after the organisations and the first chunks are written
    if (dialect === 'sqlite') {
      await sql`create trigger boom before insert on registrations when new.person_name = 'Boom' begin select raise(abort, 'boom'); end`.execute(api.db)
    } else {
      await sql`create function boom() returns trigger language plpgsql as $$ begin if new.person_name = 'Boom' then raise exception 'boom'; end if; return new; end $$`.execute(api.db)
      await sql`create trigger boom before insert on registrations for each row execute function boom()`.execute(api.db)
    }
    try {
      const r = await post(api, eventId, `${participantsCsv(2500)}association,Dernière,,,Boom\r\n`)
      expect(r.status).toBe(500)
      expect(await count(api)).toEqual(before)
    } finally {
      await sql`drop trigger boom${sql.raw(dialect === 'postgres' ? ' on registrations' : '')}`.execute(api.db)
      if (dialect === 'postgres') await sql`drop function boom()`.execute(api.db)
    }
  })

  test("matches the network's organisations by SIREN, RNA and name (case, accents, spaces), never another network's", async ({ api }) => {
    const other = await createEvent(api, api.org, eventBody)
    const known = {
      bySiren: await addParticipant(api, other, 'company', 'Imprimerie Graff', {}, { siren: '412345678' }),
      byRna: await addParticipant(api, other, 'association', 'Entraide Neudorf', {}, { rna: 'W672000001' }),
      byName: await addParticipant(api, other, 'association', 'Épicerie Solidaire de Sélestat'),
    }
    // the same organisations in network 2
    const elsewhere = await createEvent(api, api.org2, eventBody)
    for (const [kind, name, id] of [
      ['company', 'Imprimerie Graff', { siren: '412345678' }],
      ['association', 'Entraide Neudorf', { rna: 'W672000001' }],
      ['association', 'Épicerie Solidaire de Sélestat', {}],
      ['association', 'Nouvelle Asso', {}],
    ] as const) {
      const r = await api.call('POST', `/api/events/${elsewhere}/participants`, {
        token: api.org2, json: { organisation: { kind, name, ...id }, personName: 'Ailleurs' },
      })
      expect(r.status).toBe(201)
    }
    const theirs = await api.db.selectFrom('organisations').selectAll().where('network_id', '=', api.network2).orderBy('id').execute()

    const eventId = await createEvent(api, api.org, eventBody)
    const rows = [
      'type,nom,siren/rna,ville,participant',
      'entreprise,Graff Impressions,412 345 678,Saverne,Anne Graff', // same SIREN, another name
      'association,Entraide du Neudorf,W672000001,Strasbourg,Odile Graff', // same RNA
      'association,  EPICERIE solidaire de selestat ,,Sélestat,Agnès Kuntz', // same name key
      'association,Épicerie Solidaire de Sélestat,W670000009,,Paul Ott', // … but another RNA than nobody had: the same one
      'association,Nouvelle Asso,,,Léa Ott', // only network 2 has it
      'entreprise,Entraide Neudorf,,,Marc Ott', // same name, other kind: another organisation
    ]
    const r = await post(api, eventId, `${rows.slice(0, 4).join('\n')}\n${rows.slice(5).join('\n')}\n`)
    expect(r.status, r.text).toBe(201)
    const byPerson = new Map<string, { organisation: string; organisationId: string }>(r.body.created.map((c: { personName: string }) => [c.personName, c]))
    expect(byPerson.get('Anne Graff')).toEqual({ ...byPerson.get('Anne Graff'), organisationId: known.bySiren.organisationId, organisation: 'Graff Impressions' })
    expect(byPerson.get('Odile Graff')).toEqual({ ...byPerson.get('Odile Graff'), organisationId: known.byRna.organisationId, organisation: 'Entraide du Neudorf' })
    // the same name in another spelling keeps the spelling on record
    expect(byPerson.get('Agnès Kuntz')).toEqual({ ...byPerson.get('Agnès Kuntz'), organisationId: known.byName.organisationId, organisation: 'Épicerie Solidaire de Sélestat' })
    const created = [byPerson.get('Léa Ott')?.organisationId, byPerson.get('Marc Ott')?.organisationId]
    expect(created.every((id) => typeof id === 'string')).toBe(true)
    for (const id of created) {
      expect(Object.values(known).map((k) => k.organisationId)).not.toContain(id)
      expect(theirs.map((o) => o.id)).not.toContain(id)
    }
    // the matched profiles are refreshed from the file; network 2's organisations are untouched
    const graff = await api.call('GET', `/api/organisations/${known.bySiren.organisationId}`, { token: api.org })
    expect(graff.body.organisation).toMatchObject({ name: 'Graff Impressions', siren: '412345678', town: 'Saverne' })
    expect(await api.db.selectFrom('organisations').selectAll().where('network_id', '=', api.network2).orderBy('id').execute()).toEqual(theirs)
  })

  test('a row naming an organisation with another RNA than the known one is another organisation', async ({ api }) => {
    const other = await createEvent(api, api.org, eventBody)
    const known = await addParticipant(api, other, 'association', 'Entraide Neudorf', {}, { rna: 'W672000001' })
    const eventId = await createEvent(api, api.org, eventBody)
    const r = await post(api, eventId, 'type,nom,rna,participant\nassociation,ENTRAIDE NEUDORF,W672000002,Odile\n')
    expect(r.status, r.text).toBe(201)
    expect(r.body.created[0].organisationId).not.toBe(known.organisationId)
  })

  test('two rows of the file naming the same known organisation are refused', async ({ api }) => {
    const other = await createEvent(api, api.org, eventBody)
    await addParticipant(api, other, 'company', 'Imprimerie Graff', {}, { siren: '412345678' })
    const eventId = await createEvent(api, api.org, eventBody)
    const before = await count(api)
    const r = await post(api, eventId, 'type,nom,siren,participant\nentreprise,Graff Impressions,412345678,Anne\nentreprise,imprimerie graff,,Paul\n')
    expect(r.status).toBe(422)
    expect(r.body.error.issues).toEqual([expect.objectContaining({ row: 3, column: 'nom' })])
    expect(r.body.error.issues[0].message).toContain('ligne 2')
    expect(await count(api)).toEqual(before)
  })

  test('/api/health is answered while an import is in flight', async ({ api }) => {
    const eventId = await createEvent(api, api.org, eventBody)
    const order: string[] = []
    let inFlight = true
    const importing = post(api, eventId, participantsCsv(5000)).then((r) => {
      inFlight = false
      order.push('import')
      return r
    })
    // a macrotask runs only when the import gives the event loop back (better-sqlite3 answers synchronously)
    let answered = 0
    while (inFlight && answered < 3) {
      await macrotask()
      const health = await api.call('GET', '/api/health')
      expect(health.status).toBe(200)
      if (inFlight) answered++
    }
    order.push('health')
    const r = await importing
    expect(r.status, r.text).toBe(201)
    expect(answered).toBe(3)
    expect(order).toEqual(['health', 'import'])
  })
})

describe.each(dialects)('CSV re-import on %s', (dialect) => {
  const test = apiTest(dialect)

  const header = 'type,nom,siren/rna,thèmes,participant,email participant,arrivée'
  const first = [
    'association,Entraide Neudorf,W672000001,precarite,Odile Graff,odile@entraide.example.org,',
    'entreprise,Brasserie du Kochersberg,412345678,insertion-jeunes,Thomas Weber,,2',
    'association,Repair Café Krutenau,,environnement,Léa Ott,,',
  ]
  const csv = (...lines: string[]) => `${[header, ...lines].join('\r\n')}\r\n`

  async function imported(api: Api) {
    const eventId = await createEvent(api, api.org, eventBody)
    const r = await post(api, eventId, csv(...first))
    expect(r.status, r.text).toBe(201)
    return { eventId, created: r.body.created as { registrationId: string; token: string; organisation: string }[] }
  }

  test('the same file again changes nothing and gives no new links', async ({ api }) => {
    const { eventId } = await imported(api)
    const before = await api.db.selectFrom('registrations').selectAll().orderBy('id').execute()
    const r = await post(api, eventId, csv(...first))
    expect(r.status, r.text).toBe(201)
    expect(r.body).toMatchObject({ counts: { created: 0, updated: 0, unchanged: 3 }, created: [], updated: [] })
    expect(await api.db.selectFrom('registrations').selectAll().orderBy('id').execute()).toEqual(before)
  })

  test('the dry run says, row by row, what will be created, updated (old → new) or left unchanged, and writes nothing', async ({ api }) => {
    const { eventId, created } = await imported(api)
    const before = await api.db.selectFrom('registrations').selectAll().orderBy('id').execute()
    const updated = csv(
      'association,ENTRAIDE NEUDORF,W672000001,precarite,Marie Graff,marie@entraide.example.org,', // another person
      'entreprise,Brasserie du Kochersberg,412345678,insertion-jeunes|handicap,Thomas Weber,,3', // themes and arrival
      'association,Repair Café Krutenau,,environnement,Léa Ott,,', // as it was
      'association,Cœur de Quartier,,,Anne Kuntz,,', // new
    )
    const r = await post(api, eventId, updated, '?dryRun=1')
    expect(r.status, r.text).toBe(200)
    expect(r.body).toMatchObject({ valid: true, counts: { created: 1, updated: 2, unchanged: 1 }, created: [], updated: [] })
    const [person, profile, same, fresh] = r.body.preview
    expect(person).toMatchObject({ row: 2, action: 'update', registrationId: created[0]!.registrationId })
    // the name in another spelling keeps the one on record
    expect(person.changes).toEqual([
      { field: 'personName', from: 'Odile Graff', to: 'Marie Graff' },
      { field: 'personEmail', from: 'odile@entraide.example.org', to: 'marie@entraide.example.org' },
    ])
    expect(profile).toMatchObject({ row: 3, action: 'update' })
    expect(profile.changes).toEqual([
      { field: 'organisation.themes', from: ['insertion-jeunes'], to: ['insertion-jeunes', 'handicap'] },
      { field: 'arriveRound', from: 2, to: 3 },
    ])
    expect(same).toMatchObject({ row: 4, action: 'unchanged', changes: [] })
    expect(fresh).toMatchObject({ row: 5, action: 'create', organisationId: null, registrationId: null })
    expect(await api.db.selectFrom('registrations').selectAll().orderBy('id').execute()).toEqual(before)
  })

  test('the import updates known registrations in place and links only the new ones', async ({ api }) => {
    const { eventId, created } = await imported(api)
    const r = await post(api, eventId, csv(
      'association,Entraide Neudorf,W672000001,precarite,Marie Graff,,',
      ...first.slice(1),
      'association,Cœur de Quartier,,,Anne Kuntz,,',
    ))
    expect(r.status, r.text).toBe(201)
    expect(r.body.counts).toEqual({ created: 1, updated: 1, unchanged: 2 })
    expect(r.body.created).toEqual([expect.objectContaining({ organisation: 'Cœur de Quartier', link: expect.stringMatching(/^\/p\/p_/) })])
    expect(r.body.updated).toEqual([
      expect.objectContaining({
        registrationId: created[0]!.registrationId, personName: 'Marie Graff',
        changes: [{ field: 'personName', from: 'Odile Graff', to: 'Marie Graff' }, { field: 'personEmail', from: 'odile@entraide.example.org', to: null }],
      }),
    ])
    const list = await api.call('GET', `/api/events/${eventId}/participants`, { token: api.org })
    expect(list.body.participants).toHaveLength(4)
    const entraide = list.body.participants.find((p: { id: string }) => p.id === created[0]!.registrationId)
    expect(entraide).toMatchObject({ personName: 'Marie Graff', personEmail: null, attendance: 'registered' })
    // the personal link of an updated registration still works
    const me = await api.call('GET', '/api/me/profile', { token: created[0]!.token })
    expect(me.status).toBe(200)
    expect(me.body.profile.personName).toBe('Marie Graff')
  })

  test('an update with a bad row anywhere changes nothing', async ({ api }) => {
    const { eventId } = await imported(api)
    const before = { registrations: await api.db.selectFrom('registrations').selectAll().orderBy('id').execute(), counts: await count(api) }
    const r = await post(api, eventId, csv(
      'association,Entraide Neudorf,W672000001,precarite,Marie Graff,,',
      'association,Cœur de Quartier,,,Anne Kuntz,,',
      'association,Repair Café Krutenau,,environnement,Léa Ott,,99',
    ))
    expect(r.status).toBe(422)
    expect(r.body.error.issues).toEqual([expect.objectContaining({ row: 4, column: 'arrivée' })])
    expect(await api.db.selectFrom('registrations').selectAll().orderBy('id').execute()).toEqual(before.registrations)
    expect(await count(api)).toEqual(before.counts)
  })

  test('a row without SIREN or RNA keeps the identifier the organisation has', async ({ api }) => {
    const { eventId, created } = await imported(api)
    const r = await post(api, eventId, csv('entreprise,Brasserie du Kochersberg,,insertion-jeunes,Thomas Weber,,2'))
    expect(r.status, r.text).toBe(201)
    expect(r.body.counts).toEqual({ created: 0, updated: 0, unchanged: 1 })
    const list = await api.call('GET', `/api/events/${eventId}/participants`, { token: api.org })
    const brasserie = list.body.participants.find((p: { id: string }) => p.id === created[1]!.registrationId)
    expect(brasserie.organisation.siren).toBe('412345678')
  })
})
