/**
 * The event's state machine: draft -> open -> scheduled -> live -> closed, and
 * back from open to draft, from scheduled to open, and from closed to live
 * (reopening a closed evening, recorded in the audit log). A change is one
 * conditional UPDATE (`… WHERE status = :from`): of concurrent requests that
 * read the same status, one takes effect and the others answer 409.
 */
import type { Kysely } from 'kysely'
import { findEvent, setEventStatus } from '../db/repositories/events.repository.ts'
import type { Database, Event, EventStatus } from '../db/schema.ts'
import { AppError, notFound } from '../errors.ts'
import { writeAudit } from './privacy/audit.ts'

/** Allowed status changes; anything else is 409 'invalid_transition'. */
export const transitions: Record<EventStatus, EventStatus[]> = {
  draft: ['open'],
  open: ['draft', 'scheduled'],
  scheduled: ['open', 'live'],
  live: ['closed'],
  closed: ['live'],
}

/**
 * Moves `event` (as the caller read it) to `to`. Asking for the status it
 * already has changes nothing. 'scheduled' needs a published schedule.
 */
export async function changeEventStatus(db: Kysely<Database>, event: Event, to: EventStatus, now: string, actor = 'system'): Promise<Event> {
  if (to === event.status) return event
  const allowed = transitions[event.status]
  if (!allowed.includes(to)) {
    throw new AppError(
      'invalid_transition',
      `Passage de « ${event.status} » à « ${to} » impossible / Cannot go from ${event.status} to ${to}` +
        ` (possible: ${allowed.join(', ') || 'aucun / none'})`,
    )
  }
  if (await setEventStatus(db, event.id, [event.status], to, now, to === 'scheduled')) {
    if (event.status === 'closed') {
      await writeAudit(db, { networkId: event.network_id, actor, action: 'event-reopen', target: `event:${event.id}` }, now)
    }
    return { ...event, status: to, updated_at: now }
  }
  const current = await findEvent(db, event.id)
  if (!current) throw notFound('Événement / Event')
  if (to === 'scheduled' && current.status === event.status) {
    // the status held: what was missing is the published schedule
    throw new AppError('no_published_schedule', 'Aucun planning publié / No published schedule yet')
  }
  throw new AppError(
    'conflict',
    `L'événement est déjà passé de « ${event.status} » à « ${current.status} » : rechargez et réessayez / ` +
      `The event has already moved from ${event.status} to ${current.status}: reload and try again`,
  )
}
