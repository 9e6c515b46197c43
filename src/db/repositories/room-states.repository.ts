/**
 * The room screen's clock, one row per event. Writes are compare-and-set: a
 * row is replaced only if it still holds what the writer read.
 */
import type { Kysely } from 'kysely'
import type { Database, RoomState } from '../schema.ts'

export type ClockValues = Pick<RoomState, 'round' | 'on_break' | 'running_since' | 'elapsed_ms'>

export async function findRoomState(db: Kysely<Database>, eventId: string): Promise<RoomState | null> {
  return (await db.selectFrom('room_states').selectAll().where('event_id', '=', eventId).executeTakeFirst()) ?? null
}

/** The event's first clock row; false if another writer created it first. */
export async function insertRoomState(db: Kysely<Database>, eventId: string, values: ClockValues, now: string): Promise<boolean> {
  const { numInsertedOrUpdatedRows } = await db
    .insertInto('room_states')
    .values({ event_id: eventId, ...values, updated_at: now })
    .onConflict((oc) => oc.column('event_id').doNothing())
    .executeTakeFirst()
  return (numInsertedOrUpdatedRows ?? 0n) > 0n
}

/** Replaces `read` by `values`; false if the row no longer holds `read` (another writer came first). */
export async function replaceRoomState(db: Kysely<Database>, read: RoomState, values: ClockValues, now: string): Promise<boolean> {
  const { numUpdatedRows } = await db
    .updateTable('room_states')
    .set({ ...values, updated_at: now })
    .where('event_id', '=', read.event_id)
    .where('round', '=', read.round)
    .where('on_break', '=', read.on_break)
    .where('running_since', read.running_since === null ? 'is' : '=', read.running_since)
    .where('elapsed_ms', '=', read.elapsed_ms)
    .where('updated_at', '=', read.updated_at)
    .executeTakeFirst()
  return numUpdatedRows > 0n
}
