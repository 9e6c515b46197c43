/**
 * Networks, their accounts (one token each), labs and lab grants. A token is
 * returned once, when it is made; only its SHA-256 hash is kept.
 */
import type { Kysely } from 'kysely'
import { generateToken, hashToken } from '../../auth/tokens.ts'
import { newId } from '../ids.ts'
import type { Database, Token, TokenRole } from '../schema.ts'

type Db = Kysely<Database>

export interface TokenDto {
  id: string
  role: TokenRole
  label: string
  networkId: string | null
  eventId: string | null
  labId: string | null
  createdAt: string
  createdBy: string | null
  lastUsedAt: string | null
  revokedAt: string | null
}

export function toTokenDto(row: Token): TokenDto {
  return {
    id: row.id, role: row.role, label: row.label, networkId: row.network_id, eventId: row.event_id, labId: row.lab_id,
    createdAt: row.created_at, createdBy: row.created_by, lastUsedAt: row.last_used_at, revokedAt: row.revoked_at,
  }
}

export interface NewToken {
  role: TokenRole
  label: string
  networkId?: string | null
  eventId?: string | null
  labId?: string | null
  /** token id of the creator; null from the command line */
  createdBy?: string | null
}

/** A new token; the secret is in `token`, shown once. */
export async function createToken(db: Db, input: NewToken, now: string): Promise<{ token: string; row: Token }> {
  const token = generateToken(input.role)
  const row: Token = {
    id: newId(), role: input.role, network_id: input.networkId ?? null, event_id: input.eventId ?? null, lab_id: input.labId ?? null,
    label: input.label, token_hash: hashToken(token), created_at: now, created_by: input.createdBy ?? null,
    last_used_at: null, revoked_at: null, revoked_by: null,
  }
  await db.insertInto('tokens').values(row).execute()
  return { token, row }
}

/** A new network with its first admin token. */
export async function createNetwork(
  db: Db,
  input: { name: string; email?: string | null; adminLabel?: string },
  now: string,
): Promise<{ networkId: string; token: string; tokenId: string }> {
  const networkId = newId()
  return db.transaction().execute(async (trx) => {
    await trx.insertInto('networks').values({ id: networkId, name: input.name, email: input.email ?? null, created_at: now }).execute()
    const { token, row } = await createToken(trx, { role: 'admin', networkId, label: input.adminLabel ?? 'Administrateur' }, now)
    return { networkId, token, tokenId: row.id }
  })
}

/** A new lab with its token. */
export async function createLab(db: Db, name: string, now: string): Promise<{ labId: string; token: string; tokenId: string }> {
  const labId = newId()
  return db.transaction().execute(async (trx) => {
    await trx.insertInto('labs').values({ id: labId, name, created_at: now }).execute()
    const { token, row } = await createToken(trx, { role: 'lab', labId, label: name }, now)
    return { labId, token, tokenId: row.id }
  })
}

export async function getNetwork(db: Db, id: string) {
  return db.selectFrom('networks').selectAll().where('id', '=', id).executeTakeFirst()
}

export async function listNetworks(db: Db) {
  return db.selectFrom('networks').selectAll().orderBy('created_at').orderBy('name').execute()
}

export async function getLab(db: Db, id: string) {
  return db.selectFrom('labs').selectAll().where('id', '=', id).executeTakeFirst()
}

export async function countNetworks(db: Db): Promise<number> {
  const row = await db.selectFrom('networks').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()
  return Number(row.n)
}

/** Tokens of a network (every one with no network given), newest first. */
export async function listTokens(db: Db, filter: { networkId?: string; roles?: readonly TokenRole[] } = {}): Promise<Token[]> {
  if (filter.roles?.length === 0) return []
  let query = db.selectFrom('tokens').selectAll()
  if (filter.networkId) query = query.where('network_id', '=', filter.networkId)
  if (filter.roles) query = query.where('role', 'in', [...filter.roles])
  return query.orderBy('created_at', 'desc').orderBy('id').execute()
}

export async function getToken(db: Db, id: string): Promise<Token | undefined> {
  return db.selectFrom('tokens').selectAll().where('id', '=', id).executeTakeFirst()
}

