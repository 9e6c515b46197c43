import { sql, type Kysely } from 'kysely'

// Lab predictors (issue 11). Missing is null, never 0.
// - pair_extras: per pair of an event, what a history file told beyond the
//   schedule and the ratings: whether it gave a score, lab-supplied predictors
//   (JSON object name -> number; a missing value is an absent key), covariates
//   (JSON object name -> text), the interest scale and the interests as given,
//   whether the outcome is known and whether it was dated.
//   Why not make meetings.score nullable: SQLite cannot drop a NOT NULL without
//   recreating the table, and dropping `meetings` would cascade into ratings,
//   proposals and partnerships; a side table is safe on both dialects and
//   leaves the solver's tables alone. Readers take the score as null when
//   score_known = 0.
// - pair_extras.arm and trials: an event run as a randomised comparison of
//   matching strategies records the arm of every pair, the unit of assignment
//   (the event or blocks of participants) and the seed of the draw.
// - history_imports: content digest of each imported history file, per
//   network, so that the same file is not imported twice by mistake.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('pair_extras')
    .addColumn('event_id', 'text', (c) => c.notNull().references('events.id').onDelete('cascade'))
    .addColumn('association_registration_id', 'text', (c) => c.notNull().references('registrations.id').onDelete('cascade'))
    .addColumn('company_registration_id', 'text', (c) => c.notNull().references('registrations.id').onDelete('cascade'))
    .addColumn('score_known', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('predictors', 'text', (c) => c.notNull().defaultTo('{}'))
    .addColumn('covariates', 'text', (c) => c.notNull().defaultTo('{}'))
    .addColumn('interest_scale', 'text')
    .addColumn('a_interest_given', 'double precision')
    .addColumn('c_interest_given', 'double precision')
    .addColumn('outcome_known', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('outcome_dated', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('arm', 'text')
    .addPrimaryKeyConstraint('pair_extras_pk', ['event_id', 'association_registration_id', 'company_registration_id'])
    .execute()

  await db.schema
    .createTable('trials')
    .addColumn('event_id', 'text', (c) => c.primaryKey().references('events.id').onDelete('cascade'))
    .addColumn('assignment', 'text', (c) => c.notNull().check(sql`assignment in ('event', 'participant-block')`))
    .addColumn('seed', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute()

  await db.schema
    .createTable('history_imports')
    .addColumn('network_id', 'text', (c) => c.notNull().references('networks.id').onDelete('cascade'))
    .addColumn('digest', 'text', (c) => c.notNull())
    .addColumn('event_id', 'text', (c) => c.notNull().references('events.id').onDelete('cascade'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('history_imports_pk', ['network_id', 'digest'])
    .execute()
  await db.schema.createIndex('history_imports_event').on('history_imports').column('event_id').execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('history_imports').execute()
  await db.schema.dropTable('trials').execute()
  await db.schema.dropTable('pair_extras').execute()
}
