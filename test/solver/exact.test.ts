/**
 * solve() against an exact time-indexed MIP (HiGHS, test-only) on small random instances.
 * Lexicographic objectives compared: fairness level, minMeetings met, meetings, total score.
 * Without presence windows solve() must reach the MIP's optimum exactly; with windows or
 * fixed meetings (round assignment is NP-complete there) the first three objectives must
 * still match and the issue allows a total score gap under 0.5 %; objective <= MIP optimum
 * <= bound must hold whenever the first three objectives agree. Idle rounds are compared
 * with the MIP's minimum for the same pairs (target: at most 1.25 x in total).
 */
import { afterAll, describe, expect, test } from 'vitest'
import { checkSchedule } from '../../solver/check.ts'
import { solve } from '../../solver/index.ts'
import type { Instance, Pair, SolveResult } from '../../solver/types.ts'
import { exactOptimum, fairnessOf, idleRoundsOf, minMeetingsMetOf, minimumIdleRounds, potentials } from '../helpers/exact-reference.ts'
import { randomInstance, type RandomOptions } from '../helpers/random-instance.ts'

const EPS = 1e-6
const seeds = (from: number, count: number): number[] => Array.from({ length: count }, (_, i) => from + i)

const withoutWindows: RandomOptions = { tables: 0.5, forbidden: 0.15, required: 2, maxMeetings: 0.25, minMeetings: 0.2 }
// fixed meetings pin rounds like windows do: round assignment is no longer a plain edge colouring
const withWindows: RandomOptions = { ...withoutWindows, windows: 0.5, fixed: 2 }

interface Row {
  seed: number
  level: [number, number]
  /** objective 1b, units of minMeetings met */
  minimum: [number, number]
  meetings: [number, number]
  score: [number, number]
  bound: number
  /** participants below min(MIP level, potential) in the solver's schedule */
  short: string[]
}

function shortOf(instance: Instance, result: SolveResult, level: number): string[] {
  const degree = new Map<string, number>()
  for (const m of result.meetings) {
    for (const p of [`association:${m.association}`, `company:${m.company}`]) degree.set(p, (degree.get(p) ?? 0) + 1)
  }
  return [...potentials(instance)].flatMap(([p, potential]) => {
    const d = degree.get(p) ?? 0
    return d < Math.min(level, potential) ? [`${p} ${d}/${Math.min(level, potential)}`] : []
  })
}

/** Compares one instance; returns the solver's and the MIP's figures. */
async function compare(seed: number, instance: Instance): Promise<{ result: SolveResult; row: Row | undefined }> {
  const result = solve(instance)
  const exact = await exactOptimum(instance)
  if (exact.status === 'infeasible') {
    expect(result.status, `seed ${seed}: the MIP proves the instance infeasible`).toBe('infeasible')
    return { result, row: undefined }
  }
  // the reference's own schedule is valid and reaches the figures it claims
  const reference: SolveResult = {
    status: 'optimal',
    objective: exact.score,
    bound: exact.score,
    meetings: exact.schedule,
    stats: { fairnessLevel: exact.fairnessLevel, meetings: exact.meetings, idleRounds: idleRoundsOf(exact.schedule), shortfalls: [], solveMs: 0, method: 'MIP' },
  }
  expect(checkSchedule(instance, reference), `seed ${seed}: MIP schedule`).toEqual([])
  expect([fairnessOf(instance, exact.schedule), minMeetingsMetOf(instance, exact.schedule), exact.schedule.length]).toEqual([
    exact.fairnessLevel,
    exact.minMeetingsMet,
    exact.meetings,
  ])
  expect(result.status, `seed ${seed}: ${result.reason ?? ''}`).not.toBe('infeasible')
  expect(checkSchedule(instance, result), `seed ${seed}`).toEqual([])
  const level = fairnessOf(instance, result.meetings)
  const row: Row = {
    seed,
    level: [level, exact.fairnessLevel],
    minimum: [minMeetingsMetOf(instance, result.meetings), exact.minMeetingsMet],
    meetings: [result.meetings.length, exact.meetings],
    score: [result.objective, exact.score],
    bound: result.bound,
    short: shortOf(instance, result, exact.fairnessLevel),
  }
  // never better than the exact optimum, lexicographically (else the reference or the checker is wrong)
  const lex =
    Math.sign(level - exact.fairnessLevel) ||
    Math.sign(row.minimum[0] - row.minimum[1]) ||
    Math.sign(result.meetings.length - exact.meetings) ||
    Math.sign(result.objective - exact.score - EPS)
  expect(lex, `seed ${seed}: ${JSON.stringify(row)}`).toBeLessThanOrEqual(0)
  if (level === exact.fairnessLevel && row.minimum[0] === row.minimum[1] && result.meetings.length === exact.meetings) {
    expect(result.objective, `seed ${seed}`).toBeLessThanOrEqual(exact.score + EPS)
    expect(exact.score, `seed ${seed}: the bound must hold the MIP optimum`).toBeLessThanOrEqual(result.bound + EPS)
  }
  return { result, row }
}

