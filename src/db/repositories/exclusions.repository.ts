import type { Kysely, Selectable } from 'kysely'
import { newId } from '../ids.ts'
import type { Database, ExclusionTable } from '../schema.ts'

export type Exclusion = Selectable<ExclusionTable>

export interface ExclusionDto {
  id: string
  eventId: string | null
  associationId: string
  companyId: string
  reason: Exclusion['reason']
  note: string | null
  createdAt: string
}

export function toExclusionDto(row: Exclusion): ExclusionDto {
  return {
    id: row.id, eventId: row.event_id, associationId: row.association_id, companyId: row.company_id,
    reason: row.reason, note: row.note, createdAt: row.created_at,
  }
}

/** Exclusions that apply to an event: its own, and the every-event ones between its organisations. */
export async function listEventExclusions(db: Kysely<Database>, event: { id: string; network_id: string }): Promise<Exclusion[]> {
  return db
    .selectFrom('exclusions')
    .selectAll()
    .where((eb) => {
      const registered = () => eb.selectFrom('registrations').select('organisation_id').where('event_id', '=', event.id)
      return eb.or([
        eb('event_id', '=', event.id),
        eb.and([
          eb('event_id', 'is', null),
          eb('network_id', '=', event.network_id),
          eb('association_id', 'in', registered()),
          eb('company_id', 'in', registered()),
        ]),
      ])
    })
    .orderBy('created_at')
    .orderBy('id')
    .execute()
}

export async function addExclusion(
  db: Kysely<Database>,
  input: { networkId: string; eventId: string | null; associationId: string; companyId: string; reason: Exclusion['reason']; note: string | null },
  now: string,
): Promise<Exclusion> {
  const row: Exclusion = {
    id: newId(), network_id: input.networkId, event_id: input.eventId, association_id: input.associationId, company_id: input.companyId,
    reason: input.reason, note: input.note, created_at: now,
  }
  await db.insertInto('exclusions').values(row).execute()
  return row
}

export async function deleteExclusion(db: Kysely<Database>, id: string): Promise<void> {
  await db.deleteFrom('exclusions').where('id', '=', id).execute()
}
