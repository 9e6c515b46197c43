import { describe, expect, test } from 'vitest'
import { checkSchedule } from '../../solver/check.ts'
import { solve } from '../../solver/index.ts'
import { buildModel, type Model } from '../../solver/model.ts'
import { deficitSearch } from '../../solver/rounds/deficit.ts'
import { Schedule } from '../../solver/rounds/schedule.ts'
import { potentials, selectPairs } from '../../solver/selection/select.ts'
import type { Instance } from '../../solver/types.ts'
import { minMeetingsMetOf } from '../helpers/exact-reference.ts'
import { randomInstance, type RandomOptions } from '../helpers/random-instance.ts'

function model(instance: Instance): Model {
  const built = buildModel(instance)
  if (!built.ok) throw new Error(built.reason)
  return built.model
}

const ids = (m: Model, sched: Schedule): string[] => {
  const out: string[] = []
  for (let e = 0; e < sched.edgeCount; e++) if (sched.round[e]! > 0) out.push(`${sched.round[e]}:${m.ids[sched.ea[e]!]}-${m.ids[sched.ec[e]!]}`)
  return out.sort()
}

describe('deficit search (ejection chains over every allowed pair)', () => {
  // one table per round; a1 wants 2 meetings, round 2 is taken by a2-c2 (both present in round 2 only)
  const instance = (c2Minimum: number): Instance => ({
    rounds: 2,
    tables: 1,
    associations: [{ id: 'a1', minMeetings: 2 }, { id: 'a2', arrive: 2 }],
    companies: [{ id: 'c1' }, { id: 'c2', arrive: 2, ...(c2Minimum > 0 ? { minMeetings: c2Minimum } : {}) }, { id: 'c3' }],
    forbidden: [['a1', 'c2']],
  })
  const start = (m: Model): Schedule => {
    const sched = new Schedule(m)
    sched.place(sched.addEdge(0, 0), 1) // a1-c1 in round 1
    sched.place(sched.addEdge(1, 1), 2) // a2-c2 in round 2
    return sched
  }

  test('gives the seat of a meeting nobody needs to a participant below its minMeetings', () => {
    const m = model(instance(0))
    const sched = start(m)
    const out = deficitSearch(m, sched, 1_000, { level: 0, potential: potentials(m), best: { fairness: 0, minimum: 2, meetings: 2 } })
    expect(out.chains).toBe(1)
    expect(ids(m, sched)).toEqual(['1:a1-c1', '2:a1-c3'])
  })

  test('keeps the schedule when the seat is someone else\'s minMeetings (objective 1b would not gain)', () => {
    const m = model(instance(1))
    const sched = start(m)
    deficitSearch(m, sched, 1_000, { level: 0, potential: potentials(m), best: { fairness: 0, minimum: 3, meetings: 2 } })
    expect(ids(m, sched)).toEqual(['1:a1-c1', '2:a2-c2'])
  })
})

describe('schedules short of the selection reach its figures (windowed instances past the exact search)', () => {
  const options: RandomOptions = {
    tables: 0.5,
    forbidden: 0.15,
    required: 2,
    maxMeetings: 0.25,
    minMeetings: 0.2,
    windows: 0.5,
    fixed: 2,
    associations: [15, 16],
    companies: [15, 16],
    rounds: [4, 5],
  }
  // [fairness level, minMeetings met, meetings] of the exact MIP (test/helpers/exact-reference.ts) on these seeds
  const optimum: Record<number, [number, number, number]> = { 608: [0, 21, 15], 609: [4, 10, 48], 614: [1, 8, 20], 615: [3, 5, 37] }
  test.for([608, 609, 614, 615])('seed %i: the MIP\'s fairness, minMeetings and meetings, a valid schedule', (seed) => {
    const instance = randomInstance(seed, options)
    const result = solve(instance)
    expect(checkSchedule(instance, result)).toEqual([])
    expect([result.stats.fairnessLevel, minMeetingsMetOf(instance, result.meetings), result.stats.meetings]).toEqual(optimum[seed])
    // the selection's figures bound every schedule
    const selection = selectPairs(model(instance))
    expect(result.stats.meetings).toBeLessThanOrEqual(selection.meetings)
    expect(result.objective).toBeLessThanOrEqual(result.bound + 1e-6)
  })
})
