/**
 * `npm start`: reads the configuration, takes the port, then opens the
 * database (a SQLite file by default, PostgreSQL with DATABASE_URL=postgres://…),
 * migrates, and on an empty database creates a first network with its admin
 * token, a lab token granted to it and the example events. A busy port is a
 * one-line error and exit 1, before anything is created.
 */
import { mkdirSync } from 'node:fs'
import type { Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { dirname, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { serve } from '@hono/node-server'
import { createApp } from './app.ts'
import { loadConfig } from './config.ts'
import { migrateToLatest, openDatabase } from './db/database.ts'
import { firstStart } from './domain/first-start.ts'
import { loadLinkSecret } from './domain/links.ts'
import { listenForChanges, liveBus } from './domain/live.ts'
import { mailTransport, startMailer } from './domain/mail/runner.ts'
import { scheduleRetention } from './domain/privacy/retention.ts'
import { workerSolver } from './domain/solver-runner.ts'

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..')

async function main(): Promise<void> {
  const config = loadConfig()

  // take the port first: until the app is ready, requests get 503
  let app: ReturnType<typeof createApp> | null = null
  const server = serve({
    fetch: (request) => (app ? app.fetch(request) : new Response('Démarrage… / Starting…', { status: 503, headers: { 'retry-after': '1' } })),
    port: config.port,
    hostname: config.host,
  }) as Server
  const listening = await new Promise<boolean>((done) => {
    server.once('listening', () => done(true))
    server.once('error', (err: NodeJS.ErrnoException) => {
      const why = err.code === 'EADDRINUSE' ? 'port déjà utilisé / port already in use' : err.message
      console.error(`Impossible d'écouter sur ${config.host}:${config.port} : ${why} (PORT=… pour en choisir un autre / set PORT to choose another)`)
      done(false)
    })
  })
  if (!listening) {
    process.exitCode = 1
    return
  }

  const isPostgres = /^postgres(ql)?:\/\//.test(config.databaseUrl)
  if (!isPostgres && config.databaseUrl !== ':memory:') mkdirSync(dirname(resolve(config.databaseUrl)), { recursive: true })
  const { db, dialect } = openDatabase(config.databaseUrl)
  await migrateToLatest(db)
  // live updates (room screen, participants' pages): with PostgreSQL, a change made through any process reaches every process
  if (isPostgres) await listenForChanges(db, config.databaseUrl)

  const created = await firstStart(db, {
    examplesFolder: config.loadExamples ? resolve(root, 'data/events') : null,
    now: new Date().toISOString(),
  })

  // the solver runs in a worker thread: solving a large event does not hold up other requests
  const solver = workerSolver()
  // personal links are derived from a server secret kept out of the database (next to a SQLite file, else in var/)
  const linkSecret = loadLinkSecret(config.linkSecret, isPostgres || config.databaseUrl === ':memory:' ? resolve(root, 'var/link-secret') : resolve(dirname(resolve(config.databaseUrl)), 'link-secret'))
  const mailer = startMailer({ db, linkKey: linkSecret, publicUrl: config.publicUrl, from: config.mailFrom, transport: mailTransport(config.smtpUrl, resolve(root, 'var/outbox')) })
  app = createApp({ db, publicUrl: config.publicUrl, solver, linkSecret, wakeMailer: mailer.wake, log: console.log })
  const { port } = server.address() as AddressInfo
  console.log(`Rencontres associations–entreprises: ${config.publicUrl} (port ${port}, ${dialect})`)
  // personal data past the networks' retention policy: erased once a day (src/domain/privacy/retention.ts)
  const stopRetention = scheduleRetention(db)
  if (created) {
    console.log('Premier réseau créé / first network created. Jeton administrateur / admin token:')
    console.log(created.adminToken)
    console.log('Jeton laboratoire (accès accordé à ce réseau) / lab token (granted access to this network):')
    console.log(created.labToken)
    console.log('(affichés une seule fois : un jeton perdu se remplace par `npm run admin -- token add …` / shown once: replace a lost token with `npm run admin -- token add …`)')
    for (const e of created.examples) {
      console.log(`Exemple / example ${e.file}: ${e.participants} participants, planning v${e.scheduleVersion} ${e.status}`)
    }
  }
  console.log(`Essai / try: curl -H "Authorization: Bearer <adm_…>" ${config.publicUrl}/api/events`)

  let stopping = false
  const stop = (signal: string) => {
    if (stopping) return
    stopping = true
    mailer.stop()
    stopRetention()
    // open live streams end now: they do not hold the shutdown up; the LISTEN connection closes
    const live = liveBus(db).close()
    console.log(`${signal}: arrêt / shutting down`)
    server.close(() => {
      Promise.all([solver.close(), live, db.destroy()]).then(
        () => process.exit(0),
        () => process.exit(1),
      )
    })
    // idle keep-alive connections now, busy ones after 3 s: stopped within 5 s
    if ('closeIdleConnections' in server) server.closeIdleConnections()
    // the live streams' connections, idle once their streams have ended
    void live.then(() => setTimeout(() => 'closeIdleConnections' in server && server.closeIdleConnections(), 50).unref())
    setTimeout(() => 'closeAllConnections' in server && server.closeAllConnections(), 3_000).unref()
    setTimeout(() => process.exit(1), 4_500).unref()
  }
  process.on('SIGINT', () => stop('SIGINT'))
  process.on('SIGTERM', () => stop('SIGTERM'))
}

main().catch((err: unknown) => {
  console.error(err)
  process.exitCode = 1
})
