/**
 * Accounts of a network: who may invite whom, and the rules around revoking.
 * An admin invites and revokes any staff account (admin, organiser, accueil,
 * salle) and grants or withdraws lab access; an organiser may give a door
 * volunteer (accueil) or a room screen (salle) access to one event, and revoke
 * those. The last active admin of a network cannot be revoked.
 */
import type { Kysely } from 'kysely'
import { z } from 'zod'
import type { StaffAuth } from '../auth/tokens.ts'
import {
  createToken, getLab, getToken, grantLab, listTokens, revokeToken, setStablePseudonyms, withdrawGrant, type TokenDto, toTokenDto,
} from '../db/repositories/tokens.repository.ts'
import type { Database, TokenRole } from '../db/schema.ts'
import { AppError, notFound, type Msg } from '../errors.ts'
import { zodWords } from './zod-messages.ts'

type Db = Kysely<Database>

export const NewMember = z
  .object({
    role: z.enum(['admin', 'organiser', 'accueil', 'salle']),
    label: z.string().trim().min(1, zodWords({ fr: 'nom ou rôle de la personne requis', en: 'a name or role is required' })).max(200),
    eventId: z.string().min(1).max(100).nullable().optional(),
  })
  .strict()
export type NewMember = z.infer<typeof NewMember>

const roleLabel: Record<TokenRole, Msg> = {
  admin: { fr: 'administrateur', en: 'admin' },
  organiser: { fr: 'organisateur', en: 'organiser' },
  accueil: { fr: 'accueil', en: 'door volunteer' },
  salle: { fr: 'écran de salle', en: 'room screen' },
  lab: { fr: 'laboratoire', en: 'lab' },
}

/** Roles each staff role may create and revoke. */
export const manageableRoles: Record<StaffAuth['role'], readonly TokenRole[]> = {
  admin: ['admin', 'organiser', 'accueil', 'salle'],
  organiser: ['accueil', 'salle'],
  accueil: [],
  salle: [],
}

function assertMayManage(by: StaffAuth, role: TokenRole): void {
  if (!manageableRoles[by.role].includes(role)) {
    throw new AppError('forbidden', { fr: `Seul un administrateur du réseau gère les comptes « ${roleLabel[role].fr} »`, en: `Only a network admin manages “${roleLabel[role].en}” accounts` })
  }
}

/** The accounts `by` may see: every staff account of the network for an admin, event accounts for an organiser. */
export async function listMembers(db: Db, by: StaffAuth): Promise<TokenDto[]> {
  const rows = await listTokens(db, { networkId: by.networkId, roles: manageableRoles[by.role] })
  return rows.map(toTokenDto)
}

/** A new account; its secret token is returned once. */
export async function inviteMember(db: Db, by: StaffAuth, input: NewMember, now: string): Promise<{ member: TokenDto; token: string }> {
  assertMayManage(by, input.role)
  const eventRole = input.role === 'accueil' || input.role === 'salle'
  if (eventRole && !input.eventId) {
    throw new AppError('validation_failed', { fr: 'Données invalides', en: 'Invalid data' }, [
      { path: 'eventId', message: { fr: "l'événement est requis pour l'accueil et l'écran de salle", en: 'required for door volunteer and room screen accounts' } },
    ])
  }
  if (!eventRole && input.eventId) {
    throw new AppError('validation_failed', { fr: 'Données invalides', en: 'Invalid data' }, [
      { path: 'eventId', message: { fr: 'un administrateur ou un organisateur voit tout le réseau', en: 'admins and organisers see the whole network' } },
    ])
  }
  if (input.eventId) {
    const event = await db.selectFrom('events').select('id').where('id', '=', input.eventId).where('network_id', '=', by.networkId).executeTakeFirst()
    if (!event) throw new AppError('validation_failed', { fr: 'Données invalides', en: 'Invalid data' }, [{ path: 'eventId', message: { fr: 'événement inconnu', en: 'unknown event' } }])
  }
  const { token, row } = await createToken(
    db,
    { role: input.role, label: input.label, networkId: by.networkId, eventId: input.eventId ?? null, createdBy: by.tokenId },
    now,
  )
  return { member: toTokenDto(row), token }
}

/** Revokes an account of the network (conditional: a second revoke answers 409). */
export async function revokeMember(db: Db, by: StaffAuth, tokenId: string, now: string): Promise<TokenDto> {
  const row = await getToken(db, tokenId)
  if (!row || row.network_id !== by.networkId) throw notFound({ fr: 'Compte', en: 'Account' })
  assertMayManage(by, row.role)
  if (row.revoked_at) throw new AppError('conflict', { fr: `Le compte « ${row.label} » est déjà révoqué`, en: `The account “${row.label}” is already revoked` })
  return db.transaction().execute(async (trx) => {
    if (row.role === 'admin') {
      const admins = await listTokens(trx, { networkId: by.networkId, roles: ['admin'] })
      if (admins.filter((a) => a.revoked_at === null && a.id !== row.id).length === 0) {
        throw new AppError('conflict', { fr: 'Le dernier administrateur du réseau ne peut pas être révoqué', en: 'The last admin of the network cannot be revoked' })
      }
    }
    if (!(await revokeToken(trx, row.id, by.tokenId, now))) {
      throw new AppError('conflict', { fr: `Le compte « ${row.label} » est déjà révoqué`, en: `The account “${row.label}” is already revoked` })
    }
    return toTokenDto({ ...row, revoked_at: now, revoked_by: by.tokenId })
  })
}

export async function grantLabAccess(db: Db, by: StaffAuth, labId: string, now: string): Promise<void> {
  const lab = await getLab(db, labId)
  if (!lab) throw notFound({ fr: 'Laboratoire', en: 'Lab' })
  if (!(await grantLab(db, lab.id, by.networkId, `${by.role}:${by.tokenId}`, now))) {
    throw new AppError('conflict', { fr: `Le laboratoire « ${lab.name} » a déjà accès`, en: `The lab “${lab.name}” already has access` })
  }
}

export async function withdrawLabAccess(db: Db, by: StaffAuth, labId: string, now: string): Promise<void> {
  const lab = await getLab(db, labId)
  if (!lab || !(await withdrawGrant(db, lab.id, by.networkId, `${by.role}:${by.tokenId}`, now))) {
    throw notFound({ fr: 'Accès du laboratoire', en: 'Lab access' })
  }
}

/** Lets a lab keep stable pseudonyms across exports of the network (its own key), or takes it back. */
export async function setLabStablePseudonyms(db: Db, by: StaffAuth, labId: string, stable: boolean): Promise<void> {
  const lab = await getLab(db, labId)
  if (!lab || !(await setStablePseudonyms(db, lab.id, by.networkId, stable))) throw notFound({ fr: 'Accès du laboratoire', en: 'Lab access' })
}
