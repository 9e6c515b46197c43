/**
 * axe-core, the standard accessibility engine, run in Chromium on every page
 * and main state, as each role (organiser, network admin, lab, participant on
 * a phone), with the WCAG 2.0/2.1 A and AA rules: 0 violations at any impact
 * (RGAA duty, issue 12). The pages forbid inline scripts (CSP script-src
 * 'self'), so the test contexts bypass the CSP to inject axe.
 */
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { csvFile, hasChromium, launchChromium, startSite, type Site } from './site.ts'

if (!hasChromium) console.warn(`Browser tests skipped: no chromium binary at ${process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'} (set CHROMIUM_PATH)`)

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8')
const desktop = { viewport: { width: 1280, height: 900 }, bypassCSP: true }
const phone = { viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2, bypassCSP: true }

interface Violation { id: string; impact: string | null; help: string; nodes: { target: unknown[] }[] }

/** The WCAG A/AA violations on the page as it stands, one line each: id, impact, first target. */
async function violations(page: Page): Promise<string[]> {
  await page.addScriptTag({ content: axeSource })
  const result = (await page.evaluate(() =>
    (globalThis as any).axe.run((globalThis as any).document, { runOnly: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] }),
  )) as { violations: Violation[] }
  return result.violations.map((v) => `${v.id} (${v.impact}) ${JSON.stringify(v.nodes[0]?.target)} ×${v.nodes.length}: ${v.help}`)
}

async function submit(page: Page, click: () => Promise<unknown>): Promise<void> {
  await Promise.all([page.waitForEvent('load'), click()])
}

