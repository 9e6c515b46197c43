import type { Kysely, Transaction } from 'kysely'
import { generateToken, hashToken } from '../../auth/tokens.ts'
import { chunks } from '../chunks.ts'
import { newId } from '../ids.ts'
import { patchColumns, type ColumnsOf } from '../patch.ts'
import type { Attendance, Database, Organisation, Registration, RegistrationTable } from '../schema.ts'
import { toOrganisationDto, type OrganisationDto } from './organisations.repository.ts'

export interface RegistrationDto {
  id: string
  eventId: string
  organisation: OrganisationDto
  personName: string
  personEmail: string | null
  arriveRound: number | null
  leaveRound: number | null
  minMeetings: number | null
  maxMeetings: number | null
  attendance: Attendance
  createdAt: string
}

export interface RegistrationFields {
  personName: string
  personEmail?: string | null | undefined
  arriveRound?: number | null | undefined
  leaveRound?: number | null | undefined
  minMeetings?: number | null | undefined
  maxMeetings?: number | null | undefined
  attendance?: Attendance | undefined
}

export type RegistrationWithOrganisation = Registration & { organisation: Organisation }

export function toRegistrationDto(row: RegistrationWithOrganisation): RegistrationDto {
  return {
    id: row.id,
    eventId: row.event_id,
    organisation: toOrganisationDto(row.organisation),
    personName: row.person_name,
    personEmail: row.person_email,
    arriveRound: row.arrive_round,
    leaveRound: row.leave_round,
    minMeetings: row.min_meetings,
    maxMeetings: row.max_meetings,
    attendance: row.attendance,
    createdAt: row.created_at,
  }
}

/** A registration with a fresh personal secret; the secret is returned once, its hash kept. */
export async function addRegistration(
  trx: Transaction<Database>,
  eventId: string,
  organisationId: string,
  fields: RegistrationFields,
  now: string,
): Promise<{ registration: Registration; secret: string }> {
  const { registration, secret } = registrationRow(eventId, organisationId, fields, now)
  await trx.insertInto('registrations').values(registration).execute()
  return { registration, secret }
}

export async function isRegistered(db: Kysely<Database>, eventId: string, organisationId: string): Promise<boolean> {
  const row = await db
    .selectFrom('registrations')
    .select('id')
    .where('event_id', '=', eventId)
    .where('organisation_id', '=', organisationId)
    .executeTakeFirst()
  return row !== undefined
}

/** Registrations of an event with their organisations, associations first then by name. */
export async function listRegistrations(db: Kysely<Database>, eventId: string, ids?: string[]): Promise<RegistrationWithOrganisation[]> {
  if (ids && ids.length === 0) return []
  let query = db
    .selectFrom('registrations')
    .innerJoin('organisations', 'organisations.id', 'registrations.organisation_id')
    .selectAll('registrations')
    .select([
      'organisations.kind as o_kind', 'organisations.name as o_name', 'organisations.siren as o_siren', 'organisations.rna as o_rna',
      'organisations.sector as o_sector', 'organisations.size as o_size', 'organisations.town as o_town',
      'organisations.postcode as o_postcode', 'organisations.latitude as o_latitude', 'organisations.longitude as o_longitude',
      'organisations.themes as o_themes', 'organisations.territories as o_territories', 'organisations.offers as o_offers',
      'organisations.needs as o_needs', 'organisations.description as o_description', 'organisations.contact_name as o_contact_name',
      'organisations.contact_email as o_contact_email', 'organisations.group_name as o_group_name',
      'organisations.network_id as o_network_id', 'organisations.name_key as o_name_key', 'organisations.created_at as o_created_at', 'organisations.updated_at as o_updated_at',
    ])
    .where('registrations.event_id', '=', eventId)
  if (ids) query = query.where('registrations.id', 'in', ids)
  const rows = await query.orderBy('organisations.kind').orderBy('organisations.name').execute()
  return rows.map((r) => ({
    id: r.id,
    event_id: r.event_id,
    organisation_id: r.organisation_id,
    person_name: r.person_name,
    person_email: r.person_email,
    arrive_round: r.arrive_round,
    leave_round: r.leave_round,
    min_meetings: r.min_meetings,
    max_meetings: r.max_meetings,
    attendance: r.attendance,
    secret_hash: r.secret_hash,
    created_at: r.created_at,
    organisation: {
      id: r.organisation_id, network_id: r.o_network_id, kind: r.o_kind, name: r.o_name, name_key: r.o_name_key, siren: r.o_siren, rna: r.o_rna, sector: r.o_sector, size: r.o_size,
      town: r.o_town, postcode: r.o_postcode, latitude: r.o_latitude, longitude: r.o_longitude, themes: r.o_themes,
      territories: r.o_territories, offers: r.o_offers, needs: r.o_needs, description: r.o_description,
      contact_name: r.o_contact_name, contact_email: r.o_contact_email, group_name: r.o_group_name,
      created_at: r.o_created_at, updated_at: r.o_updated_at,
    },
  }))
}

