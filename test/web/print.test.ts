/**
 * Printing the 38 x 33 example (data/events/colmar-forum-38x33.json), solved
 * and published as `npm start` loads it: the PDF of the print page, made by
 * Chromium, read back with poppler (pdfinfo, pdftotext, pdftoppm). The QR code
 * of every card is decoded (jsQR) and must be the participant's current
 * personal link; the page count is the design's (cards four to a sheet, one
 * sheet per table plate, slips two to a sheet); no card, plate or slip is split
 * or clipped. Under CI=true a missing Chromium or poppler fails the suite.
 */
import { execFileSync, spawnSync } from 'node:child_process'
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { serve, type ServerType } from '@hono/node-server'
import jsQRModule from 'jsqr'
import type { Kysely } from 'kysely'
import { PNG } from 'pngjs'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { createApp } from '../../src/app.ts'
import type { Database } from '../../src/db/schema.ts'
import { loadExampleEvent, readExampleEvents } from '../../src/domain/seed.ts'
import { PdfUnavailable, renderPdf } from '../../src/web/pdf.ts'
import { publishedSchedule, scheduleMeetings } from '../../src/web/queries.ts'
import { createOrganiser } from '../helpers/accounts.ts'
import { freshDatabase, isCi } from '../helpers/db.ts'
import { hasChromium, launchChromium } from './site.ts'

// jsqr is CommonJS with a `default` in its types: take the function either way
const jsQR = ((jsQRModule as unknown as { default?: unknown }).default ?? jsQRModule) as unknown as typeof jsQRModule.default

const hasPoppler = ['pdfinfo', 'pdftotext', 'pdftoppm'].every((tool) => !spawnSync(tool, ['-v']).error)
if (isCi && !hasPoppler) throw new Error('CI=true but poppler-utils (pdfinfo, pdftotext, pdftoppm) is not installed: the printing suite cannot run (apt-get install poppler-utils)')
if (!hasPoppler || !hasChromium) console.warn('Printing tests skipped: they need Chromium (CHROMIUM_PATH) and poppler-utils')

interface Person {
  id: string
  personName: string
  organisation: { name: string }
}

