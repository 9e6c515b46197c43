/**
 * A mutable assignment of selected pairs to rounds: who meets whom in which round, with the
 * participant x round occupancy kept in a flat array so moves are checked in O(1).
 */
import type { Model } from '../model.ts'

export class Schedule {
  readonly R: number
  readonly P: number
  readonly nA: number
  /** per edge: association, company (as participant index nA + c), window, round (0 = unplaced) */
  ea: number[] = []
  ec: number[] = []
  lo: number[] = []
  hi: number[] = []
  round: number[] = []
  fixed: boolean[] = []
  required: boolean[] = []
  /** slot[p * (R + 1) + r] = edge index or -1 */
  slot: Int32Array
  /** meetings per round */
  count: Int32Array
  capacity: number

  constructor(readonly model: Model) {
    this.R = model.rounds
    this.nA = model.nA
    this.P = model.nA + model.nC
    this.slot = new Int32Array(this.P * (this.R + 1)).fill(-1)
    this.count = new Int32Array(this.R + 2)
    this.capacity = model.tables
  }

  get edgeCount(): number {
    return this.ea.length
  }

  /** Adds an unplaced edge between association a and company c (company index, not participant). */
  addEdge(a: number, c: number, options: { fixedRound?: number; required?: boolean } = {}): number {
    const m = this.model
    const p = m.nA + c
    const e = this.ea.length
    this.ea.push(a)
    this.ec.push(p)
    const lo = options.fixedRound ?? Math.max(m.arrive[a]!, m.arrive[p]!, m.frozenBefore)
    const hi = options.fixedRound ?? Math.min(m.leave[a]!, m.leave[p]!)
    this.lo.push(lo)
    this.hi.push(hi)
    this.round.push(0)
    this.fixed.push(options.fixedRound !== undefined)
    this.required.push(options.required ?? false)
    if (options.fixedRound !== undefined) this.place(e, options.fixedRound)
    return e
  }

  at(p: number, r: number): number {
    return this.slot[p * (this.R + 1) + r]!
  }

  free(p: number, r: number): boolean {
    return this.slot[p * (this.R + 1) + r] === -1
  }

  /** Can edge e go to round r (window, both free, a table left)? */
  fits(e: number, r: number): boolean {
    return (
      r >= this.lo[e]! &&
      r <= this.hi[e]! &&
      this.free(this.ea[e]!, r) &&
      this.free(this.ec[e]!, r) &&
      this.count[r]! < this.capacity
    )
  }

  place(e: number, r: number): void {
    this.round[e] = r
    this.slot[this.ea[e]! * (this.R + 1) + r] = e
    this.slot[this.ec[e]! * (this.R + 1) + r] = e
    this.count[r]!++
  }

  unplace(e: number): void {
    const r = this.round[e]!
    if (r === 0) return
    this.slot[this.ea[e]! * (this.R + 1) + r] = -1
    this.slot[this.ec[e]! * (this.R + 1) + r] = -1
    this.count[r]!--
    this.round[e] = 0
  }

  /** Drops the edges from index n on (they must be unplaced). */
  truncate(n: number): void {
    for (const list of [this.ea, this.ec, this.lo, this.hi, this.round, this.fixed, this.required]) list.length = Math.min(list.length, n)
  }

  /** Idle rounds of participant p: rounds between its first and last meeting without one. */
  idle(p: number): number {
    const base = p * (this.R + 1)
    let first = 0
    let last = 0
    let n = 0
    for (let r = 1; r <= this.R; r++) {
      if (this.slot[base + r]! >= 0) {
        if (first === 0) first = r
        last = r
        n++
      }
    }
    return n === 0 ? 0 : last - first + 1 - n
  }

  totalIdle(): number {
    let s = 0
    for (let p = 0; p < this.P; p++) s += this.idle(p)
    return s
  }

  unplaced(): number[] {
    const out: number[] = []
    for (let e = 0; e < this.ea.length; e++) if (this.round[e] === 0) out.push(e)
    return out
  }

  /**
   * The Kempe chain of rounds (r1, r2) starting at participant p: the alternating path of
   * meetings in r1 and r2 through p. Returns the edges, or undefined if a swap would break a
   * window, a fixed meeting or the table limit.
   */
  kempeChain(p: number, r1: number, r2: number): number[] | undefined {
    const chain: number[] = []
    const seen = new Set<number>()
    // walk both directions from p
    for (const startRound of [r1, r2]) {
      let u = p
      let r = startRound
      for (;;) {
        const e = this.at(u, r)
        if (e < 0 || seen.has(e)) break
        seen.add(e)
        chain.push(e)
        u = this.ea[e] === u ? this.ec[e]! : this.ea[e]!
        r = r === r1 ? r2 : r1
      }
    }
    let delta1 = 0
    for (const e of chain) {
      if (this.fixed[e]) return undefined
      const target = this.round[e] === r1 ? r2 : r1
      if (target < this.lo[e]! || target > this.hi[e]!) return undefined
      delta1 += this.round[e] === r1 ? -1 : 1
    }
    if (this.count[r1]! + delta1 > this.capacity || this.count[r2]! - delta1 > this.capacity) return undefined
    return chain
  }

  /** Swaps rounds r1 and r2 on the edges of a chain. */
  swapChain(chain: number[], r1: number, r2: number): void {
    const target = chain.map((e) => (this.round[e] === r1 ? r2 : r1))
    for (const e of chain) this.unplace(e)
    chain.forEach((e, i) => this.place(e, target[i]!))
  }
}
