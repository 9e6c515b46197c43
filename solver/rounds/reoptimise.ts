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
 * Re-plans the meetings of each participant in turn (see the file comment), `passes` times over,
 * stopping when a pass changes nothing or the work budget (arcs built) runs out.
 */
export function reoptimiseParticipants(
  model: Model,
  sched: Schedule,
  aims: Aims,
  value: (s: Schedule) => Value,
  budget: number,
  passes = 3,
): { changed: number; work: number } {
  const { nA, nC, rounds: R } = model
  const P = nA + nC
  let changed = 0
  let work = 0
  const degree = new Int32Array(P)
  const count = new Int32Array(R + 2)
  const tables = Math.min(model.tables, Math.min(nA, nC))
  for (let pass = 0; pass < passes && work < budget; pass++) {
    let improved = false
    for (let q = 0; q < P && work < budget; q++) {
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
