/**
 * Test-only exact reference: the whole scheduling problem as a time-indexed MIP
 * solved by HiGHS (the `highs` package, CPLEX LP text), written from the issue's
 * definitions and sharing nothing with the solver but the scoring contract.
 *
 * Variables x(a, c, r) = 1 when association a meets company c in round r, for
 * pairs not forbidden (nor avoided by a wish) and rounds where both are present.
 * Hard constraints: one meeting per participant per round, a pair at most once
 * (exactly once when required), at most `tables` meetings per round, maxMeetings,
 * fixed meetings at their round. Lexicographic objectives, as a sequence of MIPs:
 *   1. fairness level L: the largest L with every participant p meeting at least
 *      min(L, potential(p)) times, potential(p) = min(maxMeetings, rounds present,
 *      partners allowed with overlapping presence);
 *   1b. minMeetings where possible: the most units of min(degree, min(minMeetings, potential));
 *   2. with those, the most meetings M;
 *   3. with L and M, the highest total score (in cents, so the MIP is exact).
 * Tables are numbered afterwards: any round with at most `tables` meetings can seat them.
 */
import highsLoader, { type LegacyHighs } from 'highs'
import { forbiddenByWishes, scorePairs } from '../../solver/scoring.ts'
import type { Instance, Meeting, Pair } from '../../solver/types.ts'

// The package's types are read as CommonJS under NodeNext while the ESM build is what runs:
// its default export is the loader function itself.
const loadHighs = highsLoader as unknown as () => Promise<LegacyHighs>
let highsPromise: Promise<LegacyHighs> | undefined
const highs = (): Promise<LegacyHighs> => (highsPromise ??= loadHighs())

const OPTIONS = { output_flag: false, mip_rel_gap: 0, mip_abs_gap: 1e-6, presolve: 'on', time_limit: 20 } as const

export interface ExactOptimum {
  status: 'optimal' | 'infeasible'
  fairnessLevel: number
  /** objective 1b: units of minMeetings met (see minMeetingsMetOf) */
  minMeetingsMet: number
  meetings: number
  /** total score of an optimal schedule, to the cent */
  score: number
  /** one optimal schedule (tables numbered in order) */
  schedule: Meeting[]
}

interface Variable {
  name: string
  a: string
  c: string
  round: number
}

const key = (side: 'association' | 'company', id: string): string => `${side}:${id}`

/** potential(p) of the fairness definition, by `${side}:${id}`. */
export function potentials(instance: Instance): Map<string, number> {
  const R = instance.rounds
  const forbidden = forbiddenSet(instance)
  const out = new Map<string, number>()
  const window = (p: { arrive?: number | undefined; leave?: number | undefined }): [number, number] => [Math.max(1, p.arrive ?? 1), Math.min(R, p.leave ?? R)]
  for (const a of instance.associations) {
    const [lo, hi] = window(a)
    const partners = instance.companies.filter((c) => {
      const [clo, chi] = window(c)
      return !forbidden.has(JSON.stringify([a.id, c.id])) && Math.max(lo, clo) <= Math.min(hi, chi)
    }).length
    out.set(key('association', a.id), Math.min(a.maxMeetings ?? R, Math.max(0, hi - lo + 1), partners))
  }
  for (const c of instance.companies) {
    const [lo, hi] = window(c)
    const partners = instance.associations.filter((a) => {
      const [alo, ahi] = window(a)
      return !forbidden.has(JSON.stringify([a.id, c.id])) && Math.max(lo, alo) <= Math.min(hi, ahi)
    }).length
    out.set(key('company', c.id), Math.min(c.maxMeetings ?? R, Math.max(0, hi - lo + 1), partners))
  }
  return out
}

function forbiddenSet(instance: Instance): Set<string> {
  return new Set([...(instance.forbidden ?? []), ...forbiddenByWishes(instance)].map((p) => JSON.stringify(p)))
}

/** The fairness level a finished schedule reaches: the largest L with deg(p) >= min(L, potential(p)) for all p. */
export function fairnessOf(instance: Instance, meetings: readonly { association: string; company: string }[]): number {
  const pot = potentials(instance)
  const degree = new Map<string, number>()
  for (const m of meetings) {
    degree.set(key('association', m.association), (degree.get(key('association', m.association)) ?? 0) + 1)
    degree.set(key('company', m.company), (degree.get(key('company', m.company)) ?? 0) + 1)
  }
  let level = Math.max(0, ...pot.values())
  for (const [p, potential] of pot) {
    const d = degree.get(p) ?? 0
    if (d < potential) level = Math.min(level, d)
  }
  return level
}

