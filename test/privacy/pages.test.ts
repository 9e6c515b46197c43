/**
 * The pages of issue 12: the privacy notice of a network (French and English,
 * from its settings), the accessibility statement (from the self-audit
 * checklist), both linked from every participant page and the login page;
 * the first-visit notice with the research-use choice; download and erase
 * from the participant's page.
 */
import type { Kysely } from 'kysely'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import type { Database } from '../../src/db/schema.ts'
import { privacyDb } from '../../src/domain/privacy/db.ts'
import { freshDatabase } from '../helpers/db.ts'
import { buildWorld, type World } from '../security/world.ts'

describe('privacy notice, accessibility statement, consent and my data in the pages', () => {
  let db: Kysely<Database>
  let drop: () => Promise<void>
  let world: World
  let networkId: string
  beforeAll(async () => {
    ;({ db, drop } = await freshDatabase('sqlite'))
    world = await buildWorld(db)
    networkId = (await db.selectFrom('events').select('network_id').where('id', '=', world.own.eventId).executeTakeFirstOrThrow()).network_id
    await privacyDb(db).updateTable('networks').set({ email: 'contact@alsace-partenariats.example.org', dpo_name: 'Camille Lefèvre', retention_months: 18 }).where('id', '=', networkId).execute()
  })
  afterAll(async () => drop())

  const page = async (path: string, init: { form?: Record<string, string> } = {}) => {
    const res = await world.app.request(path, {
      method: init.form ? 'POST' : 'GET',
      redirect: 'manual',
      ...(init.form ? { body: new URLSearchParams(init.form).toString(), headers: { 'content-type': 'application/x-www-form-urlencoded' } } : {}),
    })
    return { status: res.status, text: await res.text(), location: res.headers.get('location'), type: res.headers.get('content-type') }
  }

  test('the notice is written from the network settings, in French and in English', async () => {
    const fr = await page(`/confidentialite?reseau=${networkId}&lang=fr`)
    expect(fr.status).toBe(200)
    for (const text of ['Réseau Alsace Partenariats', 'contact@alsace-partenariats.example.org', 'Camille Lefèvre', '18 mois', 'Laboratoire Alsace', 'Responsable du traitement', 'CNIL', 'double accord']) {
      expect(fr.text).toContain(text)
    }
    const en = await page(`/confidentialite?reseau=${networkId}&lang=en`)
    for (const text of ['Data controller', '18 months', 'Recipients', 'Retention', 'double opt-in']) expect(en.text).toContain(text)
    // through the personal link: the participant's own network
    const mine = await page(`/p/${world.tokens.participant}/confidentialite`)
    expect(mine.status).toBe(200)
    expect(mine.text).toContain('Réseau Alsace Partenariats')
    expect((await page('/confidentialite?reseau=inconnu')).status).toBe(404)
  })

  test('the accessibility statement has the RGAA parts, in French and English', async () => {
    const fr = await page('/accessibilite?lang=fr')
    for (const text of ['Déclaration d’accessibilité', 'RGAA 4.1.2', 'partiellement conforme', 'Contenus non accessibles', 'Dérogations', 'Voies de recours', 'Défenseur des droits']) {
      expect(fr.text).toContain(text)
    }
    const en = await page('/accessibilite?lang=en')
    for (const text of ['Accessibility statement', 'partially compliant', 'Remedies']) expect(en.text).toContain(text)
  })

  test('every participant page and the login page link both', async () => {
    const secret = world.tokens.participant
    for (const path of ['/connexion', `/p/${secret}`, `/p/${secret}/rencontres/${world.own.meetingId}`, `/p/${secret}/confidentialite`, '/accessibilite']) {
      const answer = await page(path)
      expect(answer.status, path).toBe(200)
      expect(answer.text, path).toContain('href="/accessibilite"')
      expect(answer.text, path).toMatch(path.startsWith('/p/') ? new RegExp(`href="/p/${secret}/confidentialite"`) : /href="\/confidentialite"/)
    }
  })

  test('first visit: the double opt-in notice and the research question; the answer is kept', async () => {
    const secret = world.tokens.participant
    const first = await page(`/p/${secret}`)
    expect(first.text).toContain('id="consentement"')
    expect(first.text).toContain('name="research"')
    const saved = await page(`/p/${secret}/consentement`, { form: { research: 'no' } })
    expect(saved.status).toBe(303)
    const after = await page(saved.location!)
    expect(after.text).not.toContain('id="consentement"')
    expect(after.text).toContain('id="mes-donnees"')
    const row = await privacyDb(db).selectFrom('registrations').select(['research_consent', 'research_consent_at']).where('id', '=', world.own.registrationId).executeTakeFirstOrThrow()
    expect(row.research_consent).toBe(0)
    expect(row.research_consent_at).not.toBeNull()
  })

  test('download my data, then erase me: the link is dead', async () => {
    const secret = world.tokens.participant
    const data = await page(`/p/${secret}/mes-donnees`)
    expect(data.status).toBe(200)
    expect(data.type).toMatch(/json/)
    const json = JSON.parse(data.text)
    expect(json.registration.researchConsent).toBe(false)
    expect(json.organisation.name).toBeTruthy()
    const erased = await page(`/p/${secret}/effacer`, { form: { confirm: 'yes' } })
    expect(erased.status).toBe(200)
    expect(erased.text).toContain('Vos données ont été effacées')
    expect((await page(`/p/${secret}`)).status).toBe(404)
  })
  test('organisers are told a month before an event is purged, on the events page and through the API', async () => {
    // an event of last year whose last check-in was due on 10 December 2025: purged on 10 December 2026
    await db.updateTable('events').set({ date: '2025-12-01' }).where('id', '=', world.own.eventId).execute()
    await db.updateTable('checkins').set({ due_on: '2025-12-10' }).where('id', '=', world.own.checkinId).execute()
    await privacyDb(db).updateTable('networks').set({ retention_months: 12 }).where('id', '=', networkId).execute()
    const res = await world.app.request('/evenements', { headers: { cookie: `org_token=${world.tokens.organiser}` } })
    const html = await res.text()
    expect(html).toContain(`data-purge="${world.own.eventId}"`)
    expect(html).toContain('10 décembre 2026')
    const api = await world.app.request('/api/network/retention', { headers: { authorization: `Bearer ${world.tokens.organiser}` } })
    const body = (await api.json()) as any
    expect(body.events[0]).toMatchObject({ eventId: world.own.eventId, purgeOn: '2026-12-10', state: 'soon', purgedAt: null })
  })
  test('each printed card says where the privacy notice and the accessibility statement are', async () => {
    const res = await world.app.request(`http://rencontres.example.org/evenements/${world.own.eventId}/impression`, { headers: { cookie: `org_token=${world.tokens.organiser}` } })
    const html = await res.text()
    const cards = html.match(/data-card=/g)?.length ?? 0
    expect(cards).toBeGreaterThan(0)
    expect(html.match(new RegExp(`Vos données personnelles\u00a0: http://rencontres.example.org/confidentialite\\?reseau=${networkId}`, 'g'))?.length).toBe(cards)
  })
})