describe('solve() against the exact MIP, without presence windows', () => {
  test.for(seeds(1, 30))('given scores, seed %i: same fairness, meetings and score', async (seed) => {
    const instance = randomInstance(seed, withoutWindows)
    const { result, row } = await compare(seed, instance)
    if (!row) return
    expect([row.level[0], row.minimum[0], row.meetings[0]], `seed ${seed}: ${JSON.stringify(row)}`).toEqual([row.level[1], row.minimum[1], row.meetings[1]])
    expect(row.score[0], `seed ${seed}`).toBeCloseTo(row.score[1], 6)
    expect(result.stats.fairnessLevel, `seed ${seed}: stats.fairnessLevel`).toBe(row.level[1])
  })

  test.for(seeds(101, 10))('scores from profiles and wishes, seed %i: same fairness, meetings and score', async (seed) => {
    const instance = randomInstance(seed, { ...withoutWindows, scores: 'profiles' })
    const { row } = await compare(seed, instance)
    if (!row) return
    expect([row.level[0], row.minimum[0], row.meetings[0]], `seed ${seed}`).toEqual([row.level[1], row.minimum[1], row.meetings[1]])
    expect(row.score[0], `seed ${seed}`).toBeCloseTo(row.score[1], 6)
  })

  test('a full 4 x 4 in 4 rounds: everyone meets everyone, status optimal', async () => {
    const instance: Instance = {
      rounds: 4,
      associations: seeds(1, 4).map((i) => ({ id: `a${i}` })),
      companies: seeds(1, 4).map((i) => ({ id: `c${i}` })),
      scores: { a1: { c1: 2, c2: 1 }, a3: { c4: 5 } },
    }
    const { result } = await compare(0, instance)
    expect(result.meetings).toHaveLength(16)
    expect(result.status).toBe('optimal')
    expect(result.objective).toBe(8)
  })
})

describe('solve() against the exact MIP, with presence windows', () => {
  windowedGroup('windows', withWindows, seeds(201, 40))
})

/** Per seed: the first three objectives as the MIP's; in total: score gap under 0.5 % where they agree. */
function windowedGroup(label: string, options: RandomOptions, seedList: number[], known: number[] = []): void {
  const rows: Row[] = []
  for (const seed of seedList) {
    // `known`: shortfalls reported to the solver's authors and not fixed yet (test.fails keeps them visible)
    const run = known.includes(seed) ? test.fails : test
    run(`seed ${seed}: same fairness, minMeetings and meetings as the MIP`, async () => {
      const { row } = await compare(seed, randomInstance(seed, options))
      if (!row) return
      rows.push(row)
      expect([row.level[0], row.minimum[0], row.meetings[0]], `seed ${seed}: ${JSON.stringify(row)}`).toEqual([
        row.level[1],
        row.minimum[1],
        row.meetings[1],
      ])
    })
  }
  test('total score gap under 0.5 % where the first objectives agree', () => {
    const agree = rows.filter((r) => r.level[0] === r.level[1] && r.minimum[0] === r.minimum[1] && r.meetings[0] === r.meetings[1])
    const solver = agree.reduce((s, r) => s + r.score[0], 0)
    const exact = agree.reduce((s, r) => s + r.score[1], 0)
    const gap = exact === 0 ? 0 : (exact - solver) / exact
    console.info(`${label}: ${rows.length} feasible, ${agree.length} agree; score ${solver} vs MIP ${exact}, gap ${(gap * 100).toFixed(3)} %`)
    expect(gap).toBeLessThan(0.005)
  })
}

describe('solve() against the exact MIP, medium instances with windows (81 to 121 pairs)', () => {
  // 9 to 11 per side, 4 to 6 rounds, windows and fixed meetings; the seeds of 401..430 whose MIP
  // takes about 0.3 s or less on this machine (the others cost up to 2.5 s each).
  const medium: RandomOptions = { ...withWindows, associations: [9, 11], companies: [9, 11], rounds: [4, 6] }
  windowedGroup('medium windows', medium, [404, 407, 408, 409, 410, 411, 412, 413, 414, 418, 421, 422, 423, 425, 427, 429, 430])
})

