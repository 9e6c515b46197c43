/**
 * Follow-up proposals after the evening, and missed connections.
 *
 * Eligible: pairs that met and where BOTH sides answered followUp yes (the last
 * rating of a side counts). Chosen: a set of eligible pairs of maximum total
 * mutual interest (the two interests added) with at most `capacity` pairs per
 * organisation, ties broken by the larger total score. This is a maximum-weight
 * b-matching, solved exactly as a min-cost flow (source -> association, capacity
 * b; association -> company, capacity 1, cost -weight; company -> sink,
 * capacity b) by successive shortest paths with Johnson potentials, stopping at
 * the first path of non-negative cost: the cost of successive shortest paths
 * never decreases, so the flow reached is of minimum cost over all flow values.
 * Weights are integers (interest x K + score in cents, K above any score total),
 * so the comparison is exact and lexicographic.
 *
 * Who calls: the side that rated the meeting lower calls the other (the keener
 * side has already said so; the call is the other side's commitment), the
 * association on a tie.
 */
import type { FollowUpInput, FollowUpProposal, FollowUpRating, FollowUpResult } from './types.ts'

const DEFAULT_CAPACITY = 3
const DEFAULT_MISSED_LIMIT = 10

interface Phrases {
  interest(association: string, a: number, company: string, c: number): string
  bothYes: string
  caller(id: string): string
  missed(score: number): string
}

const FRENCH: Phrases = {
  interest: (association, a, company, c) => `intérêt déclaré : ${a}/5 pour ${association}, ${c}/5 pour ${company}`,
  bothYes: 'tous deux souhaitent donner suite',
  caller: (id) => `${id} prend contact en premier`,
  missed: (score) => `compatibilité ${score} : ils ne se sont pas rencontrés`,
}

const ENGLISH: Phrases = {
  interest: (association, a, company, c) => `interest stated: ${a}/5 for ${association}, ${c}/5 for ${company}`,
  bothYes: 'both want a follow-up',
  caller: (id) => `${id} makes the first call`,
  missed: (score) => `compatibility ${score}: they did not meet`,
}

function own<T>(record: Readonly<Record<string, T>> | undefined, key: string): T | undefined {
  return record !== undefined && Object.hasOwn(record, key) ? record[key] : undefined
}

const pairKey = (association: string, company: string): string => JSON.stringify([association, company])

const byId = (x: string, y: string): number => (x < y ? -1 : x > y ? 1 : 0)

interface Candidate {
  association: string
  company: string
  interestA: number
  interestC: number
  score: number
  reasons: string[]
}

/** Proposes follow-ups (exact maximum mutual interest under capacities) and lists missed connections. */
export function proposeFollowUps(input: FollowUpInput): FollowUpResult {
  const phrases = input.locale === 'en' ? ENGLISH : FRENCH
  const capacityOf = (id: string): number =>
    Math.max(0, Math.floor(own(input.capacity?.byId, id) ?? input.capacity?.default ?? DEFAULT_CAPACITY))

  // Pairs that met, once each, with their score and reasons.
  const met = new Map<string, { association: string; company: string; score: number; reasons: string[] }>()
  for (const m of input.meetings) {
    const key = pairKey(m.association, m.company)
    if (met.has(key)) continue
    const score = m.score ?? own(own(input.scores, m.association), m.company) ?? 0
    met.set(key, { association: m.association, company: m.company, score, reasons: m.reasons ?? [] })
  }

  // The last rating of each side of each pair that met.
  const rated = new Map<string, { association?: FollowUpRating; company?: FollowUpRating }>()
  for (const r of input.ratings) {
    const key = pairKey(r.association, r.company)
    if (!met.has(key) || !Number.isFinite(r.interest)) continue
    const entry = rated.get(key) ?? {}
    entry[r.side] = r
    rated.set(key, entry)
  }

  const candidates: Candidate[] = []
  for (const [key, m] of met) {
    const r = rated.get(key)
    if (!r?.association?.followUp || !r.company?.followUp) continue
    candidates.push({ ...m, interestA: r.association.interest, interestC: r.company.interest })
  }
  candidates.sort((x, y) => byId(x.association, y.association) || byId(x.company, y.company))

  const chosen = maximumWeightBMatching(candidates, capacityOf)

  const proposals: FollowUpProposal[] = chosen
    .map((c) => ({ c, mutualInterest: c.interestA + c.interestC }))
    .sort(
      (x, y) =>
        y.mutualInterest - x.mutualInterest ||
        y.c.score - x.c.score ||
        byId(x.c.association, y.c.association) ||
        byId(x.c.company, y.c.company),
    )
    .map(({ c, mutualInterest }, i) => {
      const caller = c.interestC < c.interestA ? 'company' : 'association'
      return {
        rank: i + 1,
        association: c.association,
        company: c.company,
        mutualInterest,
        caller,
        reasons: [
          phrases.bothYes,
          phrases.interest(c.association, c.interestA, c.company, c.interestC),
          phrases.caller(caller === 'association' ? c.association : c.company),
          ...c.reasons,
        ],
      }
    })

  return { proposals, missed: missedConnections(input, met, phrases) }
}

