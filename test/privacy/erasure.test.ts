/**
 * Erasing a participant (issue 12): after `DELETE /api/me`, no API route read
 * by the organiser, the admin or the lab, and no page of the console, the lab
 * or another participant, contains the person's name or e-mail; its link is
 * dead; the event's lab funnel is unchanged. The organiser's erasure on
 * request does the same; every read and erasure is in the audit log.
 */
import type { Kysely } from 'kysely'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { reissueSecret } from '../../src/db/repositories/registrations.repository.ts'
import type { Database } from '../../src/db/schema.ts'
import { dialects, freshDatabase } from '../helpers/db.ts'
import { buildWorld, type Target, type World } from '../security/world.ts'

const now = '2026-11-24T18:00:00.000Z'

/** Query strings the GET routes that need one are called with. */
const queries: Record<string, string> = {
  '/api/organisations': 'q=a',
  '/api/checkins/due': 'on=2027-12-31',
  '/api/lab/export': 'key=cle-de-test-1234',
  '/labo': 'event={{eventId}}',
  '/labo/export': 'format=csv&key=cle-de-test-1234',
}

function fill(pattern: string, t: Target, secret: string): string {
  return pattern.replace(/:(\w+)/g, (_, name: string) => {
    if (name === 'secret') return secret
    if (name === 'file') return 'style.css'
    const value = (t as unknown as Record<string, string>)[name]
    if (value === undefined) throw new Error(`no id for :${name}`)
    return value
  })
}

async function get(world: World, path: string, init: { token?: string; cookie?: string }) {
  const headers: Record<string, string> = {}
  if (init.token) headers.authorization = `Bearer ${init.token}`
  if (init.cookie) headers.cookie = init.cookie
  const res = await world.app.request(path, { headers, redirect: 'manual' })
  return { status: res.status, text: await res.text() }
}

async function call(world: World, method: string, path: string, token: string, json?: unknown) {
  const res = await world.app.request(path, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(json !== undefined ? { 'content-type': 'application/json' } : {}) },
    ...(json !== undefined ? { body: JSON.stringify(json) } : {}),
  })
  const text = await res.text()
  return { status: res.status, text, body: text ? (JSON.parse(text) as any) : null }
}

/** Every GET route and page, as each reader: the texts answered, by route and reader. */
async function readEverything(world: World, participantSecret: string): Promise<{ where: string; status: number; text: string }[]> {
  const out: { where: string; status: number; text: string }[] = []
  const seen = new Set<string>()
  for (const r of world.app.routes) {
    if (r.method !== 'GET' || seen.has(r.path)) continue
    seen.add(r.path)
    const query = queries[r.path]
    const path = fill(r.path, world.own, participantSecret) + (query ? `?${query.replace('{{eventId}}', world.own.eventId)}` : '')
    const readers: [string, { token?: string; cookie?: string }][] = r.path.startsWith('/api/me')
      ? [['participant', { token: participantSecret }]]
      : r.path.startsWith('/api/')
        ? [['admin', { token: world.tokens.admin }], ['organiser', { token: world.tokens.organiser }], ['lab', { token: world.tokens.lab }]]
        : r.path.startsWith('/p/')
          ? [['participant', {}]]
          : r.path.startsWith('/labo')
            ? [['lab', { cookie: `lab_token=${world.tokens.lab}` }]]
            : [['admin', { cookie: `org_token=${world.tokens.admin}` }], ['organiser', { cookie: `org_token=${world.tokens.organiser}` }]]
    for (const [who, init] of readers) {
      const answer = await get(world, path, init)
      out.push({ where: `GET ${path} as ${who}`, ...answer })
    }
  }
  return out
}

