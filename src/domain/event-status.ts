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
import { eventStatusLabels, inSentence, joinLabels } from './labels.ts'

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
    const possible = joinLabels(allowed.map((s) => inSentence(eventStatusLabels[s])))
    throw new AppError(
      'invalid_transition',
      {
        fr: `« ${event.title} » ne peut pas passer de « ${eventStatusLabels[event.status].fr} » à « ${eventStatusLabels[to].fr} » (possible : ${possible.fr})`,
        en: `“${event.title}” cannot go from “${eventStatusLabels[event.status].en}” to “${eventStatusLabels[to].en}” (possible: ${possible.en})`,
      },
    )
  }
  if (await setEventStatus(db, event.id, [event.status], to, now, to === 'scheduled')) {
    if (event.status === 'closed') {
      await writeAudit(db, { networkId: event.network_id, actor, action: 'event-reopen', target: `event:${event.id}` }, now)
    }
    return { ...event, status: to, updated_at: now }
  }
  const current = await findEvent(db, event.id)
  if (!current) throw notFound({ fr: 'Événement', en: 'Event' })
  if (to === 'scheduled' && current.status === event.status) {
    // the status held: what was missing is the published schedule
    throw new AppError('no_published_schedule', { fr: 'Aucun planning publié', en: 'No published schedule yet' })
  }
  throw new AppError(
    'conflict',
    {
      fr: `« ${event.title} » est déjà passé de « ${eventStatusLabels[event.status].fr} » à « ${eventStatusLabels[current.status].fr} » : rechargez et réessayez`,
      en: `“${event.title}” has already moved from “${eventStatusLabels[event.status].en}” to “${eventStatusLabels[current.status].en}”: reload and try again`,
    },
  )
}
