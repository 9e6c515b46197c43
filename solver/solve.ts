/**
 * The solver pipeline: model -> exact pair selection -> rounds (rotation, construction, Kempe
 * repair, last-resort drop and refill) -> idle-round local search -> tables -> result with a
 * proven bound.
 */
import { buildModel, type Model } from './model.ts'
import { constructRounds, forceRequired, repairUnplaced } from './rounds/construct.ts'
import { ejectionSearch } from './rounds/eject.ts'
import { reduceIdle } from './rounds/improve.ts'
import { createRng } from './rounds/rng.ts'
import { rotationFits } from './rounds/rotation.ts'
import { Schedule } from './rounds/schedule.ts'
import { assignTables } from './rounds/tables.ts'
import type { Rng } from './rounds/rng.ts'
import { scoreBound, selectPairs, type Selection } from './selection/select.ts'
import type { Instance, Meeting, SolveResult, SolveStats } from './types.ts'

export interface SolveInternals {
  /** rounds < frozenBefore hold only the fixed meetings (re-planning) */
  frozenBefore?: number
}

const now = (): number => performance.now()

function infeasible(reason: string, started: number, method: string): SolveResult {
  return {
    status: 'infeasible',
    objective: 0,
    bound: 0,
    meetings: [],
    stats: { fairnessLevel: 0, meetings: 0, idleRounds: 0, shortfalls: [], solveMs: now() - started, method },
    reason,
  }
}

