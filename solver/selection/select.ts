/**
 * Pair selection: which association–company pairs meet, ignoring rounds.
 *
 * A bipartite degree-constrained subgraph, solved exactly as a flow:
 *   source -> association (capacity: meetings it can still have) -> company (1 per allowed pair) -> sink.
 * Objectives, lexicographic: (1) fairness level L, found by binary search on the feasibility of the
 * lower bounds min(L, potential_p) (Dinic with lower bounds); (1b) minMeetings where possible;
 * (2) number of meetings; (3) total score. (1b)-(3) are one min-cost flow whose major cost counts
 * tier units and meetings and whose minor cost is minus the score.
 *
 * Large instances are solved on the best candidate pairs of every participant, then the solution is
 * certified on all pairs (reduced costs and residual reachability); failing pairs are added and the
 * flow solved again, so the result is exact.
 */
import type { Model } from '../model.ts'
import { FlowNetwork } from './flow.ts'

export interface Selection {
  /** pairs chosen by the flow plus required pairs (fixed meetings excluded), as a * nC + c */
  pairs: number[]
  /** fairness level L reached by the selection */
  fairnessLevel: number
  /** per participant: most meetings its presence and allowed partners permit (fixed and required included) */
  potential: Int32Array
  /** per participant: meetings including fixed and required */
  degree: Int32Array
  /** score of fixed + required + chosen pairs: the selection optimum */
  optimum: number
  meetings: number
  /** flow runs (several when the candidate set had to grow) */
  flowRuns: number
  candidatePairs: number
  /**
   * scoreBound(model, fairnessLevel, meetings), read off this selection's own flow (no second flow):
   * set when no minMeetings tier makes the two flows differ and the selection was not capped
   */
  scoreAt?: (meetings: number) => number
}

interface Prepared {
  P: number
  forced: Int32Array
  flowCap: Int32Array
  potential: Int32Array
  totalCap: number
  /** with a table limit: tables left per round (index r), else undefined */
  roundCap: Int32Array | undefined
  /** busy[p * (R + 1) + r]: fixed meeting of p in round r */
  busy: Uint8Array
  forcedScore: number
  forcedMeetings: number
}

function prepare(model: Model): Prepared {
  const { nA, nC, rounds: R, arrive, leave, frozenBefore, tables } = model
  const P = nA + nC
  const busy = new Uint8Array(P * (R + 1))
  const forced = new Int32Array(P)
  const fixedPerRound = new Int32Array(R + 2)
  let forcedScore = 0
  for (const f of model.fixed) {
    busy[f.a * (R + 1) + f.round] = 1
    busy[(nA + f.c) * (R + 1) + f.round] = 1
    forced[f.a]!++
    forced[nA + f.c]!++
    fixedPerRound[f.round]!++
    forcedScore += model.score[f.a * nC + f.c]!
  }
  const requiredCount = new Int32Array(P)
  for (const [a, c] of model.required) {
    forced[a]!++
    forced[nA + c]!++
    requiredCount[a]!++
    requiredCount[nA + c]!++
    forcedScore += model.score[a * nC + c]!
  }
  const partners = new Int32Array(P)
  for (let a = 0; a < nA; a++) {
    for (let c = 0; c < nC; c++) {
      if (model.allowed[a * nC + c] && !isRequired(model, a, c)) {
        partners[a]!++
        partners[nA + c]!++
      }
    }
  }
  const flowCap = new Int32Array(P)
  const potential = new Int32Array(P)
  for (let p = 0; p < P; p++) {
    let free = 0
    for (let r = Math.max(arrive[p]!, frozenBefore); r <= leave[p]!; r++) if (!busy[p * (R + 1) + r]) free++
    const cap = Math.max(0, Math.min(model.maxMeetings[p]! - forced[p]!, free - requiredCount[p]!))
    flowCap[p] = cap
    potential[p] = forced[p]! + Math.min(cap, partners[p]!)
  }
  let totalCap = Number.MAX_SAFE_INTEGER
  if (Number.isFinite(tables)) {
    totalCap = -model.required.length
    for (let r = frozenBefore; r <= R; r++) totalCap += Math.max(0, tables - fixedPerRound[r]!)
    totalCap = Math.max(0, totalCap)
  }
  let roundCap: Int32Array | undefined
  if (Number.isFinite(tables)) {
    roundCap = new Int32Array(R + 1)
    for (let r = frozenBefore; r <= R; r++) roundCap[r] = Math.max(0, tables - fixedPerRound[r]!)
  }
  return { P, forced, flowCap, potential, totalCap, roundCap, busy, forcedScore, forcedMeetings: model.fixed.length + model.required.length }
}

