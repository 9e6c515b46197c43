/**
 * Min-conflicts search with a tabu list for the pairs that found no round: an unplaced pair goes
 * to the round of its window where it displaces the fewest meetings (ejecting them into the pool),
 * required pairs first; a displaced meeting may not return to the round it left for a few steps.
 * The best state seen (fewest unplaced, required pairs counting most) is restored at the end.
 * The budget counts steps, not time, so the result is deterministic; a long stagnation ends it.
 */
import type { Rng } from './rng.ts'
import type { Schedule } from './schedule.ts'

/** `tick(done)` hears the share of the budget spent, every 1,000 steps. */
export function ejectionSearch(sched: Schedule, rng: Rng, budget: number, target?: Int32Array, tick?: (done: number) => void): number[] {
  const model = sched.model
  const { R, P } = sched
  const scoreOf = (e: number): number => model.score[sched.ea[e]! * model.nC + (sched.ec[e]! - model.nA)]!
  const pool = new Set(sched.unplaced())
  if (pool.size === 0) return []
  // meetings placed per participant, and how far participants are below their fairness target
  const placed = new Int32Array(P)
  for (let e = 0; e < sched.edgeCount; e++) {
    if (sched.round[e]! > 0) {
      placed[sched.ea[e]!]!++
      placed[sched.ec[e]!]!++
    }
  }
  let deficit = 0
  const targetOf = (p: number): number => target?.[p] ?? 0
  for (let p = 0; p < P; p++) deficit += Math.max(0, targetOf(p) - placed[p]!)
  let requiredLeft = 0
  for (const e of pool) if (sched.required[e]) requiredLeft++
  const bump = (p: number, d: number): void => {
    const before = Math.max(0, targetOf(p) - placed[p]!)
    placed[p]! += d
    deficit += Math.max(0, targetOf(p) - placed[p]!) - before
  }
  const poolCost = (): number => requiredLeft * 1e6 + deficit * 1000 + pool.size
  /** what removing x costs: its endpoints falling below their target count most */
  const weight = (x: number): number =>
    sched.required[x] ? 1e5 : 10 + (placed[sched.ea[x]!]! <= targetOf(sched.ea[x]!) ? 100 : 0) + (placed[sched.ec[x]!]! <= targetOf(sched.ec[x]!) ? 100 : 0)
  let bestCost = poolCost()
  let best = sched.round.slice()
  const tabu = new Map<number, number>()
  const tabuKey = (e: number, r: number): number => e * (R + 1) + r
  const seatedStart = model.seated === 'company' ? model.nA : 0
  const seatedEnd = model.seated === 'company' ? P : model.nA
  // stagnation ends the search early: no better state for 10,000 steps and four times the steps
  // the last improvement took (on 500 x 500 x 20, the last one comes at step 2,500 of 160,000)
  let improvedAt = 0
  for (let step = 0; step < budget && pool.size > 0 && step - improvedAt <= Math.max(10_000, 4 * improvedAt); step++) {
    if (tick && step % 1000 === 0) tick(step / budget)
    const list = [...pool]
    const urgent = list.filter((e) => sched.required[e])
    if (urgent.length === 0) {
      for (const e of list) if (placed[sched.ea[e]!]! < targetOf(sched.ea[e]!) || placed[sched.ec[e]!]! < targetOf(sched.ec[e]!)) urgent.push(e)
    }
    const from = urgent.length > 0 && rng.next() < 0.8 ? urgent : list
    const e = from[rng.int(from.length)]!
    let bestRound = 0
    let bestEject: number[] = []
    let bestValue = Infinity
    for (let r = sched.lo[e]!; r <= sched.hi[e]!; r++) {
      const eject: number[] = []
      let blocked = false
      for (const p of [sched.ea[e]!, sched.ec[e]!]) {
        const x = sched.at(p, r)
        if (x < 0 || eject.includes(x)) continue
        if (sched.fixed[x] || (sched.required[x] && !sched.required[e])) blocked = true
        eject.push(x)
      }
      if (blocked) continue
      if (sched.count[r]! - eject.length >= sched.capacity) {
        // a full round: displace its cheapest ordinary meeting too
        let cheapest = -1
        for (let p = seatedStart; p < seatedEnd; p++) {
          const x = sched.at(p, r)
          if (x < 0 || sched.fixed[x] || sched.required[x] || eject.includes(x)) continue
          if (cheapest < 0 || scoreOf(x) < scoreOf(cheapest)) cheapest = x
        }
        if (cheapest < 0) continue
        eject.push(cheapest)
      }
      let value = 0
      for (const x of eject) value += weight(x) + scoreOf(x) * 1e-6
      if ((tabu.get(tabuKey(e, r)) ?? -1) > step) value += 25
      value += rng.next() * 0.5
      if (value < bestValue) {
        bestValue = value
        bestRound = r
        bestEject = eject
      }
    }
    if (bestRound === 0) continue
    for (const x of bestEject) {
      tabu.set(tabuKey(x, sched.round[x]!), step + 7 + rng.int(10))
      sched.unplace(x)
      pool.add(x)
      bump(sched.ea[x]!, -1)
      bump(sched.ec[x]!, -1)
      if (sched.required[x]) requiredLeft++
    }
    sched.place(e, bestRound)
    pool.delete(e)
    bump(sched.ea[e]!, 1)
    bump(sched.ec[e]!, 1)
    if (sched.required[e]) requiredLeft--
    const cost = poolCost()
    if (cost < bestCost) {
      bestCost = cost
      best = sched.round.slice()
      improvedAt = step
    }
  }
  // restore the best state
  for (let e = 0; e < sched.edgeCount; e++) sched.unplace(e)
  for (let e = 0; e < sched.edgeCount; e++) if (best[e]! > 0) sched.place(e, best[e]!)
  return sched.unplaced()
}
