/**
 * The participant's "now" highlight (no browser): it follows the room screen
 * when the organiser runs it, and the event's timetable when nobody does.
 */
import { describe, expect } from 'vitest'
import { createApp } from '../../src/app.ts'
import { createOrganiser } from '../helpers/accounts.ts'
import { loadExampleEvent, readExampleEvents } from '../../src/domain/seed.ts'
import { dbTest } from '../helpers/db.ts'

const test = dbTest('sqlite')

describe('current round on the participant page', () => {
  test('by the timetable without a room screen, by the room screen once it runs', async ({ db }) => {
    // the Strasbourg evening: 3 December 2026 at 18:30 in Strasbourg (17:30 UTC)
    let now = new Date('2026-12-03T17:31:00Z')
    const owner = await createOrganiser(db, { name: 'Réseau Alsace Partenariats' }, now.toISOString())
    const [strasbourg] = (await readExampleEvents(new URL('../../data/events', import.meta.url).pathname)).filter((e) => e.file.startsWith('strasbourg'))
    const { event } = await loadExampleEvent(db, owner.organiserId, strasbourg!.json, now.toISOString())
    expect([event.date, event.start_time]).toEqual(['2026-12-03', '18:30'])
    const app = createApp({ db, clock: () => now })
    const call = async (method: string, path: string, json?: unknown) => {
      const r = await app.request(path, {
        method,
        headers: { authorization: `Bearer ${owner.token}`, 'content-type': 'application/json', cookie: `org_token=${owner.token}` },
        ...(json === undefined ? {} : { body: JSON.stringify(json) }),
      })
      return { status: r.status, body: r.headers.get('content-type')?.includes('json') ? await r.json() as any : await r.text() }
    }
    expect((await call('POST', `/api/events/${event.id}/schedule?publish=1`)).status).toBe(201)
    const participants = (await call('GET', `/api/events/${event.id}/participants`)).body.participants
    const link = (await call('POST', `/api/events/${event.id}/participants/${participants[0].id}/link`)).body
    const secret = String(link.token)
    const round = async () => (await (await app.request(`/p/${secret}/tour`)).json() as { round: number | null }).round

    // scheduled, not live yet: no highlight even at the right time
    expect(await round()).toBeNull()
    expect((await call('POST', `/api/events/${event.id}/status`, { status: 'live' })).status).toBe(200)
    expect(await round()).toBe(1)
    const page = await (await app.request(`/p/${secret}`)).text()
    expect(page).toContain('aria-current="true"')
    now = new Date('2026-12-03T16:00:00Z') // before the start
    expect(await round()).toBeNull()

    // once the organiser runs the room screen, it rules (here: round 1 -> next -> round 2 at 16:00 UTC)
    for (const action of ['start', 'next']) {
      const r = await app.request(`/evenements/${event.id}/salle/etat`, {
        method: 'POST',
        headers: { cookie: `org_token=${owner.token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ action }),
      })
      expect(r.status, action).toBe(200)
    }
    expect(await round()).toBe(2)
  })
})