/** required pair keys per model (a cache: models are not changed once built) */
const requiredKeys = new WeakMap<Model, Set<number>>()
function isRequired(model: Model, a: number, c: number): boolean {
  let set = requiredKeys.get(model)
  if (!set) {
    set = new Set(model.required.map(([x, y]) => x * model.nC + y))
    requiredKeys.set(model, set)
  }
  return set.has(a * model.nC + c)
}

/**
 * With a table limit, a company's meetings flow through the rounds it is present and free in,
 * each round holding at most its tables: a relaxation of the per-round table limit (valid: every
 * schedule maps into it) that keeps selections close to what fits into rounds.
 * Adds, for company c, the arcs cOut(c) -> round -> t; returns cOut (t itself without a limit).
 */
function roundLayer(net: FlowNetwork, model: Model, prep: Prepared, base: number, t: number): (c: number) => number {
  const cap = prep.roundCap
  if (!cap) return () => t
  const { nA, nC, rounds: R } = model
  const roundNode = (r: number): number => base + nC + r - 1
  for (let r = model.frozenBefore; r <= R; r++) if (cap[r]! > 0) net.addEdge(roundNode(r), t, cap[r]!)
  for (let c = 0; c < nC; c++) {
    const p = nA + c
    for (let r = Math.max(model.arrive[p]!, model.frozenBefore); r <= model.leave[p]!; r++) {
      if (!prep.busy[p * (R + 1) + r] && cap[r]! > 0) net.addEdge(base + c, roundNode(r), 1)
    }
  }
  return (c) => base + c
}

function layerSize(model: Model, prep: Prepared): number {
  return prep.roundCap ? model.nC + model.rounds : 0
}

/** Flow lower bounds for fairness level L: min(L, potential) minus what fixed and required give. */
function tierOne(prep: Prepared, L: number): Int32Array {
  const lower = new Int32Array(prep.P)
  for (let p = 0; p < prep.P; p++) lower[p] = Math.max(0, Math.min(L, prep.potential[p]!) - prep.forced[p]!)
  return lower
}

/** Is there a selection giving every participant at least its lower bound? (Dinic with lower bounds) */
function feasibleLower(model: Model, prep: Prepared, lower: Int32Array): boolean {
  const { nA, nC } = model
  const s = nA + nC
  const t = s + 1
  const S = s + 2
  const T = s + 3
  const net = new FlowNetwork(nA + nC + 4 + layerSize(model, prep))
  const out = roundLayer(net, model, prep, nA + nC + 4, t)
  let sumA = 0
  let sumC = 0
  for (let a = 0; a < nA; a++) {
    const l = lower[a]!
    if (l > prep.flowCap[a]!) return false
    sumA += l
    if (prep.flowCap[a]! - l > 0) net.addEdge(s, a, prep.flowCap[a]! - l)
    if (l > 0) net.addEdge(S, a, l)
  }
  for (let c = 0; c < nC; c++) {
    const l = lower[nA + c]!
    if (l > prep.flowCap[nA + c]!) return false
    sumC += l
    const o = out(c)
    if (prep.flowCap[nA + c]! - l > 0) net.addEdge(nA + c, o, prep.flowCap[nA + c]! - l)
    if (l > 0) {
      net.addEdge(nA + c, T, l)
      if (o !== t) net.addEdge(S, o, l)
    }
  }
  if (sumA > prep.totalCap || sumC > prep.totalCap) return false
  for (let a = 0; a < nA; a++) {
    for (let c = 0; c < nC; c++) if (model.allowed[a * nC + c] && !isRequired(model, a, c)) net.addEdge(a, nA + c, 1)
  }
  net.addEdge(t, s, prep.totalCap)
  if (sumC > 0 && !prep.roundCap) net.addEdge(S, t, sumC)
  if (sumA > 0) net.addEdge(s, T, sumA)
  return net.maxFlow(S, T) >= sumA + sumC - 1e-9
}

