/**
 * Table numbers. The seated side keeps one table all night when there are enough tables for all
 * of its participants who meet someone; otherwise each round seats its meetings on tables
 * 1..k, keeping a seated participant at the table it had in the previous round when possible.
 * Fixed meetings keep their table; a seated participant who had one keeps it as its home table.
 */
import type { Schedule } from './schedule.ts'

/** Returns the table of every placed edge (0 for unplaced ones). */
export function assignTables(sched: Schedule): number[] {
  const { R, nA, P } = sched
  const model = sched.model
  const seatedIsCompany = model.seated === 'company'
  const seatedOf = (e: number): number => (seatedIsCompany ? sched.ec[e]! : sched.ea[e]!)
  const table = new Array<number>(sched.edgeCount).fill(0)
  const used: Set<number>[] = Array.from({ length: R + 1 }, () => new Set<number>())
  const fixedTable = new Map<number, number>()
  for (const f of model.fixed) if (f.table !== undefined) fixedTable.set(f.a * model.nC + f.c, f.table)
  for (let e = 0; e < sched.edgeCount; e++) {
    const t = fixedTable.get(sched.ea[e]! * model.nC + (sched.ec[e]! - nA))
    if (sched.round[e]! > 0 && sched.fixed[e] && t !== undefined) {
      table[e] = t
      used[sched.round[e]!]!.add(t)
    }
  }
  const seatedStart = seatedIsCompany ? nA : 0
  const seatedEnd = seatedIsCompany ? P : nA
  const meets = new Uint8Array(P)
  for (let e = 0; e < sched.edgeCount; e++) if (sched.round[e]! > 0) meets[seatedOf(e)] = 1
  let seatedCount = 0
  for (let p = seatedStart; p < seatedEnd; p++) seatedCount += meets[p]!
  const home = new Int32Array(P)
  if (seatedCount <= sched.capacity) {
    // home tables: a table already used in a fixed meeting first, then the smallest free numbers
    const taken = new Set<number>()
    for (let e = 0; e < sched.edgeCount; e++) {
      const p = seatedOf(e)
      if (table[e]! > 0 && home[p] === 0 && !taken.has(table[e]!)) {
        home[p] = table[e]!
        taken.add(table[e]!)
      }
    }
    let next = 1
    for (let p = seatedStart; p < seatedEnd; p++) {
      if (!meets[p] || home[p] !== 0) continue
      while (taken.has(next)) next++
      home[p] = next
      taken.add(next)
    }
  }
  const previous = new Int32Array(P)
  for (let r = 1; r <= R; r++) {
    const edges: number[] = []
    for (let p = seatedStart; p < seatedEnd; p++) {
      const e = sched.at(p, r)
      if (e >= 0 && table[e] === 0) edges.push(e)
    }
    const taken = used[r]!
    const rest: number[] = []
    for (const e of edges) {
      const p = seatedOf(e)
      const wish = home[p]! > 0 ? home[p]! : previous[p]!
      if (wish > 0 && !taken.has(wish)) {
        table[e] = wish
        taken.add(wish)
      } else rest.push(e)
    }
    let next = 1
    for (const e of rest) {
      while (taken.has(next)) next++
      table[e] = next
      taken.add(next)
    }
    for (const e of edges) previous[seatedOf(e)] = table[e]!
    for (let p = seatedStart; p < seatedEnd; p++) {
      const e = sched.at(p, r)
      if (e >= 0) previous[p] = table[e]!
    }
  }
  return table
}
