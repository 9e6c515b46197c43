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
