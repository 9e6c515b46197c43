import type { Kysely } from 'kysely'

// Personal data (issue 12): a participant's research consent and erasure,
// the network's privacy settings, the retention job's record and the audit log.
export async function up(db: Kysely<any>): Promise<void> {
  // null = not asked yet; 1 = accepts research use of its pairs; 0 = refuses
  await db.schema.alterTable('registrations').addColumn('research_consent', 'integer').execute()
  await db.schema.alterTable('registrations').addColumn('research_consent_at', 'text').execute()
  // set when the person's data were erased (on request or by retention)
  await db.schema.alterTable('registrations').addColumn('erased_at', 'text').execute()

  // the privacy notice's contact (default: the network's e-mail), its data protection officer, its retention policy
  await db.schema.alterTable('networks').addColumn('privacy_email', 'text').execute()
  await db.schema.alterTable('networks').addColumn('dpo_name', 'text').execute()
  // null = 12 months
  await db.schema.alterTable('networks').addColumn('retention_months', 'integer').execute()

  await db.schema.alterTable('organisations').addColumn('anonymised_at', 'text').execute()

  // one row per event whose participants' personal data the retention job erased
  await db.schema
    .createTable('retention_runs')
    .addColumn('event_id', 'text', (c) => c.primaryKey().references('events.id').onDelete('cascade'))
    .addColumn('network_id', 'text', (c) => c.notNull().references('networks.id'))
    .addColumn('purge_on', 'text', (c) => c.notNull())
    .addColumn('erased_registrations', 'integer', (c) => c.notNull())
    .addColumn('done_at', 'text', (c) => c.notNull())
    .execute()

  // who did what to personal data; details never carry personal data
  await db.schema
    .createTable('audit_log')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('network_id', 'text', (c) => c.notNull().references('networks.id'))
    .addColumn('actor', 'text', (c) => c.notNull())
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('target', 'text', (c) => c.notNull())
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('details', 'text', (c) => c.notNull())
    .execute()
  await db.schema.createIndex('audit_log_network_at').on('audit_log').columns(['network_id', 'at']).execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('audit_log').execute()
  await db.schema.dropTable('retention_runs').execute()
  await db.schema.alterTable('organisations').dropColumn('anonymised_at').execute()
  for (const column of ['retention_months', 'dpo_name', 'privacy_email']) await db.schema.alterTable('networks').dropColumn(column).execute()
  for (const column of ['erased_at', 'research_consent_at', 'research_consent']) await db.schema.alterTable('registrations').dropColumn(column).execute()
}
