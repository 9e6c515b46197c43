/**
 * The solver pipeline: model -> exact pair selection -> rounds (rotation, construction, Kempe
 * repair, last-resort drop and refill, ejection chains for what is still short) -> idle-round local
 * search -> tables -> result with a proven bound.
 */
import { buildModel, type Model } from './model.ts'
import { constructRounds, forceRequired, repairUnplaced } from './rounds/construct.ts'
import { deficitSearch } from './rounds/deficit.ts'
import { ejectionSearch } from './rounds/eject.ts'
import { exactSmall, smallEnough, smallEnoughToImprove } from './rounds/exact-small.ts'
import { reduceIdle } from './rounds/improve.ts'
import { reoptimiseParticipants, reoptimiseRoundPairs, reoptimiseRounds } from './rounds/reoptimise.ts'
import { createRng } from './rounds/rng.ts'
import { rotationFits } from './rounds/rotation.ts'
import { Schedule } from './rounds/schedule.ts'
import { assignTables } from './rounds/tables.ts'
import type { Rng } from './rounds/rng.ts'
import { FlowNetwork } from './selection/flow.ts'
import { scoreBound, selectPairs, type Selection } from './selection/select.ts'
import { lagrangianApplies, meetingsBound } from './selection/lagrangian.ts'
import { transposeBack, transposeModel } from './selection/transpose.ts'
import { Progress } from './progress.ts'
import type { Instance, Meeting, SolveHooks, SolveResult, SolveStats } from './types.ts'

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
export function solveInstance(instance: Instance, internals: SolveInternals = {}, hooks: SolveHooks = {}): SolveResult {
  const started = now()
  const progress = new Progress(hooks.onProgress)
  progress.enter('model')
  const built = buildModel(instance, internals.frozenBefore === undefined ? {} : { frozenBefore: internals.frozenBefore })
  if (!built.ok) return infeasible(built.reason, started, 'checks')
  const model = built.model
  const { nA, nC } = model
  const rng = createRng(model.seed)

  const tSelect = now()
  progress.enter('selection')
  // the selection relaxes the per-round constraints of one side; solved from the other side too
  // (with a table limit, where the two differ), the tighter of the two is scheduled and both bound
  const primary = selectPairs(model)
  const transposed = Number.isFinite(model.tables) && nA * nC <= 40_000 ? transposeModel(model) : undefined
  const mirror = transposed ? transposeBack(model, selectPairs(transposed)) : undefined
  const selection = mirror && tighter(model, mirror, primary) ? mirror : primary
  // the best selection at a fairness level and meeting count, from both sides; at the selections'
  // own level, read off their flows
  const bounds = new Map<string, number>()
  const sideBound = (m: Model, own: Selection, L: number, meetings: number): number =>
    own.scoreAt && own.fairnessLevel === L ? own.scoreAt(meetings) : scoreBound(m, L, meetings)
  const boundAt = (L: number, meetings: number): number => {
    const key = `${L}/${meetings}`
    let b = bounds.get(key)
    if (b === undefined) {
      b = Math.min(sideBound(model, primary, L, meetings), transposed && mirror ? sideBound(transposed, mirror, L, meetings) : Infinity)
      bounds.set(key, b)
    }
    return b
  }
  const selectMs = now() - tSelect

  const tRounds = now()
  const planned = plan(model, primary, rng, started, progress)
  if ('status' in planned) return planned
  let chosen = planned
  const reachedFigures = (q: Quality): boolean =>
    q.fairness === selection.fairnessLevel && q.meetings === selection.meetings && q.score >= selection.optimum - 1e-9 * Math.max(1, selection.optimum)
  if (selection !== primary && !chosen.proven && nA * nC <= 400 && !reachedFigures(evaluate(model, chosen.attempt.sched, selection))) {
    // the tighter selection, scheduled too on small instances: the better schedule is kept
    const other = plan(model, selection, rng, started, progress)
    if (!('status' in other) && better(evaluate(model, other.attempt.sched, selection), evaluate(model, chosen.attempt.sched, selection))) chosen = other
  }
  // small instances still short of the score bound at their figures: the exact search over
  // selections of at most the schedule's meetings, for a better schedule only (or the proof there is none)
  const figuresSearch = exactAtFigures(model, chosen, selection, boundAt, progress)
  if (figuresSearch.better) chosen = figuresSearch.better
  const { attempt, proven, dropped, added, deficit, reselections, rematched, reopt } = chosen
  const original = attempt === chosen.first && dropped === 0 && added === 0 && deficit.chains === 0
  const { sched, usedRotation, method } = attempt
  const idleTick = progress.enter('idle')
  const idle = usedRotation
    ? { before: sched.totalIdle(), after: sched.totalIdle(), iterations: 0 }
    : reduceIdle(sched, rng, model.effort ?? Math.min(300_000, 40 * sched.edgeCount + (sched.edgeCount <= 300 ? 40_000 : 5_000)), idleTick)
  progress.enter('tables')
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
  // optimal when fairness, minMeetings and meetings equal the tighter selection's (upper bounds on
  // every schedule's) and the score its bound
  const minimumFigures = minMet(model, degree, selection.potential) === minMet(model, selection.degree, selection.potential)
  const figures = reached === selection.fairnessLevel && meetings.length === selection.meetings && minimumFigures
  // fewer meetings than the selection's with its fairness and minMeetings: on small instances a
  // Lagrangian bound on the meetings of any schedule may prove the count optimal anyway (only worth
  // it when the score is then known to be the best at that count: it meets its bound, or the exact
  // search at the figures proved it)
  let meetingsProven = false
  const scoreProven = figuresSearch.scoreProven
  if (!proven && !figures && reached === selection.fairnessLevel && minimumFigures && lagrangianApplies(model)) {
    const atFigures = boundAt(reached, meetings.length)
    if (scoreProven || atFigures - objective <= 1e-6 * Math.max(1, atFigures)) {
      const M = meetings.length
      meetingsProven = meetingsBound(model, M) < M + 1 - 1e-6 || meetingsBound(transposed ?? transposeModel(model), M) < M + 1 - 1e-6
    }
  }
  const exact = proven || figures || meetingsProven
  // the selection optimum bounds schedules of the selection's fairness and meeting count only;
  // any other outcome is bounded by the best selection at the fairness and meeting count reached
  let bound = figures ? selection.optimum : Infinity
  // the exact search at the figures proved no better schedule with at most these meetings, and
  // none has more
  if (proven || (scoreProven && exact)) bound = objective
  else if (!original) bound = Math.max(objective, Math.min(bound, boundAt(reached, meetings.length)))
  else bound = Math.max(objective, Math.min(bound, chosen.selection.optimum))
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
    meetingsProvenByLagrangian: meetingsProven,
    selectionSide: selection === primary ? 'companies' : 'associations',
    selectionFairnessLevel: selection.fairnessLevel,
    selectionMeetings: selection.meetings,
    gap,
    dropped,
    reselections,
    rematchGain: rematched,
    roundsReplanned: reopt.changed,
    replanWork: reopt.work,
    replanMs: Math.round(reopt.ms * 10) / 10,
    refilled: added,
    deficitChains: deficit.chains,
    deficitWork: deficit.work,
    idleBeforeSearch: idle.before,
    searchIterations: idle.iterations,
    ...(figuresSearch.used ? { improveSearch: { ...figuresSearch.used, improved: figuresSearch.better !== undefined, proven: figuresSearch.scoreProven } } : {}),
    selectMs: Math.round(selectMs * 10) / 10,
    roundsMs: Math.round(roundsMs * 10) / 10,
    flowRuns: selection.flowRuns,
    candidatePairs: selection.candidatePairs,
  }
  const result: SolveResult = { status: optimal ? 'optimal' : 'feasible', objective, bound, meetings, stats }
  progress.enter('done')
  if (dropped > 0) {
    result.reason = `${dropped} rencontre(s) choisie(s) n'ont pas trouvé de tour commun et ont été remplacées par ${added} autre(s) / selected meeting(s) found no common round and were replaced by other(s)`
  }
  return result
}