/** The largest fairness level L whose lower bounds are feasible. */
export function fairnessLevel(model: Model): number {
  const prep = prepare(model)
  return searchLevel(model, prep)
}

function searchLevel(model: Model, prep: Prepared): number {
  let hi = 0
  for (let p = 0; p < prep.P; p++) hi = Math.max(hi, prep.potential[p]!)
  let lo = 0
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1
    if (feasibleLower(model, prep, tierOne(prep, mid))) lo = mid
    else hi = mid - 1
  }
  return lo
}

interface FlowOutcome {
  chosen: number[]
  score: number
}

/**
 * Min-cost flow on a candidate pair set, then certified on all allowed pairs; grows the set until
 * certified. `lower2` may equal `lower1` (no minMeetings tier).
 */
function optimalFlow(
  model: Model,
  prep: Prepared,
  lower1: Int32Array,
  lower2: Int32Array,
  options: SelectOptions = {},
): FlowOutcome & { runs: number; candidates: number } {
  const { nA, nC } = model
  const P = prep.P
  // candidates: the best pairs of every participant, by score
  const candidate = new Uint8Array(nA * nC)
  const dense = options.candidates === undefined && nA * nC <= 40_000
  if (dense) {
    for (let k = 0; k < nA * nC; k++) if (model.allowed[k]) candidate[k] = 1
  } else {
    const pick = (p: number, list: number[]): void => {
      list.sort((x, y) => model.score[y]! - model.score[x]! || x - y)
      const keep = Math.min(list.length, options.candidates ?? prep.flowCap[p]! + 10)
      for (let i = 0; i < keep; i++) candidate[list[i]!] = 1
    }
    for (let a = 0; a < nA; a++) {
      const list: number[] = []
      for (let c = 0; c < nC; c++) if (model.allowed[a * nC + c]) list.push(a * nC + c)
      pick(a, list)
    }
    for (let c = 0; c < nC; c++) {
      const list: number[] = []
      for (let a = 0; a < nA; a++) if (model.allowed[a * nC + c]) list.push(a * nC + c)
      pick(nA + c, list)
    }
  }
  for (const [a, c] of model.required) candidate[a * nC + c] = 0

  let tierTwoUnits = 0
  let maxFlow = 0
  for (let p = 0; p < P; p++) {
    tierTwoUnits += lower2[p]! - lower1[p]!
    if (p < nA) maxFlow += prep.flowCap[p]!
  }
  maxFlow = Math.min(maxFlow, prep.totalCap)
  const W2 = maxFlow + 1
  const W1 = W2 * (2 * tierTwoUnits + 2)

  let runs = 0
  for (;;) {
    runs++
    const s0 = P
    const s = P + 1
    const t = P + 2
    const net = new FlowNetwork(P + 3 + layerSize(model, prep))
    const out = roundLayer(net, model, prep, P + 3, t)
    net.addEdge(s0, s, Math.min(prep.totalCap, maxFlow))
    const addTiers = (u: number, v: number, p: number): void => {
      const l1 = lower1[p]!
      const l2 = lower2[p]!
      const cap = prep.flowCap[p]!
      if (l1 > 0) net.addEdge(u, v, l1, -W1, 0)
      if (l2 - l1 > 0) net.addEdge(u, v, l2 - l1, -W2, 0)
      if (cap - l2 > 0) net.addEdge(u, v, cap - l2, 0, 0)
    }
    for (let a = 0; a < nA; a++) addTiers(s, a, a)
    for (let c = 0; c < nC; c++) addTiers(nA + c, out(c), nA + c)
    const pairEdge: number[] = []
    const pairKey: number[] = []
    for (let k = 0; k < nA * nC; k++) {
      if (!candidate[k]) continue
      const a = Math.floor(k / nC)
      const c = k - a * nC
      pairEdge.push(net.addEdge(a, nA + c, 1, -1, -model.score[k]!))
      pairKey.push(k)
    }
    const result = net.minCostFlow(s0, t)
    const chosen: number[] = []
    let score = 0
    for (let i = 0; i < pairEdge.length; i++) {
      if (net.flow(pairEdge[i]!) > 0.5) {
        chosen.push(pairKey[i]!)
        score += model.score[pairKey[i]!]!
      }
    }
    if (dense) return { chosen, score, runs, candidates: pairEdge.length }

    // certificate on all allowed pairs: no negative reduced cost, no augmenting path through new pairs
    const pm = result.potentialMajor
    const ps = result.potentialMinor
    const extra = function* (u: number): Iterable<number> {
      if (u >= nA) return
      for (let c = 0; c < nC; c++) {
        const k = u * nC + c
        if (!candidate[k] && model.allowed[k] && !isRequired(model, u, c)) yield nA + c
      }
    }
    const reach = net.reachable(s0)
    const reachAll = net.reachable(s0, extra)
    const augmentable = reachAll[t] === 1
    const coReach = augmentable ? net.coReachable(t) : undefined
    let added = 0
    const chain: number[][] = []
    for (let a = 0; a < nA; a++) {
      const negatives: [number, number, number][] = []
      for (let c = 0; c < nC; c++) {
        const k = a * nC + c
        if (candidate[k] || !model.allowed[k] || isRequired(model, a, c)) continue
        const rm = -1 + pm[a]! - pm[nA + c]!
        const rs = -model.score[k]! + ps[a]! - ps[nA + c]!
        const negative = rm < 0 || (rm === 0 && rs < -1e-7)
        // a left-out pair that opens an augmenting path by itself, or may be a link of one
        const direct = coReach !== undefined && reach[a] === 1 && coReach[nA + c] === 1
        if (negative) negatives.push([rm, rs, k])
        else if (direct) {
          candidate[k] = 1
          added++
        } else if (augmentable && reachAll[a] === 1 && reachAll[nA + c] === 1) (chain[a] ??= []).push(k)
      }
      // the most violated pairs of this association (column generation): the next run certifies again
      negatives.sort((x, y) => x[0] - y[0] || x[1] - y[1] || x[2] - y[2])
      for (const [, , k] of negatives.slice(0, Math.max(10, prep.flowCap[a]!))) {
        candidate[k] = 1
        added++
      }
    }
    if (added === 0 && augmentable) {
      // only longer paths through several left-out pairs: add the best few of each association on them
      for (const list of chain) {
        if (!list) continue
        list.sort((x, y) => model.score[y]! - model.score[x]! || x - y)
        for (const k of list.slice(0, 8)) {
          candidate[k] = 1
          added++
        }
      }
    }
    if (added === 0) return { chosen, score, runs, candidates: pairEdge.length }
  }
}

