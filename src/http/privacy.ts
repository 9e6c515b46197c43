/**
 * Personal data through the API (issue 12):
 * - the participant, with its personal link: `GET /api/me/data` (everything
 *   held about it), `DELETE /api/me` (erase me), `PUT /api/me/consent`;
 * - organisers, on a person's request: `GET /api/events/:id/participants/:rid/data`,
 *   `DELETE /api/events/:id/participants/:rid/personal-data`;
 * - the network: `GET /api/network/privacy`, `PATCH /api/network` (admin: the
 *   notice's contact, DPO, retention), `GET /api/network/retention` (what will
 *   be purged and when), `GET /api/network/audit` (admin);
 * - `personalDataAudit`, a middleware that logs organisers' changes to a
 *   participant's profile and keeps an erased person's link dead.
 * Every read or erasure of a person's data is written to the audit log.
 */
import { Hono } from 'hono'
import { createMiddleware } from 'hono/factory'
import { z } from 'zod'
import { actorOf, adminAuth, organiserAuth, participantAuth, requireParticipant } from '../auth/middleware.ts'
import { ownedEvent } from '../auth/ownership.ts'
import { newId } from '../db/ids.ts'
import { AppError, notFound } from '../errors.ts'
import { listAudit, writeAudit } from '../domain/privacy/audit.ts'
import { setResearchConsent } from '../domain/privacy/consent.ts'
import { privacyDb } from '../domain/privacy/db.ts'
import { eraseRegistration } from '../domain/privacy/erasure.ts'
import { collectPersonalData } from '../domain/privacy/personal-data.ts'
import { purgePlan } from '../domain/privacy/retention.ts'
import { PrivacySettingsPatch, privacySettings, updatePrivacySettings } from '../domain/privacy/settings.ts'
import { nowIso, type AppEnv } from './env.ts'
import { validate } from './validate.ts'

const Consent = z.object({ research: z.boolean() }).strict()

export const mePrivacy = new Hono<AppEnv>()
  .use(requireParticipant)
  .get('/data', async (c) => {
    const auth = participantAuth(c)
    const now = nowIso(c.get('clock'))
    const data = await collectPersonalData(c.get('db'), auth.eventId, auth.registrationId, now)
    await writeAudit(c.get('db'), { networkId: auth.networkId, actor: actorOf(auth), action: 'data-download', target: `registration:${auth.registrationId}` }, now)
    c.header('cache-control', 'no-store')
    c.header('content-disposition', 'attachment; filename="mes-donnees.json"')
    return c.json({ data }, 200)
  })
  .put('/consent', validate('json', Consent), async (c) => {
    const auth = participantAuth(c)
    const now = nowIso(c.get('clock'))
    const { research } = c.req.valid('json')
    await setResearchConsent(c.get('db'), auth.registrationId, research, now)
    return c.json({ consent: { research, at: now } }, 200)
  })
  .delete('/', async (c) => {
    const auth = participantAuth(c)
    const now = nowIso(c.get('clock'))
    const db = c.get('db')
    await privacyDb(db)
      .transaction()
      .execute(async (trx) => {
        // of two concurrent requests, one erases and logs it
        if (!(await eraseRegistration(trx, auth.registrationId, now))) return
        await trx
          .insertInto('audit_log')
          .values(auditRow(auth.networkId, actorOf(auth), 'erasure', `registration:${auth.registrationId}`, now, { by: 'participant' }))
          .execute()
      })
    return c.json({ erased: true }, 200)
  })

export const eventPrivacy = new Hono<AppEnv>()
  .get('/:eventId/participants/:registrationId/data', async (c) => {
    const auth = organiserAuth(c)
    const event = await ownedEvent(c, c.req.param('eventId'))
    const registrationId = c.req.param('registrationId')
    const now = nowIso(c.get('clock'))
    const data = await collectPersonalData(c.get('db'), event.id, registrationId, now)
    await writeAudit(c.get('db'), { networkId: auth.networkId, actor: actorOf(auth), action: 'data-download', target: `registration:${registrationId}`, details: { event: event.id } }, now)
    c.header('cache-control', 'no-store')
    return c.json({ data }, 200)
  })
  .delete('/:eventId/participants/:registrationId/personal-data', async (c) => {
    const auth = organiserAuth(c)
    const event = await ownedEvent(c, c.req.param('eventId'))
    const registrationId = c.req.param('registrationId')
    const now = nowIso(c.get('clock'))
    const erased = await privacyDb(c.get('db'))
      .transaction()
      .execute(async (trx) => {
        const reg = await trx.selectFrom('registrations').select('id').where('id', '=', registrationId).where('event_id', '=', event.id).executeTakeFirst()
        if (!reg) throw notFound({ fr: 'Inscription', en: 'Registration' })
        const done = await eraseRegistration(trx, registrationId, now)
        if (done) {
          await trx
            .insertInto('audit_log')
            .values(auditRow(auth.networkId, actorOf(auth), 'erasure', `registration:${registrationId}`, now, { by: 'organiser', event: event.id }))
            .execute()
        }
        return done
      })
    return c.json({ erased: true, alreadyErased: !erased }, 200)
  })