/** Idle rounds of a schedule: for each participant, rounds without a meeting between its first and last. */
export function idleRoundsOf(meetings: readonly Meeting[]): number {
  const rounds = new Map<string, number[]>()
  for (const m of meetings) {
    for (const p of [key('association', m.association), key('company', m.company)]) rounds.set(p, [...(rounds.get(p) ?? []), m.round])
  }
  let idle = 0
  for (const list of rounds.values()) idle += Math.max(...list) - Math.min(...list) + 1 - list.length
  return idle
}

/** A model in CPLEX LP format; `objective` is a linear expression, empty for a feasibility problem. */
function lpText(sense: 'Maximize' | 'Minimize', objective: string, constraints: string[], binaries: string[], bounds: string[] = []): string {
  const lines = [sense, ` obj: ${objective === '' ? '0 x_dummy' : objective}`, 'Subject To']
  constraints.forEach((c, i) => lines.push(` r${i}: ${c}`))
  if (objective === '') lines.push(' rdummy: x_dummy = 0')
  if (bounds.length > 0) lines.push('Bounds', ...bounds.map((b) => ` ${b}`))
  if (binaries.length > 0) lines.push('Binary', ...binaries.map((b) => ` ${b}`))
  lines.push('End')
  return lines.join('\n')
}

const sum = (names: string[]): string => names.join('\n + ')

