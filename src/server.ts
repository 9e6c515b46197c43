/**
 * `npm start`: reads the configuration, opens the database (a SQLite file by
 * default, PostgreSQL with DATABASE_URL=postgres://…), migrates, and on an empty
 * database creates a first organiser token, a lab token and the example events.
 */
import { mkdirSync } from 'node:fs'
import { dirname, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { serve } from '@hono/node-server'
import { createApp } from './app.ts'
import { loadConfig } from './config.ts'
import { migrateToLatest, openDatabase } from './db/database.ts'
import { countOrganisers, createLabToken, createOrganiser } from './db/repositories/tokens.repository.ts'
import { loadExampleEvent, readExampleEvents } from './domain/seed.ts'
import { workerSolver } from './domain/solver-runner.ts'

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..')

async function main(): Promise<void> {
  const config = loadConfig()
  const isPostgres = /^postgres(ql)?:\/\//.test(config.databaseUrl)
  if (!isPostgres && config.databaseUrl !== ':memory:') mkdirSync(dirname(resolve(config.databaseUrl)), { recursive: true })
  const { db, dialect } = openDatabase(config.databaseUrl)
  await migrateToLatest(db)

  const lines: string[] = []
  if ((await countOrganisers(db)) === 0) {
    const now = new Date().toISOString()
    const organiser = await createOrganiser(db, { name: 'Premier organisateur', label: 'created by npm start' }, now)
    const lab = await createLabToken(db, 'created by npm start', now)
    lines.push(`Jeton organisateur / organiser token: ${organiser.token}`, `Jeton laboratoire / lab token:       ${lab.token}`)
    lines.push('(affichés une seule fois / shown once: only their SHA-256 hashes are stored)')
    if (config.loadExamples) {
      for (const { file, json } of await readExampleEvents(resolve(root, 'data/events'))) {
        const loaded = await loadExampleEvent(db, organiser.organiserId, json, now)
        lines.push(`Exemple / example ${file}: ${loaded.participants} participants, planning v${loaded.scheduleVersion} ${loaded.status}`)
      }
    }
  }

  // the solver runs in a worker thread: solving a large event does not hold up other requests
  const solver = workerSolver()
  const app = createApp({ db, publicUrl: config.publicUrl, solver, log: console.log })
  const server = serve({ fetch: app.fetch, port: config.port, hostname: config.host }, (info) => {
    console.log(`Rencontres associations–entreprises: ${config.publicUrl} (port ${info.port}, ${dialect})`)
    for (const line of lines) console.log(line)
    console.log(`Essai / try: curl -H "Authorization: Bearer <org_…>" ${config.publicUrl}/api/events`)
  })

  let stopping = false
  const stop = (signal: string) => {
    if (stopping) return
    stopping = true
    console.log(`${signal}: arrêt / shutting down`)
    server.close(() => {
      Promise.all([solver.close(), db.destroy()]).then(
        () => process.exit(0),
        () => process.exit(1),
      )
    })
    // idle keep-alive connections now, busy ones after 3 s: stopped within 5 s
    if ('closeIdleConnections' in server) server.closeIdleConnections()
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
