/**
 * The organiser's main path in headless Chromium: log in, import a CSV with
 * an error (nothing written, each bad row shown) then a good one, generate,
 * publish and print the rotation, mark a no-show and re-plan the remaining rounds.
 */
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { csvFile, hasChromium, launchChromium, logIn, startSite, type Site } from './site.ts'

if (!hasChromium) console.warn(`Browser tests skipped: no chromium binary at ${process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'} (set CHROMIUM_PATH)`)

describe.skipIf(!hasChromium)('organiser console in Chromium', () => {
  let site: Site
  let browser: Browser
  let page: Page

  beforeAll(async () => {
    site = await startSite()
    browser = await launchChromium()
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } })
    page.setDefaultTimeout(8000)
    await logIn(site, page, site.org)
    await page.waitForURL(`${site.url}/evenements`)
  })

  afterAll(async () => {
    await browser?.close()
    await site?.close()
  })

  test('the events list shows the example evening, in French, with the token kept in an HttpOnly cookie', async () => {
    await expect(page.locator('html').getAttribute('lang')).resolves.toBe('fr')
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Mes événements')
    await expect(page.getByRole('link', { name: 'Speed-dating associations–entreprises de Strasbourg' }).count()).resolves.toBe(1)
    const cookies = await page.context().cookies()
    const cookie = cookies.find((c) => c.name === 'org_token')
    expect(cookie?.httpOnly).toBe(true)
    expect(cookie?.sameSite).toBe('Strict')
    // the token never reaches scripts
    await expect(page.evaluate('document.cookie')).resolves.not.toContain('org_')
  })

  test('an event is created from the console and opened for registration', async () => {
    await page.goto(`${site.url}/evenements`)
    await page.getByText('Créer un événement').click()
    await page.getByLabel('Titre').fill('Speed-dating RSE de Haguenau')
    await page.getByLabel('Date').fill('2027-03-11')
    await page.getByLabel('Lieu').fill('Pôle Emploi-Entreprises, Haguenau')
    await page.getByLabel('Nombre de tours').fill('8')
    await page.getByLabel('Pause après le tour (facultatif)').fill('4')
    await Promise.all([page.waitForEvent('load'), page.getByRole('button', { name: 'Créer', exact: true }).click()])
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Speed-dating RSE de Haguenau')
    await expect(page.locator('p.lead').textContent()).resolves.toContain('8 tours de 7 min, 10 tables')
    // one clear next step per stage, no status select
    await expect(page.locator('select[name=status]').count()).resolves.toBe(0)
    await Promise.all([page.waitForEvent('load'), page.getByRole('button', { name: 'Ouvrir les inscriptions' }).click()])
    await expect(page.locator('.notice.ok').textContent()).resolves.toBe('Les inscriptions sont ouvertes.')
    await expect(page.getByRole('link', { name: 'Calculer et publier la rotation' }).count()).resolves.toBe(1)

    // a bad value is refused with the field named, nothing created
    await page.goto(`${site.url}/evenements`)
    await page.getByText('Créer un événement').click()
    await page.getByLabel('Titre').fill('Soirée impossible')
    await page.getByLabel('Date').fill('2027-03-12')
    await page.getByLabel('Nombre de tours').fill('4')
    await page.getByLabel('Pause après le tour (facultatif)').fill('4')
    await Promise.all([page.waitForEvent('load'), page.getByRole('button', { name: 'Créer', exact: true }).click()])
    await expect(page.locator('.notice.bad').textContent()).resolves.toContain('breaks.0.afterRound')
    await expect(page.getByRole('link', { name: 'Soirée impossible' }).count()).resolves.toBe(0)
  })

  test('a CSV with a bad row is refused row by row, nothing written; the corrected file is imported after confirmation', async () => {
    const good = csvFile('inscriptions-utf8.csv').toString('utf8')
    const lines = good.split('\n')
    lines[2] = lines[2]!.replace(/^association,/, 'fondation,')
    const bad = lines.join('\n')

    await page.goto(`${site.url}/evenements/${site.emptyEventId}`)
    await page.getByLabel('Fichier CSV').setInputFiles({ name: 'inscriptions.csv', mimeType: 'text/csv', buffer: Buffer.from(bad) })
    await page.getByRole('button', { name: 'Prévisualiser' }).click()
    const errors = page.locator('table[data-import-errors] tbody tr')
    await expect(errors.count()).resolves.toBeGreaterThan(0)
    await expect(errors.first().locator('td').first().textContent()).resolves.toBe('3')
    await expect(page.getByText('Rien n’a été importé').count()).resolves.toBe(1)
    await expect(page.getByText('Aucun participant').count()).resolves.toBe(1)

    await page.getByLabel('Fichier CSV').setInputFiles({ name: 'inscriptions.csv', mimeType: 'text/csv', buffer: Buffer.from(good) })
    await page.getByRole('button', { name: 'Prévisualiser' }).click()
    await expect(page.locator('table[data-import-preview] tbody tr').count()).resolves.toBe(12)
    // still nothing written before the confirmation
    await expect(page.getByText('Aucun participant').count()).resolves.toBe(1)
    await page.getByRole('button', { name: 'Confirmer l’import' }).click()
    await page.waitForURL(/imported=12/)
    await expect(page.locator('table[data-participants] tbody tr').count()).resolves.toBe(12)
  })

  test('the Latin-1 file that French spreadsheets write imports too', async () => {
    const other = await site.call('POST', '/api/events', site.org, {
      title: 'Soirée Latin-1', date: '2027-02-01', rounds: 8, meetingMinutes: 7, transitionMinutes: 1, breaks: [], tables: 5, seatedSide: 'company',
    })
    await site.call('POST', `/api/events/${other.event.id}/status`, site.org, { status: 'open' })
    await page.goto(`${site.url}/evenements/${other.event.id}`)
    // the example saved by French spreadsheet software: Latin-1, semicolons, labels instead of codes
    const latin1 = csvFile('inscriptions-excel-latin1.csv')
    expect(latin1.includes(Buffer.from('é', 'utf8'))).toBe(false)
    await page.getByLabel('Fichier CSV').setInputFiles({ name: 'excel.csv', mimeType: 'text/csv', buffer: latin1 })
    await page.getByRole('button', { name: 'Prévisualiser' }).click()
    await page.getByRole('button', { name: 'Confirmer l’import' }).click()
    await page.waitForURL(/imported=/)
    const names = await page.locator('table[data-participants] tbody tr td:first-child').allTextContents()
    expect(names.length).toBeGreaterThan(0)
    expect(names.join(' ')).toMatch(/[éèàçÉ]/)
  })

  test('generate the rotation: status, bound and fairness in words, then publish; the grid has every round', async () => {
    await page.goto(`${site.url}/evenements/${site.eventId}/rotation`)
    await page.getByRole('button', { name: 'Générer la rotation' }).click()
    await page.waitForURL(`${site.url}/evenements/${site.eventId}/rotation`)
    const summary = await page.locator('.notice').first().textContent()
    // what the organiser gets, in words, never "perhaps not the best" beside "100 %"
    expect(summary).toMatch(/Chaque participant a au moins \d+\u00a0rencontres?([\u00a0\u202f]; aucune meilleure rotation n’existe\.|\. Cette rotation atteint au moins [\d,]+\u00a0% du meilleur résultat possible\.)/)
    expect(summary).not.toMatch(/100\u00a0%|peut-être/)
    await page.getByRole('button', { name: /Publier cette version/ }).click()
    await expect(page.getByText('Version publiée').count()).resolves.toBe(1)
    await expect(page.locator('table.grid tbody th[scope=row]').count()).resolves.toBe(10)
    // a 10 x 10 evening: 100 meetings, each printed with its code
    await expect(page.locator('table.grid td:not(.muted)').count()).resolves.toBe(100)
  })

  test('print: cards four to a sheet, one plate per table, a slip per participant, with the rating codes and clock times', async () => {
    await page.goto(`${site.url}/evenements/${site.eventId}/impression`)
    await page.emulateMedia({ media: 'print' })
    await expect(page.locator('article.card').count()).resolves.toBe(20)
    await expect(page.locator('article.plate').count()).resolves.toBe(10)
    await expect(page.locator('article.slip-sheet').count()).resolves.toBe(20)
    await expect(page.locator('.cards-page').count()).resolves.toBe(5)
    const sheet = page.locator('.cards-page').first()
    await expect(sheet.evaluate((el) => (globalThis as any).getComputedStyle(el).breakAfter)).resolves.toBe('page')
    await expect(page.locator('header.top').isVisible()).resolves.toBe(false)
    const card = page.locator('article.card').first()
    await expect(card.locator('tbody tr[data-meeting]').count()).resolves.toBe(10)
    await expect(card.locator('tbody tr.break').count()).resolves.toBeGreaterThan(0)
    await expect(card.locator('td.when').first().textContent()).resolves.toMatch(/^\d{1,2}\u00a0h\u00a0\d{2}\u00a0– \d{1,2}\u00a0h\u00a0\d{2}$/)
    const codes = await card.locator('tbody tr[data-meeting] td:last-child').allTextContents()
    expect(codes.every((c) => c.trim().length > 0)).toBe(true)
    const pdf = await page.pdf({ format: 'A4', preferCSSPageSize: true })
    expect(pdf.byteLength).toBeGreaterThan(1000)
    await page.emulateMedia({ media: 'screen' })
  })

  test('check-in: a no-show of a "must meet" pair is marked absent; the re-plan names both organisations, shows what changes, and publishes', async () => {
    const absentee = 'Entraide Neudorf'
    // the organiser asks that the absentee meet the company it meets in round 5 (not yet played at round 3)
    const plan = await site.call('GET', `/api/events/${site.eventId}/schedule?view=participant`, site.org)
    const mine = plan.participants.find((p: { name: string }) => p.name === absentee)
    const fifth = mine.meetings.find((m: { round: number }) => m.round === 5)
    await site.call('PUT', `/api/events/${site.eventId}/wishes`, site.org, { from: mine.registrationId, to: fifth.with.registrationId, level: 'must' })
    const mustPartner = async () => fifth.with.name as string
    const mustMeeting = async () => `tour 5, table ${fifth.table}\u00a0: ${absentee} × ${fifth.with.name}`
    await page.goto(`${site.url}/evenements/${site.eventId}/accueil`)
    const row = page.locator(`tr[data-participant="${absentee}"]`)
    await row.getByRole('button', { name: 'Absent' }).click()
    // marked without reloading (static/door.js): the row and the live region say so
    await expect.poll(() => page.locator(`tr[data-participant="${absentee}"] button[aria-pressed=true]`).textContent()).toBe('Absent')
    await expect.poll(() => page.locator('#door-live').textContent()).toContain(absentee)

    await page.getByLabel('À partir du tour').fill('3')
    await page.getByRole('button', { name: 'Replanifier les tours restants' }).click()
    // the new version is shown with what changes and what had to be given up, before it is published
    await page.waitForURL(/rotation\?apercu=\d+/)
    const must = await mustPartner()
    await expect(page.locator('[data-warnings] li').allTextContents()).resolves.toEqual([
      `Rencontre obligatoire retirée\u00a0: ${absentee} × ${must}, car ${absentee} n’est pas là.`,
    ])
    await expect(page.locator('[data-diff-counts] li').first().textContent()).resolves.toMatch(/^\d+\u00a0rencontres? perdues?$/)
    await expect(page.locator('[data-lost] li').allTextContents()).resolves.toContain(await mustMeeting())
    await page.getByRole('button', { name: /Publier cette version/ }).click()
    // publishing over the published version asks first
    await expect(page.getByRole('heading', { name: /Publier la version \d+ à la place de la version 1/ }).count()).resolves.toBe(1)
    await Promise.all([page.waitForEvent('load'), page.getByRole('button', { name: /^Publier la version \d+$/ }).click()])
    await expect(page.getByRole('heading', { name: /replanifiée à partir du tour 3/ }).count()).resolves.toBe(1)
    await expect(page.getByText('Version publiée').count()).resolves.toBe(1)
    const line = await page.locator(`table[data-per-participant] tr[data-participant="${absentee}"] td`).textContent()
    const rounds = [...(line ?? '').matchAll(/(\d+) → \d+/g)].map((m) => Number(m[1]))
    expect(rounds.length).toBeGreaterThan(0)
    expect(rounds.every((r) => r < 3)).toBe(true)
  })

  test('a walk-in is added at the door, marked as such', async () => {
    await page.goto(`${site.url}/evenements/${site.eventId}/accueil`)
    await page.getByLabel('Type').selectOption('company')
    await page.getByLabel('Nom de l’organisation').fill('Boulangerie Hansi')
    await page.getByLabel('Nom de la personne').fill('Paul Hansi')
    await Promise.all([page.waitForEvent('load'), page.getByRole('button', { name: 'Ajouter', exact: true }).click()])
    await expect(page.locator('.notice.ok').textContent()).resolves.toContain('Arrivée imprévue enregistrée\u00a0: Boulangerie Hansi')
    await expect(page.locator('tr[data-participant="Boulangerie Hansi"] .badge').textContent()).resolves.toBe('Arrivée imprévue')
  })

  test('a new personal link is shown to the organiser and opens the participant’s page', async () => {
    await page.goto(`${site.url}/evenements/${site.eventId}`)
    await Promise.all([
      page.waitForEvent('load'),
      page.getByRole('button', { name: 'Nouveau lien personnel pour Sport Solidaire Colmar' }).click(),
    ])
    // a new link kills the one already sent: the console asks first
    await expect(page.locator('#confirm-title').textContent()).resolves.toMatch(/^Nouveau lien personnel pour .+ \(Sport Solidaire Colmar\)\u202f\?$/)
    await Promise.all([page.waitForEvent('load'), page.getByRole('button', { name: 'Créer un nouveau lien' }).click()])
    const link = await page.locator('a[data-personal-link]').getAttribute('href')
    expect(link).toMatch(/\/p\/p_[\w-]+$/)
    const other = await browser.newPage()
    await other.goto(link!)
    await expect(other.getByText('Sport Solidaire Colmar — association').count()).resolves.toBe(1)
    await other.close()
  })

  test('English on demand: ?lang=en switches and is remembered', async () => {
    await page.goto(`${site.url}/evenements?lang=en`)
    await expect(page.locator('html').getAttribute('lang')).resolves.toBe('en')
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('My events')
    await page.goto(`${site.url}/evenements/${site.eventId}/accueil`)
    await expect(page.getByRole('button', { name: 'Re-plan the remaining rounds' }).count()).resolves.toBe(1)
    await page.goto(`${site.url}/evenements?lang=fr`)
  })

  test('another organiser’s event is not found, and without a cookie the console asks to log in', async () => {
    const context = await browser.newContext()
    const anonymous = await context.newPage()
    await anonymous.goto(`${site.url}/evenements/${site.eventId}`)
    expect(new URL(anonymous.url()).pathname).toBe('/connexion')
    await context.close()
    const response = await page.goto(`${site.url}/evenements/does-not-exist`)
    expect(response?.status()).toBe(404)
  })
  test('closing the evening asks first and can be undone: reopened, and the reopening recorded', async () => {
    const { event } = await site.call('POST', '/api/events', site.org, {
      title: 'Soirée à clore', date: '2027-04-01', rounds: 2, meetingMinutes: 7, transitionMinutes: 1, breaks: [], tables: 2, seatedSide: 'company',
    })
    for (const [kind, name] of [['association', 'Les Amis du Vieux Lavoir'], ['company', 'Imprimerie du Lavoir']] as const) {
      await site.call('POST', `/api/events/${event.id}/participants`, site.org, { organisation: { kind, name }, personName: `Contact ${name}` })
    }
    await site.call('POST', `/api/events/${event.id}/status`, site.org, { status: 'open' })
    await site.call('POST', `/api/events/${event.id}/schedule?publish=1`, site.org, {})
    await site.call('POST', `/api/events/${event.id}/status`, site.org, { status: 'live' })
    await page.goto(`${site.url}/evenements/${event.id}`)
    await Promise.all([page.waitForEvent('load'), page.getByRole('button', { name: 'Clore la soirée…' }).click()])
    // nothing is closed yet: the page says what will happen
    await expect(page.locator('#confirm-title').textContent()).resolves.toBe('Clore «\u00a0Soirée à clore\u00a0»\u202f?')
    expect((await site.call('GET', `/api/events/${event.id}`, site.org)).event.status).toBe('live')
    await Promise.all([page.waitForEvent('load'), page.getByRole('button', { name: 'Clore la soirée', exact: true }).click()])
    await expect(page.locator('.stage .notice.ok').textContent()).resolves.toBe('La soirée est close. Vous pouvez la rouvrir depuis cette page.')
    expect((await site.call('GET', `/api/events/${event.id}`, site.org)).event.status).toBe('closed')
    await Promise.all([page.waitForEvent('load'), page.getByRole('button', { name: 'Rouvrir la soirée…' }).click()])
    await Promise.all([page.waitForEvent('load'), page.getByRole('button', { name: 'Rouvrir la soirée', exact: true }).click()])
    await expect(page.locator('.stage .notice.ok').textContent()).resolves.toBe('La soirée est en cours.')
    expect((await site.call('GET', `/api/events/${event.id}`, site.org)).event.status).toBe('live')
    const audit = await site.db.selectFrom('audit_log').select('action').where('target', '=', `event:${event.id}`).execute()
    expect(audit.map((a) => a.action)).toEqual(['event-reopen'])

    // closing ratings asks too, and can be undone
    await page.goto(`${site.url}/evenements/${event.id}/suivi`)
    await Promise.all([page.waitForEvent('load'), page.getByRole('button', { name: 'Clore la notation' }).click()])
    await expect(page.locator('#confirm-title').textContent()).resolves.toBe('Clore les notes de «\u00a0Soirée à clore\u00a0»\u202f?')
    await Promise.all([page.waitForEvent('load'), page.getByRole('button', { name: 'Clore les notes' }).click()])
    expect((await site.call('GET', `/api/events/${event.id}/ratings`, site.org)).closedAt).not.toBeNull()
    await Promise.all([page.waitForEvent('load'), page.getByRole('button', { name: 'Rouvrir les notes' }).click()])
    expect((await site.call('GET', `/api/events/${event.id}/ratings`, site.org)).closedAt).toBeNull()
    await expect(page.getByRole('button', { name: 'Clore la notation' }).count()).resolves.toBe(1)
    const after = await site.db.selectFrom('audit_log').select('action').where('target', '=', `event:${event.id}`).orderBy('at').execute()
    expect(after.map((a) => a.action).sort()).toEqual(['event-reopen', 'ratings-reopen'])
  })
})