/**
 * The exact search over selections (exact-small.ts) capped at the schedule's meeting count and
 * looking only for better figures than the schedule's: on small instances whose schedule is short of
 * the score bound at its fairness and meeting count. `scoreProven`: no schedule with at most that
 * many meetings does better.
 */
function exactAtFigures(
  model: Model,
  planned: Planned,
  selection: Selection,
  boundAt: (L: number, meetings: number) => number,
  progress: Progress,
): { better?: Planned; scoreProven: boolean; used?: { nodes: number; steps: number; evaluations?: number } } {
  if (planned.proven || !smallEnoughToImprove(model)) return { scoreProven: planned.proven }
  const q = evaluate(model, planned.attempt.sched, selection)
  const bound = boundAt(q.fairness, q.meetings)
  if (q.score >= bound - 1e-9 * Math.max(1, bound)) return { scoreProven: true }
  const incumbent = [q.fairness, q.minimum, q.meetings, q.score]
  const used = { nodes: 0, steps: 0 }
  const tick = progress.enter('exact')
  const found = exactSmall(model, selection.potential, 400, { meetings: q.meetings, incumbent, steps: 300_000, evaluations: 200, used, tick })
  if (found === 'incumbent') return { scoreProven: true, used }
  if (found === undefined || found === 'infeasible') return { scoreProven: false, used }
  const attempt: Attempt = {
    sched: scheduleOf(model, found.rounds),
    left: [],
    lostRequired: [],
    usedRotation: false,
    method: 'min-cost flow + exact branch and bound on selections at the figures reached',
  }
  return { better: { ...planned, attempt }, scoreProven: true, used }
}

