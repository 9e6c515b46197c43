/**
 * `npm run bench [-- --quick]`: the solver against two baselines (plain cyclic rotation, greedy
 * best-pair-first) on the example instances and the generated big ones. Each case runs in its own
 * process so that peak memory (maxRSS) is per case. Prints a Markdown table.
 */
import { spawnSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { checkSchedule, parseInstance, solve } from '../solver/index.ts'
import { buildModel } from '../solver/model.ts'
import { potentials } from '../solver/selection/select.ts'
import type { Instance, Meeting } from '../solver/types.ts'
import { bigInstances, generateInstance } from './instances.ts'
import { cyclicRotation, greedyBestPairFirst } from './baselines.ts'
import { importBench } from './import.ts'

interface Case {
  name: string
  load: () => Instance
}

const fromData = (file: string) => (): Instance => {
  const parsed = parseInstance(JSON.parse(readFileSync(new URL(`../data/instances/${file}`, import.meta.url), 'utf8')))
  if (!parsed.ok) throw new Error(`${file}: ${JSON.stringify(parsed.issues)}`)
  return parsed.instance
}

const cases: Case[] = [
  { name: '10x10x10 full', load: fromData('alsace-10x10.json') },
  { name: '12x10, 8 rounds', load: fromData('12x10-8-rounds.json') },
  { name: '30x30x10 windows', load: fromData('30x30-windows.json') },
  ...bigInstances.map((b) => ({ name: b.name, load: () => generateInstance(b.options) })),
]

interface Row {
  instance: string
  method: string
  ms: number
  /** CPU time of the solve (user + system), less sensitive than wall time to other jobs on the machine */
  cpuMs: number
  rssMiB: number
  objective: number
  bound: number
  gap: number
  fairness: number
  meetings: number
  idle: number
  violations: number
}

function idleOf(meetings: Meeting[]): number {
  const rounds = new Map<string, number[]>()
  for (const m of meetings) {
    for (const id of [m.association, m.company]) rounds.set(id, [...(rounds.get(id) ?? []), m.round])
  }
  let idle = 0
  for (const list of rounds.values()) idle += Math.max(...list) - Math.min(...list) + 1 - list.length
  return idle
}

function fairnessOf(instance: Instance, meetings: Meeting[]): number {
  const built = buildModel(instance)
  if (!built.ok) return 0
  const potential = potentials(built.model)
  const degree = new Map<string, number>()
  for (const m of meetings) {
    degree.set(m.association, (degree.get(m.association) ?? 0) + 1)
    degree.set(m.company, (degree.get(m.company) ?? 0) + 1)
  }
  let L = Math.max(0, ...potential)
  built.model.ids.forEach((id, p) => {
    const d = degree.get(id) ?? 0
    if (d < Math.min(L, potential[p]!)) L = d
  })
  return L
}

/** Runs one case in this process and returns its rows. */
function runCase(c: Case): Row[] {
  const instance = c.load()
  const rows: Row[] = []
  const started = performance.now()
  const cpuBefore = process.cpuUsage()
  const result = solve(instance)
  const ms = performance.now() - started
  const cpu = process.cpuUsage(cpuBefore)
  const cpuMs = (cpu.user + cpu.system) / 1000
  const rssMiB = process.resourceUsage().maxRSS / 1024
  const bound = result.bound
  const row = (method: string, time: number, meetings: Meeting[], objective: number): Row => ({
    instance: c.name,
    method,
    ms: time,
    cpuMs: 0,
    rssMiB,
    objective,
    bound,
    gap: bound > 0 ? (bound - objective) / bound : 0,
    fairness: fairnessOf(instance, meetings),
    meetings: meetings.length,
    idle: idleOf(meetings),
    violations: checkSchedule(instance, { ...result, meetings, objective }).filter((v) => !['bound', 'status', 'stats'].includes(v.rule)).length,
  })
  rows.push({ ...row('solver', ms, result.meetings, result.objective), cpuMs, fairness: result.stats.fairnessLevel, idle: result.stats.idleRounds })
  for (const [method, baseline] of [
    ['cyclic rotation', cyclicRotation],
    ['greedy best pair', greedyBestPairFirst],
  ] as const) {
    const t = performance.now()
    const meetings = baseline(instance)
    const time = performance.now() - t
    rows.push(row(method, time, meetings, meetings.reduce((s, m) => s + m.score, 0)))
  }
  return rows
}

function format(rows: Row[]): string {
  const head = ['instance', 'method', 'time', 'CPU', 'peak RSS', 'objective', 'bound', 'gap', 'fairness L', 'meetings', 'idle rounds', 'violations']
  const lines = [`| ${head.join(' | ')} |`, `|${head.map(() => '---').join('|')}|`]
  for (const r of rows) {
    const duration = (ms: number): string => (ms < 1000 ? `${ms.toFixed(1)} ms` : `${(ms / 1000).toFixed(2)} s`)
    const time = duration(r.ms)
    lines.push(
      `| ${[
        r.instance,
        r.method,
        time,
        r.method === 'solver' ? duration(r.cpuMs) : '',
        r.method === 'solver' ? `${Math.round(r.rssMiB)} MiB` : '',
        r.objective.toFixed(1),
        r.bound.toFixed(1),
        `${(r.gap * 100).toFixed(2)} %`,
        r.fairness,
        r.meetings,
        r.idle,
        r.violations,
      ].join(' | ')} |`,
    )
  }
  return lines.join('\n')
}

const self = fileURLToPath(import.meta.url)
const args = process.argv.slice(2)
const caseIndex = args.indexOf('--case')
if (caseIndex >= 0) {
  const c = cases.find((x) => x.name === args[caseIndex + 1])
  if (!c) throw new Error(`unknown case ${args[caseIndex + 1]}`)
  process.stdout.write(JSON.stringify(runCase(c)))
} else {
  const quick = args.includes('--quick')
  const all: Row[] = []
  for (const c of cases) {
    if (quick && c.name.startsWith('500x500')) continue
    const child = spawnSync(process.execPath, [...process.execArgv, self, '--case', c.name], { encoding: 'utf8', maxBuffer: 1 << 26 })
    if (child.status !== 0) {
      process.stderr.write(`${c.name}: failed\n${child.stderr}\n`)
      continue
    }
    const rows = JSON.parse(child.stdout) as Row[]
    all.push(...rows)
    process.stderr.write(`${c.name}: ${rows[0]!.ms.toFixed(0)} ms\n`)
  }
  process.stdout.write(`${format(all)}\n`)
  process.stdout.write('\nfairness L: everyone gets at least min(L, what presence and allowed partners permit); gap = (bound - objective) / bound, bound = the solver\'s proven bound; peak RSS of the process that solved the case.\n')
  process.stdout.write(`\n${importBench()}`)
}
