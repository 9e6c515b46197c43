/**
 * Calibration of a predictor against an observed 0/1 outcome, by quantile bins
 * (deciles by default): in each bin the mean predictor value, the observed
 * rate and its Wilson (1927) 95 % score interval (metrics.ts `wilson`).
 * A reliability diagram plots observed against mean predicted (Hosmer,
 * Lemeshow & Sturdivant 2013, Applied Logistic Regression, "deciles of risk").
 */
import { wilson, type Interval } from '../metrics.ts'
import { isPresent, type Maybe } from './auc.ts'
import { logisticRegression } from './logistic.ts'

export interface CalibrationBin {
  /** 1 = lowest predictor values */
  bin: number
  n: number
  /** smallest and largest predictor value in the bin */
  min: number
  max: number
  meanPredicted: number
  observed: number
  observedRate: number
  /** Wilson 95 % interval of the observed rate */
  ci: Interval
}

export interface Calibration {
  /** rows with the predictor present */
  n: number
  /** rows left out: predictor missing */
  missing: number
  bins: CalibrationBin[]
}

/**
 * Bins rows with the predictor present by its quantiles: sorted by predictor,
 * bin = floor(bins · rank / n) + 1 with rank the 0-based position of the first
 * row of equal value, so equal values share a bin (the rule of metrics.ts
 * `scoreDeciles`); empty bins are left out, so ties can give fewer bins.
 */
export function calibrationByQuantile(rows: readonly { predicted: Maybe; observed: boolean | 0 | 1 }[], bins = 10): Calibration {
  if (!(Number.isInteger(bins) && bins >= 1)) throw new RangeError('calibrationByQuantile: bins must be a positive integer')
  const present = rows.filter((r) => isPresent(r.predicted)) as { predicted: number; observed: boolean | 0 | 1 }[]
  const sorted = present.slice().sort((a, b) => a.predicted - b.predicted)
  const n = sorted.length
  const groups = new Map<number, { predicted: number; observed: boolean | 0 | 1 }[]>()
  let firstRank = 0
  for (let i = 0; i < n; i++) {
    if (i > 0 && sorted[i]!.predicted !== sorted[i - 1]!.predicted) firstRank = i
    const b = Math.floor((bins * firstRank) / n) + 1
    const g = groups.get(b)
    if (g) g.push(sorted[i]!)
    else groups.set(b, [sorted[i]!])
  }
  return {
    n,
    missing: rows.length - n,
    bins: [...groups.entries()]
      .sort(([a], [b]) => a - b)
      .map(([bin, g]) => {
        const observed = g.filter((r) => r.observed === true || r.observed === 1).length
        return {
          bin,
          n: g.length,
          min: g[0]!.predicted,
          max: g[g.length - 1]!.predicted,
          meanPredicted: g.reduce((s, r) => s + r.predicted, 0) / g.length,
          observed,
          observedRate: observed / g.length,
          ci: wilson(observed, g.length)!,
        }
      }),
  }
}

/** Calibration by deciles of the predictor. */
export function calibrationByDecile(rows: readonly { predicted: Maybe; observed: boolean | 0 | 1 }[]): Calibration {
  return calibrationByQuantile(rows, 10)
}

export interface CalibrationSlope {
  /** rows with a predicted probability strictly inside (0, 1) */
  n: number
  /** a in logit P(y = 1) = a + b · logit(p̂); 0 when calibrated */
  intercept: number
  /** b; 1 when calibrated, < 1 when predictions are too extreme */
  slope: number
  /** model-based SEs of intercept and slope, or CR1 cluster-robust ones when clusters are given */
  se: [number, number]
  seMethod: 'model' | 'cluster-robust'
  converged: boolean
}

/**
 * Calibration intercept and slope of predicted probabilities (Cox 1958,
 * Biometrika 45; Steyerberg 2019, Clinical Prediction Models): logistic
 * regression of the outcome on logit(p̂). Rows with p̂ missing or outside
 * (0, 1) are left out; null with fewer than 3 rows or a single p̂ value.
 * With `cluster`, the SEs are cluster-robust (logistic.ts, CR1).
 */
export function calibrationSlope(
  rows: readonly { predicted: Maybe; observed: boolean | 0 | 1; cluster?: string }[],
): CalibrationSlope | null {
  const used = rows.filter((r) => isPresent(r.predicted) && r.predicted > 0 && r.predicted < 1) as { predicted: number; observed: boolean | 0 | 1; cluster?: string }[]
  if (used.length < 3 || new Set(used.map((r) => r.predicted)).size < 2) return null
  const clustered = used.every((r) => r.cluster !== undefined)
  const fit = logisticRegression(
    used.map((r) => [Math.log(r.predicted / (1 - r.predicted))]),
    used.map((r) => (r.observed === true || r.observed === 1 ? 1 : 0)),
    clustered ? { clusters: used.map((r) => r.cluster!) } : {},
  )
  const se = fit.robust ? fit.robust.se : fit.se
  return {
    n: used.length,
    intercept: fit.coefficients[0]!,
    slope: fit.coefficients[1]!,
    se: [se[0]!, se[1]!],
    seMethod: fit.robust ? 'cluster-robust' : 'model',
    converged: fit.converged,
  }
}