/** Solves an instance that passed parseInstance. Never throws on an impossible instance. */
export function solveInstance(instance: Instance, internals: SolveInternals = {}): SolveResult {
  const started = now()
  const built = buildModel(instance, internals.frozenBefore === undefined ? {} : { frozenBefore: internals.frozenBefore })
  if (!built.ok) return infeasible(built.reason, started, 'checks')
  const model = built.model
  const { nA, nC } = model
  const rng = createRng(model.seed)

  const tSelect = now()
  const selection = selectPairs(model)
  const selectMs = now() - tSelect

  const tRounds = now()
  const requiredKeys = new Set(model.required.map(([a, c]) => a * nC + c))
  const target = new Int32Array(nA + nC)
  for (let p = 0; p < nA + nC; p++) target[p] = Math.min(selection.fairnessLevel, selection.potential[p]!)
  let attempt = scheduleSelection(model, selection.pairs, requiredKeys, rng, target)
  if (attempt.lostRequired.length > 0) {
    const names = attempt.lostRequired.map((e) => `${model.ids[attempt.sched.ea[e]!]} – ${model.ids[attempt.sched.ec[e]!]}`).join(', ')
    return infeasible(
      `aucun tour commun libre trouvé pour les rencontres obligatoires / no free common round found for the required meetings: ${names}`,
      started,
      attempt.method,
    )
  }
  // Pairs that found no round: forbid them and select again (a few times), keep the best schedule
  let reselections = 0
  if (attempt.left.length > 0) {
    const allowed = model.allowed.slice()
    let quality = evaluate(model, attempt.sched, selection)
    let current = attempt
    const tries = sched0Size(attempt) > 5_000 ? 1 : 4
    for (let i = 0; i < tries && current.left.length > 0; i++) {
      for (const e of current.left) allowed[current.sched.ea[e]! * nC + (current.sched.ec[e]! - nA)] = 0
      const next = scheduleSelection({ ...model, allowed }, selectPairs({ ...model, allowed }).pairs, requiredKeys, rng, target)
      reselections++
      if (next.lostRequired.length > 0) break
      const q = evaluate(model, next.sched, selection)
      current = next
      if (!better(q, quality)) break
      quality = q
      attempt = next
    }
  }
  const { sched, usedRotation, method } = attempt
  const left = attempt.left
  // last resort: drop what could not be placed, then fill free seats with the best pairs left
  const dropped = left.length
  let added = 0
  if (dropped > 0) {
    const chosen = new Set<number>()
    for (let e = 0; e < sched.edgeCount; e++) chosen.add(sched.ea[e]! * nC + (sched.ec[e]! - nA))
    const extra: number[] = []
    for (let k = 0; k < nA * nC; k++) if (model.allowed[k] && !chosen.has(k)) extra.push(k)
    extra.sort((x, y) => model.score[y]! - model.score[x]! || x - y)
    const degree = new Int32Array(nA + nC)
    for (let e = 0; e < sched.edgeCount; e++) {
      if (sched.round[e]! > 0) {
        degree[sched.ea[e]!]!++
        degree[sched.ec[e]!]!++
      }
    }
    // first give dropped pairs' participants a chance, then anyone below its maximum
    for (const k of extra) {
      const a = Math.floor(k / nC)
      const c = k - a * nC
      if (degree[a]! >= model.maxMeetings[a]! || degree[nA + c]! >= model.maxMeetings[nA + c]!) continue
      const e = sched.addEdge(a, c)
      let placed = false
      for (let r = sched.lo[e]!; r <= sched.hi[e]! && !placed; r++) {
        if (sched.fits(e, r)) {
          sched.place(e, r)
          placed = true
        }
      }
      if (placed) {
        added++
        degree[a]!++
        degree[nA + c]!++
      }
    }
  }
  const idle = usedRotation
    ? { before: sched.totalIdle(), after: sched.totalIdle(), iterations: 0 }
    : reduceIdle(sched, rng, model.effort ?? Math.min(300_000, 40 * sched.edgeCount + 5_000))
  const tables = assignTables(sched)
  const roundsMs = now() - tRounds

  const meetings: Meeting[] = []
  let objective = 0
  const degree = new Int32Array(nA + nC)
  const withReasons = instance.scores === undefined
  for (let e = 0; e < sched.edgeCount; e++) {
    const r = sched.round[e]!
    if (r === 0) continue
    const a = sched.ea[e]!
    const p = sched.ec[e]!
    const score = model.score[a * nC + (p - nA)]!
    objective += score
    degree[a]!++
    degree[p]!++
    const meeting: Meeting = { round: r, table: tables[e]!, association: model.ids[a]!, company: model.ids[p]!, score }
    if (withReasons) {
      const reasons = model.scorer.reasons(model.ids[a]!, model.ids[p]!)
      if (reasons.length > 0) meeting.reasons = reasons
    }
    meetings.push(meeting)
  }
  meetings.sort((x, y) => x.round - y.round || x.table - y.table)

  const reached = fairnessReached(model, degree, selection.potential, selection.fairnessLevel)
  const shortfalls: SolveStats['shortfalls'] = []
  for (let p = 0; p < nA + nC; p++) {
    const target = Math.max(Math.min(selection.fairnessLevel, selection.potential[p]!), model.minMeetings[p]!)
    if (degree[p]! < target) {
      shortfalls.push({ id: model.ids[p]!, side: p < nA ? 'association' : 'company', meetings: degree[p]!, target })
    }
  }
  // optimal when fairness, minMeetings and meetings equal the selection's (upper bounds) and the score its bound
  const exact =
    (dropped === 0 && added === 0) ||
    (reached === selection.fairnessLevel &&
      meetings.length === selection.meetings &&
      minMet(model, degree) === minMet(model, selection.degree))
  let bound = selection.optimum
  if (dropped > 0 || added > 0) bound = Math.max(objective, scoreBound(model, reached, meetings.length))
  const gap = bound > 0 ? (bound - objective) / bound : 0
  const optimal = exact && Math.abs(bound - objective) <= 1e-6 * Math.max(1, bound)
  const stats: SolveStats = {
    fairnessLevel: reached,
    meetings: meetings.length,
    idleRounds: sched.totalIdle(),
    shortfalls,
    solveMs: Math.round((now() - started) * 10) / 10,
    method,
    selectionOptimum: selection.optimum,
    selectionFairnessLevel: selection.fairnessLevel,
    selectionMeetings: selection.meetings,
    gap,
    dropped,
    reselections,
    refilled: added,
    idleBeforeSearch: idle.before,
    searchIterations: idle.iterations,
    selectMs: Math.round(selectMs * 10) / 10,
    roundsMs: Math.round(roundsMs * 10) / 10,
    flowRuns: selection.flowRuns,
    candidatePairs: selection.candidatePairs,
  }
  const result: SolveResult = { status: optimal ? 'optimal' : 'feasible', objective, bound, meetings, stats }
  if (dropped > 0) {
    result.reason = `${dropped} rencontre(s) choisie(s) n'ont pas trouvé de tour commun et ont été remplacées par ${added} autre(s) / selected meeting(s) found no common round and were replaced by other(s)`
  }
  return result
}

