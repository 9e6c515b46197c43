/**
 * The participant's personal link on a 360 x 740 phone: the schedule with the
 * current table highlighted, rating meetings in a few taps, a mutual match
 * revealed with contacts (and only a mutual one), wishes before the evening.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { hasChromium, launchChromium, startSite, type Site } from './site.ts'

if (!hasChromium) console.warn(`Browser tests skipped: no chromium binary at ${process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'} (set CHROMIUM_PATH)`)

const phone = { viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 }

describe.skipIf(!hasChromium)('participant page on a phone in Chromium', () => {
  let site: Site
  let browser: Browser
  let context: BrowserContext
  let page: Page
  let secret: string
  let meetings: { id: string; round: number; table: number; with: { organisation: string } }[]

  beforeAll(async () => {
    site = await startSite()
    browser = await launchChromium()
    context = await browser.newContext(phone)
    page = await context.newPage()
    page.setDefaultTimeout(8000)
    secret = site.secrets.get('Les Jardins de la Montagne Verte')!
  })

  afterAll(async () => {
    await browser?.close()
    await site?.close()
  })

  test('before the evening: profile and wishes, saved through the personal link', async () => {
    await page.goto(`${site.url}/p/${secret}`)
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Bonjour Vincent Dubois')
    await expect(page.getByText('Le programme n’est pas encore publié.').count()).resolves.toBe(1)
    const select = page.getByLabel('Numérique Rhénan SAS')
    await select.selectOption('like')
    await page.getByRole('button', { name: 'Enregistrer mes vœux' }).click()
    await page.waitForURL(/saved=wishes/)
    await expect(page.getByLabel('Numérique Rhénan SAS').inputValue()).resolves.toBe('like')
    // the 'must' wish set by the organiser from the example is shown too
    await expect(page.getByLabel('Alsace Énergies Vertes').inputValue()).resolves.toBe('must')
    await expect(page.evaluate('document.documentElement.scrollWidth')).resolves.toBeLessThanOrEqual(360)
  })

  test('before the evening: the profile is edited on the phone, checkboxes with French labels', async () => {
    await page.goto(`${site.url}/p/${secret}`)
    await page.getByText('Modifier mon profil').tap()
    const form = page.locator('[data-profile-form]')
    await form.getByLabel('Présentation de la structure (facultatif)').fill('Jardins partagés, maraîchage bio et chantier d’insertion.')
    const needs = form.locator('fieldset', { has: page.locator('legend', { hasText: 'Ce que nous cherchons' }) })
    await expect(needs.getByLabel('Compétences en gestion', { exact: false }).isChecked()).resolves.toBe(true)
    const box = await needs.locator('label').first().boundingBox()
    expect(box!.height).toBeGreaterThanOrEqual(44)
    await needs.locator('input[value="dons-materiel"]').check()
    await form.getByLabel('Votre e-mail').fill('vincent@jardins-mv.example')
    await expect(page.evaluate('document.documentElement.scrollWidth')).resolves.toBeLessThanOrEqual(360)
    await Promise.all([page.waitForURL(/saved=profile/), form.getByRole('button', { name: 'Enregistrer mon profil' }).tap()])
    await expect(page.getByText('Votre profil est enregistré.').count()).resolves.toBe(1)
    await expect(page.locator('#profil dl').textContent()).resolves.toMatch(/Dons? de matériel/i)
    const { profile } = await site.call('GET', '/api/me/profile', secret)
    expect(profile.organisation.needs).toEqual(['competences-gestion', 'competences-rh', 'dons-materiel'])
    expect(profile.organisation.description).toBe('Jardins partagés, maraîchage bio et chantier d’insertion.')
    expect(profile.organisation.name).toBe('Les Jardins de la Montagne Verte')
    expect(profile.personEmail).toBe('vincent@jardins-mv.example')
  })

  test('on the night: my schedule with the current table highlighted', async () => {
    await site.call('POST', `/api/events/${site.eventId}/schedule?publish=1`, site.org, {})
    await site.call('POST', `/api/events/${site.eventId}/status`, site.org, { status: 'scheduled' })
    await site.call('POST', `/api/events/${site.eventId}/status`, site.org, { status: 'live' })
    meetings = (await site.call('GET', '/api/me/meetings', secret)).meetings
    expect(meetings.length).toBe(10)
    const now = new Date().toISOString()
    await site.db
      .insertInto('room_states')
      .values({ event_id: site.eventId, round: 2, on_break: 0, running_since: now, elapsed_ms: 0, updated_at: now })
      .execute()
    await page.goto(`${site.url}/p/${secret}`)
    // live: the profile is read-only
    await expect(page.locator('[data-profile-form]').count()).resolves.toBe(0)
    await expect(page.locator('[data-schedule] li').count()).resolves.toBe(10)
    const current = page.locator('[data-schedule] li.current')
    await expect(current.count()).resolves.toBe(1)
    const round2 = meetings.find((m) => m.round === 2)!
    await expect(current.textContent()).resolves.toContain(`table ${round2.table}`)
    await expect(current.textContent()).resolves.toContain(round2.with.organisation)

    // the room moves on; the open page follows when the phone comes back to it
    await site.db.updateTable('room_states').set({ round: 3 }).where('event_id', '=', site.eventId).execute()
    await page.evaluate("document.dispatchEvent(new Event('visibilitychange'))")
    await page.waitForSelector('[data-schedule] li.current[data-round="3"]')
    await expect(page.locator('[data-schedule] li.current').count()).resolves.toBe(1)
    await expect(page.locator('[data-schedule] li.current .badge').textContent()).resolves.toContain('maintenant')
  })

  test('rating a meeting takes a few taps with big targets, then goes straight to the next one', async () => {
    // the room has reached the last round: every meeting may be rated (not before, issue 10)
    await site.db.updateTable('room_states').set({ round: 10 }).where('event_id', '=', site.eventId).execute()
    await page.goto(`${site.url}/p/${secret}`)
    await page.locator('[data-rate-list] li').first().getByRole('link', { name: 'Noter' }).click()
    await page.waitForURL(/\/rencontres\//)
    // every choice is at least 44 px high: a thumb hits it
    const heights = await page.locator('.choices span').evaluateAll((els) => els.map((e) => e.getBoundingClientRect().height))
    expect(Math.min(...heights)).toBeGreaterThanOrEqual(44)
    const started = Date.now()
    await page.locator('label', { hasText: /^5$/ }).tap()
    await page.locator('fieldset', { hasText: 'Souhaitez-vous une suite' }).locator('label', { hasText: 'Oui' }).tap()
    await page.getByRole('button', { name: 'Enregistrer' }).tap()
    await page.waitForURL((u) => u.pathname.endsWith(meetings.find((m) => m.round === 2)!.id))
    const tookMs = Date.now() - started
    expect(tookMs).toBeLessThan(3000)
    // the next meeting, not yet rated
    await expect(page.getByText('Rencontre 2 sur 10').count()).resolves.toBe(1)

    // the second one did not take place: the other questions disappear
    await page.locator('fieldset', { hasText: 'La rencontre a-t-elle eu lieu' }).locator('label', { hasText: 'Non' }).tap()
    await expect(page.locator('[data-when-held]').isHidden()).resolves.toBe(true)
    await page.getByRole('button', { name: 'Enregistrer' }).tap()
    await page.waitForURL((u) => u.pathname.endsWith(meetings.find((m) => m.round === 3)!.id))
    await expect(page.getByText('Rencontre 3 sur 10').count()).resolves.toBe(1)
    await expect(page.evaluate('document.documentElement.scrollWidth')).resolves.toBeLessThanOrEqual(360)

    const mine = (await site.call('GET', '/api/me/meetings', secret)).meetings as { id: string; rating: any }[]
    const first = mine.find((m) => m.id === meetings.find((x) => x.round === 1)!.id)!
    expect(first.rating).toMatchObject({ tookPlace: true, interest: 5, followUp: true })
    const second = mine.find((m) => m.id === meetings.find((x) => x.round === 2)!.id)!
    expect(second.rating).toMatchObject({ tookPlace: false, interest: null })
  })

  test('an incomplete rating is refused with the missing field named, nothing saved', async () => {
    const third = meetings.find((m) => m.round === 3)!
    await page.goto(`${site.url}/p/${secret}/rencontres/${third.id}`)
    await page.getByRole('button', { name: 'Enregistrer' }).tap()
    await expect(page.locator('.notice.bad').textContent()).resolves.toMatch(/interest/)
    const mine = (await site.call('GET', '/api/me/meetings', secret)).meetings as { id: string; rating: any }[]
    expect(mine.find((m) => m.id === third.id)!.rating).toBeNull()
  })

  test('a mutual interest is revealed with the contact; a one-sided one is not', async () => {
    const first = meetings.find((m) => m.round === 1)!
    const other = site.secrets.get(first.with.organisation)!
    await page.goto(`${site.url}/p/${secret}`)
    await expect(page.locator('[data-matches]').count()).resolves.toBe(0)

    // the other side says yes too, on its own phone
    const theirs = await context.newPage()
    await theirs.goto(`${site.url}/p/${other}/rencontres/${first.id}`)
    await theirs.locator('label', { hasText: /^4$/ }).tap()
    await theirs.locator('fieldset', { hasText: 'Souhaitez-vous une suite' }).locator('label', { hasText: 'Oui' }).tap()
    await theirs.getByRole('button', { name: 'Enregistrer' }).tap()
    await theirs.waitForURL(/saved/)
    await theirs.close()

    await page.goto(`${site.url}/p/${secret}`)
    const match = page.locator('[data-matches] li')
    await expect(match.count()).resolves.toBe(1)
    await expect(match.textContent()).resolves.toContain(first.with.organisation)
    await expect(match.locator('a[href^="mailto:"]').count()).resolves.toBe(1)
  })

  test('check-in questions on a follow-up name the partner and take one tap', async () => {
    const first = meetings.find((m) => m.round === 1)!
    const { partnership } = await site.call('POST', `/api/events/${site.eventId}/partnerships`, site.org, { meetingId: first.id })
    await site.db.updateTable('checkins').set({ due_on: '2026-01-01' }).where('partnership_id', '=', partnership.id).where('milestone', '=', '2w').execute()
    await page.goto(`${site.url}/p/${secret}`)
    const form = page.locator('#suivis form')
    await expect(form.count()).resolves.toBe(1)
    await expect(form.locator('legend').textContent()).resolves.toBe(`Où en êtes-vous avec ${first.with.organisation}\u202f?`)
    await form.locator('label', { hasText: 'en cours' }).tap()
    await Promise.all([page.waitForEvent('load'), form.getByRole('button', { name: 'Répondre' }).tap()])
    await expect(page.getByText('Merci pour votre réponse.').count()).resolves.toBe(1)
    await expect(page.locator('#suivis form').count()).resolves.toBe(0)
    const { checkins } = await site.call('GET', '/api/me/checkins', secret)
    expect(checkins.find((k: { milestone: string }) => k.milestone === '2w')).toMatchObject({ evolution: 'in-progress' })
  })

  test('keyboard only: skip link, visible focus on the choices, arrows choose, Enter saves', async () => {
    const desk = await browser.newPage({ viewport: { width: 1024, height: 768 } })
    const fourth = meetings.find((m) => m.round === 4)!
    await desk.goto(`${site.url}/p/${secret}/rencontres/${fourth.id}`)
    await desk.keyboard.press('Tab')
    await expect(desk.evaluate('document.activeElement.textContent')).resolves.toBe('Aller au contenu')
    const skip = await desk.locator('a.skip').boundingBox()
    expect(skip!.x).toBeGreaterThanOrEqual(0)
    await desk.locator('input[name=interest][value="1"]').focus()
    const ring = await desk.locator('input[name=interest][value="1"] + span').evaluate((el) => (globalThis as any).getComputedStyle(el).boxShadow)
    expect(ring).not.toBe('none')
    for (let i = 0; i < 3; i++) await desk.keyboard.press('ArrowRight')
    await desk.locator('input[name=followUp][value=yes]').focus()
    await desk.keyboard.press('Space')
    await Promise.all([desk.waitForEvent('load'), desk.keyboard.press('Enter')])
    const mine = (await site.call('GET', '/api/me/meetings', secret)).meetings as { id: string; rating: any }[]
    expect(mine.find((m) => m.id === fourth.id)!.rating).toMatchObject({ tookPlace: true, interest: 4, followUp: true })
    await desk.close()
  })

  test('an unknown personal link answers 404 and the page is never cached nor leaked as referrer', async () => {
    const response = await page.goto(`${site.url}/p/p_notavalidsecret`)
    expect(response?.status()).toBe(404)
    const ok = await page.goto(`${site.url}/p/${secret}`)
    expect(ok?.headers()['referrer-policy']).toBe('same-origin')
    expect(ok?.headers()['cache-control']).toBe('no-store')
  })
})
