export { authenticate, labAuth, organiserAuth, participantAuth, requireLab, requireOrganiser, requireParticipant } from './middleware.ts'
export { ownedEvent } from './ownership.ts'
export { generateToken, hashToken, tokenKind, tokenPrefix, type Auth, type TokenKind } from './tokens.ts'
