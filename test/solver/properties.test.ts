/**
 * Property-based tests over seeded random instances (fast-check drives the seeds;
 * fixed fast-check seeds keep runs reproducible): every solver output passes the
 * independent checker, the solver is deterministic, input order does not change
 * the objectives, and re-planning keeps played rounds without repeating a pair.
 */
import fc from 'fast-check'
import { describe, expect, test } from 'vitest'
import { checkSchedule } from '../../solver/check.ts'
import { replan, solve } from '../../solver/index.ts'
import type { FixedMeeting, Instance, Participant, ReplanSituation, SolveResult } from '../../solver/types.ts'
import { fairnessOf } from '../helpers/exact-reference.ts'
import { int, randomInstance, rng, shuffledInstance, type RandomOptions } from '../helpers/random-instance.ts'

const seedArb = fc.integer({ min: 1, max: 1_000_000 })
const run = { numRuns: 50, seed: 20261124 }

/** `scale` trims the runs of the slower families (scores from profiles take the exact small search more often) */
const kinds: { name: string; options: RandomOptions; scale?: number }[] = [
  { name: 'given scores, everyone all night', options: { tables: 0.5, forbidden: 0.1, required: 2 } },
  {
    name: 'given scores, windows, tables, forbidden, required, fixed, min and max meetings',
    options: {
      associations: [2, 8],
      companies: [2, 8],
      rounds: [1, 7],
      tables: 0.6,
      windows: 0.5,
      forbidden: 0.2,
      required: 3,
      fixed: 3,
      maxMeetings: 0.3,
      minMeetings: 0.2,
    },
  },
  { name: 'scores from profiles and wishes, windows', options: { scores: 'profiles', tables: 0.4, windows: 0.4, required: 1 }, scale: 0.5 },
]

/** A result without its timings, for comparing two runs. */
function withoutTimings(result: SolveResult): unknown {
  const stats: Record<string, unknown> = {}
  for (const [k, v] of Object.entries(result.stats)) if (!/ms$/i.test(k)) stats[k] = v
  return { ...result, stats }
}

describe.each(kinds)('$name', ({ options, scale = 1 }) => {
  const runs = (n: number) => ({ ...run, numRuns: Math.ceil(n * scale) })
  test('every output passes the independent checker', () => {
    fc.assert(
      fc.property(seedArb, (seed) => {
        const instance = randomInstance(seed, options)
        const result = solve(instance)
        expect(checkSchedule(instance, result), `seed ${seed}: ${JSON.stringify(instance)}`).toEqual([])
      }),
      runs(run.numRuns),
    )
  })

  test('deterministic: the same instance twice gives the same result', () => {
    fc.assert(
      fc.property(seedArb, (seed) => {
        const instance = randomInstance(seed, options)
        expect(withoutTimings(solve(instance)), `seed ${seed}`).toEqual(withoutTimings(solve(structuredClone(instance))))
      }),
      runs(15),
    )
  })

  test('shuffled input order gives the same status, fairness, meetings and objective', () => {
    fc.assert(
      fc.property(seedArb, fc.integer(), (seed, shuffleSeed) => {
        const instance = randomInstance(seed, options)
        const shuffled = shuffledInstance(instance, shuffleSeed)
        const x = solve(instance)
        const y = solve(shuffled)
        const where = `seed ${seed}, shuffle ${shuffleSeed}`
        expect(y.status, where).toBe(x.status)
        expect(checkSchedule(shuffled, y), where).toEqual([])
        if (x.status === 'infeasible') return
        // Without windows every objective is proven optimal, so any order reaches it; with windows the
        // round assignment is a heuristic and only the selection figures are order-free.
        const hasWindows = [...instance.associations, ...instance.companies].some((p) => p.arrive !== undefined || p.leave !== undefined)
        const sameFirstTwo = fairnessOf(shuffled, y.meetings) === fairnessOf(instance, x.meetings) && y.meetings.length === x.meetings.length
        // the bound is the best score at the fairness and meeting count reached
        if (sameFirstTwo) expect(y.bound, where).toBeCloseTo(x.bound, 6)
        if (!hasWindows) {
          expect(fairnessOf(shuffled, y.meetings), where).toBe(fairnessOf(instance, x.meetings))
          expect(y.meetings.length, where).toBe(x.meetings.length)
          expect(y.objective, where).toBeCloseTo(x.objective, 6)
        }
      }),
      runs(15),
    )
  })
})

