import { describe, expect, test } from 'vitest'
import { aucValue } from '../../../src/domain/stats/auc.ts'
import {
  bootstrapAuc,
  bootstrapAucDifference,
  clusterBootstrap,
  clusterResample,
  mulberry32,
  quantileSorted,
  randomIndex,
  type ClusterDesign,
} from '../../../src/domain/stats/bootstrap.ts'

interface Row {
  event: string
  a: string
  c: string
  score: number | null
  other: number | null
  y: boolean
}

const design: ClusterDesign<Row> = { cluster: (r) => r.event, members: (r) => [r.a, r.c] }

/** Events with 4 associations × 4 companies, every pair met; y depends on score. */
function makeRows(seed: number, events = 6): Row[] {
  const rng = mulberry32(seed)
  const rows: Row[] = []
  for (let e = 0; e < events; e++)
    for (let a = 0; a < 4; a++)
      for (let c = 0; c < 4; c++) {
        const score = Math.round(rng() * 100) / 10
        const y = rng() < 0.1 + score / 15
        rows.push({ event: `E${e}`, a: `A${e}-${a}`, c: `C${e}-${c}`, score: rng() < 0.1 ? null : score, other: rng() * 10, y })
      }
  return rows
}

function shuffled<T>(xs: readonly T[], seed: number): T[] {
  const rng = mulberry32(seed)
  const out = xs.slice()
  for (let i = out.length - 1; i > 0; i--) {
    const j = randomIndex(rng, i + 1)
    ;[out[i], out[j]] = [out[j]!, out[i]!]
  }
  return out
}

describe('mulberry32', () => {
  test('same seed, same stream; another seed, another stream', () => {
    const a = mulberry32(42)
    const b = mulberry32(42)
    const c = mulberry32(43)
    const xs = Array.from({ length: 5 }, () => a())
    expect(Array.from({ length: 5 }, () => b())).toEqual(xs)
    expect(Array.from({ length: 5 }, () => c())).not.toEqual(xs)
  })

  test('uniform on [0, 1): mean 1/2, variance 1/12', () => {
    const rng = mulberry32(1)
    const xs = Array.from({ length: 100_000 }, () => rng())
    expect(Math.min(...xs)).toBeGreaterThanOrEqual(0)
    expect(Math.max(...xs)).toBeLessThan(1)
    const m = xs.reduce((s, v) => s + v, 0) / xs.length
    const v = xs.reduce((s, x) => s + (x - m) ** 2, 0) / xs.length
    expect(m).toBeCloseTo(0.5, 2)
    expect(v).toBeCloseTo(1 / 12, 3)
  })
})

describe('cluster resampling', () => {
  test('a pair is kept k_a × k_c times: counts in one event form an outer product', () => {
    // one event, 3 associations × 3 companies, every pair once
    const rows: Row[] = []
    for (const a of ['a1', 'a2', 'a3']) for (const c of ['c1', 'c2', 'c3']) rows.push({ event: 'E', a, c, score: 0, other: 0, y: false })
    const rng = mulberry32(5)
    for (let t = 0; t < 50; t++) {
      const sample = clusterResample(rows, design, rng)
      const count = (a: string, c: string) => sample.filter((r) => r.a === a && r.c === c).length
      const ka = ['a1', 'a2', 'a3'].map((a) => ['c1', 'c2', 'c3'].reduce((s, c) => s + count(a, c), 0))
      const kc = ['c1', 'c2', 'c3'].map((c) => ['a1', 'a2', 'a3'].reduce((s, a) => s + count(a, c), 0))
      const totalA = ka.reduce((s, v) => s + v, 0)
      // (Σ k_a)(Σ k_c) = 3 × 3 rows in all
      expect(sample.length).toBe(9)
      expect(totalA).toBe(9)
      for (const [i, a] of ['a1', 'a2', 'a3'].entries())
        for (const [j, c] of ['c1', 'c2', 'c3'].entries()) expect(count(a, c) * 9).toBe(ka[i]! * kc[j]!)
    }
  })

  test('one-level design keeps whole events', () => {
    const rows = makeRows(1, 4)
    const sample = clusterResample(rows, { cluster: (r) => r.event }, mulberry32(3))
    const perEvent = new Map<string, number>()
    for (const r of sample) perEvent.set(r.event, (perEvent.get(r.event) ?? 0) + 1)
    for (const n of perEvent.values()) expect(n % 16).toBe(0)
    expect(sample.length).toBe(rows.length)
  })

  test('each row is kept once on average', () => {
    const rows = makeRows(2, 5)
    const rng = mulberry32(11)
    let total = 0
    const draws = 2000
    for (let t = 0; t < draws; t++) total += clusterResample(rows, design, rng).length
    // E[multiplicity] = E[k_event] E[k_a] E[k_c] = 1
    expect(total / draws / rows.length).toBeGreaterThan(0.95)
    expect(total / draws / rows.length).toBeLessThan(1.05)
  })
})

