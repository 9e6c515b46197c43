import { describe, expect, test } from 'vitest'
import { logisticRegression } from '../../../src/domain/stats/logistic.ts'
import { eventsPerArm } from '../../../src/domain/stats/power.ts'
import { Z95 } from '../../../src/domain/metrics.ts'
import { aucValue } from '../../../src/domain/stats/auc.ts'
import { bootstrapAuc, bootstrapAucDifference } from '../../../src/domain/stats/bootstrap.ts'
import { clusteredAuc, clusteredAucCompare } from '../../../src/domain/stats/clustered-auc.ts'
import { pairDesign } from '../../../src/domain/stats/predictors.ts'
import { clusteredPairs, trial, type TrialRow } from './synthetic.ts'

/** Wald tests of the arm coefficient of y ~ arm: model-based SE (rows independent) and CR1 by event. */
function armTest(rows: readonly TrialRow[]) {
  const fit = logisticRegression(rows.map((r) => [r.arm]), rows.map((r) => r.y), { clusters: rows.map((r) => r.event) })
  const b = fit.coefficients[1]!
  return { naive: Math.abs(b / fit.se[1]!) > Z95, robust: Math.abs(b / fit.robust!.se[1]!) > Z95 }
}

const SEEDS = Array.from({ length: 200 }, (_, i) => 1000 + i)

describe('cluster-robust test of two arms randomised by event', () => {
  test('null: equal conversion, ICC 0.1 -> the CR1 test rejects about 5 % (2 % to 9 % over 200 seeds); the naive test far more', () => {
    let robust = 0
    let naive = 0
    for (const seed of SEEDS) {
      const r = armTest(trial(seed, 20, 15, 0.2, 0.2, 0.1))
      if (r.robust) robust++
      if (r.naive) naive++
    }
    expect(robust / SEEDS.length).toBeGreaterThanOrEqual(0.02)
    expect(robust / SEEDS.length).toBeLessThanOrEqual(0.09)
    // design effect 1 + 14 × 0.1 = 2.4: the naive SE is √2.4 too small, P(|Z| > 1.96 / 1.55) ≈ 0.2
    expect(naive / SEEDS.length).toBeGreaterThan(0.12)
  })

  test('power: with the events per arm power.ts asks for, the CR1 test detects 0.2 vs 0.35 in most seeds', () => {
    const design = { p1: 0.2, p2: 0.35, pairsPerEvent: 15, icc: 0.1 }
    const events = eventsPerArm(design).eventsPerArm
    expect(events).toBe(22) // 7.8489 × (0.16 + 0.2275) / 0.0225 × 2.4 / 15 = 21.6
    let robust = 0
    for (const seed of SEEDS) if (armTest(trial(seed, events, 15, 0.2, 0.35, 0.1)).robust) robust++
    // planned power 0.8; the simulation should be close
    expect(robust / SEEDS.length).toBeGreaterThan(0.65)
    expect(robust / SEEDS.length).toBeLessThan(0.95)
  })
})

describe('AUC intervals on clustered pairs (events × participants with random effects)', () => {
  const mean = (xs: number[]) => xs.reduce((s, v) => s + v, 0) / xs.length

  test('the two-level bootstrap is conservative: SE well above the true SD; Obuchowski by event close to it', () => {
    const aucs: number[] = []
    const boot: number[] = []
    const ob: number[] = []
    for (let s = 0; s < 100; s++) {
      const rows = clusteredPairs(s, 12, 4)
      aucs.push(aucValue(rows.map((r) => ({ score: r.x, positive: r.y })))!)
      boot.push(bootstrapAuc(rows, (r) => r.x, (r) => r.y, pairDesign, { seed: s, replicates: 200 }).se!)
      ob.push(clusteredAuc(rows.map((r) => ({ score: r.x, positive: r.y, clusters: [r.eventId] })))!.se)
    }
    const m = mean(aucs)
    const trueSd = Math.sqrt(aucs.reduce((t, a) => t + (a - m) ** 2, 0) / (aucs.length - 1))
    // measured: bootstrap ≈ 1.6 × the true SD, Obuchowski ≈ 0.9 ×
    expect(mean(boot) / trueSd).toBeGreaterThan(1.25)
    expect(mean(boot) / trueSd).toBeLessThan(2.2)
    expect(mean(ob) / trueSd).toBeGreaterThan(0.75)
    expect(mean(ob) / trueSd).toBeLessThan(1.15)
  })

  test('null (two predictors with equal true AUC): the bootstrap rejects at most 5 %, Obuchowski by event 2 % to 10 %', () => {
    let boot = 0
    let ob = 0
    const seeds = 200
    for (let s = 0; s < seeds; s++) {
      const rows = clusteredPairs(5000 + s, 20, 4)
      if (s < 100 && bootstrapAucDifference(rows, (r) => r.u, (r) => r.v, (r) => r.y, pairDesign, { seed: s, replicates: 200 }).pZero! < 0.05) boot++
      if (clusteredAucCompare(rows.map((r) => ({ a: r.u, b: r.v, positive: r.y, clusters: [r.eventId] })))!.p! < 0.05) ob++
    }
    expect(boot / 100).toBeLessThanOrEqual(0.05)
    expect(ob / seeds).toBeGreaterThanOrEqual(0.02)
    expect(ob / seeds).toBeLessThanOrEqual(0.1)
  })
})