describe.skipIf(!hasChromium || !hasPoppler)('printing the 38 x 33 example', () => {
  let db: Kysely<Database>
  let drop: () => Promise<void>
  let app: ReturnType<typeof createApp>
  let token: string
  let eventId: string
  let tables: number
  let dir: string
  let pdf: string
  let people: Person[]
  /** participants with at least one meeting, and their meetings' codes */
  const codes = new Map<string, string[]>()
  /** the current personal link of each participant */
  const links = new Map<string, string>()
  let pageTexts: string[]

  const cookie = () => ({ cookie: `org_token=${token}` })
  const call = async (method: string, path: string) => {
    const res = await app.request(path, { method, headers: { authorization: `Bearer ${token}` } })
    expect(res.status, `${method} ${path}`).toBeLessThan(300)
    return (await res.json()) as any
  }

  beforeAll(async () => {
    ;({ db, drop } = await freshDatabase('sqlite'))
    const now = new Date().toISOString()
    const organiser = await createOrganiser(db, { name: 'Réseau Alsace Partenariats' }, now)
    token = organiser.token
    const [colmar] = (await readExampleEvents(new URL('../../data/events', import.meta.url).pathname)).filter((e) => e.file.startsWith('colmar'))
    const loaded = await loadExampleEvent(db, organiser.organiserId, colmar!.json, now)
    expect(loaded.status).not.toBe('infeasible')
    eventId = loaded.event.id
    tables = loaded.event.tables!
    app = createApp({ db })
    people = (await call('GET', `/api/events/${eventId}/participants`)).participants
    expect(people.length).toBe(71)
    // the example's participants were registered without a link that can be given again: the organiser issues them once
    for (const p of people) await call('POST', `/api/events/${eventId}/participants/${p.id}/link`)
    for (const p of people) links.set(p.id, new URL((await call('GET', `/api/events/${eventId}/participants/${p.id}/link`)).link, 'http://localhost').toString())
    const schedule = await publishedSchedule(db, eventId)
    for (const m of await scheduleMeetings(db, schedule!.id)) {
      for (const id of [m.association_registration_id, m.company_registration_id]) codes.set(id, [...(codes.get(id) ?? []), m.short_code])
    }
    expect(codes.size).toBeGreaterThan(60)

    dir = mkdtempSync(join(tmpdir(), 'print-'))
    pdf = join(dir, 'impression.pdf')
    const res = await app.request(`http://localhost/evenements/${eventId}/impression.pdf?parts=cards,plates,slips`, { headers: cookie() })
    expect(res.status, await res.clone().text().catch(() => '')).toBe(200)
    expect(res.headers.get('content-type')).toBe('application/pdf')
    expect(res.headers.get('content-disposition')).toMatch(/^attachment; filename="cartes-chevalets-bulletins-2027-03-18\.pdf"$/)
    writeFileSync(pdf, Buffer.from(await res.arrayBuffer()))
    pageTexts = execFileSync('pdftotext', ['-layout', pdf, '-'], { encoding: 'utf8', maxBuffer: 64 << 20 }).split('\f').slice(0, -1)
  }, 180_000)

  afterAll(async () => {
    if (dir) rmSync(dir, { recursive: true, force: true })
    await drop?.()
  })

  const cardPages = () => Math.ceil(codes.size / 4)
  const slipPages = () => Math.ceil(codes.size / 2)

  test('A4 pages: the cards four to a sheet, one sheet per table plate, the slips two to a sheet', () => {
    const info = execFileSync('pdfinfo', [pdf], { encoding: 'utf8' })
    expect(info).toMatch(/Page size:\s+59[45](\.\d+)? x 84[12](\.\d+)? pts \(A4\)/)
    // every participant has at most 12 meetings (12 rounds): every slip fits half a sheet
    expect(Math.max(...[...codes.values()].map((c) => c.length))).toBeLessThanOrEqual(12)
    const pages = Number(/Pages:\s+(\d+)/.exec(info)?.[1])
    expect(pages).toBe(cardPages() + tables + slipPages())
    expect(pageTexts.length).toBe(pages)
  })

  test("the cards' QR codes decode to the participants' current personal links, each participant once", () => {
    const out = join(dir, 'card')
    execFileSync('pdftoppm', ['-r', '150', '-png', '-f', '1', '-l', String(cardPages()), pdf, out])
    const decoded: string[] = []
    for (const file of readdirSync(dir).filter((f) => f.startsWith('card') && f.endsWith('.png')).sort()) {
      const png = PNG.sync.read(readFileSync(join(dir, file)))
      // four A6 cards: decode each quarter of the sheet on its own (jsQR finds one code per image)
      const w = Math.floor(png.width / 2)
      const h = Math.floor(png.height / 2)
      for (const [x0, y0] of [[0, 0], [w, 0], [0, h], [w, h]] as const) {
        const quarter = new Uint8ClampedArray(w * h * 4)
        for (let y = 0; y < h; y++) quarter.set(png.data.subarray(((y0 + y) * png.width + x0) * 4, ((y0 + y) * png.width + x0 + w) * 4), y * w * 4)
        const code = jsQR(quarter, w, h, { inversionAttempts: 'dontInvert' })
        if (code) decoded.push(code.data)
      }
    }
    const expected = [...codes.keys()].map((id) => links.get(id)!)
    expect(decoded.length).toBe(codes.size)
    expect(new Set(decoded).size).toBe(decoded.length)
    expect([...decoded].sort()).toEqual([...expected].sort())
  }, 120_000)

  test('nothing split: each card, plate and slip is whole on one page, with its clock times and codes', () => {
    const cards = pageTexts.slice(0, cardPages())
    const plates = pageTexts.slice(cardPages(), cardPages() + tables)
    const slips = pageTexts.slice(cardPages() + tables)
    const byId = new Map(people.map((p) => [p.id, p]))
    for (const [id, mine] of codes) {
      const p = byId.get(id)!
      const on = cards.filter((t) => t.includes(p.personName))
      expect(on.length, `${p.personName}'s card`).toBe(1)
      for (const code of mine) expect(on[0], `${p.personName}: ${code}`).toContain(code)
      const slip = slips.filter((t) => t.includes(`Bulletin de notation — ${p.organisation.name}`))
      expect(slip.length, `${p.organisation.name}'s slip`).toBe(1)
      for (const code of mine) expect(slip[0]).toContain(code)
    }
    // clock times in French style, from the timetable (14:00, 6-minute meetings, 2-minute moves, 15-minute breaks after rounds 4 and 8)
    expect(cards.join('\n')).toContain('14 h 00 – 14 h 06')
    expect(cards.join('\n')).toMatch(/14 h 30 – 14 h 45\s+Pause|14 h 32 – 14 h 47\s+Pause/)
    plates.forEach((text, i) => {
      expect(text).toMatch(new RegExp(`(^|\\s)${i + 1}(\\s|$)`))
      expect(text).toContain('Plier ici')
    })
  })

  test('in Chromium, every card, plate face and slip lies within its page and nothing in it is cut off', async () => {
    const server: ServerType = await new Promise((resolve) => {
      const s = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s))
    })
    const browser = await launchChromium()
    try {
      const { port } = server.address() as AddressInfo
      const context = await browser.newContext()
      await context.addCookies([{ name: 'org_token', value: token, domain: '127.0.0.1', path: '/' }])
      const page = await context.newPage()
      for (const query of ['', '?grands=1&parts=cards']) {
        await page.goto(`http://127.0.0.1:${port}/evenements/${eventId}/impression${query}`)
        await page.emulateMedia({ media: 'print' })
        const problems = (await page.evaluate(() => {
          const doc = (globalThis as any).document
          const mm = 96 / 25.4
          const out: string[] = []
          const pages = [...doc.querySelectorAll('.print-page, .print-sheets .plate')] as any[]
          for (const sheet of pages) {
            const box = sheet.getBoundingClientRect()
            if (box.height > 297 * mm + 0.5 || box.width > 210 * mm + 0.5) out.push(`a page of ${box.width}x${box.height}px`)
            for (const item of sheet.querySelectorAll('.card, .slip-sheet, .face')) {
              const b = item.getBoundingClientRect()
              if (b.top < box.top - 0.5 || b.bottom > box.bottom + 0.5 || b.left < box.left - 0.5 || b.right > box.right + 0.5) out.push(`${item.className} outside its page`)
              if (item.scrollHeight > item.clientHeight + 1 || item.scrollWidth > item.clientWidth + 1) out.push(`${item.className} ${item.textContent.slice(0, 40)}: content cut off`)
            }
          }
          // the console's header, navigation, footer and buttons do not print
          for (const sel of ['header.top', 'nav.tabs', 'footer.legal', 'main > h1', 'button']) {
            for (const el of doc.querySelectorAll(sel)) if (el.getClientRects().length > 0) out.push(`${sel} printed`)
          }
          return [pages.length, out]
        })) as [number, string[]]
        expect(problems[1], query).toEqual([])
        expect(problems[0], query).toBe(query ? codes.size : cardPages() + tables + slipPages())
        if (query) await expect(page.locator('article.card.large').first().evaluate((el) => (globalThis as any).getComputedStyle(el).fontSize)).resolves.toBe('24px')
      }
    } finally {
      await browser.close()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    }
  }, 120_000)
})

