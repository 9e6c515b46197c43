/**
 * Tokens carry their role in a prefix: `adm_` network admin, `org_` organiser,
 * `acc_` door volunteer (accueil), `sal_` room screen (salle), `lab_` lab,
 * `p_` participant (the personal link secret). Only SHA-256 hashes are stored;
 * the role that counts is the stored one (the prefix helps people tell tokens apart).
 */
import { createHash, randomBytes } from 'node:crypto'
import type { TokenRole } from '../db/schema.ts'

export type TokenKind = TokenRole | 'participant'

export const tokenPrefix: Record<TokenKind, string> = {
  admin: 'adm_',
  organiser: 'org_',
  accueil: 'acc_',
  salle: 'sal_',
  lab: 'lab_',
  participant: 'p_',
}

/** Staff of a network: admin and organiser see the whole network; accueil and salle one event. */
export type StaffAuth = {
  role: 'admin' | 'organiser' | 'accueil' | 'salle'
  networkId: string
  /** the one event of an accueil or salle token; null for admin and organiser */
  eventId: string | null
  tokenId: string
}

export type Auth =
  | StaffAuth
  | { role: 'lab'; labId: string; tokenId: string }
  | { role: 'participant'; registrationId: string; eventId: string; organisationId: string; networkId: string }

/** A new secret token: prefix + 32 url-safe characters (192 random bits). */
export function generateToken(kind: TokenKind): string {
  return tokenPrefix[kind] + randomBytes(24).toString('base64url')
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex')
}

export function tokenKind(token: string): TokenKind | null {
  for (const [kind, prefix] of Object.entries(tokenPrefix) as [TokenKind, string][]) {
    if (token.startsWith(prefix)) return kind
  }
  return null
}
