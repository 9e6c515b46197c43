import type { Kysely, Transaction } from 'kysely'
import { newId } from '../ids.ts'
import type { Database, Meeting, Schedule } from '../schema.ts'

type Optional<T, K extends keyof T> = Omit<T, K> & Partial<Pick<T, K>>
export type NewScheduleRow = Optional<Omit<Schedule, 'id' | 'version' | 'published'>, 'weights' | 'weights_version' | 'trial'>
export type NewMeetingRow = Optional<Omit<Meeting, 'id' | 'schedule_id'>, 'arm'>

export async function listSchedules(db: Kysely<Database>, eventId: string): Promise<Schedule[]> {
  return db.selectFrom('schedules').selectAll().where('event_id', '=', eventId).orderBy('version', 'desc').execute()
}

export async function getScheduleVersion(db: Kysely<Database>, eventId: string, version: number): Promise<Schedule | undefined> {
  return db.selectFrom('schedules').selectAll().where('event_id', '=', eventId).where('version', '=', version).executeTakeFirst()
}

export async function publishedSchedule(db: Kysely<Database>, eventId: string): Promise<Schedule | undefined> {
  return db.selectFrom('schedules').selectAll().where('event_id', '=', eventId).where('published', '=', 1).executeTakeFirst()
}

export async function listMeetings(db: Kysely<Database>, scheduleId: string): Promise<Meeting[]> {
  return db.selectFrom('meetings').selectAll().where('schedule_id', '=', scheduleId).orderBy('round').orderBy('table_no').execute()
}

/** Every short code already printed for this event, whatever the version. */
export async function eventShortCodes(db: Kysely<Database> | Transaction<Database>, eventId: string): Promise<Set<string>> {
  const rows = await db
    .selectFrom('meetings')
    .innerJoin('schedules', 'schedules.id', 'meetings.schedule_id')
    .select('meetings.short_code')
    .where('schedules.event_id', '=', eventId)
    .execute()
  return new Set(rows.map((r) => r.short_code))
}

/**
 * Stores a solver run as the event's next version, with its meetings. The
 * caller holds the event's row lock (`lockEvent`), so that two runs cannot
 * both read the same last version.
 */
export async function insertSchedule(trx: Transaction<Database>, row: NewScheduleRow, meetings: NewMeetingRow[]): Promise<Schedule> {
  const last = await trx
    .selectFrom('schedules')
    .select((eb) => eb.fn.max('version').as('v'))
    .where('event_id', '=', row.event_id)
    .executeTakeFirst()
  const schedule: Schedule = { weights: null, weights_version: null, trial: null, ...row, id: newId(), version: Number(last?.v ?? 0) + 1, published: 0 }
  await trx.insertInto('schedules').values(schedule).execute()
  // Chunks keep each insert under SQLite's and PostgreSQL's bound-parameter limits.
  for (let i = 0; i < meetings.length; i += 500) {
    await trx
      .insertInto('meetings')
      .values(meetings.slice(i, i + 500).map((m) => ({ arm: null, ...m, id: newId(), schedule_id: schedule.id })))
      .execute()
  }
  return schedule
}

/** Makes this version the event's one published schedule. */
export async function publishSchedule(trx: Transaction<Database>, eventId: string, scheduleId: string): Promise<void> {
  await trx.updateTable('schedules').set({ published: 0 }).where('event_id', '=', eventId).where('published', '=', 1).execute()
  await trx.updateTable('schedules').set({ published: 1 }).where('id', '=', scheduleId).execute()
}
