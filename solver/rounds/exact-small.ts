/**
 * Exact search for small instances whose best selection cannot be put into rounds (presence
 * windows, tables). Best-first branch and bound over selections: a node forbids some pairs (and
 * may force others); its bound is its exact selection (fairness measured against the instance's
 * own potentials, then minMeetings, meetings, score). The node popped first whose selection can be
 * scheduled (exhaustive search over rounds) is the lexicographic optimum. An unschedulable
 * selection is split on a minimal conflicting set of its pairs: every schedule misses at least one.
 *
 * Given an incumbent schedule, the search looks only for better ones at its fairness level and
 * with at most its meetings (the selections capped there): it ends with a better schedule, or
 * with the proof that there is none ('incumbent'), or out of budget.
 *
 * The round search is a backtracking search (most constrained meeting first) restarted with a
 * doubling step limit and other tie-breaks each time: a feasible set of meetings is found in a few
 * hundred steps where a single run could take a hundred thousand (heavy tails); an infeasible one
 * is proven by the last, complete run.
 * Budgets count nodes, selections evaluated and search steps, so the outcome is deterministic.
 */
import type { Model } from '../model.ts'
import { selectPairs, type Selection } from '../selection/select.ts'
import { transposeBack, transposeModel } from '../selection/transpose.ts'

export interface ExactSchedule {
  /** pair key a * nC + c -> round, fixed meetings included */
  rounds: Map<number, number>
  selection: Selection
}

interface Edge {
  a: number
  p: number
  lo: number
  hi: number
  fixedRound: number
}

/** Sizes the exact search accepts. */
export function smallEnough(model: Model): boolean {
  return model.nA * model.nC <= 200 && model.rounds <= 8
}

/** Sizes the search for a better schedule than an incumbent accepts (rounds are bits of an int). */
export function smallEnoughToImprove(model: Model): boolean {
  return model.nA * model.nC <= 400 && model.rounds <= 12
}

/**
 * Rounds for the given edges, or undefined when there are none (or the step budget ran out:
 * `exhausted.value` is then set).
 */
function scheduleEdges(model: Model, edges: Edge[], budget: { steps: number; exhausted: boolean }): number[] | undefined {
  const R = model.rounds
  const P = model.nA + model.nC
  // rounds as bits (the sizes above keep R <= 12): busy rounds per participant, full rounds
  const busy = new Int32Array(P)
  const count = new Int32Array(R + 1)
  let full = 0
  const round = new Array<number>(edges.length).fill(0)
  const window = edges.map((e) => (e.hi < e.lo ? 0 : ((1 << (e.hi + 1)) - 1) & ~((1 << e.lo) - 1)))
  const seat = (r: number, delta: number): void => {
    count[r]! += delta
    if (count[r]! >= model.tables) full |= 1 << r
    else full &= ~(1 << r)
  }
  for (let i = 0; i < edges.length; i++) {
    const e = edges[i]!
    if (e.fixedRound > 0) {
      round[i] = e.fixedRound
      busy[e.a]! |= 1 << e.fixedRound
      busy[e.p]! |= 1 << e.fixedRound
      seat(e.fixedRound, 1)
    }
  }
  // per participant, during one node: rounds some unplaced edge of it may take, and how many edges
  const reach = new Int32Array(P)
  const need = new Int32Array(P)
  const touched: number[] = []
  // restarts with a growing step limit, ties broken another way each time (heavy-tailed search)
  const prio = new Float64Array(edges.length)
  let limit = Infinity
  let stepsHere = 0
  let cut = false
  let seed = 12345
  const random = (): number => {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0
    return seed / 4294967296
  }
  const search = (left: number): boolean => {
    if (left === 0) return true
    if (--budget.steps < 0) {
      budget.exhausted = true
      return false
    }
    if (++stepsHere > limit) {
      cut = true
      return false
    }
    // most constrained edge first; a participant with more edges left than rounds they can take fails
    let pick = -1
    let pickMask = 0
    let fewest = Infinity
    let ok = true
    for (let i = 0; i < edges.length && ok; i++) {
      if (round[i] !== 0) continue
      const e = edges[i]!
      const mask = window[i]! & ~busy[e.a]! & ~busy[e.p]! & ~full
      const n = popcount(mask)
      if (n === 0) ok = false
      if (need[e.a] === 0) touched.push(e.a)
      if (need[e.p] === 0) touched.push(e.p)
      need[e.a]!++
      need[e.p]!++
      reach[e.a]! |= mask
      reach[e.p]! |= mask
      if (n < fewest || (n === fewest && prio[i]! > prio[pick]!)) {
        fewest = n
        pick = i
        pickMask = mask
      }
    }
    for (const p of touched) {
      if (popcount(reach[p]!) < need[p]!) ok = false
      need[p] = 0
      reach[p] = 0
    }
    touched.length = 0
    if (!ok) return false
    const e = edges[pick]!
    const order: number[] = []
    for (let r = e.lo; r <= e.hi; r++) if (pickMask & (1 << r)) order.push(r)
    if (restart > 0) shuffle(order, random)
    for (const r of order) {
      round[pick] = r
      busy[e.a]! |= 1 << r
      busy[e.p]! |= 1 << r
      seat(r, 1)
      if (search(left - 1)) return true
      round[pick] = 0
      busy[e.a]! &= ~(1 << r)
      busy[e.p]! &= ~(1 << r)
      seat(r, -1)
      if (budget.exhausted || cut) return false
    }
    return false
  }
  const free = edges.filter((e) => e.fixedRound === 0).length
  let restart = 0
  for (;;) {
    limit = 100 * 2 ** restart
    stepsHere = 0
    cut = false
    if (restart > 0) for (let i = 0; i < edges.length; i++) prio[i] = random()
    if (search(free)) return round
    if (!cut || budget.exhausted) return undefined
    for (let i = 0; i < edges.length; i++) if (edges[i]!.fixedRound === 0) round[i] = 0
    restart++
  }
}

