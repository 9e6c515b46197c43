/**
 * The solver's public API: pure functions, no I/O, deterministic for a given options.seed.
 *
 *   const parsed = parseInstance(json)
 *   if (parsed.ok) { const result = solve(parsed.instance) }
 */
import { replanInstance } from './rounds/replan.ts'
import { solveInstance } from './solve.ts'
import type { Instance, ReplanSituation, SolveHooks, SolveResult } from './types.ts'

export { parseInstance, type ParseResult } from './parse.ts'
export { scorePairs, forbiddenByWishes, type PairScores } from './scoring.ts'
export { proposeFollowUps } from './proposals.ts'
export { checkSchedule } from './check.ts'
export * from './types.ts'

/**
 * Plans the evening. Objectives, in this order: fairness level L (everyone gets at least
 * min(L, what its presence and allowed partners permit) meetings), then minMeetings, then the number
 * of meetings, the total score, the fewest idle rounds, and the simple rotation where it is free.
 * `bound` is a proven upper bound on the objective; status 'optimal' means objective == bound with
 * fairness and meeting count proven optimal. Never throws on an impossible instance: returns
 * status 'infeasible' with `reason` in words. `hooks.onProgress` hears the phase and the share done.
 */
export function solve(instance: Instance, hooks: SolveHooks = {}): SolveResult {
  return solveInstance(instance, {}, hooks)
}

/**
 * Re-plans the rounds >= situation.fromRound: played rounds are kept as they were, no pair meets
 * twice, absentees are removed and walk-ins added.
 */
export function replan(instance: Instance, situation: ReplanSituation, hooks: SolveHooks = {}): SolveResult {
  return replanInstance(instance, situation, hooks)
}
