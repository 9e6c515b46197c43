/**
 * Deficit search: ejection chains over the whole time-indexed problem (any allowed pair in any
 * common round), for schedules that fall short of the selection's figures (fairness, minMeetings,
 * meetings) because the selected pairs could not all be put into rounds.
 *
 * A chain starts at a participant that could have one more meeting (below its fairness target,
 * then below its minMeetings, then simply below what it could have) and gives it a meeting in one
 * of its free rounds with an allowed partner it has not met. If the partner is busy in that round,
 * the partner's meeting is ejected; if the round has no table left, its cheapest ordinary meeting
 * is ejected. A participant who lost a meeting that way continues the chain (depth-first, each
 * participant at most once per chain, as in an augmenting path search). A chain is kept when it
 * improves, lexicographically, the fairness level, the minMeetings met, the meetings, or else
 * the fairness deficit (progress towards the next level); otherwise it is undone. Fixed and required meetings never
 * move. The budget counts the moves tried, so the outcome is deterministic.
 */
import type { Model } from '../model.ts'
import type { Schedule } from './schedule.ts'

export interface DeficitGoals {
  /** the fairness level aimed at (an upper bound: the selection's) */
  level: number
  /** per participant: most meetings its presence and allowed partners permit */
  potential: Int32Array
  /** figures at which the search stops: nothing better exists (the selection's) */
  best: { fairness: number; minimum: number; meetings: number }
}

export interface DeficitOutcome {
  /** chains kept */
  chains: number
  /** moves tried */
  work: number
}

interface Move {
  a: number
  c: number
  r: number
  eject: number[]
  /** participants who lost a meeting */
  losers: number[]
  value: number
}

const MAX_DEPTH = 12
const DEEP_DEPTH = 8
const SCORE_PASSES = 1
const SCORE_ROOT = 200

