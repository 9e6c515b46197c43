/**
 * Ratings, the meetings they are about (those of the event's published
 * schedule) and the per-event rating settings.
 */
import type { Kysely, Transaction } from 'kysely'
import type { Database, Meeting, Rating, RatingTable, Schedule, Side } from '../schema.ts'

type Db = Kysely<Database> | Transaction<Database>

/** The published schedule of an event (the latest version if several were published). */
export async function findPublishedSchedule(db: Db, eventId: string): Promise<Schedule | undefined> {
  return db
    .selectFrom('schedules')
    .selectAll()
    .where('event_id', '=', eventId)
    .where('published', '=', 1)
    .orderBy('version', 'desc')
    .limit(1)
    .executeTakeFirst()
}

export type EventMeeting = Meeting & { event_id: string }

/** The meetings of an event = those of its published schedule, in round and table order. */
export async function listEventMeetings(db: Db, eventId: string): Promise<EventMeeting[]> {
  const schedule = await findPublishedSchedule(db, eventId)
  if (!schedule) return []
  const rows = await db
    .selectFrom('meetings')
    .selectAll()
    .where('schedule_id', '=', schedule.id)
    .orderBy('round')
    .orderBy('table_no')
    .execute()
  return rows.map((m) => ({ ...m, event_id: eventId }))
}

/** A meeting of the event's published schedule, by id. */
export async function findEventMeeting(db: Db, eventId: string, meetingId: string): Promise<EventMeeting | undefined> {
  const schedule = await findPublishedSchedule(db, eventId)
  if (!schedule) return undefined
  const row = await db
    .selectFrom('meetings')
    .selectAll()
    .where('schedule_id', '=', schedule.id)
    .where('id', '=', meetingId)
    .executeTakeFirst()
  return row ? { ...row, event_id: eventId } : undefined
}

export async function findEventMeetingByCode(db: Db, eventId: string, code: string): Promise<EventMeeting | undefined> {
  const schedule = await findPublishedSchedule(db, eventId)
  if (!schedule) return undefined
  const row = await db
    .selectFrom('meetings')
    .selectAll()
    .where('schedule_id', '=', schedule.id)
    .where('short_code', '=', code.trim().toUpperCase())
    .executeTakeFirst()
  return row ? { ...row, event_id: eventId } : undefined
}

/** Every rating of the event's published schedule. */
export async function listEventRatings(db: Db, eventId: string): Promise<Rating[]> {
  const schedule = await findPublishedSchedule(db, eventId)
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

/** Closes rating (idempotent: the first closing time is kept). */
export async function closeRating(db: Db, eventId: string, by: string, now: string): Promise<string> {
  const existing = await ratingClosedAt(db, eventId)
  if (existing) return existing
  await db
    .insertInto('event_settings')
    .values({ event_id: eventId, rating_closed_at: now, rating_closed_by: by })
    .onConflict((oc) => oc.column('event_id').doUpdateSet({ rating_closed_at: now, rating_closed_by: by }))
    .execute()
  return now
}
