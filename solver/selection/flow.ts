/**
 * Exact network-flow algorithms on a residual graph kept in flat arrays.
 *
 * - `maxFlow` (Dinic) decides feasibility of degree lower bounds.
 * - `minCostFlow` minimises a lexicographic cost (major integer part, then minor real part) among
 *   maximum flows, so that fairness and the number of meetings never need a "big M" mixed with real
 *   scores: by the network simplex (simplex.ts), or by successive shortest paths with potentials
 *   (several augmentations per Dijkstra on the admissible graph) when the cost at every flow value
 *   on the way is asked for.
 *
 * Edge e and e ^ 1 are a forward arc and its reverse.
 */

import { simplexMinCostFlow } from './simplex.ts'

const EPS = 1e-9

export class FlowNetwork {
  readonly n: number
  private from: number[] = []
  private to: number[] = []
  private capArr: number[] = []
  private majorArr: number[] = []
  private minorArr: number[] = []
  /** residual capacities, built by freeze() */
  cap!: Float64Array
  private head!: Int32Array
  private adj!: Int32Array
  private frozen = false

  constructor(n: number) {
    this.n = n
  }

  get edgeCount(): number {
    return this.to.length
  }

  /** Adds an arc u -> v with capacity and cost (major, minor); returns its index (the reverse is index + 1). */
  addEdge(u: number, v: number, capacity: number, major = 0, minor = 0): number {
    if (this.frozen) throw new Error('FlowNetwork: addEdge after freeze')
    const e = this.to.length
    this.from.push(u, v)
    this.to.push(v, u)
    this.capArr.push(capacity, 0)
    this.majorArr.push(major, -major)
    this.minorArr.push(minor, -minor)
    return e
  }

  /** Flow currently on forward arc e. */
  flow(e: number): number {
    return this.cap[e ^ 1] ?? 0
  }

  private freeze(): void {
    if (this.frozen) return
    this.frozen = true
    const m = this.to.length
    this.cap = Float64Array.from(this.capArr)
    const count = new Int32Array(this.n + 1)
    for (let e = 0; e < m; e++) count[(this.from[e] as number) + 1]!++
    for (let i = 0; i < this.n; i++) count[i + 1]! += count[i]!
    this.head = count.slice()
    const fill = count.slice(0, this.n)
    this.adj = new Int32Array(m)
    for (let e = 0; e < m; e++) {
      const u = this.from[e] as number
      this.adj[fill[u]!++] = e
    }
  }

  /** Dinic maximum flow from s to t, on top of the current flow; returns the added value. */
  maxFlow(s: number, t: number): number {
    this.freeze()
    const { n, cap, head, adj } = this
    const to = this.to
    const level = new Int32Array(n)
    const it = new Int32Array(n)
    const queue = new Int32Array(n)
    let total = 0
    for (;;) {
      level.fill(-1)
      level[s] = 0
      let qh = 0
      let qt = 0
      queue[qt++] = s
      while (qh < qt) {
        const u = queue[qh++]!
        for (let k = head[u]!; k < head[u + 1]!; k++) {
          const e = adj[k]!
          const v = to[e]!
          if (cap[e]! > EPS && level[v]! < 0) {
            level[v] = level[u]! + 1
            queue[qt++] = v
          }
        }
      }
      if (level[t]! < 0) return total
      for (let u = 0; u < n; u++) it[u] = head[u]!
      // iterative DFS pushing flow along the level graph
      const stackNode = new Int32Array(n + 1)
      const stackEdge = new Int32Array(n + 1)
      for (;;) {
        let depth = 0
        stackNode[0] = s
        let found = false
        while (depth >= 0) {
          const u = stackNode[depth]!
          if (u === t) {
            found = true
            break
          }
          let advanced = false
          while (it[u]! < head[u + 1]!) {
            const e = adj[it[u]!]!
            const v = to[e]!
            if (cap[e]! > EPS && level[v] === level[u]! + 1) {
              stackEdge[depth] = e
              stackNode[++depth] = v
              advanced = true
              break
            }
            it[u]!++
          }
          if (!advanced) {
            level[u] = -1
            depth--
            if (depth >= 0) it[stackNode[depth]!]!++
          }
        }
        if (!found) break
        let push = Infinity
        for (let d = 0; d < depth; d++) push = Math.min(push, cap[stackEdge[d]!]!)
        for (let d = 0; d < depth; d++) {
          const e = stackEdge[d]!
          cap[e]! -= push
          cap[e ^ 1]! += push
        }
        total += push
      }
    }
  }

