/**
 * The database as the privacy code sees it: the shared schema plus the columns
 * migration 2026-11-26-06-privacy adds to networks, organisations and
 * registrations. Kept here rather than in src/db/schema.ts so that code which
 * builds whole rows of those tables (seeds, imports, tests) need not know them.
 */
import type { Kysely, Transaction } from 'kysely'
import type { Database, NetworkTable, OrganisationTable, RegistrationTable } from '../../db/schema.ts'

export interface PrivacyDatabase extends Omit<Database, 'networks' | 'organisations' | 'registrations'> {
  networks: NetworkTable & {
    /** the privacy notice's contact (null: the network's e-mail) */
    privacy_email: string | null
    /** data protection officer, if the network named one */
    dpo_name: string | null
    /** months personal data are kept after an event's last check-in (null: 12) */
    retention_months: number | null
  }
  organisations: OrganisationTable & {
    /** set once the retention job anonymised it */
    anonymised_at: string | null
  }
  registrations: RegistrationTable & {
    /** research use of its pairs: null = not asked yet, 1 = yes, 0 = refused */
    research_consent: number | null
    research_consent_at: string | null
    /** set when the person's data were erased, on request or by retention */
    erased_at: string | null
  }
}

export type PrivacyDb = Kysely<PrivacyDatabase>
export type PrivacyTrx = Transaction<PrivacyDatabase>

/** The same connection, typed with the privacy columns. */
export function privacyDb(db: Kysely<Database>): PrivacyDb {
  return db as unknown as PrivacyDb
}

export const DEFAULT_RETENTION_MONTHS = 12
/** The placeholder an erased person's name becomes. */
export const ERASED_NAME = 'Participant effacé'
