/**
 * Personal links an organiser can give again (src/domain/links.ts): read the
 * current one without invalidating it, renew it (the old one dies), revoke it,
 * and all of an event's links as a CSV for a mail merge.
 * Mounted before `participants` so that `links.csv` is not taken for an id.
 */
import { Hono, type Context } from 'hono'
import { requireStaff } from '../auth/middleware.ts'
import { ownedEvent } from '../auth/ownership.ts'
import { getRegistration, listRegistrations } from '../db/repositories/registrations.repository.ts'
import type { Event } from '../db/schema.ts'
import { currentSecret, currentSecrets, renewLink, revokeLink } from '../domain/links.ts'
import { personalLink } from '../domain/participants.ts'
import { csvRow } from '../domain/csv-safety.ts'
import { isErased } from '../domain/privacy/erasure.ts'
import { AppError, notFound } from '../errors.ts'
import { nowIso, type AppEnv } from './env.ts'

async function registrationOf(c: Context<AppEnv>, event: Event, id: string) {
  const row = await getRegistration(c.get('db'), event.id, id)
  if (!row) throw notFound({ fr: 'Participant', en: 'Participant' })
  if (await isErased(c.get('db'), row.id)) {
    throw new AppError('conflict', { fr: `Les données de ce participant (${row.organisation.name}) ont été effacées : il n'a plus de lien`, en: `This participant's data were erased: no link any more` })
  }
  return row
}


export const participantLinks = new Hono<AppEnv>()
  .use(requireStaff)
  .get('/:eventId/participants/links.csv', async (c) => {
    const event = await ownedEvent(c, c.req.param('eventId'))
    const db = c.get('db')
    const rows = await listRegistrations(db, event.id)
    const secrets = await currentSecrets(db, c.get('linkKey'), rows)
    const format = { delimiter: ';' } as const
    const lines = rows.map((r) => {
      const secret = secrets.get(r.id)
      // a link that cannot be given again (made before derived links, or revoked) stays empty: renew it
      return csvRow([r.person_name, r.organisation.name, r.person_email, secret ? personalLink(c.get('publicUrl'), secret) : ''], format)
    })
    const body = `\uFEFF${[csvRow(['nom', 'organisation', 'e-mail', 'lien'], format), ...lines].join('\r\n')}\r\n`
    return c.body(body, 200, {
      'content-type': 'text/csv; charset=utf-8',
      'content-disposition': `attachment; filename="liens-${event.date}.csv"`,
      'cache-control': 'no-store',
    })
  })
  .get('/:eventId/participants/:registrationId/link', async (c) => {
    const event = await ownedEvent(c, c.req.param('eventId'))
    const row = await registrationOf(c, event, c.req.param('registrationId'))
    const secret = await currentSecret(c.get('db'), c.get('linkKey'), row)
    if (!secret) {
      throw new AppError(
        'conflict',
        { fr: `Le lien de ${row.person_name} (${row.organisation.name}) ne peut pas être redonné (créé avant les liens dérivés, ou révoqué) : le renouveler une fois`, en: `${row.person_name}'s link (${row.organisation.name}) cannot be given again (made before derived links, or revoked): renew it once` },
      )
    }
    c.header('cache-control', 'no-store')
    return c.json({ token: secret, link: personalLink(c.get('publicUrl'), secret) }, 200)
  })
  .post('/:eventId/participants/:registrationId/link', async (c) => {
    const event = await ownedEvent(c, c.req.param('eventId'))
    const row = await registrationOf(c, event, c.req.param('registrationId'))
    const { version, secret } = await renewLink(c.get('db'), c.get('linkKey'), row.id, nowIso(c.get('clock')))
    c.header('cache-control', 'no-store')
    return c.json({ token: secret, link: personalLink(c.get('publicUrl'), secret), version }, 200)
  })
  .delete('/:eventId/participants/:registrationId/link', async (c) => {
    const event = await ownedEvent(c, c.req.param('eventId'))
    const row = await registrationOf(c, event, c.req.param('registrationId'))
    await revokeLink(c.get('db'), c.get('linkKey'), row.id, nowIso(c.get('clock')))
    return c.body(null, 204)
  })
