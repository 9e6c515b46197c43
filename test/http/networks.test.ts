/**
 * Networks as tenants: the cross-organiser cases that leaked before, the
 * accounts of a network (invite, list, revoke), the door and room-screen
 * roles, lab grants, and organisation matching by normalised name.
 */
import { describe, expect } from 'vitest'
import { apiTest, type Api } from '../helpers/api.ts'
import { dialects } from '../helpers/db.ts'

const company = { kind: 'company', name: 'Imprimerie Graff', siren: '412345678', contactEmail: 'anne@graff.example.com', contactName: 'Anne Graff' }

async function event(api: Api, token: string, title = 'Soirée') {
  const r = await api.call('POST', '/api/events', { token, json: { title, date: '2026-12-03', rounds: 3, seatedSide: 'company' } })
  expect(r.status).toBe(201)
  return r.body.event.id as string
}

describe.each(dialects)('networks on %s', (dialect) => {
  const test = apiTest(dialect)

  test('organiser A, knowing B’s organisation by name and SIREN, gets an organisation of its own: no contact e-mail, no rename, no shared profile', async ({ api }) => {
    const eventB = await event(api, api.org2, 'Soirée B')
    const addedB = await api.call('POST', `/api/events/${eventB}/participants`, { token: api.org2, json: { organisation: company, personName: 'Anne Graff' } })
    expect(addedB.status).toBe(201)
    const orgB = addedB.body.participant.organisation.id as string

    const eventA = await event(api, api.org, 'Soirée A')
    const addedA = await api.call('POST', `/api/events/${eventA}/participants`, {
      token: api.org,
      json: { organisation: { kind: 'company', name: 'IMPRIMERIE GRAFF', siren: '412345678', town: 'Molsheim' }, personName: 'Paul' },
    })
    expect(addedA.status).toBe(201)
    const orgA = addedA.body.participant.organisation
    expect(orgA.id).not.toBe(orgB)
    expect(orgA.contactEmail).toBeNull()
    expect(addedA.text).not.toContain('anne@graff')

    // A cannot read, rename or search B's organisation
    expect((await api.call('GET', `/api/organisations/${orgB}`, { token: api.org })).status).toBe(404)
    expect((await api.call('PATCH', `/api/organisations/${orgB}`, { token: api.org, json: { name: 'Renommée' } })).status).toBe(404)
    const search = await api.call('GET', '/api/organisations?q=graff', { token: api.org })
    expect(search.body.organisations.map((o: { id: string }) => o.id)).toEqual([orgA.id])
    // A's participant edits A's copy of the profile, never B's
    const me = await api.call('PATCH', '/api/me/profile', { token: addedA.body.token, json: { description: 'Imprimeur à Molsheim' } })
    expect(me.status).toBe(200)
    const stillB = await api.call('GET', `/api/organisations/${orgB}`, { token: api.org2 })
    expect(stillB.body.organisation).toMatchObject({ name: 'Imprimerie Graff', description: null, contactEmail: 'anne@graff.example.com', town: null })
  })

  test('an "every event" exclusion cannot name another network’s organisations, and its network can delete it', async ({ api }) => {
    const eventB = await event(api, api.org2, 'Soirée B')
    const asso = await api.call('POST', `/api/events/${eventB}/participants`, { token: api.org2, json: { organisation: { kind: 'association', name: 'Entraide Neudorf' }, personName: 'Odile' } })
    const comp = await api.call('POST', `/api/events/${eventB}/participants`, { token: api.org2, json: { organisation: company, personName: 'Anne' } })
    const eventA = await event(api, api.org, 'Soirée A')
    const planted = await api.call('POST', `/api/events/${eventA}/exclusions`, {
      token: api.org,
      json: { associationId: asso.body.participant.organisation.id, companyId: comp.body.participant.organisation.id, reason: 'conflict', allEvents: true },
    })
    expect(planted.status).toBe(422)
    expect(planted.body.error.issues.map((i: { path: string }) => i.path)).toEqual(['associationId', 'companyId'])
    expect((await api.call('GET', `/api/events/${eventB}/exclusions`, { token: api.org2 })).body.exclusions).toEqual([])

    // B's own every-event exclusion: B sees it in its next event and deletes it from there
    const own = await api.call('POST', `/api/events/${eventB}/exclusions`, {
      token: api.org2,
      json: { associationId: asso.body.participant.organisation.id, companyId: comp.body.participant.organisation.id, reason: 'existing-partnership', allEvents: true },
    })
    expect(own.status).toBe(201)
    const next = await event(api, api.org2, 'Soirée B, édition 2')
    for (const oid of [asso.body.participant.organisation.id, comp.body.participant.organisation.id]) {
      expect((await api.call('POST', `/api/events/${next}/participants`, { token: api.org2, json: { organisationId: oid, personName: 'X' } })).status).toBe(201)
    }
    const listed = await api.call('GET', `/api/events/${next}/exclusions`, { token: api.org2 })
    expect(listed.body.exclusions.map((x: { id: string }) => x.id)).toEqual([own.body.exclusion.id])
    expect((await api.call('DELETE', `/api/events/${next}/exclusions/${own.body.exclusion.id}`, { token: api.org })).status).toBe(404)
    expect((await api.call('DELETE', `/api/events/${next}/exclusions/${own.body.exclusion.id}`, { token: api.org2 })).status).toBe(204)
  })

  test('"Épicerie Solidaire" registered twice, with other case, accents and spaces, is one organisation', async ({ api }) => {
    const first = await event(api, api.org, 'Première')
    const second = await event(api, api.org, 'Seconde')
    const a = await api.call('POST', `/api/events/${first}/participants`, { token: api.org, json: { organisation: { kind: 'association', name: 'Épicerie Solidaire' }, personName: 'Léa' } })
    const b = await api.call('POST', `/api/events/${second}/participants`, { token: api.org, json: { organisation: { kind: 'association', name: '  epicerie   SOLIDAIRE ' }, personName: 'Léa' } })
    expect(b.body.participant.organisation.id).toBe(a.body.participant.organisation.id)
    // searching ignores case and accents, on the name and on the town
    await api.call('PATCH', `/api/organisations/${a.body.participant.organisation.id}`, { token: api.org, json: { town: 'Sélestat' } })
    for (const q of ['ÉPICERIE', 'epicerie', 'selestat']) {
      const found = await api.call('GET', `/api/organisations?q=${encodeURIComponent(q)}`, { token: api.org })
      expect(found.body.organisations.map((o: { name: string }) => o.name), q).toEqual(['Épicerie Solidaire'])
    }
  })

  test('an admin invites and revokes members; every token is listed with its label, role, creation and last use', async ({ api }) => {
    const eventA = await event(api, api.org)
    const invited = await api.call('POST', '/api/network/tokens', { token: api.admin, json: { role: 'organiser', label: 'Camille, chargée de mission' } })
    expect(invited.status).toBe(201)
    expect(invited.headers.get('cache-control')).toBe('no-store')
    expect(invited.body.token).toMatch(/^org_/)
    expect((await api.call('GET', '/api/events', { token: invited.body.token })).status).toBe(200)

    const list = await api.call('GET', '/api/network/tokens', { token: api.admin })
    const camille = list.body.tokens.find((t: { label: string }) => t.label === 'Camille, chargée de mission')
    expect(camille).toMatchObject({ role: 'organiser', eventId: null, revokedAt: null })
    expect(camille.lastUsedAt).not.toBeNull()
    expect(list.text).not.toContain(invited.body.token)
    expect(list.body.tokens.every((t: { networkId: string }) => t.networkId === api.network)).toBe(true)

    // an organiser gives the door and the room screen access to one event, and cannot make organisers
    const door = await api.call('POST', '/api/network/tokens', { token: api.org, json: { role: 'accueil', label: 'Bénévole accueil', eventId: eventA } })
    expect(door.status).toBe(201)
    expect(door.body.token).toMatch(/^acc_/)
    expect((await api.call('POST', '/api/network/tokens', { token: api.org, json: { role: 'organiser', label: 'X' } })).status).toBe(403)
    expect((await api.call('POST', '/api/network/tokens', { token: api.org, json: { role: 'salle', label: 'Écran' } })).status).toBe(422)
    expect((await api.call('GET', '/api/network/tokens', { token: api.org })).body.tokens.map((t: { label: string }) => t.label)).toEqual(['Bénévole accueil'])

    const revoked = await api.call('DELETE', `/api/network/tokens/${camille.id}`, { token: api.admin })
    expect(revoked.status).toBe(200)
    expect(revoked.body.member.revokedAt).not.toBeNull()
    expect((await api.call('GET', '/api/events', { token: invited.body.token })).status).toBe(401)
    expect((await api.call('DELETE', `/api/network/tokens/${camille.id}`, { token: api.admin })).status).toBe(409)
    // another network's admin does not see or touch them
    expect((await api.call('DELETE', `/api/network/tokens/${door.body.member.id}`, { token: api.admin2 })).status).toBe(404)
    expect((await api.call('GET', '/api/network/tokens', { token: api.admin2 })).text).not.toContain('Bénévole')
  })

  test('the last admin of a network cannot be revoked', async ({ api }) => {
    const admins = (await api.call('GET', '/api/network/tokens', { token: api.admin })).body.tokens.filter((t: { role: string }) => t.role === 'admin')
    expect(admins).toHaveLength(1)
    const r = await api.call('DELETE', `/api/network/tokens/${admins[0].id}`, { token: api.admin })
    expect(r.status).toBe(409)
    expect(r.body.error.message).toContain('dernier administrateur')
    const second = await api.call('POST', '/api/network/tokens', { token: api.admin, json: { role: 'admin', label: 'Suppléante' } })
    expect((await api.call('DELETE', `/api/network/tokens/${admins[0].id}`, { token: second.body.token })).status).toBe(200)
  })

  test('accueil checks in and adds walk-ins of its event only; salle drives the room clock of its event only', async ({ api }) => {
    const eventA = await event(api, api.org)
    const other = await event(api, api.org, 'Autre soirée')
    const p = await api.call('POST', `/api/events/${eventA}/participants`, { token: api.org, json: { organisation: company, personName: 'Anne' } })
    const rid = p.body.participant.id
    const door = (await api.call('POST', '/api/network/tokens', { token: api.org, json: { role: 'accueil', label: 'Accueil', eventId: eventA } })).body.token
    const room = (await api.call('POST', '/api/network/tokens', { token: api.org, json: { role: 'salle', label: 'Écran', eventId: eventA } })).body.token

    expect((await api.call('GET', '/api/events', { token: door })).body.events.map((e: { id: string }) => e.id)).toEqual([eventA])
    expect((await api.call('POST', `/api/events/${eventA}/participants/${rid}/attendance`, { token: door, json: { attendance: 'present' } })).status).toBe(200)
    expect((await api.call('GET', `/api/events/${eventA}/participants`, { token: door })).status).toBe(200)
    // before the evening, registering is the organisers' work; and nothing else of the event
    expect((await api.call('POST', `/api/events/${eventA}/participants`, { token: door, json: { organisation: { kind: 'association', name: 'Asso' }, personName: 'L' } })).status).toBe(403)
    expect((await api.call('PATCH', `/api/events/${eventA}`, { token: door, json: { venue: 'Ailleurs' } })).status).toBe(403)
    expect((await api.call('DELETE', `/api/events/${eventA}/participants/${rid}`, { token: door })).status).toBe(403)
    expect((await api.call('GET', `/api/events/${other}`, { token: door })).status).toBe(404)
    expect((await api.call('POST', `/api/events/${eventA}/participants/${rid}/attendance`, { token: room, json: { attendance: 'absent' } })).status).toBe(403)

    // the pages: the door volunteer lands on the check-in page, the room screen on the room screen
    const login = async (token: string) => (await api.app.request('/connexion', { method: 'POST', body: new URLSearchParams({ token }), headers: { 'content-type': 'application/x-www-form-urlencoded' }, redirect: 'manual' })).headers.get('location')
    expect(await login(door)).toBe(`/evenements/${eventA}/accueil`)
    expect(await login(room)).toBe(`/evenements/${eventA}/salle`)
    const page = (path: string, token: string) => api.app.request(path, { headers: { cookie: `org_token=${token}` }, redirect: 'manual' })
    expect((await page(`/evenements/${eventA}/accueil`, door)).status).toBe(200)
    expect((await page(`/evenements/${eventA}/rotation`, door)).status).toBe(404)
    expect((await page(`/evenements/${eventA}/accueil`, room)).status).toBe(404)
    const clock = await api.app.request(`/evenements/${eventA}/salle/etat`, {
      method: 'POST', headers: { cookie: `org_token=${room}`, 'content-type': 'application/json' }, body: JSON.stringify({ action: 'next' }),
    })
    expect(clock.status).toBe(200)
    expect(((await clock.json()) as { round: number }).round).toBe(1)
    expect((await api.app.request(`/evenements/${other}/salle/etat`, { headers: { cookie: `org_token=${room}` } })).status).toBe(404)
  })

  test('a lab reads the networks that granted it access; the admin withdraws the grant', async ({ api }) => {
    const eventA = await event(api, api.org, 'Soirée A')
    const eventB = await event(api, api.org2, 'Soirée B')
    const seen = async () => (await api.call('GET', '/api/lab/events', { token: api.lab })).body.events.map((e: { id: string }) => e.id).sort()
    expect(await seen()).toEqual([eventA, eventB].sort())
    const access = await api.call('GET', '/api/lab/access', { token: api.lab })
    expect(access.body.grants.map((g: { networkName: string }) => g.networkName).sort()).toEqual(['Club RSE Mulhouse', 'Réseau Alsace Partenariats'])

    const withdrawn = await api.call('DELETE', `/api/network/labs/${api.labId}`, { token: api.admin2 })
    expect(withdrawn.status).toBe(200)
    expect(await seen()).toEqual([eventA])
    expect((await api.call('GET', `/api/lab/events/${eventB}/metrics`, { token: api.lab })).status).toBe(404)
    expect((await api.call('DELETE', `/api/network/labs/${api.labId}`, { token: api.admin2 })).status).toBe(404)
    // only an admin manages lab access
    expect((await api.call('POST', '/api/network/labs', { token: api.org2, json: { labId: api.labId } })).status).toBe(403)
    const granted = await api.call('POST', '/api/network/labs', { token: api.admin2, json: { labId: api.labId } })
    expect(granted.status).toBe(201)
    expect(await seen()).toEqual([eventA, eventB].sort())
    expect((await api.call('POST', '/api/network/labs', { token: api.admin2, json: { labId: api.labId } })).status).toBe(409)
  })
})
