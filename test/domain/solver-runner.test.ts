import { afterAll, describe, expect, test } from 'vitest'
import type { Instance } from '../../solver/types.ts'
import { AppError } from '../../src/errors.ts'
import { inlineSolver, SolverRunError, workerSolver } from '../../src/domain/solver-runner.ts'

const instance: Instance = {
  rounds: 4,
  tables: 3,
  associations: ['a1', 'a2', 'a3'].map((id) => ({ id, profile: { themes: ['handicap'], needs: ['locaux'] } })),
  companies: ['c1', 'c2', 'c3'].map((id, i) => ({ id, profile: { themes: i ? ['sante'] : ['handicap'], offers: ['locaux'] } })),
  forbidden: [['a1', 'c2']],
  options: { seed: 7 },
}

describe('solver runners', () => {
  const worker = workerSolver()
  afterAll(() => worker.close())

  test('the worker thread gives what the inline solver gives', async () => {
    const [inline, threaded] = await Promise.all([inlineSolver.run({ kind: 'solve', instance }), worker.run({ kind: 'solve', instance })])
    expect(threaded.status).toBe(inline.status)
    expect(threaded.objective).toBe(inline.objective)
    expect(threaded.meetings).toEqual(inline.meetings)
  })

  test('jobs queue on one worker; replan goes through too', async () => {
    const first = await worker.run({ kind: 'solve', instance })
    const played = first.meetings.filter((m) => m.round === 1).map(({ round, association, company, table }) => ({ round, association, company, table }))
    const [again, replanned] = await Promise.all([
      worker.run({ kind: 'solve', instance }),
      worker.run({ kind: 'replan', instance, situation: { fromRound: 2, played, absent: ['a3'] } }),
    ])
    expect(again.meetings).toEqual(first.meetings)
    expect(replanned.meetings.filter((m) => m.round >= 2 && m.association === 'a3')).toEqual([])
  })
})

/** An evening big enough that its solve takes a while (a 60 x 60 rotation with windows and tables). */
const big: Instance = {
  rounds: 12,
  tables: 45,
  associations: Array.from({ length: 60 }, (_, i) => ({ id: `a${i}`, ...(i % 3 === 0 ? { arrive: 3 } : {}) })),
  companies: Array.from({ length: 60 }, (_, i) => ({ id: `c${i}`, ...(i % 4 === 0 ? { leave: 9 } : {}) })),
  options: { seed: 3 },
}

async function failureOf(promise: Promise<unknown>): Promise<SolverRunError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  )
  expect(error).toBeInstanceOf(SolverRunError)
  return error as SolverRunError
}

describe('limits of the worker runner', () => {
  test('two solves of the same event wait their turn: both are answered, one after the other', async () => {
    const runner = workerSolver()
    try {
      const order: string[] = []
      const first = runner.run({ kind: 'solve', instance: big }).then((r) => (order.push('first'), r))
      const second = runner.run({ kind: 'solve', instance }).then((r) => (order.push('second'), r))
      const [a, b] = await Promise.all([first, second])
      expect(a.status).not.toBe('infeasible')
      expect(b.status).not.toBe('infeasible')
      // one worker, in order: the small second job waited for the big first one
      expect(order).toEqual(['first', 'second'])
    } finally {
      await runner.close()
    }
  })

  test('the queue is bounded: a job beyond maxJobs is refused at once, the others are solved', async () => {
    const runner = workerSolver({ maxJobs: 2 })
    try {
      const jobs = [runner.run({ kind: 'solve', instance }), runner.run({ kind: 'solve', instance })]
      const error = await failureOf(runner.run({ kind: 'solve', instance }))
      expect(error.failure).toBe('queue-full')
      expect(error).toBeInstanceOf(AppError)
      expect(error.status).toBe(503)
      for (const result of await Promise.all(jobs)) expect(result.status).not.toBe('infeasible')
    } finally {
      await runner.close()
    }
  })

  test('a job past its time limit is answered with an error, its worker ended, and the next job runs on a new one', async () => {
    const runner = workerSolver({ timeLimitMs: 1 })
    try {
      // 1 ms cannot even start the worker thread, let alone solve 60 x 60
      const error = await failureOf(runner.run({ kind: 'solve', instance: big }))
      expect(error.failure).toBe('timeout')
      expect(error.message).toMatch(/limite de temps/)
      // a job with its own time limit goes through on a fresh worker
      const result = await runner.run({ kind: 'solve', instance }, { timeLimitMs: 60_000 })
      expect(result.meetings.length).toBeGreaterThan(0)
    } finally {
      await runner.close()
    }
  })

  test('close() answers the jobs still waiting', async () => {
    const runner = workerSolver()
    const failures = Promise.all([failureOf(runner.run({ kind: 'solve', instance: big })), failureOf(runner.run({ kind: 'solve', instance }))])
    await runner.close()
    expect((await failures).map((e) => e.failure)).toEqual(['closed', 'closed'])
  })

  test("progress by key: the running job's phase and share done as the worker relays them, the jobs waiting; idle once done", async () => {
    const runner = workerSolver()
    try {
      const idle = { running: false, phase: null, fraction: null, queued: 0 }
      expect(runner.progress('e1')).toEqual(idle)
      const first = runner.run({ kind: 'solve', instance: big }, { key: 'e1' })
      const second = runner.run({ kind: 'solve', instance }, { key: 'e1' })
      const other = runner.run({ kind: 'solve', instance }, { key: 'e2' })
      expect(runner.progress('e1')).toMatchObject({ running: true, queued: 1 })
      expect(runner.progress('e2')).toEqual({ ...idle, queued: 1 })
      // while the big job runs (its event's second job still waiting), its reports come in
      const seen: { phase: string; fraction: number }[] = []
      for (let p = runner.progress('e1'); p.queued === 1; p = runner.progress('e1')) {
        if (p.phase !== null && p.fraction !== null) seen.push({ phase: p.phase, fraction: p.fraction })
        await new Promise((resolve) => setTimeout(resolve, 5))
      }
      expect(seen.length).toBeGreaterThan(0)
      const fractions = seen.map((x) => x.fraction)
      expect(fractions).toEqual([...fractions].sort((x, y) => x - y))
      expect(fractions.every((f) => f >= 0 && f <= 1)).toBe(true)
      for (const result of await Promise.all([first, second, other])) expect(result.status).not.toBe('infeasible')
      expect(runner.progress('e1')).toEqual(idle)
      expect(runner.progress('e2')).toEqual(idle)
    } finally {
      await runner.close()
    }
  })

  test('the inline runner takes the same options', async () => {
    const result = await inlineSolver.run({ kind: 'solve', instance }, { timeLimitMs: 60_000, key: 'e1' })
    expect(result.status).not.toBe('infeasible')
    expect(inlineSolver.progress('e1')).toEqual({ running: false, phase: null, fraction: null, queued: 0 })
  })
})
