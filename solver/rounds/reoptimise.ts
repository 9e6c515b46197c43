/**
 * Round re-optimisation, a large neighbourhood solved exactly: everything outside round r stays,
 * and round r is planned again from scratch as a maximum-weight matching with at most `tables`
 * meetings (min-cost flow). Anyone present and free in r may meet there, with any partner not met in
 * another round. The cost is lexicographic: first the participants whose degree outside r is below
 * their fairness aim (then their minMeetings aim) get a meeting, then the most meetings, then the
 * best score. The current round is one solution of that flow, so a round can only get better; a
 * change is kept only when the whole schedule's objectives (fairness, minMeetings, meetings, score)
 * do not decrease, which keeps the search monotone. Fixed and required meetings stay where they are.
 *
 * Participant re-optimisation is the same across the other axis of the timetable: all meetings of
 * one participant are taken out and put back as a maximum-weight matching between its rounds and
 * its partners (free in that round, a table left), by min-cost flow.
 */
import type { Model } from '../model.ts'
import { FlowNetwork } from '../selection/flow.ts'
import type { Schedule } from './schedule.ts'

export interface Aims {
  /** min(selection fairness level, potential) */
  fair: Int32Array
  /** min(minMeetings, potential) */
  min: Int32Array
}

/** Lexicographic value of a schedule, larger is better: compared element by element. */
export type Value = readonly number[]

const W_MIN = 1_000
const W_FAIR = 1_000_000

function compare(x: Value, y: Value): number {
  for (let i = 0; i < x.length; i++) {
    const d = x[i]! - y[i]!
    if (Math.abs(d) > 1e-9 * Math.max(1, Math.abs(x[i]!))) return d
  }
  return 0
}

/**
 * Re-plans the rounds one after the other, `passes` times over (stopping when a pass changes
 * nothing). `value` gives the schedule's objectives. Returns the number of rounds changed and the work.
 */
export function reoptimiseRounds(model: Model, sched: Schedule, aims: Aims, value: (s: Schedule) => Value, passes = 3): { changed: number; work: number } {
  const { nA, nC, rounds: R } = model
  const P = nA + nC
  let changed = 0
  let work = 0
  const degree = new Int32Array(P)
  const met = new Uint8Array(nA * nC)
  const busy = new Uint8Array(P)
  for (let pass = 0; pass < passes; pass++) {
    let improved = false
    for (let r = Math.max(1, model.frozenBefore); r <= R; r++) {
      degree.fill(0)
      met.fill(0)
      busy.fill(0)
      const movable: number[] = []
      let kept = 0
      for (let e = 0; e < sched.edgeCount; e++) {
        const er = sched.round[e]!
        if (er === 0) continue
        const a = sched.ea[e]!
        const p = sched.ec[e]!
        if (er === r && !sched.fixed[e] && !sched.required[e]) {
          movable.push(e)
          continue
        }
        degree[a]!++
        degree[p]!++
        met[a * nC + (p - nA)] = 1
        if (er === r) {
          busy[a] = 1
          busy[p] = 1
          kept++
        }
      }
      const seats = Math.min(model.tables, Math.min(nA, nC)) - kept
      if (seats <= 0) continue
      const eligible = (p: number): boolean => !busy[p] && model.arrive[p]! <= r && r <= model.leave[p]! && degree[p]! < model.maxMeetings[p]!
      const weight = (p: number): number => (degree[p]! < aims.fair[p]! ? W_FAIR : 0) + (degree[p]! < aims.min[p]! ? W_MIN : 0)
      const major = (a: number, p: number): number => -(1 + weight(a) + weight(p))
      // the flow: source -> association -> company -> seats -> sink
      const s = P
      const x = P + 1
      const t = P + 2
      const net = new FlowNetwork(P + 3)
      const arcs: [number, number, number][] = []
      for (let a = 0; a < nA; a++) {
        if (!eligible(a)) continue
        let any = false
        for (let c = 0; c < nC; c++) {
          const k = a * nC + c
          const p = nA + c
          if (!model.allowed[k] || met[k] || !eligible(p)) continue
          arcs.push([net.addEdge(a, p, 1, major(a, p), -model.score[k]!), a, c])
          any = true
        }
        if (any) net.addEdge(s, a, 1)
      }
      if (arcs.length === 0) continue
      for (let c = 0; c < nC; c++) if (eligible(nA + c)) net.addEdge(nA + c, x, 1)
      net.addEdge(x, t, seats)
      work += arcs.length
      const result = net.minCostFlow(s, t)
      let curMajor = 0
      let curMinor = 0
      for (const e of movable) {
        curMajor += major(sched.ea[e]!, sched.ec[e]!)
        curMinor -= model.score[sched.ea[e]! * nC + (sched.ec[e]! - nA)]!
      }
      if (result.major > curMajor || (result.major === curMajor && result.minor >= curMinor - 1e-9 * Math.max(1, Math.abs(curMinor)))) continue
      const before = value(sched)
      const size = sched.edgeCount
      for (const e of movable) sched.unplace(e)
      for (const [arc, a, c] of arcs) if (net.flow(arc) > 0.5) sched.place(sched.addEdge(a, c), r)
      if (compare(value(sched), before) <= 0) {
        // not better for the whole schedule: the round as it was
        for (let e = size; e < sched.edgeCount; e++) sched.unplace(e)
        sched.truncate(size)
        for (const e of movable) sched.place(e, r)
        continue
      }
      changed++
      improved = true
    }
    if (!improved) break
  }
  return { changed, work }
}

