import type { Kysely, Transaction } from 'kysely'
import { nameKey } from '../../domain/names.ts'
import { chunks } from '../chunks.ts'
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
  if (typeof fields.name === 'string') {
    out.name = fields.name.replace(/\s+/g, ' ').trim()
    out.name_key = nameKey(fields.name)
  }
  for (const key of ['themes', 'territories', 'offers', 'needs'] as const) {
    if (fields[key] !== undefined) out[key] = JSON.stringify(fields[key])
  }
  return out
}

/**
 * The organisation of network `networkId` these fields name, if it exists:
 * same SIREN (companies) or RNA (associations) first, else same kind and
 * normalised name (src/domain/names.ts) when no identifier contradicts it.
 * Another network's directory is never searched.
 */
export async function findMatchingOrganisation(
  db: Kysely<Database>,
  networkId: string,
  fields: Pick<OrganisationFields, 'kind' | 'name' | 'siren' | 'rna'>,
): Promise<Organisation | undefined> {
  const inNetwork = db.selectFrom('organisations').selectAll().where('network_id', '=', networkId)
  if (fields.siren) {
    const row = await inNetwork.where('siren', '=', fields.siren).orderBy('created_at').executeTakeFirst()
    if (row) return row
  }
  if (fields.rna) {
    const row = await inNetwork.where('rna', '=', fields.rna).orderBy('created_at').executeTakeFirst()
    if (row) return row
  }
  const sameName = await inNetwork.where('kind', '=', fields.kind).where('name_key', '=', nameKey(fields.name)).orderBy('created_at').execute()
  return pickByName(sameName, fields)
}

/** Among organisations of the same name, the first whose identifiers do not say it is another one. */
export function pickByName<T extends Pick<Organisation, 'siren' | 'rna'>>(sameName: T[], fields: Pick<OrganisationFields, 'siren' | 'rna'>): T | undefined {
  return sameName.find((o) => !(fields.siren && o.siren && o.siren !== fields.siren) && !(fields.rna && o.rna && o.rna !== fields.rna))
}

