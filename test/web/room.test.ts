/**
 * The room screen on a big screen: keyboard control, a clock kept by the
 * server through a reload and shared with a second screen, breaks, who moves
 * where next. The clock rules themselves are checked without a browser.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { applyRoomAction, roomClock } from '../../src/domain/room-clock.ts'
import { hasChromium, launchChromium, startSite, type Site } from './site.ts'

const event = { rounds: 3, breaks: JSON.stringify([{ afterRound: 1, minutes: 10 }]), meeting_minutes: 7 }
const t0 = new Date('2026-12-03T18:30:00Z')
const at = (seconds: number) => new Date(t0.getTime() + seconds * 1000)

describe('room clock rules', () => {
  test('start, pause and resume keep the elapsed time', () => {
    let row = applyRoomAction({ round: 0, on_break: 0, running_since: null, elapsed_ms: 0 }, 'toggle', event, t0)
    expect(row).toMatchObject({ round: 1, on_break: 0, elapsed_ms: 0 })
    row = applyRoomAction(row, 'toggle', event, at(90))
    expect(row).toMatchObject({ running_since: null, elapsed_ms: 90_000 })
    expect(roomClock(row, event, at(500)).elapsedMs).toBe(90_000)
    row = applyRoomAction(row, 'toggle', event, at(600))
    expect(roomClock(row, event, at(630))).toMatchObject({ elapsedMs: 120_000, running: true, durationMs: 420_000 })
  })

  test('next goes through the break after round 1, then to the end; previous comes back', () => {
    let row = applyRoomAction({ round: 1, on_break: 0, running_since: t0.toISOString(), elapsed_ms: 0 }, 'next', event, at(420))
    expect(row).toMatchObject({ round: 1, on_break: 1 })
    expect(roomClock(row, event, at(420)).durationMs).toBe(600_000)
    row = applyRoomAction(row, 'next', event, at(1020))
    expect(row).toMatchObject({ round: 2, on_break: 0, elapsed_ms: 0 })
    row = applyRoomAction(applyRoomAction(row, 'next', event, at(1500)), 'next', event, at(2000))
    expect(row).toMatchObject({ round: 4, running_since: null })
    expect(applyRoomAction(row, 'next', event, at(2100))).toEqual(row)
    row = applyRoomAction(row, 'previous', event, at(2200))
    expect(row).toMatchObject({ round: 3, running_since: null })
  })
})

if (!hasChromium) console.warn(`Browser tests skipped: no chromium binary at ${process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'} (set CHROMIUM_PATH)`)

describe.skipIf(!hasChromium)('room screen in Chromium', () => {
  let site: Site
  let browser: Browser
  let context: BrowserContext
  let screen: Page

  beforeAll(async () => {
    site = await startSite()
    await site.call('POST', `/api/events/${site.eventId}/schedule?publish=1`, site.org, {})
    browser = await launchChromium()
    context = await browser.newContext({ viewport: { width: 1920, height: 1080 } })
    await context.addCookies([{ name: 'org_token', value: site.org, url: site.url, httpOnly: true, sameSite: 'Strict' }])
    screen = await context.newPage()
    screen.setDefaultTimeout(8000)
  })

  afterAll(async () => {
    await browser?.close()
    await site?.close()
  })

  const title = (page: Page) => page.locator('#room-round').textContent()
  const seconds = async (page: Page) => {
    const [m, s] = ((await page.locator('#room-clock').textContent()) ?? '').split(':').map(Number)
    return (m ?? 0) * 60 + (s ?? 0)
  }

  test('space starts round 1; the countdown runs; N goes to the next round', async () => {
    await screen.goto(`${site.url}/evenements/${site.eventId}/salle`)
    await expect(title(screen)).resolves.toBe('Avant le premier tour')
    // who moves where for round 1 is shown before it starts
    await expect(screen.locator('#room-next li').count()).resolves.toBe(10)
    await screen.keyboard.press('Space')
    await screen.waitForFunction(() => (globalThis as any).document.querySelector('#room-round').textContent === 'Tour 1 sur 10')
    await expect(screen.locator('#room-now li').count()).resolves.toBe(10)
    const first = await seconds(screen)
    expect(first).toBeLessThanOrEqual(7 * 60)
    await screen.waitForTimeout(1300)
    expect(await seconds(screen)).toBeLessThan(first)
    await screen.keyboard.press('n')
    await screen.waitForFunction(() => (globalThis as any).document.querySelector('#room-round').textContent === 'Tour 2 sur 10')
    await expect(screen.locator('#room-next li').first().textContent()).resolves.toMatch(/→ table \d+/)
  })

  test('a reload and a second screen show the same round and time, kept by the server', async () => {
    await screen.reload()
    await screen.waitForFunction(() => (globalThis as any).document.querySelector('#room-round').textContent === 'Tour 2 sur 10')
    const second = await context.newPage()
    await second.goto(`${site.url}/evenements/${site.eventId}/salle`)
    await expect(title(second)).resolves.toBe('Tour 2 sur 10')
    expect(Math.abs((await seconds(second)) - (await seconds(screen)))).toBeLessThanOrEqual(1)
    // pause on the first screen: the second one follows within its polling interval
    await screen.keyboard.press('Space')
    await second.waitForFunction(() => (globalThis as any).document.querySelector('#room-state').textContent === 'en pause', undefined, { timeout: 5000 })
    const frozen = await seconds(second)
    await second.waitForTimeout(1200)
    expect(await seconds(second)).toBe(frozen)
    await second.close()
  })

  test('the break after round 5 is announced, with the next moves', async () => {
    for (let i = 0; i < 3; i++) await screen.keyboard.press('n')
    await screen.waitForFunction(() => (globalThis as any).document.querySelector('#room-round').textContent === 'Tour 5 sur 10')
    await screen.keyboard.press('n')
    await screen.waitForFunction(() => (globalThis as any).document.querySelector('#room-round').textContent === 'Pause')
    expect(await seconds(screen)).toBeGreaterThan(9 * 60)
    await expect(screen.locator('#room-next li').count()).resolves.toBe(10)
    await screen.keyboard.press('p')
    await screen.waitForFunction(() => (globalThis as any).document.querySelector('#room-round').textContent === 'Tour 5 sur 10')
  })

  test('without an organiser cookie the screen’s clock cannot be read or moved', async () => {
    const r = await fetch(`${site.url}/evenements/${site.eventId}/salle/etat`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"action":"next"}' })
    expect(r.status).toBe(404)
  })
})
