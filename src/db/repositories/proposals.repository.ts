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
 * Stores a new run: a pair proposed again keeps its id (and, if an organiser
 * edited it, its caller, due date and note); open proposals not proposed again
 * are deleted; those accepted or dropped are kept as they are (pairs skipped).
 */
export async function replaceOpenProposals(tx: Transaction<Database>, eventId: string, rows: ProposalTable[]): Promise<void> {
  const existing = await tx.selectFrom('proposals').selectAll().where('event_id', '=', eventId).execute()
  const pair = (r: { association_registration_id: string; company_registration_id: string }) =>
    `${r.association_registration_id}|${r.company_registration_id}`
  const byPair = new Map(existing.map((r) => [pair(r), r]))
  const fresh = new Set(rows.map(pair))
  for (const old of existing) {
    if (old.status === 'proposed' && !fresh.has(pair(old))) await tx.deleteFrom('proposals').where('id', '=', old.id).execute()
  }
  for (const row of rows) {
    const old = byPair.get(pair(row))
    if (!old) {
      await tx.insertInto('proposals').values(row).execute()
    } else if (old.status === 'proposed') {
      const edited = old.updated_at !== old.created_at
      await tx
        .updateTable('proposals')
        .set({
          kind: row.kind, rank: row.rank, meeting_id: row.meeting_id, mutual_interest: row.mutual_interest, score: row.score,
          reasons: row.reasons, caller: edited ? old.caller : row.caller, due_date: edited ? old.due_date : row.due_date,
        })
        .where('id', '=', old.id)
        .execute()
    }
  }
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
