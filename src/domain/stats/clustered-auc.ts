/**
 * Cluster-robust variance of an AUC and of the difference of two correlated
 * AUCs: Obuchowski (1997), "Nonparametric analysis of clustered ROC curve
 * data", Biometrics 53(2). The DeLong structural components are summed per
 * cluster, so pairs of one cluster may be correlated in any way:
 *
 *   Var(θ̂) = K/(K − 1) Σ_k (A_k / n1 + B_k / n0)²,
 *   A_k = Σ_{positives i in k} (V10_i − θ̂),  B_k = Σ_{negatives j in k} (V01_j − θ̂),
 *
 * (her S10/n1 + S01/n0 + 2 S11/(n1 n0), written as the cluster sum of the
 * AUC's influence function). For a difference of two AUCs on the same rows,
 * the influence functions are subtracted before summing.
 *
 * With participants crossed inside events, a row belongs to two clusters
 * (its association, its company): the two-way version of Cameron, Gelbach &
 * Miller (2011, J Bus Econ Stat 29(2)) adds the two one-way variances and
 * subtracts the variance clustered by their intersection (the pair itself).
 */
import type { Interval } from '../metrics.ts'
import { isPresent, structuralComponents, type Maybe } from './auc.ts'
import { normalQuantile, twoSidedP } from './normal.ts'

/** Per row (in the order of `scores`), the influence of the row on the AUC; null without both classes. */
function influence(scores: readonly number[], positive: readonly boolean[]): { auc: number; psi: number[] } | null {
  const posIdx: number[] = []
  const negIdx: number[] = []
  positive.forEach((p, i) => (p ? posIdx : negIdx).push(i))
  if (posIdx.length === 0 || negIdx.length === 0) return null
  const { auc, v10, v01 } = structuralComponents(posIdx.map((i) => scores[i]!), negIdx.map((i) => scores[i]!))
  const psi = new Array<number>(scores.length)
  posIdx.forEach((i, k) => (psi[i] = (v10[k]! - auc) / posIdx.length))
  negIdx.forEach((j, k) => (psi[j] = (v01[k]! - auc) / negIdx.length))
  return { auc, psi }
}

/** K/(K − 1) Σ_k (Σ_{i ∈ k} ψ_i)²; null with fewer than 2 clusters. */
function clusterSum(psi: readonly number[], clusters: readonly string[]): number | null {
  const sums = new Map<string, number>()
  psi.forEach((v, i) => sums.set(clusters[i]!, (sums.get(clusters[i]!) ?? 0) + v))
  const K = sums.size
  if (K < 2) return null
  let s = 0
  for (const v of sums.values()) s += v * v
  return (K / (K - 1)) * s
}

/**
 * Variance from one cluster key per row (one-way) or two keys per row
 * (two-way: V₁ + V₂ − V₁∩₂, falling back to max(V₁, V₂) when that is not
 * positive, as Cameron, Gelbach & Miller suggest).
 */
function robustVariance(psi: readonly number[], keys: readonly (readonly string[])[]): number | null {
  const ways = keys[0]?.length ?? 0
  if (ways === 1) return clusterSum(psi, keys.map((k) => k[0]!))
  if (ways !== 2) throw new RangeError('clustered AUC: one or two cluster keys per row')
  const v1 = clusterSum(psi, keys.map((k) => k[0]!))
  const v2 = clusterSum(psi, keys.map((k) => k[1]!))
  const v12 = clusterSum(psi, keys.map((k) => `${k[0]}\u0000${k[1]}`))
  if (v1 === null || v2 === null || v12 === null) return null
  const v = v1 + v2 - v12
  return v > 0 ? v : Math.max(v1, v2)
}

export interface ClusteredAuc {
  auc: number
  se: number
  ci: Interval
  /** rows with the predictor present */
  n: number
  /** distinct clusters (first key) */
  clusters: number
}

const zOf = (level: number) => normalQuantile(1 - (1 - level) / 2)
const distinct = (keys: readonly (readonly string[])[]) => new Set(keys.map((k) => k[0])).size

/**
 * AUC with the Obuchowski (1997) cluster-robust standard error. `clusters`
 * gives each row its cluster id(s): one id (e.g. the event) or two (e.g.
 * association and company, each qualified by the event). Missing scores are
 * left out; null without both classes or with fewer than 2 clusters.
 */
export function clusteredAuc(items: readonly { score: Maybe; positive: boolean; clusters: readonly string[] }[], level = 0.95): ClusteredAuc | null {
  const present = items.filter((it) => isPresent(it.score))
  const inf = influence(present.map((it) => it.score as number), present.map((it) => it.positive))
  if (!inf) return null
  const variance = robustVariance(inf.psi, present.map((it) => it.clusters))
  if (variance === null) return null
  const se = Math.sqrt(variance)
  const z = zOf(level)
  return {
    auc: inf.auc,
    se,
    ci: { low: Math.max(0, inf.auc - z * se), high: Math.min(1, inf.auc + z * se) },
    n: present.length,
    clusters: distinct(present.map((it) => it.clusters)),
  }
}

export interface ClusteredAucComparison {
  n: number
  clusters: number
  aucA: number
  aucB: number
  diff: number
  se: number
  z: number | null
  /** two-sided; 1 when diff = se = 0, null when se = 0 and diff ≠ 0 */
  p: number | null
  ci: Interval
}

/**
 * Difference of two correlated AUCs (rows where both predictors are present)
 * with the cluster-robust standard error of Obuchowski (1997) and a two-sided
 * z test. Null without both classes or with fewer than 2 clusters.
 */
export function clusteredAucCompare(
  items: readonly { a: Maybe; b: Maybe; positive: boolean; clusters: readonly string[] }[],
  level = 0.95,
): ClusteredAucComparison | null {
  const both = items.filter((it) => isPresent(it.a) && isPresent(it.b))
  const ys = both.map((it) => it.positive)
  const A = influence(both.map((it) => it.a as number), ys)
  const B = influence(both.map((it) => it.b as number), ys)
  if (!A || !B) return null
  const variance = robustVariance(A.psi.map((v, i) => v - B.psi[i]!), both.map((it) => it.clusters))
  if (variance === null) return null
  const se = Math.sqrt(variance)
  const diff = A.auc - B.auc
  const z = se > 0 ? diff / se : null
  const zq = zOf(level)
  return {
    n: both.length,
    clusters: distinct(both.map((it) => it.clusters)),
    aucA: A.auc,
    aucB: B.auc,
    diff,
    se,
    z,
    p: z !== null ? twoSidedP(z) : diff === 0 ? 1 : null,
    ci: { low: Math.max(-1, diff - zq * se), high: Math.min(1, diff + zq * se) },
  }
}
