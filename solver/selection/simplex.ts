/**
 * Minimum-cost maximum flow by the primal network simplex (after LEMON's NetworkSimplex: an
 * artificial root, a strongly feasible spanning tree kept with parent / thread / successor
 * counts, block search for the entering arc), on the same lexicographic costs as
 * FlowNetwork.minCostFlow: a major integer part, then a minor real part.
 *
 * Successive shortest paths run one Dijkstra per unit of flow, which is what the selection costs on
 * large instances (8,000 units on 500 x 500 x 20); the simplex needs a few pivots per unit, each
 * along a tree path. Same optimum (a minimum-cost flow among maximum flows), not always the same
 * flow where several are optimal: the caller's answer is deterministic all the same.
 *
 * Maximum flow comes first: a return arc t -> s of unbounded capacity whose major cost is below any
 * path's, so the circulation of least cost carries the most flow.
 */

const STATE_UPPER = -1
const STATE_TREE = 0
const STATE_LOWER = 1
const DIR_UP = 1
const DIR_DOWN = -1

export interface SimplexArcs {
  /** number of nodes */
  n: number
  /** arc i: from[i] -> to[i], capacity cap[i] (integer), costs major[i] (integer), minor[i] */
  from: ArrayLike<number>
  to: ArrayLike<number>
  cap: ArrayLike<number>
  major: ArrayLike<number>
  minor: ArrayLike<number>
}

export interface SimplexResult {
  /** flow on each arc given */
  flow: Float64Array
  value: number
  major: number
  minor: number
  /** node potentials: cost(u, v) + p(u) - p(v) >= 0 on every arc with residual capacity */
  potentialMajor: Float64Array
  potentialMinor: Float64Array
  pivots: number
}

