import type { Context } from 'hono'
import { notFound } from '../errors.ts'
import type { Event } from '../db/schema.ts'
import type { AppEnv } from '../http/env.ts'
import { organiserAuth } from './middleware.ts'

/**
 * The event `eventId` if the calling organiser owns it. Another organiser's
 * event answers 404, as an unknown one does: its existence is not revealed.
 */
export async function ownedEvent(c: Context<AppEnv>, eventId: string): Promise<Event> {
  const { organiserId } = organiserAuth(c)
  const event = await c
    .get('db')
    .selectFrom('events')
    .selectAll()
    .where('id', '=', eventId)
    .where('organiser_id', '=', organiserId)
    .executeTakeFirst()
  if (!event) throw notFound('Événement / Event')
  return event
}
