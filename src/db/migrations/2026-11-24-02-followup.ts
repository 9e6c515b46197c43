import { sql, type Kysely } from 'kysely'

// After the meetings: ratings, proposals, partnerships with their history, check-ins,
// and per-event settings (when rating was closed). Kysely<any>, no app imports.
export async function up(db: Kysely<any>): Promise<void> {
  // One row per event that has settings; no row = defaults (rating open).
  await db.schema
    .createTable('event_settings')
    .addColumn('event_id', 'text', (c) => c.primaryKey().references('events.id').onDelete('cascade'))
    .addColumn('rating_closed_at', 'text')
    .addColumn('rating_closed_by', 'text')
    .execute()

  await db.schema
    .createTable('ratings')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('meeting_id', 'text', (c) => c.notNull().references('meetings.id').onDelete('cascade'))
    .addColumn('side', 'text', (c) => c.notNull().check(sqlIn('side', ['association', 'company'])))
    .addColumn('registration_id', 'text', (c) => c.notNull().references('registrations.id').onDelete('cascade'))
    .addColumn('took_place', 'integer', (c) => c.notNull().check(sql`took_place in (0, 1)`))
    .addColumn('interest', 'integer', (c) => c.check(sql`interest between 1 and 5`))
    .addColumn('follow_up', 'integer', (c) => c.check(sql`follow_up in (0, 1)`))
    .addColumn('kinds', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('note', 'text')
    .addColumn('source', 'text', (c) =>
      c.notNull().check(sqlIn('source', ['participant', 'slip', 'csv', 'history', 'organiser'])),
    )
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('ratings_meeting_side', ['meeting_id', 'side'])
    .execute()
  await db.schema.createIndex('ratings_registration').on('ratings').column('registration_id').execute()

  await db.schema
    .createTable('proposals')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('event_id', 'text', (c) => c.notNull().references('events.id').onDelete('cascade'))
    .addColumn('kind', 'text', (c) => c.notNull().check(sqlIn('kind', ['follow-up', 'missed'])))
    .addColumn('rank', 'integer', (c) => c.notNull())
    .addColumn('meeting_id', 'text', (c) => c.references('meetings.id').onDelete('set null'))
    .addColumn('association_registration_id', 'text', (c) =>
      c.notNull().references('registrations.id').onDelete('cascade'),
    )
    .addColumn('company_registration_id', 'text', (c) => c.notNull().references('registrations.id').onDelete('cascade'))
    .addColumn('mutual_interest', 'integer')
    .addColumn('score', 'double precision')
    .addColumn('caller', 'text', (c) => c.notNull().check(sqlIn('caller', ['association', 'company'])))
    .addColumn('due_date', 'text', (c) => c.notNull())
    .addColumn('reasons', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('note', 'text')
    .addColumn('status', 'text', (c) => c.notNull().check(sqlIn('status', ['proposed', 'accepted', 'dropped'])))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('proposals_event_pair', ['event_id', 'association_registration_id', 'company_registration_id'])
    .execute()

  await db.schema
    .createTable('partnerships')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('event_id', 'text', (c) => c.notNull().references('events.id').onDelete('cascade'))
    .addColumn('origin', 'text', (c) => c.notNull().check(sqlIn('origin', ['proposal', 'meeting', 'direct', 'history'])))
    .addColumn('proposal_id', 'text', (c) => c.references('proposals.id').onDelete('set null'))
    .addColumn('meeting_id', 'text', (c) => c.references('meetings.id').onDelete('set null'))
    .addColumn('association_registration_id', 'text', (c) =>
      c.notNull().references('registrations.id').onDelete('cascade'),
    )
    .addColumn('company_registration_id', 'text', (c) => c.notNull().references('registrations.id').onDelete('cascade'))
    .addColumn('status', 'text', (c) =>
      c
        .notNull()
        .check(
          sqlIn('status', ['proposed', 'contacted', 'in_discussion', 'agreement', 'carried_out', 'renewed', 'abandoned']),
        ),
    )
    .addColumn('abandon_reason', 'text')
    .addColumn('kinds', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('value_money_eur', 'double precision')
    .addColumn('value_staff_hours', 'double precision')
    .addColumn('value_in_kind_eur', 'double precision')
    .addColumn('started_on', 'text')
    .addColumn('ended_on', 'text')
    .addColumn('note', 'text')
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('partnerships_event_pair', ['event_id', 'association_registration_id', 'company_registration_id'])
    .execute()

  // Append-only: rows are inserted, never updated or deleted by the app.
  await db.schema
    .createTable('partnership_history')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('partnership_id', 'text', (c) => c.notNull().references('partnerships.id').onDelete('cascade'))
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('from_status', 'text')
    .addColumn('to_status', 'text', (c) => c.notNull())
    .addColumn('reason', 'text')
    .addColumn('actor', 'text', (c) => c.notNull())
    .addColumn('at', 'text', (c) => c.notNull())
    .addUniqueConstraint('partnership_history_seq', ['partnership_id', 'seq'])
    .execute()

  await db.schema
    .createTable('checkins')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('partnership_id', 'text', (c) => c.notNull().references('partnerships.id').onDelete('cascade'))
    .addColumn('milestone', 'text', (c) => c.notNull().check(sqlIn('milestone', ['2w', '3m', '6m', '12m'])))
    .addColumn('side', 'text', (c) => c.notNull().check(sqlIn('side', ['association', 'company'])))
    .addColumn('due_on', 'text', (c) => c.notNull())
    .addColumn('answered_at', 'text')
    .addColumn('answered_by', 'text', (c) => c.references('registrations.id').onDelete('set null'))
    .addColumn('evolution', 'text', (c) =>
      c.check(sqlIn('evolution', ['no-contact', 'in-progress', 'agreement', 'carried-out', 'abandoned'])),
    )
    .addColumn('comment', 'text')
    .addUniqueConstraint('checkins_partnership_milestone_side', ['partnership_id', 'milestone', 'side'])
    .execute()
  await db.schema.createIndex('checkins_due').on('checkins').column('due_on').execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ['checkins', 'partnership_history', 'partnerships', 'proposals', 'ratings', 'event_settings']) {
    await db.schema.dropTable(table).execute()
  }
}

function sqlIn(column: string, values: string[]) {
  return sql`${sql.ref(column)} in (${sql.join(values.map((v) => sql.lit(v)))})`
}