export async function getRegistration(db: Kysely<Database>, eventId: string, id: string): Promise<RegistrationWithOrganisation | undefined> {
  const [row] = await listRegistrations(db, eventId, [id])
  return row
}

const registrationColumns: ColumnsOf<RegistrationFields, RegistrationTable> = {
  personName: 'person_name',
  personEmail: 'person_email',
  arriveRound: 'arrive_round',
  leaveRound: 'leave_round',
  minMeetings: 'min_meetings',
  maxMeetings: 'max_meetings',
  attendance: 'attendance',
}

export async function updateRegistration(db: Kysely<Database>, id: string, fields: { [K in keyof RegistrationFields]?: RegistrationFields[K] | undefined }): Promise<void> {
  const set = patchColumns(fields, registrationColumns)
  if (Object.keys(set).length > 0) await db.updateTable('registrations').set(set).where('id', '=', id).execute()
}

/** A new personal secret; the old link stops working. */
export async function reissueSecret(db: Kysely<Database>, id: string): Promise<string> {
  const secret = generateToken('participant')
  await db.updateTable('registrations').set({ secret_hash: hashToken(secret) }).where('id', '=', id).execute()
  return secret
}

export async function deleteRegistration(db: Kysely<Database>, id: string): Promise<void> {
  await db.deleteFrom('registrations').where('id', '=', id).execute()
}

// ---- bulk (the CSV import) ----

/** Rows per multi-row statement (12 columns each): short statements, so that other requests get in between. */
const registrationChunk = 500

/** A registration row with a fresh personal secret (not yet written); the secret is shown once. */
/** A new registration row (not yet written) and its personal secret; `secretFor` derives the secret from the new id (random by default). */
export function registrationRow(
  eventId: string,
  organisationId: string,
  fields: RegistrationFields,
  now: string,
  secretFor: (registrationId: string) => string = () => generateToken('participant'),
): { registration: Registration; secret: string } {
  const id = newId()
  const secret = secretFor(id)
  return {
    secret,
    registration: {
      id,
      event_id: eventId,
      organisation_id: organisationId,
      person_name: fields.personName.trim(),
      person_email: fields.personEmail ?? null,
      arrive_round: fields.arriveRound ?? null,
      leave_round: fields.leaveRound ?? null,
      min_meetings: fields.minMeetings ?? null,
      max_meetings: fields.maxMeetings ?? null,
      attendance: fields.attendance ?? 'registered',
      secret_hash: hashToken(secret),
      created_at: now,
    },
  }
}

/** The registrations of event `eventId` of these organisations, by organisation; `between` runs after each query. */
export async function registrationsOfOrganisations(
  db: Kysely<Database>,
  eventId: string,
  organisationIds: string[],
  between?: () => Promise<void>,
): Promise<Map<string, Registration>> {
  const found = new Map<string, Registration>()
  for (const chunk of chunks(organisationIds, registrationChunk)) {
    const rows = await db.selectFrom('registrations').selectAll().where('event_id', '=', eventId).where('organisation_id', 'in', chunk).execute()
    for (const row of rows) found.set(row.organisation_id, row)
    await between?.()
  }
  return found
}

/** Writes new registration rows, many per statement; `between` runs after each statement. */
export async function insertRegistrations(trx: Transaction<Database>, rows: Registration[], between?: () => Promise<void>): Promise<void> {
  for (const chunk of chunks(rows, registrationChunk)) {
    await trx.insertInto('registrations').values(chunk).execute()
    await between?.()
  }
}

/**
 * Rewrites the person, rounds and meeting counts of existing registrations
 * (rows as read, with the new values), many per statement, as an insert that
 * conflicts on `id`. Attendance, secret and creation date stay.
 */
export async function refreshRegistrations(trx: Transaction<Database>, rows: Registration[], between?: () => Promise<void>): Promise<void> {
  for (const chunk of chunks(rows, registrationChunk)) {
    await trx
      .insertInto('registrations')
      .values(chunk)
      .onConflict((oc) =>
        oc.column('id').doUpdateSet((eb) => ({
          person_name: eb.ref('excluded.person_name'),
          person_email: eb.ref('excluded.person_email'),
          arrive_round: eb.ref('excluded.arrive_round'),
          leave_round: eb.ref('excluded.leave_round'),
          min_meetings: eb.ref('excluded.min_meetings'),
          max_meetings: eb.ref('excluded.max_meetings'),
        })),
      )
      .execute()
    await between?.()
  }
}
