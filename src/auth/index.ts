export {
  actorOf, adminAuth, authenticate, labAuth, organiserAuth, participantAuth, requireAdmin, requireLab, requireOrganiser,
  requireParticipant, requireStaff, resolveToken, staffAuth,
} from './middleware.ts'
export { eventFor, ownedEvent, type EventNeed } from './ownership.ts'
export { generateToken, hashToken, tokenKind, tokenPrefix, type Auth, type StaffAuth, type TokenKind } from './tokens.ts'
