/**
 * Round assignment, constructive part: rounds are filled one after the other with a matching of
 * the pairs still to place. Vertices are served by priority: "critical" ones (as many meetings
 * left as free rounds left, or a pair on its last possible round) first, then those who already
 * started (an idle round otherwise), then the others. With everyone present all night the
 * critical vertices are the maximum-degree ones, which a bipartite graph can always cover
 * (the constructive proof of König's edge-colouring theorem), so no pair is lost.
 * Then unplaced pairs are repaired with Kempe chains; those still unplaced are returned.
 */
import type { Rng } from './rng.ts'
import type { Schedule } from './schedule.ts'

const CRITICAL = 3
const ACTIVE = 2
const FRESH = 1

export function constructRounds(sched: Schedule, rng: Rng): void {
  const { R, P } = sched
  const model = sched.model
  const edgesOf: number[][] = Array.from({ length: P }, () => [])
  for (let e = 0; e < sched.edgeCount; e++) {
    if (sched.round[e] !== 0) continue
    edgesOf[sched.ea[e]!]!.push(e)
    edgesOf[sched.ec[e]!]!.push(e)
  }
  const remaining = new Int32Array(P)
  for (let p = 0; p < P; p++) remaining[p] = edgesOf[p]!.length
  const started = new Uint8Array(P)
  const mate = new Int32Array(P).fill(-1) // edge matched in the current round
  const prio = new Float64Array(P)
  const visited = new Int32Array(P)
  let stamp = 0
  const tieBreak = new Float64Array(P)
  for (let p = 0; p < P; p++) tieBreak[p] = rng.next()

  // meetings of earlier (played) rounds count as having started
  for (let r = 1; r < model.frozenBefore - 1; r++) for (let p = 0; p < P; p++) if (!sched.free(p, r)) started[p] = 1
  for (let r = model.frozenBefore; r <= R; r++) {
    if (r > 1) for (let p = 0; p < P; p++) if (!sched.free(p, r - 1)) started[p] = 1
    // candidate edges of this round
    const cand: number[][] = Array.from({ length: P }, () => [])
    const present: number[] = []
    for (let p = 0; p < P; p++) {
      mate[p] = -1
      prio[p] = 0
      if (remaining[p] === 0 || !sched.free(p, r)) continue
      const list = edgesOf[p]!.filter((e) => sched.round[e] === 0 && sched.lo[e]! <= r && sched.hi[e]! >= r)
      const otherFree = list.filter((e) => {
        const q = sched.ea[e] === p ? sched.ec[e]! : sched.ea[e]!
        return sched.free(q, r)
      })
      if (otherFree.length === 0) continue
      // free rounds left for p from r on
      let avail = 0
      for (let x = r; x <= Math.min(R, model.leave[p]!); x++) if (sched.free(p, x)) avail++
      const slack = avail - remaining[p]!
      const lastChance = otherFree.some((e) => sched.hi[e] === r)
      const cls = slack <= 0 || lastChance ? CRITICAL : started[p] ? ACTIVE : FRESH
      prio[p] = cls * 1000 - Math.min(slack, 999) + tieBreak[p]! * 0.5
      // prefer partners whose pairs expire first, then partners with little slack
      otherFree.sort((x, y) => sched.hi[x]! - sched.hi[y]! || x - y)
      cand[p] = otherFree
      present.push(p)
    }
    present.sort((x, y) => prio[y]! - prio[x]!)
    let size = 0
    const cap = Math.min(sched.capacity - sched.count[r]!, Number.MAX_SAFE_INTEGER)
    const classOf = (p: number): number => Math.floor((prio[p]! + 500) / 1000)

    // augment from u: a path to a free vertex (grows the matching, if a table is left)
    // or to a vertex whose mate w, on u's side, has a lower class (w is dropped)
    const augment = (u: number, cls: number, allowGrow: boolean): boolean => {
      visited[u] = stamp
      for (const e of cand[u]!) {
        const v = sched.ea[e] === u ? sched.ec[e]! : sched.ea[e]!
        if (visited[v] === stamp) continue
        visited[v] = stamp
        const ev = mate[v]!
        if (ev < 0) {
          if (!allowGrow) continue
          mate[u] = e
          mate[v] = e
          return true
        }
        const w = sched.ea[ev] === v ? sched.ec[ev]! : sched.ea[ev]!
        if (visited[w] === stamp) continue
        if (classOf(w) < cls) {
          mate[w] = -1
          mate[u] = e
          mate[v] = e
          dropped = true
          return true
        }
        if (augment(w, cls, allowGrow)) {
          mate[u] = e
          mate[v] = e
          return true
        }
      }
      return false
    }
    let dropped = false
    for (const u of present) {
      if (mate[u]! >= 0) continue
      stamp++
      dropped = false
      if (augment(u, classOf(u), size < cap) && !dropped) size++
    }
    for (const p of present) {
      const e = mate[p]!
      if (e >= 0 && sched.round[e] === 0) {
        sched.place(e, r)
        remaining[sched.ea[e]!]!--
        remaining[sched.ec[e]!]!--
        started[sched.ea[e]!] = 1
        started[sched.ec[e]!] = 1
      }
    }
  }
}