describe.skipIf(!hasChromium)('axe-core: 0 WCAG A/AA violations on every page and state', () => {
  let site: Site
  let browser: Browser
  const contexts: BrowserContext[] = []

  async function context(options: typeof desktop | typeof phone): Promise<Page> {
    const ctx = await browser.newContext(options)
    contexts.push(ctx)
    const page = await ctx.newPage()
    page.setDefaultTimeout(8000)
    return page
  }

  /** Opens `path` (unless null: the page as it is) and expects no violation. */
  async function check(page: Page, label: string, path: string | null = null): Promise<void> {
    if (path !== null) {
      const res = await page.goto(`${site.url}${path}`)
      expect(res?.status(), `${label}: ${path}`).toBeLessThan(400)
    }
    expect.soft(await violations(page), `${label} (${page.url()})`).toEqual([])
  }

  async function login(page: Page, token: string): Promise<void> {
    await page.goto(`${site.url}/connexion`)
    await page.getByLabel('Jeton d’accès').fill(token)
    await submit(page, () => page.getByRole('button', { name: 'Se connecter' }).click())
  }

  beforeAll(async () => {
    site = await startSite()
    browser = await launchChromium()
  })

  afterAll(async () => {
    for (const ctx of contexts) await ctx.close().catch(() => undefined)
    await browser?.close()
    await site?.close()
  })

  test('axe is injected despite the CSP and reports a planted violation', async () => {
    const page = await context(desktop)
    await page.goto(`${site.url}/connexion`)
    await page.addScriptTag({ content: axeSource })
    await expect(page.evaluate(() => typeof (globalThis as any).axe?.run)).resolves.toBe('function')
    // and it does report: an image planted without a text alternative
    await page.evaluate(() => (globalThis as any).document.querySelector('main').append((globalThis as any).document.createElement('img')))
    expect((await violations(page)).some((v) => v.startsWith('image-alt (critical)'))).toBe(true)
  })

  test('organiser: login, events, event, import, wishes, rotation, printing, check-in, follow-up, room, organisation, management, e-mails', async () => {
    const page = await context(desktop)
    const ev = `/evenements/${site.eventId}`
    await check(page, 'login page', '/connexion')
    await page.getByLabel('Jeton d’accès').fill('not-a-token')
    await submit(page, () => page.getByRole('button', { name: 'Se connecter' }).click())
    await check(page, 'login page after a failed login')
    await login(page, site.org)
    await check(page, 'events list', '/evenements')
    await page.getByText('Créer un événement').click()
    await page.getByLabel('Titre').fill('Soirée impossible')
    await page.getByLabel('Date').fill('2027-03-12')
    await page.getByLabel('Nombre de tours').fill('4')
    await page.getByLabel('Pause après le tour (facultatif)').fill('4')
    await submit(page, () => page.getByRole('button', { name: 'Créer', exact: true }).click())
    await expect(page.locator('.notice.bad').count()).resolves.toBe(1)
    await check(page, 'events list after a refused creation')
    await check(page, 'event page with participants', ev)
    await check(page, 'empty event with the import form', `/evenements/${site.emptyEventId}`)
    // an import preview with a bad row
    const lines = csvFile('inscriptions-utf8.csv').toString('utf8').split('\n')
    lines[2] = lines[2]!.replace(/^association,/, 'fondation,')
    await page.getByLabel('Fichier CSV').setInputFiles({ name: 'inscriptions.csv', mimeType: 'text/csv', buffer: Buffer.from(lines.join('\n')) })
    await submit(page, () => page.getByRole('button', { name: 'Prévisualiser' }).click())
    await expect(page.locator('table[data-import-errors] tbody tr').count()).resolves.toBeGreaterThan(0)
    await check(page, 'import preview with errors')
    await page.goto(`${site.url}/evenements/${site.emptyEventId}`)
    await page.getByLabel('Fichier CSV').setInputFiles({ name: 'inscriptions.csv', mimeType: 'text/csv', buffer: csvFile('inscriptions-utf8.csv') })
    await submit(page, () => page.getByRole('button', { name: 'Prévisualiser' }).click())
    await check(page, 'import preview ready to confirm')
    await check(page, 'wishes', `${ev}/voeux`)
    await check(page, 'rotation before generating', `${ev}/rotation`)
    await submit(page, () => page.getByRole('button', { name: 'Générer la rotation' }).click())
    await check(page, 'rotation after generating')
    await site.call('POST', `/api/events/${site.eventId}/schedule?publish=1`, site.org, {})
    await site.call('POST', `/api/events/${site.eventId}/status`, site.org, { status: 'scheduled' })
    await check(page, 'rotation published', `${ev}/rotation`)
    await check(page, 'printing page', `${ev}/impression`)
    // the large-print option: a link to ?grands=1 that marks every card `large` (1.5 times the type size)
    const cards = page.locator('article.card')
    expect(await cards.count()).toBe(site.secrets.size)
    await expect(page.locator('article.card.large').count()).resolves.toBe(0)
    const normalSize = await cards.first().evaluate((el) => parseFloat((globalThis as any).getComputedStyle(el).fontSize))
    await submit(page, () => page.getByRole('link', { name: 'Grands caractères' }).click())
    expect(new URL(page.url()).search).toBe('?grands=1')
    await expect(page.locator('article.card.large').count()).resolves.toBe(site.secrets.size)
    await expect(cards.first().evaluate((el) => parseFloat((globalThis as any).getComputedStyle(el).fontSize))).resolves.toBeCloseTo(normalSize * 1.5, 1)
    await expect(page.locator('article.plate.large').count()).resolves.toBe(0)
    await check(page, 'printing page in large print')
    await page.emulateMedia({ media: 'print' })
    await expect(cards.first().evaluate((el) => (globalThis as any).getComputedStyle(el).fontSize)).resolves.toBe('24px') // 18pt
    await page.emulateMedia({ media: 'screen' })
    await expect(page.getByRole('link', { name: 'Caractères normaux' }).getAttribute('href')).resolves.toBe(`${ev}/impression`)
    await site.call('POST', `/api/events/${site.eventId}/status`, site.org, { status: 'live' })
    await check(page, 'check-in page', `${ev}/accueil`)
    await check(page, 'room screen', `${ev}/salle`)
    await page.keyboard.press('Space')
    await page.waitForFunction(() => (globalThis as any).document.querySelector('#room-round').textContent === 'Tour 1 sur 10')
    await check(page, 'room screen, round 1 running')
    // a no-show, then a re-plan shown with what changes before it is published
    const { participants } = await site.call('GET', `/api/events/${site.eventId}/participants`, site.org)
    await site.call('POST', `/api/events/${site.eventId}/participants/${participants[0].id}/attendance`, site.org, { attendance: 'absent' })
    await site.call('POST', `/api/events/${site.eventId}/schedule/replan`, site.org, { fromRound: 2 })
    await check(page, 'rotation with a re-plan to review', `${ev}/rotation`)
    await submit(page, () => page.getByRole('button', { name: /Publier cette version/ }).click())
    await check(page, 'confirmation before publishing over the published version')
    // the no-show came after all: everybody rates below
    await site.call('POST', `/api/events/${site.eventId}/participants/${participants[0].id}/attendance`, site.org, { attendance: 'present' })
    // the evening runs to its last round: every meeting may now be rated (not before, issue 10)
    await site.db.updateTable('room_states').set({ round: 10 }).where('event_id', '=', site.eventId).execute()
    await check(page, 'follow-up page before any rating', `${ev}/suivi`)
    // everybody rates; a follow-up is wanted on both sides when (round + table) is a multiple of 3
    for (const secret of site.secrets.values()) {
      const { meetings } = await site.call('GET', '/api/me/meetings', secret)
      for (const m of meetings as { id: string; round: number; table: number }[]) {
        const wants = (m.round + m.table) % 3 === 0
        await site.call('PUT', `/api/me/meetings/${m.id}/rating`, secret, { tookPlace: true, interest: wants ? 5 : 2, followUp: wants, kinds: [] })
      }
    }
    await site.call('POST', `/api/events/${site.eventId}/proposals`, site.org, {})
    await check(page, 'follow-up page with proposals', `${ev}/suivi`)
    await submit(page, () => page.getByRole('button', { name: 'Accepter' }).first().click())
    await submit(page, () => page.getByRole('button', { name: 'Suivre comme partenariat' }).first().click())
    await expect(page.locator('.board li').count()).resolves.toBe(1)
    await check(page, 'follow-up page with a partnership on the board')
    await check(page, 'event management', `${ev}/gestion`)
    await check(page, 'e-mails tab', `${ev}/courriels`)
    await submit(page, () => page.locator('button[name=kind][value=invitation]').click())
    await check(page, 'e-mails tab after queueing the invitations')
    await page.goto(`${site.url}${ev}`)
    await submit(page, () => page.getByRole('button', { name: 'Clore la soirée…' }).click())
    await check(page, 'confirmation before closing the evening')
    await check(page, 'archives', '/archives')
    const organisation = await site.db.selectFrom('organisations').select('id').orderBy('name').executeTakeFirstOrThrow()
    await check(page, 'organisation page', `/organisations/${organisation.id}`)

    // a personal link shown again, then a new one issued (the last participant's: the tests below use another)
    await page.goto(`${site.url}${ev}`)
    await submit(page, () => page.locator('a[href$="/lien"]').last().click())
    await expect(page.locator('[data-personal-link]').count()).resolves.toBe(1)
    await check(page, 'personal link shown again')
    await page.goto(`${site.url}${ev}`)
    await submit(page, () => page.locator('form[action$="/lien"] button[type=submit]').last().click())
    await check(page, 'confirmation before a new personal link')
    await submit(page, () => page.getByRole('button', { name: 'Créer un nouveau lien' }).click())
    await expect(page.locator('[data-personal-link]').count()).resolves.toBe(1)
    await check(page, 'event page with a new personal link issued')

    const mobile = await context(phone)
    await login(mobile, site.org)
    await check(mobile, 'check-in page on a phone', `${ev}/accueil`)
    await check(mobile, 'large-print cards on a phone', `${ev}/impression?grands=1`)
    await expect(mobile.evaluate('document.documentElement.scrollWidth')).resolves.toBeLessThanOrEqual(360)
  }, 180_000)

  test('network admin, door volunteer and lab', async () => {
    const admin = await context(desktop)
    await login(admin, site.admin)
    await check(admin, 'network page', '/reseau')
    await admin.getByLabel('Nom ou rôle de la personne').fill('Martine, bénévole à l’accueil')
    await admin.getByLabel('Rôle', { exact: true }).selectOption('accueil')
    await admin.getByLabel('Événement').selectOption(site.eventId)
    await submit(admin, () => admin.getByRole('button', { name: 'Créer le jeton' }).click())
    const token = (await admin.locator('[data-token]').textContent())!.trim()
    await check(admin, 'network page showing a new token')
    const door = await context(phone)
    await login(door, token)
    expect(new URL(door.url()).pathname).toBe(`/evenements/${site.eventId}/accueil`)
    await check(door, 'check-in page for the door volunteer on a phone')
    const lab = await context(desktop)
    await login(lab, site.lab)
    await check(lab, 'lab dashboard', '/labo')
  })

  test('participant on a phone: consent notice, home, rating, privacy notices, accessibility statement', async () => {
    const page = await context(phone)
    const secret = site.secrets.get('Les Jardins de la Montagne Verte')!
    await check(page, 'participant page, first visit with the consent notice', `/p/${secret}`)
    await page.locator('#consentement').getByLabel('Oui, j’accepte').check()
    await submit(page, () => page.locator('#consentement button[type=submit]').click())
    await check(page, 'participant page after consent')
    await expect(page.locator('[data-matches] li').count()).resolves.toBeGreaterThan(0)
    const { meetings } = await site.call('GET', '/api/me/meetings', secret)
    await check(page, 'rating page', `/p/${secret}/rencontres/${meetings[0].id}`)
    await submit(page, () => page.locator('[data-rating-form] button[type=submit]').click())
    await expect(page.locator('.notice.ok').count()).resolves.toBe(1)
    await check(page, 'rating page after saving')
    // an interest left out is refused with a notice
    await page.goto(`${site.url}/p/${secret}/rencontres/${meetings[0].id}`)
    await page.locator('[data-rating-form]').evaluate((form: any) => {
      form.noValidate = true
      for (const input of form.querySelectorAll('input[name=interest]')) input.checked = false
    })
    await submit(page, () => page.locator('[data-rating-form] button[type=submit]').click())
    await expect(page.locator('.notice.bad').count()).resolves.toBe(1)
    await check(page, 'rating page after a refused rating')
    // the language of the page and the e-mails, saved from the page
    await page.goto(`${site.url}/p/${secret}`)
    await page.locator('#langue').getByLabel('English').check()
    await submit(page, () => page.locator('#langue button[type=submit]').click())
    await expect(page.locator('html').getAttribute('lang')).resolves.toBe('en')
    await check(page, 'participant page in English, language saved')
    // a re-plan published while the page is open: « Your programme has changed »
    const round2 = (meetings as { round: number; with: { organisation: string } }[]).find((m) => m.round === 2)!
    const { participants } = await site.call('GET', `/api/events/${site.eventId}/participants`, site.org)
    const partner = (participants as { id: string; organisation: { name: string } }[]).find((p) => p.organisation.name === round2.with.organisation)!
    await site.call('POST', `/api/events/${site.eventId}/participants/${partner.id}/attendance`, site.org, { attendance: 'absent' })
    await site.call('POST', `/api/events/${site.eventId}/schedule/replan?publish=1`, site.org, { fromRound: 2 })
    await page.locator('[data-live-banner] .notice').waitFor({ timeout: 5000 })
    await check(page, 'participant page with the programme-changed banner')
    await page.goto(`${site.url}/p/${secret}?lang=fr`)
    await check(page, 'participant privacy notice', `/p/${secret}/confidentialite`)
    const network = await site.db.selectFrom('networks').select('id').executeTakeFirstOrThrow()
    await check(page, 'network privacy notice', `/confidentialite?reseau=${encodeURIComponent(network.id)}`)
    await check(page, 'accessibility statement', '/accessibilite')
    await check(page, 'accessibility statement in English', '/accessibilite?lang=en')
  })

  test('door10: the door after a search and a mark, the board asking for the abandon reason, wishes labelled by who set them', async () => {
    const page = await context(desktop)
    await login(page, site.org)
    const ev = `/evenements/${site.eventId}`
    await page.goto(`${site.url}${ev}/accueil`)
    await page.getByLabel('Rechercher').pressSequentially('haguenau')
    await expect.poll(() => page.locator('tr[data-search]:visible').count()).toBe(2)
    const row = page.locator('tr[data-search]:visible').first()
    await row.getByRole('button', { name: 'Absent', exact: true }).click()
    await expect.poll(() => page.locator('#door-live').textContent()).toContain('Absent')
    await check(page, 'check-in page after a search and a mark without reload')
    await page.getByLabel('Rechercher').fill('zzz')
    await page.getByLabel('Rechercher').dispatchEvent('input')
    await check(page, 'check-in page with a search that finds nobody')
    await check(page, 'check-in page filtered without JavaScript (?q=)', `${ev}/accueil?q=claire`)
    await page.goto(`${site.url}${ev}/suivi`)
    const card = page.locator('.board li').first()
    await card.getByLabel('Passer à').selectOption('abandoned')
    await check(page, 'board with the abandon reason asked for')
    await card.getByLabel(/Raison de l’abandon/).fill('plus de budget cette année')
    await submit(page, () => card.getByRole('button', { name: 'Enregistrer' }).click())
    await expect(page.locator('[data-column=abandoned] li').count()).resolves.toBe(1)
    await check(page, 'board with an abandoned partnership and its reason')
    const door = await context(phone)
    await login(door, site.org)
    await check(door, 'check-in page on a phone, filtered', `${ev}/accueil?q=etoile`)

    // before an evening: a participant's wishes, one set by the organiser
    const e = site.emptyEventId
    const asso = await site.call('POST', `/api/events/${e}/participants`, site.org, { organisation: { kind: 'association', name: 'Les Amis du Sundgau' }, personName: 'Léa Muller' })
    const firm = await site.call('POST', `/api/events/${e}/participants`, site.org, { organisation: { kind: 'company', name: 'Imprimerie Schaller' }, personName: 'Marc Roth' })
    const other = await site.call('POST', `/api/events/${e}/participants`, site.org, { organisation: { kind: 'company', name: 'Garage du Florival' }, personName: 'Anne Klein' })
    await site.call('PUT', `/api/events/${e}/wishes`, site.org, { from: asso.participant.id, to: firm.participant.id, level: 'must' })
    await site.call('PUT', '/api/me/wishes', asso.token, { wishes: [{ to: firm.participant.id, level: 'must' }, { to: other.participant.id, level: 'like' }] })
    const participant = await context(phone)
    await participant.goto(`${site.url}/p/${asso.token}`)
    expect((await participant.locator('.wish-by').allTextContents()).sort()).toEqual(['souhait de l’organisateur', 'votre souhait'])
    await check(participant, 'participant page with wishes labelled by who set them')
  })
})
