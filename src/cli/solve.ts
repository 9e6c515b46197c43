/**
 * `npm run solve -- FILE.json [--format json|table] [--seed N]`
 * Prints the SolveResult as JSON (default: nothing else on stdout, so that
 * `npm run solve -- file > out.json` is valid JSON; the project's .npmrc keeps
 * npm's banner out) or, with `--format table`, one block per round with the
 * organisations' names, wrapped to the terminal's width.
 * Exit codes: 0 solved, 1 infeasible, 2 unreadable or invalid instance (issues printed).
 */
import { readFileSync } from 'node:fs'
import { pathToFileURL } from 'node:url'
import { parseInstance, solve, type Instance, type SolveResult } from '../../solver/index.ts'
import { formatClock, formatNumber, plural } from '../domain/typography.ts'

export interface CliIo {
  out: (text: string) => void
  err: (text: string) => void
  readFile: (path: string) => string
  /** the terminal's width, for --format table (default 80) */
  columns?: number
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
  io.out(format === 'json' ? JSON.stringify(result, null, 2) : formatTable(result, instance, { width: io.columns ?? 80, timing: timingOf(json) }))
  if (result.status === 'infeasible') {
    if (format === 'json') io.err(`impossible / infeasible: ${result.reason ?? ''}`)
    return 1
  }
  return 0
}

/** Clock times of an evening, when the instance file gives them (`startTime`, `meetingMinutes`, …, at its top or under `event`). */
export interface Timing {
  startTime: string
  meetingMinutes: number
  transitionMinutes: number
  breaks: { afterRound: number; minutes: number }[]
}

/** The evening's clock from the raw file, if it has a start time. */
export function timingOf(json: unknown): Timing | null {
  const top = (json ?? {}) as Record<string, unknown>
  const event = (typeof top.event === 'object' && top.event !== null ? top.event : {}) as Record<string, unknown>
  const pick = (key: string): unknown => top[key] ?? event[key]
  const startTime = pick('startTime')
  if (typeof startTime !== 'string' || !/^([01]?\d|2[0-3]):[0-5]\d$/.test(startTime)) return null
  const number = (key: string, fallback: number): number => {
    const v = pick(key)
    return typeof v === 'number' && Number.isFinite(v) && v >= 0 ? v : fallback
  }
  const rawBreaks = pick('breaks')
  const breaks = Array.isArray(rawBreaks)
    ? rawBreaks.filter((b): b is { afterRound: number; minutes: number } => typeof b?.afterRound === 'number' && typeof b?.minutes === 'number')
    : []
  return { startTime, meetingMinutes: number('meetingMinutes', 7), transitionMinutes: number('transitionMinutes', 1), breaks }
}

/** The start of `round` (1-based) in minutes after midnight. */
function roundStart(timing: Timing, round: number): number {
  const [h, m] = timing.startTime.split(':').map(Number) as [number, number]
  let minutes = h * 60 + m + (round - 1) * (timing.meetingMinutes + timing.transitionMinutes)
  for (const b of timing.breaks) if (b.afterRound < round) minutes += b.minutes
  return minutes
}

const clock = (minutes: number): string => `${String(Math.floor(minutes / 60) % 24).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`

/** `first` then the words of `text`, wrapped to `width` columns; continuation lines start with `indent`. */
export function wrap(text: string, width: number, indent: string, first = ''): string[] {
  const lines: string[] = []
  let line = first
  let empty = true
  for (const word of text.split(' ').filter((w) => w !== '')) {
    const candidate = empty ? `${line}${word}` : `${line} ${word}`
    if (candidate.length <= width || empty) line = candidate
    else {
      lines.push(line)
      line = `${indent}${word}`
    }
    empty = false
  }
  lines.push(line)
  return lines
}

export interface TableOptions {
  /** terminal width (default 80) */
  width?: number
  lang?: 'fr' | 'en'
  timing?: Timing | null
}

