/**
 * Idle-round reduction by local search, with an iteration budget (not wall time) so a seed always
 * gives the same schedule. Moves keep every pair in the schedule and every hard constraint:
 * - Kempe chain swap of rounds (x, g) from a participant with a gap g, moving one of its meetings
 *   (from its first or last round, or any) into the gap, the chain carrying the conflicts along;
 * - exchange of two whole rounds when every meeting in them may take place in the other.
 * A move is kept when the idle rounds do not increase (plateau moves let the search travel).
 */
import type { Rng } from './rng.ts'
import type { Schedule } from './schedule.ts'

/** `tick(done)` hears the share of the budget spent, every 1,000 iterations. */
export function reduceIdle(sched: Schedule, rng: Rng, budget: number, tick?: (done: number) => void): { before: number; after: number; iterations: number } {
  const { R, P } = sched
  const before = sched.totalIdle()
  let current = before
  let iterations = 0
  if (current === 0 || budget <= 0) return { before, after: current, iterations }
  const idleOf = new Int32Array(P)
  const withIdle: number[] = []
  const refresh = (): void => {
    withIdle.length = 0
    for (let p = 0; p < P; p++) {
      idleOf[p] = sched.idle(p)
      if (idleOf[p]! > 0) withIdle.push(p)
    }
  }
  refresh()
  const touched = (chain: number[]): number[] => {
    const set = new Set<number>()
    for (const e of chain) {
      set.add(sched.ea[e]!)
      set.add(sched.ec[e]!)
    }
    return [...set]
  }
  /** Swaps rounds a and b along `edges`; keeps the swap if `accept(idle after, idle before)`, else undoes it. */
  const trySwap = (edges: number[], a: number, b: number, accept: (now: number, old: number) => boolean): void => {
    const people = touched(edges)
    let old = 0
    for (const q of people) old += idleOf[q]!
    sched.swapChain(edges, a, b)
    let now = 0
    for (const q of people) now += sched.idle(q)
    if (accept(now, old)) {
      current += now - old
      for (const q of people) idleOf[q] = sched.idle(q)
    } else sched.swapChain(edges, a, b)
  }
  let sinceRefresh = 0
  // stop after a long run without improvement (counted in iterations, so still deterministic)
  let best = current
  let lastGain = 0
  const patience = Math.max(20_000, 5 * sched.edgeCount)
  while (iterations < budget && current > 0 && iterations - lastGain < patience) {
    iterations++
    if (tick && iterations % 1000 === 0) tick(iterations / budget)
    if (current < best) {
      best = current
      lastGain = iterations
    }
    if (++sinceRefresh > 50 || withIdle.length === 0) {
      refresh()
      sinceRefresh = 0
      if (withIdle.length === 0) break
    }
    if (rng.next() < 0.05) {
      // exchange two whole rounds
      const r1 = 1 + rng.int(R)
      const r2 = 1 + rng.int(R)
      if (r1 === r2 || r1 < sched.model.frozenBefore || r2 < sched.model.frozenBefore) continue
      const edges: number[] = []
      let ok = true
      for (let e = 0; e < sched.edgeCount && ok; e++) {
        const r = sched.round[e]
        if (r !== r1 && r !== r2) continue
        const target = r === r1 ? r2 : r1
        if (sched.fixed[e] || target < sched.lo[e]! || target > sched.hi[e]!) ok = false
        edges.push(e)
      }
      if (!ok) continue
      trySwap(edges, r1, r2, (now, old) => now <= old)
      continue
    }
    const p = withIdle[rng.int(withIdle.length)]!
    if (idleOf[p] === 0) continue
    // its rounds with and without meetings, between first and last
    let first = 0
    let last = 0
    for (let r = 1; r <= R; r++) {
      if (!sched.free(p, r)) {
        if (first === 0) first = r
        last = r
      }
    }
    const gaps: number[] = []
    for (let r = first + 1; r < last; r++) if (sched.free(p, r)) gaps.push(r)
    if (gaps.length === 0) continue
    const g = gaps[rng.int(gaps.length)]!
    const roll = rng.next()
    let x: number
    if (roll < 0.4) x = first
    else if (roll < 0.8) x = last
    else {
      x = 1 + rng.int(R)
      if (sched.free(p, x)) continue
    }
    const chain = sched.kempeChain(p, x, g)
    if (!chain) continue
    trySwap(chain, x, g, (now, old) => now < old || (now === old && rng.next() < 0.3))
  }
  return { before, after: current, iterations }
}