/** A schedule from pair keys and their rounds (fixed meetings included). */
function scheduleOf(model: Model, rounds: Map<number, number>): Schedule {
  const { nC } = model
  const requiredKeys = new Set(model.required.map(([a, c]) => a * nC + c))
  const sched = new Schedule(model)
  for (const f of model.fixed) sched.addEdge(f.a, f.c, { fixedRound: f.round })
  const fixedKeys = new Set(model.fixed.map((f) => f.a * nC + f.c))
  for (const [k, r] of rounds) {
    if (fixedKeys.has(k)) continue
    const a = Math.floor(k / nC)
    sched.place(sched.addEdge(a, k - a * nC, { required: requiredKeys.has(k) }), r)
  }
  return sched
}

/** The exact search does not depend on the selection being planned: run once per model. */
const exactResults = new WeakMap<Model, ReturnType<typeof exactSmall>>()
function exactOnce(model: Model, potential: Int32Array): ReturnType<typeof exactSmall> {
  if (!exactResults.has(model)) exactResults.set(model, exactSmall(model, potential))
  return exactResults.get(model)
}

interface Planned {
  selection: Selection
  attempt: Attempt
  /** the first attempt: the selection put into rounds as it is */
  first: Attempt
  proven: boolean
  dropped: number
  added: number
  deficit: { chains: number; work: number }
  reselections: number
  rematched: number
  reopt: { changed: number; work: number; ms: number }
}

/**
 * Puts a selection into rounds: construction and repair, the exact search on small instances,
 * reselections without the pairs that found no round, ejection chains for what is still short,
 * then the score moves (re-matching, round and participant re-optimisation). An infeasible result
 * when the fixed and required meetings cannot all be placed.
 */
