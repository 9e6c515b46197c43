/** The trial an event runs, and the weights adopted for it (migration 2026-11-26-08). */
import type { Kysely, Transaction } from 'kysely'
import type { Database, EventWeightsTable, TrialTable } from '../schema.ts'

type Db = Kysely<Database> | Transaction<Database>

export interface TrialRow {
  eventId: string
  assignment: TrialTable['assignment']
  seed: string
  arms: string[]
  createdAt: string
  createdBy: string | null
}

const parseArray = (json: string): string[] => {
  try {
    const v = JSON.parse(json) as unknown
    return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []
  } catch {
    return []
  }
}

export async function findTrial(db: Db, eventId: string): Promise<TrialRow | null> {
  const row = await db.selectFrom('trials').selectAll().where('event_id', '=', eventId).executeTakeFirst()
  if (!row) return null
  return { eventId: row.event_id, assignment: row.assignment, seed: row.seed, arms: parseArray(row.arms), createdAt: row.created_at, createdBy: row.created_by }
}

/** Replaces the event's trial (inside the caller's transaction). */
export async function saveTrial(trx: Transaction<Database>, trial: TrialRow): Promise<void> {
  await trx.deleteFrom('trials').where('event_id', '=', trial.eventId).execute()
  await trx
    .insertInto('trials')
    .values({ event_id: trial.eventId, assignment: trial.assignment, seed: trial.seed, arms: JSON.stringify(trial.arms), created_at: trial.createdAt, created_by: trial.createdBy })
    .execute()
}

export async function deleteTrial(trx: Transaction<Database>, eventId: string): Promise<boolean> {
  const { numDeletedRows } = await trx.deleteFrom('trials').where('event_id', '=', eventId).executeTakeFirst()
  return numDeletedRows > 0n
}

export type EventWeightsRow = EventWeightsTable

export async function findEventWeights(db: Db, eventId: string): Promise<EventWeightsRow | undefined> {
  return db.selectFrom('event_weights').selectAll().where('event_id', '=', eventId).executeTakeFirst()
}

export async function saveEventWeights(trx: Transaction<Database>, row: EventWeightsRow): Promise<void> {
  await trx.deleteFrom('event_weights').where('event_id', '=', row.event_id).execute()
  await trx.insertInto('event_weights').values(row).execute()
}

export async function deleteEventWeights(db: Db, eventId: string): Promise<void> {
  await db.deleteFrom('event_weights').where('event_id', '=', eventId).execute()
}
