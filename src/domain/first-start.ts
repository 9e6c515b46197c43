/**
 * What `npm start` does on an empty database: one network with its admin
 * token, a lab granted access to it, and the example events of data/events/.
 */
import type { Kysely } from 'kysely'
import { countNetworks, createLab, createNetwork, grantLab } from '../db/repositories/tokens.repository.ts'
import type { Database } from '../db/schema.ts'
import { loadExampleEvent, readExampleEvents } from './seed.ts'

export interface FirstStart {
  networkId: string
  adminToken: string
  labId: string
  labToken: string
  examples: { file: string; participants: number; scheduleVersion: number | null; status: string | null }[]
}

/** Null when the database already has a network (nothing is created then). */
export async function firstStart(
  db: Kysely<Database>,
  options: { examplesFolder: string | null; now: string },
): Promise<FirstStart | null> {
  if ((await countNetworks(db)) > 0) return null
  const network = await createNetwork(db, { name: 'Premier réseau', adminLabel: 'Créé par npm start' }, options.now)
  const lab = await createLab(db, 'Laboratoire', options.now)
  await grantLab(db, lab.labId, network.networkId, 'npm start', options.now)
  const examples: FirstStart['examples'] = []
  if (options.examplesFolder) {
    for (const { file, json } of await readExampleEvents(options.examplesFolder)) {
      const loaded = await loadExampleEvent(db, network.networkId, json, options.now)
      examples.push({ file, participants: loaded.participants, scheduleVersion: loaded.scheduleVersion, status: loaded.status })
    }
  }
  return { networkId: network.networkId, adminToken: network.token, labId: lab.labId, labToken: lab.token, examples }
}
