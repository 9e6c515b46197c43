import type { Kysely } from 'kysely'
import { generateToken, hashToken } from '../../auth/tokens.ts'
import { newId } from '../ids.ts'
import type { Database } from '../schema.ts'

/** A new organiser with its first token; the token is returned once, only its hash is kept. */
export async function createOrganiser(
  db: Kysely<Database>,
  input: { name: string; email?: string | null; label?: string | null },
  now: string,
): Promise<{ organiserId: string; token: string }> {
  const organiserId = newId()
  const token = generateToken('organiser')
  await db.transaction().execute(async (trx) => {
    await trx.insertInto('organisers').values({ id: organiserId, name: input.name, email: input.email ?? null, created_at: now }).execute()
    await trx
      .insertInto('api_tokens')
      .values({ id: newId(), role: 'organiser', organiser_id: organiserId, label: input.label ?? null, token_hash: hashToken(token), created_at: now, revoked_at: null })
      .execute()
  })
  return { organiserId, token }
}

export async function createLabToken(db: Kysely<Database>, label: string | null, now: string): Promise<{ tokenId: string; token: string }> {
  const tokenId = newId()
  const token = generateToken('lab')
  await db
    .insertInto('api_tokens')
    .values({ id: tokenId, role: 'lab', organiser_id: null, label, token_hash: hashToken(token), created_at: now, revoked_at: null })
    .execute()
  return { tokenId, token }
}

export async function countOrganisers(db: Kysely<Database>): Promise<number> {
  const row = await db.selectFrom('organisers').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()
  return Number(row.n)
}
