/**
 * Where the solver runs. `inlineSolver` calls it in the request (tests, small
 * events); `workerSolver()` runs it in a worker thread so that a large event
 * (seconds of solving) does not hold up the server's other requests. Jobs go
 * to one long-lived worker, one after the other.
 */
import { Worker } from 'node:worker_threads'
import { replan, solve } from '../../solver/index.ts'
import type { Instance, ReplanSituation, SolveResult } from '../../solver/types.ts'

export type SolverJob = { kind: 'solve'; instance: Instance } | { kind: 'replan'; instance: Instance; situation: ReplanSituation }

export interface SolverRunner {
  run: (job: SolverJob) => Promise<SolveResult>
  close: () => Promise<void>
}

export const inlineSolver: SolverRunner = {
  run: async (job) => (job.kind === 'replan' ? replan(job.instance, job.situation) : solve(job.instance)),
  close: async () => {},
}

export function workerSolver(): SolverRunner {
  let worker: Worker | null = null
  let next = 0
  const pending = new Map<number, { resolve: (r: SolveResult) => void; reject: (e: Error) => void }>()

  const failAll = (error: Error) => {
    for (const p of pending.values()) p.reject(error)
    pending.clear()
    worker = null
  }
  const start = (): Worker => {
    const w = new Worker(new URL('./solver-worker.mjs', import.meta.url))
    w.on('message', (message: { id: number; result?: SolveResult; error?: string }) => {
      const p = pending.get(message.id)
      if (!p) return
      pending.delete(message.id)
      if (message.result) p.resolve(message.result)
      else p.reject(new Error(`solveur / solver: ${message.error ?? 'no result'}`))
      if (pending.size === 0) w.unref() // idle: does not keep the process alive
    })
    w.on('error', (error) => failAll(error))
    w.on('exit', (code) => {
      if (pending.size > 0) failAll(new Error(`solver worker exited (${code})`))
      worker = null
    })
    return w
  }

  return {
    run(job) {
      worker ??= start()
      const id = ++next
      const w = worker
      w.ref()
      return new Promise<SolveResult>((resolve, reject) => {
        pending.set(id, { resolve, reject })
        w.postMessage({ id, job })
      })
    },
    async close() {
      const w = worker
      worker = null
      if (w) await w.terminate()
    },
  }
}