/** The exact lexicographic optimum (fairness level, meetings, score) of a small instance. */
export async function exactOptimum(instance: Instance): Promise<ExactOptimum> {
  const solver = await highs()
  const R = instance.rounds
  const forbidden = forbiddenSet(instance)
  const scores = scorePairs(instance)
  const present = (p: { arrive?: number | undefined; leave?: number | undefined }, r: number) => r >= (p.arrive ?? 1) && r <= (p.leave ?? R)

  const vars: Variable[] = []
  instance.associations.forEach((a, i) => {
    instance.companies.forEach((c, j) => {
      if (forbidden.has(JSON.stringify([a.id, c.id]))) return
      for (let r = 1; r <= R; r++) if (present(a, r) && present(c, r)) vars.push({ name: `x_${i}_${j}_${r}`, a: a.id, c: c.id, round: r })
    })
  })
  const infeasible: ExactOptimum = { status: 'infeasible', fairnessLevel: 0, minMeetingsMet: 0, meetings: 0, score: 0, schedule: [] }

  const base: string[] = []
  const of = (filter: (v: Variable) => boolean): string[] => vars.filter(filter).map((v) => v.name)
  for (let r = 1; r <= R; r++) {
    for (const a of instance.associations) {
      const names = of((v) => v.round === r && v.a === a.id)
      if (names.length > 1) base.push(`${sum(names)} <= 1`)
    }
    for (const c of instance.companies) {
      const names = of((v) => v.round === r && v.c === c.id)
      if (names.length > 1) base.push(`${sum(names)} <= 1`)
    }
    if (instance.tables !== undefined) {
      const names = of((v) => v.round === r)
      if (names.length > instance.tables) base.push(`${sum(names)} <= ${instance.tables}`)
    }
  }
  const required = new Set((instance.required ?? []).map((p) => JSON.stringify(p)))
  for (const a of instance.associations) {
    for (const c of instance.companies) {
      const names = of((v) => v.a === a.id && v.c === c.id)
      const isRequired = required.has(JSON.stringify([a.id, c.id]))
      if (isRequired && names.length === 0) return infeasible
      if (isRequired) base.push(`${sum(names)} = 1`)
      else if (names.length > 1) base.push(`${sum(names)} <= 1`)
    }
  }
  for (const f of instance.fixed ?? []) {
    const v = vars.find((x) => x.a === f.association && x.c === f.company && x.round === f.round)
    if (!v) return infeasible
    base.push(`${v.name} = 1`)
  }
  const degreeOf = new Map<string, string[]>()
  for (const a of instance.associations) degreeOf.set(key('association', a.id), of((v) => v.a === a.id))
  for (const c of instance.companies) degreeOf.set(key('company', c.id), of((v) => v.c === c.id))
  for (const [side, list] of [
    ['association', instance.associations],
    ['company', instance.companies],
  ] as const) {
    for (const p of list) {
      const names = degreeOf.get(key(side, p.id)) ?? []
      if (p.maxMeetings !== undefined && names.length > p.maxMeetings) base.push(`${sum(names)} <= ${p.maxMeetings}`)
    }
  }
  if (vars.length === 0) return { status: 'optimal', fairnessLevel: 0, minMeetingsMet: 0, meetings: 0, score: 0, schedule: [] }

  const pot = potentials(instance)
  const fairness = (L: number): string[] => {
    const rows: string[] = []
    for (const [p, potential] of pot) {
      const need = Math.min(L, potential)
      const names = degreeOf.get(p) ?? []
      if (need > 0) rows.push(`${sum(names)} >= ${need}`)
    }
    return rows
  }
  const all = vars.map((v) => v.name)
  const run = (text: string) => {
    const result = solver.solve(text, OPTIONS)
    if (result.Status === 'Infeasible') return undefined
    if (result.Status !== 'Optimal') throw new Error(`HiGHS: ${result.Status}`)
    return result
  }

  // 1: the largest feasible L.
  let level = -1
  for (let L = Math.max(0, ...pot.values()); L >= 0 && level < 0; L--) {
    if (run(lpText('Maximize', sum(all), [...base, ...fairness(L)], all))) level = L
  }
  if (level < 0) return infeasible
  const constraints = [...base, ...fairness(level)]

  // 1b: minMeetings where possible: the most units of min(degree, min(minMeetings, potential)).
  const units: string[] = []
  const unitBounds: string[] = []
  for (const [side, list] of [
    ['association', instance.associations],
    ['company', instance.companies],
  ] as const) {
    list.forEach((p, i) => {
      const target = Math.min(p.minMeetings ?? 0, pot.get(key(side, p.id)) ?? 0)
      if (target <= 0) return
      const t = `t_${side[0]}${i}`
      units.push(t)
      unitBounds.push(`0 <= ${t} <= ${target}`)
      const names = degreeOf.get(key(side, p.id)) ?? []
      constraints.push(`${t} - ${names.join(' - ')} <= 0`)
    })
  }
  let minMeetingsMet = 0
  if (units.length > 0) {
    const result = run(lpText('Maximize', sum(units), constraints, all, unitBounds))
    if (!result) throw new Error('HiGHS: stage 1b infeasible after stage 1 was feasible')
    minMeetingsMet = Math.round(result.ObjectiveValue)
    constraints.push(`${sum(units)} >= ${minMeetingsMet}`)
  }

  // 2: the most meetings.
  const stage2 = run(lpText('Maximize', sum(all), constraints, all, unitBounds))
  if (!stage2) throw new Error('HiGHS: stage 2 infeasible after stage 1 was feasible')
  const meetings = Math.round(stage2.ObjectiveValue)
  constraints.push(`${sum(all)} = ${meetings}`)

  // 3: the best score.
  const cents = vars.map((v) => Math.round(scores.score(v.a, v.c) * 100))
  const objective = vars.flatMap((v, i) => ((cents[i] ?? 0) > 0 ? [`${cents[i]} ${v.name}`] : []))
  const result = run(lpText('Maximize', sum(objective), constraints, all, unitBounds))
  if (!result) throw new Error('HiGHS: stage 3 infeasible after stage 2 was feasible')
  const chosen = vars.filter((v) => (result.Columns[v.name]?.Primal ?? 0) > 0.5)

  // Tables: fixed ones where given, then the smallest free number.
  const fixedTable = new Map((instance.fixed ?? []).flatMap((f) => (f.table === undefined ? [] : [[`${f.round}/${f.association}/${f.company}`, f.table] as const])))
  const used = new Set<string>()
  const tableOf = new Map<Variable, number>()
  for (const v of chosen) {
    const t = fixedTable.get(`${v.round}/${v.a}/${v.c}`)
    if (t !== undefined) {
      tableOf.set(v, t)
      used.add(`${v.round}/${t}`)
    }
  }
  const schedule = chosen.map((v) => {
    let table = tableOf.get(v)
    if (table === undefined) {
      table = 1
      while (used.has(`${v.round}/${table}`)) table++
      used.add(`${v.round}/${table}`)
    }
    return { round: v.round, table, association: v.a, company: v.c, score: scores.score(v.a, v.c) }
  })
  const score = Math.round(chosen.reduce((s, v) => s + scores.score(v.a, v.c) * 100, 0)) / 100
  return { status: 'optimal', fairnessLevel: level, minMeetingsMet, meetings, score, schedule }
}

