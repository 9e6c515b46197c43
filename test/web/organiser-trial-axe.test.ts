/**
 * axe-core in Chromium on the trial and weights panel (src/web/organiser/trial.tsx),
 * mounted beside the app as the integrator will mount it, on a desktop and a
 * phone, before and after setting a trial up and adopting weights, and with a
 * refusal shown: 0 WCAG A/AA violations. (The integrator moves these states
 * into test/web/axe.test.ts when the panel is placed on the rotation tab.)
 */
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import type { AddressInfo } from 'node:net'
import { serve, type ServerType } from '@hono/node-server'
import { Hono } from 'hono'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { createApp } from '../../src/app.ts'
import { loadExampleEvent } from '../../src/domain/seed.ts'
import { trialPages } from '../../src/web/organiser/trial.tsx'
import { createOrganiser } from '../helpers/accounts.ts'
import { freshDatabase } from '../helpers/db.ts'
import { hasChromium, launchChromium } from './site.ts'

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8')

async function violations(page: Page): Promise<string[]> {
  await page.addScriptTag({ content: axeSource })
  const result = (await page.evaluate(() =>
    (globalThis as any).axe.run((globalThis as any).document, { runOnly: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] }),
  )) as { violations: { id: string; impact: string | null; help: string; nodes: { target: unknown[] }[] }[] }
  return result.violations.map((v) => `${v.id} (${v.impact}) ${JSON.stringify(v.nodes[0]?.target)} ×${v.nodes.length}: ${v.help}`)
}

describe.skipIf(!hasChromium)('axe-core on the trial and weights panel', () => {
  let browser: Browser
  let server: ServerType
  let url = ''
  let org = ''
  let eventId = ''
  let drop: () => Promise<void> = async () => {}

  beforeAll(async () => {
    const fresh = await freshDatabase('sqlite')
    drop = fresh.drop
    const db = fresh.db
    const app = createApp({ db })
    const now = new Date().toISOString()
    const organiser = await createOrganiser(db, { name: 'Réseau Alsace Partenariats' }, now)
    org = organiser.token
    const example = JSON.parse(readFileSync(new URL('../../data/events/strasbourg-10x10.json', import.meta.url), 'utf8'))
    eventId = (await loadExampleEvent(db, organiser.organiserId, example, now, { schedule: false })).event.id
    const site = new Hono().route('/', trialPages({ db, clock: () => new Date(), api: app })).all('*', (c) => app.fetch(c.req.raw))
    server = await new Promise((resolve) => {
      const s = serve({ fetch: site.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s))
    })
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
    browser = await launchChromium()
  })

  afterAll(async () => {
    await browser?.close()
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()))
    await drop()
  })

  test.for([
    ['desktop', { viewport: { width: 1280, height: 900 } }],
    ['phone', { viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 }],
  ] as const)('%s: the panel empty, with a trial and weights, and with a refusal', async ([, options]) => {
    const ctx = await browser.newContext({ ...options, bypassCSP: true })
    await ctx.addCookies([{ name: 'org_token', value: org, url }])
    const page = await ctx.newPage()
    page.setDefaultTimeout(8000)
    const res = await page.goto(`${url}/evenements/${eventId}/essai`)
    expect(res?.status()).toBe(200)
    expect.soft(await violations(page), 'empty').toEqual([])

    await page.getByLabel('la rotation classique').check()
    await page.getByLabel('Graine (facultative').fill('essai-axe')
    await Promise.all([page.waitForEvent('load'), page.getByRole('button', { name: 'Mettre l’essai en place' }).click()])
    await expect(page.locator('[data-trial]').textContent()).resolves.toContain('essai-axe')
    expect.soft(await violations(page), 'trial set up').toEqual([])

    await page.getByLabel('Vœu «\u00a0tient à rencontrer\u00a0»').fill('9,5')
    await Promise.all([page.waitForEvent('load'), page.getByRole('button', { name: 'Adopter ces poids' }).click()])
    await expect(page.locator('[data-weights-version]').getAttribute('data-weights-version')).resolves.toMatch(/^manual-/)
    expect.soft(await violations(page), 'weights adopted').toEqual([])

    await page.getByLabel('Tailles proches').fill('beaucoup')
    await Promise.all([page.waitForEvent('load'), page.getByRole('button', { name: 'Adopter ces poids' }).click()])
    await expect(page.getByRole('alert').textContent()).resolves.toContain('Le service a répondu')
    expect.soft(await violations(page), 'refusal').toEqual([])

    await Promise.all([page.waitForEvent('load'), page.getByRole('button', { name: 'Retirer l’essai' }).click()])
    await ctx.close()
  })
})
