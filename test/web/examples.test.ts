/**
 * Every page renders with the example events exactly as `npm start` loads them
 * (solved and published), in French and in English. No browser needed.
 */
import { describe, expect } from 'vitest'
import { createApp } from '../../src/app.ts'
import { createLabToken, createOrganiser } from '../helpers/accounts.ts'
import { loadExampleEvent, readExampleEvents } from '../../src/domain/seed.ts'
import { dbTest } from '../helpers/db.ts'

const test = dbTest('sqlite')

/** No id twice on a page; every visible field has a label (for=, aria-label, or a wrapping label for radios and boxes). */
function checkMarkup(path: string, html: string): void {
  const ids = [...html.matchAll(/\sid="([^"]+)"/g)].map((m) => m[1]!)
  const twice = ids.filter((id, i) => ids.indexOf(id) !== i)
  expect(twice, `${path}: duplicate ids`).toEqual([])
  for (const [tag, attrs] of [...html.matchAll(/<(input|select|textarea)\b([^>]*)>/g)].map((m) => [m[1]!, m[2]!] as const)) {
    if (/type="hidden"/.test(attrs)) continue
    if (/aria-label=/.test(attrs)) continue
    const id = /\sid="([^"]+)"/.exec(attrs)?.[1]
    if (id) expect(html, `${path}: <${tag} id="${id}"> has no label`).toContain(`for="${id}"`)
    else expect(attrs, `${path}: <${tag}${attrs}> has neither id nor aria-label`).toMatch(/type="(radio|checkbox)"/)
  }
}

describe('pages on the example events of npm start', () => {
  test('organiser, room, participant and lab pages answer 200 with their content', async ({ db }) => {
    const now = new Date().toISOString()
    const { organiserId, token } = await createOrganiser(db, { name: 'Premier organisateur' }, now)
    const lab = await createLabToken(db, 'Laboratoire', now)
    const events = []
    for (const { json } of await readExampleEvents(new URL('../../data/events', import.meta.url).pathname)) {
      events.push((await loadExampleEvent(db, organiserId, json, now)).event)
    }
    expect(events.length).toBeGreaterThanOrEqual(2)
    const app = createApp({ db })
    const checked: string[] = []
    const get = async (path: string, cookie: string) => {
      const res = await app.request(path, { headers: { cookie } })
      const html = await res.text()
      if (res.headers.get('content-type')?.includes('text/html')) {
        checkMarkup(path, html)
        checked.push(path)
      }
      return { status: res.status, html }
    }
    const org = `org_token=${token}`

    const list = await get('/evenements', org)
    expect(list.status).toBe(200)
    for (const e of events) expect(list.html).toContain(e.title.replaceAll("'", '&#39;'))

    for (const e of events) {
      for (const tab of ['', '/voeux', '/rotation', '/impression', '/accueil', '/suivi', '/salle']) {
        for (const lang of ['fr', 'en']) {
          const page = await get(`/evenements/${e.id}${tab}?lang=${lang}`, org)
          expect(page.status, `${tab} ${lang}`).toBe(200)
          expect(page.html).toContain(`<html lang="${lang}">`)
        }
      }
      const rotation = await get(`/evenements/${e.id}/rotation?lang=fr`, org)
      expect(rotation.html).toMatch(/Chaque participant a au moins/)
      expect(rotation.html).toContain('Version publiée')
      const print = await get(`/evenements/${e.id}/impression?lang=fr`, org)
      expect(print.html.match(/class="sheet plate"/g)?.length).toBe(e.tables)
      // a participant's page through a freshly issued personal link
      const listed = (await (await app.request(`/api/events/${e.id}/participants`, { headers: { authorization: `Bearer ${token}` } })).json()) as {
        participants: { id: string }[]
      }
      const first = listed.participants[0]!
      const issue = await app.request(`/api/events/${e.id}/participants/${first.id}/link`, { method: 'POST', headers: { authorization: `Bearer ${token}` } })
      const link = (await issue.json()) as { token: string }
      const mine = await get(`/p/${link.token}?lang=fr`, '')
      expect(mine.status).toBe(200)
      expect(mine.html).toContain('Mon programme')
      const { meetings } = (await (await app.request('/api/me/meetings', { headers: { authorization: `Bearer ${link.token}` } })).json()) as { meetings: { id: string }[] }
      const rate = await get(`/p/${link.token}/rencontres/${meetings[0]!.id}?lang=fr`, '')
      expect(rate.status).toBe(200)
      expect(rate.html).toContain('La rencontre a-t-elle eu lieu\u202f?')
    }

    const dashboard = await get('/labo?lang=fr', `lab_token=${lab.token}`)
    expect(checked.length).toBeGreaterThan(30)
    const login = await get('/connexion', '')
    expect(login.status).toBe(200)
    expect(dashboard.status).toBe(200)
    expect(dashboard.html).toContain('data-chart="funnel"')
  })
})