/**
 * Re-plans the meetings of each participant in turn (see the file comment), or of the `only` ones,
 * `passes` times over, stopping when a pass changes nothing or the work budget (arcs built) runs out.
 */
export function reoptimiseParticipants(
  model: Model,
  sched: Schedule,
  aims: Aims,
  value: (s: Schedule) => Value,
  budget: number,
  passes = 3,
  only?: readonly number[],
): { changed: number; work: number } {
  const { nA, nC, rounds: R } = model
  const P = nA + nC
  let changed = 0
  let work = 0
  const degree = new Int32Array(P)
  const count = new Int32Array(R + 2)
  const tables = Math.min(model.tables, Math.min(nA, nC))
  const order = only ?? Array.from({ length: P }, (_, p) => p)
  for (let pass = 0; pass < passes && work < budget; pass++) {
    let improved = false
    for (let i = 0; i < order.length && work < budget; i++) {
      const q = order[i]!
      const isA = q < nA
      degree.fill(0)
      count.fill(0)
      const movable: number[] = []
      const keptRound = new Uint8Array(R + 1)
      const metWith = new Set<number>()
      for (let e = 0; e < sched.edgeCount; e++) {
        const r = sched.round[e]!
        if (r === 0) continue
        const a = sched.ea[e]!
        const p = sched.ec[e]!
        if ((a === q || p === q) && !sched.fixed[e] && !sched.required[e]) {
          movable.push(e)
          continue
        }
        degree[a]!++
        degree[p]!++
        count[r]!++
        if (a === q) {
          keptRound[r] = 1
          metWith.add(p)
        } else if (p === q) {
          keptRound[r] = 1
          metWith.add(a)
        }
      }
      const room = model.maxMeetings[q]! - degree[q]!
      if (room <= 0) continue
      const others = isA ? [nA, P] : [0, nA]
      const weight = (p: number): number => (degree[p]! < aims.fair[p]! ? W_FAIR : 0) + (degree[p]! < aims.min[p]! ? W_MIN : 0)
      const bonus = (i: number): number => (degree[q]! + i <= aims.fair[q]! ? W_FAIR : 0) + (degree[q]! + i <= aims.min[q]! ? W_MIN : 0)
      // nodes: rounds 0..R, partners R+1.. (by participant index), source, hub, sink
      const base = R + 1
      const s = base + P
      const hub = s + 1
      const t = s + 2
      const net = new FlowNetwork(t + 1)
      const arcs: [number, number, number][] = []
      const usedPartner = new Uint8Array(P)
      const lo = Math.max(model.arrive[q]!, model.frozenBefore, 1)
      const hi = model.leave[q]!
      for (let r = lo; r <= hi; r++) {
        if (keptRound[r] || count[r]! >= tables) continue
        let any = false
        for (let o = others[0]!; o < others[1]!; o++) {
          const a = isA ? q : o
          const c = isA ? o - nA : q - nA
          const k = a * nC + c
          if (!model.allowed[k] || metWith.has(o) || r < model.arrive[o]! || r > model.leave[o]! || degree[o]! >= model.maxMeetings[o]!) continue
          const e = sched.at(o, r)
          if (e >= 0 && !movable.includes(e)) continue
          arcs.push([net.addEdge(r, base + o, 1, -(1 + weight(o)), -model.score[k]!), r, o])
          usedPartner[o] = 1
          any = true
        }
        if (any) net.addEdge(hub, r, 1)
      }
      if (arcs.length === 0) continue
      work += arcs.length
      for (let o = 0; o < P; o++) if (usedPartner[o]) net.addEdge(base + o, t, 1)
      // q's own aims: the first units of its meetings are worth more
      for (let i = 1; i <= room; ) {
        let j = i
        while (j + 1 <= room && bonus(j + 1) === bonus(i)) j++
        net.addEdge(s, hub, j - i + 1, -bonus(i), 0)
        i = j + 1
      }
      const result = net.minCostFlow(s, t)
      let curMajor = 0
      let curMinor = 0
      movable.forEach((e, i) => {
        const o = sched.ea[e] === q ? sched.ec[e]! : sched.ea[e]!
        curMajor -= 1 + weight(o) + bonus(i + 1)
        curMinor -= model.score[sched.ea[e]! * nC + (sched.ec[e]! - nA)]!
      })
      if (result.major > curMajor || (result.major === curMajor && result.minor >= curMinor - 1e-9 * Math.max(1, Math.abs(curMinor)))) continue
      const before = value(sched)
      const size = sched.edgeCount
      const rounds = movable.map((e) => sched.round[e]!)
      for (const e of movable) sched.unplace(e)
      for (const [arc, r, o] of arcs) {
        if (net.flow(arc) < 0.5) continue
        const a = isA ? q : o
        const c = isA ? o - nA : q - nA
        sched.place(sched.addEdge(a, c), r)
      }
      if (compare(value(sched), before) <= 0) {
        for (let e = size; e < sched.edgeCount; e++) sched.unplace(e)
        sched.truncate(size)
        movable.forEach((e, i) => sched.place(e, rounds[i]!))
        continue
      }
      changed++
      improved = true
    }
    if (!improved) break
  }
  return { changed, work }
}