function plan(model: Model, selection: Selection, rng: Rng, started: number, progress: Progress): Planned | SolveResult {
  const { nA, nC } = model
  const roundsTick = progress.enter('rounds')
  const requiredKeys = new Set(model.required.map(([a, c]) => a * nC + c))
  const target = new Int32Array(nA + nC)
  for (let p = 0; p < nA + nC; p++) {
    const pot = selection.potential[p]!
    target[p] = Math.max(Math.min(selection.fairnessLevel, pot), Math.min(model.minMeetings[p]!, pot))
  }
  let attempt = scheduleSelection(model, selection.pairs, requiredKeys, rng, target, true, (x) => roundsTick(0.5 * x))
  const first = { value: attempt }
  const exactSearch = (attempt.left.length > 0 || attempt.lostRequired.length > 0) && smallEnough(model) ? exactOnce(model, selection.potential) : undefined
  // (the heuristic placing every required meeting already shows a schedule exists)
  if (exactSearch === 'infeasible' && attempt.lostRequired.length > 0) {
    return infeasible(
      'aucun planning ne tient toutes les rencontres fixées et obligatoires (recherche exhaustive) / no schedule holds every fixed and required meeting (exhaustive search)',
      started,
      'min-cost flow + exact branch and bound on selections',
    )
  }
  if (attempt.lostRequired.length > 0 && !exactSearch) {
    const names = attempt.lostRequired.map((e) => `${model.ids[attempt.sched.ea[e]!]} – ${model.ids[attempt.sched.ec[e]!]}`).join(', ')
    return infeasible(
      `aucun tour commun libre trouvé pour les rencontres obligatoires / no free common round found for the required meetings: ${names}`,
      started,
      attempt.method,
    )
  }
  // Pairs that found no round: select again without them (or with less room for one of their
  // participants), refill free seats, keep the best schedule. Small instances get more tries.
  let reselections = 0
  let proven = false
  {
    const exact = typeof exactSearch === 'object' ? exactSearch : undefined
    if (exact) {
      attempt = { sched: scheduleOf(model, exact.rounds), left: [], lostRequired: [], usedRotation: false, method: 'min-cost flow + exact branch and bound on selections' }
      proven = true
    }
  }
  // a schedule still short of the selection's figures (its pairs did not fit into rounds) goes
  // through ejection chains over every allowed pair and round, serving the participants left short
  const goal = { fairness: selection.fairnessLevel, minimum: minMet(model, selection.degree, selection.potential), meetings: selection.meetings }
  const deficit = { chains: 0, work: 0 }
  const serve = (sched: Schedule): void => {
    const q = evaluate(model, sched, selection)
    if (q.fairness >= goal.fairness && q.minimum >= goal.minimum && q.meetings >= goal.meetings) return
    const size = sched.edgeCount
    const saved = sched.round.slice()
    const out = deficitSearch(model, sched, size > 5_000 ? 5_000 : size > 400 ? 20_000 : 20_000, {
      level: selection.fairnessLevel,
      potential: selection.potential,
      best: goal,
    })
    deficit.work += out.work
    const after = evaluate(model, sched, selection)
    if (after.fairness === q.fairness && after.minimum === q.minimum && after.meetings === q.meetings) {
      // no objective gained: the schedule as it was (its score moves would only compete with re-matching)
      for (let e = 0; e < sched.edgeCount; e++) sched.unplace(e)
      sched.truncate(saved.length)
      for (let e = 0; e < saved.length; e++) if (saved[e]! > 0) sched.place(e, saved[e]!)
      return
    }
    deficit.chains += out.chains
    if (out.chains > 0) {
      improveScore(model, sched, reachedTarget(model, sched, selection))
      // candidates compare on score too: re-match their rounds first
      if (size <= 400) rematchRounds(model, sched)
    }
  }
  let dropped = attempt.left.length
  let added = dropped > 0 ? refill(model, attempt.sched, target) : 0
  if (attempt.left.length > 0 && !proven) {
    improveScore(model, attempt.sched, reachedTarget(model, attempt.sched, selection))
    serve(attempt.sched)
    let quality = evaluate(model, attempt.sched, selection)
    const size = attempt.sched.edgeCount
    // beyond 400 meetings, only a schedule short of the selection's fairness or minMeetings is
    // selected again (on the bench instances a reselection never gained meetings or score there)
    const short = quality.fairness < goal.fairness || quality.minimum < goal.minimum
    const tries = size > 5_000 ? (short ? 1 : 0) : size > 400 ? (short ? 4 : 0) : size > 100 ? 8 : 24
    let allowed = model.allowed.slice()
    let maxMeetings = model.maxMeetings.slice()
    let current = attempt
    for (let i = 0; i < tries; i++) {
      if (current.left.length === 0 || (tries > 4 && i % 8 === 7)) {
        // start again from the instance, another way
        allowed = model.allowed.slice()
        maxMeetings = model.maxMeetings.slice()
        current = attempt
      }
      for (const e of current.left) {
        const a = current.sched.ea[e]!
        const p = current.sched.ec[e]!
        if (i % 2 === 0 || tries <= 4) allowed[a * nC + (p - nA)] = 0
        else {
          const q = rng.next() < 0.5 ? a : p
          maxMeetings[q] = Math.max(0, maxMeetings[q]! - 1)
        }
      }
      const variant: Model = { ...model, allowed, maxMeetings }
      const next = scheduleSelection(variant, selectPairs(variant).pairs, requiredKeys, rng, target)
      reselections++
      roundsTick(0.5 + (0.5 * (i + 1)) / tries)
      if (next.lostRequired.length > 0) break
      const nextAdded = next.left.length > 0 ? refill(model, next.sched, target) : 0
      improveScore(model, next.sched, reachedTarget(model, next.sched, selection))
      // the whole (variant) selection in rounds with the selection's meetings: stop there
      const fits = next.left.length === 0 && evaluate(model, next.sched, selection).meetings === selection.meetings
      serve(next.sched)
      const q = evaluate(model, next.sched, selection)
      current = next
      if (better(q, quality)) {
        quality = q
        attempt = next
        dropped = next.left.length
        added = nextAdded
      } else if (tries <= 4) break
      if (fits) break
    }
  }
  // the rotation is only worth it when it costs no idle round (objective 4 before 5)
  if (attempt.usedRotation && attempt.sched.totalIdle() > 0) {
    const other = scheduleSelection(model, selection.pairs, requiredKeys, rng, target, false)
    if (other.left.length === 0 && other.lostRequired.length === 0) {
      reduceIdle(other.sched, rng, model.effort ?? Math.min(300_000, 40 * other.sched.edgeCount + 5_000))
      if (other.sched.totalIdle() < attempt.sched.totalIdle()) {
        const wasFirst = attempt === first.value
        attempt = { ...other, method: `${other.method} (fewer idle rounds than the rotation)` }
        if (wasFirst) first.value = attempt
      }
    }
  }
  const { sched } = attempt
  // a schedule that is not the selection itself may gain score by re-matching inside rounds
  const changedSelection = attempt !== first.value || dropped > 0 || added > 0 || deficit.chains > 0
  const reoptTick = progress.enter('reoptimisation')
  const rematched = !proven && changedSelection && sched.edgeCount <= 5_000 ? rematchRounds(model, sched) : 0
  // then each round planned again from scratch around the others (exact for that neighbourhood)
  const reopt = { changed: 0, work: 0, ms: 0 }
  const tReopt = performance.now()
  const aims = { fair: new Int32Array(nA + nC), min: new Int32Array(nA + nC) }
  for (let p = 0; p < nA + nC; p++) {
    aims.fair[p] = Math.min(selection.fairnessLevel, selection.potential[p]!)
    aims.min[p] = Math.min(model.minMeetings[p]!, selection.potential[p]!)
  }
  const value = (x: Schedule): number[] => {
    const q = evaluate(model, x, selection)
    return [q.fairness, q.minimum, q.meetings, q.score]
  }
  if (!proven && changedSelection && sched.edgeCount > 5_000) {
    // large: only the participants whose partners differ from the selection's are re-planned
    const selected = new Set(selection.pairs)
    const placed = new Set<number>()
    const touched = new Uint8Array(nA + nC)
    for (let e = 0; e < sched.edgeCount; e++) {
      if (sched.round[e] === 0) continue
      const k = sched.ea[e]! * nC + (sched.ec[e]! - nA)
      placed.add(k)
      if (!selected.has(k)) touched[sched.ea[e]!] = touched[sched.ec[e]!] = 1
    }
    for (const k of selected) {
      if (placed.has(k)) continue
      const a = Math.floor(k / nC)
      touched[a] = touched[nA + k - a * nC] = 1
    }
    const only: number[] = []
    touched.forEach((x, p) => x && only.push(p))
    const byParticipant = reoptimiseParticipants(model, sched, aims, value, 50 * sched.edgeCount, 2, only)
    reoptTick(1)
    reopt.changed += byParticipant.changed
    reopt.work += byParticipant.work
  }
  if (!proven && changedSelection && sched.edgeCount <= 5_000) {
    // work budgets, in flow arcs built, shared by the sweeps
    // (beyond a few hundred meetings, fixed budgets: the flows grow with the instance)
    const big = sched.edgeCount > 300
    const budget = big
      ? { participants: 100_000, pairs: 50_000, sweeps: 3 }
      : { participants: 30 * sched.edgeCount * model.rounds, pairs: 100 * sched.edgeCount * model.rounds, sweeps: 3 }
    const atBound = (): boolean => {
      const q = evaluate(model, sched, selection)
      return q.fairness === selection.fairnessLevel && q.meetings === selection.meetings && q.score >= selection.optimum - 1e-9 * Math.max(1, selection.optimum)
    }
    for (let sweep = 0; sweep < budget.sweeps && !atBound(); sweep++) {
      const part = (k: number): void => reoptTick((sweep + k / 3) / budget.sweeps)
      const byRound = reoptimiseRounds(model, sched, aims, value, 1)
      part(1)
      const byParticipant = reoptimiseParticipants(model, sched, aims, value, budget.participants)
      part(2)
      const byPair = reoptimiseRoundPairs(model, sched, aims, value, budget.pairs)
      budget.participants -= byParticipant.work
      budget.pairs -= byPair.work
      reopt.changed += byRound.changed + byParticipant.changed + byPair.changed
      reopt.work += byRound.work + byParticipant.work + byPair.work
      reoptTick((sweep + 1) / budget.sweeps)
      if (byParticipant.changed + byPair.changed === 0) break
    }
  }
  reopt.ms = performance.now() - tReopt
  return { selection, attempt, first: first.value, proven, dropped, added, deficit, reselections, rematched, reopt }
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
function scheduleSelection(
  model: Model,
  pairs: number[],
  requiredKeys: Set<number>,
  rng: Rng,
  target: Int32Array,
  allowRotation = true,
  tick?: (done: number) => void,
): Attempt {
  const { nC } = model
  const sched = new Schedule(model)
  for (const f of model.fixed) sched.addEdge(f.a, f.c, { fixedRound: f.round })
  for (const k of pairs) {
    const a = Math.floor(k / nC)
    sched.addEdge(a, k - a * nC, { required: requiredKeys.has(k) })
  }
  let method = 'min-cost flow + '
  let usedRotation = false
  if (allowRotation && rotationFits(sched)) {
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
    left = ejectionSearch(sched, rng, Math.min(200_000, 200 * left.length + 20 * sched.edgeCount), target, tick)
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
  /** meetings counted towards minMeetings (objective 1b) */
  minimum: number
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
  return {
    fairness: fairnessReached(model, degree, selection.potential, selection.fairnessLevel),
    minimum: minMet(model, degree, selection.potential),
    meetings,
    score,
  }
}

/** Is selection x a tighter relaxation than y (lexicographically smaller figures)? */
function tighter(model: Model, x: Selection, y: Selection): boolean {
  const mx = minMet(model, x.degree, x.potential)
  const my = minMet(model, y.degree, y.potential)
  if (x.fairnessLevel !== y.fairnessLevel) return x.fairnessLevel < y.fairnessLevel
  if (mx !== my) return mx < my
  if (x.meetings !== y.meetings) return x.meetings < y.meetings
  return x.optimum < y.optimum - 1e-9
}

function better(x: Quality, y: Quality): boolean {
  if (x.fairness !== y.fairness) return x.fairness > y.fairness
  if (x.minimum !== y.minimum) return x.minimum > y.minimum
  if (x.meetings !== y.meetings) return x.meetings > y.meetings
  return x.score > y.score + 1e-9
}

/** Meetings counted towards the participants' minMeetings (capped by what they can have). */
function minMet(model: Model, degree: Int32Array, potential: Int32Array): number {
  let s = 0
  for (let p = 0; p < model.nA + model.nC; p++) s += Math.min(degree[p]!, model.minMeetings[p]!, potential[p]!)
  return s
}

/**
 * Fills free seats with allowed pairs not in the schedule, participants below their fairness
 * target first, then by score; a pair goes to the first round where both are free. Returns the count.
 */
function refill(model: Model, sched: Schedule, target: Int32Array): number {
  const { nA, nC } = model
  const chosen = new Set<number>()
  for (let e = 0; e < sched.edgeCount; e++) chosen.add(sched.ea[e]! * nC + (sched.ec[e]! - nA))
  const degree = new Int32Array(nA + nC)
  for (let e = 0; e < sched.edgeCount; e++) {
    if (sched.round[e]! > 0) {
      degree[sched.ea[e]!]!++
      degree[sched.ec[e]!]!++
    }
  }
  const extra: number[] = []
  for (let k = 0; k < nA * nC; k++) if (model.allowed[k] && !chosen.has(k)) extra.push(k)
  const need = (k: number): number => {
    const a = Math.floor(k / nC)
    const p = nA + k - a * nC
    return (degree[a]! < target[a]! ? 1 : 0) + (degree[p]! < target[p]! ? 1 : 0)
  }
  extra.sort((x, y) => need(y) - need(x) || model.score[y]! - model.score[x]! || x - y)
  let added = 0
  for (const k of extra) {
    const a = Math.floor(k / nC)
    const c = k - a * nC
    if (degree[a]! >= model.maxMeetings[a]! || degree[nA + c]! >= model.maxMeetings[nA + c]!) continue
    const lo = Math.max(model.arrive[a]!, model.arrive[nA + c]!, model.frozenBefore)
    const hi = Math.min(model.leave[a]!, model.leave[nA + c]!)
    let round = 0
    for (let r = lo; r <= hi && round === 0; r++) {
      if (sched.free(a, r) && sched.free(nA + c, r) && sched.count[r]! < sched.capacity) round = r
    }
    if (round === 0) continue
    sched.place(sched.addEdge(a, c), round)
    added++
    degree[a]!++
    degree[nA + c]!++
  }
  return added
}

/**
 * Score hill-climbing on a placed schedule: a meeting (a, c) in round r is replaced by (a, c') or
 * (a', c) free in r with a higher score, when nobody falls below its fairness target or above its
 * maximum. Meetings count and fairness never decrease. Returns the number of replacements.
 */
function improveScore(model: Model, sched: Schedule, target: Int32Array): number {
  const { nA, nC } = model
  const P = nA + nC
  const degree = new Int32Array(P)
  const met = new Set<number>()
  for (let e = 0; e < sched.edgeCount; e++) {
    met.add(sched.ea[e]! * nC + (sched.ec[e]! - nA))
    if (sched.round[e]! > 0) {
      degree[sched.ea[e]!]!++
      degree[sched.ec[e]!]!++
    }
  }
  let changes = 0
  for (let pass = 0; pass < 5; pass++) {
    let improved = false
    for (let e = 0; e < sched.edgeCount; e++) {
      const r = sched.round[e]!
      if (r === 0 || sched.fixed[e] || sched.required[e]) continue
      const a = sched.ea[e]!
      const p = sched.ec[e]!
      const current = model.score[a * nC + (p - nA)]!
      let best = -1
      let bestScore = current + 1e-9
      // keep a, change the company
      if (degree[p]! > target[p]!) {
        for (let c = 0; c < nC; c++) {
          const k = a * nC + c
          const q = nA + c
          if (!model.allowed[k] || met.has(k) || model.score[k]! <= bestScore) continue
          if (!sched.free(q, r) || r < model.arrive[q]! || r > model.leave[q]! || degree[q]! >= model.maxMeetings[q]!) continue
          best = k
          bestScore = model.score[k]!
        }
      }
      // keep the company, change the association
      if (degree[a]! > target[a]!) {
        for (let x = 0; x < nA; x++) {
          const k = x * nC + (p - nA)
          if (!model.allowed[k] || met.has(k) || model.score[k]! <= bestScore) continue
          if (!sched.free(x, r) || r < model.arrive[x]! || r > model.leave[x]! || degree[x]! >= model.maxMeetings[x]!) continue
          best = k
          bestScore = model.score[k]!
        }
      }
      if (best < 0) continue
      const na = Math.floor(best / nC)
      const nc = best - na * nC
      sched.unplace(e)
      degree[a]!--
      degree[p]!--
      met.delete(a * nC + (p - nA))
      // the old edge stays in the list, unplaced; the new one takes its round
      sched.place(sched.addEdge(na, nc), r)
      degree[na]!++
      degree[nA + nc]!++
      met.add(best)
      changes++
      improved = true
    }
    if (!improved) break
  }
  return changes
}

/** min(L reached, potential) per participant: what score moves must not go below. */
function reachedTarget(model: Model, sched: Schedule, selection: Selection): Int32Array {
  const L = evaluate(model, sched, selection).fairness
  const target = new Int32Array(model.nA + model.nC)
  for (let p = 0; p < target.length; p++) {
    const pot = selection.potential[p]!
    target[p] = Math.max(Math.min(L, pot), Math.min(model.minMeetings[p]!, pot))
  }
  return target
}

/**
 * Round re-matching: the people who meet in a round stay the same, but who meets whom in that
 * round is re-optimised (maximum-score perfect matching by min-cost flow, among pairs that do not
 * meet in another round). Everyone's rounds are unchanged, so fairness, minMeetings, the number of
 * meetings and idle rounds are too; only the score can rise. Fixed and required meetings stay.
 */
function rematchRounds(model: Model, sched: Schedule): number {
  const { nA, nC, rounds: R } = model
  let gained = 0
  for (let pass = 0; pass < 3; pass++) {
    let improved = false
    for (let r = model.frozenBefore; r <= R; r++) {
      const edges: number[] = []
      for (let e = 0; e < sched.edgeCount; e++) if (sched.round[e] === r && !sched.fixed[e] && !sched.required[e]) edges.push(e)
      if (edges.length < 2) continue
      const met = new Set<number>()
      for (let e = 0; e < sched.edgeCount; e++) {
        if (sched.round[e]! > 0 && sched.round[e] !== r) met.add(sched.ea[e]! * nC + (sched.ec[e]! - nA))
      }
      const as = edges.map((e) => sched.ea[e]!)
      const cs = edges.map((e) => sched.ec[e]! - nA)
      const n = edges.length
      const net = new FlowNetwork(2 * n + 2)
      const s = 2 * n
      const t = s + 1
      for (let i = 0; i < n; i++) {
        net.addEdge(s, i, 1)
        net.addEdge(n + i, t, 1)
      }
      const arcs: [number, number, number][] = []
      for (let i = 0; i < n; i++) {
        for (let j = 0; j < n; j++) {
          const k = as[i]! * nC + cs[j]!
          if (!model.allowed[k] || met.has(k)) continue
          arcs.push([net.addEdge(i, n + j, 1, -1, -model.score[k]!), i, j])
        }
      }
      let before = 0
      for (const e of edges) before += model.score[sched.ea[e]! * nC + (sched.ec[e]! - nA)]!
      const result = net.minCostFlow(s, t)
      if (result.flow < n || -result.minor <= before + 1e-9) continue
      for (const e of edges) sched.unplace(e)
      for (const [arc, i, j] of arcs) if (net.flow(arc) > 0.5) sched.place(sched.addEdge(as[i]!, cs[j]!), r)
      gained += -result.minor - before
      improved = true
    }
    if (!improved) break
  }
  return gained
}
