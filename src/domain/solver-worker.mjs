// Runs the solver off the main thread (see solver-runner.ts). Plain JavaScript
// so that Node starts it as is; tsx then loads the TypeScript solver.
import { parentPort } from 'node:worker_threads'
import { register } from 'tsx/esm/api'

register()
const { replan, solve } = await import(new URL('../../solver/index.ts', import.meta.url).href)

parentPort.on('message', ({ id, job }) => {
  try {
    const result = job.kind === 'replan' ? replan(job.instance, job.situation) : solve(job.instance)
    parentPort.postMessage({ id, result })
  } catch (error) {
    parentPort.postMessage({ id, error: error instanceof Error ? error.message : String(error) })
  }
})
