import type { Kysely, Transaction } from 'kysely'
import { newId } from '../ids.ts'
import type { Database, Wish, WishLevel } from '../schema.ts'

export interface WishDto {
  id: string
  from: string
  to: string
  level: WishLevel
  setBy: 'organiser' | 'participant'
  createdAt: string
}

export function toWishDto(row: Wish): WishDto {
  return { id: row.id, from: row.from_registration_id, to: row.to_registration_id, level: row.level, setBy: row.set_by, createdAt: row.created_at }
}

export async function listWishes(db: Kysely<Database>, eventId: string, from?: string): Promise<Wish[]> {
  let query = db.selectFrom('wishes').selectAll().where('event_id', '=', eventId)
  if (from) query = query.where('from_registration_id', '=', from)
  return query.orderBy('from_registration_id').orderBy('created_at').orderBy('id').execute()
}

/** Sets (or with level null removes) the wish of `from` about `to`. */
export async function setWish(
  db: Kysely<Database>,
  eventId: string,
  from: string,
  to: string,
  level: WishLevel | null,
  setBy: 'organiser' | 'participant',
  now: string,
): Promise<Wish | null> {
  if (level === null) {
    await db.deleteFrom('wishes').where('from_registration_id', '=', from).where('to_registration_id', '=', to).execute()
    return null
  }
  await db
    .insertInto('wishes')
    .values({ id: newId(), event_id: eventId, from_registration_id: from, to_registration_id: to, level, set_by: setBy, created_at: now })
    .onConflict((oc) => oc.columns(['from_registration_id', 'to_registration_id']).doUpdateSet({ level, set_by: setBy, created_at: now }))
    .execute()
  return db
    .selectFrom('wishes')
    .selectAll()
    .where('from_registration_id', '=', from)
    .where('to_registration_id', '=', to)
    .executeTakeFirstOrThrow()
}

/** Replaces every wish of `from` with the given list (`setBy` per wish, else the list's). */
export async function replaceWishes(
  trx: Transaction<Database>,
  eventId: string,
  from: string,
  wishes: { to: string; level: WishLevel; setBy?: 'organiser' | 'participant' }[],
  setBy: 'organiser' | 'participant',
  now: string,
): Promise<void> {
  await trx.deleteFrom('wishes').where('from_registration_id', '=', from).execute()
  if (wishes.length === 0) return
  await trx
    .insertInto('wishes')
    .values(wishes.map((w) => ({ id: newId(), event_id: eventId, from_registration_id: from, to_registration_id: w.to, level: w.level, set_by: w.setBy ?? setBy, created_at: now })))
    .execute()
}
