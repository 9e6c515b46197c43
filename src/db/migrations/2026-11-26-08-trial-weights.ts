import { sql, type Kysely } from 'kysely'

// Live trials and adopted weights (issue 11).
// - trials.arms: the strategies an organiser put in the event's trial (JSON
//   array); trials.created_by: who set it up (null for history imports).
// - meetings.arm: the strategy that scored the meeting's pair; null = no trial.
// - schedules.weights / weights_version: the scoring weights a version was
//   solved with (JSON of every weight) and their version ('default', or the
//   source and a digest of the values); schedules.trial: the draw of the
//   version (JSON: assignment, seed, arms, and the event's arm or each
//   association's). Null on versions solved before this migration.
// - event_weights: weights an organiser adopted for an event (learned from
//   outcomes or given); no row = the default weights.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('trials').addColumn('arms', 'text', (c) => c.notNull().defaultTo('[]')).execute()
  await db.schema.alterTable('trials').addColumn('created_by', 'text').execute()
  await db.schema.alterTable('meetings').addColumn('arm', 'text').execute()
  await db.schema.alterTable('schedules').addColumn('weights', 'text').execute()
  await db.schema.alterTable('schedules').addColumn('weights_version', 'text').execute()
  await db.schema.alterTable('schedules').addColumn('trial', 'text').execute()
  await db.schema
    .createTable('event_weights')
    .addColumn('event_id', 'text', (c) => c.primaryKey().references('events.id').onDelete('cascade'))
    .addColumn('weights', 'text', (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull().check(sql`source in ('learned', 'manual')`))
    .addColumn('version', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('event_weights').execute()
  await db.schema.alterTable('schedules').dropColumn('trial').execute()
  await db.schema.alterTable('schedules').dropColumn('weights_version').execute()
  await db.schema.alterTable('schedules').dropColumn('weights').execute()
  await db.schema.alterTable('meetings').dropColumn('arm').execute()
  await db.schema.alterTable('trials').dropColumn('created_by').execute()
  await db.schema.alterTable('trials').dropColumn('arms').execute()
}
