/**
 * Research consent: at first visit a participant says whether its pairs may
 * enter research exports. A refusal keeps every pair it is part of out of
 * every pair-level export; aggregate figures (counts, funnel) still count it.
 */
import type { Kysely } from 'kysely'
import type { Database } from '../../db/schema.ts'
import { privacyDb } from './db.ts'

export async function setResearchConsent(db: Kysely<Database>, registrationId: string, research: boolean, now: string): Promise<void> {
  await privacyDb(db)
    .updateTable('registrations')
    .set({ research_consent: research ? 1 : 0, research_consent_at: now })
    .where('id', '=', registrationId)
    .execute()
}

/** null = not asked yet. */
export async function researchConsentOf(db: Kysely<Database>, registrationId: string): Promise<{ research: boolean | null; at: string | null }> {
  const row = await privacyDb(db).selectFrom('registrations').select(['research_consent', 'research_consent_at']).where('id', '=', registrationId).executeTakeFirst()
  return { research: row?.research_consent == null ? null : row.research_consent === 1, at: row?.research_consent_at ?? null }
}

/** Registrations of `eventIds` that refused research use: their pairs leave pair-level exports. */
export async function excludedRegistrations(db: Kysely<Database>, eventIds: readonly string[]): Promise<Set<string>> {
  if (eventIds.length === 0) return new Set()
  const rows = await privacyDb(db)
    .selectFrom('registrations')
    .select('id')
    .where('event_id', 'in', [...eventIds])
    .where('research_consent', '=', 0)
    .execute()
  return new Set(rows.map((r) => r.id))
}

interface PairOf {
  associationRegistrationId: string
  companyRegistrationId: string
}

/** The events with the pairs of anyone in `excluded` taken out (for the lab's pair-level export). */
export function keepConsentedPairs<P extends PairOf, E extends { pairs: P[] }>(events: readonly E[], excluded: ReadonlySet<string>): E[] {
  if (excluded.size === 0) return [...events]
  return events.map((e) => ({ ...e, pairs: e.pairs.filter((p) => !excluded.has(p.associationRegistrationId) && !excluded.has(p.companyRegistrationId)) }))
}