function shuffle(list: number[], random: () => number): void {
  for (let i = list.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1))
    const t = list[i]!
    list[i] = list[j]!
    list[j] = t
  }
}

function popcount(x: number): number {
  x -= (x >>> 1) & 0x55555555
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333)
  return (((x + (x >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24
}

type Value = [number, number, number, number]

export interface ExactOptions {
  /** selections of at most this many meetings (the incumbent's count) */
  meetings?: number
  /**
   * a schedule's figures [fairness, minMeetings met, meetings, score]: only better schedules of at
   * least its fairness are searched for, that level then taken as a constraint (selections above it
   * are not explored: a search for more fairness would seldom end); 'incumbent' is answered when
   * none exists (within the meetings cap)
   */
  incumbent?: readonly number[]
  /** search steps of the round assignment, in total */
  steps?: number
  /** selections evaluated (two flows each, with a table limit), in total */
  evaluations?: number
  /** hears the share of the selections budget spent */
  tick?: (done: number) => void
  /** filled with the nodes, selections evaluated and search steps used */
  used?: { nodes: number; steps: number; evaluations?: number }
}

function better(x: Value, y: Value): number {
  for (let i = 0; i < 4; i++) if (Math.abs(x[i]! - y[i]!) > 1e-9) return x[i]! - y[i]!
  return 0
}

/**
 * The lexicographic optimum; 'infeasible' when the search proved that no schedule holds the
 * fixed and required meetings; undefined when a budget ran out.
 */
export function exactSmall(
  model: Model,
  potential: Int32Array,
  maxNodes = model.nA * model.nC <= 150 ? 100 : 40,
  options: ExactOptions = {},
): ExactSchedule | 'infeasible' | 'incumbent' | undefined {
  const { nA, nC } = model
  const budget = { steps: options.steps ?? (model.nA * model.nC <= 150 ? 600_000 : 200_000), exhausted: false }
  const cap = {
    ...(options.meetings === undefined ? {} : { meetings: options.meetings }),
    ...(options.incumbent === undefined ? {} : { level: options.incumbent[0]! }),
  }
  const stepsGiven = budget.steps
  const used = options.used ?? { nodes: 0, steps: 0 }
  const count = (): void => {
    used.steps = stepsGiven - Math.max(0, budget.steps)
  }
  const required = new Set(model.required.map(([a, c]) => a * nC + c))
  const edgeOf = (k: number): Edge => {
    const a = Math.floor(k / nC)
    const p = nA + k - a * nC
    return {
      a,
      p,
      lo: Math.max(model.arrive[a]!, model.arrive[p]!, model.frozenBefore),
      hi: Math.min(model.leave[a]!, model.leave[p]!),
      fixedRound: 0,
    }
  }
  // the same pair sets come back across nodes and conflict checks: remember their answers
  const memo = new Map<string, number[] | null>()
  const schedulePairs = (pairs: number[]): number[] | undefined => {
    const sorted = [...pairs].sort((x, y) => x - y)
    const key = sorted.join(',')
    const known = memo.get(key)
    if (known !== undefined) return known ?? undefined
    const rounds = scheduleEdges(model, [...fixedEdges, ...sorted.map(edgeOf)], budget)
    if (budget.exhausted) return undefined
    // answer: pair key * 64 + round, for the pairs given (fixed meetings left out)
    const answer = rounds === undefined ? null : rounds.slice(fixedEdges.length).map((r, i) => sorted[i]! * 64 + r)
    memo.set(key, answer)
    return answer ?? undefined
  }
  const fixedEdges: Edge[] = model.fixed.map((f) => ({ a: f.a, p: nA + f.c, lo: f.round, hi: f.round, fixedRound: f.round }))
  const minUnits = (selection: Selection): number => {
    let s = 0
    for (let p = 0; p < nA + nC; p++) s += Math.min(selection.degree[p]!, model.minMeetings[p]!, potential[p]!)
    return s
  }
  // with a table limit the selection is solved from both sides (see transpose.ts): the tighter bounds the node
  const mirrored = Number.isFinite(model.tables)
  const transposedPotential = mirrored ? Int32Array.from({ length: nA + nC }, (_, p) => potential[p < nC ? nA + p : p - nC]!) : potential
  const evaluate = (forbidden: number[], forcedPairs: number[]): { value: Value; selection: Selection } => {
    const allowed = model.allowed.slice()
    for (const k of forbidden) allowed[k] = 0
    const variant: Model =
      forcedPairs.length === 0 ? { ...model, allowed } : { ...model, allowed, required: [...model.required, ...forcedPairs.map((k): [number, number] => [Math.floor(k / nC), k % nC])] }
    const selection = selectPairs(variant, { potential, ...cap })
    const value: Value = [selection.fairnessLevel, minUnits(selection), selection.meetings, selection.optimum]
    if (!mirrored) return { value, selection }
    const other = transposeBack(variant, selectPairs(transposeModel(variant), { potential: transposedPotential, ...cap }))
    const otherValue: Value = [other.fairnessLevel, minUnits(other), other.meetings, other.optimum]
    return better(otherValue, value) < 0 ? { value: otherValue, selection: other } : { value, selection }
  }
  // a node: pairs forbidden, pairs forced (the children of a node split its schedules: the i-th
  // forbids the i-th pair of a conflicting set and forces the ones before it)
  interface Node {
    forbidden: number[]
    forced: number[]
    value: Value
    selection: Selection
  }
  const open: Node[] = []
  const seen = new Set<string>()
  const push = (forbidden: number[], forcedPairs: number[]): void => {
    const out = [...forbidden].sort((x, y) => x - y)
    const into = [...forcedPairs].sort((x, y) => x - y)
    const key = `${out.join(',')}|${into.join(',')}`
    if (seen.has(key)) return
    seen.add(key)
    if (++evaluations > maxEvaluations) {
      budget.exhausted = true
      return
    }
    options.tick?.(evaluations / maxEvaluations)
    const { value, selection } = evaluate(out, into)
    // below the incumbent: nothing to find there
    if (options.incumbent && better(value, options.incumbent as Value) <= 0) return
    open.push({ forbidden: out, forced: into, value, selection })
  }
  let nodes = 0
  let evaluations = 0
  const maxEvaluations = options.evaluations ?? Infinity
  try {
  push([], [])
  while (open.length > 0) {
    if (++nodes > maxNodes || budget.exhausted) return undefined
    // best node first (deterministic: ties by insertion order)
    let bestIndex = 0
    for (let i = 1; i < open.length; i++) if (better(open[i]!.value, open[bestIndex]!.value) > 0) bestIndex = i
    const node = open.splice(bestIndex, 1)[0]!
    // no selection left above the incumbent: none of its schedules is either
    if (options.incumbent && better(node.value, options.incumbent as Value) <= 0) return 'incumbent'
    const pairs = node.selection.pairs
    const placed = schedulePairs(pairs)
    if (placed) {
      const map = new Map<number, number>()
      for (const f of model.fixed) map.set(f.a * nC + f.c, f.round)
      for (const x of placed) map.set(Math.floor(x / 64), x % 64)
      return { rounds: map, selection: node.selection }
    }
    if (budget.exhausted) return undefined
    // a minimal conflicting set of the free (not required, not forced) pairs, by deletion
    const fixedHere = new Set(node.forced)
    let conflict = pairs.filter((k) => !required.has(k) && !fixedHere.has(k))
    const forced = pairs.filter((k) => required.has(k) || fixedHere.has(k))
    for (let i = 0; i < conflict.length; ) {
      const without = conflict.filter((_, j) => j !== i)
      if (schedulePairs([...forced, ...without]) === undefined) {
        if (budget.exhausted) return undefined
        conflict = without
      } else i++
    }
    // every schedule misses a pair of the conflict. Looking for the optimum, a child per pair that
    // forbids it (children overlap, but one of them often holds a schedule at once); looking for
    // better than an incumbent, where the search is more often exhaustive, children that split the
    // schedules: the i-th forbids pair i and forces the pairs before it
    if (!options.incumbent) for (const k of conflict) push([...node.forbidden, k], node.forced)
    else conflict.forEach((k, i) => push([...node.forbidden, k], [...node.forced, ...conflict.slice(0, i)]))
  }
  return options.incumbent ? 'incumbent' : 'infeasible'
  } finally {
    used.nodes = nodes
    used.evaluations = evaluations
    count()
  }
}
