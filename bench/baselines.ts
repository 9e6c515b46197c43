/**
 * Two baselines for the bench, as organisers do it without the solver.
 * Both respect presence, forbidden pairs ('avoid' wishes included), maxMeetings and tables.
 */
import { buildModel } from '../solver/model.ts'
import type { Instance, Meeting } from '../solver/types.ts'

/**
 * The plain cyclic rotation: the seated side stays at table j, rotating participant i meets
 * seated participant (i + r - 1) mod max(n, m) in round r when that seat exists; pairs that are not
 * allowed or not both present sit out that round.
 */
export function cyclicRotation(instance: Instance): Meeting[] {
  const built = buildModel(instance)
  if (!built.ok) return []
  const m = built.model
  const { nA, nC, rounds: R } = m
  const seatedIsCompany = m.seated === 'company'
  const nS = seatedIsCompany ? nC : nA
  const nR = seatedIsCompany ? nA : nC
  const period = Math.max(nS, nR)
  const degree = new Int32Array(nA + nC)
  const out: Meeting[] = []
  for (let r = 1; r <= R; r++) {
    let used = 0
    for (let i = 0; i < nR; i++) {
      const j = (i + r - 1) % period
      if (j >= nS || j >= m.tables) continue
      const a = seatedIsCompany ? i : j
      const c = seatedIsCompany ? j : i
      const p = nA + c
      if (!m.allowed[a * nC + c] || r < m.arrive[a]! || r > m.leave[a]! || r < m.arrive[p]! || r > m.leave[p]!) continue
      if (degree[a]! >= m.maxMeetings[a]! || degree[p]! >= m.maxMeetings[p]! || used >= m.tables) continue
      if (out.some((x) => x.association === m.ids[a] && x.company === m.ids[p])) continue
      degree[a]!++
      degree[p]!++
      used++
      out.push({ round: r, table: j + 1, association: m.ids[a]!, company: m.ids[p]!, score: m.score[a * nC + c]! })
    }
  }
  return out
}

/** Greedy best-pair-first: pairs by decreasing score, each in the first round where both are free. */
export function greedyBestPairFirst(instance: Instance): Meeting[] {
  const built = buildModel(instance)
  if (!built.ok) return []
  const m = built.model
  const { nA, nC, rounds: R } = m
  const busy = new Uint8Array((nA + nC) * (R + 1))
  const perRound = new Int32Array(R + 1)
  const degree = new Int32Array(nA + nC)
  const pairs: number[] = []
  for (let k = 0; k < nA * nC; k++) if (m.allowed[k]) pairs.push(k)
  const required = new Set(m.required.map(([a, c]) => a * nC + c))
  pairs.sort((x, y) => Number(required.has(y)) - Number(required.has(x)) || m.score[y]! - m.score[x]! || x - y)
  const placed: { round: number; a: number; c: number }[] = []
  for (const k of pairs) {
    const a = Math.floor(k / nC)
    const c = k - a * nC
    const p = nA + c
    if (degree[a]! >= m.maxMeetings[a]! || degree[p]! >= m.maxMeetings[p]!) continue
    for (let r = Math.max(m.arrive[a]!, m.arrive[p]!); r <= Math.min(m.leave[a]!, m.leave[p]!); r++) {
      if (busy[a * (R + 1) + r] || busy[p * (R + 1) + r] || perRound[r]! >= m.tables) continue
      busy[a * (R + 1) + r] = 1
      busy[p * (R + 1) + r] = 1
      perRound[r]!++
      degree[a]!++
      degree[p]!++
      placed.push({ round: r, a, c })
      break
    }
  }
  // tables: numbered per round in seated order
  const out: Meeting[] = []
  for (let r = 1; r <= R; r++) {
    const inRound = placed.filter((x) => x.round === r).sort((x, y) => (m.seated === 'company' ? x.c - y.c : x.a - y.a))
    inRound.forEach((x, t) => out.push({ round: r, table: t + 1, association: m.ids[x.a]!, company: m.ids[nA + x.c]!, score: m.score[x.a * nC + x.c]! }))
  }
  return out
}
