/** Registrations of an event (participants): add, list, read, update, remove, check-in, personal link. */
import { Hono, type Context } from 'hono'
import { z } from 'zod'
import { requireStaff, staffAuth } from '../auth/middleware.ts'
import { eventFor, ownedEvent } from '../auth/ownership.ts'
import { getOrganisation } from '../db/repositories/organisations.repository.ts'
import {
  deleteRegistration,
  getRegistration,
  listRegistrations,
  toRegistrationDto,
  updateRegistration,
} from '../db/repositories/registrations.repository.ts'
import type { Event } from '../db/schema.ts'
import { importParticipantsCsv } from '../domain/csv-import.ts'
import { issueLinks } from '../domain/links.ts'
import { participantCsvLimits, readCsvBody } from './body.ts'
import { assertCanRegister, personalLink, registerParticipant, registrationIssues } from '../domain/participants.ts'
import { AttendanceChange, NewParticipant, ParticipantPatch } from '../domain/schemas.ts'
import { assertRemovable } from '../domain/published-rotation.ts'
import { AppError, notFound, localiseIssues, requestLang } from '../errors.ts'
import { nowIso, type AppEnv } from './env.ts'
import { validate } from './validate.ts'

const participantNotFound = () => notFound({ fr: 'Participant', en: 'Participant' })

async function registrationOf(c: Context<AppEnv>, event: Event, id: string) {
  const row = await getRegistration(c.get('db'), event.id, id)
  if (!row) throw participantNotFound()
  return row
}

const ImportQuery = z.object({ dryRun: z.enum(['0', '1', 'true', 'false']).optional() })

export const participants = new Hono<AppEnv>()
  .use(requireStaff)
  .get('/:eventId/participants', async (c) => {
    const event = await eventFor(c, c.req.param('eventId'), 'checkin')
    const rows = await listRegistrations(c.get('db'), event.id)
    return c.json({ participants: rows.map(toRegistrationDto) }, 200)
  })
  .post('/:eventId/participants', validate('json', NewParticipant), async (c) => {
    const event = await eventFor(c, c.req.param('eventId'), 'checkin')
    // at the door, a volunteer adds walk-ins once the evening is on; registering before is the organisers' work
    if (staffAuth(c).role === 'accueil' && event.status !== 'live') {
      throw new AppError('forbidden', { fr: "L'accueil n'ajoute des participants que pendant la soirée", en: "The door adds walk-ins only during the evening" })
    }
    assertCanRegister(event)
    const { organisationId, organisation, ...fields } = c.req.valid('json')
    const issues = registrationIssues(event, fields)
    if (issues.length > 0) throw new AppError('validation_failed', { fr: 'Données invalides', en: 'Invalid data' }, issues)
    const db = c.get('db')
    const existing = organisationId ? await getOrganisation(db, event.network_id, organisationId) : undefined
    if (organisationId && !existing) throw notFound({ fr: 'Organisation', en: 'Organisation' })
    const now = nowIso(c.get('clock'))
    const { registration, secret } = await db.transaction().execute(async (trx) => {
      const { registration } = await registerParticipant(trx, event, existing ?? organisation!, fields, now)
      const secrets = await issueLinks(trx, c.get('linkKey'), [registration.id])
      return { registration, secret: secrets.get(registration.id)! }
    })
    const row = await registrationOf(c, event, registration.id)
    return c.json({ participant: toRegistrationDto(row), token: secret, link: personalLink(c.get('publicUrl'), secret) }, 201)
  })
  .post('/:eventId/participants/import', validate('query', ImportQuery), async (c) => {
    const event = await ownedEvent(c, c.req.param('eventId'))
    const dryRun = ['1', 'true'].includes(c.req.valid('query').dryRun ?? '0')
    if (!dryRun) assertCanRegister(event)
    const bytes = await readCsvBody(c, participantCsvLimits)
    const result = await importParticipantsCsv(c.get('db'), event, bytes, { dryRun, now: nowIso(c.get('clock')), linkKey: c.get('linkKey') })
    return c.json(
      {
        ...result,
        issues: localiseIssues(result.issues, requestLang(c)),
        created: result.created.map((p) => ({ ...p, link: personalLink(c.get('publicUrl'), p.token) })),
      },
      dryRun ? 200 : 201,
    )
  })
  .get('/:eventId/participants/:registrationId', async (c) => {
    const event = await eventFor(c, c.req.param('eventId'), 'checkin')
    const row = await registrationOf(c, event, c.req.param('registrationId'))
    return c.json({ participant: toRegistrationDto(row) }, 200)
  })
  .patch('/:eventId/participants/:registrationId', validate('json', ParticipantPatch), async (c) => {
    const event = await ownedEvent(c, c.req.param('eventId'))
    const row = await registrationOf(c, event, c.req.param('registrationId'))
    const patch = c.req.valid('json')
    const merged = {
      arriveRound: patch.arriveRound === undefined ? row.arrive_round : patch.arriveRound,
      leaveRound: patch.leaveRound === undefined ? row.leave_round : patch.leaveRound,
      minMeetings: patch.minMeetings === undefined ? row.min_meetings : patch.minMeetings,
      maxMeetings: patch.maxMeetings === undefined ? row.max_meetings : patch.maxMeetings,
    }
    const issues = registrationIssues(event, merged)
    if (issues.length > 0) throw new AppError('validation_failed', { fr: 'Données invalides', en: 'Invalid data' }, issues)
    await updateRegistration(c.get('db'), row.id, patch)
    return c.json({ participant: toRegistrationDto(await registrationOf(c, event, row.id)) }, 200)
  })
  .delete('/:eventId/participants/:registrationId', async (c) => {
    const event = await ownedEvent(c, c.req.param('eventId'))
    const row = await registrationOf(c, event, c.req.param('registrationId'))
    if (event.status === 'live' || event.status === 'closed') {
      throw new AppError(
        'conflict',
        { fr: "Pendant ou après l'événement, marquer le participant absent plutôt que le retirer", en: "During or after the event, mark the participant absent instead" },
      )
    }
    await assertRemovable(c.get('db'), event, row, row.organisation.name)
    await deleteRegistration(c.get('db'), row.id)
    return c.body(null, 204)
  })
  .post('/:eventId/participants/:registrationId/attendance', validate('json', AttendanceChange), async (c) => {
    const event = await eventFor(c, c.req.param('eventId'), 'checkin')
    const row = await registrationOf(c, event, c.req.param('registrationId'))
    if (event.status === 'closed') throw new AppError('event_closed', { fr: 'Événement clos', en: 'The event is closed' })
    await updateRegistration(c.get('db'), row.id, { attendance: c.req.valid('json').attendance })
    return c.json({ participant: toRegistrationDto(await registrationOf(c, event, row.id)) }, 200)
  })
  // GET, POST (renew) and DELETE (revoke) …/:registrationId/link: src/http/participant-links.ts