  /**
   * Minimum-cost maximum flow from s to t (of minimum (major, minor) cost among maximum flows; for
   * our networks, where every s-t path has a negative major cost, the global minimum). Returns the
   * flow value, its cost and valid node potentials. With `onAugment(flow, major, minor)`, called
   * after each unit with the optimal cost at that flow value, by successive shortest paths; else by
   * the network simplex.
   */
  minCostFlow(
    s: number,
    t: number,
    onAugment?: (flow: number, major: number, minor: number) => void,
  ): { flow: number; major: number; minor: number; potentialMajor: Float64Array; potentialMinor: Float64Array } {
    return onAugment ? this.minCostFlowPaths(s, t, onAugment) : this.minCostFlowSimplex(s, t)
  }

  /** minCostFlow by successive shortest paths: the optimal cost at every flow value on the way. */
  minCostFlowPaths(
    s: number,
    t: number,
    onAugment?: (flow: number, major: number, minor: number) => void,
  ): { flow: number; major: number; minor: number; potentialMajor: Float64Array; potentialMinor: Float64Array } {
    this.freeze()
    const { n, cap, head, adj } = this
    const to = this.to
    const cm = Float64Array.from(this.majorArr)
    const cs = Float64Array.from(this.minorArr)
    const pm = new Float64Array(n)
    const ps = new Float64Array(n)
    // initial potentials: Bellman-Ford (queue based) on arcs with capacity; our networks are DAG-like
    {
      const dm = new Float64Array(n).fill(Infinity)
      const ds = new Float64Array(n).fill(Infinity)
      const inQueue = new Uint8Array(n)
      const queue: number[] = [s]
      dm[s] = 0
      ds[s] = 0
      inQueue[s] = 1
      let qh = 0
      let guard = 0
      while (qh < queue.length) {
        const u = queue[qh++]!
        inQueue[u] = 0
        if (++guard > 50 * n + 1_000_000) throw new Error('minCostFlow: negative cycle in the initial network')
        for (let k = head[u]!; k < head[u + 1]!; k++) {
          const e = adj[k]!
          if (cap[e]! <= EPS) continue
          const v = to[e]!
          const nm = dm[u]! + cm[e]!
          const ns = ds[u]! + cs[e]!
          if (nm < dm[v]! || (nm === dm[v]! && ns < ds[v]! - EPS)) {
            dm[v] = nm
            ds[v] = ns
            if (!inQueue[v]) {
              inQueue[v] = 1
              queue.push(v)
            }
          }
        }
      }
      for (let v = 0; v < n; v++) {
        pm[v] = dm[v] === Infinity ? 0 : dm[v]!
        ps[v] = ds[v] === Infinity ? 0 : ds[v]!
      }
    }

    const dm = new Float64Array(n)
    const ds = new Float64Array(n)
    const done = new Uint8Array(n)
    const heap = new MinHeap(n)
    const stackNode = new Int32Array(n + 1)
    const stackEdge = new Int32Array(n + 1)
    const it = new Int32Array(n)
    const dead = new Uint8Array(n)
    const onPath = new Uint8Array(n)
    let flow = 0
    let major = 0
    let minor = 0
    for (;;) {
      dm.fill(Infinity)
      ds.fill(Infinity)
      done.fill(0)
      dm[s] = 0
      ds[s] = 0
      heap.clear()
      heap.push(s, 0, 0)
      while (heap.size > 0) {
        const u = heap.popNode()
        if (done[u]) continue
        done[u] = 1
        if (u === t) break
        const bu = dm[u]! + pm[u]!
        const bs = ds[u]! + ps[u]!
        for (let k = head[u]!; k < head[u + 1]!; k++) {
          const e = adj[k]!
          if (cap[e]! <= EPS) continue
          const v = to[e]!
          if (done[v]) continue
          // reduced cost (clamped: rounding may give -1e-12 on a zero arc)
          const nm = bu + cm[e]! - pm[v]!
          let ns = bs + cs[e]! - ps[v]!
          if (nm === dm[u]! && ns < ds[u]!) ns = ds[u]!
          if (nm < dm[v]! || (nm === dm[v]! && ns < ds[v]! - EPS)) {
            dm[v] = nm
            ds[v] = ns
            heap.push(v, nm, ns)
          }
        }
      }
      if (!done[t]) break
      const tm = dm[t]!
      const ts = ds[t]!
      for (let v = 0; v < n; v++) {
        if (done[v] && (dm[v]! < tm || (dm[v] === tm && ds[v]! <= ts))) {
          pm[v]! += dm[v]!
          ps[v]! += ds[v]!
        } else {
          pm[v]! += tm
          ps[v]! += ts
        }
      }
      // augment along every admissible (zero reduced cost) path: all are shortest paths
      for (let v = 0; v < n; v++) it[v] = head[v]!
      dead.fill(0)
      for (;;) {
        let depth = 0
        stackNode[0] = s
        onPath.fill(0)
        onPath[s] = 1
        let found = false
        while (depth >= 0) {
          const u = stackNode[depth]!
          if (u === t) {
            found = true
            break
          }
          let advanced = false
          while (it[u]! < head[u + 1]!) {
            const e = adj[it[u]!]!
            const v = to[e]!
            if (cap[e]! > EPS && !dead[v] && !onPath[v]) {
              const rm = cm[e]! + pm[u]! - pm[v]!
              const rs = cs[e]! + ps[u]! - ps[v]!
              if (rm === 0 && Math.abs(rs) <= 1e-7) {
                stackEdge[depth] = e
                stackNode[++depth] = v
                onPath[v] = 1
                advanced = true
                break
              }
            }
            it[u]!++
          }
          if (!advanced) {
            dead[u] = 1
            onPath[u] = 0
            depth--
            if (depth >= 0) it[stackNode[depth]!]!++
          }
        }
        if (!found) break
        let push = Infinity
        for (let d = 0; d < depth; d++) push = Math.min(push, cap[stackEdge[d]!]!)
        let pathMajor = 0
        let pathMinor = 0
        for (let d = 0; d < depth; d++) {
          const e = stackEdge[d]!
          cap[e]! -= push
          cap[e ^ 1]! += push
          pathMajor += cm[e]!
          pathMinor += cs[e]!
        }
        flow += push
        major += pathMajor * push
        minor += pathMinor * push
        onAugment?.(flow, major, minor)
      }
    }
    return { flow, major, minor, potentialMajor: pm, potentialMinor: ps }
  }

