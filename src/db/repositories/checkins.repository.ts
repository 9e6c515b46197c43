/** Check-ins of partnerships at 2 weeks, 3, 6 and 12 months. */
import type { Kysely, Transaction } from 'kysely'
import type { Checkin, CheckinTable, Database } from '../schema.ts'

type Db = Kysely<Database> | Transaction<Database>

export async function insertCheckins(tx: Transaction<Database>, rows: CheckinTable[]): Promise<void> {
  if (rows.length > 0) await tx.insertInto('checkins').values(rows).execute()
}

export type DueCheckin = Checkin & {
  event_id: string
  association_registration_id: string
  company_registration_id: string
  partnership_status: string
}

/** Unanswered check-ins due on or before `day` (YYYY-MM-DD) in the network's events. */
export async function listDueCheckins(db: Db, networkId: string, day: string): Promise<DueCheckin[]> {
  return db
    .selectFrom('checkins')
    .innerJoin('partnerships', 'partnerships.id', 'checkins.partnership_id')
    .innerJoin('events', 'events.id', 'partnerships.event_id')
    .selectAll('checkins')
    .select([
      'partnerships.event_id',
      'partnerships.association_registration_id',
      'partnerships.company_registration_id',
      'partnerships.status as partnership_status',
    ])
    .where('events.network_id', '=', networkId)
    .where('checkins.answered_at', 'is', null)
    .where('checkins.due_on', '<=', day)
    .orderBy('checkins.due_on')
    .orderBy('checkins.id')
    .execute()
}

/** The check-ins of one side of the participant's partnerships. */
export async function listCheckinsOfRegistration(db: Db, registrationId: string): Promise<(Checkin & { event_id: string })[]> {
  return db
    .selectFrom('checkins')
    .innerJoin('partnerships', 'partnerships.id', 'checkins.partnership_id')
    .selectAll('checkins')
    .select('partnerships.event_id')
    .where((eb) =>
      eb.or([
        eb.and([eb('partnerships.association_registration_id', '=', registrationId), eb('checkins.side', '=', 'association')]),
        eb.and([eb('partnerships.company_registration_id', '=', registrationId), eb('checkins.side', '=', 'company')]),
      ]),
    )
    .orderBy('checkins.due_on')
    .orderBy('checkins.id')
    .execute()
}

export async function answerCheckin(
  db: Db,
  id: string,
  values: Pick<CheckinTable, 'answered_at' | 'answered_by' | 'evolution' | 'comment'>,
): Promise<void> {
  await db.updateTable('checkins').set(values).where('id', '=', id).execute()
}

export async function listCheckins(db: Db, partnershipIds: readonly string[]): Promise<Checkin[]> {
  if (partnershipIds.length === 0) return []
  return db.selectFrom('checkins').selectAll().where('partnership_id', 'in', partnershipIds).orderBy('due_on').execute()
}
