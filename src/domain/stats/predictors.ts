/**
 * Which pair predictors tell the pairs that convert (or that want to meet
 * again) from the others: the AUC of each named predictor over held pairs,
 * with a two-level cluster-bootstrap 95 % interval (events, then participants:
 * bootstrap.ts), and for reference the Obuchowski (1997) interval clustered by
 * event (clustered-auc.ts; fine with many events, too narrow with few) and the
 * Hanley–McNeil and DeLong intervals (pairs taken as independent). The
 * two-level bootstrap is conservative: with event and participant effects its
 * SE is about 1.6 times the true SD and it almost never rejects equal AUCs
 * (test/domain/stats/simulation.test.ts), so read its interval as an upper
 * bound; with many events (≥ 20) the Obuchowski interval is the sharper one.
 * Pure: rows in, numbers out; the rows are those of pair-records.ts.
 *
 * planTrial turns past events into the inputs of power.ts (baseline rate,
 * event size, ICC) and the events per arm a comparison would need.
 *
 * Outcomes, over held pairs only (README "Lab metrics"):
 * - conversion: the pair's partnership reached 'agreement' or later;
 * - mutual: both sides rated the meeting held and want a follow-up.
 */
import { reachedAtLeast, type PairRecord } from '../metrics.ts'
import type { PairData } from '../pair-records.ts'
import { auc, delongCompare, isPresent, type Maybe } from './auc.ts'
import { bootstrapAuc, bootstrapAucDifference, type ClusterDesign } from './bootstrap.ts'
import { clusteredAuc, clusteredAucCompare } from './clustered-auc.ts'
import { clusterCounts, eventsPerArm, iccAnova, type SampleSize } from './power.ts'

/** What the predictor statistics read of a pair. */
export type PredictorRow = Pick<PairRecord, 'eventId' | 'associationId' | 'companyId' | 'held' | 'mutual' | 'reached'>

export interface Predictor<R> {
  name: string
  /** the predictor's value for a pair; null or undefined = missing (never read as 0) */
  value: (row: R) => Maybe
}

export type Outcome = 'conversion' | 'mutual'

export const OUTCOMES: readonly Outcome[] = ['conversion', 'mutual']

/** The outcome of a held pair. */
export function outcomeOf(row: PredictorRow, outcome: Outcome): boolean {
  return outcome === 'conversion' ? reachedAtLeast(row, 'agreement') : row.mutual
}

type Clustered = Pick<PairRecord, 'eventId' | 'associationId' | 'companyId'>

/** Events, then the association and the company of each pair within its event. */
export const pairDesign: ClusterDesign<Clustered> = {
  cluster: (r) => r.eventId,
  members: (r) => [r.associationId, r.companyId],
}

/** Events only (whole events resampled). */
export const eventDesign: ClusterDesign<Clustered> = { cluster: (r) => r.eventId }

export type BootstrapLevels = 'events+participants' | 'events'

const designOf = (levels: BootstrapLevels) => (levels === 'events' ? eventDesign : pairDesign)

const interests = (r: PairData): [number, number] | null => {
  const a = r.rating.association?.interest
  const c = r.rating.company?.interest
  return isPresent(a) && isPresent(c) ? [a, c] : null
}

/**
 * Predictors available on pair-records.ts rows. The interest ratings are given
 * with the follow-up wish that defines `mutual`, so their AUC for that outcome
 * describes the rating form rather than predicts anything.
 */
export const pairPredictors: readonly Predictor<PairData>[] = [
  { name: 'score', value: (r) => r.score },
  { name: 'shared_themes', value: (r) => r.sharedThemes.length },
  { name: 'interest_sum', value: (r) => (interests(r) ? interests(r)![0] + interests(r)![1] : null) },
  { name: 'interest_min', value: (r) => (interests(r) ? Math.min(...interests(r)!) : null) },
]

export interface PredictorOptions {
  /** default 1: the same rows give the same intervals */
  seed?: number
  /** bootstrap resamples, default 2000 */
  replicates?: number
  /** default 'events+participants' (conservative); 'events' is sharper with many events (≥ 20) */
  levels?: BootstrapLevels
}

type Pair = [number, number]

