/**
 * Seeded PRNG and a two-level cluster bootstrap for pair-level rows.
 *
 * Pairs of a speed-dating event are not independent: they share the event
 * (room, organiser, season) and each participant meets several partners. The
 * bootstrap therefore resamples the clusters, not the rows (Davison & Hinkley
 * 1997, §3.8 "hierarchical data"; Field & Welsh 2007, JRSS B 69(3), for
 * crossed designs):
 *
 * 1. draw as many events as there are, uniformly with replacement;
 * 2. within each drawn event, draw its participants of each side (associations,
 *    companies) separately, as many as the event has on that side, uniformly
 *    with replacement;
 * 3. a pair row of the event is kept when both its participants were drawn,
 *    repeated k_a × k_c times if its association was drawn k_a times and its
 *    company k_c times (and once more for each time the event itself was drawn).
 *
 * The expected multiplicity of every row is 1, so the resampled set has on
 * average as many rows as the original. Within an event this is the
 * "pigeonhole" bootstrap of a crossed design (Owen 2007, Ann Appl Stat 1(2)).
 *
 * Events and participants are taken in the sorted order of their ids, so the
 * same rows (in any order) and the same seed give the same resamples and the
 * same interval.
 *
 * Trade-off: drawing at both levels counts the pair-level noise more than
 * once, so the interval is conservative: about 1.5 times the row-bootstrap SE
 * on independent rows with 4 × 4 pairs per event, and about 1.6 times the true
 * SD with event and participant effects (bootstrap.test.ts,
 * simulation.test.ts). Events alone (omit `members`) are enough when there
 * are many events (Davison & Hinkley 1997, §3.8) but too narrow with a few
 * (10 % instead of 5 % false positives with 8 events in our simulations); the
 * second level errs on the safe side, which suits a lab with a few events.
 */
import { mulberry32 } from '../../../solver/rounds/rng.ts'
import { isPresent, type Maybe } from './auc.ts'
import type { Interval } from '../metrics.ts'

/** A uniform generator on [0, 1). */
export type Rng = () => number

/** The seeded generator of the resampling (mulberry32, shared with the solver). */
export { mulberry32 }

/** Uniform integer in 0..n−1. */
export function randomIndex(rng: Rng, n: number): number {
  return Math.min(n - 1, Math.floor(rng() * n))
}

/** How rows are clustered: the event of a row, and its participants, one per side. */
export interface ClusterDesign<R> {
  cluster: (row: R) => string
  /**
   * Participant ids of the row, one per side (e.g. [associationId, companyId]);
   * each side is resampled separately within the cluster. Omitted = one-level
   * bootstrap (whole clusters only).
   */
  members?: (row: R) => readonly string[]
}

interface PreparedCluster {
  /** indexes of the cluster's rows in the input */
  rows: Int32Array
  /** per side, the number of distinct participants of the cluster */
  poolSizes: number[]
  /** per side, per row of the cluster, the index of its participant in the sorted pool */
  memberIndex: Int32Array[]
}

const byId = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0)

function prepare<R>(rows: readonly R[], design: ClusterDesign<R>): PreparedCluster[] {
  const groups = new Map<string, number[]>()
  rows.forEach((r, i) => {
    const k = design.cluster(r)
    const g = groups.get(k)
    if (g) g.push(i)
    else groups.set(k, [i])
  })
  return [...groups.keys()].sort(byId).map((k) => {
    const clusterRows = groups.get(k)!
    if (!design.members) return { rows: Int32Array.from(clusterRows), poolSizes: [], memberIndex: [] }
    const members = clusterRows.map((i) => design.members!(rows[i]!))
    const sides = members[0]?.length ?? 0
    const poolSizes: number[] = []
    const memberIndex: Int32Array[] = []
    for (let s = 0; s < sides; s++) {
      const pool = [...new Set(members.map((m) => m[s] ?? ''))].sort(byId)
      const lookup = new Map(pool.map((id, i) => [id, i]))
      poolSizes.push(pool.length)
      memberIndex.push(Int32Array.from(members, (m) => lookup.get(m[s] ?? '')!))
    }
    return { rows: Int32Array.from(clusterRows), poolSizes, memberIndex }
  })
}

