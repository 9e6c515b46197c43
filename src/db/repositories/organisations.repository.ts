import { sql, type Kysely, type Transaction } from 'kysely'
import { newId } from '../ids.ts'
import type { Database, Organisation, Side } from '../schema.ts'

/** An organisation as the API shows it (camelCase, JSON arrays parsed). */
export interface OrganisationDto {
  id: string
  kind: Side
  name: string
  siren: string | null
  rna: string | null
  sector: string | null
  size: string | null
  town: string | null
  postcode: string | null
  latitude: number | null
  longitude: number | null
  themes: string[]
  territories: string[]
  offers: string[]
  needs: string[]
  description: string | null
  contactName: string | null
  contactEmail: string | null
  groupName: string | null
}

/** What a caller gives to create or update an organisation (absent = unchanged on update). */
export interface OrganisationFields {
  kind: Side
  name: string
  siren?: string | null | undefined
  rna?: string | null | undefined
  sector?: string | null | undefined
  size?: string | null | undefined
  town?: string | null | undefined
  postcode?: string | null | undefined
  latitude?: number | null | undefined
  longitude?: number | null | undefined
  themes?: string[] | undefined
  territories?: string[] | undefined
  offers?: string[] | undefined
  needs?: string[] | undefined
  description?: string | null | undefined
  contactName?: string | null | undefined
  contactEmail?: string | null | undefined
  groupName?: string | null | undefined
}

export function parseList(json: string): string[] {
  try {
    const value: unknown = JSON.parse(json)
    return Array.isArray(value) ? value.map(String) : []
  } catch {
    return []
  }
}

export function toOrganisationDto(row: Organisation): OrganisationDto {
  return {
    id: row.id,
    kind: row.kind,
    name: row.name,
    siren: row.siren,
    rna: row.rna,
    sector: row.sector,
    size: row.size,
    town: row.town,
    postcode: row.postcode,
    latitude: row.latitude,
    longitude: row.longitude,
    themes: parseList(row.themes),
    territories: parseList(row.territories),
    offers: parseList(row.offers),
    needs: parseList(row.needs),
    description: row.description,
    contactName: row.contact_name,
    contactEmail: row.contact_email,
    groupName: row.group_name,
  }
}

function columns(fields: { [K in keyof OrganisationFields]?: OrganisationFields[K] | undefined }) {
  const out: Record<string, unknown> = {}
  const map: [keyof OrganisationFields, string][] = [
    ['kind', 'kind'], ['name', 'name'], ['siren', 'siren'], ['rna', 'rna'], ['sector', 'sector'], ['size', 'size'],
    ['town', 'town'], ['postcode', 'postcode'], ['latitude', 'latitude'], ['longitude', 'longitude'],
    ['description', 'description'], ['contactName', 'contact_name'], ['contactEmail', 'contact_email'], ['groupName', 'group_name'],
  ]
  for (const [key, column] of map) if (fields[key] !== undefined) out[column] = fields[key]
  for (const key of ['themes', 'territories', 'offers', 'needs'] as const) {
    if (fields[key] !== undefined) out[key] = JSON.stringify(fields[key])
  }
  return out
}

/**
 * The organisation these fields name, if it exists: same SIREN (companies) or
 * RNA (associations) first, else same kind and name (case-insensitive) when
 * no identifier contradicts it.
 */
export async function findMatchingOrganisation(
  db: Kysely<Database>,
  fields: Pick<OrganisationFields, 'kind' | 'name' | 'siren' | 'rna'>,
): Promise<Organisation | undefined> {
  if (fields.siren) {
    const row = await db.selectFrom('organisations').selectAll().where('siren', '=', fields.siren).executeTakeFirst()
    if (row) return row
  }
  if (fields.rna) {
    const row = await db.selectFrom('organisations').selectAll().where('rna', '=', fields.rna).executeTakeFirst()
    if (row) return row
  }
  // by name, unless the identifiers say they are two organisations of the same name
  const sameName = await db
    .selectFrom('organisations')
    .selectAll()
    .where('kind', '=', fields.kind)
    .where(sql<string>`lower(name)`, '=', fields.name.trim().toLowerCase())
    .orderBy('created_at')
    .execute()
  return sameName.find((o) => !(fields.siren && o.siren && o.siren !== fields.siren) && !(fields.rna && o.rna && o.rna !== fields.rna))
}

