/**
 * An app on a fresh database with two networks (each with an admin and an
 * organiser token) and a lab granted access to both, and a small request
 * helper that returns the status and the parsed JSON body.
 *
 *   const test = apiTest(dialect)
 *   test('…', async ({ api }) => { const r = await api.call('GET', '/api/events', { token: api.org }) })
 */
import type { Kysely } from 'kysely'
import { createApp, type CreateAppOptions } from '../../src/app.ts'
import { createLab, createNetwork, createToken, grantLab, setStablePseudonyms } from '../../src/db/repositories/tokens.repository.ts'
import type { Database } from '../../src/db/schema.ts'
import type { DatabaseDialect } from '../../src/db/database.ts'
import { dbTest } from './db.ts'

export const fixedNow = new Date('2026-11-24T18:00:00.000Z')

export interface CallOptions {
  token?: string
  json?: unknown
  body?: string | Uint8Array | FormData
  headers?: Record<string, string>
}

export interface Api {
  db: Kysely<Database>
  app: ReturnType<typeof createApp>
  /** organiser of network 1, organiser of network 2, lab (granted both) */
  org: string
  org2: string
  lab: string
  /** admins of networks 1 and 2 */
  admin: string
  admin2: string
  network: string
  network2: string
  labId: string
  call: (method: string, path: string, options?: CallOptions) => Promise<{ status: number; body: any; text: string; headers: Headers }>
}

export async function makeApi(db: Kysely<Database>, options: Partial<CreateAppOptions> = {}): Promise<Api> {
  const now = fixedNow.toISOString()
  const app = createApp({ db, clock: () => fixedNow, ...options })
  const one = await createNetwork(db, { name: 'Réseau Alsace Partenariats' }, now)
  const two = await createNetwork(db, { name: 'Club RSE Mulhouse' }, now)
  const org = (await createToken(db, { role: 'organiser', networkId: one.networkId, label: 'Organisatrice' }, now)).token
  const org2 = (await createToken(db, { role: 'organiser', networkId: two.networkId, label: 'Organisateur' }, now)).token
  const lab = await createLab(db, 'Laboratoire', now)
  await grantLab(db, lab.labId, one.networkId, 'test', now)
  await grantLab(db, lab.labId, two.networkId, 'test', now)
  // the lab keeps stable pseudonyms in both networks (tests compare exports made with one key)
  await setStablePseudonyms(db, lab.labId, one.networkId, true)
  await setStablePseudonyms(db, lab.labId, two.networkId, true)
  return {
    db, app, org, org2, lab: lab.token, admin: one.token, admin2: two.token, network: one.networkId, network2: two.networkId, labId: lab.labId,
    async call(method, path, options = {}) {
      const headers: Record<string, string> = { ...options.headers }
      if (options.token) headers.authorization = `Bearer ${options.token}`
      let body = options.body
      if (options.json !== undefined) {
        body = JSON.stringify(options.json)
        headers['content-type'] ??= 'application/json'
      }
      const init: RequestInit = { method, headers }
      if (body !== undefined) init.body = body
      const res = await app.request(path, init)
      const text = await res.text()
      let parsed: unknown = undefined
      try {
        parsed = text ? JSON.parse(text) : undefined
      } catch {
        parsed = undefined
      }
      return { status: res.status, body: parsed, text, headers: res.headers }
    },
  }
}

export function apiTest(dialect: DatabaseDialect) {
  return dbTest(dialect).extend<{ api: Api }>({
    api: async ({ db }, use) => {
      await use(await makeApi(db))
    },
  })
}