/** Revokes a token; false when it was already revoked (a conditional write: concurrent revokes agree). */
export async function revokeToken(db: Db, id: string, by: string | null, now: string): Promise<boolean> {
  const result = await db
    .updateTable('tokens')
    .set({ revoked_at: now, revoked_by: by })
    .where('id', '=', id)
    .where('revoked_at', 'is', null)
    .executeTakeFirst()
  return Number(result.numUpdatedRows) > 0
}

export interface LabGrantDto {
  labId: string
  labName: string
  networkId: string
  networkName: string
  grantedAt: string
  withdrawnAt: string | null
  /** the lab may keep stable pseudonyms across exports (its own key) */
  stablePseudonyms: boolean
}

/** Grants of a network or of a lab, active ones first. */
export async function listGrants(db: Db, filter: { networkId?: string; labId?: string }): Promise<LabGrantDto[]> {
  let query = db
    .selectFrom('lab_grants')
    .innerJoin('labs', 'labs.id', 'lab_grants.lab_id')
    .innerJoin('networks', 'networks.id', 'lab_grants.network_id')
    .select([
      'lab_grants.lab_id as labId', 'labs.name as labName', 'lab_grants.network_id as networkId', 'networks.name as networkName',
      'lab_grants.granted_at as grantedAt', 'lab_grants.withdrawn_at as withdrawnAt', 'lab_grants.stable_pseudonyms as stable',
    ])
  if (filter.networkId) query = query.where('lab_grants.network_id', '=', filter.networkId)
  if (filter.labId) query = query.where('lab_grants.lab_id', '=', filter.labId)
  const rows = await query.orderBy('lab_grants.granted_at', 'desc').execute()
  return rows
    .map(({ stable, ...g }) => ({ ...g, stablePseudonyms: stable === 1 }))
    .sort((a, b) => Number(a.withdrawnAt !== null) - Number(b.withdrawnAt !== null))
}

/** Grants `labId` access to `networkId`; false when an active grant already exists. */
export async function grantLab(db: Db, labId: string, networkId: string, by: string, now: string): Promise<boolean> {
  const existing = await db
    .selectFrom('lab_grants')
    .select('id')
    .where('lab_id', '=', labId)
    .where('network_id', '=', networkId)
    .where('withdrawn_at', 'is', null)
    .executeTakeFirst()
  if (existing) return false
  // the partial unique index settles a race between two grants
  await db
    .insertInto('lab_grants')
    .values({ id: newId(), lab_id: labId, network_id: networkId, granted_at: now, granted_by: by, withdrawn_at: null, withdrawn_by: null, stable_pseudonyms: 0 })
    .execute()
  return true
}

/** Withdraws the active grant; false when there was none. */
export async function withdrawGrant(db: Db, labId: string, networkId: string, by: string, now: string): Promise<boolean> {
  const result = await db
    .updateTable('lab_grants')
    .set({ withdrawn_at: now, withdrawn_by: by })
    .where('lab_id', '=', labId)
    .where('network_id', '=', networkId)
    .where('withdrawn_at', 'is', null)
    .executeTakeFirst()
  return Number(result.numUpdatedRows) > 0
}

/** Lets the lab keep stable pseudonyms (or not) in the network's exports; false without an active grant. */
export async function setStablePseudonyms(db: Db, labId: string, networkId: string, stable: boolean): Promise<boolean> {
  const result = await db
    .updateTable('lab_grants')
    .set({ stable_pseudonyms: stable ? 1 : 0 })
    .where('lab_id', '=', labId)
    .where('network_id', '=', networkId)
    .where('withdrawn_at', 'is', null)
    .executeTakeFirst()
  return Number(result.numUpdatedRows) > 0
}

/** Networks among `networkIds` that let the lab keep stable pseudonyms. */
export async function stablePseudonymNetworks(db: Db, labId: string, networkIds: readonly string[]): Promise<Set<string>> {
  if (networkIds.length === 0) return new Set()
  const rows = await db
    .selectFrom('lab_grants')
    .select('network_id')
    .where('lab_id', '=', labId)
    .where('network_id', 'in', [...networkIds])
    .where('withdrawn_at', 'is', null)
    .where('stable_pseudonyms', '=', 1)
    .execute()
  return new Set(rows.map((r) => r.network_id))
}

/** Networks a lab may read today. */
export async function grantedNetworkIds(db: Db, labId: string): Promise<string[]> {
  const rows = await db.selectFrom('lab_grants').select('network_id').where('lab_id', '=', labId).where('withdrawn_at', 'is', null).execute()
  return rows.map((r) => r.network_id)
}