/** Multiplicity of every input row in one resample (the scheme in the file comment). */
function resampleWeights(clusters: readonly PreparedCluster[], rowCount: number, rng: Rng): Float64Array {
  const w = new Float64Array(rowCount)
  for (let e = 0; e < clusters.length; e++) {
    const c = clusters[randomIndex(rng, clusters.length)]!
    const n = c.rows.length
    // start from one copy of each row, then multiply by each side's draw counts
    const times = new Float64Array(n).fill(1)
    for (let s = 0; s < c.poolSizes.length; s++) {
      const size = c.poolSizes[s]!
      const counts = new Float64Array(size)
      for (let i = 0; i < size; i++) counts[randomIndex(rng, size)]!++
      const idx = c.memberIndex[s]!
      for (let i = 0; i < n; i++) times[i]! *= counts[idx[i]!]!
    }
    for (let i = 0; i < n; i++) w[c.rows[i]!]! += times[i]!
  }
  return w
}

function expand<R>(rows: readonly R[], w: Float64Array): R[] {
  const out: R[] = []
  for (let i = 0; i < rows.length; i++) for (let t = 0; t < w[i]!; t++) out.push(rows[i]!)
  return out
}

/** One bootstrap resample of `rows` (the scheme in the file comment), rows in input order, each repeated by its multiplicity. */
export function clusterResample<R>(rows: readonly R[], design: ClusterDesign<R>, rng: Rng): R[] {
  return expand(rows, resampleWeights(prepare(rows, design), rows.length, rng))
}

/** Quantile with linear interpolation between order statistics (Hyndman & Fan 1996, type 7) of sorted `xs`. */
export function quantileSorted(xs: readonly number[], p: number): number {
  if (xs.length === 0) return NaN
  const pos = (xs.length - 1) * p
  const lo = Math.floor(pos)
  const hi = Math.ceil(pos)
  return xs[lo]! + (xs[hi]! - xs[lo]!) * (pos - lo)
}

export interface BootstrapOptions {
  seed: number
  /** number of resamples, default 2000 */
  replicates?: number
  /** coverage of the percentile interval, default 0.95 */
  level?: number
}

export interface BootstrapResult {
  /** the statistic on the original rows */
  estimate: number | null
  /** percentile interval of the replicates; null when no replicate gave a value */
  ci: Interval | null
  /**
   * Two-sided percentile p-value for "the statistic is 0", never 0:
   * min(1, 2 (1 + min(#{θ* ≤ 0}, #{θ* ≥ 0})) / (valid + 1)) (Davison &
   * Hinkley 1997, §4.4, the +1 counting the observed value). Meaningful for
   * differences; its resolution is 2 / (valid + 1).
   */
  pZero: number | null
  /** bootstrap standard error (sample SD of the valid replicates) */
  se: number | null
  replicates: number
  /** replicates where the statistic was defined (e.g. both outcomes present) */
  valid: number
  seed: number
  level: number
  method: 'cluster-bootstrap'
}

/**
 * Two-level cluster bootstrap percentile interval (Efron & Tibshirani 1993,
 * ch. 13) of any statistic of a set of rows. Replicates where the statistic is
 * null or not finite are left out and counted (`valid`). Same rows, same
 * design, same seed: same interval.
 */
export function clusterBootstrap<R>(
  rows: readonly R[],
  statistic: (rows: readonly R[]) => number | null,
  design: ClusterDesign<R>,
  options: BootstrapOptions,
): BootstrapResult {
  return weightedClusterBootstrap(rows, (w) => (w ? statistic(expand(rows, w)) : statistic(rows)), design, options)
}

/**
 * The same bootstrap for a statistic that reads row multiplicities directly
 * (`weights[i]` = times row i is in the resample; null = the original rows),
 * which avoids copying rows: same seed, same resamples as clusterBootstrap.
 */
