/**
 * The one door to javascript-lp-solver. Its result object never leaves this file.
 *
 * Measured: the selection LP (totally unimodular, so its optimum is integral) is solved correctly up
 * to about 80 x 80 in under a second, 19 s at 100 x 100; it may report fractional values as
 * feasible, and checks its timeout only between branch-and-bound nodes. So it is only used to
 * cross-check the exact flow on small instances (tests), never in the main path on large ones.
 */
import lpModule, { type SolveResult as LpResult, type SolverAPI } from 'javascript-lp-solver'

// The typings describe the CommonJS build (default under .default); the ESM build has a real default.
const lpSolver: SolverAPI = (lpModule as unknown as { default?: SolverAPI }).default ?? (lpModule as unknown as SolverAPI)

export interface SelectionProblem {
  /** degree bounds per participant of each side */
  associations: { lower: number; upper: number }[]
  companies: { lower: number; upper: number }[]
  /** allowed pairs with their score */
  pairs: { a: number; c: number; score: number }[]
  /** exact number of meetings, when given */
  meetings?: number
}

export type LpSelection =
  | { status: 'optimal'; objective: number; chosen: number[]; integral: boolean }
  | { status: 'infeasible' | 'too-large' }

/** Largest model the adapter accepts (pairs); beyond it the LP engine is too slow to be trusted. */
export const LP_MAX_PAIRS = 2_500

/** Maximises the total score of the pairs subject to the degree bounds (and meeting count). */
export function solveSelectionLp(problem: SelectionProblem, timeoutMs = 5_000): LpSelection {
  if (problem.pairs.length > LP_MAX_PAIRS) return { status: 'too-large' }
  const constraints: Record<string, { min?: number; max?: number; equal?: number }> = {}
  problem.associations.forEach((b, i) => {
    constraints[`a${i}`] = { min: b.lower, max: b.upper }
  })
  problem.companies.forEach((b, j) => {
    constraints[`c${j}`] = { min: b.lower, max: b.upper }
  })
  if (problem.meetings !== undefined) constraints.total = { equal: problem.meetings }
  const variables: Record<string, Record<string, number>> = {}
  problem.pairs.forEach((p, k) => {
    constraints[`x${k}`] = { max: 1 }
    variables[`x${k}`] = { score: p.score, [`a${p.a}`]: 1, [`c${p.c}`]: 1, [`x${k}`]: 1, total: 1 }
  })
  const result = lpSolver.Solve({ optimize: 'score', opType: 'max', constraints, variables, options: { timeout: timeoutMs } }) as LpResult
  if (!result.feasible) return { status: 'infeasible' }
  const chosen: number[] = []
  let integral = true
  problem.pairs.forEach((_p, k) => {
    const v = result[`x${k}`]
    const x = typeof v === 'number' ? v : 0
    if (Math.abs(x - Math.round(x)) > 1e-6) integral = false
    if (x > 0.5) chosen.push(k)
  })
  return { status: 'optimal', objective: typeof result.result === 'number' ? result.result : 0, chosen, integral }
}