/** The largest L such that every participant has at least min(L, its potential) meetings. */
function fairnessReached(model: Model, degree: Int32Array, potential: Int32Array, cap: number): number {
  let L = cap
  for (let p = 0; p < model.nA + model.nC; p++) if (degree[p]! < Math.min(L, potential[p]!)) L = degree[p]!
  return L
}

interface Attempt {
  sched: Schedule
  left: number[]
  lostRequired: number[]
  usedRotation: boolean
  method: string
}

/** Puts the selected pairs into rounds; unplaced ones are removed from the schedule and returned in `left`. */
function scheduleSelection(model: Model, pairs: number[], requiredKeys: Set<number>, rng: Rng, target: Int32Array): Attempt {
  const { nC } = model
  const sched = new Schedule(model)
  for (const f of model.fixed) sched.addEdge(f.a, f.c, { fixedRound: f.round })
  for (const k of pairs) {
    const a = Math.floor(k / nC)
    sched.addEdge(a, k - a * nC, { required: requiredKeys.has(k) })
  }
  let method = 'min-cost flow + '
  let usedRotation = false
  if (rotationFits(sched)) {
    method += 'cyclic rotation'
    usedRotation = true
  } else {
    method += 'round matchings + Kempe repair'
    constructRounds(sched, rng)
  }
  let left = sched.unplaced()
  if (left.length > 0) left = repairUnplaced(sched, 200 * sched.edgeCount + 10_000)
  if (left.length > 0) {
    method += ' + ejection search'
    left = ejectionSearch(sched, rng, Math.min(200_000, 200 * left.length + 20 * sched.edgeCount), target)
  }
  let lostRequired = left.filter((e) => sched.required[e])
  if (lostRequired.length > 0) {
    lostRequired = forceRequired(sched, lostRequired)
    left = repairUnplaced(sched, 200 * sched.edgeCount + 10_000)
  }
  return { sched, left, lostRequired, usedRotation, method }
}

interface Quality {
  fairness: number
  meetings: number
  score: number
}

function evaluate(model: Model, sched: Schedule, selection: Selection): Quality {
  const degree = new Int32Array(model.nA + model.nC)
  let meetings = 0
  let score = 0
  for (let e = 0; e < sched.edgeCount; e++) {
    if (sched.round[e] === 0) continue
    degree[sched.ea[e]!]!++
    degree[sched.ec[e]!]!++
    meetings++
    score += model.score[sched.ea[e]! * model.nC + (sched.ec[e]! - model.nA)]!
  }
  return { fairness: fairnessReached(model, degree, selection.potential, selection.fairnessLevel), meetings, score }
}

function better(x: Quality, y: Quality): boolean {
  if (x.fairness !== y.fairness) return x.fairness > y.fairness
  if (x.meetings !== y.meetings) return x.meetings > y.meetings
  return x.score > y.score + 1e-9
}

function sched0Size(attempt: Attempt): number {
  return attempt.sched.edgeCount
}

/** Meetings counted towards the participants' minMeetings. */
function minMet(model: Model, degree: Int32Array): number {
  let s = 0
  for (let p = 0; p < model.nA + model.nC; p++) s += Math.min(degree[p]!, model.minMeetings[p]!)
  return s
}