  /**
   * The same minimum-cost maximum flow by the network simplex (simplex.ts): far fewer steps than
   * one Dijkstra per unit on large selections, no cost per flow value. The network must carry no
   * flow yet; capacities must be integers.
   */
  minCostFlowSimplex(s: number, t: number): { flow: number; major: number; minor: number; potentialMajor: Float64Array; potentialMinor: Float64Array } {
    this.freeze()
    const m = this.to.length >> 1
    const from = new Int32Array(m)
    const to = new Int32Array(m)
    const cap = new Float64Array(m)
    const major = new Float64Array(m)
    const minor = new Float64Array(m)
    for (let i = 0; i < m; i++) {
      from[i] = this.from[2 * i]!
      to[i] = this.to[2 * i]!
      cap[i] = this.capArr[2 * i]!
      major[i] = this.majorArr[2 * i]!
      minor[i] = this.minorArr[2 * i]!
    }
    const result = simplexMinCostFlow({ n: this.n, from, to, cap, major, minor }, s, t)
    for (let i = 0; i < m; i++) {
      const f = result.flow[i]!
      this.cap[2 * i] = cap[i]! - f
      this.cap[2 * i + 1] = f
    }
    return { flow: result.value, major: result.major, minor: result.minor, potentialMajor: result.potentialMajor, potentialMinor: result.potentialMinor }
  }

