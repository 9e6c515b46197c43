/**
 * After the evening, in Chromium: the organiser sees the ratings progress,
 * accepts a proposal and moves its partnership across the pipeline board;
 * the lab reads the funnel (checked against counts made here) and the charts.
 */
import type { Browser, Locator, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { hasChromium, launchChromium, logIn, startSite, type Site } from './site.ts'

if (!hasChromium) console.warn(`Browser tests skipped: no chromium binary at ${process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'} (set CHROMIUM_PATH)`)

/** Clicks a submit button and waits for the page it leads to (often the same URL). */
async function submit(page: Page, button: Locator): Promise<void> {
  await Promise.all([page.waitForEvent('load'), button.click()])
}

describe.skipIf(!hasChromium)('follow-up board and lab dashboard in Chromium', () => {
  let site: Site
  let browser: Browser
  let page: Page
  let mutual = 0
  let held = 0

  beforeAll(async () => {
    site = await startSite()
    await site.call('POST', `/api/events/${site.eventId}/schedule?publish=1`, site.org, {})
    await site.call('POST', `/api/events/${site.eventId}/status`, site.org, { status: 'scheduled' })
    await site.call('POST', `/api/events/${site.eventId}/status`, site.org, { status: 'live' })
    // the room screen has reached the last round: every meeting may be rated (not before, issue 10)
    await site.db.insertInto('room_states').values({ event_id: site.eventId, round: 10, on_break: 0, running_since: null, elapsed_ms: 0, updated_at: new Date().toISOString() }).execute()
    // Both sides rate every meeting; both want a follow-up when (round + table) is a multiple of 3.
    for (const secret of site.secrets.values()) {
      const { meetings } = await site.call('GET', '/api/me/meetings', secret)
      for (const m of meetings as { id: string; round: number; table: number }[]) {
        const wants = (m.round + m.table) % 3 === 0
        await site.call('PUT', `/api/me/meetings/${m.id}/rating`, secret, { tookPlace: true, interest: wants ? 5 : 2, followUp: wants, kinds: [] })
      }
    }
    const { meetings } = await site.call('GET', `/api/events/${site.eventId}/schedules/1`, site.org)
    held = meetings.length
    mutual = (meetings as { round: number; table: number }[]).filter((m) => (m.round + m.table) % 3 === 0).length
    await site.call('POST', `/api/events/${site.eventId}/proposals`, site.org, {})
    browser = await launchChromium()
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } })
    page.setDefaultTimeout(8000)
  })

  afterAll(async () => {
    await browser?.close()
    await site?.close()
  })

  test('organiser: ratings progress, accept a proposal, track it and move it across the board', async () => {
    await logIn(site, page, site.org)
    await page.waitForURL(`${site.url}/evenements`)
    await page.goto(`${site.url}/evenements/${site.eventId}/suivi`)
    await expect(page.getByText(`${held * 2} évaluations reçues sur ${held * 2} attendues (100 %)`).count()).resolves.toBe(1)
    await submit(page, page.getByRole('button', { name: 'Accepter' }).first())
    await submit(page, page.getByRole('button', { name: 'Suivre comme partenariat' }).first())
    expect(new URL(page.url()).pathname).toBe(`/evenements/${site.eventId}/suivi`)
    await expect(page.locator('[data-column=proposed] li').count()).resolves.toBe(1)
    for (const [status, label] of [['contacted', 'Contacté'], ['in_discussion', 'En discussion'], ['agreement', 'Accord']] as const) {
      const card = page.locator('.board li').first()
      await card.getByLabel('Passer à').selectOption(status)
      await submit(page, card.getByRole('button', { name: 'Enregistrer' }))
      expect(new URL(page.url()).pathname).toBe(`/evenements/${site.eventId}/suivi`)
      await expect(page.locator(`[data-column=${status}] li`).count()).resolves.toBe(1)
      await expect(page.locator(`[data-column=${status}] h3`).textContent()).resolves.toContain(label)
    }
  })

  test('organiser: a paper slip is typed in by its meeting code', async () => {
    const { meetings } = await site.call('GET', `/api/events/${site.eventId}/schedules/1`, site.org)
    // a meeting nobody wanted to follow up: the lab's figures below stay as counted
    const code = (meetings as { shortCode: string; round: number; table: number }[]).find((m) => (m.round + m.table) % 3 !== 0)!.shortCode
    await page.goto(`${site.url}/evenements/${site.eventId}/suivi`)
    await page.getByLabel('Code de la rencontre').fill(code.toLowerCase())
    await page.getByLabel('Bulletin rempli par').selectOption('company')
    const slip = page.locator('form.slip')
    await slip.locator('label', { hasText: /^3$/ }).click()
    await slip.locator('fieldset', { hasText: 'Souhaitez-vous une suite' }).locator('label', { hasText: 'Non' }).click()
    await submit(page, page.getByRole('button', { name: 'Enregistrer le bulletin' }))
    await expect(page.locator('.notice.ok').textContent()).resolves.toBe('Bulletin enregistré.')
    const { ratings } = await site.call('GET', `/api/events/${site.eventId}/ratings`, site.org)
    const typed = (ratings as { source: string; interest: number; followUp: boolean }[]).filter((r) => r.source === 'slip')
    expect(typed).toMatchObject([{ interest: 3, followUp: false }])
  })

  test('lab: the funnel matches the counts made here, drawn as an SVG chart, with export links', async () => {
    const lab = await browser.newPage({ viewport: { width: 1280, height: 900 } })
    await logIn(site, lab, site.lab)
    await lab.waitForURL(`${site.url}/labo`)
    const rows = await lab.locator('table[data-funnel] tbody tr').evaluateAll((trs) =>
      trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => (td.textContent ?? '').trim())),
    )
    const count = (label: string) => Number(rows.find((r) => r[0] === label)?.[1])
    // every event the lab sees: the Strasbourg evening (20) and the empty one
    expect(count('inscrits')).toBe(site.secrets.size)
    expect(count('rencontres tenues')).toBe(held)
    expect(count('notées')).toBe(held)
    expect(count('intérêt réciproque')).toBe(mutual)
    expect(count('accord')).toBe(1)
    await expect(lab.locator('figure[data-chart=funnel] svg rect').count()).resolves.toBe(rows.length)
    await expect(lab.locator('figure[data-chart=by-decile] svg').count()).resolves.toBe(1)
    await expect(lab.locator('figure[data-chart=by-event] svg').count()).resolves.toBe(1)
    // one event at a time: the empty one has nobody registered
    await lab.getByLabel('Événement', { exact: true }).selectOption({ label: 'Forum partenaires de Mulhouse (jeudi 21 janvier 2027)' })
    await submit(lab, lab.getByRole('button', { name: 'Afficher' }))
    await expect(lab.locator('#funnel-heading').textContent()).resolves.toBe('Entonnoir de conversion — Forum partenaires de Mulhouse')
    await expect(lab.locator('table[data-funnel] tbody tr').first().locator('td').nth(1).textContent()).resolves.toBe('0')
    // the CSV export downloads through the page with the lab's cookie
    await lab.getByLabel(/^Clé de pseudonymisation stable/).fill('cle-secrete-2026')
    const [download] = await Promise.all([lab.waitForEvent('download'), lab.getByRole('button', { name: 'Données par paire (CSV)' }).click()])
    expect(download.suggestedFilename()).toBe('paires.csv')
    await lab.close()
  })
})
