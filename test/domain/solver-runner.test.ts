import { afterAll, describe, expect, test } from 'vitest'
import type { Instance } from '../../solver/types.ts'
import { inlineSolver, workerSolver } from '../../src/domain/solver-runner.ts'

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
