/**
 * A participant's language, French by default: its page and its e-mails use
 * it (migration 2026-11-26-09-participant-locale adds `registrations.locale`).
 * Typed here rather than in src/db/schema.ts, as the privacy columns are, so
 * that code building whole registration rows (seeds, imports, tests) need not
 * know it.
 */
import type { Kysely } from 'kysely'

export const locales = ['fr', 'en'] as const
export type Locale = (typeof locales)[number]
export const DEFAULT_LOCALE: Locale = 'fr'

interface LocaleDatabase {
  registrations: { id: string; event_id: string; locale: Locale }
}

function localeDb(db: Kysely<any>): Kysely<LocaleDatabase> {
  return db as unknown as Kysely<LocaleDatabase>
}

export function isLocale(value: unknown): value is Locale {
  return value === 'fr' || value === 'en'
}

export async function participantLocale(db: Kysely<any>, registrationId: string): Promise<Locale> {
  const row = await localeDb(db).selectFrom('registrations').select('locale').where('id', '=', registrationId).executeTakeFirst()
  return isLocale(row?.locale) ? row.locale : DEFAULT_LOCALE
}

export async function setParticipantLocale(db: Kysely<any>, registrationId: string, locale: Locale): Promise<void> {
  await localeDb(db).updateTable('registrations').set({ locale }).where('id', '=', registrationId).execute()
}

/** Every participant's language in an event. */
export async function eventLocales(db: Kysely<any>, eventId: string): Promise<Map<string, Locale>> {
  const rows = await localeDb(db).selectFrom('registrations').select(['id', 'locale']).where('event_id', '=', eventId).execute()
  return new Map(rows.map((r) => [r.id, isLocale(r.locale) ? r.locale : DEFAULT_LOCALE]))
}
