/**
 * The door and the board in Chromium (issue 10):
 * - the door volunteer, on a phone: 20 marks by clicking, the counters follow,
 *   the page never reloads nor jumps (scrollY unchanged, focus kept on the button),
 *   the counters stay in view; search as you type ignores case and accents;
 *   without JavaScript the form posts and comes back to the row's anchor;
 * - the organiser at 1366 x 768: the 7 columns of the board in view, and
 *   « Abandonné » asks for the reason, then works.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { hasChromium, launchChromium, logIn, startSite, type Site } from './site.ts'

if (!hasChromium) console.warn(`Browser tests skipped: no chromium binary at ${process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'} (set CHROMIUM_PATH)`)

const phone = { viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 }

describe.skipIf(!hasChromium)('the door and the board in Chromium', () => {
  let site: Site
  let browser: Browser
  let doorToken: string
  const contexts: BrowserContext[] = []

  async function signedIn(token: string, options: Parameters<Browser['newContext']>[0]): Promise<Page> {
    const ctx = await browser.newContext(options)
    contexts.push(ctx)
    const page = await ctx.newPage()
    page.setDefaultTimeout(8000)
    await logIn(site, page, token)
    return page
  }

  async function dbCounts() {
    const rows = await site.db.selectFrom('registrations').select('attendance').where('event_id', '=', site.eventId).execute()
    const n = (a: string) => rows.filter((r) => r.attendance === a).length
    return { present: n('present'), absent: n('absent'), walkin: n('walk-in'), registered: n('registered'), expected: rows.length - n('walk-in') }
  }

  async function uiCounts(page: Page) {
    return page.evaluate(() => {
      const doc = (globalThis as any).document
      const read = (name: string) => Number(doc.querySelector(`[data-count="${name}"]`).textContent)
      return { present: read('present'), absent: read('absent'), walkin: read('walkin'), registered: read('registered'), expected: read('expected') }
    })
  }

  beforeAll(async () => {
    site = await startSite()
    await site.call('POST', `/api/events/${site.eventId}/schedule?publish=1`, site.org, {})
    await site.call('POST', `/api/events/${site.eventId}/status`, site.org, { status: 'scheduled' })
    await site.call('POST', `/api/events/${site.eventId}/status`, site.org, { status: 'live' })
    doorToken = (await site.call('POST', '/api/network/tokens', site.admin, { role: 'accueil', label: 'Martine, à l’accueil', eventId: site.eventId })).token
    browser = await launchChromium()
  })

  afterAll(async () => {
    for (const ctx of contexts) await ctx.close().catch(() => undefined)
    await browser?.close()
    await site?.close()
  })

  test('the door volunteer on a phone: 20 marks by clicking, the counters follow, the page neither reloads nor jumps', async () => {
    const page = await signedIn(doorToken, phone)
    expect(new URL(page.url()).pathname).toBe(`/evenements/${site.eventId}/accueil`)
    await expect(page.evaluate('document.documentElement.scrollWidth')).resolves.toBeLessThanOrEqual(360)
    expect(await uiCounts(page)).toEqual(await dbCounts())
    // a marker that a reload would wipe
    await page.evaluate('window.__noReload = true')
    const rows = page.locator('tr[data-search]')
    expect(await rows.count()).toBe(20)
    const states = ['Présent', 'Absent', 'Arrivée imprévue'] as const
    for (let i = 0; i < 20; i++) {
      // from the bottom of the list up, so that most marks happen far down the page
      const row = rows.nth(19 - i)
      const button = row.getByRole('button', { name: states[i % 3]!, exact: true })
      // in the middle of the screen, clear of the sticky counters (else the click itself scrolls)
      await button.evaluate((b) => b.scrollIntoView({ block: 'center' }))
      const before = await page.evaluate('window.scrollY')
      const name = (await row.getAttribute('data-participant'))!
      await button.click()
      await expect.poll(() => button.getAttribute('aria-pressed')).toBe('true')
      // announced in words through the live region, with the organisation's name
      await expect.poll(() => page.locator('#door-live').textContent()).toContain(name)
      expect(await page.evaluate('window.scrollY'), `mark ${i + 1}`).toBe(before)
      // focus stays on the button just pressed
      expect(await button.evaluate((b) => b === (globalThis as any).document.activeElement), `focus after mark ${i + 1}`).toBe(true)
      await expect.poll(async () => JSON.stringify(await uiCounts(page))).toBe(JSON.stringify(await dbCounts()))
    }
    expect(await page.evaluate('window.__noReload')).toBe(true)
    const counts = await dbCounts()
    expect(counts).toEqual({ present: 7, absent: 7, walkin: 6, registered: 0, expected: 14 })
    expect(await uiCounts(page)).toEqual(counts)
    // the counters stay in view at the bottom of the list
    await rows.nth(19).scrollIntoViewIfNeeded()
    await page.evaluate('window.scrollTo(0, document.body.scrollHeight)')
    const top = await page.locator('[data-door]').evaluate((el) => el.getBoundingClientRect().top)
    expect(await page.evaluate('window.scrollY')).toBeGreaterThan(300)
    expect(top).toBeGreaterThanOrEqual(0)
    expect(top).toBeLessThan(5)
  })

  test('search as you type filters by organisation or person, ignoring case and accents', async () => {
    const page = await signedIn(doorToken, phone)
    const search = page.getByLabel('Rechercher')
    const visible = () => page.locator('tr[data-search]:visible').count()
    await search.pressSequentially('etoile')
    await expect.poll(visible).toBe(1)
    await expect(page.locator('tr[data-search]:visible').textContent()).resolves.toContain('Hôtel-Restaurant À l\'Étoile d\'Obernai')
    await search.fill('')
    await search.pressSequentially('CLAIRE')
    await expect.poll(visible).toBe(3)
    await expect(page.locator('#door-shown').textContent()).resolves.toBe('3 sur 20')
    await search.fill('haguenau')
    await search.dispatchEvent('input')
    await expect.poll(visible).toBe(2)
    await search.fill('zzz')
    await search.dispatchEvent('input')
    await expect.poll(visible).toBe(0)
    await expect(page.getByText('Personne ne correspond à cette recherche.').isVisible()).resolves.toBe(true)
    await search.fill('')
    await search.dispatchEvent('input')
    await expect.poll(visible).toBe(20)
    // a mark the API refuses (a tampered value) is said in full, in the live region, and changes nothing
    const row = page.locator('tr[data-search]').first()
    const id = (await row.getAttribute('id'))!.slice(2)
    const before = (await site.db.selectFrom('registrations').select('attendance').where('id', '=', id).executeTakeFirstOrThrow()).attendance
    await row.locator('button[value=absent]').evaluate((b: any) => (b.value = 'parti'))
    await row.locator('button[value=parti]').click()
    await expect.poll(() => page.locator('#door-live.bad').count()).toBe(1)
    await expect.poll(() => page.locator('#door-live').textContent()).toMatch(/attendance/)
    expect((await site.db.selectFrom('registrations').select('attendance').where('id', '=', id).executeTakeFirstOrThrow()).attendance).toBe(before)
  })

  test('without JavaScript: ?q= filters, and a mark posts and comes back to the row', async () => {
    const page = await signedIn(doorToken, { ...phone, javaScriptEnabled: false })
    await page.goto(`${site.url}/evenements/${site.eventId}/accueil?q=elise`)
    await expect(page.locator('tr[data-search]:visible').count()).resolves.toBe(1)
    const row = page.locator('tr[data-search]:visible')
    const id = (await row.getAttribute('id'))!
    await Promise.all([page.waitForEvent('load'), row.getByRole('button', { name: 'Présent', exact: true }).click()])
    const url = new URL(page.url())
    expect(url.hash).toBe(`#${id}`)
    expect(url.searchParams.get('q')).toBe('elise')
    await expect(page.locator('.notice.ok').textContent()).resolves.toContain('Repair Café Krutenau (Élise Laugel)\u00a0: Présent')
    await expect(page.locator(`#${id} button[aria-pressed=true]`).textContent()).resolves.toBe('Présent')
  })

  test('the board at 1366 x 768: the 7 columns in view, « Abandonné » asks for the reason and works', async () => {
    const regs = (await site.call('GET', `/api/events/${site.eventId}/participants`, site.org)).participants as { id: string; organisation: { kind: string; name: string } }[]
    const a = regs.find((r) => r.organisation.kind === 'association')!
    const c = regs.find((r) => r.organisation.kind === 'company')!
    await site.call('POST', `/api/events/${site.eventId}/partnerships`, site.org, { associationRegistrationId: a.id, companyRegistrationId: c.id })
    const page = await signedIn(site.org, { viewport: { width: 1366, height: 768 } })
    await page.goto(`${site.url}/evenements/${site.eventId}/suivi`)
    const columns = page.locator('.board [data-column]')
    expect(await columns.count()).toBe(7)
    for (let i = 0; i < 7; i++) {
      const box = (await columns.nth(i).boundingBox())!
      expect(box.x, `column ${i + 1}`).toBeGreaterThanOrEqual(0)
      expect(box.x + box.width, `column ${i + 1}`).toBeLessThanOrEqual(1366)
    }
    await expect(page.evaluate('document.documentElement.scrollWidth')).resolves.toBeLessThanOrEqual(1366)
    const card = page.locator('[data-column=proposed] li').first()
    const reason = card.getByLabel('Raison de l’abandon')
    // the reason shows for « Abandonné » only, and is required then
    await expect(reason.isVisible()).resolves.toBe(false)
    await card.getByLabel('Passer à').selectOption('abandoned')
    await expect(reason.isVisible()).resolves.toBe(true)
    await card.getByRole('button', { name: 'Enregistrer' }).click()
    await expect(reason.evaluate((el: any) => el.validity.valueMissing)).resolves.toBe(true)
    expect(new URL(page.url()).pathname).toBe(`/evenements/${site.eventId}/suivi`)
    await reason.fill('pas de budget cette année')
    await Promise.all([page.waitForEvent('load'), card.getByRole('button', { name: 'Enregistrer' }).click()])
    await expect(page.locator('[data-column=abandoned] li').count()).resolves.toBe(1)
    await expect(page.locator('[data-column=abandoned] li').textContent()).resolves.toContain('pas de budget cette année')
    await expect(page.locator('.notice.bad').count()).resolves.toBe(0)
    const stored = await site.db.selectFrom('partnerships').select(['status', 'abandon_reason']).where('event_id', '=', site.eventId).executeTakeFirstOrThrow()
    expect(stored).toEqual({ status: 'abandoned', abandon_reason: 'pas de budget cette année' })
  })
})
