/**
 * Live updates in Chromium: an open room screen and an open participant page
 * follow, without a reload and within 5 seconds, the room clock moved from
 * another screen and a re-plan published through the API (someone marked
 * absent, re-plan, publish); the participant is told « Votre programme a
 * changé ». Both pages get it from their server-sent event stream: neither
 * falls back to polling meanwhile.
 */
import type { Browser, Page, Request } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { hasChromium, launchChromium, startSite, type Site } from './site.ts'

if (!hasChromium) console.warn(`Browser tests skipped: no chromium binary at ${process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'} (set CHROMIUM_PATH)`)

const phone = { viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 }
const within = { timeout: 5000 }
const text = (s: string | null) => (s ?? '').replace(/\u00a0/g, ' ').trim()

interface RoundView {
  round: number
  meetings: { table: number; association: { registrationId: string; name: string }; company: { registrationId: string; name: string } }[]
}

describe.skipIf(!hasChromium)('live updates in Chromium', () => {
  let site: Site
  let browser: Browser
  let screen: Page
  let phonePage: Page
  /** the polling fallback's requests: none while the streams are open */
  const polls: string[] = []
  const watchPolls = (request: Request) => {
    if (request.url().includes('/flux') && !(request.headers().accept ?? '').includes('text/event-stream')) polls.push(request.url())
  }
  let association: { name: string; secret: string }
  let absent: { id: string; name: string }

  const rounds = async (): Promise<RoundView[]> => (await site.call('GET', `/api/events/${site.eventId}/schedule?view=round`, site.org)).rounds

  beforeAll(async () => {
    site = await startSite()
    await site.call('POST', `/api/events/${site.eventId}/schedule?publish=1`, site.org, {})
    await site.call('POST', `/api/events/${site.eventId}/status`, site.org, { status: 'live' })
    // the association of the phone, and the company it meets in round 2: that company will not come
    const round2 = (await rounds())[1]!.meetings
    const meeting = round2.find((m) => site.secrets.has(m.association.name))!
    association = { name: meeting.association.name, secret: site.secrets.get(meeting.association.name)! }
    absent = { id: meeting.company.registrationId, name: meeting.company.name }

    browser = await launchChromium()
    const desktop = await browser.newContext({ viewport: { width: 1920, height: 1080 } })
    await desktop.addCookies([{ name: 'org_token', value: site.org, url: site.url, httpOnly: true, sameSite: 'Strict' }])
    screen = await desktop.newPage()
    phonePage = await (await browser.newContext(phone)).newPage()
    for (const page of [screen, phonePage]) {
      page.setDefaultTimeout(8000)
      page.on('request', watchPolls)
    }
    // both streams are open before anything changes
    const streams = [screen.waitForResponse((r) => r.url().endsWith('/salle/flux')), phonePage.waitForResponse((r) => r.url().endsWith('/flux'))]
    await screen.goto(`${site.url}/evenements/${site.eventId}/salle`)
    await phonePage.goto(`${site.url}/p/${association.secret}`)
    await Promise.all(streams)
  })

  afterAll(async () => {
    // the browser first: its open streams end, so the server closes at once
    await browser?.close()
    await site?.close()
  })

  test('before the evening: the room screen shows when it starts and the clock times of round 1; the phone its times and tables', async () => {
    await expect(screen.locator('#room-round').textContent()).resolves.toBe('Avant le premier tour')
    await expect(screen.locator('#room-when').textContent().then(text)).resolves.toBe('Début à 18 h 30')
    await expect(screen.locator('#room-next-when').textContent().then(text)).resolves.toBe('Tour 1 · 18 h 30 – 18 h 37')
    const first = text(await phonePage.locator('[data-schedule] li[data-round="1"] strong').textContent())
    expect(first).toMatch(/^18 h 30 – 18 h 37, table \d+ · tour 1$/)
  })

  test('the room clock moved from another screen reaches the room screen and the phone within 5 s', async () => {
    const moved = await fetch(`${site.url}/evenements/${site.eventId}/salle/etat`, {
      method: 'POST',
      headers: { cookie: `org_token=${site.org}`, 'content-type': 'application/json', origin: site.url },
      body: '{"action":"next"}',
    })
    expect(moved.status).toBe(200)
    await screen.waitForFunction(() => (globalThis as any).document.querySelector('#room-round').textContent === 'Tour 1 sur 10', undefined, within)
    await expect(screen.locator('#room-when').textContent().then(text)).resolves.toBe('Tour 1 · 18 h 30 – 18 h 37')
    await expect(screen.locator('#room-next-when').textContent().then(text)).resolves.toBe('Tour 2 · 18 h 38 – 18 h 45')
    // the phone highlights round 1
    await phonePage.waitForFunction(() => (globalThis as any).document.querySelector('[data-schedule] li.current')?.getAttribute('data-round') === '1', undefined, within)
  })

  test('a re-plan published through the API reaches both pages within 5 s, and the phone says the programme changed', async () => {
    const before = await screen.locator('#room-next li').allTextContents()
    expect(before).toHaveLength(10)
    await expect(phonePage.locator('[data-schedule] li[data-round="2"]').textContent()).resolves.toContain(absent.name)
    await expect(phonePage.locator('[data-live-banner] .notice').count()).resolves.toBe(0)

    await site.call('POST', `/api/events/${site.eventId}/participants/${absent.id}/attendance`, site.org, { attendance: 'absent' })
    await site.call('POST', `/api/events/${site.eventId}/schedule/replan?publish=1`, site.org, { fromRound: 2 })
    const round2 = (await rounds())[1]!.meetings.slice().sort((a, b) => a.table - b.table)
    const expected = round2.map((m) => `${m.association.name} → table ${m.table}`)
    expect(expected).toHaveLength(9)

    // the room screen: who moves where in round 2, as re-planned
    await screen.waitForFunction((n) => (globalThis as any).document.querySelectorAll('#room-next li').length === n, expected.length, within)
    await expect(screen.locator('#room-next li').allTextContents()).resolves.toEqual(expected)
    await expect(screen.locator('#room-round').textContent()).resolves.toBe('Tour 1 sur 10')
    // the phone: the banner, and the new round 2 (the absent company is gone)
    await phonePage.locator('[data-live-banner] .notice').waitFor(within)
    await expect(phonePage.locator('[data-live-banner]').textContent()).resolves.toContain('Votre programme a changé')
    await expect(phonePage.locator('[data-schedule] li[data-round="2"]').textContent()).resolves.not.toContain(absent.name)
    const mine = round2.find((m) => m.association.name === association.name)
    if (mine) await expect(phonePage.locator('[data-schedule] li[data-round="2"]').textContent().then(text)).resolves.toContain(`table ${mine.table} · tour 2`)
    else await expect(phonePage.locator('[data-schedule] li[data-round="2"]').count()).resolves.toBe(0)
    // still round 1 highlighted, and no reload: the page is the one opened before
    await expect(phonePage.locator('[data-schedule] li.current').getAttribute('data-round')).resolves.toBe('1')
    expect(polls).toEqual([])
  })

  test('when the stream is cut, the pages fall back to polling and still follow', async () => {
    // polling every 2 s (room) and 3 s (phone): within 5 s on a quiet machine; some slack for a loaded CI
    const polling = { timeout: 8000 }
    // block the streams: EventSource fails, the scripts poll the same URLs for JSON
    for (const page of [screen, phonePage]) {
      await page.route(/\/flux$/, (route) => (route.request().headers().accept?.includes('text/event-stream') ? route.abort() : route.continue()))
      await page.reload()
    }
    await site.call('POST', `/api/events/${site.eventId}/participants/${absent.id}/attendance`, site.org, { attendance: 'present' })
    await site.call('POST', `/api/events/${site.eventId}/schedule/replan?publish=1`, site.org, { fromRound: 2 })
    await screen.waitForFunction(() => (globalThis as any).document.querySelectorAll('#room-next li').length === 10, undefined, polling)
    await fetch(`${site.url}/evenements/${site.eventId}/salle/etat`, {
      method: 'POST',
      headers: { cookie: `org_token=${site.org}`, 'content-type': 'application/json', origin: site.url },
      body: '{"action":"next"}',
    })
    await screen.waitForFunction(() => (globalThis as any).document.querySelector('#room-round').textContent === 'Tour 2 sur 10', undefined, polling)
    await phonePage.waitForFunction(() => (globalThis as any).document.querySelector('[data-schedule] li.current')?.getAttribute('data-round') === '2', undefined, polling)
    expect(polls.length).toBeGreaterThan(0)
  })
})
