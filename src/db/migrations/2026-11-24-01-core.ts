import { sql, type Kysely } from 'kysely'

// Migrations take Kysely<any> and never import app code: they must keep
// working as the app's types move on. 'double precision' and 'text' mean the
// same on SQLite and PostgreSQL.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('organisers')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('email', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute()

  await db.schema
    .createTable('api_tokens')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('role', 'text', (c) => c.notNull().check(sqlIn('role', ['organiser', 'lab'])))
    .addColumn('organiser_id', 'text', (c) => c.references('organisers.id').onDelete('cascade'))
    .addColumn('label', 'text')
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('revoked_at', 'text')
    .execute()

  await db.schema
    .createTable('organisations')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('kind', 'text', (c) => c.notNull().check(sqlIn('kind', ['association', 'company'])))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('siren', 'text')
    .addColumn('rna', 'text')
    .addColumn('sector', 'text')
    .addColumn('size', 'text')
    .addColumn('town', 'text')
    .addColumn('postcode', 'text')
    .addColumn('latitude', 'double precision')
    .addColumn('longitude', 'double precision')
    .addColumn('themes', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('territories', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('offers', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('needs', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('description', 'text')
    .addColumn('contact_name', 'text')
    .addColumn('contact_email', 'text')
    .addColumn('group_name', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute()
  await db.schema.createIndex('organisations_kind_name').on('organisations').columns(['kind', 'name']).execute()

  await db.schema
    .createTable('events')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('organiser_id', 'text', (c) => c.notNull().references('organisers.id'))
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('date', 'text', (c) => c.notNull())
    .addColumn('venue', 'text')
    .addColumn('start_time', 'text')
    .addColumn('rounds', 'integer', (c) => c.notNull())
    .addColumn('meeting_minutes', 'integer', (c) => c.notNull())
    .addColumn('transition_minutes', 'integer', (c) => c.notNull())
    .addColumn('breaks', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('tables', 'integer')
    .addColumn('seated_side', 'text', (c) => c.notNull().check(sqlIn('seated_side', ['association', 'company'])))
    .addColumn('status', 'text', (c) =>
      c.notNull().check(sqlIn('status', ['draft', 'open', 'scheduled', 'live', 'closed'])),
    )
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute()
  await db.schema.createIndex('events_organiser').on('events').column('organiser_id').execute()

  await db.schema
    .createTable('registrations')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('event_id', 'text', (c) => c.notNull().references('events.id').onDelete('cascade'))
    .addColumn('organisation_id', 'text', (c) => c.notNull().references('organisations.id'))
    .addColumn('person_name', 'text', (c) => c.notNull())
    .addColumn('person_email', 'text')
    .addColumn('arrive_round', 'integer')
    .addColumn('leave_round', 'integer')
    .addColumn('min_meetings', 'integer')
    .addColumn('max_meetings', 'integer')
    .addColumn('attendance', 'text', (c) =>
      c.notNull().defaultTo('registered').check(sqlIn('attendance', ['registered', 'present', 'absent', 'walk-in'])),
    )
    .addColumn('secret_hash', 'text', (c) => c.notNull().unique())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('registrations_event_organisation', ['event_id', 'organisation_id'])
    .execute()

  await db.schema
    .createTable('wishes')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('event_id', 'text', (c) => c.notNull().references('events.id').onDelete('cascade'))
    .addColumn('from_registration_id', 'text', (c) => c.notNull().references('registrations.id').onDelete('cascade'))
    .addColumn('to_registration_id', 'text', (c) => c.notNull().references('registrations.id').onDelete('cascade'))
    .addColumn('level', 'text', (c) => c.notNull().check(sqlIn('level', ['must', 'like', 'avoid'])))
    .addColumn('set_by', 'text', (c) => c.notNull().check(sqlIn('set_by', ['organiser', 'participant'])))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('wishes_from_to', ['from_registration_id', 'to_registration_id'])
    .execute()
  await db.schema.createIndex('wishes_event').on('wishes').column('event_id').execute()

  await db.schema
    .createTable('exclusions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('event_id', 'text', (c) => c.references('events.id').onDelete('cascade'))
    .addColumn('association_id', 'text', (c) => c.notNull().references('organisations.id'))
    .addColumn('company_id', 'text', (c) => c.notNull().references('organisations.id'))
    .addColumn('reason', 'text', (c) =>
      c.notNull().check(sqlIn('reason', ['existing-partnership', 'conflict', 'same-organisation'])),
    )
    .addColumn('note', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute()

  await db.schema
    .createTable('schedules')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('event_id', 'text', (c) => c.notNull().references('events.id').onDelete('cascade'))
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull().check(sqlIn('kind', ['full', 'replan'])))
    .addColumn('from_round', 'integer')
    .addColumn('input_digest', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull().check(sqlIn('status', ['optimal', 'feasible', 'infeasible'])))
    .addColumn('objective', 'double precision', (c) => c.notNull())
    .addColumn('bound', 'double precision', (c) => c.notNull())
    .addColumn('fairness_level', 'integer', (c) => c.notNull())
    .addColumn('meeting_count', 'integer', (c) => c.notNull())
    .addColumn('idle_rounds', 'integer', (c) => c.notNull())
    .addColumn('solve_ms', 'double precision', (c) => c.notNull())
    .addColumn('stats', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('published', 'integer', (c) => c.notNull().defaultTo(0))
    .addUniqueConstraint('schedules_event_version', ['event_id', 'version'])
    .execute()
  // one published version per event, even under concurrent publishing (a partial index: SQLite and PostgreSQL)
  await db.schema
    .createIndex('schedules_one_published')
    .on('schedules')
    .column('event_id')
    .unique()
    .where(sql.ref('published'), '=', sql.lit(1))
    .execute()

  await db.schema
    .createTable('meetings')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('schedule_id', 'text', (c) => c.notNull().references('schedules.id').onDelete('cascade'))
    .addColumn('round', 'integer', (c) => c.notNull())
    .addColumn('table_no', 'integer', (c) => c.notNull())
    .addColumn('association_registration_id', 'text', (c) =>
      c.notNull().references('registrations.id').onDelete('cascade'),
    )
    .addColumn('company_registration_id', 'text', (c) => c.notNull().references('registrations.id').onDelete('cascade'))
    .addColumn('score', 'double precision', (c) => c.notNull())
    .addColumn('reasons', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('short_code', 'text', (c) => c.notNull())
    .addUniqueConstraint('meetings_schedule_round_table', ['schedule_id', 'round', 'table_no'])
    .addUniqueConstraint('meetings_schedule_code', ['schedule_id', 'short_code'])
    .execute()
  await db.schema.createIndex('meetings_association').on('meetings').column('association_registration_id').execute()
  await db.schema.createIndex('meetings_company').on('meetings').column('company_registration_id').execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ['meetings', 'schedules', 'exclusions', 'wishes', 'registrations', 'events', 'organisations', 'api_tokens', 'organisers']) {
    await db.schema.dropTable(table).execute()
  }
}

function sqlIn(column: string, values: string[]) {
  return sql`${sql.ref(column)} in (${sql.join(values.map((v) => sql.lit(v)))})`
}
