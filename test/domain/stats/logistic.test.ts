import { describe, expect, test } from 'vitest'
import { mulberry32 } from '../../../src/domain/stats/bootstrap.ts'
import { logisticRegression } from '../../../src/domain/stats/logistic.ts'

const sigmoid = (t: number) => 1 / (1 + Math.exp(-t))

/** Independent reference: plain gradient ascent on the (penalised) mean log-likelihood, intercept first. */
function gradientAscent(X: number[][], y: number[], lambda = 0, steps = 40_000, rate = 2): number[] {
  const n = X.length
  const p = X[0]!.length
  const beta = new Array<number>(p).fill(0)
  for (let s = 0; s < steps; s++) {
    const g = new Array<number>(p).fill(0)
    for (let i = 0; i < n; i++) {
      const r = y[i]! - sigmoid(X[i]!.reduce((t, v, j) => t + v * beta[j]!, 0))
      for (let j = 0; j < p; j++) g[j]! += X[i]![j]! * r
    }
    for (let j = 1; j < p; j++) g[j]! -= lambda * beta[j]!
    for (let j = 0; j < p; j++) beta[j]! += (rate * g[j]!) / n
  }
  return beta
}

/** 2x2 table as rows: x = 0 has a events and b non-events, x = 1 has c events and d non-events. */
function table(a: number, b: number, c: number, d: number) {
  const x: number[][] = []
  const y: number[] = []
  const push = (xv: number, yv: number, k: number) => {
    for (let i = 0; i < k; i++) {
      x.push([xv])
      y.push(yv)
    }
  }
  push(0, 1, a)
  push(0, 0, b)
  push(1, 1, c)
  push(1, 0, d)
  return { x, y }
}

function dataset(seed: number, n: number) {
  const rng = mulberry32(seed)
  const x: number[][] = []
  const y: number[] = []
  for (let i = 0; i < n; i++) {
    const x1 = 2 * rng() - 1
    const x2 = rng() < 0.4 ? 1 : 0
    x.push([x1, x2])
    y.push(rng() < sigmoid(-0.3 + 1.2 * x1 - 0.8 * x2) ? 1 : 0)
  }
  return { x, y }
}

