import { describe, expect, test } from 'vitest'
import { mulberry32 } from '../../../src/domain/stats/bootstrap.ts'
import { calibrationByDecile, calibrationByQuantile, calibrationSlope } from '../../../src/domain/stats/calibration.ts'

describe('calibration by decile', () => {
  test('20 distinct values: 10 bins of 2, mean predicted, observed rate, Wilson interval', () => {
    const rows = Array.from({ length: 20 }, (_, i) => ({ predicted: (i + 1) / 20, observed: (i % 2 === 1 ? 1 : 0) as 0 | 1 }))
    const c = calibrationByDecile([...rows, { predicted: null, observed: 1 }])
    expect(c.n).toBe(20)
    expect(c.missing).toBe(1)
    expect(c.bins).toHaveLength(10)
    const first = c.bins[0]!
    expect(first).toMatchObject({ bin: 1, n: 2, min: 0.05, max: 0.1, observed: 1, observedRate: 0.5 })
    expect(first.meanPredicted).toBeCloseTo(0.075, 14)
    // Wilson 1/2 (metrics.test.ts): [0.09453, 0.90547]
    expect(first.ci.low).toBeCloseTo(0.09453, 4)
    expect(first.ci.high).toBeCloseTo(0.90547, 4)
  })

  test('ties share a bin', () => {
    // 10 rows, values 1,1,1,1,2,3,…: with 5 bins the four 1s (first rank 0) all fall in bin 1,
    // then 2 (rank 4) -> bin floor(5·4/10)+1 = 3, 3 (rank 5) -> 3, 4 (rank 6) -> 4, …
    const values = [1, 1, 1, 1, 2, 3, 4, 5, 6, 7]
    const c = calibrationByQuantile(values.map((v) => ({ predicted: v, observed: v > 3 })), 5)
    expect(c.bins.map((b) => [b.bin, b.n])).toEqual([[1, 4], [3, 2], [4, 2], [5, 2]])
    expect(c.bins.map((b) => b.observed)).toEqual([0, 0, 2, 2])
  })
})

describe('calibration slope', () => {
  test('two predicted values: the saturated fit, by hand', () => {
    // p̂ = 0.2 on 10 rows with 3 events, p̂ = 0.6 on 10 rows with 8 events
    // slope = (logit 0.8 − logit 0.3) / (logit 0.6 − logit 0.2), intercept = logit 0.3 − slope · logit 0.2
    const logit = (p: number) => Math.log(p / (1 - p))
    const rows = [
      ...Array.from({ length: 10 }, (_, i) => ({ predicted: 0.2, observed: i < 3 })),
      ...Array.from({ length: 10 }, (_, i) => ({ predicted: 0.6, observed: i < 8 })),
      { predicted: null, observed: true },
      { predicted: 1, observed: true },
    ]
    const c = calibrationSlope(rows)!
    const slope = (logit(0.8) - logit(0.3)) / (logit(0.6) - logit(0.2))
    expect(c.n).toBe(20)
    expect(c.slope).toBeCloseTo(slope, 9)
    expect(c.intercept).toBeCloseTo(logit(0.3) - slope * logit(0.2), 9)
    // SE of the slope: √(1/3 + 1/7 + 1/8 + 1/2) / (logit 0.6 − logit 0.2)
    expect(c.se[1]).toBeCloseTo(Math.sqrt(1 / 3 + 1 / 7 + 1 / 8 + 1 / 2) / (logit(0.6) - logit(0.2)), 9)
    expect(c.seMethod).toBe('model')
  })

  test('outcomes drawn from the predictions: slope near 1, intercept near 0', () => {
    const rng = mulberry32(21)
    const rows = Array.from({ length: 4000 }, () => {
      const p = 0.05 + 0.9 * rng()
      return { predicted: p, observed: rng() < p, cluster: `e${Math.floor(rng() * 40)}` }
    })
    const c = calibrationSlope(rows)!
    expect(c.seMethod).toBe('cluster-robust')
    expect(Math.abs(c.slope - 1)).toBeLessThan(3 * c.se[1])
    expect(Math.abs(c.intercept)).toBeLessThan(3 * c.se[0])
  })

  test('one predicted value: null', () => {
    expect(calibrationSlope([0.3, 0.3, 0.3].map((p, i) => ({ predicted: p, observed: i === 0 })))).toBeNull()
  })
})
