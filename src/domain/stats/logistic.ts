/**
 * Logistic regression by Newton–Raphson (equivalently IRLS; McCullagh &
 * Nelder 1989, §4.4) with an optional L2 (ridge) penalty on the slopes, the
 * intercept not penalised (le Cessie & van Houwelingen 1992, Appl Stat 41(1)).
 *
 * Maximises ℓ(β) − (λ/2) Σ_{j ≥ 1} β_j², ℓ = Σ y η − log(1 + e^η).
 * Safeguards: step halving whenever a full Newton step does not increase the
 * penalised log-likelihood, a maximum number of iterations, and a stop on a
 * singular information matrix (`stopped` says which). Under (quasi-)complete
 * separation the unpenalised MLE does not exist: the fit reports
 * `separation: true` and `converged: false`; any λ > 0 makes the maximum
 * unique and finite.
 *
 * Standard errors:
 * - model-based: square roots of the diagonal of (XᵀWX + λP)⁻¹;
 * - cluster-robust (Liang & Zeger 1986; Cameron & Miller 2015, J Hum
 *   Resour 50(2), §II.C): V = c · B M B with B = (XᵀWX + λP)⁻¹,
 *   M = Σ_g u_g u_gᵀ, u_g = Σ_{i ∈ g} x_i (y_i − μ_i), and the CR1
 *   small-sample factor c = G/(G − 1) · (N − 1)/(N − p). With clusters of one
 *   row, c = N/(N − p): the HC1 sandwich.
 */
import { invert, matMul, matVec, zeros, type Matrix } from './linalg.ts'

export interface LogisticOptions {
  /** prepend a column of ones (default true); coefficient 0 is then the intercept */
  intercept?: boolean
  /** ridge penalty λ ≥ 0 on every coefficient but the intercept (default 0) */
  l2?: number
  /** a cluster id per row, for cluster-robust standard errors */
  clusters?: readonly (string | number)[]
  /** default 100 */
  maxIterations?: number
  /** convergence when max |step| < tolerance · (1 + max |β|); default 1e-10 */
  tolerance?: number
}

export interface RobustCovariance {
  se: number[]
  covariance: Matrix
  /** number of clusters G */
  clusters: number
  /** CR1 factor G/(G − 1) · (N − 1)/(N − p) */
  correction: number
}

export interface LogisticFit {
  coefficients: number[]
  /** model-based standard errors */
  se: number[]
  covariance: Matrix
  /** cluster-robust (CR1) standard errors; null without clusters or with one cluster */
  robust: RobustCovariance | null
  logLikelihood: number
  penalisedLogLikelihood: number
  iterations: number
  converged: boolean
  /** why the iterations stopped; 'singular-information' at the first iteration = collinear columns */
  stopped: 'converged' | 'max-iterations' | 'singular-information' | 'no-ascent'
  /** unpenalised fit with fitted probabilities within 1e-8 of 0 or 1: the MLE runs off to infinity */
  separation: boolean
  /** fitted probabilities */
  fitted: number[]
  n: number
  /** number of coefficients (intercept included) */
  p: number
}

const softplus = (x: number) => (x > 0 ? x + Math.log1p(Math.exp(-x)) : Math.log1p(Math.exp(x)))
const sigmoid = (x: number) => (x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x)))

/**
 * Fits P(y = 1 | x) = 1 / (1 + e^{−xβ}). `x` is one row of covariates per
 * observation (without the intercept column when `intercept` is true), `y`
 * 0/1 (or booleans). Throws RangeError on mismatched lengths, y outside
 * {0, 1}, non-finite covariates or a negative penalty; an unidentifiable
 * design (collinear columns, λ = 0) gives NaN standard errors.
 */
