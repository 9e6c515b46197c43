/**
 * The named predictors the lab reads on held pairs (README "Lab metrics"), and
 * the reports built on them: each predictor's AUC for conversion and for
 * mutual interest over exactly the pairs where it is present, the paired
 * comparison of two predictors, and the score's calibration by decile.
 * Missing is null, never 0. Conversion leaves out pairs whose outcome is
 * unknown; mutual interest reads every held pair.
 *
 * The engine's parts (offers/needs, themes, territory, distance, size, wishes)
 * are not stored with the meetings (only reasons in words): pair-records.ts
 * recomputes them from the organisations' current profiles and the wishes.
 */
import { conversionBase, wilson } from './metrics.ts'
import { ENGINE_PARTS, WISH_VALUE, type EnginePart, type PairData } from './pair-records.ts'
import {
  calibrationByDecile, clusterBootstrap, compare, pairDesign, logisticRegression, outcomeOf, planTrial, predictorAuc, twoSidedP, type Calibration, type Outcome,
  type Predictor, type PredictorAuc, type PredictorComparison, type PredictorOptions, type TrialPlan,
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
  ...ENGINE_PARTS.map((part) => ({ name: `part_${part}`, value: (r: PairData) => r.extras.parts[part] })),
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

/** A predictor by name, or a numeric covariate (`covariate:NAME`, read as a number; not a number = missing). */
export function variableOf(rows: readonly PairData[], name: string): Predictor<PairData> | null {
  if (name.startsWith('covariate:')) {
    const key = name.slice('covariate:'.length)
    return {
      name,
      value: (r) => {
        const cell = r.extras.covariates[key]
        if (cell === undefined) return null
        const n = Number(cell.trim().replace(',', '.'))
        return cell.trim() !== '' && Number.isFinite(n) ? n : null
      },
    }
  }
  return predictorsOf(rows).find((p) => p.name === name) ?? null
}

export interface LogisticTerm {
  name: string
  coefficient: number
  /** model-based standard error */
  se: number
  /** cluster-robust (CR1, clusters = events) standard error; null with one event */
  robustSe: number | null
  /** Wald z and two-sided p on the robust SE when there is one, else on the model-based SE */
  z: number
  p: number
  oddsRatio: number
}

export interface LogisticReport {
  outcome: Outcome
  /** held pairs where every variable is present (complete cases) */
  n: number
  positives: number
  events: number
  terms: LogisticTerm[]
  converged: boolean
  separation: boolean
  seMethod: 'cluster-robust' | 'model-based'
}

/**
 * Logistic model of the outcome on the named variables (complete cases), with
 * standard errors robust to clustering by event (stats/logistic.ts). Null
 * when a name is unknown; `terms` empty without both outcomes among the rows.
 */
export function logisticModel(rows: readonly PairData[], names: readonly string[], outcome: Outcome): LogisticReport | null {
  const variables = names.map((n) => variableOf(rows, n))
  if (variables.some((v) => v === null)) return null
  const vs = variables as Predictor<PairData>[]
  const complete = rowsFor(rows, outcome).filter((r) => vs.every((v) => isPresentValue(v.value(r))))
  const y = complete.map((r) => outcomeOf(r, outcome))
  const positives = y.filter(Boolean).length
  const events = new Set(complete.map((r) => r.eventId)).size
  const base = { outcome, n: complete.length, positives, events }
  if (positives === 0 || positives === complete.length || complete.length <= vs.length + 1) {
    return { ...base, terms: [], converged: false, separation: false, seMethod: 'model-based' }
  }
  const fit = logisticRegression(complete.map((r) => vs.map((v) => v.value(r) as number)), y, { clusters: complete.map((r) => r.eventId) })
  const robust = fit.robust
  const terms = ['(intercept)', ...names].map((name, i) => {
    const coefficient = fit.coefficients[i]!
    const se = fit.se[i]!
    const robustSe = robust ? robust.se[i]! : null
    const z = coefficient / (robustSe ?? se)
    return { name, coefficient, se, robustSe, z, p: twoSidedP(z), oddsRatio: Math.exp(coefficient) }
  })
  return { ...base, terms, converged: fit.converged, separation: fit.separation, seMethod: robust ? 'cluster-robust' : 'model-based' }
}

const isPresentValue = (v: number | null | undefined): v is number => typeof v === 'number' && Number.isFinite(v)

/** Events per arm for a cluster-randomised trial reaching `target`, from the ICC and sizes of the events read. */
export function trialPlan(rows: readonly PairData[], target: number, outcome: Outcome, options: { alpha?: number; power?: number } = {}): TrialPlan {
  return planTrial(rowsFor(rows, outcome), target, { outcome, ...options })
}

export interface ArmRow {
  outcome: Outcome
  arm: string
  /** the arm the others are compared with: 'engine' when there is one, else the first by name */
  reference: boolean
  /** held pairs of the arm (conversion: with a known outcome) */
  n: number
  positives: number
  rate: number | null
  /** Wilson 95 % interval of the rate (pairs taken as independent) */
  wilson: [number, number] | null
  /** rate − reference rate */
  diff: number | null
  /** cluster bootstrap (events, then participants; seeded) of the difference */
  ci95: [number, number] | null
  p: number | null
  ciMethod: 'cluster-bootstrap'
}

/**
 * Outcome rates by arm of a randomised comparison of strategies, each arm
 * against the reference arm with a cluster-bootstrap interval of the
 * difference (pairs of one event and of one participant are not independent).
 */
export function armComparison(rows: readonly PairData[], options: PredictorOptions = LAB_BOOTSTRAP): ArmRow[] {
  const seed = options.seed ?? 1
  const replicates = options.replicates ?? 500
  return (['conversion', 'mutual'] as const).flatMap((outcome) => {
    const base = rowsFor(rows, outcome).filter((r) => r.extras.arm !== null)
    const arms = [...new Set(base.map((r) => r.extras.arm!))].sort()
    if (arms.length === 0) return []
    const reference = arms.includes('engine') ? 'engine' : arms[0]!
    const rate = (rs: readonly PairData[], arm: string): number | null => {
      const of = rs.filter((r) => r.extras.arm === arm)
      return of.length === 0 ? null : of.filter((r) => outcomeOf(r, outcome)).length / of.length
    }
    return arms.map((arm) => {
      const of = base.filter((r) => r.extras.arm === arm)
      const positives = of.filter((r) => outcomeOf(r, outcome)).length
      const w = wilson(positives, of.length)
      const row: ArmRow = {
        outcome, arm, reference: arm === reference, n: of.length, positives, rate: of.length ? positives / of.length : null,
        wilson: w ? [w.low, w.high] : null, diff: null, ci95: null, p: null, ciMethod: 'cluster-bootstrap',
      }
      if (arm === reference) return row
      const two = base.filter((r) => r.extras.arm === arm || r.extras.arm === reference)
      const difference = (rs: readonly PairData[]) => {
        const a = rate(rs, arm)
        const b = rate(rs, reference)
        return a === null || b === null ? null : a - b
      }
      const boot = clusterBootstrap(two, difference, pairDesign, { seed, replicates })
      return { ...row, diff: difference(two), ci95: boot.ci ? [boot.ci.low, boot.ci.high] : null, p: boot.pZero }
    })
  })
}

/** Default weight of each engine part (solver/scoring.ts DEFAULT_WEIGHTS; wishes: must 6, like 3, mutual 5 scale together). */
const PART_DEFAULTS: Record<EnginePart, Record<string, number>> = {
  offers_needs: { offerMeetsNeed: 3 },
  themes: { sharedTheme: 2 },
  territory: { sharedTerritory: 1 },
  distance: { proximity: 2 },
  size: { sizeFit: 1 },
  wishes: { wishMust: 6, wishLike: 3, mutualBonus: 5 },
}

export interface LearnedWeights {
  outcome: Outcome
  /** held pairs (conversion: known outcome) and events used */
  n: number
  events: number
  l2: number
  /** per part: multiplier of its default contribution (the logistic coefficient on the part at its default weight) */
  coefficients: Record<EnginePart, number> | null
  /** the solver's weights, default × max(0, coefficient) / mean coefficient; null when the mean coefficient is not positive */
  weights: Record<string, number> | null
  /** leave-one-event-out: each event's pairs scored by weights fitted on the other events, against the default score (sum of the parts) */
  leaveOneEventOut: PredictorComparison | null
}

const partsRow = (r: PairData): number[] => ENGINE_PARTS.map((p) => r.extras.parts[p] ?? 0)
const round2 = (x: number) => Math.round(x * 100) / 100

/**
 * Scoring weights learned from outcomes: ridge-penalised logistic regression
 * of the outcome on the engine's parts (a missing part counts as the engine
 * counts it, 0), and their leave-one-event-out AUC against the default
 * weights with the paired comparison (needs 2 events or more).
 */
export function learnWeights(rows: readonly PairData[], outcome: Outcome, options: { l2?: number; validate?: boolean } & PredictorOptions = {}): LearnedWeights {
  const l2 = options.l2 ?? 1
  const base = rowsFor(rows, outcome)
  const events = [...new Set(base.map((r) => r.eventId))].sort()
  const y = (rs: readonly PairData[]) => rs.map((r) => outcomeOf(r, outcome))
  const fit = (rs: readonly PairData[]) => {
    const ys = y(rs)
    const positives = ys.filter(Boolean).length
    if (positives === 0 || positives === rs.length) return null
    return logisticRegression(rs.map(partsRow), ys, { l2 })
  }
  const all = fit(base)
  const coefficients = all ? (Object.fromEntries(ENGINE_PARTS.map((p, i) => [p, all.coefficients[i + 1]!])) as Record<EnginePart, number>) : null
  let weights: Record<string, number> | null = null
  if (coefficients) {
    const mean = ENGINE_PARTS.reduce((t, p) => t + coefficients[p], 0) / ENGINE_PARTS.length
    if (mean > 0) {
      weights = Object.fromEntries(
        ENGINE_PARTS.flatMap((p) => Object.entries(PART_DEFAULTS[p]).map(([k, w]) => [k, round2((w * Math.max(0, coefficients[p])) / mean)])),
      )
    }
  }
  let leaveOneEventOut: PredictorComparison | null = null
  if (events.length >= 2 && options.validate !== false) {
    const predicted = new Map<PairData, number>()
    for (const e of events) {
      const model = fit(base.filter((r) => r.eventId !== e))
      if (!model) continue
      for (const r of base.filter((x) => x.eventId === e)) {
        predicted.set(r, partsRow(r).reduce((t, v, i) => t + v * model.coefficients[i + 1]!, model.coefficients[0]!))
      }
    }
    leaveOneEventOut = compare(
      base,
      { name: 'learned_weights', value: (r) => predicted.get(r) ?? null },
      { name: 'default_weights', value: (r) => partsRow(r).reduce((t, v) => t + v, 0) },
      outcome,
      { ...LAB_BOOTSTRAP, ...options },
    )
  }
  return { outcome, n: base.length, events: events.length, l2, coefficients, weights, leaveOneEventOut }
}