for (const dialect of dialects) {
  describe(`erasing a participant on ${dialect}`, () => {
    let db: Kysely<Database>
    let drop: () => Promise<void>
    let world: World
    let person: { name: string; email: string }
    let companySecret: string
    beforeAll(async () => {
      ;({ db, drop } = await freshDatabase(dialect))
      world = await buildWorld(db)
      const reg = await db.selectFrom('registrations').select(['person_name', 'person_email']).where('id', '=', world.own.registrationId).executeTakeFirstOrThrow()
      person = { name: reg.person_name, email: reg.person_email! }
      companySecret = await reissueSecret(db, world.own.companyRegistrationId)
      // both sides want a follow-up: each sees the other's contact; notes and comments that name the person
      for (const [side, registrationId] of [['association', world.own.registrationId], ['company', world.own.companyRegistrationId]] as const) {
        await db
          .insertInto('ratings')
          .values({
            id: `rating-${side}`, meeting_id: world.own.meetingId, side, registration_id: registrationId, took_place: 1, interest: 5, follow_up: 1,
            kinds: '[]', note: side === 'association' ? `Note de ${person.name}` : null, source: 'participant', created_at: now, updated_at: now,
          })
          .execute()
      }
      await db.updateTable('partnerships').set({ note: `Appeler ${person.name}, ${person.email}` }).where('id', '=', world.own.partnershipId).execute()
      await db.updateTable('checkins').set({ comment: `Réponse de ${person.name}` }).where('id', '=', world.own.checkinId).execute()
    })
    afterAll(async () => drop())

    test('the setting names the person where the test looks', async () => {
      const texts = await readEverything(world, companySecret)
      const named = texts.filter((t) => t.text.includes(person.name) || t.text.includes(person.email))
      expect(named.length).toBeGreaterThan(5)
    })

    test('the research choice takes a boolean, and the download shows it', async () => {
      const bad = await call(world, 'PUT', '/api/me/consent', world.tokens.participant, { research: 'oui' })
      expect(bad.status).toBe(422)
      expect(bad.body.error.issues[0].path).toBe('research')
      const ok = await call(world, 'PUT', '/api/me/consent', world.tokens.participant, { research: true })
      expect(ok.status).toBe(200)
      const mine = await call(world, 'GET', '/api/me/data', world.tokens.participant)
      expect(mine.body.data.registration.researchConsent).toBe(true)
    })

    test('erase me: the link dies, nothing read by anyone names the person, the funnel holds, the log says it', async () => {
      const metricsPath = `/api/lab/events/${world.own.eventId}/metrics`
      const before = await call(world, 'GET', metricsPath, world.tokens.lab)
      expect(before.status).toBe(200)
      expect(before.body.funnel.length).toBeGreaterThan(2)

      const mine = await call(world, 'GET', '/api/me/data', world.tokens.participant)
      expect(mine.status).toBe(200)
      expect(mine.body.data.registration.personName).toBe(person.name)
      expect(mine.body.data.ratingsGiven[0].note).toContain(person.name)
      expect(mine.body.data.matches).toHaveLength(1)

      const erased = await call(world, 'DELETE', '/api/me', world.tokens.participant)
      expect(erased.status).toBe(200)
      expect((await call(world, 'GET', '/api/me', world.tokens.participant)).status).toBe(401)
      expect((await get(world, `/p/${world.tokens.participant}`, {})).status).toBe(404)

      const after = await call(world, 'GET', metricsPath, world.tokens.lab)
      expect(after.body.funnel).toEqual(before.body.funnel)

      const texts = await readEverything(world, companySecret)
      expect(texts.filter((t) => t.status === 200).length).toBeGreaterThan(40)
      const leaks = texts.filter((t) => t.text.includes(person.name) || t.text.includes(person.email)).map((t) => t.where)
      expect(leaks).toEqual([])

      // a new personal link is refused: the link stays dead
      const link = await call(world, 'POST', `/api/events/${world.own.eventId}/participants/${world.own.registrationId}/link`, world.tokens.organiser)
      expect(link.status).toBe(409)

      const audit = await call(world, 'GET', '/api/network/audit', world.tokens.admin)
      const actions = audit.body.entries.map((e: any) => `${e.action} ${e.target}`)
      expect(actions).toContain(`erasure registration:${world.own.registrationId}`)
      expect(actions).toContain(`data-download registration:${world.own.registrationId}`)
      expect(audit.text).not.toContain(person.name)
    })

    test('an organiser erases on request, and reads the data first', async () => {
      const id = world.own.companyRegistrationId
      const reg = await db.selectFrom('registrations').select(['person_name', 'person_email']).where('id', '=', id).executeTakeFirstOrThrow()
      const base = `/api/events/${world.own.eventId}/participants/${id}`
      const data = await call(world, 'GET', `${base}/data`, world.tokens.organiser)
      expect(data.status).toBe(200)
      expect(data.body.data.registration.personName).toBe(reg.person_name)
      expect((await call(world, 'GET', `${base}/data`, world.tokens.accueil)).status).toBe(403)
      const done = await call(world, 'DELETE', `${base}/personal-data`, world.tokens.organiser)
      expect(done.body).toEqual({ erased: true, alreadyErased: false })
      expect((await call(world, 'DELETE', `${base}/personal-data`, world.tokens.organiser)).body.alreadyErased).toBe(true)
      const texts = await readEverything(world, world.tokens.participant)
      const leaks = texts.filter((t) => t.text.includes(reg.person_name) || (reg.person_email !== null && t.text.includes(reg.person_email))).map((t) => t.where)
      expect(leaks).toEqual([])
      expect((await call(world, 'GET', '/api/me', companySecret)).status).toBe(401)
    })

    test("an organiser's change to a profile is logged, with the fields and not their values", async () => {
      const other = await db.selectFrom('registrations').select('id').where('event_id', '=', world.own.eventId).where('id', 'not in', [world.own.registrationId, world.own.companyRegistrationId]).executeTakeFirstOrThrow()
      const changed = await call(world, 'PATCH', `/api/events/${world.own.eventId}/participants/${other.id}`, world.tokens.organiser, { personName: 'Jeanne Martin-Durand' })
      expect(changed.status).toBe(200)
      const audit = await call(world, 'GET', '/api/network/audit', world.tokens.admin)
      const entry = audit.body.entries.find((e: any) => e.action === 'profile-change' && e.target === `registration:${other.id}`)
      expect(entry.details).toEqual({ fields: ['personName'], event: world.own.eventId })
      expect(audit.text).not.toContain('Jeanne Martin-Durand')
    })
  })
}
