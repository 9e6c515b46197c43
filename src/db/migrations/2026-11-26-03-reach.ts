import { sql, type Kysely } from 'kysely'

// Reaching participants (issue 9).
// - `registration_links`: personal links are derived from a server secret and
//   a version per registration (src/domain/links.ts; no row = version 0);
//   bumping it revokes the link. Registrations from before keep their random
//   secret (still valid) until renewed once.
// - `outbox`: every e-mail, queued then sent by src/domain/mail/outbox.ts.
//   `dedupe_key` is unique so one message is never queued twice; bodies keep a
//   placeholder where the personal link goes, filled in at sending time, so the
//   table does not reveal the links either.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('registration_links')
    .addColumn('registration_id', 'text', (c) => c.primaryKey().references('registrations.id').onDelete('cascade'))
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute()

  await db.schema
    .createTable('outbox')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('network_id', 'text', (c) => c.notNull().references('networks.id').onDelete('cascade'))
    .addColumn('event_id', 'text', (c) => c.references('events.id').onDelete('cascade'))
    .addColumn('registration_id', 'text', (c) => c.references('registrations.id').onDelete('set null'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('to_address', 'text', (c) => c.notNull())
    .addColumn('to_name', 'text')
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('body_text', 'text', (c) => c.notNull())
    .addColumn('body_html', 'text')
    .addColumn('ics', 'text')
    // for messages that carry the participant's programme: a digest of it, to tell when it changed
    .addColumn('programme_digest', 'text')
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('queued', 'sending', 'sent', 'failed')`))
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('next_attempt_at', 'text', (c) => c.notNull())
    .addColumn('claimed_at', 'text')
    .addColumn('last_error', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('sent_at', 'text')
    .addColumn('dedupe_key', 'text', (c) => c.notNull().unique())
    .execute()
  await db.schema.createIndex('outbox_due').on('outbox').columns(['status', 'next_attempt_at']).execute()
  await db.schema.createIndex('outbox_event').on('outbox').columns(['event_id', 'created_at']).execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('outbox').execute()
  await db.schema.dropTable('registration_links').execute()
}