function missedConnections(input: FollowUpInput, met: Map<string, unknown>, phrases: Phrases): FollowUpResult['missed'] {
  const limit = Math.max(0, Math.floor(input.missedLimit ?? DEFAULT_MISSED_LIMIT))
  if (limit === 0 || !input.scores) return []
  const forbidden = new Set((input.forbidden ?? []).map(([a, c]) => pairKey(a, c)))
  const pairs: { association: string; company: string; score: number }[] = []
  for (const [association, row] of Object.entries(input.scores)) {
    for (const [company, score] of Object.entries(row)) {
      const key = pairKey(association, company)
      if (score > 0 && !met.has(key) && !forbidden.has(key)) pairs.push({ association, company, score })
    }
  }
  pairs.sort((x, y) => y.score - x.score || byId(x.association, y.association) || byId(x.company, y.company))
  return pairs.slice(0, limit).map((p) => ({
    ...p,
    reasons: [phrases.missed(p.score), ...(own(own(input.reasons, p.association), p.company) ?? [])],
  }))
}

/**
 * Maximum-weight b-matching of the candidates (lexicographic: mutual interest,
 * then score), exact, by min-cost flow. Returns the chosen candidates.
 */
function maximumWeightBMatching(candidates: Candidate[], capacityOf: (id: string) => number): Candidate[] {
  if (candidates.length === 0) return []
  const associations = [...new Set(candidates.map((c) => c.association))]
  const companies = [...new Set(candidates.map((c) => c.company))]
  const aNode = new Map(associations.map((id, i) => [id, 1 + i]))
  const cNode = new Map(companies.map((id, i) => [id, 1 + associations.length + i]))
  const source = 0
  const sink = 1 + associations.length + companies.length
  const n = sink + 1

  const cents = candidates.map((c) => Math.max(0, Math.round(c.score * 100)))
  const K = cents.reduce((s, x) => s + x, 0) + 1

  // Residual graph as parallel arrays; edge e and e ^ 1 are a pair.
  const to: number[] = []
  const cap: number[] = []
  const cost: number[] = []
  const head: number[] = new Array<number>(n).fill(-1)
  const next: number[] = []
  const addEdge = (u: number, v: number, capacity: number, c: number): number => {
    const e = to.length
    to.push(v, u)
    cap.push(capacity, 0)
    cost.push(c, -c)
    next.push(head[u] ?? -1, head[v] ?? -1)
    head[u] = e
    head[v] = e + 1
    return e
  }
  associations.forEach((id, i) => addEdge(source, 1 + i, capacityOf(id), 0))
  const pairEdges = candidates.map((c, i) =>
    addEdge(aNode.get(c.association) ?? -1, cNode.get(c.company) ?? -1, 1, -((c.interestA + c.interestC) * K + (cents[i] ?? 0))),
  )
  companies.forEach((id, i) => addEdge(1 + associations.length + i, sink, capacityOf(id), 0))

  // Initial potentials: the graph is a DAG source -> associations -> companies -> sink.
  const potential = new Array<number>(n).fill(0)
  for (const e of pairEdges) {
    const v = to[e] ?? 0
    potential[v] = Math.min(potential[v] ?? 0, cost[e] ?? 0)
  }
  for (let v = 1 + associations.length; v < sink; v++) potential[sink] = Math.min(potential[sink] ?? 0, potential[v] ?? 0)

  const INF = Number.POSITIVE_INFINITY
  for (;;) {
    const dist = new Array<number>(n).fill(INF)
    const via = new Array<number>(n).fill(-1)
    dist[source] = 0
    const heap = new MinHeap()
    heap.push(0, source)
    while (heap.size > 0) {
      const [d, u] = heap.pop()
      if (d > (dist[u] ?? INF)) continue
      for (let e = head[u] ?? -1; e !== -1; e = next[e] ?? -1) {
        if ((cap[e] ?? 0) <= 0) continue
        const v = to[e] ?? 0
        const nd = d + (cost[e] ?? 0) + (potential[u] ?? 0) - (potential[v] ?? 0)
        if (nd < (dist[v] ?? INF)) {
          dist[v] = nd
          via[v] = e
          heap.push(nd, v)
        }
      }
    }
    if ((dist[sink] ?? INF) === INF) break
    const pathCost = (dist[sink] ?? 0) + (potential[sink] ?? 0) - (potential[source] ?? 0)
    if (pathCost >= 0) break
    for (let v = 0; v < n; v++) if ((dist[v] ?? INF) < INF) potential[v] = (potential[v] ?? 0) + (dist[v] ?? 0)
    // Every path crosses a pair edge of capacity 1 forward or backward: push one unit.
    for (let v = sink; v !== source; ) {
      const e = via[v] ?? -1
      cap[e] = (cap[e] ?? 0) - 1
      cap[e ^ 1] = (cap[e ^ 1] ?? 0) + 1
      v = to[e ^ 1] ?? source
    }
  }
  return candidates.filter((_, i) => (cap[pairEdges[i] ?? 0] ?? 1) === 0)
}

