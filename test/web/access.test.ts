/**
 * Who may open which page (no browser): an organiser sees only its own events,
 * including the room screen and its clock; a participant's link opens only its
 * own meetings; labs and anonymous visitors are sent to the login page.
 */
import { describe, expect } from 'vitest'
import { createApp } from '../../src/app.ts'
import { createLabToken, createOrganiser } from '../helpers/accounts.ts'
import { loadExampleEvent, readExampleEvents } from '../../src/domain/seed.ts'
import { dbTest } from '../helpers/db.ts'

const test = dbTest('sqlite')

describe('access to the pages', () => {
  test('another organiser, a lab, a participant and a stranger each get only what is theirs', async ({ db }) => {
    const now = new Date().toISOString()
    const owner = await createOrganiser(db, { name: 'Réseau Alsace Partenariats' }, now)
    const other = await createOrganiser(db, { name: 'Club RSE Mulhouse' }, now)
    const lab = await createLabToken(db, 'Laboratoire', now)
    const [strasbourg] = (await readExampleEvents(new URL('../../data/events', import.meta.url).pathname)).filter((e) => e.file.startsWith('strasbourg'))
    const { event } = await loadExampleEvent(db, owner.organiserId, strasbourg!.json, now)
    const app = createApp({ db })
    const request = (path: string, cookie = '', init: RequestInit = {}) => app.request(path, { ...init, headers: { cookie, ...(init.headers ?? {}) }, redirect: 'manual' })
    const api = async (path: string, token: string, method = 'GET') =>
      (await app.request(path, { method, headers: { authorization: `Bearer ${token}` } })).json() as Promise<any>

    // the owner sees its event; another organiser gets 404 on every page of it and cannot move its clock
    expect((await request(`/evenements/${event.id}`, `org_token=${owner.token}`)).status).toBe(200)
    for (const tab of ['', '/voeux', '/rotation', '/impression', '/accueil', '/suivi']) {
      expect((await request(`/evenements/${event.id}${tab}`, `org_token=${other.token}`)).status, tab).toBe(404)
    }
    expect((await request(`/evenements/${event.id}/salle`, `org_token=${other.token}`)).status).toBe(404)
    const move = await request(`/evenements/${event.id}/salle/etat`, `org_token=${other.token}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"action":"next"}',
    })
    expect(move.status).toBe(404)
    expect(await db.selectFrom('room_states').selectAll().execute()).toEqual([])
    const list = await (await request('/evenements', `org_token=${other.token}`)).text()
    expect(list).not.toContain(event.title)
    // a writing form of someone else's event is refused too, nothing written
    const absent = await request(`/evenements/${event.id}/accueil/whatever`, `org_token=${other.token}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'attendance=absent',
    })
    expect(absent.status).toBe(404)

    // a lab token or no cookie: the console asks to log in; a forged cookie too
    for (const cookie of [`lab_token=${lab.token}`, '', 'org_token=org_forged']) {
      const r = await request(`/evenements/${event.id}`, cookie)
      expect(r.status).toBe(303)
      expect(r.headers.get('location')).toMatch(/^\/connexion/)
    }
    // a participant's link opens its own meetings only
    const participants = (await api(`/api/events/${event.id}/participants`, owner.token)).participants as { id: string }[]
    const a = (await api(`/api/events/${event.id}/participants/${participants[0]!.id}/link`, owner.token, 'POST')).token as string
    const b = (await api(`/api/events/${event.id}/participants/${participants[participants.length - 1]!.id}/link`, owner.token, 'POST')).token as string
    const mineA = (await api('/api/me/meetings', a)).meetings as { id: string }[]
    const mineB = (await api('/api/me/meetings', b)).meetings as { id: string }[]
    const foreign = mineB.find((m) => !mineA.some((x) => x.id === m.id))!
    expect((await request(`/p/${a}/rencontres/${mineA[0]!.id}`)).status).toBe(200)
    expect((await request(`/p/${a}/rencontres/${foreign.id}`)).status).toBe(404)
    const forged = await request(`/p/${a}/rencontres/${foreign.id}`, '', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'tookPlace=yes&interest=5&followUp=yes',
    })
    expect(forged.status).toBe(404)
    expect(await db.selectFrom('ratings').selectAll().execute()).toEqual([])
    // an organiser token is not a personal link
    expect((await request(`/p/${owner.token}`)).status).toBe(404)
  })
})
