/**
 * Sample size and power for a cluster-randomised comparison of two
 * proportions, the clusters being events (each event entirely in one arm), and
 * the intra-cluster correlation (ICC) that drives it.
 *
 * Donner & Klar (2000), Design and Analysis of Cluster Randomization Trials,
 * (ch. 5): the individually randomised sample size is inflated by the design
 * effect DE = 1 + (m − 1) ρ (m pairs per event, ρ the ICC); with unequal
 * event sizes of coefficient of variation cv, DE = 1 + ((cv² + 1) m − 1) ρ
 * (Eldridge, Ashby & Kerry 2006, Int J Epidemiol 35(5)).
 */
import { normalCdf, normalQuantile } from './normal.ts'

/** Design effect 1 + ((cv² + 1) m − 1) ρ; cv = 0 gives 1 + (m − 1) ρ. */
export function designEffect(pairsPerEvent: number, icc: number, cv = 0): number {
  return 1 + ((cv * cv + 1) * pairsPerEvent - 1) * icc
}

export interface TwoProportionDesign {
  /** conversion rate of the control arm */
  p1: number
  /** conversion rate of the other arm */
  p2: number
  /** mean number of (held) pairs per event, m */
  pairsPerEvent: number
  /** intra-cluster correlation of the outcome within an event, ρ */
  icc: number
  /** coefficient of variation of event sizes, default 0 */
  cv?: number
  /** two-sided, default 0.05 */
  alpha?: number
  /** default 0.8 */
  power?: number
}

export interface SampleSize {
  /** pairs per arm if pairs were randomised individually */
  pairsPerArmIndividual: number
  designEffect: number
  /** pairsPerArmIndividual × designEffect (not rounded) */
  pairsPerArm: number
  /** events per arm, rounded up: ceil(pairsPerArm / m) */
  eventsPerArm: number
  /** the power reached with eventsPerArm events (≥ the target) */
  achievedPower: number
}

function check(d: TwoProportionDesign) {
  for (const p of [d.p1, d.p2]) if (!(p > 0 && p < 1)) throw new RangeError('proportions must lie in (0, 1)')
  if (d.p1 === d.p2) throw new RangeError('p1 and p2 must differ')
  if (!(d.pairsPerEvent >= 1)) throw new RangeError('pairsPerEvent must be >= 1')
  if (!(d.icc >= 0 && d.icc <= 1)) throw new RangeError('icc must lie in [0, 1]')
}

/**
 * Events per arm to detect p1 vs p2 with a two-sided z test:
 * n = (z_{1−α/2} + z_{1−β})² (p1 q1 + p2 q2) / (p1 − p2)² pairs per arm
 * individually, times DE, divided by m (Donner & Klar 2000).
 */
export function eventsPerArm(d: TwoProportionDesign): SampleSize {
  check(d)
  const alpha = d.alpha ?? 0.05
  const power = d.power ?? 0.8
  const z = normalQuantile(1 - alpha / 2) + normalQuantile(power)
  const variance = d.p1 * (1 - d.p1) + d.p2 * (1 - d.p2)
  const individual = (z * z * variance) / (d.p1 - d.p2) ** 2
  const de = designEffect(d.pairsPerEvent, d.icc, d.cv ?? 0)
  const pairsPerArm = individual * de
  // a tiny tolerance so that an exact integer is not pushed up by rounding
  const events = Math.ceil(pairsPerArm / d.pairsPerEvent - 1e-9)
  return {
    pairsPerArmIndividual: individual,
    designEffect: de,
    pairsPerArm,
    eventsPerArm: events,
    achievedPower: powerForEvents(events, { ...d, alpha }),
  }
}

/**
 * Power of the two-sided z test with `events` events per arm:
 * Φ(|p1 − p2| √(k m / (DE (p1 q1 + p2 q2))) − z_{1−α/2}) (the far tail ignored).
 */
export function powerForEvents(events: number, d: Omit<TwoProportionDesign, 'power'>): number {
  check({ ...d })
  const alpha = d.alpha ?? 0.05
  const de = designEffect(d.pairsPerEvent, d.icc, d.cv ?? 0)
  const variance = d.p1 * (1 - d.p1) + d.p2 * (1 - d.p2)
  const se = Math.sqrt((variance * de) / (events * d.pairsPerEvent))
  return normalCdf(Math.abs(d.p1 - d.p2) / se - normalQuantile(1 - alpha / 2))
}

export interface ClusterCount {
  /** rows (pairs) of the cluster */
  n: number
  /** rows with outcome 1 */
  positives: number
}

export interface IccEstimate {
  /** ANOVA estimator; may be negative (less alike within clusters than between) */
  icc: number
  clusters: number
  n: number
  /** n0 = (N − Σ n_i² / N) / (k − 1), the "average" cluster size of the estimator */
  n0: number
  msb: number
  msw: number
}

/**
 * ANOVA estimator of the ICC of a binary outcome over clusters (Fleiss 1981;
 * Ridout, Demétrio & Firth 1999, Biometrics 55(1), estimator ρ̂_A):
 * MSB = Σ n_i (p̂_i − p̂)² / (k − 1), MSW = Σ n_i p̂_i (1 − p̂_i) / (N − k),
 * ρ̂ = (MSB − MSW) / (MSB + (n0 − 1) MSW). Empty clusters are left out; null
 * with fewer than 2 clusters, N ≤ k, or no variation at all.
 */
export function iccAnova(clusters: readonly ClusterCount[]): IccEstimate | null {
  const cs = clusters.filter((c) => c.n > 0)
  for (const c of cs) if (!(c.positives >= 0 && c.positives <= c.n)) throw new RangeError('iccAnova: positives outside 0..n')
  const k = cs.length
  const N = cs.reduce((s, c) => s + c.n, 0)
  if (k < 2 || N <= k) return null
  const pAll = cs.reduce((s, c) => s + c.positives, 0) / N
  const ssb = cs.reduce((s, c) => s + c.n * (c.positives / c.n - pAll) ** 2, 0)
  const ssw = cs.reduce((s, c) => s + c.positives * (1 - c.positives / c.n), 0)
  const msb = ssb / (k - 1)
  const msw = ssw / (N - k)
  const n0 = (N - cs.reduce((s, c) => s + c.n * c.n, 0) / N) / (k - 1)
  const denominator = msb + (n0 - 1) * msw
  if (!(denominator > 0)) return null
  return { icc: (msb - msw) / denominator, clusters: k, n: N, n0, msb, msw }
}

/** Cluster counts from rows: one ClusterCount per distinct cluster id, in sorted id order. */
export function clusterCounts<R>(rows: readonly R[], cluster: (row: R) => string, positive: (row: R) => boolean): ClusterCount[] {
  const m = new Map<string, ClusterCount>()
  for (const r of rows) {
    const c = m.get(cluster(r)) ?? { n: 0, positives: 0 }
    c.n++
    if (positive(r)) c.positives++
    m.set(cluster(r), c)
  }
  return [...m.keys()].sort().map((k) => m.get(k)!)
}