/** A new organisation row of network `networkId` (not yet written). */
export function organisationRow(networkId: string, fields: OrganisationFields, now: string): Organisation {
  const name = fields.name.replace(/\s+/g, ' ').trim()
  return {
    id: newId(),
    network_id: networkId,
    kind: fields.kind,
    name,
    name_key: nameKey(name),
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
}

export async function createOrganisation(db: Kysely<Database>, networkId: string, fields: OrganisationFields, now: string): Promise<Organisation> {
  const row = organisationRow(networkId, fields, now)
  await db.insertInto('organisations').values(row).execute()
  return row
}

/** Updates organisation `id` (the caller has checked it belongs to its network). */
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
 * Reuse the matching organisation of the network (its profile refreshed with
 * the fields given) or create it. Takes a transaction: a registration and its
 * organisation go together.
 */
export async function upsertOrganisation(trx: Transaction<Database>, networkId: string, fields: OrganisationFields, now: string): Promise<Organisation> {
  const existing = await findMatchingOrganisation(trx, networkId, fields)
  if (!existing) return createOrganisation(trx, networkId, fields, now)
  // the same name in another spelling keeps the spelling on record; a new name (same SIREN/RNA) replaces it
  const { kind: _kind, name, ...rest } = fields
  return updateOrganisation(trx, existing.id, nameKey(name) === existing.name_key ? rest : { ...rest, name }, now)
}

/** Organisation `id` of network `networkId`; another network's is not found. */
export async function getOrganisation(db: Kysely<Database>, networkId: string, id: string): Promise<Organisation | undefined> {
  return db.selectFrom('organisations').selectAll().where('id', '=', id).where('network_id', '=', networkId).executeTakeFirst()
}

/** What a search compares: the name key without punctuation (« l’Ill », "l'ill" and "l ill" are one; so are "Handi-Sport" and "handi sport"). */
const searchKey = (text: string): string => nameKey(text).replace(/[^\p{L}\p{N}]+/gu, ' ').trim()

/**
 * The network's directory of organisations, searched by name or town, case,
 * accents and punctuation ignored: « selestat » finds Sélestat, « équilibre »
 * finds Equilibre. The comparison is made here on the stored `name_key` (and
 * the folded town), not by the database: SQLite's lower() folds ASCII only, so
 * a SQL LIKE would answer differently on the two dialects.
 */
export async function listNetworkOrganisations(db: Kysely<Database>, networkId: string, q?: string): Promise<Organisation[]> {
  const rows = await db.selectFrom('organisations').selectAll().where('network_id', '=', networkId).orderBy('name_key').orderBy('id').execute()
  const words = searchKey(q ?? '').split(' ').filter((w) => w !== '')
  if (words.length === 0) return rows
  return rows.filter((o) => {
    const text = `${searchKey(o.name_key)} ${searchKey(o.town ?? '')}`
    return words.every((w) => text.includes(w))
  })
}

// ---- bulk (the CSV import): a few set-based queries instead of one per row ----

/** Values per `in (…)` list: far below SQLite's 32,766 and PostgreSQL's 65,535 parameters. */
const lookupChunk = 500
/** Rows per multi-row statement (24 columns each): short statements, so that other requests get in between. */
const organisationChunk = 250

/**
 * The organisations of network `networkId` that rows with these identifiers
 * and name keys could match (findMatchingOrganisation's candidates, for many
 * rows at once): a query per index and chunk of keys, each organisation once.
 * `between` runs after each query.
 */
export async function findCandidateOrganisations(
  db: Kysely<Database>,
  networkId: string,
  keys: { siren: string | null; rna: string | null; nameKey: string }[],
  between?: () => Promise<void>,
): Promise<Organisation[]> {
  const found = new Map<string, Organisation>()
  const lookup = async (column: 'siren' | 'rna' | 'name_key', values: Set<string>) => {
    // one index per query: with `siren in (…) or rna in (…)` SQLite would scan the network's organisations
    for (const chunk of chunks([...values], lookupChunk)) {
      const rows = await db.selectFrom('organisations').selectAll().where('network_id', '=', networkId).where(column, 'in', chunk).execute()
      for (const row of rows) found.set(row.id, row)
      await between?.()
    }
  }
  await lookup('siren', new Set(keys.flatMap((k) => (k.siren ? [k.siren] : []))))
  await lookup('rna', new Set(keys.flatMap((k) => (k.rna ? [k.rna] : []))))
  // a row matched by its identifier is never matched by its name
  const known = new Set<string>()
  for (const o of found.values()) {
    if (o.siren) known.add(`siren:${o.siren}`)
    if (o.rna) known.add(`rna:${o.rna}`)
  }
  await lookup('name_key', new Set(keys.flatMap((k) => (known.has(`siren:${k.siren}`) || known.has(`rna:${k.rna}`) ? [] : [k.nameKey]))))
  return [...found.values()]
}

/**
 * findMatchingOrganisation in memory, over candidates loaded once: same SIREN,
 * else same RNA, else same kind and name key without a contradicting
 * identifier; the oldest first. `add` makes an organisation created meanwhile
 * matchable too.
 */
const olderThan = (a: Pick<Organisation, 'id' | 'created_at'>, b: Pick<Organisation, 'id' | 'created_at'>) =>
  a.created_at < b.created_at || (a.created_at === b.created_at && a.id < b.id)

export class OrganisationMatcher<T extends Pick<Organisation, 'id' | 'kind' | 'name_key' | 'siren' | 'rna' | 'created_at'>> {
  private readonly bySiren = new Map<string, T[]>()
  private readonly byRna = new Map<string, T[]>()
  private readonly byName = new Map<string, T[]>()

  constructor(candidates: T[] = []) {
    for (const o of candidates) this.add(o)
  }

  add(o: T): void {
    // each list stays oldest first (most have one organisation; a new one goes last)
    const push = (map: Map<string, T[]>, key: string) => {
      const list = map.get(key)
      if (!list) return void map.set(key, [o])
      let at = list.length
      while (at > 0 && olderThan(o, list[at - 1]!)) at--
      list.splice(at, 0, o)
    }
    if (o.siren) push(this.bySiren, o.siren)
    if (o.rna) push(this.byRna, o.rna)
    push(this.byName, `${o.kind}\u0000${o.name_key}`)
  }

  /** `key`: nameKey(fields.name), when the caller has it already. */
  match(fields: Pick<OrganisationFields, 'kind' | 'name' | 'siren' | 'rna'>, key = nameKey(fields.name)): T | undefined {
    const bySiren = fields.siren ? this.bySiren.get(fields.siren)?.[0] : undefined
    if (bySiren) return bySiren
    const byRna = fields.rna ? this.byRna.get(fields.rna)?.[0] : undefined
    if (byRna) return byRna
    return pickByName(this.byName.get(`${fields.kind}\u0000${key}`) ?? [], fields)
  }
}

/** Writes new organisation rows (organisationRow), many per statement; `between` runs after each statement. */
export async function insertOrganisations(trx: Transaction<Database>, rows: Organisation[], between?: () => Promise<void>): Promise<void> {
  for (const chunk of chunks(rows, organisationChunk)) {
    await trx.insertInto('organisations').values(chunk).execute()
    await between?.()
  }
}

/**
 * Rewrites the profiles of existing organisations (rows as read, with the new
 * values), many per statement: an insert that conflicts on `id` and so updates,
 * which both dialects run as one statement. Kind, network and creation date stay.
 */
export async function refreshOrganisations(trx: Transaction<Database>, rows: Organisation[], between?: () => Promise<void>): Promise<void> {
  for (const chunk of chunks(rows, organisationChunk)) {
    await trx
      .insertInto('organisations')
      .values(chunk)
      .onConflict((oc) =>
        oc.column('id').doUpdateSet((eb) => ({
          name: eb.ref('excluded.name'),
          name_key: eb.ref('excluded.name_key'),
          siren: eb.ref('excluded.siren'),
          rna: eb.ref('excluded.rna'),
          sector: eb.ref('excluded.sector'),
          size: eb.ref('excluded.size'),
          town: eb.ref('excluded.town'),
          postcode: eb.ref('excluded.postcode'),
          latitude: eb.ref('excluded.latitude'),
          longitude: eb.ref('excluded.longitude'),
          themes: eb.ref('excluded.themes'),
          territories: eb.ref('excluded.territories'),
          offers: eb.ref('excluded.offers'),
          needs: eb.ref('excluded.needs'),
          description: eb.ref('excluded.description'),
          contact_name: eb.ref('excluded.contact_name'),
          contact_email: eb.ref('excluded.contact_email'),
          group_name: eb.ref('excluded.group_name'),
          updated_at: eb.ref('excluded.updated_at'),
        })),
      )
      .execute()
    await between?.()
  }
}