export async function createOrganisation(db: Kysely<Database>, fields: OrganisationFields, now: string): Promise<Organisation> {
  const row = {
    id: newId(),
    kind: fields.kind,
    name: fields.name.trim(),
    siren: fields.siren ?? null,
    rna: fields.rna ?? null,
    sector: fields.sector ?? null,
    size: fields.size ?? null,
    town: fields.town ?? null,
    postcode: fields.postcode ?? null,
    latitude: fields.latitude ?? null,
    longitude: fields.longitude ?? null,
    themes: JSON.stringify(fields.themes ?? []),
    territories: JSON.stringify(fields.territories ?? []),
    offers: JSON.stringify(fields.offers ?? []),
    needs: JSON.stringify(fields.needs ?? []),
    description: fields.description ?? null,
    contact_name: fields.contactName ?? null,
    contact_email: fields.contactEmail ?? null,
    group_name: fields.groupName ?? null,
    created_at: now,
    updated_at: now,
  }
  await db.insertInto('organisations').values(row).execute()
  return row
}

export async function updateOrganisation(
  db: Kysely<Database>,
  id: string,
  fields: { [K in keyof OrganisationFields]?: OrganisationFields[K] | undefined },
  now: string,
): Promise<Organisation> {
  const values = columns(fields)
  if (Object.keys(values).length > 0) {
    await db.updateTable('organisations').set({ ...values, updated_at: now }).where('id', '=', id).execute()
  }
  return db.selectFrom('organisations').selectAll().where('id', '=', id).executeTakeFirstOrThrow()
}

/**
 * Reuse the matching organisation (its profile refreshed with the fields given)
 * or create it. Takes a transaction: a registration and its organisation go together.
 */
export async function upsertOrganisation(trx: Transaction<Database>, fields: OrganisationFields, now: string): Promise<Organisation> {
  const existing = await findMatchingOrganisation(trx, fields)
  if (!existing) return createOrganisation(trx, fields, now)
  const { kind: _kind, ...rest } = fields
  return updateOrganisation(trx, existing.id, rest, now)
}

export async function getOrganisation(db: Kysely<Database>, id: string): Promise<Organisation | undefined> {
  return db.selectFrom('organisations').selectAll().where('id', '=', id).executeTakeFirst()
}

/** Organisations registered in at least one event of this organiser. */
export async function listOrganiserOrganisations(db: Kysely<Database>, organiserId: string, q?: string): Promise<Organisation[]> {
  let query = db
    .selectFrom('organisations')
    .selectAll('organisations')
    .where('organisations.id', 'in', (eb) =>
      eb
        .selectFrom('registrations')
        .innerJoin('events', 'events.id', 'registrations.event_id')
        .select('registrations.organisation_id')
        .where('events.organiser_id', '=', organiserId),
    )
  if (q) query = query.where(sql<string>`lower(organisations.name)`, 'like', `%${q.toLowerCase()}%`)
  return query.orderBy('organisations.name').execute()
}

export async function organisationVisibleTo(db: Kysely<Database>, organiserId: string, organisationId: string): Promise<boolean> {
  const row = await db
    .selectFrom('registrations')
    .innerJoin('events', 'events.id', 'registrations.event_id')
    .select('registrations.id')
    .where('events.organiser_id', '=', organiserId)
    .where('registrations.organisation_id', '=', organisationId)
    .executeTakeFirst()
  return row !== undefined
}
