/** Accounts for tests: a network with an organiser token, a lab granted every network that exists. */
import type { Kysely } from 'kysely'
import { createLab, createNetwork, createToken, grantLab, listNetworks, setStablePseudonyms } from '../../src/db/repositories/tokens.repository.ts'
import type { Database } from '../../src/db/schema.ts'

/** A new network and an organiser token of it (`networkId` is also returned as `organiserId` for older tests). */
export async function createOrganiser(db: Kysely<Database>, input: { name: string }, now: string) {
  const network = await createNetwork(db, { name: input.name }, now)
  const { token } = await createToken(db, { role: 'organiser', networkId: network.networkId, label: input.name }, now)
  return { networkId: network.networkId, organiserId: network.networkId, token, adminToken: network.token }
}

/** A lab granted access to every network created so far, with stable pseudonyms (its own export key). */
export async function createLabToken(db: Kysely<Database>, label: string, now: string) {
  const lab = await createLab(db, label, now)
  for (const n of await listNetworks(db)) {
    await grantLab(db, lab.labId, n.id, 'test', now)
    await setStablePseudonyms(db, lab.labId, n.id, true)
  }
  return { labId: lab.labId, tokenId: lab.tokenId, token: lab.token }
}
