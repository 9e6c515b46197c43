/** Partnerships and their append-only status history. */
import type { Kysely, Transaction } from 'kysely'
import type { Database, Partnership, PartnershipHistory, PartnershipStatus, PartnershipTable } from '../schema.ts'

type Db = Kysely<Database> | Transaction<Database>

export async function insertPartnership(tx: Transaction<Database>, row: PartnershipTable): Promise<void> {
  await tx.insertInto('partnerships').values(row).execute()
  await appendHistory(tx, {
    id: `${row.id}-h1`,
    partnership_id: row.id,
    seq: 1,
    from_status: null,
    to_status: row.status,
    reason: null,
    actor: row.created_by,
    at: row.created_at,
  })
}

export async function findPartnership(db: Db, id: string): Promise<Partnership | undefined> {
  return db.selectFrom('partnerships').selectAll().where('id', '=', id).executeTakeFirst()
}

export async function findPartnershipOfPair(
  db: Db,
  eventId: string,
  associationRegistrationId: string,
  companyRegistrationId: string,
): Promise<Partnership | undefined> {
  return db
    .selectFrom('partnerships')
    .selectAll()
    .where('event_id', '=', eventId)
    .where('association_registration_id', '=', associationRegistrationId)
    .where('company_registration_id', '=', companyRegistrationId)
    .executeTakeFirst()
}

export async function listPartnerships(db: Db, eventIds: readonly string[]): Promise<Partnership[]> {
  if (eventIds.length === 0) return []
  return db.selectFrom('partnerships').selectAll().where('event_id', 'in', eventIds).orderBy('created_at').orderBy('id').execute()
}

export async function listHistory(db: Db, partnershipIds: readonly string[]): Promise<PartnershipHistory[]> {
  if (partnershipIds.length === 0) return []
  return db
    .selectFrom('partnership_history')
    .selectAll()
    .where('partnership_id', 'in', partnershipIds)
    .orderBy('partnership_id')
    .orderBy('seq')
    .execute()
}

/** Append-only: the only write to partnership_history is this insert. */
export async function appendHistory(tx: Transaction<Database>, row: PartnershipHistory): Promise<void> {
  await tx.insertInto('partnership_history').values(row).execute()
}

/**
 * Moves the partnership from the status the caller read (`partnership.status`)
 * to `to`, and appends the history row, in the caller's transaction. The
 * UPDATE is conditional on that status: false (and nothing written) when
 * another writer moved it first. The history's seq is read after the UPDATE,
 * which on PostgreSQL holds the row lock and on SQLite the write lock: two
 * moves of one partnership cannot take the same seq.
 */
export async function setStatus(
  tx: Transaction<Database>,
  partnership: Partnership,
  to: PartnershipStatus,
  reason: string | null,
  actor: string,
  now: string,
): Promise<boolean> {
  const { numUpdatedRows } = await tx
    .updateTable('partnerships')
    .set({ status: to, abandon_reason: to === 'abandoned' ? reason : partnership.abandon_reason, updated_at: now })
    .where('id', '=', partnership.id)
    .where('status', '=', partnership.status)
    .executeTakeFirst()
  if (numUpdatedRows === 0n) return false
  const last = await tx
    .selectFrom('partnership_history')
    .select((eb) => eb.fn.max('seq').as('seq'))
    .where('partnership_id', '=', partnership.id)
    .executeTakeFirst()
  const seq = Number(last?.seq ?? 0) + 1
  await appendHistory(tx, {
    id: `${partnership.id}-h${seq}`,
    partnership_id: partnership.id,
    seq,
    from_status: partnership.status,
    to_status: to,
    reason,
    actor,
    at: now,
  })
  return true
}

export async function updatePartnershipFields(
  db: Db,
  id: string,
  changes: Partial<
    Pick<
      PartnershipTable,
      'kinds' | 'value_money_eur' | 'value_staff_hours' | 'value_in_kind_eur' | 'started_on' | 'ended_on' | 'note'
    >
  >,
  now: string,
): Promise<void> {
  await db.updateTable('partnerships').set({ ...changes, updated_at: now }).where('id', '=', id).execute()
}
