import { describe, expect, test } from 'vitest'
import { rocAuc } from '../../../src/domain/metrics.ts'
import { auc, aucValue, delong, delongCompare, midranks, structuralComponents } from '../../../src/domain/stats/auc.ts'
import { mulberry32 } from '../../../src/domain/stats/bootstrap.ts'
import { normalCdf, normalQuantile, twoSidedP } from '../../../src/domain/stats/normal.ts'

// ψ(x, y) = 1 if x > y, ½ if tie, 0 otherwise: the kernel of the Mann–Whitney AUC.
const psi = (x: number, y: number) => (x > y ? 1 : x === y ? 0.5 : 0)
const mean = (xs: number[]) => xs.reduce((s, v) => s + v, 0) / xs.length
const cov = (xs: number[], ys: number[]) => {
  const mx = mean(xs)
  const my = mean(ys)
  return xs.reduce((s, x, i) => s + (x - mx) * (ys[i]! - my), 0) / (xs.length - 1)
}
/** DeLong (1988) from the definition, double loops: V10(X_i) = mean_j ψ(X_i, Y_j), V01(Y_j) = mean_i ψ(X_i, Y_j). */
function naiveComponents(pos: number[], neg: number[]) {
  const v10 = pos.map((x) => mean(neg.map((y) => psi(x, y))))
  const v01 = neg.map((y) => mean(pos.map((x) => psi(x, y))))
  return { auc: mean(v10), v10, v01 }
}

describe('normal distribution', () => {
  test.for([
    [0, 0.5],
    [1, 0.8413447460685429],
    [-1.959963984540054, 0.025],
    [-3.5, 2.326290790355250e-4],
    [-5, 2.866515718791939e-7],
    [2.5, 0.9937903346742238],
  ] as const)('Φ(%f) = %f', ([x, p]) => {
    expect(normalCdf(x)).toBeCloseTo(p, 14)
    expect(Math.abs(normalCdf(x) - p) / p).toBeLessThan(1e-12)
  })

  test.for([
    [0.975, 1.959963984540054],
    [0.8, 0.8416212335729143],
    [0.5, 0],
    [1e-10, -6.361340902404056],
    [0.999, 3.090232306167813],
  ] as const)('Φ⁻¹(%f) = %f', ([p, x]) => {
    expect(normalQuantile(p)).toBeCloseTo(x, 11)
  })

  test('two-sided p of z = 1.96 is 0.05', () => {
    expect(twoSidedP(1.959963984540054)).toBeCloseTo(0.05, 14)
    expect(twoSidedP(-1.959963984540054)).toBeCloseTo(0.05, 14)
    expect(twoSidedP(0)).toBe(1)
  })
})

describe('AUC (Mann–Whitney, ties ½, missing left out)', () => {
  // positives 8, 5, 5; negatives 7, 5, 3; three rows with the score missing.
  // ψ table: 8 beats 7, 5, 3 (3); each 5 loses to 7, ties 5 (½), beats 3 (1) -> 1.5 each.
  // AUC = (3 + 1.5 + 1.5) / 9 = 2/3.
  const rows = [
    { score: 8, positive: true },
    { score: 5, positive: true },
    { score: 5, positive: true },
    { score: 7, positive: false },
    { score: 5, positive: false },
    { score: 3, positive: false },
    { score: null, positive: true },
    { score: undefined, positive: false },
    { score: Number.NaN, positive: false },
  ]

  test('hand-computed value, n used and missing', () => {
    const a = auc(rows)!
    expect(a.auc).toBeCloseTo(2 / 3, 15)
    expect(a.n).toBe(6)
    expect(a.missing).toBe(3)
    expect(a.positives).toBe(3)
    expect(a.negatives).toBe(3)
    expect(aucValue(rows)).toBeCloseTo(2 / 3, 15)
  })

  test('Hanley–McNeil SE by hand, and the same as metrics.ts rocAuc', () => {
    // A = 2/3, Q1 = A/(2−A) = 1/2, Q2 = 2A²/(1+A) = 8/15, A² = 4/9
    // Var = (A(1−A) + 2(Q1 − A²) + 2(Q2 − A²)) / 9 = (2/9 + 1/9 + 8/45) / 9 = 23/405
    const a = auc(rows)!
    expect(a.hanleyMcNeil.se).toBeCloseTo(Math.sqrt(23 / 405), 12)
    const reference = rocAuc(rows.slice(0, 6) as { score: number; positive: boolean }[])!
    expect(a.hanleyMcNeil.se).toBe(reference.se)
    expect(a.hanleyMcNeil.ci).toEqual(reference.ci)
  })

  test('a score of 0 is a value, null is missing (never 0)', () => {
    const items = [
      { score: 1, positive: true },
      { score: 0, positive: false },
      { score: null, positive: true },
    ]
    // were null read as 0, the positive at 0 would tie the negative: (1 + ½) / 2 = 0.75
    expect(aucValue(items)).toBe(1)
    expect(auc(items)!.n).toBe(2)
  })

  test('null without both classes', () => {
    expect(auc([{ score: 1, positive: true }, { score: null, positive: false }])).toBeNull()
    expect(aucValue([])).toBeNull()
  })

  test('midranks average the ranks of ties', () => {
    expect(midranks([5, 3, 5, 8, 5])).toEqual([3, 1, 3, 5, 3])
  })
})

