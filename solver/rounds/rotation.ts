/**
 * The simple rotation people follow without a card: when every rotating participant meets every
 * seated one and everyone is there all night, round r seats rotating participant i in front of
 * seated participant (i + r - 1) mod n: "move one table to the right".
 */
import type { Schedule } from './schedule.ts'

/** Places every edge by the cyclic rotation and returns true, or changes nothing and returns false. */
export function rotationFits(sched: Schedule): boolean {
  const model = sched.model
  const { nA, nC, rounds: R } = model
  if (model.fixed.length > 0 || model.frozenBefore > 1) return false
  if (sched.edgeCount !== nA * nC || nA === 0 || nC === 0) return false
  for (let p = 0; p < nA + nC; p++) if (model.arrive[p] !== 1 || model.leave[p] !== R) return false
  const seatedIsCompany = model.seated === 'company'
  const nSeated = seatedIsCompany ? nC : nA
  const nRotating = seatedIsCompany ? nA : nC
  if (nRotating > nSeated || nSeated > R || nSeated > sched.capacity) return false
  for (let e = 0; e < sched.edgeCount; e++) {
    const a = sched.ea[e]!
    const c = sched.ec[e]! - nA
    const i = seatedIsCompany ? a : c
    const j = seatedIsCompany ? c : a
    sched.place(e, ((j - i + nSeated) % nSeated) + 1)
  }
  return true
}
