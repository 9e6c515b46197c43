import { describe, expect, test } from 'vitest'
import { clusteredAuc, clusteredAucCompare } from '../../../src/domain/stats/clustered-auc.ts'
import { mulberry32 } from '../../../src/domain/stats/bootstrap.ts'

const psi = (x: number, y: number) => (x > y ? 1 : x === y ? 0.5 : 0)
const mean = (xs: number[]) => xs.reduce((s, v) => s + v, 0) / xs.length

// positives 8, 5, 5 (rows P1..P3), negatives 7, 5, 3 (N1..N3): AUC 2/3,
// V10 = 1, ½, ½ (deviations 1/3, −1/6, −1/6), V01 = 1/3, 2/3, 1 (deviations −1/3, 0, 1/3)
const base = [
  { id: 'P1', score: 8, positive: true },
  { id: 'P2', score: 5, positive: true },
  { id: 'P3', score: 5, positive: true },
  { id: 'N1', score: 7, positive: false },
  { id: 'N2', score: 5, positive: false },
  { id: 'N3', score: 3, positive: false },
]

describe('Obuchowski clustered AUC variance', () => {
  test('one row per cluster, by hand: 6/5 × (Σ(V10 − θ)²/9 + Σ(V01 − θ)²/9) = 6/5 × 7/162 = 7/135', () => {
    const r = clusteredAuc(base.map((b) => ({ ...b, clusters: [b.id] })))!
    expect(r.auc).toBeCloseTo(2 / 3, 15)
    expect(r.se ** 2).toBeCloseTo(7 / 135, 14)
    expect(r.clusters).toBe(6)
  })

  test('clusters {P1, N1}, {P2, N2}, {P3, N3}, by hand: 3/2 × (0² + (1/18)² + (1/18)²) = 1/108', () => {
    // cluster sums of influence A_k/3 + B_k/3: (1/3 − 1/3)/3 = 0, (−1/6 + 0)/3, (−1/6 + 1/3)/3
    const r = clusteredAuc(base.map((b) => ({ ...b, clusters: [b.id.slice(1)] })))!
    expect(r.clusters).toBe(3)
    expect(r.se ** 2).toBeCloseTo(1 / 108, 14)
  })

  test('clusters {P1, P2, N1}, {P3, N2, N3}, by hand: 2 × 2 × (1/18)² = 1/81', () => {
    const group = { P1: 'g1', P2: 'g1', N1: 'g1', P3: 'g2', N2: 'g2', N3: 'g2' } as Record<string, string>
    const r = clusteredAuc(base.map((b) => ({ ...b, clusters: [group[b.id]!] })))!
    expect(r.se ** 2).toBeCloseTo(1 / 81, 14)
  })

  test('two-way with a second key unique per row equals one-way on the first key', () => {
    const rng = mulberry32(3)
    const rows = Array.from({ length: 60 }, (_, i) => ({ score: Math.floor(rng() * 8), positive: rng() < 0.4, g: `g${i % 7}`, id: `r${i}` }))
    const one = clusteredAuc(rows.map((r) => ({ ...r, clusters: [r.g] })))!
    const two = clusteredAuc(rows.map((r) => ({ ...r, clusters: [r.g, r.id] })))!
    expect(two.se).toBeCloseTo(one.se, 14)
  })

  test('fewer than two clusters or one class: null; missing scores left out', () => {
    expect(clusteredAuc(base.map((b) => ({ ...b, clusters: ['all'] })))).toBeNull()
    expect(clusteredAuc(base.filter((b) => b.positive).map((b) => ({ ...b, clusters: [b.id] })))).toBeNull()
    const withMissing = clusteredAuc([...base, { id: 'X', score: null as unknown as number, positive: true }].map((b) => ({ ...b, clusters: [b.id] })))!
    expect(withMissing.n).toBe(6)
  })
})

describe('Obuchowski clustered comparison of two AUCs', () => {
  test('against the influence functions written out', () => {
    const rng = mulberry32(11)
    const rows = Array.from({ length: 40 }, (_, i) => {
      const x = Math.floor(rng() * 6)
      return { a: x + Math.floor(rng() * 3), b: Math.floor(rng() * 6), positive: rng() < 0.2 + x / 10, g: `e${i % 6}` }
    })
    const pos = rows.filter((r) => r.positive)
    const neg = rows.filter((r) => !r.positive)
    const thetaA = mean(pos.flatMap((p) => neg.map((n) => psi(p.a, n.a))))
    const thetaB = mean(pos.flatMap((p) => neg.map((n) => psi(p.b, n.b))))
    const sums = new Map<string, number>()
    for (const r of rows) {
      const inf = r.positive
        ? (mean(neg.map((n) => psi(r.a, n.a))) - thetaA - (mean(neg.map((n) => psi(r.b, n.b))) - thetaB)) / pos.length
        : (mean(pos.map((p) => psi(p.a, r.a))) - thetaA - (mean(pos.map((p) => psi(p.b, r.b))) - thetaB)) / neg.length
      sums.set(r.g, (sums.get(r.g) ?? 0) + inf)
    }
    const variance = (6 / 5) * [...sums.values()].reduce((s, v) => s + v * v, 0)
    const c = clusteredAucCompare(rows.map((r) => ({ ...r, clusters: [r.g] })))!
    expect(c.diff).toBeCloseTo(thetaA - thetaB, 14)
    expect(c.se ** 2).toBeCloseTo(variance, 14)
    expect(c.clusters).toBe(6)
  })

  test('a predictor against itself: se 0, p 1', () => {
    const c = clusteredAucCompare(base.map((b) => ({ a: b.score, b: b.score, positive: b.positive, clusters: [b.id] })))!
    expect(c.diff).toBe(0)
    expect(c.se).toBe(0)
    expect(c.p).toBe(1)
  })
})