export interface SelectOptions {
  /** candidate pairs kept per participant before certification (tests force the sparse path with it) */
  candidates?: number
  /**
   * potentials to measure fairness against (default: this model's own); a model with extra
   * forbidden pairs keeps the instance's potentials so that its levels compare with the instance's
   */
  potential?: Int32Array
  /** at most this many meetings, fixed and required included (the exact search at given figures) */
  meetings?: number
  /** fairness level at most this (the level is then a constraint, not the first objective) */
  level?: number
}

/** Selects the pairs: exact lexicographic optimum of fairness, minMeetings, meetings, score. */
export function selectPairs(model: Model, options: SelectOptions = {}): Selection {
  const prep = prepare(model)
  if (options.potential) prep.potential = Int32Array.from(options.potential)
  if (options.meetings !== undefined) prep.totalCap = Math.max(0, Math.min(prep.totalCap, options.meetings - prep.forcedMeetings))
  const L =
    options.level !== undefined && feasibleLower(model, prep, tierOne(prep, options.level)) ? options.level : Math.min(searchLevel(model, prep), options.level ?? Infinity)
  const lower1 = tierOne(prep, L)
  const lower2 = new Int32Array(prep.P)
  for (let p = 0; p < prep.P; p++) {
    const wanted = Math.min(model.minMeetings[p]!, prep.potential[p]!) - prep.forced[p]!
    lower2[p] = Math.min(prep.flowCap[p]!, Math.max(lower1[p]!, wanted))
  }
  // without a second tier this is the flow scoreBound runs: its bound at the selection's own meeting
  // count (or more) is the optimum, below it is computed when asked
  const plain = options.meetings === undefined && options.level === undefined && options.potential === undefined && lower2.every((x, p) => x === lower1[p])
  const flow = optimalFlow(model, prep, lower1, lower2, options)
  const pairs = [...flow.chosen, ...model.required.map(([a, c]) => a * model.nC + c)]
  const degree = Int32Array.from(prep.forced)
  for (const k of flow.chosen) {
    const a = Math.floor(k / model.nC)
    degree[a]!++
    degree[model.nA + k - a * model.nC]!++
  }
  const selection: Selection = {
    pairs,
    fairnessLevel: L,
    potential: prep.potential,
    degree,
    optimum: prep.forcedScore + flow.score,
    meetings: prep.forcedMeetings + flow.chosen.length,
    flowRuns: flow.runs,
    candidatePairs: flow.candidates,
  }
  if (plain) {
    selection.scoreAt = (meetings) => (meetings >= selection.meetings ? selection.optimum : scoreBound(model, L, meetings))
  }
  return selection
}