describe('solve() against the exact MIP, 225 to 256 pairs with windows (past the exact small-instance search)', () => {
  // 15 or 16 per side, 4 or 5 rounds: beyond the solver's exhaustive search (200 pairs today), so the
  // heuristic rounds are what is measured; the seeds of 601..620 whose MIP takes about 0.2 s or less here.
  const large: RandomOptions = { ...withWindows, associations: [15, 16], companies: [15, 16], rounds: [4, 5] }
  windowedGroup('large windows', large, [603, 605, 606, 607, 608, 609, 610, 611, 612, 613, 614, 615, 617, 619, 620])
})

/**
 * Issue 13: evenings with comings and goings and fewer tables than participants. Per instance:
 * the first three objectives as the MIP's, every reported bound at least the MIP's optimum,
 * status 'optimal' whenever the objective equals the MIP's optimum, and (a test of its own) the
 * score within 0.1 % of the MIP's. `known`: instances still short of 0.1 %; `unproven`: the optimum
 * reached but not proven (the bounds on the meeting count above the true one); both kept visible by test.fails.
 */
function tablesGroup(label: string, options: (seed: number) => RandomOptions, seedList: number[], known: number[] = [], unproven: number[] = []): void {
  const runs = new Map<number, Promise<{ instance: Instance; result: SolveResult; row: Row | undefined }>>()
  const run = (seed: number) => {
    let p = runs.get(seed)
    if (!p) {
      const instance = randomInstance(seed, options(seed))
      p = compare(seed, instance).then(({ result, row }) => ({ instance, result, row }))
      runs.set(seed, p)
    }
    return p
  }
  const rows: { seed: number; row: Row; status: string }[] = []
  for (const seed of seedList) {
    test(`seed ${seed}: fewer tables than participants; same figures, bound >= MIP, optimal when equal`, async () => {
      const { instance, result, row } = await run(seed)
      expect(instance.tables, 'the family limits tables').toBeLessThan(Math.min(instance.associations.length, instance.companies.length))
      if (!row) return
      rows.push({ seed, row, status: result.status })
      const detail = `seed ${seed}: ${JSON.stringify(row)}`
      expect([row.level[0], row.minimum[0], row.meetings[0]], detail).toEqual([row.level[1], row.minimum[1], row.meetings[1]])
      expect(result.bound, `${detail}: every bound holds the MIP's optimum`).toBeGreaterThanOrEqual(row.score[1] - EPS)
      // 'optimal' never claimed short of the optimum
      if (result.status === 'optimal') expect(result.objective, detail).toBeCloseTo(row.score[1], 6)
    })
    ;(unproven.includes(seed) ? test.fails : test)(`seed ${seed}: status optimal when the MIP's optimum is reached`, async () => {
      const { result, row } = await run(seed)
      if (!row || Math.abs(result.objective - row.score[1]) > EPS) return
      expect(result.status, `seed ${seed}: ${JSON.stringify(row)}`).toBe('optimal')
    })
    ;(known.includes(seed) ? test.fails : test)(`seed ${seed}: score within 0.1 % of the MIP's`, async () => {
      const { row } = await run(seed)
      if (!row) return
      expect(row.score[0], `seed ${seed}: ${JSON.stringify(row)}`).toBeGreaterThanOrEqual(row.score[1] * 0.999 - EPS)
    })
  }
  afterAll(() => {
    const solver = rows.reduce((s, r) => s + r.row.score[0], 0)
    const exact = rows.reduce((s, r) => s + r.row.score[1], 0)
    const optimal = rows.filter((r) => r.status === 'optimal').length
    const worst = rows.reduce((w, r) => Math.max(w, r.row.score[1] > 0 ? (r.row.score[1] - r.row.score[0]) / r.row.score[1] : 0), 0)
    console.info(
      `${label}: ${rows.length} instances, ${optimal} optimal, total score gap ${(((exact - solver) / exact) * 100).toFixed(3)} %, worst ${(worst * 100).toFixed(2)} %`,
    )
  })
}

