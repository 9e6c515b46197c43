/**
 * `authenticate` reads `Authorization: Bearer <token>` and sets the typed `auth`
 * variable (null without a token; 401 for an unknown or revoked one). Guards
 * then say who may pass: 401 without a token, 403 for the wrong role.
 */
import type { Context, MiddlewareHandler } from 'hono'
import { createMiddleware } from 'hono/factory'
import { AppError } from '../errors.ts'
import type { AppEnv } from '../http/env.ts'
import { hashToken, tokenKind, type Auth } from './tokens.ts'

export const authenticate: MiddlewareHandler<AppEnv> = createMiddleware<AppEnv>(async (c, next) => {
  c.set('auth', null)
  const header = c.req.header('authorization')
  if (header) {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header)
    if (!match?.[1]) throw unauthorized('En-tête Authorization invalide / Malformed Authorization header')
    c.set('auth', await resolveToken(c, match[1]))
  }
  await next()
})

async function resolveToken(c: Context<AppEnv>, token: string): Promise<Auth> {
  const db = c.get('db')
  const kind = tokenKind(token)
  const hash = hashToken(token)
  if (kind === 'participant') {
    const registration = await db
      .selectFrom('registrations')
      .select(['id', 'event_id', 'organisation_id'])
      .where('secret_hash', '=', hash)
      .executeTakeFirst()
    if (registration) {
      return { role: 'participant', registrationId: registration.id, eventId: registration.event_id, organisationId: registration.organisation_id }
    }
  } else if (kind === 'organiser' || kind === 'lab') {
    const row = await db
      .selectFrom('api_tokens')
      .select(['id', 'role', 'organiser_id'])
      .where('token_hash', '=', hash)
      .where('revoked_at', 'is', null)
      .executeTakeFirst()
    if (row?.role === 'organiser' && kind === 'organiser' && row.organiser_id) {
      return { role: 'organiser', organiserId: row.organiser_id, tokenId: row.id }
    }
    if (row?.role === 'lab' && kind === 'lab') return { role: 'lab', tokenId: row.id }
  }
  throw unauthorized('Jeton inconnu ou révoqué / Unknown or revoked token')
}

function unauthorized(message: string): AppError {
  return new AppError('unauthorized', message)
}

function requireRole(role: Auth['role']): MiddlewareHandler<AppEnv> {
  return createMiddleware<AppEnv>(async (c, next) => {
    authAs(c, role)
    await next()
  })
}

export const requireOrganiser = requireRole('organiser')
export const requireLab = requireRole('lab')
export const requireParticipant = requireRole('participant')

/** The organiser calling; throws as the guard would (use after requireOrganiser, or alone). */
export function organiserAuth(c: Context<AppEnv>): Extract<Auth, { role: 'organiser' }> {
  return authAs(c, 'organiser')
}

export function participantAuth(c: Context<AppEnv>): Extract<Auth, { role: 'participant' }> {
  return authAs(c, 'participant')
}

export function labAuth(c: Context<AppEnv>): Extract<Auth, { role: 'lab' }> {
  return authAs(c, 'lab')
}

function authAs<R extends Auth['role']>(c: Context<AppEnv>, role: R): Extract<Auth, { role: R }> {
  const auth = c.get('auth')
  if (!auth) throw unauthorized('Jeton requis / Authorization: Bearer <token> required')
  if (auth.role !== role) throw new AppError('forbidden', `Réservé aux ${roleLabels[role]} / Only for the ${role} role`)
  return auth as Extract<Auth, { role: R }>
}

const roleLabels: Record<Auth['role'], string> = {
  organiser: 'organisateurs',
  lab: 'laboratoires',
  participant: 'participants (lien personnel)',
}
