import type { Context } from 'hono'
import { notFound, AppError } from '../errors.ts'
import type { Event } from '../db/schema.ts'
import type { AppEnv } from '../http/env.ts'
import { roleLabels } from '../domain/labels.ts'
import { staffAuth } from './middleware.ts'
import type { StaffAuth } from './tokens.ts'

/** What a route does with an event, and which staff roles may do it. */
export type EventNeed = 'manage' | 'checkin' | 'room' | 'view'

const allowed: Record<EventNeed, readonly StaffAuth['role'][]> = {
  manage: ['admin', 'organiser'],
  checkin: ['admin', 'organiser', 'accueil'],
  room: ['admin', 'organiser', 'salle'],
  view: ['admin', 'organiser', 'accueil', 'salle'],
}

export function mayDo(role: StaffAuth['role'], need: EventNeed): boolean {
  return allowed[need].includes(role)
}

/**
 * The event `eventId` if the caller's network owns it and the caller may do
 * `need` with it. An event of another network (or, for accueil and salle
 * tokens, another event than theirs) answers 404, as an unknown one does: its
 * existence is not revealed. A role that may see the event but not do `need`
 * gets 403.
 */
export async function eventFor(c: Context<AppEnv>, eventId: string, need: EventNeed): Promise<Event> {
  const auth = staffAuth(c)
  const event = await c
    .get('db')
    .selectFrom('events')
    .selectAll()
    .where('id', '=', eventId)
    .where('network_id', '=', auth.networkId)
    .executeTakeFirst()
  if (!event || (auth.eventId !== null && auth.eventId !== event.id)) throw notFound({ fr: 'Événement', en: 'Event' })
  if (!mayDo(auth.role, need)) {
    const fr = allowed[need].map((r) => roleLabels[r].fr).join(', ')
    const en = allowed[need].map((r) => roleLabels[r].en).join(', ')
    throw new AppError('forbidden', { fr: `Réservé aux rôles : ${fr}`, en: `Only for: ${en}` })
  }
  return event
}

/** The event, for admins and organisers of its network (everything about an event). */
export function ownedEvent(c: Context<AppEnv>, eventId: string): Promise<Event> {
  return eventFor(c, eventId, 'manage')
}
