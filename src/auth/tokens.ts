/**
 * Tokens carry their role in a prefix: `org_` organiser, `lab_` lab, `p_`
 * participant (the personal link secret). Only SHA-256 hashes are stored.
 */
import { createHash, randomBytes } from 'node:crypto'

export type TokenKind = 'organiser' | 'lab' | 'participant'

export const tokenPrefix: Record<TokenKind, string> = {
  organiser: 'org_',
  lab: 'lab_',
  participant: 'p_',
}

export type Auth =
  | { role: 'organiser'; organiserId: string; tokenId: string }
  | { role: 'lab'; tokenId: string }
  | { role: 'participant'; registrationId: string; eventId: string; organisationId: string }

/** A new secret token: prefix + 32 url-safe characters (192 random bits). */
export function generateToken(kind: TokenKind): string {
  return tokenPrefix[kind] + randomBytes(24).toString('base64url')
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex')
}

export function tokenKind(token: string): TokenKind | null {
  for (const kind of ['organiser', 'lab', 'participant'] as const) {
    if (token.startsWith(tokenPrefix[kind])) return kind
  }
  return null
}