/** Min-cost maximum s-t flow. Capacities must be non-negative integers. */
export function simplexMinCostFlow(g: SimplexArcs, s: number, t: number): SimplexResult {
  const n = g.n
  const m0 = g.from.length
  // arcs: the given ones, the return arc t -> s, then one artificial arc per node (u -> root)
  const m = m0 + 1
  const all = m + n
  const root = n
  const source = new Int32Array(all)
  const target = new Int32Array(all)
  const cap = new Float64Array(all)
  const cm = new Float64Array(all)
  const cs = new Float64Array(all)
  const flow = new Float64Array(all)
  const state = new Int8Array(all)
  let sumMajor = 0
  let capSum = 0
  let scale = 1
  for (let e = 0; e < m0; e++) {
    source[e] = g.from[e]!
    target[e] = g.to[e]!
    cap[e] = g.cap[e]!
    cm[e] = g.major[e]!
    cs[e] = g.minor[e]!
    state[e] = STATE_LOWER
    sumMajor += Math.abs(cm[e]!)
    if (s === source[e]) capSum += cap[e]!
    scale = Math.max(scale, Math.abs(cs[e]!))
  }
  const INF = Math.max(capSum, 1) * 2 + 1
  source[m0] = t
  target[m0] = s
  cap[m0] = INF
  cm[m0] = -(sumMajor + 1)
  cs[m0] = 0
  state[m0] = STATE_LOWER
  // a reduced minor cost within tol of 0 is 0 (sums of real scores)
  const tol = 1e-9 * scale * Math.max(1, Math.sqrt(n))

  const parent = new Int32Array(n + 1)
  const pred = new Int32Array(n + 1)
  const dir = new Int8Array(n + 1)
  const thread = new Int32Array(n + 1)
  const revThread = new Int32Array(n + 1)
  const succNum = new Int32Array(n + 1)
  const lastSucc = new Int32Array(n + 1)
  const pm = new Float64Array(n + 1)
  const ps = new Float64Array(n + 1)
  parent[root] = -1
  pred[root] = -1
  thread[root] = 0
  revThread[0] = root
  succNum[root] = n + 1
  lastSucc[root] = root - 1
  for (let u = 0, e = m; u < n; u++, e++) {
    parent[u] = root
    pred[u] = e
    thread[u] = u + 1
    revThread[u + 1] = u
    succNum[u] = 1
    lastSucc[u] = u
    dir[u] = DIR_UP
    source[e] = u
    target[e] = root
    cap[e] = INF
    state[e] = STATE_TREE
  }

  const block = Math.max(10, Math.floor(Math.sqrt(m)))
  let nextArc = 0
  let inArc = -1
  let pivots = 0
  // reduced cost of e times its state (negative: e may enter)
  const enter = (): boolean => {
    let minM = 0
    let minS = 0
    let cnt = block
    let e = nextArc
    for (let k = 0; k < m; k++) {
      const st = state[e]!
      if (st !== STATE_TREE) {
        const u = source[e]!
        const v = target[e]!
        const rm = st * (cm[e]! + pm[u]! - pm[v]!)
        const rs = st * (cs[e]! + ps[u]! - ps[v]!)
        if (rm < minM || (rm === minM && rs < minS - tol)) {
          minM = rm
          minS = rs
          inArc = e
        }
      }
      if (++e === m) e = 0
      if (--cnt === 0) {
        if (minM < 0 || (minM === 0 && minS < -tol)) {
          nextArc = e
          return true
        }
        cnt = block
      }
    }
    if (minM < 0 || (minM === 0 && minS < -tol)) {
      nextArc = e
      return true
    }
    return false
  }

  for (;;) {
    if (!enter()) break
    pivots++
    // join node of the cycle
    let a = source[inArc]!
    let b = target[inArc]!
    while (a !== b) {
      if (succNum[a]! < succNum[b]!) a = parent[a]!
      else b = parent[b]!
    }
    const join = a
    // leaving arc
    let first: number
    let second: number
    if (state[inArc] === STATE_LOWER) {
      first = source[inArc]!
      second = target[inArc]!
    } else {
      first = target[inArc]!
      second = source[inArc]!
    }
    let delta = cap[inArc]!
    let result = 0
    let uOut = -1
    for (let u = first; u !== join; u = parent[u]!) {
      const e = pred[u]!
      const d = dir[u] === DIR_DOWN ? cap[e]! - flow[e]! : flow[e]!
      if (d < delta) {
        delta = d
        uOut = u
        result = 1
      }
    }
    for (let u = second; u !== join; u = parent[u]!) {
      const e = pred[u]!
      const d = dir[u] === DIR_UP ? cap[e]! - flow[e]! : flow[e]!
      if (d <= delta) {
        delta = d
        uOut = u
        result = 2
      }
    }
    let uIn: number
    let vIn: number
    if (result === 1) {
      uIn = first
      vIn = second
    } else {
      uIn = second
      vIn = first
    }
    // flow along the cycle
    if (delta > 0) {
      const val = state[inArc]! * delta
      flow[inArc]! += val
      for (let u = source[inArc]!; u !== join; u = parent[u]!) flow[pred[u]!]! -= dir[u]! * val
      for (let u = target[inArc]!; u !== join; u = parent[u]!) flow[pred[u]!]! += dir[u]! * val
    }
    if (result === 0) {
      // the entering arc itself is blocking: it goes to its other bound, the tree stays
      state[inArc] = -state[inArc]! as -1 | 1
      continue
    }
    state[inArc] = STATE_TREE
    state[pred[uOut]!] = flow[pred[uOut]!] === 0 ? STATE_LOWER : STATE_UPPER

    // tree structure
    const oldRevThread = revThread[uOut]!
    const oldSuccNum = succNum[uOut]!
    const oldLastSucc = lastSucc[uOut]!
    const vOut = parent[uOut]!
    if (uIn === uOut) {
      parent[uIn] = vIn
      pred[uIn] = inArc
      dir[uIn] = uIn === source[inArc] ? DIR_UP : DIR_DOWN
      if (thread[vIn] !== uOut) {
        let after = thread[oldLastSucc]!
        thread[oldRevThread] = after
        revThread[after] = oldRevThread
        after = thread[vIn]!
        thread[vIn] = uOut
        revThread[uOut] = vIn
        thread[oldLastSucc] = after
        revThread[after] = oldLastSucc
      }
    } else {
      const threadContinue = oldRevThread === vIn ? thread[oldLastSucc]! : thread[vIn]!
      let stem = uIn
      let parStem = vIn
      let last = lastSucc[uIn]!
      let after = thread[last]!
      thread[vIn] = uIn
      dirty.length = 0
      dirty.push(vIn)
      while (stem !== uOut) {
        const nextStem = parent[stem]!
        thread[last] = nextStem
        dirty.push(last)
        const before = revThread[stem]!
        thread[before] = after
        revThread[after] = before
        parent[stem] = parStem
        parStem = stem
        stem = nextStem
        last = lastSucc[stem] === lastSucc[parStem] ? revThread[parStem]! : lastSucc[stem]!
        after = thread[last]!
      }
      parent[uOut] = parStem
      thread[last] = threadContinue
      revThread[threadContinue] = last
      lastSucc[uOut] = last
      if (oldRevThread !== vIn) {
        thread[oldRevThread] = after
        revThread[after] = oldRevThread
      }
      for (const u of dirty) revThread[thread[u]!] = u
      let tmpSc = 0
      const tmpLs = lastSucc[uOut]!
      for (let u = uOut, p = parent[u]!; u !== uIn; u = p, p = parent[u]!) {
        pred[u] = pred[p]!
        dir[u] = -dir[p]!
        tmpSc += succNum[u]! - succNum[p]!
        succNum[u] = tmpSc
        lastSucc[p] = tmpLs
      }
      pred[uIn] = inArc
      dir[uIn] = uIn === source[inArc] ? DIR_UP : DIR_DOWN
      succNum[uIn] = oldSuccNum
    }
    const upLimitOut = lastSucc[join] === vIn ? join : -1
    const lastSuccOut = lastSucc[uOut]!
    for (let u = vIn; u !== -1 && lastSucc[u] === vIn; u = parent[u]!) lastSucc[u] = lastSuccOut
    if (join !== oldRevThread && vIn !== oldRevThread) {
      for (let u = vOut; u !== upLimitOut && lastSucc[u] === oldLastSucc; u = parent[u]!) lastSucc[u] = oldRevThread
    } else if (lastSuccOut !== oldLastSucc) {
      for (let u = vOut; u !== upLimitOut && lastSucc[u] === oldLastSucc; u = parent[u]!) lastSucc[u] = lastSuccOut
    }
    for (let u = vIn; u !== join; u = parent[u]!) succNum[u]! += oldSuccNum
    for (let u = vOut; u !== join; u = parent[u]!) succNum[u]! -= oldSuccNum

    // potentials of the moved subtree
    const sigmaM = pm[vIn]! - pm[uIn]! - dir[uIn]! * cm[inArc]!
    const sigmaS = ps[vIn]! - ps[uIn]! - dir[uIn]! * cs[inArc]!
    const end = thread[lastSucc[uIn]!]!
    for (let u = uIn; u !== end; u = thread[u]!) {
      pm[u]! += sigmaM
      ps[u]! += sigmaS
    }
  }

  let major = 0
  let minor = 0
  for (let e = 0; e < m0; e++) {
    if (flow[e] === 0) continue
    major += flow[e]! * cm[e]!
    minor += flow[e]! * cs[e]!
  }
  return {
    flow: flow.subarray(0, m0),
    value: flow[m0]!,
    major,
    minor,
    potentialMajor: pm.subarray(0, n),
    potentialMinor: ps.subarray(0, n),
    pivots,
  }
}

const dirty: number[] = []
