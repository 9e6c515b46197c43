// Runs the solver off the main thread (see solver-runner.ts). Plain JavaScript
// so that Node starts it as is; tsx then loads the TypeScript solver.
import { parentPort } from 'node:worker_threads'
import { register } from 'tsx/esm/api'

register()
const { replan, solve } = await import(new URL('../../solver/index.ts', import.meta.url).href)

parentPort.on('message', ({ id, job }) => {
  try {
    // the solver's progress goes to the runner as it comes (a few hundred messages at most)
    const hooks = { onProgress: (progress) => parentPort.postMessage({ id, progress }) }
    const result = job.kind === 'replan' ? replan(job.instance, job.situation, hooks) : solve(job.instance, hooks)
    parentPort.postMessage({ id, result })
  } catch (error) {
    parentPort.postMessage({ id, error: error instanceof Error ? error.message : String(error) })
  }
})