/**
 * Places unplaced edges: directly where both are free, else through one Kempe chain swap
 * that frees one endpoint. Returns the edges that could not be placed.
 */
export function repairUnplaced(sched: Schedule, budget: number): number[] {
  let work = 0
  const left: number[] = []
  for (const e of sched.unplaced()) {
    let placed = false
    for (let r = sched.lo[e]!; r <= sched.hi[e]! && !placed; r++) {
      if (sched.fits(e, r)) {
        sched.place(e, r)
        placed = true
      }
    }
    const a = sched.ea[e]!
    const c = sched.ec[e]!
    for (let r1 = sched.lo[e]!; r1 <= sched.hi[e]! && !placed && work < budget; r1++) {
      if (sched.count[r1]! >= sched.capacity) continue
      const aFree = sched.free(a, r1)
      const cFree = sched.free(c, r1)
      if (aFree === cFree) continue
      // the busy endpoint: move its r1 meeting to a round r2 where it is free, via a Kempe chain
      const busy = aFree ? c : a
      for (let r2 = 1; r2 <= sched.R && !placed; r2++) {
        if (r2 === r1 || !sched.free(busy, r2)) continue
        work++
        const chain = sched.kempeChain(busy, r1, r2)
        if (!chain) continue
        // the chain must not reach the other endpoint in r1 (it would become busy)
        sched.swapChain(chain, r1, r2)
        if (sched.fits(e, r1)) {
          sched.place(e, r1)
          placed = true
        } else {
          sched.swapChain(chain, r1, r2)
        }
      }
    }
    if (!placed) left.push(e)
  }
  return left
}

/**
 * Places required edges that are still unplaced by ejecting ordinary meetings from a round of
 * their window (the cheapest round to empty); ejected meetings are left unplaced for a new repair.
 * Returns the required edges that could not be placed (a fixed or required meeting is in the way).
 */
export function forceRequired(sched: Schedule, edges: number[]): number[] {
  const model = sched.model
  const scoreOf = (e: number): number => model.score[sched.ea[e]! * model.nC + (sched.ec[e]! - model.nA)]!
  const left: number[] = []
  for (const e of edges) {
    let best: { r: number; eject: number[]; cost: number } | undefined
    for (let r = sched.lo[e]!; r <= sched.hi[e]!; r++) {
      const eject: number[] = []
      let blocked = false
      for (const p of [sched.ea[e]!, sched.ec[e]!]) {
        const x = sched.at(p, r)
        if (x < 0) continue
        if (sched.fixed[x] || sched.required[x]) blocked = true
        else if (!eject.includes(x)) eject.push(x)
      }
      if (blocked) continue
      if (sched.count[r]! - eject.length >= sched.capacity) {
        let cheapest = -1
        for (let x = 0; x < sched.edgeCount; x++) {
          if (sched.round[x] !== r || sched.fixed[x] || sched.required[x] || eject.includes(x)) continue
          if (cheapest < 0 || scoreOf(x) < scoreOf(cheapest)) cheapest = x
        }
        if (cheapest < 0) continue
        eject.push(cheapest)
      }
      const cost = eject.reduce((sum, x) => sum + 1000 + scoreOf(x), 0)
      if (!best || cost < best.cost) best = { r, eject, cost }
    }
    if (!best) {
      left.push(e)
      continue
    }
    for (const x of best.eject) sched.unplace(x)
    sched.place(e, best.r)
  }
  return left
}
