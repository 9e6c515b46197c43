/** An event's life outside the evening: duplicate, archive and bring back, delete while a draft. */
import { Hono } from 'hono'
import { requireStaff } from '../auth/middleware.ts'
import { ownedEvent } from '../auth/ownership.ts'
import { toEventDto } from '../db/repositories/events.repository.ts'
import { deleteDraftEvent, duplicateEvent, setArchived } from '../domain/event-admin.ts'
import { EventDuplicate } from '../domain/schemas.ts'
import { nowIso, type AppEnv } from './env.ts'
import { validate } from './validate.ts'

export const eventAdmin = new Hono<AppEnv>()
  .use(requireStaff)
  .post('/:eventId/duplicate', validate('json', EventDuplicate), async (c) => {
    const event = await ownedEvent(c, c.req.param('eventId'))
    const { event: copy, participants } = await duplicateEvent(c.get('db'), event, c.req.valid('json'), nowIso(c.get('clock')))
    return c.json({ event: toEventDto(copy), participants }, 201)
  })
  .post('/:eventId/archive', async (c) => {
    const event = await ownedEvent(c, c.req.param('eventId'))
    return c.json({ event: toEventDto(await setArchived(c.get('db'), event, true, nowIso(c.get('clock')))) }, 200)
  })
  .post('/:eventId/unarchive', async (c) => {
    const event = await ownedEvent(c, c.req.param('eventId'))
    return c.json({ event: toEventDto(await setArchived(c.get('db'), event, false, nowIso(c.get('clock')))) }, 200)
  })
  .delete('/:eventId', async (c) => {
    const event = await ownedEvent(c, c.req.param('eventId'))
    await deleteDraftEvent(c.get('db'), event)
    return c.json({ deleted: event.id }, 200)
  })
