import type { Kysely } from 'kysely'

// The room screen's clock, kept on the server so that a reload or a second
// screen shows the same time. One row per event; no row = before the first round.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('room_states')
    .addColumn('event_id', 'text', (c) => c.primaryKey().references('events.id').onDelete('cascade'))
    // 0 = before the first round; rounds + 1 = the evening is over
    .addColumn('round', 'integer', (c) => c.notNull())
    // 1 while the break after `round` is on
    .addColumn('on_break', 'integer', (c) => c.notNull().defaultTo(0))
    // ISO time the timer last (re)started; null while paused or stopped
    .addColumn('running_since', 'text')
    // milliseconds already elapsed in this round or break before running_since
    .addColumn('elapsed_ms', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('room_states').execute()
}