/**
 * Two rounds re-planned together: the meetings of rounds r1 and r2 are taken out and chosen again
 * as a degree-constrained subgraph (each participant at most once per round it is present and free
 * in) by min-cost flow, with the same lexicographic cost as above; the chosen meetings form paths
 * and even cycles, whose alternate meetings go to r1 and r2 (König), which must respect presence
 * and the tables left in each round. A choice that cannot be coloured that way is dropped (no move).
 */
export function reoptimiseRoundPairs(model: Model, sched: Schedule, aims: Aims, value: (s: Schedule) => Value, budget: number): { changed: number; work: number } {
  const { nA, nC, rounds: R } = model
  const P = nA + nC
  const tables = Math.min(model.tables, Math.min(nA, nC))
  let changed = 0
  let work = 0
  const degree = new Int32Array(P)
  const met = new Uint8Array(nA * nC)
  const avail = new Uint8Array(P) // bit 1: free in r1, bit 2: free in r2
  const first = Math.max(1, model.frozenBefore)
  for (let r1 = first; r1 <= R && work < budget; r1++) {
    for (let r2 = r1 + 1; r2 <= R && work < budget; r2++) {
      degree.fill(0)
      met.fill(0)
      avail.fill(0)
      for (let p = 0; p < P; p++) {
        if (model.arrive[p]! <= r1 && r1 <= model.leave[p]!) avail[p]! |= 1
        if (model.arrive[p]! <= r2 && r2 <= model.leave[p]!) avail[p]! |= 2
      }
      const movable: number[] = []
      let kept1 = 0
      let kept2 = 0
      for (let e = 0; e < sched.edgeCount; e++) {
        const r = sched.round[e]!
        if (r === 0) continue
        const a = sched.ea[e]!
        const p = sched.ec[e]!
        if ((r === r1 || r === r2) && !sched.fixed[e] && !sched.required[e]) {
          movable.push(e)
          continue
        }
        degree[a]!++
        degree[p]!++
        met[a * nC + (p - nA)] = 1
        if (r === r1 || r === r2) {
          const bit = r === r1 ? 1 : 2
          avail[a]! &= ~bit
          avail[p]! &= ~bit
          if (r === r1) kept1++
          else kept2++
        }
      }
      if (movable.length < 2) continue
      const seats1 = tables - kept1
      const seats2 = tables - kept2
      const room = (p: number): number => Math.min((avail[p]! & 1) + ((avail[p]! >> 1) & 1), model.maxMeetings[p]! - degree[p]!)
      const bonus = (p: number, i: number): number => (degree[p]! + i <= aims.fair[p]! ? W_FAIR : 0) + (degree[p]! + i <= aims.min[p]! ? W_MIN : 0)
      const s = P
      const t = P + 1
      const hub = P + 2
      const net = new FlowNetwork(P + 3)
      const arcs: [number, number, number][] = []
      for (let a = 0; a < nA; a++) {
        if (room(a) <= 0) continue
        for (let c = 0; c < nC; c++) {
          const k = a * nC + c
          const p = nA + c
          if (!model.allowed[k] || met[k] || room(p) <= 0 || (avail[a]! & avail[p]!) === 0) continue
          arcs.push([net.addEdge(a, p, 1, -1, -model.score[k]!), a, p])
        }
      }
      if (arcs.length === 0) continue
      work += arcs.length
      const tier = (from: number, to: number, p: number, n: number): void => {
        for (let i = 1; i <= n; i++) net.addEdge(from, to, 1, -bonus(p, i), 0)
      }
      net.addEdge(s, hub, Math.max(0, seats1) + Math.max(0, seats2))
      for (let a = 0; a < nA; a++) if (room(a) > 0) tier(hub, a, a, room(a))
      for (let p = nA; p < P; p++) if (room(p) > 0) tier(p, t, p, room(p))
      const result = net.minCostFlow(s, t)
      // the current rounds r1 and r2, costed the same way
      let curMajor = 0
      let curMinor = 0
      const count = new Int32Array(P)
      for (const e of movable) {
        const a = sched.ea[e]!
        const p = sched.ec[e]!
        count[a]!++
        count[p]!++
        curMajor -= 1 + bonus(a, count[a]!) + bonus(p, count[p]!)
        curMinor -= model.score[a * nC + (p - nA)]!
      }
      if (result.major > curMajor || (result.major === curMajor && result.minor >= curMinor - 1e-9 * Math.max(1, Math.abs(curMinor)))) continue
      const chosen = arcs.filter(([arc]) => net.flow(arc) > 0.5).map(([, a, p]) => [a, p] as const)
      const colour = colourTwoRounds(chosen, avail, seats1, seats2)
      if (!colour) continue
      const before = value(sched)
      const size = sched.edgeCount
      const rounds = movable.map((e) => sched.round[e]!)
      for (const e of movable) sched.unplace(e)
      chosen.forEach(([a, p], i) => sched.place(sched.addEdge(a, p - nA), colour[i] === 1 ? r1 : r2))
      if (compare(value(sched), before) <= 0) {
        for (let e = size; e < sched.edgeCount; e++) sched.unplace(e)
        sched.truncate(size)
        movable.forEach((e, i) => sched.place(e, rounds[i]!))
        continue
      }
      changed++
    }
  }
  return { changed, work }
}

