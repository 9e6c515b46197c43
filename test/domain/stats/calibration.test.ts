import { describe, expect, test } from 'vitest'
import { calibrationByDecile, calibrationByQuantile } from '../../../src/domain/stats/calibration.ts'

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
