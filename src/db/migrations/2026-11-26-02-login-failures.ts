import type { Kysely } from 'kysely'

// Failed logins per client address, in the database so that several service
// processes on one PostgreSQL count them together and a restart forgets nothing.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('login_failures')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('address', 'text', (c) => c.notNull())
    .addColumn('at', 'text', (c) => c.notNull())
    .execute()
  await db.schema.createIndex('login_failures_address_at').on('login_failures').columns(['address', 'at']).execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('login_failures').execute()
}
