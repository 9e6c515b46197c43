/** Events of the calling organiser: create, read, update, list, change status. */
import { Hono } from 'hono'
import { z } from 'zod'
import { actorOf, organiserAuth, requireStaff, staffAuth } from '../auth/middleware.ts'
import { eventFor, ownedEvent } from '../auth/ownership.ts'
import { createEvent, listEvents, parseBreaks, toEventDto, updateEvent } from '../db/repositories/events.repository.ts'
import { publishChange } from '../domain/live.ts'
import { changeEventStatus } from '../domain/event-status.ts'
import { EventPatch, EventStatusChange, NewEvent } from '../domain/schemas.ts'
import { assertSettingsChangeable } from '../domain/published-rotation.ts'
import { AppError } from '../errors.ts'
import { nowIso, type AppEnv } from './env.ts'
import { validate } from './validate.ts'

export const events = new Hono<AppEnv>()
  .use(requireStaff)
  .get('/', validate('query', z.object({ archived: z.enum(['0', '1']).optional() })), async (c) => {
    const { networkId, eventId } = staffAuth(c)
    const rows = await listEvents(c.get('db'), networkId, eventId, { archived: c.req.valid('query').archived === '1' })
    return c.json({ events: rows.map(toEventDto) }, 200)
  })
  .post('/', validate('json', NewEvent), async (c) => {
    const { networkId } = organiserAuth(c)
    const row = await createEvent(c.get('db'), networkId, c.req.valid('json'), nowIso(c.get('clock')))
    return c.json({ event: toEventDto(row) }, 201)
  })
  .get('/:eventId', async (c) => {
    const event = await eventFor(c, c.req.param('eventId'), 'view')
    const db = c.get('db')
    const counts = await db
      .selectFrom('registrations')
      .innerJoin('organisations', 'organisations.id', 'registrations.organisation_id')
      .select(['organisations.kind', (eb) => eb.fn.countAll<number>().as('n')])
      .where('registrations.event_id', '=', event.id)
      .groupBy('organisations.kind')
      .execute()
    const published = await db
      .selectFrom('schedules')
      .select('version')
      .where('event_id', '=', event.id)
      .where('published', '=', 1)
      .executeTakeFirst()
    return c.json(
      {
        event: toEventDto(event),
        associations: Number(counts.find((r) => r.kind === 'association')?.n ?? 0),
        companies: Number(counts.find((r) => r.kind === 'company')?.n ?? 0),
        publishedVersion: published?.version ?? null,
      },
      200,
    )
  })
  .patch('/:eventId', validate('json', EventPatch), async (c) => {
    const event = await ownedEvent(c, c.req.param('eventId'))
    if (event.status === 'closed') throw new AppError('event_closed', { fr: 'Événement clos', en: 'The event is closed' })
    const patch = c.req.valid('json')
    const rounds = patch.rounds ?? event.rounds
    const breaks = patch.breaks ?? parseBreaks(event.breaks)
    const late = breaks.findIndex((b) => b.afterRound >= rounds)
    if (late >= 0) {
      throw new AppError('validation_failed', { fr: 'Données invalides', en: 'Invalid data' }, [
        { path: `breaks.${late}.afterRound`, message: { fr: 'pause après la dernière rencontre', en: 'break after the last round' } },
      ])
    }
    await assertSettingsChangeable(c.get('db'), event, patch)
    const row = await updateEvent(c.get('db'), event.id, patch, nowIso(c.get('clock')))
    // open room screens and participant pages show the new times
    publishChange(c.get('db'), event.id, 'event')
    return c.json({ event: toEventDto(row) }, 200)
  })
  .post('/:eventId/status', validate('json', EventStatusChange), async (c) => {
    const event = await ownedEvent(c, c.req.param('eventId'))
    const row = await changeEventStatus(c.get('db'), event, c.req.valid('json').status, nowIso(c.get('clock')), actorOf(organiserAuth(c)))
    // the participants' pages follow the evening by its timetable once it is live
    publishChange(c.get('db'), event.id, 'event')
    return c.json({ event: toEventDto(row) }, 200)
  })
