/**
 * The named predictors the lab reads on held pairs (README "Lab metrics"), and
 * the reports built on them: each predictor's AUC for conversion and for
 * mutual interest over exactly the pairs where it is present, the paired
 * comparison of two predictors, and the score's calibration by decile.
 * Missing is null, never 0. Conversion leaves out pairs whose outcome is
 * unknown; mutual interest reads every held pair.
 *
 * The engine's parts (offers/needs, themes, territory, distance, size, wishes)
 * are not stored with the meetings (only reasons in words), so only the
 * score is given; shared themes and the stated wishes stand for two parts.
 */
import { conversionBase } from './metrics.ts'
import { WISH_VALUE, type PairData } from './pair-records.ts'
import {
  calibrationByDecile, compare, outcomeOf, predictorAuc, type Calibration, type Outcome, type Predictor,
  type PredictorAuc, type PredictorComparison, type PredictorOptions,
} from './stats/index.ts'
import { PREDICTOR_PREFIX } from './history-import.ts'

/** Modest so that a request stays fast; seeded so that the same data give the same intervals. */
export const LAB_BOOTSTRAP: PredictorOptions = { seed: 1, replicates: 500 }

const both = (a: number | null, b: number | null, f: (a: number, b: number) => number): number | null => (a === null || b === null ? null : f(a, b))
const wish = (r: PairData, side: 'association' | 'company') => {
  const w = r.extras.wish[side]
  return w === null ? null : WISH_VALUE[w]
}

/** Predictors every pair may carry. */
export const builtinPredictors: readonly Predictor<PairData>[] = [
  { name: 'score', value: (r) => r.score },
  { name: 'shared_themes', value: (r) => r.sharedThemes.length },
  { name: 'wish_association', value: (r) => wish(r, 'association') },
  { name: 'wish_company', value: (r) => wish(r, 'company') },
  { name: 'wish_sum', value: (r) => both(wish(r, 'association'), wish(r, 'company'), (a, b) => a + b) },
  { name: 'popularity_wishes', value: (r) => r.extras.popularity.wishes },
  { name: 'popularity_ratings', value: (r) => r.extras.popularity.ratings },
  { name: 'interest_sum', value: (r) => both(r.extras.interestNorm.association, r.extras.interestNorm.company, (a, b) => a + b) },
  { name: 'interest_min', value: (r) => both(r.extras.interestNorm.association, r.extras.interestNorm.company, Math.min) },
]

/** The built-in predictors and every lab-supplied one (`predictor:NAME`) found on the rows. */
export function predictorsOf(rows: readonly PairData[]): Predictor<PairData>[] {
  const names = [...new Set(rows.flatMap((r) => Object.keys(r.extras.labPredictors)))].sort()
  return [
    ...builtinPredictors,
    ...names.map((name) => ({ name: `${PREDICTOR_PREFIX}${name}`, value: (r: PairData) => r.extras.labPredictors[name] ?? null })),
  ]
}

/** The rows an outcome is read on: held pairs; for conversion, with a known outcome. */
export function rowsFor(rows: readonly PairData[], outcome: Outcome): PairData[] {
  return rows.filter((r) => r.held && (outcome === 'mutual' || conversionBase(r)))
}

/** Each predictor's AUC for conversion, then for mutual interest. */
export function predictorTable(rows: readonly PairData[], options: PredictorOptions = LAB_BOOTSTRAP): PredictorAuc[] {
  const predictors = predictorsOf(rows)
  return (['conversion', 'mutual'] as const).flatMap((outcome) => {
    const base = rowsFor(rows, outcome)
    return predictors.map((p) => predictorAuc(base, p, outcome, options))
  })
}

/** Paired comparison of two named predictors; null when a name is unknown. */
export function comparePredictors(rows: readonly PairData[], a: string, b: string, outcome: Outcome, options: PredictorOptions = LAB_BOOTSTRAP): PredictorComparison | null {
  const predictors = predictorsOf(rows)
  const pa = predictors.find((p) => p.name === a)
  const pb = predictors.find((p) => p.name === b)
  if (!pa || !pb) return null
  return compare(rowsFor(rows, outcome), pa, pb, outcome, options)
}

/** Observed conversion by decile of the score (pairs with a score and a known outcome). */
export function scoreCalibration(rows: readonly PairData[]): Calibration {
  return calibrationByDecile(rowsFor(rows, 'conversion').map((r) => ({ predicted: r.score, observed: outcomeOf(r, 'conversion') })))
}
