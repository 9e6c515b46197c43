/**
 * Where the solver runs. `inlineSolver` calls it in the request (tests, small
 * events); `workerSolver()` runs it in a worker thread so that a large event
 * (seconds of solving) does not hold up the server's other requests. Jobs go
 * to one long-lived worker, one after the other, through a bounded queue; a job
 * that runs past its time limit has its worker terminated (a new one serves the
 * next job) and is answered with an error. Jobs run one at a time, in order:
 * two solves of the same event wait their turn (each stores its version) and
 * never run at once.
 *
 * A job may name what it is for (`key`, the event): the runner then keeps, in
 * memory, whether one of its jobs runs, its solver phase and share done (relayed
 * by the worker as the solve goes on), and how many more wait: `progress(key)`.
 */
import { Worker } from 'node:worker_threads'
import { replan, solve } from '../../solver/index.ts'
import type { Instance, ReplanSituation, SolvePhase, SolveProgress, SolveResult } from '../../solver/types.ts'
import { AppError } from '../errors.ts'

export type SolverJob = { kind: 'solve'; instance: Instance } | { kind: 'replan'; instance: Instance; situation: ReplanSituation }

export interface RunOptions {
  /** this job's time limit, instead of the runner's */
  timeLimitMs?: number
  /** what the job is for (the event's id): its progress is kept under that key */
  key?: string
}

/** Where the jobs of a key stand. */
export interface SolverProgress {
  /** one of its jobs is being solved */
  running: boolean
  /** the running job's solver phase and share done (0..1), null before its first report or when none runs */
  phase: SolvePhase | null
  fraction: number | null
  /** its jobs waiting behind others */
  queued: number
}

export interface SolverRunner {
  run: (job: SolverJob, options?: RunOptions) => Promise<SolveResult>
  progress: (key: string) => SolverProgress
  close: () => Promise<void>
}

const idle = (): SolverProgress => ({ running: false, phase: null, fraction: null, queued: 0 })

export interface WorkerSolverOptions {
  /** wall-clock limit of one job once it runs (default 120 s); past it the worker is terminated */
  timeLimitMs?: number
  /** jobs queued or running at most (default 16); beyond, run() refuses with 'queue-full' */
  maxJobs?: number
}

export const DEFAULT_TIME_LIMIT_MS = 120_000
export const DEFAULT_MAX_JOBS = 16

export type SolverRunFailure = 'queue-full' | 'timeout' | 'closed'

/** Why the runner did not solve: all answer 503 'solver_unavailable' (try again later, or a smaller event). */
export class SolverRunError extends AppError {
  readonly failure: SolverRunFailure

  constructor(failure: SolverRunFailure, detail = '') {
    const message = {
      'queue-full': { fr: `Trop de calculs en attente, réessayez dans un moment${detail}`, en: `Too many schedules being computed, try again shortly${detail}` },
      timeout: { fr: `Le calcul a dépassé la limite de temps${detail}`, en: `The solver ran past its time limit${detail}` },
      closed: { fr: `Le solveur a été arrêté`, en: `The solver was shut down` },
    }[failure]
    super('solver_unavailable', message)
    this.name = 'SolverRunError'
    this.failure = failure
  }
}

/**
 * In the request itself: a solve holds the thread until done, so two jobs never overlap (and no
 * request can ask for its progress meanwhile: it answers idle).
 */
export const inlineSolver: SolverRunner = {
  run: async (job) => (job.kind === 'replan' ? replan(job.instance, job.situation) : solve(job.instance)),
  progress: idle,
  close: async () => {},
}

interface Task {
  job: SolverJob
  timeLimitMs: number
  key: string | undefined
  resolve: (r: SolveResult) => void
  reject: (e: Error) => void
}

export function workerSolver(options: WorkerSolverOptions = {}): SolverRunner {
  const timeLimitMs = options.timeLimitMs ?? DEFAULT_TIME_LIMIT_MS
  const maxJobs = options.maxJobs ?? DEFAULT_MAX_JOBS
  let worker: Worker | null = null
  let next = 0
  const queue: Task[] = []
  let running: (Task & { id: number; worker: Worker; timer: NodeJS.Timeout; progress: SolveProgress | null }) | null = null

  const finish = (id: number, settle: (task: Task) => void): void => {
    if (!running || running.id !== id) return
    const task = running
    running = null
    clearTimeout(task.timer)
    settle(task)
    if (queue.length === 0) worker?.unref() // idle: does not keep the process alive
    pump()
  }
  const stop = (w: Worker): void => {
    if (worker === w) worker = null
    void w.terminate()
  }
  const start = (): Worker => {
    const w = new Worker(new URL('./solver-worker.mjs', import.meta.url))
    w.on('message', (message: { id: number; result?: SolveResult; error?: string; progress?: SolveProgress }) => {
      if (message.progress) {
        if (running?.id === message.id) running.progress = message.progress
        return
      }
      finish(message.id, (task) => {
        if (message.result) task.resolve(message.result)
        else task.reject(new Error(`solveur / solver: ${message.error ?? 'no result'}`))
      })
    })
    const fail = (error: Error): void => {
      if (worker === w) worker = null
      if (running?.worker === w) finish(running.id, (task) => task.reject(error))
    }
    w.on('error', fail)
    w.on('exit', (code) => fail(new Error(`solver worker exited (${code})`)))
    return w
  }
  const pump = (): void => {
    if (running) return
    const task = queue.shift()
    if (!task) return
    const w = (worker ??= start())
    w.ref()
    const id = ++next
    const timer = setTimeout(() => {
      stop(w) // first, so that the next job starts on a new worker
      finish(id, (t) => t.reject(new SolverRunError('timeout', ` (${t.timeLimitMs / 1000} s)`)))
    }, task.timeLimitMs)
    running = { ...task, id, worker: w, timer, progress: null }
    w.postMessage({ id, job: task.job })
  }

  return {
    run(job, runOptions = {}) {
      if (queue.length + (running ? 1 : 0) >= maxJobs) return Promise.reject(new SolverRunError('queue-full', ` (${maxJobs})`))
      return new Promise<SolveResult>((resolve, reject) => {
        queue.push({ job, timeLimitMs: runOptions.timeLimitMs ?? timeLimitMs, key: runOptions.key, resolve, reject })
        pump()
      })
    },
    progress(key) {
      const mine = running?.key === key ? running : null
      return {
        running: mine !== null,
        phase: mine?.progress?.phase ?? null,
        fraction: mine?.progress?.fraction ?? null,
        queued: queue.filter((task) => task.key === key).length,
      }
    },
    async close() {
      const waiting = queue.splice(0)
      for (const task of waiting) task.reject(new SolverRunError('closed'))
      if (running) finish(running.id, (task) => task.reject(new SolverRunError('closed')))
      const w = worker
      worker = null
      if (w) await w.terminate()
    },
  }
}
