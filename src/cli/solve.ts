/**
 * `npm run solve -- FILE.json [--format json|table] [--seed N]`
 * Prints the SolveResult as JSON (default) or a readable grid of rounds x tables.
 * Exit codes: 0 solved, 1 infeasible, 2 unreadable or invalid instance (issues printed).
 */
import { readFileSync } from 'node:fs'
import { pathToFileURL } from 'node:url'
import { parseInstance, solve, type SolveResult } from '../../solver/index.ts'

export interface CliIo {
  out: (text: string) => void
  err: (text: string) => void
  readFile: (path: string) => string
}

const usage = 'usage: npm run solve -- FILE.json [--format json|table] [--seed N]'

/** Runs the command and returns its exit code (no process.exit, so tests can call it). */
export function runSolveCli(argv: string[], io: CliIo): number {
  let file: string | undefined
  let format: 'json' | 'table' = 'json'
  let seed: number | undefined
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!
    if (arg === '--format') {
      const value = argv[++i]
      if (value !== 'json' && value !== 'table') {
        io.err(`--format: json ou table / json or table\n${usage}`)
        return 2
      }
      format = value
    } else if (arg === '--seed') {
      const value = Number(argv[++i])
      if (!Number.isInteger(value)) {
        io.err(`--seed: un entier / an integer\n${usage}`)
        return 2
      }
      seed = value
    } else if (arg.startsWith('--format=')) {
      const value = arg.slice('--format='.length)
      if (value !== 'json' && value !== 'table') {
        io.err(`--format: json ou table / json or table\n${usage}`)
        return 2
      }
      format = value
    } else if (file === undefined) file = arg
    else {
      io.err(`argument inattendu / unexpected argument: ${arg}\n${usage}`)
      return 2
    }
  }
  if (file === undefined) {
    io.err(usage)
    return 2
  }
  let json: unknown
  try {
    json = JSON.parse(io.readFile(file))
  } catch (error) {
    io.err(`${file}: lecture ou JSON impossible / cannot read or parse JSON: ${(error as Error).message}`)
    return 2
  }
  const parsed = parseInstance(json)
  if (!parsed.ok) {
    io.err(`${file}: instance invalide / invalid instance`)
    for (const issue of parsed.issues) io.err(`  ${issue.path || '(racine / root)'}: ${issue.message}`)
    return 2
  }
  const instance = parsed.instance
  if (seed !== undefined) instance.options = { ...instance.options, seed }
  const result = solve(instance)
  io.out(format === 'json' ? JSON.stringify(result, null, 2) : formatTable(result))
  if (result.status === 'infeasible') {
    if (format === 'json') io.err(`impossible / infeasible: ${result.reason ?? ''}`)
    return 1
  }
  return 0
}

/** A grid of rounds (rows) x tables (columns), "association / company" in each cell, then a summary. */
export function formatTable(result: SolveResult): string {
  const lines: string[] = []
  if (result.status === 'infeasible') {
    lines.push(`Impossible / infeasible: ${result.reason ?? ''}`)
    return lines.join('\n')
  }
  let rounds = 0
  let tables = 0
  for (const m of result.meetings) {
    rounds = Math.max(rounds, m.round)
    tables = Math.max(tables, m.table)
  }
  const cell = new Map<string, string>()
  for (const m of result.meetings) cell.set(`${m.round}:${m.table}`, `${m.association} / ${m.company}`)
  const header = ['Tour/Round', ...Array.from({ length: tables }, (_, t) => `Table ${t + 1}`)]
  const rows = Array.from({ length: rounds }, (_, r) => [
    String(r + 1),
    ...Array.from({ length: tables }, (_, t) => cell.get(`${r + 1}:${t + 1}`) ?? '-'),
  ])
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)))
  const format = (row: string[]): string => row.map((x, i) => x.padEnd(widths[i]!)).join(' | ').trimEnd()
  lines.push(format(header))
  lines.push(widths.map((w) => '-'.repeat(w)).join('-+-'))
  for (const row of rows) lines.push(format(row))
  const s = result.stats
  lines.push('')
  lines.push(`Statut / status: ${result.status}; score ${round(result.objective)} (borne / bound ${round(result.bound)})`)
  lines.push(`Rencontres / meetings: ${s.meetings}; équité / fairness level: ${s.fairnessLevel}; tours creux / idle rounds: ${s.idleRounds}`)
  if (s.shortfalls.length > 0) {
    lines.push(`Moins de rencontres que visé / fewer meetings than targeted: ${s.shortfalls.map((x) => `${x.id} (${x.meetings}/${x.target})`).join(', ')}`)
  }
  if (result.reason) lines.push(result.reason)
  return lines.join('\n')
}

const round = (x: number): number => Math.round(x * 1000) / 1000

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  process.exitCode = runSolveCli(process.argv.slice(2), {
    out: (text) => process.stdout.write(`${text}\n`),
    err: (text) => process.stderr.write(`${text}\n`),
    readFile: (path) => readFileSync(path, 'utf8'),
  })
}