  /**
   * Nodes reachable from s through arcs with residual capacity; `extra(u)` may list more
   * neighbours of u (arcs not in the network, e.g. pairs left out of a candidate set).
   */
  reachable(s: number, extra?: (u: number) => Iterable<number>): Uint8Array {
    this.freeze()
    const seen = new Uint8Array(this.n)
    const stack = [s]
    seen[s] = 1
    while (stack.length > 0) {
      const u = stack.pop()!
      if (extra) {
        for (const v of extra(u)) {
          if (!seen[v]) {
            seen[v] = 1
            stack.push(v)
          }
        }
      }
      for (let k = this.head[u]!; k < this.head[u + 1]!; k++) {
        const e = this.adj[k]!
        const v = this.to[e]!
        if (this.cap[e]! > EPS && !seen[v]) {
          seen[v] = 1
          stack.push(v)
        }
      }
    }
    return seen
  }

  /** Nodes from which t is reachable through arcs with residual capacity. */
  coReachable(t: number): Uint8Array {
    this.freeze()
    const seen = new Uint8Array(this.n)
    const stack = [t]
    seen[t] = 1
    while (stack.length > 0) {
      const v = stack.pop()!
      // arcs u -> v with residual capacity are the reverses of arcs v -> u
      for (let k = this.head[v]!; k < this.head[v + 1]!; k++) {
        const e = this.adj[k]! ^ 1
        const u = this.to[e ^ 1]!
        if (this.cap[e]! > EPS && !seen[u]) {
          seen[u] = 1
          stack.push(u)
        }
      }
    }
    return seen
  }
}

/** Binary heap of (node, major, minor) with lazy deletion. */
class MinHeap {
  private nodes: Int32Array
  private keyMajor: Float64Array
  private keyMinor: Float64Array
  size = 0

  constructor(capacity: number) {
    this.nodes = new Int32Array(Math.max(16, capacity))
    this.keyMajor = new Float64Array(this.nodes.length)
    this.keyMinor = new Float64Array(this.nodes.length)
  }

  clear(): void {
    this.size = 0
  }

  private less(i: number, j: number): boolean {
    const a = this.keyMajor[i]!
    const b = this.keyMajor[j]!
    return a < b || (a === b && this.keyMinor[i]! < this.keyMinor[j]!)
  }

  private swap(i: number, j: number): void {
    const n = this.nodes[i]!
    this.nodes[i] = this.nodes[j]!
    this.nodes[j] = n
    const a = this.keyMajor[i]!
    this.keyMajor[i] = this.keyMajor[j]!
    this.keyMajor[j] = a
    const b = this.keyMinor[i]!
    this.keyMinor[i] = this.keyMinor[j]!
    this.keyMinor[j] = b
  }

  push(node: number, major: number, minor: number): void {
    if (this.size === this.nodes.length) {
      const grow = (arr: Float64Array): Float64Array => {
        const next = new Float64Array(arr.length * 2)
        next.set(arr)
        return next
      }
      const nodes = new Int32Array(this.nodes.length * 2)
      nodes.set(this.nodes)
      this.nodes = nodes
      this.keyMajor = grow(this.keyMajor)
      this.keyMinor = grow(this.keyMinor)
    }
    let i = this.size++
    this.nodes[i] = node
    this.keyMajor[i] = major
    this.keyMinor[i] = minor
    while (i > 0) {
      const p = (i - 1) >> 1
      if (!this.less(i, p)) break
      this.swap(i, p)
      i = p
    }
  }

  popNode(): number {
    const top = this.nodes[0]!
    this.size--
    if (this.size > 0) {
      this.swap(0, this.size)
      let i = 0
      for (;;) {
        const l = 2 * i + 1
        const r = l + 1
        let m = i
        if (l < this.size && this.less(l, m)) m = l
        if (r < this.size && this.less(r, m)) m = r
        if (m === i) break
        this.swap(i, m)
        i = m
      }
    }
    return top
  }
}
