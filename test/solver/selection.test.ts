import { describe, expect, test } from 'vitest'
import { generateInstance } from '../../bench/instances.ts'
import { buildModel, type Model } from '../../solver/model.ts'
import { solveSelectionLp } from '../../solver/selection/lp-adapter.ts'
import { FlowNetwork } from '../../solver/selection/flow.ts'
import { fairnessLevel, scoreBound, selectPairs, selectionProblem } from '../../solver/selection/select.ts'
import type { Instance } from '../../solver/types.ts'

function model(instance: Instance): Model {
  const built = buildModel(instance)
  if (!built.ok) throw new Error(built.reason)
  return built.model
}

describe('min-cost flow', () => {
  test('finds the cheapest maximum flow on a small network', () => {
    // s=0, t=3; two routes, the cheaper one (major 0, minor 1) carries first
    const net = new FlowNetwork(4)
    const cheap = net.addEdge(0, 1, 1, -1, -5)
    net.addEdge(1, 3, 1, 0, 0)
    const dear = net.addEdge(0, 2, 2, -1, -1)
    net.addEdge(2, 3, 2, 0, 0)
    const result = net.minCostFlow(0, 3)
    expect(result.flow).toBe(3)
    expect(result.major).toBe(-3)
    expect(result.minor).toBe(-7)
    expect(net.flow(cheap)).toBe(1)
    expect(net.flow(dear)).toBe(2)
  })

  test('the network simplex and successive shortest paths agree: same flow value and cost, valid potentials', () => {
    // random layered networks s -> left -> right -> t with integer majors and real minors, and a
    // few arcs between left nodes (longer residual paths)
    let x = 7
    const random = (): number => ((x = (Math.imul(x, 1103515245) + 12345) >>> 0), x / 4294967296)
    for (let round = 0; round < 60; round++) {
      const left = 2 + Math.floor(random() * 12)
      const right = 2 + Math.floor(random() * 12)
      const n = left + right + 2
      const s = n - 2
      const t = n - 1
      const arcs: [number, number, number, number, number][] = []
      for (let i = 0; i < left; i++) arcs.push([s, i, 1 + Math.floor(random() * 3), -Math.floor(random() * 3), 0])
      for (let j = 0; j < right; j++) arcs.push([left + j, t, 1 + Math.floor(random() * 3), -Math.floor(random() * 2), 0])
      for (let i = 0; i < left; i++) {
        for (let j = 0; j < right; j++) if (random() < 0.4) arcs.push([i, left + j, 1, -1, -Math.round(random() * 2000) / 100])
        if (i > 0 && random() < 0.2) arcs.push([i, i - 1, 1, 0, Math.round(random() * 500) / 100])
      }
      const build = (): [FlowNetwork, number[]] => {
        const net = new FlowNetwork(n)
        return [net, arcs.map(([u, v, c, major, minor]) => net.addEdge(u, v, c, major, minor))]
      }
      const [a] = build()
      const [b, ids] = build()
      const paths = a.minCostFlowPaths(s, t)
      const simplex = b.minCostFlowSimplex(s, t)
      expect(simplex.flow, `network ${round}`).toBe(paths.flow)
      expect(simplex.major, `network ${round}`).toBe(paths.major)
      expect(simplex.minor, `network ${round}`).toBeCloseTo(paths.minor, 6)
      // optimality certificate: no arc with residual capacity has a negative reduced cost
      arcs.forEach(([u, v, c, major, minor], i) => {
        const f = b.flow(ids[i]!)
        const rm = major + simplex.potentialMajor[u]! - simplex.potentialMajor[v]!
        const rs = minor + simplex.potentialMinor[u]! - simplex.potentialMinor[v]!
        const negative = rm < 0 || (rm === 0 && rs < -1e-6)
        const positive = rm > 0 || (rm === 0 && rs > 1e-6)
        if (f < c) expect(negative, `network ${round}, arc ${i}`).toBe(false)
        if (f > 0) expect(positive, `network ${round}, arc ${i}`).toBe(false)
      })
    }
  })

  test('Dinic max flow equals the min cut', () => {
    const net = new FlowNetwork(4)
    net.addEdge(0, 1, 3)
    net.addEdge(0, 2, 2)
    net.addEdge(1, 2, 5)
    net.addEdge(1, 3, 2)
    net.addEdge(2, 3, 3)
    expect(net.maxFlow(0, 3)).toBe(5)
  })
})

