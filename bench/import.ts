/**
 * Participant CSV import at scale (issue 8): 5,000 and 50,000 rows imported
 * through the HTTP app on SQLite (a temporary file, WAL) and, when
 * BENCH_POSTGRES_URL or TEST_POSTGRES_URL is set, on PostgreSQL (a schema of
 * its own, dropped after), then the same file re-imported with every person
 * changed (50,000 updates). Meanwhile /api/health is polled every 100 ms; its
 * latency is counted from when the poll was due, so a blocked event loop
 * shows. Each case runs in its own process (peak RSS per case).
 *
 *   npx tsx bench/import.ts     (also the last table of `npm run bench`)
 */
import { spawnSync } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { cpus, loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { fileURLToPath } from 'node:url'
import { Kysely, PostgresDialect, sql } from 'kysely'
import pg from 'pg'
import { createApp } from '../src/app.ts'
import { migrateToLatest, openDatabase, type DatabaseDialect } from '../src/db/database.ts'
import { createNetwork, createToken } from '../src/db/repositories/tokens.repository.ts'
import type { Database } from '../src/db/schema.ts'

const postgresUrl = process.env.BENCH_POSTGRES_URL ?? process.env.TEST_POSTGRES_URL

/** A registration file as a form exports it, about 58 bytes a row (the issue's file: 50,000 rows, 2.9 MB). */
export function participantsCsv(rows: number, person = 'Odile'): string {
  const themes = ['handicap', 'precarite', 'environnement', 'insertion-jeunes']
  const lines = ['type,nom,siren/rna,thèmes,participant']
  for (let i = 0; i < rows; i++) {
    const n = String(i).padStart(6, '0')
    lines.push(
      i % 2 === 0
        ? `association,Entraide ${n},W6${n}00,${themes[i % 4]},${person} ${n}`
        : `entreprise,Société ${n},4${n}00,${themes[i % 4]},${person} ${n}`,
    )
  }
  return `${lines.join('\r\n')}\r\n`
}

interface Row {
  dialect: DatabaseDialect
  case: string
  rows: number
  megabytes: number
  ms: number
  /** CPU time of the process (user + system) during the import: the machine's load does not inflate it */
  cpuMs: number
  healthMaxMs: number
  polls: number
  rssMiB: number
  result: string
}

async function openBenchDatabase(dialect: DatabaseDialect): Promise<{ db: Kysely<Database>; drop: () => Promise<void> }> {
  if (dialect === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'bench-import-'))
    const { db } = openDatabase(join(dir, 'bench.sqlite'))
    return { db, drop: async () => { await db.destroy(); rmSync(dir, { recursive: true, force: true }) } }
  }
  const schema = `bench_${randomBytes(6).toString('hex')}`
  const admin = new pg.Client({ connectionString: postgresUrl })
  await admin.connect()
  await admin.query(`create schema ${schema}`)
  await admin.end()
  pg.types.setTypeParser(pg.types.builtins.INT8, (v) => Number(v))
  const pool = new pg.Pool({ connectionString: postgresUrl, max: 10, options: `-c search_path=${schema}` })
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) })
  return { db, drop: async () => { await sql`drop schema ${sql.id(schema)} cascade`.execute(db); await db.destroy() } }
}

/** Runs `work` while polling /api/health every 100 ms; the worst latency counts from when a poll was due. */
async function whilePolling<T>(app: ReturnType<typeof createApp>, work: () => Promise<T>) {
  let done = false
  let healthMaxMs = 0
  let polls = 0
  const poller = (async () => {
    let last = performance.now()
    while (!done) {
      await sleep(100)
      const due = last + 100
      const res = await app.request('/api/health')
      if (res.status !== 200) throw new Error(`health: ${res.status}`)
      last = performance.now()
      healthMaxMs = Math.max(healthMaxMs, last - due)
      polls++
    }
  })()
  const started = performance.now()
  const cpu = process.cpuUsage()
  const value = await work()
  const ms = performance.now() - started
  const used = process.cpuUsage(cpu)
  done = true
  await poller
  return { value, ms, cpuMs: (used.user + used.system) / 1000, healthMaxMs, polls }
}