/**
 * One block per round: a header ("Tour 1 — 18 h 30" when the file gives a start
 * time), then one line per table, "table 3 : Association × Entreprise", by
 * the organisations' names (ids when a participant has no name), wrapped to
 * the width; then a summary.
 */
export function formatTable(result: SolveResult, instance: Instance, options: TableOptions = {}): string {
  const width = Math.max(40, options.width ?? 80)
  const lang = options.lang ?? instance.options?.locale ?? 'fr'
  const fr = lang === 'fr'
  const names = new Map<string, string>()
  for (const p of [...instance.associations, ...instance.companies]) names.set(p.id, p.profile?.name ?? p.id)
  const name = (id: string) => names.get(id) ?? id
  const lines: string[] = []
  if (result.status === 'infeasible') {
    lines.push(...wrap(`${fr ? 'Impossible' : 'Infeasible'}${fr ? '\u00a0:' : ':'} ${result.reason ?? ''}`, width, '  '))
    return lines.join('\n')
  }
  const rounds = new Map<number, SolveResult['meetings']>()
  for (const m of result.meetings) rounds.set(m.round, [...(rounds.get(m.round) ?? []), m])
  for (const round of [...rounds.keys()].sort((a, b) => a - b)) {
    const time = options.timing ? roundStart(options.timing, round) : null
    const when = time === null ? '' : ` — ${fr ? formatClock(clock(time), 'fr') : clock(time)}`
    if (lines.length > 0) lines.push('')
    lines.push(`${fr ? 'Tour' : 'Round'} ${round}${when}`)
    for (const m of rounds.get(round)!.sort((a, b) => a.table - b.table)) {
      const label = `  table ${m.table}${fr ? '\u00a0:' : ':'} `
      lines.push(...wrap(`${name(m.association)} × ${name(m.company)}`, width, ' '.repeat(label.length), label))
    }
  }
  const s = result.stats
  const n = (x: number) => formatNumber(x, lang, { maximumFractionDigits: 1 })
  const status = { optimal: fr ? 'optimale' : 'optimal', feasible: fr ? 'réalisable' : 'feasible' }[result.status]
  lines.push('')
  const summary = fr
    ? [
        `Rotation ${status}${'\u00a0'}: score ${n(result.objective)} sur une borne de ${n(result.bound)}.`,
        `${plural(s.meetings, 'fr', { one: '# rencontre', other: '# rencontres' })}${'\u00a0'}; chaque participant en a au moins ${n(s.fairnessLevel)}${'\u00a0'}; ${plural(s.idleRounds, 'fr', { one: '# tour creux', other: '# tours creux', zero: 'aucun tour creux' })}.`,
      ]
    : [
        `Rotation ${status}: score ${n(result.objective)} of a bound of ${n(result.bound)}.`,
        `${plural(s.meetings, 'en', { one: '# meeting', other: '# meetings' })}; everyone has at least ${n(s.fairnessLevel)}; ${plural(s.idleRounds, 'en', { one: '# idle round', other: '# idle rounds', zero: 'no idle round' })}.`,
      ]
  if (s.shortfalls.length > 0) {
    const who = s.shortfalls.map((x) => `${name(x.id)} (${x.meetings}/${x.target})`).join(', ')
    summary.push(fr ? `Moins de rencontres que visé${'\u00a0'}: ${who}.` : `Fewer meetings than targeted: ${who}.`)
  }
  if (result.reason) summary.push(result.reason)
  for (const line of summary) lines.push(...wrap(line, width, ''))
  return lines.join('\n')
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  process.exitCode = runSolveCli(process.argv.slice(2), {
    out: (text) => process.stdout.write(`${text}\n`),
    err: (text) => process.stderr.write(`${text}\n`),
    readFile: (path) => readFileSync(path, 'utf8'),
    ...(process.stdout.columns ? { columns: process.stdout.columns } : {}),
  })
}
