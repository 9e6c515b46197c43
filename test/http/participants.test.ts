import { describe, expect } from 'vitest'
import { apiTest } from '../helpers/api.ts'
import { addParticipant, createEvent } from '../helpers/builders.ts'
import { dialects } from '../helpers/db.ts'

const company = {
  kind: 'company',
  name: 'Numérique Rhénan SAS',
  siren: '412345678',
  sector: 'numerique',
  size: 'petite',
  town: 'Strasbourg',
  postcode: '67000',
  latitude: 48.57,
  longitude: 7.75,
  themes: ['numerique-rural'],
  offers: ['competences-numerique'],
  needs: ['visibilite'],
  contactName: 'Claire Muller',
  contactEmail: 'claire@numerique-rhenan.example.com',
}

describe.each(dialects)('participants on %s', (dialect) => {
  const test = apiTest(dialect)

  test('add one: the organisation is created and a personal link returned once', async ({ api }) => {
    const eventId = await createEvent(api)
    const r = await api.call('POST', `/api/events/${eventId}/participants`, {
      token: api.org,
      json: { organisation: company, personName: 'Claire Muller', personEmail: 'claire@numerique-rhenan.example.com', arriveRound: 2 },
    })
    expect(r.status).toBe(201)
    expect(r.body.participant).toMatchObject({ personName: 'Claire Muller', arriveRound: 2, attendance: 'registered' })
    expect(r.body.participant.organisation).toMatchObject({ name: company.name, siren: company.siren, offers: ['competences-numerique'] })
    expect(r.body.token).toMatch(/^p_/)
    expect(r.body.link).toBe(`/p/${r.body.token}`)
    const list = await api.call('GET', `/api/events/${eventId}/participants`, { token: api.org })
    expect(list.body.participants).toHaveLength(1)
    expect(JSON.stringify(list.body)).not.toContain(r.body.token)
  })

  test('the organisation is reused across events, matched by SIREN then by kind and name', async ({ api }) => {
    const first = await createEvent(api)
    const second = await createEvent(api)
    const a = await addParticipant(api, first, 'company', company.name, {}, { siren: company.siren })
    const b = await addParticipant(api, second, 'company', 'Numérique Rhénan (nouveau nom)', {}, { siren: company.siren })
    expect(b.organisationId).toBe(a.organisationId)
    const c = await addParticipant(api, first, 'association', 'Entraide Neudorf')
    const d = await addParticipant(api, second, 'association', 'ENTRAIDE NEUDORF')
    expect(d.organisationId).toBe(c.organisationId)
    const e = await addParticipant(api, second, 'company', 'Entraide Neudorf')
    expect(e.organisationId).not.toBe(c.organisationId)
    const orgs = await api.call('GET', '/api/organisations', { token: api.org })
    expect(orgs.body.organisations).toHaveLength(3)
    expect((await api.call('GET', '/api/organisations', { token: api.org2 })).body.organisations).toHaveLength(0)
  })

  test('a SIREN already known for an organisation of the other kind is refused, nothing changed', async ({ api }) => {
    const eventId = await createEvent(api)
    const c = await addParticipant(api, eventId, 'company', 'Imprimerie Graff', {}, { siren: '412345678' })
    const r = await api.call('POST', `/api/events/${eventId}/participants`, {
      token: api.org,
      json: { organisation: { kind: 'association', name: 'Les Amis de Graff', siren: '412345678' }, personName: 'X' },
    })
    expect(r.status).toBe(422)
    expect(r.body.error.issues[0].path).toBe('organisation.kind')
    const org = await api.call('GET', `/api/organisations/${c.organisationId}`, { token: api.org })
    expect(org.body.organisation.name).toBe('Imprimerie Graff')
  })

  test('add one by organisationId; unknown id answers 404', async ({ api }) => {
    const first = await createEvent(api)
    const second = await createEvent(api)
    const a = await addParticipant(api, first, 'association', 'Entraide Neudorf')
    const r = await api.call('POST', `/api/events/${second}/participants`, { token: api.org, json: { organisationId: a.organisationId, personName: 'Odile Graff' } })
    expect(r.status).toBe(201)
    expect(r.body.participant.organisation.id).toBe(a.organisationId)
    const missing = await api.call('POST', `/api/events/${second}/participants`, { token: api.org, json: { organisationId: 'nope', personName: 'X' } })
    expect(missing.status).toBe(404)
  })

  test('the same organisation twice in an event answers 409', async ({ api }) => {
    const eventId = await createEvent(api)
    await addParticipant(api, eventId, 'association', 'Entraide Neudorf')
    const r = await api.call('POST', `/api/events/${eventId}/participants`, {
      token: api.org,
      json: { organisation: { kind: 'association', name: 'Entraide Neudorf' }, personName: 'Autre personne' },
    })
    expect(r.status).toBe(409)
    expect(r.body.error.code).toBe('already_registered')
  })

  test.for([
    [{ arriveRound: 9 }, 'arriveRound'],
    [{ arriveRound: 3, leaveRound: 2 }, 'leaveRound'],
    [{ minMeetings: 3, maxMeetings: 1 }, 'maxMeetings'],
    [{ personEmail: 'not-an-email' }, 'personEmail'],
    [{ organisation: { ...company, siren: '1234' } }, 'organisation.siren'],
    [{ organisation: { ...company, themes: ['astrologie'] } }, 'organisation.themes.0'],
    [{ organisation: { ...company, kind: 'ngo' } }, 'organisation.kind'],
  ] as const)('bad registration %j answers 422 naming %s', async ([extra, path], { api }) => {
    const eventId = await createEvent(api)
    const r = await api.call('POST', `/api/events/${eventId}/participants`, {
      token: api.org,
      json: { organisation: company, personName: 'Claire Muller', ...extra },
    })
    expect(r.status).toBe(422)
    expect(r.body.error.issues.map((i: { path: string }) => i.path)).toContain(path)
  })

  test('update, check-in and remove', async ({ api }) => {
    const eventId = await createEvent(api)
    const p = await addParticipant(api, eventId, 'association', 'Entraide Neudorf')
    const patched = await api.call('PATCH', `/api/events/${eventId}/participants/${p.id}`, { token: api.org, json: { leaveRound: 3 } })
    expect(patched.body.participant.leaveRound).toBe(3)
    const bad = await api.call('PATCH', `/api/events/${eventId}/participants/${p.id}`, { token: api.org, json: { arriveRound: 4 } })
    expect(bad.status).toBe(422)
    const present = await api.call('POST', `/api/events/${eventId}/participants/${p.id}/attendance`, { token: api.org, json: { attendance: 'present' } })
    expect(present.body.participant.attendance).toBe('present')
    const wrong = await api.call('POST', `/api/events/${eventId}/participants/${p.id}/attendance`, { token: api.org, json: { attendance: 'late' } })
    expect(wrong.status).toBe(422)
    expect((await api.call('DELETE', `/api/events/${eventId}/participants/${p.id}`, { token: api.org })).status).toBe(204)
    expect((await api.call('GET', `/api/events/${eventId}/participants/${p.id}`, { token: api.org })).status).toBe(404)
    expect((await api.call('DELETE', `/api/events/${eventId}/participants/${p.id}`, { token: api.org })).status).toBe(404)
  })

  test('a participant added while the event is live is a walk-in; none once closed', async ({ api }) => {
    const eventId = await createEvent(api)
    await addParticipant(api, eventId, 'association', 'Entraide Neudorf')
    await addParticipant(api, eventId, 'company', 'Brasserie du Kochersberg')
    await api.call('POST', `/api/events/${eventId}/schedule?publish=1`, { token: api.org })
    await api.call('POST', `/api/events/${eventId}/status`, { token: api.org, json: { status: 'live' } })
    const late = await addParticipant(api, eventId, 'company', 'Transports Ill-Bruche')
    const row = await api.call('GET', `/api/events/${eventId}/participants/${late.id}`, { token: api.org })
    expect(row.body.participant.attendance).toBe('walk-in')
    expect((await api.call('DELETE', `/api/events/${eventId}/participants/${late.id}`, { token: api.org })).status).toBe(409)
    await api.call('POST', `/api/events/${eventId}/status`, { token: api.org, json: { status: 'closed' } })
    const r = await api.call('POST', `/api/events/${eventId}/participants`, {
      token: api.org,
      json: { organisation: { kind: 'company', name: 'Trop tard SARL' }, personName: 'X' },
    })
    expect(r.status).toBe(409)
    expect(r.body.error.code).toBe('event_closed')
  })

  test('re-issuing the personal link invalidates the old one', async ({ api }) => {
    const eventId = await createEvent(api)
    const p = await addParticipant(api, eventId, 'association', 'Entraide Neudorf')
    expect((await api.call('GET', '/api/me', { token: p.token })).status).toBe(200)
    const r = await api.call('POST', `/api/events/${eventId}/participants/${p.id}/link`, { token: api.org })
    expect(r.status).toBe(200)
    expect(r.body.link).toBe(`/p/${r.body.token}`)
    expect((await api.call('GET', '/api/me', { token: p.token })).status).toBe(401)
    expect((await api.call('GET', '/api/me', { token: r.body.token })).status).toBe(200)
  })

  test('only hashes of personal secrets are stored', async ({ api }) => {
    const eventId = await createEvent(api)
    const p = await addParticipant(api, eventId, 'association', 'Entraide Neudorf')
    const rows = await api.db.selectFrom('registrations').select('secret_hash').execute()
    expect(rows[0]!.secret_hash).toMatch(/^[0-9a-f]{64}$/)
    expect(rows[0]!.secret_hash).not.toContain(p.token)
  })

  test('organisations: read and update one seen in own events only', async ({ api }) => {
    const eventId = await createEvent(api)
    const p = await addParticipant(api, eventId, 'association', 'Entraide Neudorf')
    const r = await api.call('PATCH', `/api/organisations/${p.organisationId}`, { token: api.org, json: { town: 'Strasbourg', needs: ['locaux'] } })
    expect(r.status).toBe(200)
    expect(r.body.organisation).toMatchObject({ town: 'Strasbourg', needs: ['locaux'] })
    expect((await api.call('GET', `/api/organisations/${p.organisationId}`, { token: api.org })).status).toBe(200)
    expect((await api.call('GET', `/api/organisations/${p.organisationId}`, { token: api.org2 })).status).toBe(404)
    expect((await api.call('PATCH', `/api/organisations/${p.organisationId}`, { token: api.org2, json: { town: 'x' } })).status).toBe(404)
    expect((await api.call('PATCH', `/api/organisations/${p.organisationId}`, { token: api.org, json: { needs: ['argent'] } })).status).toBe(422)
  })

  test('exclusions: add between registered organisations, list, remove', async ({ api }) => {
    const eventId = await createEvent(api)
    const a = await addParticipant(api, eventId, 'association', 'Entraide Neudorf')
    const c = await addParticipant(api, eventId, 'company', 'Brasserie du Kochersberg')
    const r = await api.call('POST', `/api/events/${eventId}/exclusions`, {
      token: api.org,
      json: { associationId: a.organisationId, companyId: c.organisationId, reason: 'existing-partnership', note: 'mécénat depuis 2022' },
    })
    expect(r.status).toBe(201)
    const swapped = await api.call('POST', `/api/events/${eventId}/exclusions`, {
      token: api.org,
      json: { associationId: c.organisationId, companyId: a.organisationId, reason: 'conflict' },
    })
    expect(swapped.status).toBe(422)
    expect(swapped.body.error.issues.map((i: { path: string }) => i.path)).toEqual(['associationId', 'companyId'])
    const global = await api.call('POST', `/api/events/${eventId}/exclusions`, {
      token: api.org,
      json: { associationId: a.organisationId, companyId: c.organisationId, reason: 'conflict', allEvents: true },
    })
    expect(global.body.exclusion.eventId).toBeNull()
    const other = await createEvent(api)
    await addParticipant(api, other, 'association', 'Entraide Neudorf')
    await addParticipant(api, other, 'company', 'Brasserie du Kochersberg')
    const otherList = await api.call('GET', `/api/events/${other}/exclusions`, { token: api.org })
    expect(otherList.body.exclusions.map((e: { reason: string }) => e.reason)).toEqual(['conflict'])
    const list = await api.call('GET', `/api/events/${eventId}/exclusions`, { token: api.org })
    expect(list.body.exclusions).toHaveLength(2)
    expect((await api.call('DELETE', `/api/events/${eventId}/exclusions/${r.body.exclusion.id}`, { token: api.org })).status).toBe(204)
    expect((await api.call('DELETE', `/api/events/${eventId}/exclusions/${r.body.exclusion.id}`, { token: api.org })).status).toBe(404)
  })
})
