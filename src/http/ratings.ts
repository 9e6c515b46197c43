/**
 * Organiser side of ratings: all ratings of an event with progress counts,
 * closing rating, typing paper slips by short code, CSV import.
 */
import { Hono } from 'hono'
import { actorOf, organiserAuth, requireStaff } from '../auth/middleware.ts'
import { ownedEvent } from '../auth/ownership.ts'
import { closeRating, listEventMeetings, listEventRatings, ratingClosedAt, reopenRating } from '../db/repositories/ratings.repository.ts'
import { writeAudit } from '../domain/privacy/audit.ts'
import { readCsvBody } from './body.ts'
import { importRatingsCsv, ratingProgress, ratingView, saveSlip, Slip } from '../domain/ratings.ts'
import { nowIso, type AppEnv } from './env.ts'
import { validate } from './validate.ts'

export const ratings = new Hono<AppEnv>()
  .use(requireStaff)
  .get('/:eventId/ratings', async (c) => {
    const event = await ownedEvent(c, c.req.param('eventId'))
    const db = c.get('db')
    const [meetings, rows, closedAt] = [await listEventMeetings(db, event.id), await listEventRatings(db, event.id), await ratingClosedAt(db, event.id)]
    return c.json({ closedAt, progress: ratingProgress(meetings, rows), ratings: rows.map(ratingView) }, 200)
  })
  .post('/:eventId/ratings/close', async (c) => {
    const event = await ownedEvent(c, c.req.param('eventId'))
    const auth = organiserAuth(c)
    const closedAt = await closeRating(c.get('db'), event.id, actorOf(auth), nowIso(c.get('clock')))
    return c.json({ closedAt }, 200)
  })
  .post('/:eventId/ratings/reopen', async (c) => {
    // undoes a closing: participants can rate again; recorded in the audit log
    const event = await ownedEvent(c, c.req.param('eventId'))
    const now = nowIso(c.get('clock'))
    if (await reopenRating(c.get('db'), event.id)) {
      await writeAudit(c.get('db'), { networkId: event.network_id, actor: actorOf(organiserAuth(c)), action: 'ratings-reopen', target: `event:${event.id}` }, now)
    }
    return c.json({ closedAt: null }, 200)
  })
  .post('/:eventId/ratings/slip', validate('json', Slip), async (c) => {
    const event = await ownedEvent(c, c.req.param('eventId'))
    const rating = await saveSlip(c.get('db'), event.id, c.req.valid('json'), nowIso(c.get('clock')))
    return c.json({ rating: ratingView(rating) }, 200)
  })
  .post('/:eventId/ratings/import', async (c) => {
    const event = await ownedEvent(c, c.req.param('eventId'))
    const text = new TextDecoder('utf-8').decode(await readCsvBody(c))
    const result = await importRatingsCsv(c.get('db'), event.id, text, nowIso(c.get('clock')))
    return c.json(result, 200)
  })
