/**
 * Seeded synthetic cluster trials for the stats tests: events × pairs, a 0/1
 * outcome with a known intra-event correlation ρ.
 *
 * Model: each event draws a common outcome C ~ Bernoulli(p); each pair copies
 * C with probability √ρ, else draws its own Bernoulli(p). Then
 * P(y = 1) = p and, for two pairs of one event,
 * Cov = P(both copy) Var(C) = ρ p (1 − p): the ICC is exactly ρ.
 */
import { mulberry32, type Rng } from '../../../src/domain/stats/bootstrap.ts'

export interface TrialRow {
  event: string
  /** 0 = control, 1 = other arm */
  arm: 0 | 1
  y: 0 | 1
}

export function clusteredOutcomes(rng: Rng, events: number, pairsPerEvent: number, p: number, icc: number, prefix: string, arm: 0 | 1): TrialRow[] {
  const rows: TrialRow[] = []
  const copy = Math.sqrt(icc)
  for (let e = 0; e < events; e++) {
    const common = rng() < p ? 1 : 0
    for (let i = 0; i < pairsPerEvent; i++) {
      const y = rng() < copy ? common : rng() < p ? 1 : 0
      rows.push({ event: `${prefix}${e}`, arm, y: y as 0 | 1 })
    }
  }
  return rows
}

/** A two-arm cluster trial: `eventsPerArm` events in each arm, conversion p0 and p1. */
export function trial(seed: number, eventsPerArm: number, pairsPerEvent: number, p0: number, p1: number, icc: number): TrialRow[] {
  const rng = mulberry32(seed)
  return [
    ...clusteredOutcomes(rng, eventsPerArm, pairsPerEvent, p0, icc, 'C', 0),
    ...clusteredOutcomes(rng, eventsPerArm, pairsPerEvent, p1, icc, 'T', 1),
  ]
}

/** Standard normal draw (Box–Muller). */
export function gaussian(rng: Rng): number {
  return Math.sqrt(-2 * Math.log(1 - rng())) * Math.cos(2 * Math.PI * rng())
}

export interface ScoredPair {
  eventId: string
  associationId: string
  companyId: string
  /** a predictor that carries the participants' effects */
  x: number
  /** two noisy copies of x: equal true AUC */
  u: number
  v: number
  y: boolean
}

/**
 * Events of k associations × k companies, every pair meets. Logit of the
 * outcome: −1 + 0.8 x + event effect + association effect + company effect,
 * effects N(0, 0.8²); x = N(0, 1) + half the two participants' effects, so
 * both x and y are correlated within participants and y within events.
 */
export function clusteredPairs(seed: number, events: number, k: number): ScoredPair[] {
  const rng = mulberry32(seed)
  const rows: ScoredPair[] = []
  for (let e = 0; e < events; e++) {
    const ue = 0.8 * gaussian(rng)
    const ua = Array.from({ length: k }, () => 0.8 * gaussian(rng))
    const uc = Array.from({ length: k }, () => 0.8 * gaussian(rng))
    for (let a = 0; a < k; a++)
      for (let c = 0; c < k; c++) {
        const x = gaussian(rng) + 0.5 * (ua[a]! + uc[c]!)
        const eta = -1 + 0.8 * x + ue + ua[a]! + uc[c]!
        rows.push({ eventId: `E${e}`, associationId: `A${e}-${a}`, companyId: `C${e}-${c}`, x, u: x + gaussian(rng), v: x + gaussian(rng), y: rng() < 1 / (1 + Math.exp(-eta)) })
      }
  }
  return rows
}
