/**
 * ROC AUC of a predictor for a 0/1 outcome, over the rows where the predictor
 * is present (null, undefined or NaN = missing, never 0), with:
 * - the Hanley–McNeil (1982) standard error and 95 % interval, as
 *   src/domain/metrics.ts `rocAuc` computes them (reused, not copied);
 * - the DeLong, DeLong & Clarke-Pearson (1988) variance of one AUC and of the
 *   difference of two correlated AUCs measured on the same rows, from the
 *   structural components (placement values), computed with midranks
 *   (Sun & Xu 2014, IEEE Signal Process Lett 21(11)) in O(N log N).
 *
 * These intervals treat the rows as independent; for pairs clustered in events
 * and participants, see bootstrap.ts.
 */
import { rocAuc, Z95, type Interval } from '../metrics.ts'
import { normalQuantile, twoSidedP } from './normal.ts'

export type Maybe = number | null | undefined

/** A value is present when it is a finite number: null, undefined and NaN are missing. */
export function isPresent(v: Maybe): v is number {
  return typeof v === 'number' && Number.isFinite(v)
}

export interface Scored {
  score: Maybe
  positive: boolean
}

/**
 * Midranks (1-based, ties get the average of the ranks they span) of `xs`, in
 * the order of `xs`.
 */
export function midranks(xs: readonly number[]): number[] {
  const order = xs.map((_, i) => i).sort((i, j) => xs[i]! - xs[j]!)
  const ranks = new Array<number>(xs.length)
  for (let i = 0; i < order.length; ) {
    let j = i
    while (j + 1 < order.length && xs[order[j + 1]!] === xs[order[i]!]) j++
    const r = (i + j) / 2 + 1
    for (let k = i; k <= j; k++) ranks[order[k]!] = r
    i = j + 1
  }
  return ranks
}

/**
 * Mann–Whitney AUC: P(score of a random positive > score of a random
 * negative) + ½ P(tie). Null without at least one positive and one negative.
 * Missing scores are left out.
 */
export function aucValue(items: readonly Scored[]): number | null {
  const pos: number[] = []
  const neg: number[] = []
  for (const it of items) if (isPresent(it.score)) (it.positive ? pos : neg).push(it.score)
  if (pos.length === 0 || neg.length === 0) return null
  const ranks = midranks([...pos, ...neg])
  let rankSumPos = 0
  for (let i = 0; i < pos.length; i++) rankSumPos += ranks[i]!
  return (rankSumPos - (pos.length * (pos.length + 1)) / 2) / (pos.length * neg.length)
}

/**
 * DeLong structural components of positives `pos` and negatives `neg`:
 * v10[i] = mean over negatives j of ψ(pos[i], neg[j]),
 * v01[j] = mean over positives i of ψ(pos[i], neg[j]),
 * with ψ(x, y) = 1 if x > y, ½ if x = y, 0 otherwise; the AUC is the mean of
 * either. From midranks: v10[i] = (R(pos[i]) − Rpos(pos[i])) / n0 and
 * v01[j] = 1 − (R(neg[j]) − Rneg(neg[j])) / n1, R = midrank among all,
 * Rpos/Rneg = midrank within the group (Sun & Xu 2014).
 */
export function structuralComponents(pos: readonly number[], neg: readonly number[]): { auc: number; v10: number[]; v01: number[] } {
  const n1 = pos.length
  const n0 = neg.length
  const all = midranks([...pos, ...neg])
  const rp = midranks(pos)
  const rn = midranks(neg)
  const v10 = pos.map((_, i) => (all[i]! - rp[i]!) / n0)
  const v01 = neg.map((_, j) => 1 - (all[n1 + j]! - rn[j]!) / n1)
  const auc = v10.reduce((s, v) => s + v, 0) / n1
  return { auc, v10, v01 }
}

function mean(xs: readonly number[]): number {
  return xs.reduce((s, v) => s + v, 0) / xs.length
}

/** Sample covariance (denominator n − 1). */
function covariance(xs: readonly number[], ys: readonly number[]): number {
  const mx = mean(xs)
  const my = mean(ys)
  let s = 0
  for (let i = 0; i < xs.length; i++) s += (xs[i]! - mx) * (ys[i]! - my)
  return s / (xs.length - 1)
}

const clamp01 = (x: number) => Math.min(1, Math.max(0, x))

export interface AucEstimate {
  auc: number
  /** rows used: the predictor present (positives + negatives) */
  n: number
  positives: number
  negatives: number
  /** rows left out because the predictor is missing */
  missing: number
  /** Hanley–McNeil (1982) standard error and interval, clamped to [0, 1] */
  hanleyMcNeil: { se: number; ci: Interval }
  /** DeLong (1988) standard error and interval, clamped to [0, 1]; null with fewer than 2 positives or 2 negatives */
  delong: { se: number; ci: Interval } | null
}

