import { mkdtempSync, readFileSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, test as plain } from 'vitest'
import { createApp } from '../../src/app.ts'
import { hashToken } from '../../src/auth/tokens.ts'
import { deriveSecret, loadLinkSecret } from '../../src/domain/links.ts'
import { dbTest, dialects } from '../helpers/db.ts'
import { fixedNow, makeApi, type Api } from '../helpers/api.ts'
import { addParticipant, createEvent } from '../helpers/builders.ts'

const linkSecret = 'test-link-secret-0123456789'

function linksTest(dialect: (typeof dialects)[number]) {
  return dbTest(dialect).extend<{ api: Api }>({
    api: async ({ db }, use) => {
      await use(await makeApi(db, { linkSecret, publicUrl: 'https://rencontres.example.org' }))
    },
  })
}

describe.each(dialects)('personal links on %s', (dialect) => {
  const test = linksTest(dialect)

  test('the link given at registration can be read again, without invalidating it; the database holds only its hash', async ({ api }) => {
    const eventId = await createEvent(api)
    const p = await addParticipant(api, eventId, 'company', 'Imprimerie Graff', { personEmail: 'anne@graff.example.com' })
    expect(p.token).toBe(deriveSecret(linkSecret, p.id, 0))
    const again = await api.call('GET', `/api/events/${eventId}/participants/${p.id}/link`, { token: api.org })
    expect(again.status).toBe(200)
    expect(again.body).toEqual({ token: p.token, link: `https://rencontres.example.org/p/${p.token}` })
    expect((await api.call('GET', '/api/me', { token: p.token })).status).toBe(200)
    const row = await api.db.selectFrom('registrations').select('secret_hash').where('id', '=', p.id).executeTakeFirstOrThrow()
    expect(row.secret_hash).toBe(hashToken(p.token))
    expect(JSON.stringify(await api.db.selectFrom('registrations').selectAll().execute())).not.toContain(p.token)
  })

  test('renew: the old link dies, the new one can be read again; revoke: no link works until renewed', async ({ api }) => {
    const eventId = await createEvent(api)
    const p = await addParticipant(api, eventId, 'association', 'Entraide Neudorf')
    const renewed = await api.call('POST', `/api/events/${eventId}/participants/${p.id}/link`, { token: api.org })
    expect(renewed.status).toBe(200)
    expect(renewed.body.version).toBe(1)
    expect(renewed.body.token).not.toBe(p.token)
    expect((await api.call('GET', '/api/me', { token: p.token })).status).toBe(401)
    expect((await api.call('GET', '/api/me', { token: renewed.body.token })).status).toBe(200)
    expect((await api.call('GET', `/api/events/${eventId}/participants/${p.id}/link`, { token: api.org })).body.token).toBe(renewed.body.token)

    expect((await api.call('DELETE', `/api/events/${eventId}/participants/${p.id}/link`, { token: api.org })).status).toBe(204)
    expect((await api.call('GET', '/api/me', { token: renewed.body.token })).status).toBe(401)
    const gone = await api.call('GET', `/api/events/${eventId}/participants/${p.id}/link`, { token: api.org })
    expect(gone.status).toBe(409)
    expect(gone.body.error.message).toContain('Personne Entraide Neudorf')
    const back = await api.call('POST', `/api/events/${eventId}/participants/${p.id}/link`, { token: api.org })
    expect(back.body.version).toBe(3)
    expect((await api.call('GET', '/api/me', { token: back.body.token })).status).toBe(200)
  })

  test('two renewals at once: each answers a link or 409, and only the last link works', async ({ api }) => {
    const eventId = await createEvent(api)
    const p = await addParticipant(api, eventId, 'company', 'Graff SA')
    const path = `/api/events/${eventId}/participants/${p.id}/link`
    const answers = await Promise.all([api.call('POST', path, { token: api.org }), api.call('POST', path, { token: api.org })])
    expect(answers.every((a) => a.status === 200 || a.status === 409)).toBe(true)
    const current = (await api.call('GET', path, { token: api.org })).body.token
    const working = []
    for (const a of answers.filter((x) => x.status === 200)) if ((await api.call('GET', '/api/me', { token: a.body.token })).status === 200) working.push(a.body.token)
    expect(working).toEqual([current])
  })

  test('a link made before derived links keeps working, cannot be shown again, and is renewed once', async ({ api }) => {
    const eventId = await createEvent(api)
    const p = await addParticipant(api, eventId, 'company', 'Brasserie du Kochersberg')
    // as a registration made before: a random secret
    const old = 'p_legacyRandomSecretFromBefore000000000'
    await api.db.updateTable('registrations').set({ secret_hash: hashToken(old) }).where('id', '=', p.id).execute()
    expect((await api.call('GET', '/api/me', { token: old })).status).toBe(200)
    expect((await api.call('GET', `/api/events/${eventId}/participants/${p.id}/link`, { token: api.org })).status).toBe(409)
    const csv = await api.call('GET', `/api/events/${eventId}/participants/links.csv`, { token: api.org })
    expect(csv.text).toContain('Brasserie du Kochersberg;;\r\n')
    const renewed = await api.call('POST', `/api/events/${eventId}/participants/${p.id}/link`, { token: api.org })
    expect((await api.call('GET', '/api/me', { token: old })).status).toBe(401)
    expect((await api.call('GET', `/api/events/${eventId}/participants/${p.id}/link`, { token: api.org })).body.token).toBe(renewed.body.token)
  })

  test('links.csv: BOM, semicolons, one row per participant, formulas neutralised; another network gets 404', async ({ api }) => {
    const eventId = await createEvent(api)
    const a = await addParticipant(api, eventId, 'association', '=HYPERLINK("x")', { personEmail: 'asso@example.org', personName: '+Jean; "Jo"' })
    const b = await addParticipant(api, eventId, 'company', 'Transports Ill-Bruche', { personEmail: 'tib@example.com', personName: 'Marie Weber' })
    const r = await api.call('GET', `/api/events/${eventId}/participants/links.csv`, { token: api.org })
    expect(r.status).toBe(200)
    expect(r.headers.get('content-type')).toContain('text/csv')
    expect(r.text.startsWith('nom;organisation;e-mail;lien\r\n')).toBe(true)
    const raw = await api.app.request(`/api/events/${eventId}/participants/links.csv`, { headers: { authorization: `Bearer ${api.org}` } })
    expect([...new Uint8Array(await raw.arrayBuffer()).slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf])
    const lines = r.text.trim().split('\r\n')
    expect(lines).toHaveLength(3)
    expect(lines).toContain(`"'+Jean; ""Jo""";"'=HYPERLINK(""x"")";asso@example.org;https://rencontres.example.org/p/${a.token}`)
    expect(lines).toContain(`Marie Weber;Transports Ill-Bruche;tib@example.com;https://rencontres.example.org/p/${b.token}`)
    expect((await api.call('GET', `/api/events/${eventId}/participants/links.csv`, { token: api.org2 })).status).toBe(404)
    expect((await api.call('GET', `/api/events/${eventId}/participants/${a.id}/link`, { token: api.org2 })).status).toBe(404)
    expect((await api.call('POST', `/api/events/${eventId}/participants/${a.id}/link`, { token: api.org2 })).status).toBe(404)
    expect((await api.call('GET', `/api/events/${eventId}/participants/links.csv`, { token: a.token })).status).toBe(403)
  })

  test('the CSV import answers derived links, which can be read again', async ({ api }) => {
    const eventId = await createEvent(api)
    const csv = 'type;nom;participant;email participant\nassociation;Les Restos du Quartier;Paul Klein;paul@example.org\nentreprise;Graff SA;Anne Graff;anne@example.com\n'
    const r = await api.call('POST', `/api/events/${eventId}/participants/import`, { token: api.org, body: csv, headers: { 'content-type': 'text/csv' } })
    expect(r.status).toBe(201)
    for (const p of r.body.created) {
      expect(p.token).toBe(deriveSecret(linkSecret, p.registrationId, 0))
      expect(p.link).toBe(`https://rencontres.example.org/p/${p.token}`)
      expect((await api.call('GET', '/api/me', { token: p.token })).status).toBe(200)
    }
  })

  test('the same server secret gives the same links to another app on the same database (a restart)', async ({ api }) => {
    const eventId = await createEvent(api)
    const p = await addParticipant(api, eventId, 'company', 'Graff SA')
    const again = createApp({ db: api.db, clock: () => fixedNow, linkSecret })
    const res = await again.request(`/api/events/${eventId}/participants/${p.id}/link`, { headers: { authorization: `Bearer ${api.org}` } })
    expect(((await res.json()) as { token: string }).token).toBe(p.token)
  })
})

plain('the server secret file is made once, private, and read back', () => {
  const file = join(mkdtempSync(join(tmpdir(), 'links-')), 'sub', 'link-secret')
  const first = loadLinkSecret(null, file)
  expect(first.length).toBeGreaterThanOrEqual(32)
  expect(statSync(file).mode & 0o777).toBe(0o600)
  expect(loadLinkSecret(null, file)).toBe(first)
  expect(readFileSync(file, 'utf8').trim()).toBe(first)
  expect(loadLinkSecret('from-the-environment-value', file)).toBe('from-the-environment-value')
})
