/**
 * Screenshots of the main pages for the README, on the example evening:
 *
 *   npx tsx test/web/screenshots.ts            # writes docs/screenshots/*.png
 *
 * Phone pages at 360 x 740, the console at 1280 wide, the room screen at 1920 x 1080.
 */
import { mkdirSync } from 'node:fs'
import type { Page } from 'playwright-core'
import { csvFile, hasChromium, launchChromium, startSite } from './site.ts'

const out = new URL('../../docs/screenshots/', import.meta.url)

async function main(): Promise<void> {
  if (!hasChromium) throw new Error('No chromium binary: set CHROMIUM_PATH')
  mkdirSync(out, { recursive: true })
  const site = await startSite()
  const browser = await launchChromium()
  try {
    const shot = async (page: Page, name: string, fullPage = false) => {
      await page.screenshot({ path: new URL(`${name}.png`, out).pathname, fullPage })
      console.log(`docs/screenshots/${name}.png`)
    }
    const desk = await browser.newContext({ viewport: { width: 1280, height: 800 } })
    await desk.addCookies([{ name: 'org_token', value: site.org, url: site.url, httpOnly: true, sameSite: 'Strict' }])
    const page = await desk.newPage()

    await page.goto(`${site.url}/evenements`)
    await shot(page, 'organiser-events')

    // CSV import: a file with errors, shown row by row before anything is written
    const lines = csvFile('inscriptions-utf8.csv').toString('utf8').split('\n')
    lines[2] = lines[2]!.replace(/^association,/, 'fondation,')
    lines[5] = lines[5]!.replace(',67400,', ',674,')
    await page.goto(`${site.url}/evenements/${site.emptyEventId}`)
    await page.getByLabel('Fichier CSV').setInputFiles({ name: 'inscriptions.csv', mimeType: 'text/csv', buffer: Buffer.from(lines.join('\n')) })
    await Promise.all([page.waitForEvent('load'), page.getByRole('button', { name: 'Prévisualiser' }).click()])
    await shot(page, 'organiser-import-errors')

    // the rotation, generated and published
    await page.goto(`${site.url}/evenements/${site.eventId}/rotation`)
    await Promise.all([page.waitForEvent('load'), page.getByRole('button', { name: 'Générer la rotation' }).click()])
    await Promise.all([page.waitForEvent('load'), page.getByRole('button', { name: /Publier cette version/ }).click()])
    await shot(page, 'organiser-rotation')

    await page.goto(`${site.url}/evenements/${site.eventId}/impression`)
    await page.emulateMedia({ media: 'print' })
    await shot(page, 'organiser-print-card')
    await page.emulateMedia({ media: 'screen' })

    await page.goto(`${site.url}/evenements/${site.eventId}/accueil`)
    await shot(page, 'organiser-checkin')
    const door = await browser.newContext({ viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 })
    await door.addCookies([{ name: 'org_token', value: site.org, url: site.url, httpOnly: true, sameSite: 'Strict' }])
    const doorPage = await door.newPage()
    await doorPage.goto(`${site.url}/evenements/${site.eventId}/accueil#main`)
    await doorPage.locator('.checkin').scrollIntoViewIfNeeded()
    await shot(doorPage, 'organiser-checkin-phone')

    // the room screen, running
    const big = await browser.newContext({ viewport: { width: 1920, height: 1080 } })
    await big.addCookies([{ name: 'org_token', value: site.org, url: site.url, httpOnly: true, sameSite: 'Strict' }])
    const room = await big.newPage()
    await room.goto(`${site.url}/evenements/${site.eventId}/salle`)
    await room.keyboard.press('Space')
    await room.waitForFunction(() => (globalThis as any).document.querySelector('#room-round').textContent.startsWith('Tour 1'))
    await room.waitForTimeout(1500)
    await shot(room, 'room-screen')

    // the participant's phone, during and after the evening
    await site.call('POST', `/api/events/${site.eventId}/status`, site.org, { status: 'scheduled' })
    await site.call('POST', `/api/events/${site.eventId}/status`, site.org, { status: 'live' })
    const phone = await browser.newContext({ viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 })
    const p = await phone.newPage()
    const secret = site.secrets.get('Les Jardins de la Montagne Verte')!
    await p.goto(`${site.url}/p/${secret}`)
    await shot(p, 'participant-schedule-phone')
    await p.locator('[data-rate-list] li').first().getByRole('link', { name: 'Noter' }).click()
    await p.locator('label', { hasText: /^5$/ }).tap()
    await p.locator('fieldset', { hasText: 'Souhaitez-vous une suite' }).locator('label', { hasText: 'Oui' }).tap()
    await shot(p, 'participant-rate-phone')

    // ratings from everyone, so that matches, proposals and the lab figures exist (the room has reached the last round: issue 10)
    await site.db.insertInto('room_states').values({ event_id: site.eventId, round: 10, on_break: 0, running_since: null, elapsed_ms: 0, updated_at: new Date().toISOString() })
      .onConflict((oc) => oc.column('event_id').doUpdateSet({ round: 10 })).execute()
    for (const s of site.secrets.values()) {
      const { meetings } = await site.call('GET', '/api/me/meetings', s)
      for (const m of meetings as { id: string; round: number; table: number }[]) {
        const wants = (m.round + m.table) % 3 === 0 || m.round === 1
        await site.call('PUT', `/api/me/meetings/${m.id}/rating`, s, { tookPlace: true, interest: wants ? 5 : 2, followUp: wants, kinds: wants ? ['mecenat/competences'] : [] })
      }
    }
    await p.goto(`${site.url}/p/${secret}#contacts`)
    await p.locator('#contacts').scrollIntoViewIfNeeded()
    await shot(p, 'participant-matches-phone')

    const { proposals } = await site.call('POST', `/api/events/${site.eventId}/proposals`, site.org, {})
    for (const [i, proposal] of (proposals as { id: string }[]).slice(0, 6).entries()) {
      await site.call('POST', `/api/events/${site.eventId}/proposals/${proposal.id}/accept`, site.org)
      const { partnership } = await site.call('POST', `/api/events/${site.eventId}/partnerships`, site.org, { proposalId: proposal.id })
      const path = ['contacted', 'in_discussion', 'agreement', 'carried_out'].slice(0, i % 5)
      for (const status of path) await site.call('POST', `/api/events/${site.eventId}/partnerships/${partnership.id}/status`, site.org, { status })
    }
    await page.goto(`${site.url}/evenements/${site.eventId}/suivi`)
    await page.locator('.board').scrollIntoViewIfNeeded()
    await shot(page, 'organiser-followup-board')

    const labContext = await browser.newContext({ viewport: { width: 1280, height: 800 } })
    await labContext.addCookies([{ name: 'lab_token', value: site.lab, url: site.url, httpOnly: true, sameSite: 'Strict' }])
    const lab = await labContext.newPage()
    await lab.goto(`${site.url}/labo`)
    await shot(lab, 'lab-dashboard', true)
  } finally {
    await browser.close()
    await site.close()
  }
}

await main()