describe('tables', () => {
  test('the seated side keeps its table all night when there are enough tables', () => {
    fc.assert(
      fc.property(seedArb, fc.constantFrom('association' as const, 'company' as const), fc.integer({ min: 0, max: 2 }), (seed, seated, spare) => {
        const base = randomInstance(seed, { associations: [2, 8], companies: [2, 8], rounds: [2, 7], forbidden: 0.1, windows: 0.3, required: 2, fixed: 2 })
        const fixed = base.fixed?.map(({ table: _, ...f }) => f)
        const instance: Instance = { ...base, seated, tables: (seated === 'company' ? base.companies : base.associations).length + spare }
        if (fixed) instance.fixed = fixed
        const result = solve(instance)
        const tablesOf = new Map<string, Set<number>>()
        for (const m of result.meetings) {
          const id = seated === 'company' ? m.company : m.association
          tablesOf.set(id, (tablesOf.get(id) ?? new Set()).add(m.table))
        }
        for (const [id, tables] of tablesOf) expect(tables.size, `seed ${seed}: ${seated} ${id} at tables ${[...tables]}`).toBe(1)
      }),
      run,
    )
  })
})

/** The instance that re-planning stands for, derived here from ReplanSituation's definition. */
function replannedInstance(instance: Instance, situation: ReplanSituation): Instance {
  const from = situation.fromRound
  const absent = new Set(situation.absent ?? [])
  const played = situation.played.filter((m) => m.round < from)
  const playedBy = new Set(played.flatMap((m) => [m.association, m.company]))
  const keep = (list: Participant[]): Participant[] =>
    list.flatMap((p) => (!absent.has(p.id) ? [p] : playedBy.has(p.id) ? [{ ...p, leave: Math.min(p.leave ?? instance.rounds, from - 1) }] : []))
  const late = (list: Participant[] = []): Participant[] => list.map((p) => ({ ...p, arrive: Math.max(p.arrive ?? from, from) }))
  const associations = [...keep(instance.associations), ...late(situation.walkIns?.associations)]
  const companies = [...keep(instance.companies), ...late(situation.walkIns?.companies)]
  const here = new Set([...associations, ...companies].map((p) => p.id))
  const out: Instance = { ...instance, associations, companies, fixed: played }
  if (instance.forbidden) out.forbidden = instance.forbidden.filter(([a, c]) => here.has(a) && here.has(c))
  if (instance.required) out.required = instance.required.filter(([a, c]) => here.has(a) && here.has(c))
  return out
}