/** A binary heap of (key, node), smallest key first, ties by node: deterministic. */
class MinHeap {
  private keys: number[] = []
  private nodes: number[] = []

  get size(): number {
    return this.keys.length
  }

  push(key: number, node: number): void {
    this.keys.push(key)
    this.nodes.push(node)
    let i = this.keys.length - 1
    while (i > 0) {
      const parent = (i - 1) >> 1
      if (!this.less(i, parent)) break
      this.swap(i, parent)
      i = parent
    }
  }

  pop(): [number, number] {
    const top: [number, number] = [this.keys[0] ?? 0, this.nodes[0] ?? 0]
    const lastKey = this.keys.pop() ?? 0
    const lastNode = this.nodes.pop() ?? 0
    if (this.keys.length > 0) {
      this.keys[0] = lastKey
      this.nodes[0] = lastNode
      let i = 0
      for (;;) {
        const l = 2 * i + 1
        const r = l + 1
        let m = i
        if (l < this.keys.length && this.less(l, m)) m = l
        if (r < this.keys.length && this.less(r, m)) m = r
        if (m === i) break
        this.swap(i, m)
        i = m
      }
    }
    return top
  }

  private less(i: number, j: number): boolean {
    const ki = this.keys[i] ?? 0
    const kj = this.keys[j] ?? 0
    return ki < kj || (ki === kj && (this.nodes[i] ?? 0) < (this.nodes[j] ?? 0))
  }

  private swap(i: number, j: number): void {
    const k = this.keys[i] ?? 0
    this.keys[i] = this.keys[j] ?? 0
    this.keys[j] = k
    const v = this.nodes[i] ?? 0
    this.nodes[i] = this.nodes[j] ?? 0
    this.nodes[j] = v
  }
}
