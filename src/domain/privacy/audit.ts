/**
 * The audit log of actions on personal data: exports, erasures, downloads of
 * a person's data, organisers' changes to a participant's profile. Details
 * name fields and counts, never values: the log holds no personal data.
 */
import type { Kysely } from 'kysely'
import type { Database } from '../../db/schema.ts'
import { newId } from '../../db/ids.ts'
import { DEFAULT_RETENTION_MONTHS, privacyDb } from './db.ts'
import { addMonths } from './dates.ts'

export type AuditAction =
  | 'export'
  | 'erasure'
  | 'data-download'
  | 'profile-change'
  | 'retention'
  | 'privacy-settings'
  // operations that undo a step of the event (src/domain/event-status.ts, ratings, published-rotation.ts)
  | 'event-reopen'
  | 'ratings-reopen'
  | 'schedule-unpublish'

export interface AuditEntry {
  networkId: string
  actor: string
  action: AuditAction
  target: string
  details?: Record<string, string | number | boolean | null | string[]>
}

export async function writeAudit(db: Kysely<Database>, entry: AuditEntry, now: string): Promise<void> {
  await db
    .insertInto('audit_log')
    .values({
      id: newId(), network_id: entry.networkId, actor: entry.actor, action: entry.action, target: entry.target, at: now,
      details: JSON.stringify(entry.details ?? {}),
    })
    .execute()
}

export interface AuditDto {
  id: string
  actor: string
  action: string
  target: string
  at: string
  details: unknown
}

/** The network's log, newest first. */
export async function listAudit(db: Kysely<Database>, networkId: string, limit = 500): Promise<AuditDto[]> {
  const rows = await db.selectFrom('audit_log').selectAll().where('network_id', '=', networkId).orderBy('at', 'desc').orderBy('id').limit(limit).execute()
  return rows.map((r) => ({ id: r.id, actor: r.actor, action: r.action, target: r.target, at: r.at, details: JSON.parse(r.details) as unknown }))
}

/** Drops entries older than each network's retention policy; returns how many went. */
export async function purgeAudit(db: Kysely<Database>, now: Date): Promise<number> {
  const networks = await privacyDb(db).selectFrom('networks').select(['id', 'retention_months']).execute()
  let removed = 0
  for (const n of networks) {
    const before = addMonths(now.toISOString().slice(0, 10), -(n.retention_months ?? DEFAULT_RETENTION_MONTHS))
    const result = await db.deleteFrom('audit_log').where('network_id', '=', n.id).where('at', '<', before).executeTakeFirst()
    removed += Number(result.numDeletedRows)
  }
  return removed
}

/**
 * One entry per network whose events a lab export read: the lab's export is
 * visible to each network's admin. `actor` is `actorOf(auth)`.
 */
export async function auditLabExport(
  db: Kysely<Database>,
  input: { actor: string; eventIds: readonly string[]; format: string; rows: number },
  now: string,
): Promise<void> {
  if (input.eventIds.length === 0) return
  const events = await db.selectFrom('events').select(['id', 'network_id']).where('id', 'in', [...input.eventIds]).execute()
  const byNetwork = new Map<string, string[]>()
  for (const e of events) byNetwork.set(e.network_id, [...(byNetwork.get(e.network_id) ?? []), e.id])
  for (const [networkId, eventIds] of byNetwork) {
    await writeAudit(db, { networkId, actor: input.actor, action: 'export', target: 'lab-export', details: { events: eventIds, format: input.format, rows: input.rows } }, now)
  }
}