describe('replan', () => {
  test('keeps the played rounds as they were, never repeats a pair, leaves absentees out', () => {
    fc.assert(
      fc.property(seedArb, (seed) => {
        const instance = randomInstance(seed, { rounds: [3, 6], tables: 0.4, windows: 0.3, forbidden: 0.1, required: 1 })
        const first = solve(instance)
        if (first.status === 'infeasible') return
        const random = rng(seed)
        const fromRound = int(random, 2, instance.rounds)
        const played: FixedMeeting[] = first.meetings
          .filter((m) => m.round < fromRound)
          .map((m) => ({ round: m.round, association: m.association, company: m.company, table: m.table }))
        const absent = [...instance.associations, ...instance.companies].filter(() => random() < 0.2).map((p) => p.id)
        const walkIns = {
          associations: Array.from({ length: int(random, 0, 2) }, (_, i) => ({ id: `walk-in-a${i + 1}` })),
          companies: Array.from({ length: int(random, 0, 1) }, (_, i) => ({ id: `walk-in-c${i + 1}` })),
        }
        const situation: ReplanSituation = { fromRound, played, absent, walkIns }
        const result = replan(instance, situation)
        const where = `seed ${seed}, from round ${fromRound}: ${result.reason ?? ''}`
        // required pairs may become impossible once someone is absent; then infeasible is the right answer
        if (result.status === 'infeasible') {
          expect(instance.required?.length ?? 0, where).toBeGreaterThan(0)
          return
        }
        expect(checkSchedule(replannedInstance(instance, situation), result), where).toEqual([])
        const key = (m: { round: number; table?: number | undefined; association: string; company: string }) =>
          `${m.round}/${m.table}/${m.association}/${m.company}`
        expect(result.meetings.filter((m) => m.round < fromRound).map(key).sort(), where).toEqual(played.map(key).sort())
        const gone = new Set(absent)
        for (const m of result.meetings.filter((x) => x.round >= fromRound)) {
          expect(gone.has(m.association) || gone.has(m.company), `${where}: ${key(m)}`).toBe(false)
        }
        const pairs = result.meetings.map((m) => `${m.association}/${m.company}`)
        expect(new Set(pairs).size, where).toBe(pairs.length)
      }),
      run,
    )
  })

  test('found by the property above (seed 843956): the bound still holds when the schedule falls short of the selection', () => {
    // The selection reaches fairness 4 with 9 meetings (score 27.5), the rounds only fairness 2 with 8 meetings
    // but a score of 35: a bound computed at the selection's fairness and meetings is no bound for this schedule.
    const instance: Instance = {
      rounds: 5,
      tables: 2,
      associations: [{ id: 'a1', arrive: 4 }, { id: 'a2', arrive: 2, leave: 2 }, { id: 'a3' }, { id: 'a4', arrive: 5 }],
      companies: [{ id: 'c1', arrive: 5 }, { id: 'c2', arrive: 2 }, { id: 'c3' }, { id: 'c4' }, { id: 'c5', arrive: 5 }],
      scores: {
        a1: { c2: 7.5, c3: 4.5, c5: 9 },
        a2: { c1: 5.5, c2: 7, c3: 7, c4: 8, c5: 3.5 },
        a3: { c1: 10, c2: 3, c3: 10, c4: 2, c5: 5 },
        a4: { c1: 5, c3: 0.5, c4: 7.5, c5: 1 },
      },
      forbidden: [['a3', 'c5']],
    }
    const situation: ReplanSituation = {
      fromRound: 3,
      played: [
        { round: 1, association: 'a3', company: 'c4', table: 1 },
        { round: 2, association: 'a2', company: 'c4', table: 1 },
        { round: 2, association: 'a3', company: 'c3', table: 2 },
      ],
      absent: ['a3', 'c3', 'c5'],
      walkIns: { associations: [{ id: 'walk-in-a1' }] },
    }
    const result = replan(instance, situation)
    expect(result.status).not.toBe('infeasible')
    expect(checkSchedule(replannedInstance(instance, situation), result)).toEqual([])
  })

  test('a walk-in gets meetings in the remaining rounds when seats are free', () => {
    const instance: Instance = {
      rounds: 4,
      associations: [{ id: 'a1' }, { id: 'a2' }],
      companies: [{ id: 'c1' }, { id: 'c2' }, { id: 'c3' }],
    }
    const first = solve(instance)
    const played = first.meetings.filter((m) => m.round < 3)
    const result = replan(instance, { fromRound: 3, played, walkIns: { associations: [{ id: 'late' }] } })
    expect(checkSchedule(replannedInstance(instance, { fromRound: 3, played, walkIns: { associations: [{ id: 'late' }] } }), result)).toEqual([])
    expect(result.meetings.filter((m) => m.association === 'late').length).toBe(2)
  })
})