describe('solve() against the exact MIP, windows and fewer tables than participants (7 x 7 to 20 x 20)', () => {
  // windows on 20 to 50 % of participants, tables 60 to 90 % of the smaller side
  const windows = (seed: number): number => 0.2 + 0.1 * (seed % 4)
  const small = (seed: number): RandomOptions => ({
    associations: [7, 10],
    companies: [7, 10],
    rounds: [5, 8],
    windows: windows(seed),
    tableShare: [0.6, 0.9],
    forbidden: 0.1,
    maxMeetings: 0.1,
  })
  // the seeds of 501..530 whose MIP takes about half a second or less on this machine
  const smallSeeds = [503, 505, 506, 507, 508, 509, 510, 511, 512, 513, 514, 515, 516, 517, 518, 519, 521, 522, 523, 525, 526, 527, 528, 530]
  tablesGroup('small windowed, fewer tables', small, smallSeeds)
  // 11 to 20 a side: the seeds of 701..730 whose MIP takes about a second or less on this machine
  const medium = (seed: number): RandomOptions => ({
    associations: [11, 20],
    companies: [11, 20],
    rounds: [5, 9],
    windows: windows(seed),
    tableShare: [0.6, 0.9],
    forbidden: 0.1,
  })
  tablesGroup('medium windowed, fewer tables', medium, [707, 708, 710, 714, 715, 718])
})

describe('idle rounds against the minimum for the same meetings', () => {
  const totals = { solver: 0, minimum: 0, cases: [] as string[] }

  test.for([
    ...seeds(301, 6).map((seed) => ({ seed, options: { associations: [5, 6], companies: [5, 6], rounds: [5, 6] } as RandomOptions })),
    ...seeds(311, 6).map((seed) => ({ seed, options: { associations: [5, 6], companies: [5, 6], rounds: [5, 6], windows: 0.4, forbidden: 0.2 } as RandomOptions })),
  ])('seed $seed', async ({ seed, options }) => {
    const instance = randomInstance(seed, options)
    const result = solve(instance)
    if (result.status === 'infeasible') return
    const pairs: Pair[] = result.meetings.map((m) => [m.association, m.company])
    const idle = idleRoundsOf(result.meetings)
    expect(result.stats.idleRounds).toBe(idle)
    // no idle round is already the minimum: spare the MIP
    const minimum = idle === 0 ? 0 : await minimumIdleRounds(instance, pairs)
    expect(minimum, `seed ${seed}: the solver's own meetings can be placed`).toBeDefined()
    expect(idle).toBeGreaterThanOrEqual(minimum ?? 0)
    totals.solver += idle
    totals.minimum += minimum ?? 0
    totals.cases.push(`${seed}: ${idle}/${minimum}`)
  })

  afterAll(() => {
    console.info(`idle rounds, solver/minimum: ${totals.cases.join(', ')}; total ${totals.solver}/${totals.minimum}`)
  })

  test('in total at most 1.25 x the minimum (target of the issue)', () => {
    expect(totals.solver).toBeLessThanOrEqual(Math.floor(1.25 * totals.minimum))
  })
})

describe('idle rounds on evenings with windows and fewer tables than participants (issue 13)', () => {
  // the small windowed family above, on the seeds whose idle-round MIP takes about a second or less
  const totals = { solver: 0, minimum: 0, cases: [] as string[] }
  test.for([507, 508, 510, 511, 513, 516, 518])('seed %i: idle rounds at least the minimum for the same meetings', async (seed) => {
    const instance = randomInstance(seed, {
      associations: [7, 10],
      companies: [7, 10],
      rounds: [5, 8],
      windows: 0.2 + 0.1 * (seed % 4),
      tableShare: [0.6, 0.9],
      forbidden: 0.1,
      maxMeetings: 0.1,
    })
    const result = solve(instance)
    expect(result.status).not.toBe('infeasible')
    const idle = idleRoundsOf(result.meetings)
    expect(result.stats.idleRounds).toBe(idle)
    const minimum = idle === 0 ? 0 : await minimumIdleRounds(instance, result.meetings.map((m): Pair => [m.association, m.company]))
    expect(minimum, `seed ${seed}: the solver's own meetings can be placed`).toBeDefined()
    expect(idle).toBeGreaterThanOrEqual(minimum ?? 0)
    totals.solver += idle
    totals.minimum += minimum ?? 0
    totals.cases.push(`${seed}: ${idle}/${minimum}`)
  })

  test('in total at most 1.1 x the minimum (target of issue 13)', () => {
    console.info(`windowed idle rounds, solver/minimum: ${totals.cases.join(', ')}; total ${totals.solver}/${totals.minimum}`)
    expect(totals.cases).toHaveLength(7)
    expect(totals.solver).toBeLessThanOrEqual(Math.floor(1.1 * totals.minimum))
  })
})
