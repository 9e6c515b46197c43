/** Running the solver, versions, publishing, and the published schedule by round, participant or table. */
import { Hono, type Context } from 'hono'
import { z } from 'zod'
import { actorOf, organiserAuth, requireStaff } from '../auth/middleware.ts'
import { eventFor, ownedEvent } from '../auth/ownership.ts'
import { listRegistrations } from '../db/repositories/registrations.repository.ts'
import { getScheduleVersion, listMeetings, listSchedules, publishedSchedule } from '../db/repositories/schedules.repository.ts'
import type { Event, Schedule } from '../db/schema.ts'
import {
  byParticipant,
  byRound,
  byTable,
  createReplan,
  createSchedule,
  meetingViews,
  publish,
  scheduleCsv,
  toScheduleDto,
} from '../domain/schedules.ts'
import { unpublish } from '../domain/published-rotation.ts'
import { diffSchedules } from '../domain/schedule-diff.ts'
import { AppError, notFound } from '../errors.ts'
import { nowIso, type AppEnv } from './env.ts'
import { validate } from './validate.ts'

const PublishQuery = z.object({ publish: z.enum(['0', '1', 'true', 'false']).optional() })
const ViewQuery = z.object({ view: z.enum(['round', 'participant', 'table']).optional() })
const Replan = z.object({ fromRound: z.number().int().min(1) }).strict()

const wantsPublish = (q: { publish?: string | undefined }) => q.publish === '1' || q.publish === 'true'

async function current(c: Context<AppEnv>, event: Event): Promise<Schedule> {
  const schedule = await publishedSchedule(c.get('db'), event.id)
  if (!schedule) throw new AppError('no_published_schedule', { fr: 'Aucun planning publié', en: 'No published schedule yet' })
  return schedule
}

async function versionOf(c: Context<AppEnv>, event: Event, version: string): Promise<Schedule> {
  // a version number the database can hold: anything else is simply not found
  const n = /^\d{1,9}$/.test(version) ? Number(version) : NaN
  const schedule = Number.isInteger(n) ? await getScheduleVersion(c.get('db'), event.id, n) : undefined
  if (!schedule) throw notFound({ fr: 'Version du planning', en: 'Schedule version' })
  return schedule
}

/** Stores, then publishes if asked: an infeasible version stays stored while publishing answers 409. */
async function afterRun(c: Context<AppEnv>, event: Event, schedule: Schedule, publishNow: boolean) {
  if (publishNow) await publish(c.get('db'), event, schedule, nowIso(c.get('clock')))
  const stored = (await getScheduleVersion(c.get('db'), event.id, schedule.version)) ?? schedule
  return c.json({ schedule: toScheduleDto(stored), meetings: await meetingViews(c.get('db'), event, stored) }, 201)
}

