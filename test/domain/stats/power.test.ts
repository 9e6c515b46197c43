import { describe, expect, test } from 'vitest'
import { mulberry32 } from '../../../src/domain/stats/bootstrap.ts'
import { clusterCounts, designEffect, eventsPerArm, iccAnova, powerForEvents } from '../../../src/domain/stats/power.ts'
import { clusteredOutcomes } from './synthetic.ts'

describe('power for a cluster-randomised comparison of two proportions', () => {
  test('design effect', () => {
    expect(designEffect(10, 0.05)).toBeCloseTo(1.45, 14)
    expect(designEffect(1, 0.3)).toBe(1)
    // unequal sizes, cv = 0.5: 1 + ((0.25 + 1) 10 − 1) 0.05 = 1.575
    expect(designEffect(10, 0.05, 0.5)).toBeCloseTo(1.575, 14)
  })

  test('events per arm against the closed form', () => {
    // z_.975 + z_.8 = 1.959964 + 0.841621 = 2.801585, squared 7.848879
    // individual: 7.848879 × (0.09 + 0.16) / 0.1² = 196.2220 pairs per arm
    // × DE 1.45 = 284.522 pairs; / 10 pairs per event = 28.45 -> 29 events per arm
    const s = eventsPerArm({ p1: 0.1, p2: 0.2, pairsPerEvent: 10, icc: 0.05 })
    expect(s.pairsPerArmIndividual).toBeCloseTo(196.222, 3)
    expect(s.designEffect).toBeCloseTo(1.45, 12)
    expect(s.pairsPerArm).toBeCloseTo(284.522, 3)
    expect(s.eventsPerArm).toBe(29)
    // with 29 events: SE = √(0.25 × 1.45 / 290) = 0.0353553, 0.1 / SE − 1.959964 = 0.868463, Φ = 0.80744
    expect(s.achievedPower).toBeCloseTo(0.80744, 4)
  })

  test('power at the unrounded number of events is the target', () => {
    const d = { p1: 0.2, p2: 0.3, pairsPerEvent: 12, icc: 0.08, alpha: 0.05, power: 0.9 }
    const s = eventsPerArm(d)
    expect(powerForEvents(s.pairsPerArm / d.pairsPerEvent, d)).toBeCloseTo(0.9, 10)
    expect(s.achievedPower).toBeGreaterThanOrEqual(0.9)
    expect(powerForEvents(s.eventsPerArm - 1, d)).toBeLessThan(0.9)
  })

  test('ICC 0 needs as many pairs as individual randomisation', () => {
    const s = eventsPerArm({ p1: 0.3, p2: 0.5, pairsPerEvent: 8, icc: 0 })
    expect(s.pairsPerArm).toBe(s.pairsPerArmIndividual)
  })

  test('bad designs are a RangeError', () => {
    expect(() => eventsPerArm({ p1: 0.2, p2: 0.2, pairsPerEvent: 8, icc: 0.1 })).toThrow(RangeError)
    expect(() => eventsPerArm({ p1: 0, p2: 0.2, pairsPerEvent: 8, icc: 0.1 })).toThrow(RangeError)
    expect(() => eventsPerArm({ p1: 0.1, p2: 0.2, pairsPerEvent: 8, icc: 1.5 })).toThrow(RangeError)
  })
})

describe('ICC, ANOVA estimator', () => {
  test('constructed data, by hand', () => {
    // clusters of 4 with 0, 4 and 2 positives: p̂ = 0.5; p̂_i = 0, 1, 0.5
    // SSB = 4·0.25 + 4·0.25 + 0 = 2, MSB = 2/2 = 1; SSW = 0 + 0 + 4·0.5·0.5 = 1, MSW = 1/9
    // n0 = (12 − 48/12) / 2 = 4; ρ = (1 − 1/9) / (1 + 3/9) = 2/3
    const r = iccAnova([{ n: 4, positives: 0 }, { n: 4, positives: 4 }, { n: 4, positives: 2 }])!
    expect(r.msb).toBeCloseTo(1, 14)
    expect(r.msw).toBeCloseTo(1 / 9, 14)
    expect(r.n0).toBeCloseTo(4, 14)
    expect(r.icc).toBeCloseTo(2 / 3, 14)
  })

  test('unequal sizes, by hand', () => {
    // clusters (n, k) = (2, 2), (3, 0), (5, 3): N = 10, p̂ = 0.5
    // SSB = 2·0.25 + 3·0.25 + 5·0.01 = 1.3, MSB = 0.65
    // SSW = 0 + 0 + 3·(1 − 0.6) = 1.2, MSW = 1.2 / 7
    // n0 = (10 − (4 + 9 + 25)/10) / 2 = 3.1
    const r = iccAnova([{ n: 2, positives: 2 }, { n: 3, positives: 0 }, { n: 5, positives: 3 }])!
    const msw = 1.2 / 7
    expect(r.n0).toBeCloseTo(3.1, 14)
    expect(r.icc).toBeCloseTo((0.65 - msw) / (0.65 + 2.1 * msw), 12)
  })

  test('identical clusters give a negative or zero ICC; perfectly homogeneous clusters give 1', () => {
    expect(iccAnova([{ n: 4, positives: 2 }, { n: 4, positives: 2 }])!.icc).toBeLessThan(0)
    expect(iccAnova([{ n: 3, positives: 3 }, { n: 3, positives: 0 }])!.icc).toBe(1)
    expect(iccAnova([{ n: 3, positives: 1 }])).toBeNull()
  })

  test('recovers the ICC of synthetic data', () => {
    const rows = clusteredOutcomes(mulberry32(12), 600, 15, 0.25, 0.1, 'E', 0)
    const r = iccAnova(clusterCounts(rows, (x) => x.event, (x) => x.y === 1))!
    expect(r.clusters).toBe(600)
    expect(r.icc).toBeGreaterThan(0.08)
    expect(r.icc).toBeLessThan(0.12)
  })
})
