/**
 * An event's life outside the evening itself: duplicate it for next time (same
 * settings, the same participants invited again, new personal links), archive
 * it (hidden from the lists, figures kept) and delete it while it is a draft.
 * Each write is conditional on the state it was decided from.
 */
import type { Kysely } from 'kysely'
import { createEvent, findEvent, parseBreaks } from '../db/repositories/events.repository.ts'
import { newId } from '../db/ids.ts'
import { addRegistration } from '../db/repositories/registrations.repository.ts'
import type { Database, Event } from '../db/schema.ts'
import { AppError, notFound, type Msg } from '../errors.ts'
import { eventStatusLabels } from './labels.ts'

/**
 * A new draft event with `event`'s settings on `date` (and `title`, default the
 * same), its participants registered again (same person, presence window and
 * limits; attendance reset; a new personal secret each) and its own declared
 * exclusions. Wishes, schedules and ratings stay with the first event.
 */
export async function duplicateEvent(db: Kysely<Database>, event: Event, input: { date: string; title?: string | undefined }, now: string): Promise<{ event: Event; participants: number }> {
  return db.transaction().execute(async (trx) => {
    const copy = await createEvent(
      trx,
      event.network_id,
      {
        title: input.title ?? event.title,
        date: input.date,
        venue: event.venue,
        startTime: event.start_time,
        rounds: event.rounds,
        meetingMinutes: event.meeting_minutes,
        transitionMinutes: event.transition_minutes,
        breaks: parseBreaks(event.breaks),
        tables: event.tables,
        seatedSide: event.seated_side,
        metBefore: event.met_before,
        metBeforePenalty: event.met_before_penalty,
        activePartnerships: event.active_partnerships,
      },
      now,
      'draft',
    )
    const registrations = await trx.selectFrom('registrations').selectAll().where('event_id', '=', event.id).orderBy('created_at').orderBy('id').execute()
    for (const r of registrations) {
      await addRegistration(
        trx,
        copy.id,
        r.organisation_id,
        {
          personName: r.person_name,
          personEmail: r.person_email,
          arriveRound: r.arrive_round,
          leaveRound: r.leave_round,
          minMeetings: r.min_meetings,
          maxMeetings: r.max_meetings,
        },
        now,
      )
    }
    const exclusions = await trx.selectFrom('exclusions').selectAll().where('event_id', '=', event.id).execute()
    for (const x of exclusions) await trx.insertInto('exclusions').values({ ...x, id: newId(), event_id: copy.id, created_at: now }).execute()
    return { event: copy, participants: registrations.length }
  })
}

/** Archives (`archived: true`) or brings back an event; asking for the state it is in changes nothing. */
export async function setArchived(db: Kysely<Database>, event: Event, archived: boolean, now: string): Promise<Event> {
  if (archived && event.status === 'live') {
    throw new AppError('conflict', { fr: `« ${event.title} » est en cours : on ne l’archive qu’après la soirée`, en: `« ${event.title} » is live: archive it after the evening` })
  }
  let update = db
    .updateTable('events')
    .set({ archived_at: archived ? now : null, updated_at: now })
    .where('id', '=', event.id)
    .where('archived_at', archived ? 'is' : 'is not', null)
  // a live evening is never archived, even if it went live since the caller read it
  if (archived) update = update.where('status', '!=', 'live')
  await update.execute()
  const row = await findEvent(db, event.id)
  if (!row) throw notFound({ fr: 'Événement', en: 'Event' })
  if (archived && row.archived_at === null) {
    throw new AppError('conflict', { fr: `« ${event.title} » est passé en cours entre-temps : rechargez`, en: `« ${event.title} » went live meanwhile: reload` })
  }
  return row
}

/**
 * Deletes a draft event with everything registered in it. One conditional
 * DELETE: an event that left the draft state meanwhile is kept (409).
 */
export async function deleteDraftEvent(db: Kysely<Database>, event: Event): Promise<void> {
  const refuse = (status: Msg) =>
    new AppError('conflict', {
      fr: `« ${event.title} » n’est plus un brouillon (${status.fr}) : seul un brouillon peut être supprimé ; archivez-le plutôt`,
      en: `“${event.title}” is no longer a draft (${status.en}): only a draft can be deleted; archive it instead`,
    })
  if (event.status !== 'draft') throw refuse(eventStatusLabels[event.status])
  const { numDeletedRows } = await db.deleteFrom('events').where('id', '=', event.id).where('status', '=', 'draft').executeTakeFirst()
  if (numDeletedRows === 0n) {
    const now = (await findEvent(db, event.id))?.status
    throw refuse(now ? eventStatusLabels[now] : { fr: 'supprimé', en: 'deleted' })
  }
}