export const schedules = new Hono<AppEnv>()
  .use(requireStaff)
  .post('/:eventId/schedule', validate('query', PublishQuery), async (c) => {
    const event = await ownedEvent(c, c.req.param('eventId'))
    if (event.status === 'closed') throw new AppError('event_closed', { fr: 'Événement clos', en: 'The event is closed' })
    const auth = organiserAuth(c)
    const schedule = await createSchedule(
      c.get('db'),
      event,
      { createdBy: actorOf(auth), now: nowIso(c.get('clock')) },
      c.get('solver'),
    )
    return afterRun(c, event, schedule, wantsPublish(c.req.valid('query')))
  })
  .post('/:eventId/schedule/replan', validate('query', PublishQuery), validate('json', Replan), async (c) => {
    const event = await ownedEvent(c, c.req.param('eventId'))
    if (event.status === 'closed') throw new AppError('event_closed', { fr: 'Événement clos', en: 'The event is closed' })
    const auth = organiserAuth(c)
    const schedule = await createReplan(
      c.get('db'),
      event,
      c.req.valid('json').fromRound,
      { createdBy: actorOf(auth), now: nowIso(c.get('clock')) },
      c.get('solver'),
    )
    return afterRun(c, event, schedule, wantsPublish(c.req.valid('query')))
  })
  .get('/:eventId/schedule', validate('query', ViewQuery), async (c) => {
    const event = await eventFor(c, c.req.param('eventId'), 'view')
    const schedule = await current(c, event)
    const db = c.get('db')
    const meetings = await meetingViews(db, event, schedule)
    const view = c.req.valid('query').view ?? 'round'
    const dto = toScheduleDto(schedule)
    if (view === 'participant') {
      return c.json({ schedule: dto, view, participants: byParticipant(await listRegistrations(db, event.id), meetings) }, 200)
    }
    if (view === 'table') return c.json({ schedule: dto, view, tables: byTable(meetings) }, 200)
    return c.json({ schedule: dto, view, rounds: byRound(event, meetings, await listRegistrations(db, event.id)) }, 200)
  })
  .get('/:eventId/schedule.csv', async (c) => {
    const event = await ownedEvent(c, c.req.param('eventId'))
    const schedule = await current(c, event)
    const csv = scheduleCsv(await meetingViews(c.get('db'), event, schedule), event)
    return c.body(csv, 200, {
      'content-type': 'text/csv; charset=utf-8',
      'content-disposition': `attachment; filename="planning-v${schedule.version}.csv"`,
    })
  })
  .get('/:eventId/schedule/participants/:registrationId', async (c) => {
    const event = await eventFor(c, c.req.param('eventId'), 'view')
    const db = c.get('db')
    const registrations = await listRegistrations(db, event.id, [c.req.param('registrationId')])
    if (registrations.length === 0) throw notFound({ fr: 'Participant', en: 'Participant' })
    const schedule = await current(c, event)
    const [participant] = byParticipant(registrations, await meetingViews(db, event, schedule))
    return c.json({ schedule: toScheduleDto(schedule), participant }, 200)
  })
  .get('/:eventId/schedules', async (c) => {
    const event = await ownedEvent(c, c.req.param('eventId'))
    const rows = await listSchedules(c.get('db'), event.id)
    return c.json({ schedules: rows.map(toScheduleDto) }, 200)
  })
  // before /schedules/:version: where the event's solves stand (the solver worker relays its progress)
  .get('/:eventId/schedules/progress', async (c) => {
    const event = await ownedEvent(c, c.req.param('eventId'))
    return c.json(c.get('solver').progress(event.id), 200)
  })
  .get('/:eventId/schedules/:version', async (c) => {
    const event = await ownedEvent(c, c.req.param('eventId'))
    const schedule = await versionOf(c, event, c.req.param('version'))
    return c.json({ schedule: toScheduleDto(schedule), meetings: await meetingViews(c.get('db'), event, schedule) }, 200)
  })
  .get('/:eventId/schedules/:version/diff', async (c) => {
    // what publishing this version would change, against the published one
    const event = await ownedEvent(c, c.req.param('eventId'))
    const db = c.get('db')
    const schedule = await versionOf(c, event, c.req.param('version'))
    const published = await publishedSchedule(db, event.id)
    if (!published || published.id === schedule.id) {
      return c.json({ version: schedule.version, against: published?.version ?? null, diff: null }, 200)
    }
    const [before, after, registrations] = await Promise.all([listMeetings(db, published.id), listMeetings(db, schedule.id), listRegistrations(db, event.id)])
    const diff = diffSchedules(before, after, schedule.from_round ?? 1, registrations)
    return c.json({ version: schedule.version, against: published.version, diff }, 200)
  })
  .post('/:eventId/schedules/:version/unpublish', async (c) => {
    const event = await ownedEvent(c, c.req.param('eventId'))
    const schedule = await versionOf(c, event, c.req.param('version'))
    await unpublish(c.get('db'), event, schedule, { actor: actorOf(organiserAuth(c)), now: nowIso(c.get('clock')) })
    return c.json({ schedule: { ...toScheduleDto(schedule), published: false } }, 200)
  })
  .post('/:eventId/schedules/:version/publish', async (c) => {
    const event = await ownedEvent(c, c.req.param('eventId'))
    if (event.status === 'closed') throw new AppError('event_closed', { fr: 'Événement clos', en: 'The event is closed' })
    const schedule = await versionOf(c, event, c.req.param('version'))
    await publish(c.get('db'), event, schedule, nowIso(c.get('clock')))
    return c.json({ schedule: { ...toScheduleDto(schedule), published: true } }, 200)
  })