export function logisticRegression(x: readonly (readonly number[])[], y: readonly (number | boolean)[], options: LogisticOptions = {}): LogisticFit {
  const intercept = options.intercept ?? true
  const lambda = options.l2 ?? 0
  const maxIterations = options.maxIterations ?? 100
  const tolerance = options.tolerance ?? 1e-10
  const n = x.length
  if (y.length !== n) throw new RangeError(`logisticRegression: ${n} rows of x, ${y.length} outcomes`)
  if (options.clusters && options.clusters.length !== n) throw new RangeError('logisticRegression: one cluster id per row')
  if (!(lambda >= 0)) throw new RangeError('logisticRegression: l2 must be >= 0')
  const X: Matrix = x.map((row) => (intercept ? [1, ...row] : [...row]))
  const Y = y.map((v) => (v === true ? 1 : v === false ? 0 : v))
  const p = X[0]?.length ?? (intercept ? 1 : 0)
  for (const [i, row] of X.entries()) {
    if (row.length !== p || row.some((v) => !Number.isFinite(v))) throw new RangeError(`logisticRegression: row ${i} of x is not ${p} finite numbers`)
    if (Y[i] !== 0 && Y[i] !== 1) throw new RangeError(`logisticRegression: y[${i}] is not 0/1`)
  }
  const penalised = (j: number) => (intercept && j === 0 ? 0 : lambda)

  const eta = (beta: readonly number[]) => X.map((row) => row.reduce((s, v, j) => s + v * beta[j]!, 0))
  const logLik = (e: readonly number[]) => e.reduce((s, v, i) => s + Y[i]! * v - softplus(v), 0)
  const penalty = (beta: readonly number[]) => beta.reduce((s, b, j) => s + 0.5 * penalised(j) * b * b, 0)
  /** information matrix XᵀWX + λP at the linear predictor e */
  const information = (e: readonly number[]): Matrix => {
    const h = zeros(p, p)
    for (let i = 0; i < n; i++) {
      const mu = sigmoid(e[i]!)
      const w = mu * (1 - mu)
      const row = X[i]!
      for (let a = 0; a < p; a++) for (let b = 0; b <= a; b++) h[a]![b]! += w * row[a]! * row[b]!
    }
    for (let a = 0; a < p; a++) {
      for (let b = 0; b < a; b++) h[b]![a] = h[a]![b]!
      h[a]![a]! += penalised(a)
    }
    return h
  }

  let beta = new Array<number>(p).fill(0)
  let e = eta(beta)
  let objective = logLik(e) - penalty(beta)
  let stopped: LogisticFit['stopped'] = 'max-iterations'
  let iterations = 0
  while (iterations < maxIterations) {
    iterations++
    const grad = new Array<number>(p).fill(0)
    for (let i = 0; i < n; i++) {
      const r = Y[i]! - sigmoid(e[i]!)
      for (let j = 0; j < p; j++) grad[j]! += X[i]![j]! * r
    }
    for (let j = 0; j < p; j++) grad[j]! -= penalised(j) * beta[j]!
    const inv = invert(information(e))
    if (!inv) {
      stopped = 'singular-information'
      break
    }
    const step = matVec(inv, grad)
    let t = 1
    let candidate = beta.map((b, j) => b + step[j]!)
    let ce = eta(candidate)
    let cobj = logLik(ce) - penalty(candidate)
    // step halving: never accept a step that lowers the objective
    for (let halvings = 0; !(cobj >= objective) && halvings < 40; halvings++) {
      t /= 2
      candidate = beta.map((b, j) => b + t * step[j]!)
      ce = eta(candidate)
      cobj = logLik(ce) - penalty(candidate)
    }
    if (!(cobj >= objective)) {
      stopped = 'no-ascent'
      break
    }
    const moved = Math.max(...step.map((s) => Math.abs(t * s)))
    beta = candidate
    e = ce
    objective = cobj
    if (moved < tolerance * (1 + Math.max(...beta.map(Math.abs)))) {
      stopped = 'converged'
      break
    }
  }

  const fitted = e.map(sigmoid)
  const bread = invert(information(e))
  const covariance = bread ?? zeros(p, p).map((row) => row.map(() => NaN))
  const se = covariance.map((row, j) => Math.sqrt(row[j]!))
  let robust: RobustCovariance | null = null
  if (options.clusters) {
    const scores = new Map<string | number, number[]>()
    for (let i = 0; i < n; i++) {
      const key = options.clusters[i]!
      const u = scores.get(key) ?? new Array<number>(p).fill(0)
      const r = Y[i]! - fitted[i]!
      for (let j = 0; j < p; j++) u[j]! += X[i]![j]! * r
      scores.set(key, u)
    }
    const G = scores.size
    if (G > 1 && n > p) {
      const meat = zeros(p, p)
      for (const u of scores.values()) for (let a = 0; a < p; a++) for (let b = 0; b < p; b++) meat[a]![b]! += u[a]! * u[b]!
      const correction = (G / (G - 1)) * ((n - 1) / (n - p))
      const v = matMul(matMul(covariance, meat), covariance).map((row) => row.map((c) => c * correction))
      robust = { se: v.map((row, j) => Math.sqrt(row[j]!)), covariance: v, clusters: G, correction }
    }
  }
  const extreme = fitted.some((m) => m < 1e-8 || m > 1 - 1e-8)
  return {
    coefficients: beta,
    se,
    covariance,
    robust,
    logLikelihood: logLik(e),
    penalisedLogLikelihood: objective,
    iterations,
    converged: stopped === 'converged',
    stopped,
    separation: lambda === 0 && extreme,
    fitted,
    n,
    p,
  }
}
