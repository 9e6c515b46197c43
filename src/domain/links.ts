/**
 * Personal links that can be given again. A participant's secret is
 * `p_` + base64url(HMAC-SHA256(server secret, registrationId + ':' + version)):
 * the server can compute the current link at any time, while the database
 * keeps only its SHA-256 (as for every token) and the version, so a copy of the
 * database alone does not reveal any link. Renewing bumps the version (the old
 * link dies); revoking bumps it and stores the hash of a random value, so no
 * link works until the next renewal.
 *
 * Registrations whose stored hash is not the one of their derived secret
 * (created before this scheme, or by a path that draws a random secret) keep
 * their working random link, which cannot be shown again: `currentSecret`
 * answers null for them until they are renewed once.
 */
import { createHmac, randomBytes } from 'node:crypto'
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { dirname } from 'node:path'
import type { Kysely, Transaction } from 'kysely'
import { hashToken, tokenPrefix } from '../auth/tokens.ts'
import type { Database } from '../db/schema.ts'
import { AppError } from '../errors.ts'

type Db = Kysely<Database> | Transaction<Database>

/** The participant secret of `registrationId` at `version`. */
export function deriveSecret(linkKey: string, registrationId: string, version: number): string {
  const mac = createHmac('sha256', linkKey).update(`${registrationId}:${version}`, 'utf8').digest('base64url')
  return tokenPrefix.participant + mac
}

/** Link versions of these registrations (0 when never renewed). */
export async function linkVersions(db: Db, registrationIds: string[]): Promise<Map<string, number>> {
  const out = new Map<string, number>()
  for (let i = 0; i < registrationIds.length; i += 500) {
    const chunk = registrationIds.slice(i, i + 500)
    const rows = await db.selectFrom('registration_links').select(['registration_id', 'version']).where('registration_id', 'in', chunk).execute()
    for (const r of rows) out.set(r.registration_id, r.version)
  }
  return out
}

export interface LinkTarget {
  id: string
  secret_hash: string
}

/** The current secret of each registration, or null where it cannot be given again (see above). */
export async function currentSecrets(db: Db, linkKey: string, registrations: LinkTarget[]): Promise<Map<string, string | null>> {
  const versions = await linkVersions(db, registrations.map((r) => r.id))
  return new Map(
    registrations.map((r) => {
      const secret = deriveSecret(linkKey, r.id, versions.get(r.id) ?? 0)
      return [r.id, hashToken(secret) === r.secret_hash ? secret : null]
    }),
  )
}

export async function currentSecret(db: Db, linkKey: string, registration: LinkTarget): Promise<string | null> {
  return (await currentSecrets(db, linkKey, [registration])).get(registration.id) ?? null
}

/**
 * Gives freshly created registrations their derived link (version 0), in place
 * of the random secret they were created with (never shown). Returns the secrets.
 */
export async function issueLinks(db: Db, linkKey: string, registrationIds: string[]): Promise<Map<string, string>> {
  const versions = await linkVersions(db, registrationIds)
  const out = new Map<string, string>()
  for (const id of registrationIds) {
    const secret = deriveSecret(linkKey, id, versions.get(id) ?? 0)
    await db.updateTable('registrations').set({ secret_hash: hashToken(secret) }).where('id', '=', id).execute()
    out.set(id, secret)
  }
  return out
}

/**
 * Moves the link to the next version: with `revoke`, no link works afterwards;
 * otherwise the new link is returned. The version moves by a conditional
 * write, so two concurrent renewals cannot both win (the loser gets 409).
 */
async function bump(db: Kysely<Database>, linkKey: string, registrationId: string, now: string, revoke: boolean): Promise<{ version: number; secret: string | null }> {
  return db.transaction().execute(async (trx) => {
    const row = await trx.selectFrom('registration_links').select('version').where('registration_id', '=', registrationId).executeTakeFirst()
    const version = (row?.version ?? 0) + 1
    if (row) {
      const done = await trx
        .updateTable('registration_links')
        .set({ version, updated_at: now })
        .where('registration_id', '=', registrationId)
        .where('version', '=', row.version)
        .executeTakeFirst()
      if (Number(done.numUpdatedRows) !== 1) throw concurrentChange()
    } else {
      const done = await trx
        .insertInto('registration_links')
        .values({ registration_id: registrationId, version, updated_at: now })
        .onConflict((oc) => oc.column('registration_id').doNothing())
        .executeTakeFirst()
      if (Number(done.numInsertedOrUpdatedRows ?? 0n) !== 1) throw concurrentChange()
    }
    const secret = revoke ? null : deriveSecret(linkKey, registrationId, version)
    const hash = hashToken(secret ?? tokenPrefix.participant + randomBytes(32).toString('base64url'))
    await trx.updateTable('registrations').set({ secret_hash: hash }).where('id', '=', registrationId).execute()
    return { version, secret }
  })
}

function concurrentChange(): AppError {
  return new AppError('conflict', { fr: 'Le lien vient de changer : rechargez la page', en: 'The link has just changed: reload' })
}

/** A new link; the old one stops working. */
export async function renewLink(db: Kysely<Database>, linkKey: string, registrationId: string, now: string): Promise<{ version: number; secret: string }> {
  const { version, secret } = await bump(db, linkKey, registrationId, now, false)
  return { version, secret: secret! }
}

/** No link works for this registration until it is renewed. */
export async function revokeLink(db: Kysely<Database>, linkKey: string, registrationId: string, now: string): Promise<{ version: number }> {
  const { version } = await bump(db, linkKey, registrationId, now, true)
  return { version }
}

/**
 * The server secret links are derived from: `LINK_SECRET` when set (the same
 * value on every host of a multi-process deployment), else a random one made
 * on first start and kept in `file` (mode 600). It is never stored in the
 * database, so that a copy of the database does not reveal the links.
 */
export function loadLinkSecret(fromEnv: string | null, file: string | null): string {
  if (fromEnv) return fromEnv
  if (!file) return randomBytes(32).toString('base64url')
  if (existsSync(file)) {
    const stored = readFileSync(file, 'utf8').trim()
    if (stored.length >= 16) return stored
  }
  mkdirSync(dirname(file), { recursive: true })
  const made = randomBytes(32).toString('base64url')
  try {
    writeFileSync(file, made + '\n', { flag: 'wx', mode: 0o600 })
    return made
  } catch (err) {
    // another process made it first: use theirs
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return readFileSync(file, 'utf8').trim()
    throw err
  }
}