/**
 * AUC of `score` for `positive` over the rows where the score is present, with
 * Hanley–McNeil and DeLong 95 % intervals (or at `level`). Null without at
 * least one positive and one negative among those rows.
 */
export function auc(items: readonly Scored[], level = 0.95): AucEstimate | null {
  const present = items.filter((it) => isPresent(it.score)) as { score: number; positive: boolean }[]
  const z = level === 0.95 ? Z95 : normalQuantile(1 - (1 - level) / 2)
  const hm = rocAuc(present, z)
  if (!hm) return null
  const d = delong(present, level)
  return {
    auc: hm.auc,
    n: present.length,
    positives: hm.positives,
    negatives: hm.negatives,
    missing: items.length - present.length,
    hanleyMcNeil: { se: hm.se, ci: hm.ci },
    delong: d ? { se: d.se, ci: d.ci } : null,
  }
}

export interface DelongAuc {
  auc: number
  /** S10/n1 + S01/n0 */
  variance: number
  se: number
  ci: Interval
  n: number
  positives: number
  negatives: number
}

/**
 * DeLong (1988) variance of one AUC: Var = S10/n1 + S01/n0 with S10, S01 the
 * sample variances (denominator n − 1) of the structural components.
 * Missing scores left out; null with fewer than 2 positives or 2 negatives.
 */
export function delong(items: readonly Scored[], level = 0.95): DelongAuc | null {
  const pos: number[] = []
  const neg: number[] = []
  for (const it of items) if (isPresent(it.score)) (it.positive ? pos : neg).push(it.score)
  if (pos.length < 2 || neg.length < 2) return null
  const { auc, v10, v01 } = structuralComponents(pos, neg)
  const variance = covariance(v10, v10) / pos.length + covariance(v01, v01) / neg.length
  const se = Math.sqrt(Math.max(0, variance))
  const z = level === 0.95 ? Z95 : normalQuantile(1 - (1 - level) / 2)
  return {
    auc,
    variance,
    se,
    ci: { low: clamp01(auc - z * se), high: clamp01(auc + z * se) },
    n: pos.length + neg.length,
    positives: pos.length,
    negatives: neg.length,
  }
}

export interface PairedScored {
  a: Maybe
  b: Maybe
  positive: boolean
}

export interface DelongComparison {
  /** rows where both predictors are present */
  n: number
  positives: number
  negatives: number
  aucA: number
  aucB: number
  /** aucA − aucB */
  diff: number
  /** Var(Â − B̂) = (S10_AA + S10_BB − 2 S10_AB)/n1 + (S01_AA + S01_BB − 2 S01_AB)/n0 */
  variance: number
  se: number
  /** diff / se; null when se = 0 */
  z: number | null
  /** two-sided p-value of z; 1 when diff = se = 0, null when se = 0 and diff ≠ 0 */
  p: number | null
  /** diff ± z(level) se, clamped to [−1, 1] */
  ci: Interval
}

/**
 * DeLong (1988) test of two correlated AUCs measured on the same rows (rows
 * where both predictors are present): the covariance of the two AUCs comes
 * from the covariances of their structural components. Null with fewer than
 * 2 positives or 2 negatives among those rows.
 */
export function delongCompare(items: readonly PairedScored[], level = 0.95): DelongComparison | null {
  const both = items.filter((it) => isPresent(it.a) && isPresent(it.b)) as { a: number; b: number; positive: boolean }[]
  const pos = both.filter((it) => it.positive)
  const neg = both.filter((it) => !it.positive)
  if (pos.length < 2 || neg.length < 2) return null
  const A = structuralComponents(pos.map((it) => it.a), neg.map((it) => it.a))
  const B = structuralComponents(pos.map((it) => it.b), neg.map((it) => it.b))
  const s10 = covariance(A.v10, A.v10) + covariance(B.v10, B.v10) - 2 * covariance(A.v10, B.v10)
  const s01 = covariance(A.v01, A.v01) + covariance(B.v01, B.v01) - 2 * covariance(A.v01, B.v01)
  const variance = Math.max(0, s10 / pos.length + s01 / neg.length)
  const se = Math.sqrt(variance)
  const diff = A.auc - B.auc
  const zq = level === 0.95 ? Z95 : normalQuantile(1 - (1 - level) / 2)
  const z = se > 0 ? diff / se : null
  return {
    n: both.length,
    positives: pos.length,
    negatives: neg.length,
    aucA: A.auc,
    aucB: B.auc,
    diff,
    variance,
    se,
    z,
    p: z !== null ? twoSidedP(z) : diff === 0 ? 1 : null,
    ci: { low: Math.max(-1, diff - zq * se), high: Math.min(1, diff + zq * se) },
  }
}
