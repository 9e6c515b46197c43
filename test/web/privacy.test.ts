/**
 * Personal data on a 360 x 740 phone, in Chromium: the first-visit notice and
 * the research-use choice made with the keyboard, the footer's links to the
 * network's privacy notice and to the accessibility statement, which fit the
 * screen; download and erase from "my data".
 */
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { hasChromium, launchChromium, startSite, type Site } from './site.ts'

const phone = { viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 }

describe.skipIf(!hasChromium)('personal data on a phone in Chromium', () => {
  let site: Site
  let browser: Browser
  let page: Page
  let secret: string

  beforeAll(async () => {
    site = await startSite()
    browser = await launchChromium()
    page = await (await browser.newContext(phone)).newPage()
    page.setDefaultTimeout(8000)
    secret = site.secrets.get('Entraide Neudorf')!
  })

  afterAll(async () => {
    await browser?.close()
    await site?.close()
  })

  const fits = async () => expect(page.evaluate('document.documentElement.scrollWidth')).resolves.toBeLessThanOrEqual(360)

  test('first visit: how contacts are revealed, and a yes/no on research use chosen with the keyboard', async () => {
    await page.goto(`${site.url}/p/${secret}`)
    const notice = page.locator('#consentement')
    await expect(notice.getByRole('heading', { name: 'Avant de commencer' }).count()).resolves.toBe(1)
    await expect(notice.textContent()).resolves.toContain('si vous le souhaitez tous les deux')
    await notice.getByLabel('Non, je refuse').focus()
    await page.keyboard.press('Space')
    await page.keyboard.press('Tab')
    await page.keyboard.press('Enter')
    await page.waitForURL(/saved=consent/)
    await expect(page.locator('#consentement').count()).resolves.toBe(0)
    await expect(page.locator('#mes-donnees').textContent()).resolves.toContain('Vous avez refusé')
    await fits()
  })

  test('the footer leads to the network’s notice and to the accessibility statement, both readable on the phone', async () => {
    await page.goto(`${site.url}/p/${secret}`)
    await page.getByRole('contentinfo').getByRole('link', { name: 'Données personnelles' }).tap()
    await page.waitForURL(/\/confidentialite$/)
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toMatch(/^Vos données personnelles — /)
    await fits()
    await page.getByRole('contentinfo').getByRole('link', { name: /^Accessibilité/ }).tap()
    await page.waitForURL(/\/accessibilite$/)
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Déclaration d’accessibilité')
    await fits()
    await page.goto(`${site.url}/accessibilite?lang=en`)
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Accessibility statement')
    await page.goto(`${site.url}/accessibilite?lang=fr`)
  })

  test('my data: download, then erase after confirming; the link is dead', async () => {
    await page.goto(`${site.url}/p/${secret}`)
    const mine = page.locator('#mes-donnees')
    const [download] = await Promise.all([page.waitForEvent('download'), mine.getByRole('link', { name: 'Télécharger mes données (JSON)' }).tap()])
    expect(download.suggestedFilename()).toBe('mes-donnees.json')
    await mine.getByText('Effacer mes données', { exact: true }).tap()
    await mine.getByRole('button', { name: 'Je comprends, effacer mes données' }).tap()
    await page.waitForURL(/\/effacer$/)
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Vos données ont été effacées')
    const again = await page.goto(`${site.url}/p/${secret}`)
    expect(again?.status()).toBe(404)
  })
})
