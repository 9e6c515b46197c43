/** Follow-up proposals of an event. */
import type { Kysely, Transaction } from 'kysely'
import type { Database, Proposal, ProposalTable } from '../schema.ts'

type Db = Kysely<Database> | Transaction<Database>

export async function listProposals(db: Db, eventId: string): Promise<Proposal[]> {
  return db
    .selectFrom('proposals')
    .selectAll()
    .where('event_id', '=', eventId)
    .orderBy('kind', 'desc') // 'follow-up' before 'missed'
    .orderBy('rank')
    .execute()
}

export async function findProposal(db: Db, eventId: string, id: string): Promise<Proposal | undefined> {
  return db.selectFrom('proposals').selectAll().where('event_id', '=', eventId).where('id', '=', id).executeTakeFirst()
}

/**
 * Replaces the event's proposals that are still 'proposed' by a new run; those an
 * organiser accepted or dropped are kept as they are (and their pairs skipped).
 */
export async function replaceOpenProposals(tx: Transaction<Database>, eventId: string, rows: ProposalTable[]): Promise<void> {
  await tx.deleteFrom('proposals').where('event_id', '=', eventId).where('status', '=', 'proposed').execute()
  const kept = await tx
    .selectFrom('proposals')
    .select(['association_registration_id', 'company_registration_id'])
    .where('event_id', '=', eventId)
    .execute()
  const keptPairs = new Set(kept.map((k) => `${k.association_registration_id}|${k.company_registration_id}`))
  const fresh = rows.filter((r) => !keptPairs.has(`${r.association_registration_id}|${r.company_registration_id}`))
  if (fresh.length > 0) await tx.insertInto('proposals').values(fresh).execute()
}

export async function updateProposal(
  db: Db,
  eventId: string,
  id: string,
  changes: Partial<Pick<ProposalTable, 'caller' | 'due_date' | 'note' | 'status'>>,
  now: string,
): Promise<Proposal | undefined> {
  await db
    .updateTable('proposals')
    .set({ ...changes, updated_at: now })
    .where('event_id', '=', eventId)
    .where('id', '=', id)
    .execute()
  return findProposal(db, eventId, id)
}
