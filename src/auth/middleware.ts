/**
 * `authenticate` reads `Authorization: Bearer <token>` and sets the typed `auth`
 * variable (null without a token; 401 for an unknown or revoked one). Guards
 * then say who may pass: 401 without a token, 403 for the wrong role.
 */
import type { Context, MiddlewareHandler } from 'hono'
import { createMiddleware } from 'hono/factory'
import type { Kysely } from 'kysely'
import type { Database } from '../db/schema.ts'
import { AppError, type Msg } from '../errors.ts'
import type { AppEnv } from '../http/env.ts'
import { roleLabels } from '../domain/labels.ts'
import { hashToken, tokenKind, type Auth, type StaffAuth } from './tokens.ts'

export const authenticate: MiddlewareHandler<AppEnv> = createMiddleware<AppEnv>(async (c, next) => {
  c.set('auth', null)
  const header = c.req.header('authorization')
  if (header) {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header)
    if (!match?.[1]) throw unauthorized({ fr: 'En-tête Authorization invalide', en: 'Malformed Authorization header' })
    const auth = await resolveToken(c.get('db'), match[1], c.get('clock')())
    if (!auth) throw unauthorized({ fr: 'Jeton inconnu ou révoqué', en: 'Unknown or revoked token' })
    c.set('auth', auth)
  }
  await next()
})

/** Last use is written at most once every 5 minutes per token. */
const LAST_USED_GRANULARITY_MS = 5 * 60 * 1000

/** The account behind a token, or null for an unknown or revoked one. Also used by the pages. */
export async function resolveToken(db: Kysely<Database>, token: string, now: Date = new Date()): Promise<Auth | null> {
  const kind = tokenKind(token)
  if (!kind) return null
  const hash = hashToken(token)
  if (kind === 'participant') {
    const registration = await db
      .selectFrom('registrations')
      .innerJoin('events', 'events.id', 'registrations.event_id')
      .select(['registrations.id', 'registrations.event_id', 'registrations.organisation_id', 'events.network_id'])
      .where('registrations.secret_hash', '=', hash)
      .executeTakeFirst()
    if (!registration) return null
    return {
      role: 'participant',
      registrationId: registration.id,
      eventId: registration.event_id,
      organisationId: registration.organisation_id,
      networkId: registration.network_id,
    }
  }
  const row = await db
    .selectFrom('tokens')
    .select(['id', 'role', 'network_id', 'event_id', 'lab_id', 'last_used_at'])
    .where('token_hash', '=', hash)
    .where('revoked_at', 'is', null)
    .executeTakeFirst()
  if (!row) return null
  const stale = new Date(now.getTime() - LAST_USED_GRANULARITY_MS).toISOString()
  if (row.last_used_at === null || row.last_used_at < stale) {
    await db
      .updateTable('tokens')
      .set({ last_used_at: now.toISOString() })
      .where('id', '=', row.id)
      .where((eb) => eb.or([eb('last_used_at', 'is', null), eb('last_used_at', '<', stale)]))
      .execute()
  }
  if (row.role === 'lab') return row.lab_id ? { role: 'lab', labId: row.lab_id, tokenId: row.id } : null
  if (!row.network_id) return null
  return { role: row.role, networkId: row.network_id, eventId: row.event_id, tokenId: row.id }
}

function unauthorized(message: Msg): AppError {
  return new AppError('unauthorized', message)
}

type Role = Auth['role']

function requireRoles(roles: readonly Role[]): MiddlewareHandler<AppEnv> {
  return createMiddleware<AppEnv>(async (c, next) => {
    authAs(c, roles)
    await next()
  })
}

export const ORGANISER_ROLES = ['admin', 'organiser'] as const
export const STAFF_ROLES = ['admin', 'organiser', 'accueil', 'salle'] as const

/** Admins and organisers: the events of their network and everything in them. */
export const requireOrganiser = requireRoles(ORGANISER_ROLES)
/** Any staff of a network; routes then check the event (accueil and salle have one). */
export const requireStaff = requireRoles(STAFF_ROLES)
export const requireAdmin = requireRoles(['admin'])
export const requireLab = requireRoles(['lab'])
export const requireParticipant = requireRoles(['participant'])

/** The admin or organiser calling; throws as the guard would (use after requireOrganiser, or alone). */
export function organiserAuth(c: Context<AppEnv>): StaffAuth & { role: 'admin' | 'organiser' } {
  return authAs(c, ORGANISER_ROLES) as StaffAuth & { role: 'admin' | 'organiser' }
}

export function staffAuth(c: Context<AppEnv>): StaffAuth {
  return authAs(c, STAFF_ROLES) as StaffAuth
}

export function adminAuth(c: Context<AppEnv>): StaffAuth & { role: 'admin' } {
  return authAs(c, ['admin']) as StaffAuth & { role: 'admin' }
}

export function participantAuth(c: Context<AppEnv>): Extract<Auth, { role: 'participant' }> {
  return authAs(c, ['participant']) as Extract<Auth, { role: 'participant' }>
}

export function labAuth(c: Context<AppEnv>): Extract<Auth, { role: 'lab' }> {
  return authAs(c, ['lab']) as Extract<Auth, { role: 'lab' }>
}

/** Who did it, for records kept with a change: `<role>:<token id>` (the token's label names the person), `participant:<registration id>`. */
export function actorOf(auth: Auth): string {
  return auth.role === 'participant' ? `participant:${auth.registrationId}` : `${auth.role}:${auth.tokenId}`
}

export function authAs(c: Context<AppEnv>, roles: readonly Role[]): Auth {
  const auth = c.get('auth')
  if (!auth) throw unauthorized({ fr: 'Jeton requis', en: 'Authorization: Bearer <token> required' })
  if (!roles.includes(auth.role)) {
    const fr = roles.map((r) => roleLabels[r].fr).join(', ')
    const en = roles.map((r) => roleLabels[r].en).join(', ')
    throw new AppError('forbidden', { fr: `Réservé aux rôles : ${fr}`, en: `Only for: ${en}` })
  }
  return auth
}
