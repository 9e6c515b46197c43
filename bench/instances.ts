/**
 * Deterministic instance generator for the bench and the tests (same seed, same instance).
 *
 *   generateInstance({ associations: 100, companies: 100, rounds: 12, seed: 1 })
 */
import { createRng } from '../solver/rounds/rng.ts'
import type { Instance, Participant } from '../solver/types.ts'

export interface GeneratorOptions {
  associations: number
  companies: number
  rounds: number
  seed: number
  tables?: number
  /** share of participants who arrive late or leave early (0..1) */
  windows?: number
  /** forbidden and required pairs, as counts */
  forbidden?: number
  required?: number
  /** scores are integers 0..maxScore (default 20), some pairs 0 */
  maxScore?: number
  /** real-valued scores instead of integers */
  realScores?: boolean
}

export function generateInstance(o: GeneratorOptions): Instance {
  const rng = createRng(o.seed)
  const R = o.rounds
  const maxScore = o.maxScore ?? 20
  const person = (prefix: string, i: number): Participant => {
    const p: Participant = { id: `${prefix}${i + 1}` }
    if (o.windows !== undefined && rng.next() < o.windows) {
      const length = Math.max(1, Math.round(R * (0.4 + 0.5 * rng.next())))
      const arrive = 1 + rng.int(R - length + 1)
      if (arrive > 1) p.arrive = arrive
      if (arrive + length - 1 < R) p.leave = arrive + length - 1
    }
    return p
  }
  const associations = Array.from({ length: o.associations }, (_, i) => person('a', i))
  const companies = Array.from({ length: o.companies }, (_, i) => person('c', i))
  const scores: Record<string, Record<string, number>> = {}
  for (const a of associations) {
    const row: Record<string, number> = {}
    for (const c of companies) {
      const x = rng.next()
      if (x < 0.15) continue
      row[c.id] = o.realScores ? Math.round(rng.next() * maxScore * 1000) / 1000 : rng.int(maxScore + 1)
    }
    scores[a.id] = row
  }
  const instance: Instance = { rounds: R, associations, companies, scores, options: { seed: o.seed } }
  if (o.tables !== undefined) instance.tables = o.tables
  const pairs = (count: number, avoid: Set<string>): [string, string][] => {
    const out: [string, string][] = []
    let guard = 0
    while (out.length < count && guard++ < count * 50) {
      const a = associations[rng.int(associations.length)]!
      const c = companies[rng.int(companies.length)]!
      const key = `${a.id}|${c.id}`
      if (avoid.has(key)) continue
      const lo = Math.max(a.arrive ?? 1, c.arrive ?? 1)
      const hi = Math.min(a.leave ?? R, c.leave ?? R)
      if (lo > hi) continue
      avoid.add(key)
      out.push([a.id, c.id])
    }
    return out
  }
  const used = new Set<string>()
  if (o.forbidden) instance.forbidden = pairs(o.forbidden, used)
  if (o.required) {
    // at most one required pair per participant keeps the instance feasible
    const seen = new Set<string>()
    instance.required = pairs(o.required * 3, used)
      .filter(([a, c]) => {
        if (seen.has(a) || seen.has(c)) return false
        seen.add(a)
        seen.add(c)
        return true
      })
      .slice(0, o.required)
  }
  return instance
}

/** The big bench instances: 100x100x12, 200x200x15, 500x500x20. */
export const bigInstances = [
  { name: '100x100x12', options: { associations: 100, companies: 100, rounds: 12, seed: 100 } },
  { name: '200x200x15', options: { associations: 200, companies: 200, rounds: 15, seed: 200 } },
  { name: '500x500x20', options: { associations: 500, companies: 500, rounds: 20, seed: 500 } },
  {
    name: '100x100x12 windows, 90 tables',
    options: { associations: 100, companies: 100, rounds: 12, seed: 101, windows: 0.3, tables: 90, forbidden: 50, required: 20, realScores: true },
  },
  {
    name: '30x30x10 windows, 24 tables',
    options: { associations: 30, companies: 30, rounds: 10, seed: 301, windows: 0.3, tables: 24, forbidden: 20, realScores: true },
  },
  {
    name: '60x45x14 windows, 40 tables',
    options: { associations: 60, companies: 45, rounds: 14, seed: 601, windows: 0.3, tables: 40, forbidden: 40, required: 10, realScores: true },
  },
  {
    name: '500x500x20 windows, 400 tables',
    options: { associations: 500, companies: 500, rounds: 20, seed: 501, windows: 0.2, tables: 400, realScores: true },
  },
] as const satisfies readonly { name: string; options: GeneratorOptions }[]