async function runCase(dialect: DatabaseDialect, rows: number): Promise<Row[]> {
  const { db, drop } = await openBenchDatabase(dialect)
  try {
    await migrateToLatest(db)
    const now = new Date().toISOString()
    const network = await createNetwork(db, { name: 'Réseau' }, now)
    const { token } = await createToken(db, { role: 'organiser', networkId: network.networkId, label: 'bench' }, now)
    const app = createApp({ db })
    const headers = { authorization: `Bearer ${token}` }
    const ev = await app.request('/api/events', {
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/json' },
      body: JSON.stringify({ title: 'Bench', date: '2026-12-03', rounds: 10, tables: 10, seatedSide: 'company' }),
    })
    if (ev.status !== 201) throw new Error(`event: ${ev.status} ${await ev.text()}`)
    const eventId = ((await ev.json()) as { event: { id: string } }).event.id
    const out: Row[] = []
    for (const [name, file] of [
      ['new participants', participantsCsv(rows)],
      ['re-import, every person changed', participantsCsv(rows, 'Anne')],
    ] as const) {
      const body = new TextEncoder().encode(file)
      const run = await whilePolling(app, async () => {
        const res = await app.request(`/api/events/${eventId}/participants/import`, { method: 'POST', headers: { ...headers, 'content-type': 'text/csv' }, body })
        return { status: res.status, text: await res.text() }
      })
      // the client's parsing of the answer is not the server's work: after the polling
      const json = JSON.parse(run.value.text) as { counts?: Record<'created' | 'updated', number>; error?: { message: string } }
      if (run.value.status !== 201) throw new Error(`import: ${run.value.status} ${json.error?.message}`)
      out.push({
        dialect, case: name, rows, megabytes: body.length / 1e6, ms: run.ms, cpuMs: run.cpuMs, healthMaxMs: run.healthMaxMs, polls: run.polls,
        rssMiB: process.resourceUsage().maxRSS / 1024, result: `${json.counts?.created} created, ${json.counts?.updated} updated`,
      })
    }
    return out
  } finally {
    await drop()
  }
}

function format(rows: Row[]): string {
  const head = ['dialect', 'case', 'rows', 'file', 'time', 'CPU', 'max /api/health latency', 'health polls', 'peak RSS', 'result']
  const lines = [`| ${head.join(' | ')} |`, `|${head.map(() => '---').join('|')}|`]
  const time = (ms: number) => (ms < 1000 ? `${ms.toFixed(0)} ms` : `${(ms / 1000).toFixed(2)} s`)
  for (const r of rows) {
    lines.push(`| ${[r.dialect, r.case, r.rows, `${r.megabytes.toFixed(1)} MB`, time(r.ms), time(r.cpuMs), time(r.healthMaxMs), r.polls, `${Math.round(r.rssMiB)} MiB`, r.result].join(' | ')} |`)
  }
  return lines.join('\n')
}

const self = fileURLToPath(import.meta.url)

/** Every case, each in a child process; a Markdown table. */
export function importBench(): string {
  const all: Row[] = []
  const dialects: DatabaseDialect[] = postgresUrl ? ['sqlite', 'postgres'] : ['sqlite']
  for (const dialect of dialects) {
    for (const rows of [5000, 50000]) {
      const child = spawnSync(process.execPath, [...process.execArgv, self, '--case', dialect, String(rows)], { encoding: 'utf8', maxBuffer: 1 << 26 })
      if (child.status !== 0) {
        process.stderr.write(`import ${dialect} ${rows}: failed\n${child.stderr}\n`)
        continue
      }
      const result = JSON.parse(child.stdout) as Row[]
      all.push(...result)
      process.stderr.write(`import ${dialect} ${rows}: ${result.map((r) => `${r.ms.toFixed(0)} ms`).join(', ')}\n`)
    }
  }
  const note = postgresUrl ? '' : ' PostgreSQL: set BENCH_POSTGRES_URL or TEST_POSTGRES_URL.'
  const load = loadavg().map((l) => l.toFixed(1)).join(' ')
  return `${format(all)}\n\nParticipant CSV import through the HTTP app; /api/health polled every 100 ms, latency counted from when the poll was due; CPU: the importing process's user + system time (the PostgreSQL server's is not counted). Load average at the end: ${load} on ${cpus().length} cores.${note}\n`
}

if (process.argv[1] === self) {
  const args = process.argv.slice(2)
  const at = args.indexOf('--case')
  if (at >= 0) {
    const rows = await runCase(args[at + 1] as DatabaseDialect, Number(args[at + 2]))
    process.stdout.write(JSON.stringify(rows))
  } else {
    process.stdout.write(importBench())
  }
}
