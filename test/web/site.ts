/**
 * A running site for browser tests and screenshots: the app on a fresh
 * in-memory SQLite database, served on 127.0.0.1 at a random port, with an
 * organiser, a lab token, the example 10 x 10 evening of Strasbourg (loaded
 * from data/events as `npm start` does, but not yet solved) and an empty event
 * to import a CSV into.
 */
import { existsSync, readFileSync } from 'node:fs'
import type { AddressInfo } from 'node:net'
import { serve, type ServerType } from '@hono/node-server'
import type { Kysely } from 'kysely'
import { chromium, type Browser, type Page } from 'playwright-core'
import { createApp, type CreateAppOptions } from '../../src/app.ts'
import { createLabToken, createOrganiser } from '../helpers/accounts.ts'
import { loadExampleEvent } from '../../src/domain/seed.ts'
import type { Database } from '../../src/db/schema.ts'
import { freshDatabase, isCi } from '../helpers/db.ts'

export interface Site {
  url: string
  db: Kysely<Database>
  app: ReturnType<typeof createApp>
  org: string
  /** the network admin */
  admin: string
  lab: string
  /** the Strasbourg example event */
  eventId: string
  /** an event with nobody registered yet */
  emptyEventId: string
  /** personal secrets by organisation name */
  secrets: Map<string, string>
  call: (method: string, path: string, token: string, json?: unknown) => Promise<any>
  close: () => Promise<void>
}

const root = new URL('../../', import.meta.url)

export async function startSite(options: Partial<CreateAppOptions> = {}): Promise<Site> {
  const { db, drop } = await freshDatabase('sqlite')
  const app = createApp({ db, ...options })
  const now = new Date().toISOString()
  const { organiserId, token: org, adminToken: admin } = await createOrganiser(db, { name: 'Réseau Alsace Partenariats' }, now)
  const lab = (await createLabToken(db, 'Laboratoire des partenariats', now)).token

  async function call(method: string, path: string, token: string, json?: unknown): Promise<any> {
    const init: RequestInit = { method, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' } }
    if (json !== undefined) init.body = JSON.stringify(json)
    const res = await app.request(path, init)
    const body = await res.json()
    if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(body)}`)
    return body
  }

  // The Strasbourg example as `npm start` loads it, without solving: the tests generate the rotation.
  const example = JSON.parse(readFileSync(new URL('data/events/strasbourg-10x10.json', root), 'utf8'))
  const { event } = await loadExampleEvent(db, organiserId, example, now, { schedule: false })
  const eventId = event.id
  // personal links are only shown once; the organiser issues new ones, as the console does
  const secrets = new Map<string, string>()
  for (const p of (await call('GET', `/api/events/${eventId}/participants`, org)).participants as { id: string; organisation: { name: string } }[]) {
    secrets.set(p.organisation.name, (await call('POST', `/api/events/${eventId}/participants/${p.id}/link`, org)).token)
  }
  const emptyEventId: string = (
    await call('POST', '/api/events', org, {
      title: 'Forum partenaires de Mulhouse',
      date: '2027-01-21',
      venue: 'La Fonderie, Mulhouse',
      startTime: '18:00',
      rounds: 6,
      meetingMinutes: 6,
      transitionMinutes: 1,
      breaks: [{ afterRound: 3, minutes: 10 }],
      tables: 6,
      seatedSide: 'company',
    })
  ).event.id
  await call('POST', `/api/events/${emptyEventId}/status`, org, { status: 'open' }).catch(() => undefined)

  const server: ServerType = await new Promise((resolve) => {
    const s = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s))
  })
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    db,
    app,
    org,
    admin,
    lab,
    eventId,
    emptyEventId,
    secrets,
    call,
    close: async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()))
      await drop()
    },
  }
}

export const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'
export const hasChromium = existsSync(chromiumPath)
if (isCi && !hasChromium) {
  throw new Error(`CI=true but no chromium binary at ${chromiumPath}: the browser suites cannot run (install chromium or set CHROMIUM_PATH)`)
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath,
    args: [
      '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
    ],
  })
}

export function csvFile(name: string): Buffer {
  return readFileSync(new URL(`data/csv/${name}`, root))
}

/** Logs `page` in with `token` through the login page, as a person would, and waits for the page it lands on. */
export async function logIn(site: Pick<Site, 'url'>, page: Page, token: string): Promise<void> {
  await page.goto(`${site.url}/connexion`)
  await page.getByLabel('Jeton d’accès').fill(token)
  await Promise.all([page.waitForEvent('load'), page.getByRole('button', { name: 'Se connecter' }).click()])
}