export function weightedClusterBootstrap<R>(
  rows: readonly R[],
  statistic: (weights: Float64Array | null) => number | null,
  design: ClusterDesign<R>,
  options: BootstrapOptions,
): BootstrapResult {
  const replicates = options.replicates ?? 2000
  const level = options.level ?? 0.95
  const rng = mulberry32(options.seed)
  const prepared = prepare(rows, design)
  const values: number[] = []
  for (let b = 0; b < replicates; b++) {
    const v = statistic(resampleWeights(prepared, rows.length, rng))
    if (isPresent(v)) values.push(v)
  }
  values.sort((x, y) => x - y)
  const est = statistic(null)
  const valid = values.length
  let se: number | null = null
  if (valid > 1) {
    const m = values.reduce((s, v) => s + v, 0) / valid
    se = Math.sqrt(values.reduce((s, v) => s + (v - m) ** 2, 0) / (valid - 1))
  }
  const below = values.filter((v) => v <= 0).length
  const above = values.filter((v) => v >= 0).length
  return {
    estimate: isPresent(est) ? est : null,
    ci: valid > 0 ? { low: quantileSorted(values, (1 - level) / 2), high: quantileSorted(values, 1 - (1 - level) / 2) } : null,
    pZero: valid > 0 ? Math.min(1, (2 * (1 + Math.min(below, above))) / (valid + 1)) : null,
    se,
    replicates,
    valid,
    seed: options.seed,
    level,
    method: 'cluster-bootstrap',
  }
}

/**
 * AUC with row weights, O(N) per call once the rows are sorted by score:
 * Σ over tie groups of w⁺ (W⁻ below + ½ w⁻ of the group) / (W⁺ W⁻), the
 * Mann–Whitney AUC of the rows repeated by their weights. Rows with the score
 * missing are left out. The returned function gives null without positive and
 * negative weight; weights = null counts every row once.
 */
export function weightedAuc(scores: readonly Maybe[], positive: readonly boolean[]): (weights: Float64Array | null) => number | null {
  const order = scores.flatMap((s, i) => (isPresent(s) ? [i] : [])).sort((i, j) => (scores[i] as number) - (scores[j] as number))
  const groups: number[] = []
  for (let k = 0; k < order.length; k++) if (k === 0 || scores[order[k]!] !== scores[order[k - 1]!]) groups.push(k)
  groups.push(order.length)
  return (weights) => {
    let negBelow = 0
    let wins = 0
    let totalPos = 0
    for (let g = 0; g + 1 < groups.length; g++) {
      let pos = 0
      let neg = 0
      for (let k = groups[g]!; k < groups[g + 1]!; k++) {
        const i = order[k]!
        const w = weights ? weights[i]! : 1
        if (positive[i]) pos += w
        else neg += w
      }
      wins += pos * (negBelow + neg / 2)
      negBelow += neg
      totalPos += pos
    }
    return totalPos > 0 && negBelow > 0 ? wins / (totalPos * negBelow) : null
  }
}

/**
 * Cluster-bootstrap interval of the AUC of `score` for `positive`. Rows with
 * the score missing take part in the resampling (their participants are the
 * event's participants) but not in the AUC.
 */
export function bootstrapAuc<R>(
  rows: readonly R[],
  score: (row: R) => Maybe,
  positive: (row: R) => boolean,
  design: ClusterDesign<R>,
  options: BootstrapOptions,
): BootstrapResult {
  return weightedClusterBootstrap(rows, weightedAuc(rows.map(score), rows.map(positive)), design, options)
}

/**
 * Cluster-bootstrap interval of AUC(a) − AUC(b), both on the rows where both
 * predictors are present (the other rows take part in the resampling only).
 */
export function bootstrapAucDifference<R>(
  rows: readonly R[],
  a: (row: R) => Maybe,
  b: (row: R) => Maybe,
  positive: (row: R) => boolean,
  design: ClusterDesign<R>,
  options: BootstrapOptions,
): BootstrapResult {
  const both = rows.map((r) => isPresent(a(r)) && isPresent(b(r)))
  const ys = rows.map(positive)
  const aucA = weightedAuc(rows.map((r, i) => (both[i] ? a(r) : null)), ys)
  const aucB = weightedAuc(rows.map((r, i) => (both[i] ? b(r) : null)), ys)
  return weightedClusterBootstrap(
    rows,
    (w) => {
      const x = aucA(w)
      const y = aucB(w)
      return x === null || y === null ? null : x - y
    },
    design,
    options,
  )
}