/**
 * A proven upper bound on the score of any schedule that reaches fairness level L with exactly
 * `meetings` meetings (fixed and required included): the best selection with those two figures
 * (the flow capped at that many meetings; more than the selection can hold: its optimum).
 */
export function scoreBound(model: Model, L: number, meetings: number): number {
  const prep = prepare(model)
  const lower = tierOne(prep, L)
  prep.totalCap = Math.max(0, Math.min(prep.totalCap, meetings - prep.forcedMeetings))
  return prep.forcedScore + optimalFlow(model, prep, lower, lower).score
}

/** Per participant potential (for fairness of a finished schedule). */
export function potentials(model: Model): Int32Array {
  return prepare(model).potential
}

/**
 * The selection of `model` at fairness level L with exactly `meetings` flow meetings, as a plain
 * problem for an independent solver (the LP adapter in tests). Fixed and required pairs are left
 * out, as in the flow; their score is `forcedScore`.
 */
export function selectionProblem(model: Model, L: number, meetings?: number): { problem: import('./lp-adapter.ts').SelectionProblem; forcedScore: number; forcedMeetings: number } {
  const prep = prepare(model)
  const lower = tierOne(prep, L)
  const { nA, nC } = model
  const problem: import('./lp-adapter.ts').SelectionProblem = {
    associations: Array.from({ length: nA }, (_, a) => ({ lower: lower[a]!, upper: prep.flowCap[a]! })),
    companies: Array.from({ length: nC }, (_, c) => ({ lower: lower[nA + c]!, upper: prep.flowCap[nA + c]! })),
    pairs: [],
  }
  for (let a = 0; a < nA; a++) {
    for (let c = 0; c < nC; c++) {
      if (model.allowed[a * nC + c] && !isRequired(model, a, c)) problem.pairs.push({ a, c, score: model.score[a * nC + c]! })
    }
  }
  if (meetings !== undefined) problem.meetings = meetings - prep.forcedMeetings
  return { problem, forcedScore: prep.forcedScore, forcedMeetings: prep.forcedMeetings }
}