export interface PredictorAuc {
  name: string
  outcome: Outcome
  /** held pairs with the predictor present */
  n: number
  positives: number
  negatives: number
  /** held pairs with the predictor missing */
  missing: number
  /** null without at least one positive and one negative */
  auc: number | null
  /** two-level cluster-bootstrap percentile interval */
  ci95: Pair | null
  ciMethod: 'cluster-bootstrap'
  /** Obuchowski (1997) cluster-robust interval, clusters = events; null with fewer than 2 events */
  obuchowski: Pair | null
  /** Hanley–McNeil (1982) interval, pairs taken as independent */
  hanleyMcNeil: Pair | null
  /** DeLong (1988) interval, pairs taken as independent */
  delong: Pair | null
  bootstrap: { seed: number; replicates: number; valid: number; levels: BootstrapLevels }
}

export interface PredictorReport {
  heldPairs: number
  events: number
  conversion: PredictorAuc[]
  mutual: PredictorAuc[]
}

const held = <R extends PredictorRow>(rows: readonly R[]) => rows.filter((r) => r.held)

/** AUC of one predictor for one outcome over the held pairs of `rows`. */
export function predictorAuc<R extends PredictorRow>(rows: readonly R[], predictor: Predictor<R>, outcome: Outcome, options: PredictorOptions = {}): PredictorAuc {
  const seed = options.seed ?? 1
  const replicates = options.replicates ?? 2000
  const levels = options.levels ?? 'events+participants'
  const hs = held(rows)
  const items = hs.map((r) => ({ score: predictor.value(r), positive: outcomeOf(r, outcome) }))
  const present = items.filter((it) => isPresent(it.score))
  const positives = present.filter((it) => it.positive).length
  const a = auc(items)
  const boot = a ? bootstrapAuc<R>(hs, predictor.value, (r) => outcomeOf(r, outcome), designOf(levels), { seed, replicates }) : null
  const ob = clusteredAuc(hs.map((r, i) => ({ ...items[i]!, clusters: [r.eventId] })))
  return {
    name: predictor.name,
    outcome,
    n: present.length,
    positives,
    negatives: present.length - positives,
    missing: items.length - present.length,
    auc: a?.auc ?? null,
    ci95: boot?.ci ? [boot.ci.low, boot.ci.high] : null,
    ciMethod: 'cluster-bootstrap',
    obuchowski: ob ? [ob.ci.low, ob.ci.high] : null,
    hanleyMcNeil: a ? [a.hanleyMcNeil.ci.low, a.hanleyMcNeil.ci.high] : null,
    delong: a?.delong ? [a.delong.ci.low, a.delong.ci.high] : null,
    bootstrap: { seed, replicates, valid: boot?.valid ?? 0, levels },
  }
}

/** Every predictor, for conversion and for mutual interest, over the held pairs of `rows`. */
export function predictorReport<R extends PredictorRow>(rows: readonly R[], predictors: readonly Predictor<R>[], options: PredictorOptions = {}): PredictorReport {
  const hs = held(rows)
  return {
    heldPairs: hs.length,
    events: new Set(hs.map((r) => r.eventId)).size,
    conversion: predictors.map((p) => predictorAuc(hs, p, 'conversion', options)),
    mutual: predictors.map((p) => predictorAuc(hs, p, 'mutual', options)),
  }
}

export interface PredictorComparison {
  a: string
  b: string
  outcome: Outcome
  /** held pairs where both predictors are present */
  n: number
  positives: number
  negatives: number
  aucA: number | null
  aucB: number | null
  /** aucA − aucB */
  diff: number | null
  /** two-level cluster-bootstrap percentile interval of the difference */
  ci95: Pair | null
  ciMethod: 'cluster-bootstrap'
  /** two-sided cluster-bootstrap p-value for "no difference" (bootstrap.ts pZero; smallest 2 / (replicates + 1)) */
  p: number | null
  pMethod: 'cluster-bootstrap'
  /** Obuchowski (1997) cluster-robust z test, clusters = events; null with fewer than 2 events */
  obuchowski: { ci95: Pair; p: number | null } | null
  /** DeLong (1988) test, pairs taken as independent (too optimistic for clustered pairs) */
  delong: { ci95: Pair; p: number | null } | null
  bootstrap: { seed: number; replicates: number; valid: number; levels: BootstrapLevels }
}

/**
 * Compares the AUCs of predictors `a` and `b` for `outcome` on the held pairs
 * where both are present: difference, cluster-bootstrap interval and p-value,
 * and the DeLong test for reference.
 */