describe.skipIf(!hasChromium)('the PDF module', () => {
  test('a job past its time is given up (PdfUnavailable, the route answers 503) and the next one still runs', async () => {
    const job = { url: 'http://impression.invalid/x', html: '<!DOCTYPE html><p>Table 1</p>', asset: async () => new Response('', { status: 404 }) }
    await expect(renderPdf(job, { jobTimeoutMs: 1 })).rejects.toBeInstanceOf(PdfUnavailable)
    const pdf = await renderPdf(job)
    expect(Buffer.from(pdf).subarray(0, 5).toString()).toBe('%PDF-')
  }, 60_000)
})

describe('personal links on the cards (no browser)', () => {
  test('cards of participants without a link that can be given again have no QR code; the page issues theirs, and only theirs', async () => {
    const { db, drop } = await freshDatabase('sqlite')
    try {
      const now = new Date().toISOString()
      const organiser = await createOrganiser(db, { name: 'Réseau' }, now)
      const [strasbourg] = (await readExampleEvents(new URL('../../data/events', import.meta.url).pathname)).filter((e) => e.file.startsWith('strasbourg'))
      const { event } = await loadExampleEvent(db, organiser.organiserId, strasbourg!.json, now)
      const app = createApp({ db })
      const auth = { authorization: `Bearer ${organiser.token}` }
      const cookie = { cookie: `org_token=${organiser.token}` }
      const people = ((await (await app.request(`/api/events/${event.id}/participants`, { headers: auth })).json()) as { participants: { id: string }[] }).participants
      // one link already given (it must keep working), the 19 others never shown
      const given = (await (await app.request(`/api/events/${event.id}/participants/${people[0]!.id}/link`, { method: 'POST', headers: auth })).json()) as { token: string }
      const page = await (await app.request(`/evenements/${event.id}/impression?parts=cards`, { headers: cookie })).text()
      expect(page.startsWith('<!DOCTYPE html>')).toBe(true)
      expect(page).toContain('19 participants n’ont pas de lien personnel')
      expect(page.match(/<svg role="img"/g)?.length).toBe(1)
      expect(page.match(/data-link\b/g)?.length).toBe(1)
      const issue = await app.request(`/evenements/${event.id}/impression/liens?parts=cards`, { method: 'POST', headers: cookie, redirect: 'manual' })
      expect(issue.status).toBe(303)
      expect(issue.headers.get('location')).toBe(`/evenements/${event.id}/impression?parts=cards&liens=19`)
      const after = await (await app.request(issue.headers.get('location')!, { headers: cookie })).text()
      expect(after).not.toContain('pas de lien personnel qui puisse')
      expect(after.match(/<svg role="img"/g)?.length).toBe(20)
      expect(after).toContain(`/p/${given.token}`)
      expect((await app.request('/api/me', { headers: { authorization: `Bearer ${given.token}` } })).status).toBe(200)
    } finally {
      await drop()
    }
  })
})

describe('the PDF without Chromium', () => {
  test('answers 503 with a message in French and English, not a 500', async () => {
    const { db, drop } = await freshDatabase('sqlite')
    const saved = process.env.CHROMIUM_PATH
    try {
      const now = new Date().toISOString()
      const organiser = await createOrganiser(db, { name: 'Réseau' }, now)
      const app = createApp({ db })
      const res = await app.request('/api/events', {
        method: 'POST',
        headers: { authorization: `Bearer ${organiser.token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ title: 'Soirée', date: '2027-01-14', rounds: 4, seatedSide: 'company', tables: 2 }),
      })
      const { event } = (await res.json()) as { event: { id: string } }
      process.env.CHROMIUM_PATH = '/nonexistent/chromium'
      const pdf = await app.request(`/evenements/${event.id}/impression.pdf?parts=plates`, { headers: { cookie: `org_token=${organiser.token}` } })
      expect(pdf.status).toBe(503)
      const text = await pdf.text()
      expect(text).toContain('Chromium est introuvable')
      expect(text).toContain('Chromium not found')
    } finally {
      if (saved === undefined) delete process.env.CHROMIUM_PATH
      else process.env.CHROMIUM_PATH = saved
      await drop()
    }
  })
})