/**
 * Rounds (1 or 2) for edges of a graph of maximum degree 2: alternate along each path or cycle,
 * an edge only in a round both its ends are free in (`avail` bits), at most seats1 / seats2 edges
 * in round 1 / 2. Components that may go either way fill the round with more seats left first.
 */
function colourTwoRounds(edges: readonly (readonly [number, number])[], avail: Uint8Array, seats1: number, seats2: number): number[] | undefined {
  const at = new Map<number, number[]>()
  edges.forEach(([a, p], i) => {
    for (const v of [a, p]) at.set(v, [...(at.get(v) ?? []), i])
  })
  const colour = new Array<number>(edges.length).fill(0)
  const seen = new Uint8Array(edges.length)
  const flexible: { list: number[]; ones: number; twos: number }[] = []
  let used1 = 0
  let used2 = 0
  for (let start = 0; start < edges.length; start++) {
    if (seen[start]) continue
    // walk the component, edges in path order: from an end if it has one
    const component: number[] = []
    const stack = [start]
    seen[start] = 1
    while (stack.length > 0) {
      const e = stack.pop()!
      component.push(e)
      for (const v of edges[e]!) for (const f of at.get(v) ?? []) if (!seen[f]) ((seen[f] = 1), stack.push(f))
    }
    // order along the path (from an end) or the cycle
    const degreeOf = (v: number): number => (at.get(v) ?? []).length
    let vertex = -1
    for (const e of component) for (const v of edges[e]!) if (vertex < 0 && degreeOf(v) === 1) vertex = v
    if (vertex < 0) vertex = edges[component[0]!]![0]
    const order: number[] = []
    const inOrder = new Set<number>()
    for (;;) {
      const e = (at.get(vertex) ?? []).find((f) => !inOrder.has(f))
      if (e === undefined) break
      order.push(e)
      inOrder.add(e)
      const [a, p] = edges[e]!
      vertex = vertex === a ? p : a
    }
    if (order.length !== component.length) return undefined
    const fits = (parity: number): boolean =>
      order.every((e, i) => {
        const bit = (i + parity) % 2 === 0 ? 1 : 2
        const [a, p] = edges[e]!
        return (avail[a]! & bit) !== 0 && (avail[p]! & bit) !== 0
      })
    const ok0 = fits(0)
    const ok1 = fits(1)
    if (!ok0 && !ok1) return undefined
    const ones = Math.ceil(order.length / 2)
    const twos = order.length - ones
    if (ok0 && ok1 && ones !== twos) {
      flexible.push({ list: order, ones, twos })
      continue
    }
    const parity = ok0 ? 0 : 1
    order.forEach((e, i) => {
      colour[e] = (i + parity) % 2 === 0 ? 1 : 2
    })
    used1 += parity === 0 ? ones : twos
    used2 += parity === 0 ? twos : ones
  }
  for (const f of flexible) {
    const parity = seats1 - used1 >= seats2 - used2 ? 0 : 1
    f.list.forEach((e, i) => {
      colour[e] = (i + parity) % 2 === 0 ? 1 : 2
    })
    used1 += parity === 0 ? f.ones : f.twos
    used2 += parity === 0 ? f.twos : f.ones
  }
  return used1 <= seats1 && used2 <= seats2 ? colour : undefined
}
