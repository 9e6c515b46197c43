/**
 * The caller's network: its accounts (one token each) and the labs it lets
 * read its figures. Answers carrying a new token are never cached.
 */
import { Hono } from 'hono'
import { z } from 'zod'
import { adminAuth, requireStaff, staffAuth } from '../auth/middleware.ts'
import { getNetwork, listGrants } from '../db/repositories/tokens.repository.ts'
import { grantLabAccess, inviteMember, listMembers, NewMember, revokeMember, setLabStablePseudonyms, withdrawLabAccess } from '../domain/accounts.ts'
import { notFound } from '../errors.ts'
import { nowIso, type AppEnv } from './env.ts'
import { validate } from './validate.ts'

const LabGrant = z.object({ labId: z.string().min(1).max(100) }).strict()
const LabGrantPatch = z.object({ stablePseudonyms: z.boolean() }).strict()

export const network = new Hono<AppEnv>()
  .use(requireStaff)
  .get('/', async (c) => {
    const auth = staffAuth(c)
    const row = await getNetwork(c.get('db'), auth.networkId)
    if (!row) throw notFound({ fr: 'Réseau', en: 'Network' })
    return c.json({ network: { id: row.id, name: row.name }, role: auth.role, eventId: auth.eventId }, 200)
  })
  .get('/tokens', async (c) => {
    return c.json({ tokens: await listMembers(c.get('db'), staffAuth(c)) }, 200)
  })
  .post('/tokens', validate('json', NewMember), async (c) => {
    const created = await inviteMember(c.get('db'), staffAuth(c), c.req.valid('json'), nowIso(c.get('clock')))
    c.header('cache-control', 'no-store')
    return c.json({ member: created.member, token: created.token }, 201)
  })
  .delete('/tokens/:tokenId', async (c) => {
    const member = await revokeMember(c.get('db'), staffAuth(c), c.req.param('tokenId'), nowIso(c.get('clock')))
    return c.json({ member }, 200)
  })
  .get('/labs', async (c) => {
    const auth = adminAuth(c)
    return c.json({ grants: await listGrants(c.get('db'), { networkId: auth.networkId }) }, 200)
  })
  .post('/labs', validate('json', LabGrant), async (c) => {
    const auth = adminAuth(c)
    await grantLabAccess(c.get('db'), auth, c.req.valid('json').labId, nowIso(c.get('clock')))
    return c.json({ grants: await listGrants(c.get('db'), { networkId: auth.networkId }) }, 201)
  })
  .patch('/labs/:labId', validate('json', LabGrantPatch), async (c) => {
    const auth = adminAuth(c)
    await setLabStablePseudonyms(c.get('db'), auth, c.req.param('labId'), c.req.valid('json').stablePseudonyms)
    return c.json({ grants: await listGrants(c.get('db'), { networkId: auth.networkId }) }, 200)
  })
  .delete('/labs/:labId', async (c) => {
    const auth = adminAuth(c)
    await withdrawLabAccess(c.get('db'), auth, c.req.param('labId'), nowIso(c.get('clock')))
    return c.json({ grants: await listGrants(c.get('db'), { networkId: auth.networkId }) }, 200)
  })