describe('cluster bootstrap intervals', () => {
  test('type 7 quantiles', () => {
    expect(quantileSorted([1, 2, 3, 4], 0.5)).toBe(2.5)
    expect(quantileSorted([1, 2, 3, 4], 0.25)).toBe(1.75)
    expect(quantileSorted([5], 0.975)).toBe(5)
  })

  test('same seed, same interval; shuffled rows, same interval; another seed, another interval', () => {
    const rows = makeRows(3)
    const opts = { seed: 2024, replicates: 300 }
    const one = bootstrapAuc(rows, (r) => r.score, (r) => r.y, design, opts)
    const two = bootstrapAuc(rows, (r) => r.score, (r) => r.y, design, opts)
    expect(two).toEqual(one)
    expect(bootstrapAuc(shuffled(rows, 9), (r) => r.score, (r) => r.y, design, opts)).toEqual(one)
    const other = bootstrapAuc(rows, (r) => r.score, (r) => r.y, design, { seed: 2025, replicates: 300 })
    expect(other.ci).not.toEqual(one.ci)
    expect(one.estimate).toBe(aucValue(rows.map((r) => ({ score: r.score, positive: r.y }))))
    expect(one.ci!.low).toBeLessThan(one.estimate!)
    expect(one.ci!.high).toBeGreaterThan(one.estimate!)
    expect(one.valid).toBe(300)
    expect(one.method).toBe('cluster-bootstrap')
  })

  test('pZero counts the observed value: never below 2 / (valid + 1)', () => {
    const rows = makeRows(7, 3)
    const always = clusterBootstrap(rows, () => 0.3, design, { seed: 1, replicates: 99 })
    expect(always.pZero).toBe(2 / 100)
    expect(always.ci).toEqual({ low: 0.3, high: 0.3 })
    // the sign of (resample size − original size): p = 2 (1 + min(#≤0, #≥0)) / (B + 1)
    const sizes: number[] = []
    const r = clusterBootstrap(rows, (rs) => (sizes.push(rs.length), rs.length - rows.length), design, { seed: 2, replicates: 99 })
    const reps = sizes.slice(0, 99).map((n) => n - rows.length)
    const expected = Math.min(1, (2 * (1 + Math.min(reps.filter((v) => v <= 0).length, reps.filter((v) => v >= 0).length))) / 100)
    expect(r.pZero).toBeCloseTo(expected, 15)
  })

  test('AUC difference: a predictor against itself gives exactly 0', () => {
    const rows = makeRows(4)
    const d = bootstrapAucDifference(rows, (r) => r.score, (r) => r.score, (r) => r.y, design, { seed: 1, replicates: 100 })
    expect(d.estimate).toBe(0)
    expect(d.ci).toEqual({ low: 0, high: 0 })
    expect(d.pZero).toBe(1)
  })

  test('AUC difference: informative score against noise is positive', () => {
    const rows = makeRows(5, 30)
    const d = bootstrapAucDifference(rows, (r) => r.score, (r) => r.other, (r) => r.y, design, { seed: 1, replicates: 400 })
    expect(d.estimate!).toBeGreaterThan(0.15)
    expect(d.ci!.low).toBeGreaterThan(0)
    expect(d.pZero!).toBeLessThan(0.05)
  })

  test('percentile interval of a mean with one-row clusters matches the normal approximation', () => {
    // clusters of one row: the ordinary bootstrap; the mean of 400 U(0,1) has SE √(1/12/400) ≈ 0.01443
    const rng = mulberry32(77)
    const rows = Array.from({ length: 400 }, (_, i) => ({ id: String(i), v: rng() }))
    const r = clusterBootstrap(rows, (rs) => rs.reduce((s, x) => s + x.v, 0) / rs.length, { cluster: (x) => x.id }, { seed: 3, replicates: 2000 })
    expect(r.se!).toBeGreaterThan(0.0125)
    expect(r.se!).toBeLessThan(0.0165)
    expect(r.ci!.high - r.ci!.low).toBeCloseTo(2 * 1.96 * r.se!, 2)
  })

  test('the weighted fast path gives the same replicates as the generic bootstrap of expanded rows', () => {
    const rows = makeRows(8, 5)
    const opts = { seed: 99, replicates: 200 }
    const fast = bootstrapAuc(rows, (r) => r.score, (r) => r.y, design, opts)
    const generic = clusterBootstrap(rows, (rs) => aucValue(rs.map((r) => ({ score: r.score, positive: r.y }))), design, opts)
    expect(fast.valid).toBe(generic.valid)
    expect(fast.estimate!).toBeCloseTo(generic.estimate!, 12)
    expect(fast.ci!.low).toBeCloseTo(generic.ci!.low, 12)
    expect(fast.ci!.high).toBeCloseTo(generic.ci!.high, 12)
    expect(fast.se!).toBeCloseTo(generic.se!, 12)
    const both = (r: Row) => r.score !== null && r.other !== null
    const fastDiff = bootstrapAucDifference(rows, (r) => r.score, (r) => r.other, (r) => r.y, design, opts)
    const genericDiff = clusterBootstrap(
      rows,
      (rs) => {
        const kept = rs.filter(both)
        const x = aucValue(kept.map((r) => ({ score: r.score, positive: r.y })))
        const y = aucValue(kept.map((r) => ({ score: r.other, positive: r.y })))
        return x === null || y === null ? null : x - y
      },
      design,
      opts,
    )
    expect(fastDiff.ci!.low).toBeCloseTo(genericDiff.ci!.low, 12)
    expect(fastDiff.ci!.high).toBeCloseTo(genericDiff.ci!.high, 12)
    expect(fastDiff.pZero).toBe(genericDiff.pZero)
  })

  test('the two-level scheme is conservative on independent rows', () => {
    // rows drawn independently: the row bootstrap is right; resampling events and then
    // participants counts the pair-level noise more than once (Owen 2007, "The pigeonhole
    // bootstrap"; Davison & Hinkley 1997 §3.8), so its interval is wider
    const rows = makeRows(6, 20)
    const opts = { seed: 4, replicates: 400 }
    const twoLevel = bootstrapAuc(rows, (r) => r.score, (r) => r.y, design, opts)
    const rowLevel = bootstrapAuc(rows, (r) => r.score, (r) => r.y, { cluster: (r) => `${r.event}|${r.a}|${r.c}` }, opts)
    expect(twoLevel.se!).toBeGreaterThan(1.2 * rowLevel.se!)
  })

  test('replicates with an undefined statistic are counted, not used', () => {
    // two events, one all positive, one all negative: resamples of one event only have no AUC
    const rows: Row[] = [
      { event: 'E1', a: 'a', c: 'c', score: 1, other: 0, y: true },
      { event: 'E2', a: 'b', c: 'd', score: 0, other: 0, y: false },
    ]
    const r = bootstrapAuc(rows, (x) => x.score, (x) => x.y, design, { seed: 8, replicates: 200 })
    expect(r.valid).toBeLessThan(200)
    expect(r.valid).toBeGreaterThan(50)
    expect(r.ci).toEqual({ low: 1, high: 1 })
  })
})
