/**
 * The pages under their Content Security Policy in Chromium: logging in
 * through the form (the browser sends its Origin: the origin check lets it
 * pass), then every kind of page, with no CSP violation and no script error.
 */
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { hasChromium, launchChromium, startSite, type Site } from './site.ts'

describe.skipIf(!hasChromium)('pages under their Content Security Policy in Chromium', () => {
  let site: Site
  let browser: Browser

  beforeAll(async () => {
    site = await startSite()
    await site.call('POST', `/api/events/${site.eventId}/schedule?publish=1`, site.org, {})
    browser = await launchChromium()
  })

  afterAll(async () => {
    await browser?.close()
    await site?.close()
  })

  test('no violation, no script error, scripts run', async () => {
    const context = await browser.newContext()
    const page = await context.newPage()
    page.setDefaultTimeout(8000)
    const problems: string[] = []
    page.on('console', (msg) => {
      if ((msg.type() === 'error' && !/^Failed to load resource/.test(msg.text())) || /Content Security Policy/i.test(msg.text())) problems.push(`${page.url()}: ${msg.text()}`)
    })
    page.on('pageerror', (err) => problems.push(`${page.url()}: ${err.message}`))
    // failed loads are reported by URL below (the browser asks for /favicon.ico, which there is not)
    page.on('response', (res) => {
      if (res.status() >= 400 && !res.url().endsWith('/favicon.ico')) problems.push(`${res.url()}: ${res.status()}`)
    })

    await page.goto(`${site.url}/connexion`)
    await page.fill('#token', site.org)
    await Promise.all([page.waitForURL(/\/evenements$/), page.click('button[type=submit]')])
    const e = `/evenements/${site.eventId}`
    for (const path of ['/evenements', e, `${e}/voeux`, `${e}/rotation`, `${e}/impression`, `${e}/accueil`, `${e}/suivi`]) {
      const res = await page.goto(`${site.url}${path}`)
      expect(res?.status(), path).toBe(200)
      expect(res?.headers()['content-security-policy'], path).toContain("script-src 'self'")
    }
    // layout helpers replace style attributes: a number field keeps its narrow width
    await page.goto(`${site.url}/evenements`)
    expect(await page.$eval('#ev-rounds', (el) => (globalThis as any).getComputedStyle(el).maxWidth as string)).toBe('128px')
    expect(await page.$eval('#ev-seated', (el) => (globalThis as any).getComputedStyle(el).maxWidth as string)).toBe('256px')
    // the room screen's script reads its JSON block and draws the clock
    await page.goto(`${site.url}${e}/salle`)
    await page.waitForSelector('#room-next li, #room-now li')
    // a participant's page and its script
    const secret = [...site.secrets.values()][0]!
    await page.goto(`${site.url}/p/${secret}`)
    // the lab dashboard
    await context.addCookies([{ name: 'lab_token', value: site.lab, url: site.url }])
    await page.goto(`${site.url}/labo`)
    expect(problems).toEqual([])
    await context.close()
  })
})
