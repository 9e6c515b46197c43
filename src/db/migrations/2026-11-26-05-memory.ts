import type { Kysely } from 'kysely'

// Memory of the network (issue 14):
// - per event, what to do with pairs that met at an earlier event of the
//   network (`met_before`: forbid, penalise or allow, with the score penalty)
//   and with pairs in an active partnership (`active_partnerships`);
// - `archived_at`: an archived event is hidden from the lists, its figures kept.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('events').addColumn('met_before', 'text', (c) => c.notNull().defaultTo('forbid')).execute()
  await db.schema.alterTable('events').addColumn('met_before_penalty', 'double precision', (c) => c.notNull().defaultTo(5)).execute()
  await db.schema.alterTable('events').addColumn('active_partnerships', 'text', (c) => c.notNull().defaultTo('forbid')).execute()
  await db.schema.alterTable('events').addColumn('archived_at', 'text').execute()
  await db.schema.createIndex('events_network_date').on('events').columns(['network_id', 'date']).execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('events_network_date').execute()
  for (const column of ['archived_at', 'active_partnerships', 'met_before_penalty', 'met_before']) {
    await db.schema.alterTable('events').dropColumn(column).execute()
  }
}