/** Units of minMeetings a schedule meets: the sum over participants of min(degree, min(minMeetings, potential)). */
export function minMeetingsMetOf(instance: Instance, meetings: readonly { association: string; company: string }[]): number {
  const pot = potentials(instance)
  let met = 0
  for (const [side, list] of [
    ['association', instance.associations],
    ['company', instance.companies],
  ] as const) {
    for (const p of list) {
      const target = Math.min(p.minMeetings ?? 0, pot.get(key(side, p.id)) ?? 0)
      const degree = meetings.filter((m) => (side === 'association' ? m.association : m.company) === p.id).length
      met += Math.min(degree, target)
    }
  }
  return met
}

/**
 * The fewest idle rounds over every way to put exactly these pairs into rounds
 * (presence, one meeting per participant per round, tables, fixed rounds kept);
 * undefined when they cannot all be placed.
 */
export async function minimumIdleRounds(instance: Instance, pairs: readonly Pair[], timeLimitSeconds = 20): Promise<number | undefined> {
  const solver = await highs()
  const R = instance.rounds
  const aById = new Map(instance.associations.map((p, i) => [p.id, { p, i }]))
  const cById = new Map(instance.companies.map((p, i) => [p.id, { p, i }]))
  const fixedRound = new Map((instance.fixed ?? []).map((f) => [JSON.stringify([f.association, f.company]), f.round]))
  const present = (p: { arrive?: number | undefined; leave?: number | undefined }, r: number) => r >= (p.arrive ?? 1) && r <= (p.leave ?? R)

  const constraints: string[] = []
  const binaries: string[] = []
  const byParticipantRound = new Map<string, string[]>()
  const byRound = new Map<number, string[]>()
  const edgesOf = new Map<string, string[]>() // participant -> linear expression of each edge's round
  for (const [aId, cId] of pairs) {
    const a = aById.get(aId)
    const c = cById.get(cId)
    if (!a || !c) return undefined
    const fixed = fixedRound.get(JSON.stringify([aId, cId]))
    const names: string[] = []
    const roundTerms: string[] = []
    for (let r = 1; r <= R; r++) {
      if (!present(a.p, r) || !present(c.p, r) || (fixed !== undefined && r !== fixed)) continue
      const name = `y_${a.i}_${c.i}_${r}`
      names.push(name)
      roundTerms.push(`${r} ${name}`)
      binaries.push(name)
      for (const p of [`a${a.i}`, `c${c.i}`]) byParticipantRound.set(`${p}_${r}`, [...(byParticipantRound.get(`${p}_${r}`) ?? []), name])
      byRound.set(r, [...(byRound.get(r) ?? []), name])
    }
    if (names.length === 0) return undefined
    constraints.push(`${sum(names)} = 1`)
    for (const p of [`a${a.i}`, `c${c.i}`]) edgesOf.set(p, [...(edgesOf.get(p) ?? []), roundTerms.join(' + ')])
  }
  for (const names of byParticipantRound.values()) if (names.length > 1) constraints.push(`${sum(names)} <= 1`)
  if (instance.tables !== undefined) for (const names of byRound.values()) if (names.length > instance.tables) constraints.push(`${sum(names)} <= ${instance.tables}`)

  // u(p, r) = 1 on the rounds from p's first to its last meeting: at least busy(p, r), and one
  // interval (at most one start, s(p, r) >= u(p, r) - u(p, r - 1)); minimise the rounds covered.
  const objective: string[] = []
  const bounds: string[] = []
  let degrees = 0
  for (const [p, edges] of edgesOf) {
    degrees += edges.length
    const starts: string[] = []
    for (let r = 1; r <= R; r++) {
      const u = `u_${p}_${r}`
      binaries.push(u)
      objective.push(`${objective.length === 0 ? '' : '+ '}${u}`)
      const busy = byParticipantRound.get(`${p}_${r}`) ?? []
      if (busy.length > 0) constraints.push(`${u} - ${busy.join(' - ')} >= 0`)
      constraints.push(r === 1 ? `s_${p}_${r} - ${u} >= 0` : `s_${p}_${r} - ${u} + u_${p}_${r - 1} >= 0`)
      bounds.push(`s_${p}_${r} >= 0`)
      starts.push(`s_${p}_${r}`)
    }
    constraints.push(`${sum(starts)} <= 1`)
  }
  if (edgesOf.size === 0) return 0
  const result = solver.solve(lpText('Minimize', objective.join('\n '), constraints, binaries, bounds), { ...OPTIONS, time_limit: timeLimitSeconds })
  if (result.Status === 'Infeasible') return undefined
  if (result.Status !== 'Optimal') throw new Error(`HiGHS: ${result.Status}`)
  // idle = rounds covered - meetings, each meeting counted for its two participants
  return Math.round(result.ObjectiveValue) - degrees
}