describe('DeLong variance', () => {
  test('one AUC: hand-computed from the structural components', () => {
    // V10 (positives 8, 5, 5) = 1, ½, ½;  V01 (negatives 7, 5, 3) = 1/3, 2/3, 1
    // S10 = var(1, ½, ½) = (1/9 + 1/36 + 1/36) / 2 = 1/12; S01 = var(1/3, 2/3, 1) = (2/9) / 2 = 1/9
    // Var = S10/3 + S01/3 = 1/36 + 1/27 = 7/108
    const pos = [8, 5, 5]
    const neg = [7, 5, 3]
    const ref = naiveComponents(pos, neg)
    expect(ref.v10).toEqual([1, 0.5, 0.5])
    expect(ref.v01.map((v) => v * 3)).toEqual([1, 2, 3])
    const refVariance = cov(ref.v10, ref.v10) / 3 + cov(ref.v01, ref.v01) / 3
    expect(refVariance).toBeCloseTo(7 / 108, 15)

    const d = delong([...pos.map((score) => ({ score, positive: true })), ...neg.map((score) => ({ score, positive: false }))])!
    expect(d.auc).toBeCloseTo(2 / 3, 15)
    expect(d.variance).toBeCloseTo(7 / 108, 14)
    expect(d.se).toBeCloseTo(Math.sqrt(7 / 108), 14)
    expect(d.ci.low).toBeCloseTo(2 / 3 - 1.959963984540054 * Math.sqrt(7 / 108), 12)
    expect(d.ci.high).toBe(1) // 2/3 + 0.499 clamped
  })

  test('two correlated AUCs: hand-computed covariance of the difference', () => {
    // rows (positive, a, b): P 8 1, P 5 3, P 5 2, N 7 2, N 5 0, N 3 1
    // b: V10 = ½, 1, 5/6 (AUC 7/9); V01 = ½, 1, 5/6
    // S10 of the difference = var(a) + var(b) − 2 cov = 1/12 + 7/108 + 2·5/72 = 31/108
    // S01 of the difference = 1/9 + 7/108 − 2/18 = 7/108
    // Var(Â − B̂) = (31/108)/3 + (7/108)/3 = 19/162
    const rows = [
      { positive: true, a: 8, b: 1 },
      { positive: true, a: 5, b: 3 },
      { positive: true, a: 5, b: 2 },
      { positive: false, a: 7, b: 2 },
      { positive: false, a: 5, b: 0 },
      { positive: false, a: 3, b: 1 },
      { positive: true, a: 9, b: null }, // left out: b missing
      { positive: false, a: undefined, b: 4 }, // left out: a missing
    ]
    const A = naiveComponents([8, 5, 5], [7, 5, 3])
    const B = naiveComponents([1, 3, 2], [2, 0, 1])
    expect(B.auc).toBeCloseTo(7 / 9, 15)
    const s10 = cov(A.v10, A.v10) + cov(B.v10, B.v10) - 2 * cov(A.v10, B.v10)
    const s01 = cov(A.v01, A.v01) + cov(B.v01, B.v01) - 2 * cov(A.v01, B.v01)
    expect(s10).toBeCloseTo(31 / 108, 14)
    expect(s01).toBeCloseTo(7 / 108, 14)

    const c = delongCompare(rows)!
    expect(c.n).toBe(6)
    expect(c.aucA).toBeCloseTo(2 / 3, 15)
    expect(c.aucB).toBeCloseTo(7 / 9, 15)
    expect(c.diff).toBeCloseTo(-1 / 9, 15)
    expect(c.variance).toBeCloseTo(19 / 162, 14)
    const z = -1 / 9 / Math.sqrt(19 / 162)
    expect(c.z).toBeCloseTo(z, 12)
    // p = 2 (1 − Φ(0.324443)) = 0.745599 (tables: Φ(0.3244) ≈ 0.6272)
    expect(c.p).toBeCloseTo(0.7456, 3)
    expect(c.p).toBeCloseTo(2 * (1 - normalCdf(Math.abs(z))), 14)
    expect(c.ci.low).toBeCloseTo(-1 / 9 - 1.959963984540054 * Math.sqrt(19 / 162), 12)
  })

  test('identical predictors: difference 0 with variance 0 and p = 1', () => {
    const rows = [8, 5, 5, 7, 5, 3].map((s, i) => ({ a: s, b: s, positive: i < 3 }))
    const c = delongCompare(rows)!
    expect(c.diff).toBe(0)
    expect(c.se).toBe(0)
    expect(c.z).toBeNull()
    expect(c.p).toBe(1)
  })

  test('midrank components equal the definition on random data with ties', () => {
    const rng = mulberry32(7)
    for (let trial = 0; trial < 20; trial++) {
      const pos = Array.from({ length: 3 + Math.floor(rng() * 15) }, () => Math.floor(rng() * 6))
      const neg = Array.from({ length: 3 + Math.floor(rng() * 15) }, () => Math.floor(rng() * 5))
      const fast = structuralComponents(pos, neg)
      const ref = naiveComponents(pos, neg)
      expect(fast.auc).toBeCloseTo(ref.auc, 12)
      fast.v10.forEach((v, i) => expect(v).toBeCloseTo(ref.v10[i]!, 12))
      fast.v01.forEach((v, j) => expect(v).toBeCloseTo(ref.v01[j]!, 12))
      const items = [...pos.map((score) => ({ score, positive: true })), ...neg.map((score) => ({ score, positive: false }))]
      expect(aucValue(items)).toBeCloseTo(rocAuc(items)!.auc, 12)
    }
  })

  test('fewer than 2 positives: no DeLong variance', () => {
    expect(delong([{ score: 1, positive: true }, { score: 0, positive: false }, { score: 2, positive: false }])).toBeNull()
    expect(auc([{ score: 1, positive: true }, { score: 0, positive: false }, { score: 2, positive: false }])!.delong).toBeNull()
  })
})
