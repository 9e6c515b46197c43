import type { Kysely } from 'kysely'

// A network may let a lab keep stable pseudonyms across exports (its own key);
// otherwise every export of the lab gets a fresh salt.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('lab_grants').addColumn('stable_pseudonyms', 'integer', (c) => c.notNull().defaultTo(0)).execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('lab_grants').dropColumn('stable_pseudonyms').execute()
}
