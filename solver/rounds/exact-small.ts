/**
 * Exact search for small instances whose best selection cannot be put into rounds (presence
 * windows, tables). Best-first branch and bound over selections: a node forbids some pairs; its
 * bound is its exact selection (fairness measured against the instance's own potentials, then
 * minMeetings, meetings, score). The node popped first whose selection can be scheduled (exhaustive
 * search over rounds) is the lexicographic optimum. An unschedulable selection is split on a minimal
 * conflicting set of its pairs: every schedule misses at least one of them.
 * Budgets count nodes and search steps, so the outcome is deterministic.
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

/**
 * Rounds for the given edges, or undefined when there are none (or the step budget ran out:
 * `exhausted.value` is then set).
 */
function scheduleEdges(model: Model, edges: Edge[], budget: { steps: number; exhausted: boolean }): number[] | undefined {
  const R = model.rounds
  const P = model.nA + model.nC
  const busy = new Uint8Array(P * (R + 1))
  const count = new Int32Array(R + 1)
  const round = new Array<number>(edges.length).fill(0)
  for (let i = 0; i < edges.length; i++) {
    const e = edges[i]!
    if (e.fixedRound > 0) {
      round[i] = e.fixedRound
      busy[e.a * (R + 1) + e.fixedRound] = 1
      busy[e.p * (R + 1) + e.fixedRound] = 1
      count[e.fixedRound]!++
    }
  }
  const options = (i: number): number => {
    const e = edges[i]!
    let n = 0
    for (let r = e.lo; r <= e.hi; r++) if (!busy[e.a * (R + 1) + r] && !busy[e.p * (R + 1) + r] && count[r]! < model.tables) n++
    return n
  }
  const search = (left: number): boolean => {
    if (left === 0) return true
    if (--budget.steps < 0) {
      budget.exhausted = true
      return false
    }
    // most constrained edge first
    let pick = -1
    let fewest = Infinity
    for (let i = 0; i < edges.length; i++) {
      if (round[i] !== 0) continue
      const n = options(i)
      if (n < fewest) {
        fewest = n
        pick = i
        if (n === 0) return false
      }
    }
    const e = edges[pick]!
    for (let r = e.lo; r <= e.hi; r++) {
      if (busy[e.a * (R + 1) + r] || busy[e.p * (R + 1) + r] || count[r]! >= model.tables) continue
      round[pick] = r
      busy[e.a * (R + 1) + r] = 1
      busy[e.p * (R + 1) + r] = 1
      count[r]!++
      if (search(left - 1)) return true
      round[pick] = 0
      busy[e.a * (R + 1) + r] = 0
      busy[e.p * (R + 1) + r] = 0
      count[r]!--
      if (budget.exhausted) return false
    }
    return false
  }
  const free = edges.filter((e) => e.fixedRound === 0).length
  return search(free) ? round : undefined
}

type Value = [number, number, number, number]

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
): ExactSchedule | 'infeasible' | undefined {
  const { nA, nC } = model
  const budget = { steps: model.nA * model.nC <= 150 ? 600_000 : 200_000, exhausted: false }
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
  const evaluate = (forbidden: number[]): { value: Value; selection: Selection } => {
    const allowed = model.allowed.slice()
    for (const k of forbidden) allowed[k] = 0
    const variant = { ...model, allowed }
    const selection = selectPairs(variant, { potential })
    const value: Value = [selection.fairnessLevel, minUnits(selection), selection.meetings, selection.optimum]
    if (!mirrored) return { value, selection }
    const other = transposeBack(variant, selectPairs(transposeModel(variant), { potential: transposedPotential }))
    const otherValue: Value = [other.fairnessLevel, minUnits(other), other.meetings, other.optimum]
    return better(otherValue, value) < 0 ? { value: otherValue, selection: other } : { value, selection }
  }
  interface Node {
    forbidden: number[]
    value: Value
    selection: Selection
  }
  const open: Node[] = []
  const seen = new Set<string>()
  const push = (forbidden: number[]): void => {
    const sorted = [...forbidden].sort((x, y) => x - y)
    const key = sorted.join(',')
    if (seen.has(key)) return
    seen.add(key)
    const { value, selection } = evaluate(sorted)
    open.push({ forbidden: sorted, value, selection })
  }
  push([])
  let nodes = 0
  while (open.length > 0) {
    if (++nodes > maxNodes || budget.exhausted) return undefined
    // best node first (deterministic: ties by insertion order)
    let bestIndex = 0
    for (let i = 1; i < open.length; i++) if (better(open[i]!.value, open[bestIndex]!.value) > 0) bestIndex = i
    const node = open.splice(bestIndex, 1)[0]!
    const pairs = node.selection.pairs
    const placed = schedulePairs(pairs)
    if (placed) {
      const map = new Map<number, number>()
      for (const f of model.fixed) map.set(f.a * nC + f.c, f.round)
      for (const x of placed) map.set(Math.floor(x / 64), x % 64)
      return { rounds: map, selection: node.selection }
    }
    if (budget.exhausted) return undefined
    // a minimal conflicting set of the free (not required) pairs, by deletion
    let conflict = pairs.filter((k) => !required.has(k))
    const forced = pairs.filter((k) => required.has(k))
    for (let i = 0; i < conflict.length; ) {
      const without = conflict.filter((_, j) => j !== i)
      if (schedulePairs([...forced, ...without]) === undefined) {
        if (budget.exhausted) return undefined
        conflict = without
      } else i++
    }
    for (const k of conflict) push([...node.forbidden, k])
  }
  return 'infeasible'
}