export function compare<R extends PredictorRow>(
  rows: readonly R[],
  a: Predictor<R>,
  b: Predictor<R>,
  outcome: Outcome = 'conversion',
  options: PredictorOptions = {},
): PredictorComparison {
  const seed = options.seed ?? 1
  const replicates = options.replicates ?? 2000
  const levels = options.levels ?? 'events+participants'
  const hs = held(rows)
  const paired = hs.map((r) => ({ a: a.value(r), b: b.value(r), positive: outcomeOf(r, outcome), clusters: [r.eventId] }))
  const both = paired.filter((it) => isPresent(it.a) && isPresent(it.b))
  const positives = both.filter((it) => it.positive).length
  const boot = bootstrapAucDifference<R>(hs, a.value, b.value, (r) => outcomeOf(r, outcome), designOf(levels), { seed, replicates })
  const aucA = auc(both.map((it) => ({ score: it.a, positive: it.positive })))?.auc ?? null
  const aucB = auc(both.map((it) => ({ score: it.b, positive: it.positive })))?.auc ?? null
  const d = delongCompare(both)
  const ob = clusteredAucCompare(both)
  const defined = aucA !== null && aucB !== null
  return {
    a: a.name,
    b: b.name,
    outcome,
    n: both.length,
    positives,
    negatives: both.length - positives,
    aucA,
    aucB,
    diff: defined ? aucA - aucB : null,
    ci95: defined && boot.ci ? [boot.ci.low, boot.ci.high] : null,
    ciMethod: 'cluster-bootstrap',
    p: defined ? boot.pZero : null,
    pMethod: 'cluster-bootstrap',
    obuchowski: ob ? { ci95: [ob.ci.low, ob.ci.high], p: ob.p } : null,
    delong: d ? { ci95: [d.ci.low, d.ci.high], p: d.p } : null,
    bootstrap: { seed, replicates, valid: defined ? boot.valid : 0, levels },
  }
}

export interface TrialPlan {
  outcome: Outcome
  /** events with at least one held pair */
  events: number
  heldPairs: number
  /** mean held pairs per event (m) and the coefficient of variation of event sizes */
  pairsPerEvent: number
  cv: number
  /** rate of the outcome over held pairs: the control arm's expected rate */
  baseline: number
  /** ANOVA ICC by event (power.ts), null with fewer than 2 events */
  icc: number | null
  /** ICC used for planning: the estimate floored at 0 */
  iccUsed: number
  target: number
  /** events per arm for the target rate; null when the baseline is 0 or 1, or equals the target */
  sampleSize: SampleSize | null
}

/**
 * Plans a cluster-randomised comparison from past events: baseline rate,
 * mean event size and its CV, and the ANOVA ICC of the outcome by event, then
 * the events per arm needed to detect `target` (power.ts, design effect with
 * unequal sizes). The ICC estimate is noisy with few events: read it with its
 * number of events.
 */
export function planTrial<R extends PredictorRow>(
  rows: readonly R[],
  target: number,
  options: { outcome?: Outcome; alpha?: number; power?: number } = {},
): TrialPlan {
  const outcome = options.outcome ?? 'conversion'
  const hs = held(rows)
  const counts = clusterCounts(hs, (r) => r.eventId, (r) => outcomeOf(r, outcome))
  const k = counts.length
  const m = k > 0 ? hs.length / k : 0
  const cv = k > 1 && m > 0 ? Math.sqrt(counts.reduce((s, c) => s + (c.n - m) ** 2, 0) / (k - 1)) / m : 0
  const baseline = hs.length > 0 ? counts.reduce((s, c) => s + c.positives, 0) / hs.length : 0
  const icc = iccAnova(counts)?.icc ?? null
  const iccUsed = Math.max(0, icc ?? 0)
  const plannable = baseline > 0 && baseline < 1 && target > 0 && target < 1 && target !== baseline && m >= 1
  return {
    outcome,
    events: k,
    heldPairs: hs.length,
    pairsPerEvent: m,
    cv,
    baseline,
    icc,
    iccUsed,
    target,
    sampleSize: plannable
      ? eventsPerArm({ p1: baseline, p2: target, pairsPerEvent: m, icc: iccUsed, cv, alpha: options.alpha ?? 0.05, power: options.power ?? 0.8 })
      : null,
  }
}