describe('logistic regression', () => {
  test('2x2 table: intercept = log odds at x = 0, slope = log odds ratio, SE = √(1/a + 1/b + 1/c + 1/d)', () => {
    const { x, y } = table(3, 7, 6, 4)
    const fit = logisticRegression(x, y)
    expect(fit.converged).toBe(true)
    expect(fit.separation).toBe(false)
    expect(fit.coefficients[0]).toBeCloseTo(Math.log(3 / 7), 10)
    expect(fit.coefficients[1]).toBeCloseTo(Math.log((6 * 7) / (4 * 3)), 10)
    expect(fit.se[1]).toBeCloseTo(Math.sqrt(1 / 3 + 1 / 7 + 1 / 6 + 1 / 4), 10)
    expect(fit.se[0]).toBeCloseTo(Math.sqrt(1 / 3 + 1 / 7), 10)
    // log-likelihood of the saturated 2x2 model: Σ k log p̂
    const ll = 3 * Math.log(0.3) + 7 * Math.log(0.7) + 6 * Math.log(0.6) + 4 * Math.log(0.4)
    expect(fit.logLikelihood).toBeCloseTo(ll, 10)
  })

  test('clusters of one row: CR1 = HC0 × N/(N − p); in a saturated 2x2 model HC0 equals the model-based SE', () => {
    // In each x group the residuals sum to 0 and Σ (y − p̂)² = n p̂ (1 − p̂), so the meat equals XᵀWX.
    const { x, y } = table(3, 7, 6, 4)
    const fit = logisticRegression(x, y, { clusters: y.map((_, i) => i) })
    const N = 20
    expect(fit.robust!.clusters).toBe(N)
    expect(fit.robust!.correction).toBeCloseTo(N / (N - 2), 14)
    expect(fit.robust!.se[1]).toBeCloseTo(Math.sqrt((N / (N - 2)) * (1 / 3 + 1 / 7 + 1 / 6 + 1 / 4)), 10)
  })

  test('a data set checked against gradient ascent (no penalty and ridge)', () => {
    const { x, y } = dataset(3, 80)
    const X = x.map((r) => [1, ...r])
    for (const lambda of [0, 2]) {
      const fit = logisticRegression(x, y, { l2: lambda })
      const ref = gradientAscent(X, y, lambda)
      expect(fit.converged).toBe(true)
      fit.coefficients.forEach((b, j) => expect(b).toBeCloseTo(ref[j]!, 7))
    }
    // the penalty shrinks the slopes, not the intercept's role
    const free = logisticRegression(x, y)
    const ridge = logisticRegression(x, y, { l2: 2 })
    expect(Math.abs(ridge.coefficients[1]!)).toBeLessThan(Math.abs(free.coefficients[1]!))
    expect(Math.abs(ridge.coefficients[2]!)).toBeLessThan(Math.abs(free.coefficients[2]!))
  })

  test('intercept not penalised: a huge penalty leaves the intercept at the overall log odds', () => {
    const { x, y } = dataset(4, 50)
    const fit = logisticRegression(x, y, { l2: 1e9 })
    const p = y.reduce((s, v) => s + v, 0) / y.length
    expect(fit.coefficients[0]).toBeCloseTo(Math.log(p / (1 - p)), 6)
    expect(Math.abs(fit.coefficients[1]!)).toBeLessThan(1e-6)
  })

  test('cluster-robust SE against the sandwich written out for one covariate', () => {
    const { x, y } = dataset(5, 60)
    const x1 = x.map((r) => r[0]!)
    const clusters = x1.map((_, i) => `g${Math.floor(i / 3)}`)
    const fit = logisticRegression(x1.map((v) => [v]), y, { clusters })
    const [b0, b1] = fit.coefficients as [number, number]
    // bread: inverse of [[Σw, Σwx], [Σwx, Σwx²]]
    let s0 = 0, s1 = 0, s2 = 0
    const u = new Map<string, [number, number]>()
    x1.forEach((v, i) => {
      const mu = sigmoid(b0 + b1 * v)
      const w = mu * (1 - mu)
      s0 += w
      s1 += w * v
      s2 += w * v * v
      const g = u.get(clusters[i]!) ?? [0, 0]
      g[0] += y[i]! - mu
      g[1] += v * (y[i]! - mu)
      u.set(clusters[i]!, g)
    })
    const det = s0 * s2 - s1 * s1
    const B = [[s2 / det, -s1 / det], [-s1 / det, s0 / det]]
    let m00 = 0, m01 = 0, m11 = 0
    for (const [g0, g1] of u.values()) {
      m00 += g0 * g0
      m01 += g0 * g1
      m11 += g1 * g1
    }
    // (B M B)_11 = B10² m00 + 2 B10 B11 m01 + B11² m11
    const b10 = B[1]![0]!
    const b11 = B[1]![1]!
    const G = 20
    const N = 60
    const cr1 = (G / (G - 1)) * ((N - 1) / (N - 2))
    const v11 = cr1 * (b10 * b10 * m00 + 2 * b10 * b11 * m01 + b11 * b11 * m11)
    expect(fit.robust!.clusters).toBe(G)
    expect(fit.robust!.se[1]).toBeCloseTo(Math.sqrt(v11), 10)
    expect(fit.se[1]).toBeCloseTo(Math.sqrt(b11), 10)
  })

  test('complete separation: flagged without a penalty, finite with one', () => {
    const x = [[0], [1], [2], [3], [4], [5]]
    const y = [0, 0, 0, 1, 1, 1]
    const free = logisticRegression(x, y, { maxIterations: 50 })
    expect(free.separation).toBe(true)
    expect(free.converged).toBe(false)
    expect(free.coefficients.every(Number.isFinite)).toBe(true)
    const ridge = logisticRegression(x, y, { l2: 1 })
    expect(ridge.converged).toBe(true)
    expect(ridge.separation).toBe(false)
    expect(ridge.coefficients.every(Number.isFinite)).toBe(true)
    // at the penalised maximum the penalised score is 0
    const g = [0, 0]
    x.forEach(([v], i) => {
      const r = y[i]! - sigmoid(ridge.coefficients[0]! + ridge.coefficients[1]! * v!)
      g[0]! += r
      g[1]! += v! * r
    })
    expect(g[0]).toBeCloseTo(0, 8)
    expect(g[1]! - 1 * ridge.coefficients[1]!).toBeCloseTo(0, 8)
  })

  test('step halving keeps the objective increasing from a hard start', () => {
    // large covariate scale: a full first Newton step from 0 overshoots
    const rng = mulberry32(9)
    const x = Array.from({ length: 40 }, () => [200 * rng() - 100])
    const y = x.map(([v]) => (rng() < sigmoid(0.05 * v!) ? 1 : 0))
    const fit = logisticRegression(x, y)
    const ref = gradientAscent(x.map((r) => [1, r[0]! / 100]), y)
    expect(fit.converged).toBe(true)
    expect(fit.coefficients[0]).toBeCloseTo(ref[0]!, 6)
    expect(fit.coefficients[1]! * 100).toBeCloseTo(ref[1]!, 6)
  })

  test('collinear columns: singular information, no separation, NaN standard errors', () => {
    const x = [[1, 2], [2, 4], [3, 6], [4, 8]]
    const fit = logisticRegression(x, [0, 1, 0, 1])
    expect(fit.converged).toBe(false)
    expect(fit.stopped).toBe('singular-information')
    expect(fit.separation).toBe(false)
    expect(fit.se.every(Number.isNaN)).toBe(true)
    // a ridge penalty makes it identifiable
    expect(logisticRegression(x, [0, 1, 0, 1], { l2: 1 }).converged).toBe(true)
  })

  test('bad input is a RangeError', () => {
    expect(() => logisticRegression([[1]], [2])).toThrow(RangeError)
    expect(() => logisticRegression([[1], [2]], [1])).toThrow(RangeError)
    expect(() => logisticRegression([[Number.NaN]], [1])).toThrow(RangeError)
    expect(() => logisticRegression([[1]], [1], { l2: -1 })).toThrow(RangeError)
  })
})