export const networkPrivacy = new Hono<AppEnv>()
  .get('/privacy', async (c) => {
    const auth = organiserAuth(c)
    const settings = await privacySettings(c.get('db'), auth.networkId)
    if (!settings) throw notFound({ fr: 'Réseau', en: 'Network' })
    return c.json({ privacy: settings }, 200)
  })
  .patch('/', validate('json', PrivacySettingsPatch), async (c) => {
    const auth = adminAuth(c)
    const patch = c.req.valid('json')
    const now = nowIso(c.get('clock'))
    const settings = await updatePrivacySettings(c.get('db'), auth.networkId, patch)
    await writeAudit(c.get('db'), { networkId: auth.networkId, actor: actorOf(auth), action: 'privacy-settings', target: `network:${auth.networkId}`, details: { fields: Object.keys(patch) } }, now)
    return c.json({ privacy: settings }, 200)
  })
  .get('/retention', async (c) => {
    const auth = organiserAuth(c)
    const settings = await privacySettings(c.get('db'), auth.networkId)
    const events = await purgePlan(c.get('db'), c.get('clock')(), auth.networkId)
    return c.json({ retentionMonths: settings?.retentionMonths ?? null, events }, 200)
  })
  .get('/audit', async (c) => {
    const auth = adminAuth(c)
    return c.json({ entries: await listAudit(c.get('db'), auth.networkId) }, 200)
  })

function auditRow(networkId: string, actor: string, action: string, target: string, at: string, details: Record<string, unknown>) {
  return { id: newId(), network_id: networkId, actor, action, target, at, details: JSON.stringify(details) }
}

const participantPath = /^\/api\/events\/([^/]+)\/participants\/([^/]+)(\/link)?$/
const organisationPath = /^\/api\/organisations\/([^/]+)$/

/**
 * Mounted on the API after `authenticate`: logs an organiser's change to a
 * participant's or organisation's profile (the fields named, never their
 * values) once it succeeded, and refuses a new personal link for an erased
 * person (its link stays dead).
 */
export const personalDataAudit = createMiddleware<AppEnv>(async (c, next) => {
  const auth = c.get('auth')
  const method = c.req.method
  const path = c.req.path
  if (!auth || (auth.role !== 'admin' && auth.role !== 'organiser') || (method !== 'PATCH' && method !== 'POST')) return next()
  const participant = participantPath.exec(path)
  const organisation = method === 'PATCH' ? organisationPath.exec(path) : null
  if (participant && participant[3] && method === 'POST') {
    const erased = await privacyDb(c.get('db'))
      .selectFrom('registrations')
      .innerJoin('events', 'events.id', 'registrations.event_id')
      .select('registrations.erased_at')
      .where('registrations.id', '=', participant[2]!)
      .where('events.id', '=', participant[1]!)
      .where('events.network_id', '=', auth.networkId)
      .executeTakeFirst()
    if (erased?.erased_at) {
      throw new AppError('conflict', { fr: 'Les données de ce participant ont été effacées : pas de nouveau lien', en: 'This participant’s data were erased: no new link' })
    }
    return next()
  }
  if (method !== 'PATCH' || !((participant && !participant[3]) || organisation)) return next()
  let fields: string[] = []
  try {
    const body = (await c.req.raw.clone().json()) as unknown
    if (body && typeof body === 'object' && !Array.isArray(body)) fields = Object.keys(body)
  } catch {
    // a malformed body: the route refuses it, nothing to log
  }
  await next()
  if (c.res.status >= 300) return
  const target = participant ? `registration:${participant[2]}` : `organisation:${organisation![1]}`
  await writeAudit(
    c.get('db'),
    { networkId: auth.networkId, actor: actorOf(auth), action: 'profile-change', target, details: { fields, ...(participant ? { event: participant[1]! } : {}) } },
    nowIso(c.get('clock')),
  )
})
