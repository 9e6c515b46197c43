/**
 * Ratings, the meetings they are about (those of the event's published
 * schedule) and the per-event rating settings.
 */
import type { Kysely, Transaction } from 'kysely'
import type { Database, Meeting, Rating, RatingTable, Side } from '../schema.ts'
import { listMeetings, publishedSchedule } from './schedules.repository.ts'

type Db = Kysely<Database> | Transaction<Database>

export type EventMeeting = Meeting & { event_id: string }

/** The meetings of an event = those of its published schedule, in round and table order. */
export async function listEventMeetings(db: Db, eventId: string): Promise<EventMeeting[]> {
  const schedule = await publishedSchedule(db, eventId)
  if (!schedule) return []
  const rows = await listMeetings(db, schedule.id)
  return rows.map((m) => ({ ...m, event_id: eventId }))
}

/** A meeting of the event's published schedule, by id. */
export function findEventMeeting(db: Db, eventId: string, meetingId: string): Promise<EventMeeting | undefined> {
  return findPublishedMeeting(db, eventId, 'id', meetingId)
}

/** A meeting of the event's published schedule, by the short code printed on the cards. */
export function findEventMeetingByCode(db: Db, eventId: string, code: string): Promise<EventMeeting | undefined> {
  return findPublishedMeeting(db, eventId, 'short_code', code.trim().toUpperCase())
}

async function findPublishedMeeting(
  db: Db,
  eventId: string,
  column: 'id' | 'short_code',
  value: string,
): Promise<EventMeeting | undefined> {
  const schedule = await publishedSchedule(db, eventId)
  if (!schedule) return undefined
  const row = await db
    .selectFrom('meetings')
    .selectAll()
    .where('schedule_id', '=', schedule.id)
    .where(column, '=', value)
    .executeTakeFirst()
  return row ? { ...row, event_id: eventId } : undefined
}

/** Every rating of the event's published schedule. */
export async function listEventRatings(db: Db, eventId: string): Promise<Rating[]> {
  const schedule = await publishedSchedule(db, eventId)
  if (!schedule) return []
  return db
    .selectFrom('ratings')
    .innerJoin('meetings', 'meetings.id', 'ratings.meeting_id')
    .selectAll('ratings')
    .where('meetings.schedule_id', '=', schedule.id)
    .orderBy('meetings.round')
    .orderBy('meetings.table_no')
    .orderBy('ratings.side')
    .execute()
}

export async function listRatingsOfMeetings(db: Db, meetingIds: readonly string[]): Promise<Rating[]> {
  if (meetingIds.length === 0) return []
  return db.selectFrom('ratings').selectAll().where('meeting_id', 'in', meetingIds).execute()
}

export async function findRating(db: Db, meetingId: string, side: Side): Promise<Rating | undefined> {
  return db.selectFrom('ratings').selectAll().where('meeting_id', '=', meetingId).where('side', '=', side).executeTakeFirst()
}

export type RatingValues = Omit<RatingTable, 'id' | 'created_at' | 'updated_at'>

/** Insert or replace the rating of one side of one meeting (unique per meeting x side). */
export async function upsertRating(db: Db, values: RatingValues, id: string, now: string): Promise<Rating> {
  const { meeting_id, side, ...rest } = values
  await db
    .insertInto('ratings')
    .values({ id, meeting_id, side, ...rest, created_at: now, updated_at: now })
    .onConflict((oc) => oc.columns(['meeting_id', 'side']).doUpdateSet({ ...rest, updated_at: now }))
    .execute()
  return (await findRating(db, meeting_id, side))!
}

export async function ratingClosedAt(db: Db, eventId: string): Promise<string | null> {
  const row = await db.selectFrom('event_settings').select('rating_closed_at').where('event_id', '=', eventId).executeTakeFirst()
  return row?.rating_closed_at ?? null
}

/**
 * Closes rating; idempotent: the first closing time is kept, and every caller,
 * concurrent ones included, gets that one. One upsert whose update applies
 * only while the row is still open, so two closings cannot both write.
 */
export async function closeRating(db: Db, eventId: string, by: string, now: string): Promise<string> {
  await db
    .insertInto('event_settings')
    .values({ event_id: eventId, rating_closed_at: now, rating_closed_by: by })
    .onConflict((oc) =>
      oc.column('event_id').doUpdateSet({ rating_closed_at: now, rating_closed_by: by }).where('event_settings.rating_closed_at', 'is', null),
    )
    .execute()
  const closedAt = await ratingClosedAt(db, eventId)
  if (!closedAt) throw new Error(`rating of event ${eventId} did not close`)
  return closedAt
}

/** Reopens rating if it is closed (one conditional UPDATE); answers whether this call reopened it. */
export async function reopenRating(db: Db, eventId: string): Promise<boolean> {
  const { numUpdatedRows } = await db
    .updateTable('event_settings')
    .set({ rating_closed_at: null, rating_closed_by: null })
    .where('event_id', '=', eventId)
    .where('rating_closed_at', 'is not', null)
    .executeTakeFirst()
  return numUpdatedRows > 0n
}

/**
 * In the caller's transaction: keeps the event's rating open until the
 * transaction ends and answers null, or answers the closing time if rating is
 * closed. A conditional UPDATE on the open settings row: on PostgreSQL it holds
 * the row, so a concurrent closeRating waits for the rating being written
 * (SQLite writes one transaction at a time).
 */
export async function holdRatingOpen(tx: Transaction<Database>, eventId: string): Promise<string | null> {
  await tx
    .insertInto('event_settings')
    .values({ event_id: eventId, rating_closed_at: null, rating_closed_by: null })
    .onConflict((oc) => oc.column('event_id').doNothing())
    .execute()
  const { numUpdatedRows } = await tx
    .updateTable('event_settings')
    .set((eb) => ({ rating_closed_at: eb.ref('rating_closed_at') }))
    .where('event_id', '=', eventId)
    .where('rating_closed_at', 'is', null)
    .executeTakeFirst()
  return numUpdatedRows > 0n ? null : ratingClosedAt(tx, eventId)
}

/**
 * When another version of the schedule is published (a re-plan on the night),
 * ratings already given follow their meeting: to the meeting of the same pair
 * in the new version, where that one has no rating of the same side yet.
 * Ratings of pairs the new version drops stay with the old version.
 */
export async function carryRatingsOver(trx: Transaction<Database>, fromScheduleId: string, toScheduleId: string): Promise<number> {
  const pair = (m: Meeting) => `${m.association_registration_id} ${m.company_registration_id}`
  const targets = new Map((await listMeetings(trx, toScheduleId)).map((m) => [pair(m), m.id]))
  const sources = new Map((await listMeetings(trx, fromScheduleId)).map((m) => [m.id, pair(m)]))
  const taken = new Set((await listRatingsOfMeetings(trx, [...targets.values()])).map((r) => `${r.meeting_id} ${r.side}`))
  let moved = 0
  for (const rating of await listRatingsOfMeetings(trx, [...sources.keys()])) {
    const target = targets.get(sources.get(rating.meeting_id)!)
    if (!target || taken.has(`${target} ${rating.side}`)) continue
    await trx.updateTable('ratings').set({ meeting_id: target }).where('id', '=', rating.id).execute()
    moved++
  }
  return moved
}
