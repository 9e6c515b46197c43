/**
 * Erasing a person: its name becomes « Participant effacé », its e-mail, its
 * notes and comments go, its personal link dies. Its meetings, ratings (marks,
 * not notes), wishes, pairs and partnerships stay, unnamed, so that the
 * evening's counts and funnel hold. The organisation's contact fields go when
 * they are the person's, or when the organisation has no other person left.
 */
import { createHash, randomBytes } from 'node:crypto'
import type { Kysely } from 'kysely'
import type { Database } from '../../db/schema.ts'
import { ERASED_NAME, privacyDb, type PrivacyTrx } from './db.ts'

const same = (a: string | null, b: string | null) => a !== null && b !== null && a.trim().toLowerCase() === b.trim().toLowerCase()

/** Whether the registration's personal data were erased (on request or by retention). */
export async function isErased(db: Kysely<Database>, registrationId: string): Promise<boolean> {
  const row = await privacyDb(db).selectFrom('registrations').select('erased_at').where('id', '=', registrationId).executeTakeFirst()
  return row?.erased_at != null
}

/** Erases one registration's personal data; false when it was already erased (or is unknown). */
export async function eraseRegistration(trx: PrivacyTrx, registrationId: string, now: string): Promise<boolean> {
  const reg = await trx
    .selectFrom('registrations')
    .innerJoin('organisations', 'organisations.id', 'registrations.organisation_id')
    .select([
      'registrations.id', 'registrations.person_name', 'registrations.person_email', 'registrations.organisation_id', 'registrations.erased_at',
      'organisations.kind', 'organisations.contact_name', 'organisations.contact_email',
    ])
    .where('registrations.id', '=', registrationId)
    .executeTakeFirst()
  if (!reg || reg.erased_at !== null) return false

  // conditioned on not being erased yet: of two concurrent erasures one does the work
  const updated = await trx
    .updateTable('registrations')
    .set({
      person_name: ERASED_NAME,
      person_email: null,
      // a hash of nothing anyone holds: the personal link is dead
      secret_hash: createHash('sha256').update(randomBytes(32)).digest('hex'),
      erased_at: now,
    })
    .where('id', '=', registrationId)
    .where('erased_at', 'is', null)
    .executeTakeFirst()
  if (Number(updated.numUpdatedRows) === 0) return false

  await trx.updateTable('ratings').set({ note: null }).where('registration_id', '=', registrationId).execute()
  // the e-mails written to the person (address, name, links in the text) go with it
  await trx.deleteFrom('outbox').where('registration_id', '=', registrationId).execute()
  const involving = <T extends 'proposals' | 'partnerships'>(table: T) =>
    trx
      .selectFrom(table as 'partnerships')
      .select('id')
      .where((eb) => eb.or([eb('association_registration_id', '=', registrationId), eb('company_registration_id', '=', registrationId)]))
  const partnershipIds = (await involving('partnerships').execute()).map((p) => p.id)
  const proposalIds = (await involving('proposals').execute()).map((p) => p.id)
  if (proposalIds.length > 0) await trx.updateTable('proposals').set({ note: null }).where('id', 'in', proposalIds).execute()
  if (partnershipIds.length > 0) {
    await trx.updateTable('partnerships').set({ note: null }).where('id', 'in', partnershipIds).execute()
    await trx.updateTable('partnership_history').set({ reason: null }).where('partnership_id', 'in', partnershipIds).execute()
    await trx.updateTable('checkins').set({ comment: null }).where('partnership_id', 'in', partnershipIds).where('side', '=', reg.kind).execute()
  }

  const others = await trx
    .selectFrom('registrations')
    .select('id')
    .where('organisation_id', '=', reg.organisation_id)
    .where('id', '!=', registrationId)
    .where('erased_at', 'is', null)
    .execute()
  const clearName = others.length === 0 || same(reg.contact_name, reg.person_name)
  const clearEmail = others.length === 0 || same(reg.contact_email, reg.person_email)
  if (clearName || clearEmail) {
    await trx
      .updateTable('organisations')
      .set({ ...(clearName ? { contact_name: null } : {}), ...(clearEmail ? { contact_email: null } : {}), updated_at: now })
      .where('id', '=', reg.organisation_id)
      .execute()
  }
  return true
}