/** `model` is the instance's (the schedule may have been built on a variant with fewer pairs). */
export function deficitSearch(model: Model, sched: Schedule, budget: number, goals: DeficitGoals): DeficitOutcome {
  const { nA, nC } = model
  const { P } = sched
  const from = model.frozenBefore
  const fair = new Int32Array(P)
  const least = new Int32Array(P)
  const cap = new Int32Array(P)
  for (let p = 0; p < P; p++) {
    const pot = goals.potential[p]!
    fair[p] = Math.min(goals.level, pot)
    least[p] = Math.min(model.minMeetings[p]!, pot)
    cap[p] = Math.min(model.maxMeetings[p]!, pot)
  }
  const keyOf = (e: number): number => sched.ea[e]! * nC + (sched.ec[e]! - nA)
  let maxScore = 0
  for (let k = 0; k < nA * nC; k++) if (model.allowed[k]) maxScore = Math.max(maxScore, model.score[k]!)
  const scoreScale = maxScore > 0 ? 1 / maxScore : 0

  // placed pair -> edge; an unplaced edge per pair, reused when that pair is placed again
  const placedEdge = new Map<number, number>()
  const spareEdge = new Map<number, number>()
  const degree = new Int32Array(P)
  let meetings = 0
  let score = 0
  for (let e = 0; e < sched.edgeCount; e++) {
    const k = keyOf(e)
    if (sched.round[e]! > 0) {
      placedEdge.set(k, e)
      degree[sched.ea[e]!]!++
      degree[sched.ec[e]!]!++
      meetings++
      score += model.score[k]!
    } else if (!spareEdge.has(k)) spareEdge.set(k, e)
  }
  for (const k of placedEdge.keys()) spareEdge.delete(k)
  const initialEdges = sched.edgeCount
  let fairDef = 0
  let minDef = 0
  for (let p = 0; p < P; p++) {
    fairDef += Math.max(0, fair[p]! - degree[p]!)
    minDef += Math.max(0, least[p]! - degree[p]!)
  }
  const level = (): number => {
    let L = goals.level
    for (let p = 0; p < P; p++) if (degree[p]! < fair[p]!) L = Math.min(L, degree[p]!)
    return L
  }
  const minimum = (): number => {
    let s = 0
    for (let p = 0; p < P; p++) s += Math.min(degree[p]!, least[p]!)
    return s
  }
  const reached = (): boolean => level() >= goals.best.fairness && minimum() >= goals.best.minimum && meetings >= goals.best.meetings

  const bump = (p: number, d: number): void => {
    const before = degree[p]!
    degree[p] = before + d
    fairDef += Math.max(0, fair[p]! - degree[p]!) - Math.max(0, fair[p]! - before)
    minDef += Math.max(0, least[p]! - degree[p]!) - Math.max(0, least[p]! - before)
  }
  /** operations since the last mark, to undo a rejected score move: [edge, round before] */
  let log: [number, number][] | undefined
  const remove = (e: number): void => {
    const k = keyOf(e)
    log?.push([e, sched.round[e]!])
    sched.unplace(e)
    placedEdge.delete(k)
    if (!spareEdge.has(k)) spareEdge.set(k, e)
    bump(sched.ea[e]!, -1)
    bump(sched.ec[e]!, -1)
    meetings--
    score -= model.score[k]!
  }
  const put = (e: number, r: number): void => {
    const k = keyOf(e)
    log?.push([e, 0])
    sched.place(e, r)
    placedEdge.set(k, e)
    spareEdge.delete(k)
    bump(sched.ea[e]!, 1)
    bump(sched.ec[e]!, 1)
    meetings++
    score += model.score[k]!
  }
  const edgeFor = (a: number, c: number): number => spareEdge.get(a * nC + c) ?? sched.addEdge(a, c)

  const W_FAIR = 10_000
  const W_MIN = 100
  const W_MEET = 10
  /** cost change when p's degree moves by d (fairness and minMeetings deficits) */
  const shift = (p: number, d: number): number => {
    const now = degree[p]!
    const after = now + d
    return (
      W_FAIR * (Math.max(0, fair[p]! - after) - Math.max(0, fair[p]! - now)) +
      W_MIN * (Math.max(0, least[p]! - after) - Math.max(0, least[p]! - now))
    )
  }
  const locked = new Set<number>()
  /** a pair that may not come back (the meeting a score move takes out) */
  let barred = -1
  const movable = (x: number): boolean => !sched.fixed[x] && !sched.required[x] && !locked.has(x)
  const seatedFirst = model.seated === 'company' ? nA : 0
  const seatedLast = model.seated === 'company' ? P : nA

  /** the moves giving u one more meeting, best first */
  const movesOf = (u: number): Move[] => {
    const moves: Move[] = []
    const isA = u < nA
    const gain = shift(u, 1) - W_MEET
    for (let r = Math.max(model.arrive[u]!, from); r <= model.leave[u]!; r++) {
      if (!sched.free(u, r)) continue
      // the cheapest ordinary meeting of a full round (u is free there, so it is not u's)
      let filler = -1
      let fillerCost = Infinity
      if (sched.count[r]! >= sched.capacity) {
        for (let s = seatedFirst; s < seatedLast; s++) {
          const x = sched.at(s, r)
          if (x < 0 || !movable(x)) continue
          const cost = shift(sched.ea[x]!, -1) + shift(sched.ec[x]!, -1) + W_MEET + model.score[keyOf(x)]! * scoreScale
          if (cost < fillerCost) {
            fillerCost = cost
            filler = x
          }
        }
      }
      const others = isA ? nC : nA
      for (let j = 0; j < others; j++) {
        const q = isA ? nA + j : j
        const a = isA ? u : j
        const c = isA ? j : u - nA
        const k = a * nC + c
        if (!model.allowed[k] || placedEdge.has(k) || k === barred) continue
        if (r < model.arrive[q]! || r > model.leave[q]!) continue
        const x = sched.at(q, r)
        let value = gain - model.score[k]! * scoreScale
        if (x >= 0) {
          if (!movable(x)) continue
          const s = sched.ea[x] === q ? sched.ec[x]! : sched.ea[x]!
          // q keeps its count, s loses one
          value += shift(s, -1) + W_MEET + model.score[keyOf(x)]! * scoreScale
          moves.push({ a, c, r, eject: [x], losers: [s], value })
        } else {
          if (degree[q]! >= model.maxMeetings[q]!) continue
          value += shift(q, 1)
          if (sched.count[r]! >= sched.capacity) {
            if (filler < 0) continue
            moves.push({ a, c, r, eject: [filler], losers: [sched.ea[filler]!, sched.ec[filler]!], value: value + fillerCost })
          } else moves.push({ a, c, r, eject: [], losers: [], value })
        }
      }
    }
    moves.sort((x, y) => x.value - y.value || x.r - y.r || x.a - y.a || x.c - y.c)
    return moves
  }

  const visited = new Int32Array(P)
  let stamp = 0
  let work = 0
  let base = { fairDef, minDef, meetings, level: level() }
  /** lexicographically: fairness level, minMeetings met, meetings (the objectives), then the fairness deficit (progress to the next level) */
  const improved = (): boolean => {
    if (minDef > base.minDef && fairDef >= base.fairDef) return false
    const L = level()
    if (L !== base.level) return L > base.level
    if (minDef !== base.minDef) return minDef < base.minDef
    if (meetings !== base.meetings) return meetings > base.meetings
    return fairDef < base.fairDef
  }

  const short = (p: number): boolean => degree[p]! < fair[p]! || degree[p]! < least[p]!
  // augmenting-path style (each participant once per chain search), then deeper: each participant
  // once per path, with a depth limit and a budget per root
  let deep = false
  let maxDepth = MAX_DEPTH
  let limit = budget
  const chain = (u: number, depth: number): boolean => {
    visited[u] = stamp
    const found = tryMoves(u, depth)
    if (deep && !found) visited[u] = 0
    return found
  }
  const tryMoves = (u: number, depth: number): boolean => {
    for (const move of movesOf(u)) {
      if (++work > limit) return false
      const rounds = move.eject.map((x) => sched.round[x]!)
      for (const x of move.eject) remove(x)
      const e = edgeFor(move.a, move.c)
      put(e, move.r)
      locked.add(e)
      if (improved()) return true
      if (depth < maxDepth) {
        // a loser left below its targets first: it is the one that needs the meeting back
        const losers = move.losers.length === 2 && !short(move.losers[0]!) && short(move.losers[1]!) ? [move.losers[1]!, move.losers[0]!] : move.losers
        for (const s of losers) {
          if (visited[s] === stamp || degree[s]! >= cap[s]!) continue
          if (chain(s, depth + 1)) return true
          if (work > limit) break
        }
      }
      locked.delete(e)
      remove(e)
      move.eject.forEach((x, i) => put(x, rounds[i]!))
      if (work > limit) return false
    }
    return false
  }

  let chains = 0
  const serve = (rootBudget: number): void => {
    for (let pass = 0; pass < 50 && work < budget && !reached(); pass++) {
      let kept = 0
      // roots: below the fairness target, below minMeetings, then below what they could have
      const roots: number[] = []
      for (const tier of [0, 1, 2]) {
        for (let p = 0; p < P; p++) {
          if (degree[p]! >= cap[p]!) continue
          const t = degree[p]! < fair[p]! ? 0 : degree[p]! < least[p]! ? 1 : 2
          if (t === tier) roots.push(p)
        }
      }
      for (const u of roots) {
        if (work >= budget || reached()) break
        if (degree[u]! >= cap[u]!) continue
        base = { fairDef, minDef, meetings, level: level() }
        stamp++
        locked.clear()
        limit = Math.min(budget, work + rootBudget)
        if (chain(u, 0)) {
          kept++
          chains++
        }
      }
      if (kept === 0) break
    }
  }
  /** one pass of score moves over the meetings, lowest scores first; true when one was kept */
  const scoreMoves = (): boolean => {
    const order: number[] = []
    for (const e of placedEdge.values()) if (!sched.fixed[e] && !sched.required[e]) order.push(e)
    order.sort((x, y) => model.score[keyOf(x)]! - model.score[keyOf(y)]! || x - y)
    let gained = false
    for (const x of order) {
      if (work >= budget) break
      if (sched.round[x] === 0) continue
      const before = { level: level(), minDef, meetings, score }
      log = []
      barred = keyOf(x)
      remove(x)
      for (const u of [sched.ea[x]!, sched.ec[x]!]) {
        if (degree[u]! >= cap[u]!) continue
        base = { fairDef, minDef, meetings, level: level() }
        stamp++
        locked.clear()
        limit = Math.min(budget, work + SCORE_ROOT)
        chain(u, 0)
      }
      const same = level() >= before.level && minDef <= before.minDef && meetings >= before.meetings
      if (same && score > before.score + 1e-9) gained = true
      else {
        const undo = log
        log = undefined
        for (let i = undo.length - 1; i >= 0; i--) {
          const [e, r] = undo[i]!
          if (r === 0) remove(e)
          else put(e, r)
        }
      }
      log = undefined
      barred = -1
    }
    locked.clear()
    return gained
  }
  // the best state by the objectives themselves (chains that only lowered the fairness deficit
  // without reaching the next level are given back if they cost score)
  const snapshot = () => ({ level: level(), minDef, meetings, score, rounds: sched.round.slice(), edges: sched.edgeCount })
  let best = snapshot()
  const keep = (): void => {
    const L = level()
    const ahead =
      L !== best.level ? L > best.level : minDef !== best.minDef ? minDef < best.minDef : meetings !== best.meetings ? meetings > best.meetings : score > best.score + 1e-9
    if (ahead) best = snapshot()
  }
  serve(budget)
  keep()
  if (!reached() && work < budget) {
    deep = true
    maxDepth = DEEP_DEPTH
    serve(Math.max(1, Math.floor(budget / (4 * P))))
    keep()
  }
  // score moves: take out a low-scoring meeting, serve its two participants by chains again; kept
  // when the objectives are the same or better and the score higher (from the best state only)
  const atBest = level() === best.level && minDef === best.minDef && meetings === best.meetings && Math.abs(score - best.score) <= 1e-9
  if (atBest) {
    deep = false
    maxDepth = MAX_DEPTH
    for (let pass = 0; pass < SCORE_PASSES && work < budget; pass++) if (!scoreMoves()) break
    best = snapshot()
  }
  if (best.rounds.length !== sched.edgeCount || best.rounds.some((r, e) => r !== sched.round[e])) {
    for (let e = 0; e < sched.edgeCount; e++) sched.unplace(e)
    for (let e = 0; e < best.edges; e++) if (best.rounds[e]! > 0) sched.place(e, best.rounds[e]!)
  }
  // edges tried and given back are dropped; the new meetings kept get fresh edges
  const kept: [number, number, number][] = []
  for (let e = initialEdges; e < sched.edgeCount; e++) {
    if (sched.round[e]! > 0) {
      kept.push([sched.ea[e]!, sched.ec[e]! - nA, sched.round[e]!])
      sched.unplace(e)
    }
  }
  sched.truncate(initialEdges)
  for (const [a, c, r] of kept) sched.place(sched.addEdge(a, c), r)
  return { chains, work }
}
