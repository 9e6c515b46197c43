/**
 * A round-aware upper bound on the number of meetings (objective 2), for small instances where the
 * selection's bound is above what any schedule can hold. The time-indexed model (x(a, c, r) = 1 when a
 * meets c in round r) with the "one meeting per association per round" constraints moved into the
 * objective with multipliers lambda(a, r) >= 0 (Lagrangian relaxation) is a flow:
 *   source -> association (its presence, its maxMeetings) -> pair (once) -> (company, round) (once)
 *   -> round (tables) -> sink, and association -> sink at no gain (a unit left unused),
 * whose best value plus the sum of the multipliers bounds the meetings of every schedule, for any
 * multipliers. Subgradient steps, a fixed number of them, so the bound is deterministic.
 */
import type { Model } from '../model.ts'
import { FlowNetwork } from './flow.ts'

/** Instances the bound is computed for (no fixed or required meetings, no frozen rounds). */
export function lagrangianApplies(model: Model): boolean {
  return model.fixed.length === 0 && model.required.length === 0 && model.frozenBefore <= 1 && model.nA * model.nC <= 400 && model.rounds <= 12
}

/**
 * An upper bound on the meetings of any schedule; stops early once it is below `target + 1`
 * (then no schedule holds more than `target`).
 */
export function meetingsBound(model: Model, target: number, iterations = 60): number {
  const { nA, nC, rounds: R } = model
  const P = nA + nC
  const tables = Math.min(model.tables, nA, nC)
  const lambda = new Float64Array(nA * (R + 1))
  let best = Infinity
  let theta = 1.5
  let sinceBest = 0
  for (let it = 0; it < iterations; it++) {
    // nodes: s, t, associations, pairs, (company, round), rounds
    const s = 0
    const t = 1
    const A = 2
    const PAIR = A + nA
    const CR = PAIR + nA * nC
    const RN = CR + nC * (R + 1)
    const net = new FlowNetwork(RN + R + 1)
    const use: [number, number, number][] = [] // arc, a, r
    for (let a = 0; a < nA; a++) {
      const present = model.leave[a]! - model.arrive[a]! + 1
      const cap = Math.max(0, Math.min(model.maxMeetings[a]!, present))
      if (cap === 0) continue
      net.addEdge(s, A + a, cap)
      net.addEdge(A + a, t, cap) // unused units, no gain
      for (let c = 0; c < nC; c++) {
        const k = a * nC + c
        if (!model.allowed[k]) continue
        net.addEdge(A + a, PAIR + k, 1)
        const lo = Math.max(model.arrive[a]!, model.arrive[nA + c]!)
        const hi = Math.min(model.leave[a]!, model.leave[nA + c]!)
        for (let r = lo; r <= hi; r++) use.push([net.addEdge(PAIR + k, CR + c * (R + 1) + r, 1, 0, lambda[a * (R + 1) + r]! - 1), a, r])
      }
    }
    for (let c = 0; c < nC; c++) {
      for (let r = model.arrive[nA + c]!; r <= model.leave[nA + c]!; r++) net.addEdge(CR + c * (R + 1) + r, RN + r, 1)
    }
    for (let r = 1; r <= R; r++) net.addEdge(RN + r, t, tables)
    const result = net.minCostFlow(s, t)
    let value = -result.minor
    const load = new Float64Array(nA * (R + 1))
    for (const [arc, a, r] of use) if (net.flow(arc) > 0.5) load[a * (R + 1) + r]!++
    let norm = 0
    for (let a = 0; a < nA; a++) {
      for (let r = model.arrive[a]!; r <= model.leave[a]!; r++) {
        value += lambda[a * (R + 1) + r]!
        const g = 1 - load[a * (R + 1) + r]!
        norm += g * g
      }
    }
    if (value < best - 1e-9) {
      best = value
      sinceBest = 0
    } else if (++sinceBest >= 5) {
      theta /= 2
      sinceBest = 0
    }
    if (best < target + 1 - 1e-6 || norm === 0) break
    const step = (theta * Math.max(value - target, 0.5)) / norm
    for (let a = 0; a < nA; a++) {
      for (let r = model.arrive[a]!; r <= model.leave[a]!; r++) {
        const i = a * (R + 1) + r
        lambda[i] = Math.max(0, lambda[i]! - step * (1 - load[i]!))
      }
    }
    void P
  }
  return best
}
