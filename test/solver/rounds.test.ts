import { describe, expect, test } from 'vitest'
import { buildModel, type Model } from '../../solver/model.ts'
import { constructRounds } from '../../solver/rounds/construct.ts'
import { reduceIdle } from '../../solver/rounds/improve.ts'
import { createRng } from '../../solver/rounds/rng.ts'
import { Schedule } from '../../solver/rounds/schedule.ts'
import { assignTables } from '../../solver/rounds/tables.ts'
import type { Instance } from '../../solver/types.ts'

function model(instance: Instance): Model {
  const built = buildModel(instance)
  if (!built.ok) throw new Error(built.reason)
  return built.model
}

/** A random bipartite graph with every degree <= maxDegree. */
function randomGraph(nA: number, nC: number, maxDegree: number, seed: number, density = 0.7): [number, number][] {
  const rng = createRng(seed)
  const degree = new Int32Array(nA + nC)
  const edges: [number, number][] = []
  for (let a = 0; a < nA; a++) {
    for (let c = 0; c < nC; c++) {
      if (rng.next() < density && degree[a]! < maxDegree && degree[nA + c]! < maxDegree) {
        edges.push([a, c])
        degree[a]!++
        degree[nA + c]!++
      }
    }
  }
  return edges
}

function schedule(m: Model, edges: [number, number][], seed = 1): Schedule {
  const sched = new Schedule(m)
  for (const [a, c] of edges) sched.addEdge(a, c)
  constructRounds(sched, createRng(seed))
  return sched
}

function assertProper(sched: Schedule): void {
  const seen = new Set<string>()
  for (let e = 0; e < sched.edgeCount; e++) {
    const r = sched.round[e]!
    if (r === 0) continue
    expect(r).toBeGreaterThanOrEqual(sched.lo[e]!)
    expect(r).toBeLessThanOrEqual(sched.hi[e]!)
    for (const p of [sched.ea[e]!, sched.ec[e]!]) {
      const key = `${p}:${r}`
      expect(seen.has(key)).toBe(false)
      seen.add(key)
    }
  }
  for (let r = 1; r <= sched.R; r++) expect(sched.count[r]!).toBeLessThanOrEqual(sched.capacity)
}

const people = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => ({ id: `${prefix}${i + 1}` }))

describe('round assignment', () => {
  test.for([1, 2, 3, 4, 5, 6])('König: with everyone present, max degree <= rounds colours every pair (seed %i)', (seed) => {
    const R = 6 + (seed % 3)
    const m = model({ rounds: R, associations: people('a', 14), companies: people('c', 12) })
    const sched = schedule(m, randomGraph(14, 12, R, seed), seed)
    expect(sched.unplaced()).toEqual([])
    assertProper(sched)
  })

  test.for([7, 8, 9])('equitable: with ceil(pairs / rounds) tables every pair still fits (seed %i)', (seed) => {
    const R = 7
    const edges = randomGraph(12, 12, R, seed, 0.5)
    const tables = Math.ceil(edges.length / R)
    const m = model({ rounds: R, tables, associations: people('a', 12), companies: people('c', 12) })
    const sched = schedule(m, edges, seed)
    expect(sched.unplaced()).toEqual([])
    assertProper(sched)
  })

  test('a regular graph has no idle round', () => {
    // 8-regular bipartite graph on 10 + 10 vertices: a circulant
    const edges: [number, number][] = []
    for (let a = 0; a < 10; a++) for (let k = 0; k < 8; k++) edges.push([a, (a + k) % 10])
    const m = model({ rounds: 8, associations: people('a', 10), companies: people('c', 10) })
    const sched = schedule(m, edges)
    expect(sched.unplaced()).toEqual([])
    expect(sched.totalIdle()).toBe(0)
  })

  test('presence windows: pairs are placed inside both windows', () => {
    const m = model({
      rounds: 6,
      associations: [{ id: 'a1', arrive: 3 }, { id: 'a2', leave: 4 }, { id: 'a3' }],
      companies: [{ id: 'c1', leave: 5 }, { id: 'c2', arrive: 2 }, { id: 'c3' }],
    })
    const edges: [number, number][] = []
    for (let a = 0; a < 3; a++) for (let c = 0; c < 3; c++) edges.push([a, c])
    const sched = schedule(m, edges)
    expect(sched.unplaced()).toEqual([])
    assertProper(sched)
  })

  test('the idle-round search never increases idle rounds and keeps the schedule proper', () => {
    for (const seed of [1, 2, 3]) {
      const m = model({ rounds: 10, tables: 9, associations: people('a', 15), companies: people('c', 15) })
      const sched = schedule(m, randomGraph(15, 15, 6, seed, 0.4), seed)
      const before = sched.totalIdle()
      const placed = sched.round.filter((r) => r > 0).length
      const result = reduceIdle(sched, createRng(seed), 20_000)
      expect(result.before).toBe(before)
      expect(sched.totalIdle()).toBe(result.after)
      expect(result.after).toBeLessThanOrEqual(before)
      expect(sched.round.filter((r) => r > 0).length).toBe(placed)
      assertProper(sched)
    }
  })

  test('Kempe chain swap exchanges two rounds along the chain only', () => {
    const m = model({ rounds: 3, associations: people('a', 2), companies: people('c', 2) })
    const sched = new Schedule(m)
    const e1 = sched.addEdge(0, 0)
    const e2 = sched.addEdge(1, 0)
    const e3 = sched.addEdge(1, 1)
    sched.place(e1, 1)
    sched.place(e2, 2)
    sched.place(e3, 1)
    // chain of rounds (1, 2) from a1: a1-c1 (1), c1-a2 (2), a2-c2 (1)
    const chain = sched.kempeChain(0, 1, 2)
    expect(chain?.sort()).toEqual([e1, e2, e3].sort())
    sched.swapChain(chain!, 1, 2)
    expect([sched.round[e1], sched.round[e2], sched.round[e3]]).toEqual([2, 1, 2])
  })
})

describe('tables', () => {
  test('the seated side keeps one table when there are enough tables', () => {
    const m = model({ rounds: 5, tables: 6, associations: people('a', 8), companies: people('c', 6) })
    const sched = schedule(m, randomGraph(8, 6, 5, 3, 0.8))
    const tables = assignTables(sched)
    const home = new Map<number, number>()
    for (let e = 0; e < sched.edgeCount; e++) {
      if (sched.round[e] === 0) continue
      const c = sched.ec[e]!
      expect(home.get(c) ?? tables[e]).toBe(tables[e])
      home.set(c, tables[e]!)
      expect(tables[e]).toBeGreaterThanOrEqual(1)
      expect(tables[e]).toBeLessThanOrEqual(6)
    }
  })

  test('with more seated participants than tables, each round uses distinct tables within the limit', () => {
    const m = model({ rounds: 6, tables: 4, seated: 'association', associations: people('a', 7), companies: people('c', 7) })
    const sched = schedule(m, randomGraph(7, 7, 4, 5, 0.6))
    const tables = assignTables(sched)
    for (let r = 1; r <= 6; r++) {
      const used = sched.round.map((x, e) => (x === r ? tables[e]! : 0)).filter((t) => t > 0)
      expect(new Set(used).size).toBe(used.length)
      for (const t of used) expect(t).toBeLessThanOrEqual(4)
    }
  })
})