describe('pair selection', () => {
  test.for([1, 2, 3, 4, 5, 6, 7, 8])('equals the LP optimum at the same fairness and meeting count (seed %i)', (seed) => {
    const m = model(generateInstance({ associations: 7, companies: 8, rounds: 5, seed, windows: 0.4, forbidden: 4, required: 2, realScores: seed % 2 === 0 }))
    const selection = selectPairs(m)
    const { problem, forcedScore } = selectionProblem(m, selection.fairnessLevel, selection.meetings)
    const lp = solveSelectionLp(problem)
    expect(lp.status).toBe('optimal')
    if (lp.status !== 'optimal') return
    expect(lp.integral).toBe(true)
    expect(selection.optimum).toBeCloseTo(lp.objective + forcedScore, 6)
    // one more meeting is impossible at that fairness level
    const { problem: more } = selectionProblem(m, selection.fairnessLevel, selection.meetings + 1)
    expect(solveSelectionLp(more).status).toBe('infeasible')
  })

  test('the fairness level is the largest feasible one', () => {
    for (const seed of [11, 12, 13]) {
      const m = model(generateInstance({ associations: 6, companies: 9, rounds: 6, seed, windows: 0.5 }))
      const L = fairnessLevel(m)
      const at = selectionProblem(m, L)
      expect(solveSelectionLp(at.problem).status).toBe('optimal')
      const above = selectionProblem(m, L + 1)
      const possible = above.problem.associations.some((b, i) => b.lower !== at.problem.associations[i]!.lower) ||
        above.problem.companies.some((b, j) => b.lower !== at.problem.companies[j]!.lower)
      if (possible) expect(solveSelectionLp(above.problem).status).toBe('infeasible')
    }
  })

  test('respects degree bounds, forbidden and required pairs', () => {
    const instance = generateInstance({ associations: 10, companies: 10, rounds: 6, seed: 21, forbidden: 10, required: 4 })
    const m = model(instance)
    const selection = selectPairs(m)
    const chosen = new Set(selection.pairs)
    for (const [a, c] of instance.required!) {
      expect(chosen.has(Number(a.slice(1)) * 10 - 10 + Number(c.slice(1)) - 1)).toBe(true)
    }
    for (const [a, c] of instance.forbidden!) {
      expect(chosen.has((Number(a.slice(1)) - 1) * 10 + Number(c.slice(1)) - 1)).toBe(false)
    }
    expect(Math.max(...selection.degree)).toBeLessThanOrEqual(6)
    expect(selection.meetings).toBe(60)
  })

  test('the sparse candidate path is certified to the same optimum as the full graph', () => {
    const m = model(generateInstance({ associations: 40, companies: 40, rounds: 8, seed: 31, windows: 0.3, realScores: true }))
    const full = selectPairs(m)
    const sparse = selectPairs(m, { candidates: 3 })
    expect(sparse.meetings).toBe(full.meetings)
    expect(sparse.fairnessLevel).toBe(full.fairnessLevel)
    expect(sparse.optimum).toBeCloseTo(full.optimum, 6)
    expect(sparse.flowRuns).toBeGreaterThan(1)
  })

  test('scoreBound at the selection figures is the selection optimum, and it decreases with fewer meetings', () => {
    const m = model(generateInstance({ associations: 9, companies: 9, rounds: 5, seed: 41 }))
    const selection = selectPairs(m)
    expect(scoreBound(m, selection.fairnessLevel, selection.meetings)).toBeCloseTo(selection.optimum, 6)
    const fewer = scoreBound(m, 0, selection.meetings - 5)
    expect(fewer).toBeLessThan(selection.optimum)
    const { problem } = selectionProblem(m, 0, selection.meetings - 5)
    const lp = solveSelectionLp(problem)
    expect(lp.status === 'optimal' && lp.objective).toBeCloseTo(fewer, 6)
  })

  test('tables per round bound the selection where the companies are present', () => {
    // both companies are there in round 1 only, with one table: one meeting fits, not two
    const m = model({
      rounds: 2,
      tables: 1,
      associations: [{ id: 'a1' }, { id: 'a2' }],
      companies: [{ id: 'c1', leave: 1 }, { id: 'c2', leave: 1 }],
    })
    expect(selectPairs(m).meetings).toBe(1)
  })

  test('the LP adapter refuses models too large for it', () => {
    const m = model(generateInstance({ associations: 60, companies: 60, rounds: 5, seed: 1 }))
    expect(solveSelectionLp(selectionProblem(m, 0).problem).status).toBe('too-large')
  })
})
