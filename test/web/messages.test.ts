/**
 * Issue 9's "done when", without a browser: on the 10 x 10 example as
 * `npm start` loads it, the organiser sends the invitations from the pages and
 * finds 20 .eml files, each with a working personal link, times and an .ics a
 * parser accepts; the participant page gives the same calendar file.
 */
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import ICAL from 'ical.js'
import { simpleParser } from 'mailparser'
import { describe, expect } from 'vitest'
import { createApp } from '../../src/app.ts'
import { sendQueued } from '../../src/domain/mail/outbox.ts'
import { folderTransport } from '../../src/domain/mail/transport.ts'
import { loadExampleEvent } from '../../src/domain/seed.ts'
import { createOrganiser } from '../helpers/accounts.ts'
import { dbTest } from '../helpers/db.ts'

const test = dbTest('sqlite')
const linkSecret = 'web-test-link-secret-0123456789'

/** The organiser cookie the login page set. */
function cookieOf(res: Response): string {
  return res.headers.getSetCookie().map((c) => c.split(';')[0]!).find((c) => /^org_token=.+/.test(c)) ?? ''
}

describe('e-mail pages on the example evening', () => {
  test('send the invitations from the page: 20 .eml files with working links, times and a calendar file', async ({ db }) => {
    const now = new Date('2026-11-24T18:00:00Z')
    const { organiserId, token } = await createOrganiser(db, { name: 'Réseau Alsace Partenariats' }, now.toISOString())
    const example = JSON.parse(readFileSync(new URL('../../data/events/strasbourg-10x10.json', import.meta.url), 'utf8'))
    const { event } = await loadExampleEvent(db, organiserId, example, now.toISOString())
    const app = createApp({ db, linkSecret, publicUrl: 'http://localhost:3000', clock: () => now })
    const login = await app.request('/connexion', { method: 'POST', body: new URLSearchParams({ token }) })
    const cookie = cookieOf(login)
    const headers = { cookie }

    const page = await app.request(`/evenements/${event.id}/courriels`, { headers })
    expect(page.status).toBe(200)
    const html = await page.text()
    expect(html).toContain('Envoyer les invitations')
    expect(html).toContain('Aucun message pour le moment.')

    const sent = await app.request(`/evenements/${event.id}/courriels`, { method: 'POST', headers: { ...headers, 'content-type': 'application/x-www-form-urlencoded' }, body: 'kind=invitation' })
    expect(sent.status).toBe(200)
    const after = await sent.text()
    expect(after).toContain('20 messages mis en file, 0 déjà envoyé.')
    expect(after.match(/<tr>/g)).toHaveLength(21)

    const folder = mkdtempSync(join(tmpdir(), 'outbox-'))
    const transport = folderTransport(folder)
    expect(await sendQueued({ db, linkKey: linkSecret, publicUrl: 'http://localhost:3000', from: 'Rencontres <rencontres@localhost>', transport }, now)).toEqual({ sent: 20, retried: 0, failed: 0 })
    transport.close()
    const files = readdirSync(folder)
    expect(files).toHaveLength(20)
    const secrets = new Set<string>()
    for (const file of files) {
      const mail = await simpleParser(readFileSync(join(folder, file)))
      const secret = /http:\/\/localhost:3000\/p\/(p_[\w-]+)/.exec(mail.text ?? '')?.[1]
      expect(secret, file).toBeTruthy()
      secrets.add(secret!)
      const home = await app.request(`/p/${secret}`)
      expect(home.status).toBe(200)
      const homeHtml = await home.text()
      // French clock times on the phone page and in the e-mail: « 18 h 38 – 18 h 45, table 4 »
      expect(homeHtml).toMatch(/\d\d\sh\s\d\d\s– \d\d\sh\s\d\d, table \d+ · tour \d+/)
      expect(homeHtml).toContain(`href="/p/${secret}/agenda.ics"`)
      expect(mail.text).toMatch(/\d\d\sh\s\d\d\s– \d\d\sh\s\d\d, table \d+\s: /)
      // the network's privacy notice, from the personal link, in French and in English
      expect(mail.text).toContain(`Vos données personnelles et vos droits\u00a0: http://localhost:3000/p/${secret}/confidentialite`)
      expect((await app.request(`/p/${secret}/confidentialite`)).status).toBe(200)
      const ics = mail.attachments.find((a) => a.filename === 'rencontres.ics')!
      const vevents = new ICAL.Component(ICAL.parse(ics.content.toString('utf8'))).getAllSubcomponents('vevent')
      expect(vevents.length).toBeGreaterThan(0)
      // the participant page gives the same meetings
      const agenda = await app.request(`/p/${secret}/agenda.ics`)
      expect(agenda.headers.get('content-type')).toContain('text/calendar')
      expect(new ICAL.Component(ICAL.parse(await agenda.text())).getAllSubcomponents('vevent')).toHaveLength(vevents.length)
    }
    expect(secrets.size).toBe(20)

    const listed = await (await app.request(`/evenements/${event.id}/courriels`, { headers })).text()
    expect(listed).toContain('envoyé\u00a0: 20')
    const csv = await app.request(`/evenements/${event.id}/courriels/liens.csv`, { headers })
    expect(csv.status).toBe(200)
    const lines = (await csv.text()).trim().split('\r\n')
    expect(lines).toHaveLength(21)
    expect(lines.slice(1).every((l) => /;http:\/\/localhost:3000\/p\/p_/.test(l))).toBe(true)
    // the participants page shows a participant's link again, still the one mailed
    const list = await app.request(`/api/events/${event.id}/participants`, { headers: { authorization: `Bearer ${token}` } })
    const rid = ((await list.json()) as { participants: { id: string }[] }).participants[0]!.id
    const shown = await (await app.request(`/evenements/${event.id}/participants/${rid}/lien`, { headers })).text()
    const again = /data-personal-link[^>]*>\s*http:\/\/localhost:3000\/p\/(p_[\w-]+)/.exec(shown)?.[1]
    expect(secrets.has(again!)).toBe(true)
    expect(await (await app.request(`/evenements/${event.id}`, { headers })).text()).toContain(`/participants/${rid}/lien`)
    // after an import, the event page offers every link
    expect(await (await app.request(`/evenements/${event.id}?imported=20`, { headers })).text()).toContain(`/evenements/${event.id}/courriels/liens.csv`)
    // another organiser's cookie finds nothing
    const other = await createOrganiser(db, { name: 'Club RSE Mulhouse' }, now.toISOString())
    const otherLogin = await app.request('/connexion', { method: 'POST', body: new URLSearchParams({ token: other.token }) })
    const otherCookie = cookieOf(otherLogin)
    expect((await app.request(`/evenements/${event.id}/courriels`, { headers: { cookie: otherCookie } })).status).toBe(404)
  })
})
