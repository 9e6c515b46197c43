import { describe, expect, test } from 'vitest'
import { generateInstance } from '../../bench/instances.ts'
import { checkSchedule, parseInstance, solve } from '../../solver/index.ts'
import { createRng } from '../../solver/rounds/rng.ts'
import type { Instance } from '../../solver/types.ts'

const people = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => ({ id: `${prefix}${i + 1}` }))

describe('solve', () => {
  test.for([
    { associations: 10, companies: 10, rounds: 10, seed: 1, tables: 10 },
    { associations: 12, companies: 10, rounds: 8, seed: 2, tables: 10 },
    { associations: 15, companies: 12, rounds: 9, seed: 3, windows: 0.4, forbidden: 10, required: 3 },
    { associations: 20, companies: 25, rounds: 8, seed: 4, tables: 15, windows: 0.3 },
    { associations: 30, companies: 30, rounds: 10, seed: 5, windows: 0.5, forbidden: 20, required: 6, realScores: true },
  ])('every hard constraint holds and the bound is above the objective (%o)', (options) => {
    const instance = generateInstance(options)
    const result = solve(instance)
    expect(result.status).not.toBe('infeasible')
    expect(checkSchedule(instance, result)).toEqual([])
    expect(result.bound).toBeGreaterThanOrEqual(result.objective - 1e-9)
    expect(result.stats.meetings).toBe(result.meetings.length)
    const sum = result.meetings.reduce((s, m) => s + m.score, 0)
    expect(result.objective).toBeCloseTo(sum, 6)
    if (result.status === 'optimal') expect(result.objective).toBeCloseTo(result.bound, 6)
  })

  test('without presence windows the schedule is optimal (gap 0) and keeps every selected pair', () => {
    for (const seed of [1, 2, 3]) {
      const instance = generateInstance({ associations: 14, companies: 11, rounds: 9, seed, forbidden: 8 })
      const result = solve(instance)
      expect(result.status).toBe('optimal')
      expect(result.stats.dropped).toBe(0)
      expect(result.objective).toBeCloseTo(result.bound, 6)
    }
  })

  test('a full 10 x 10 is the simple rotation: the company keeps its table, the association moves one table to the right', () => {
    const instance: Instance = { rounds: 10, tables: 10, associations: people('a', 10), companies: people('c', 10) }
    const result = solve(instance)
    expect(result.status).toBe('optimal')
    expect(result.meetings).toHaveLength(100)
    expect(result.stats.idleRounds).toBe(0)
    const tableOf = new Map<string, Set<number>>()
    for (const m of result.meetings) tableOf.set(m.company, (tableOf.get(m.company) ?? new Set()).add(m.table))
    for (const tables of tableOf.values()) expect(tables.size).toBe(1)
    const byRound = (id: string) => result.meetings.filter((m) => m.association === id).sort((x, y) => x.round - y.round)
    for (const a of instance.associations) {
      const seats = byRound(a.id).map((m) => m.table)
      for (let r = 1; r < seats.length; r++) expect(seats[r]).toBe((seats[r - 1]! % 10) + 1)
    }
  })

  test('the rotation gives way when it costs idle rounds (objective 4 before 5)', () => {
    // 8 rotating companies, 10 seated associations, 10 rounds: the cyclic rotation leaves 14 idle rounds
    const instance: Instance = { rounds: 10, tables: 10, seated: 'association', associations: people('a', 10), companies: people('c', 8) }
    const result = solve(instance)
    expect(checkSchedule(instance, result)).toEqual([])
    expect(result.status).toBe('optimal')
    expect(result.stats.idleRounds).toBeLessThan(14)
    const tables = new Map<string, Set<number>>()
    for (const m of result.meetings) tables.set(m.association, (tables.get(m.association) ?? new Set()).add(m.table))
    for (const t of tables.values()) expect(t.size).toBe(1)
  })

  test('same seed, same output; shuffled input, same objective', () => {
    const instance = generateInstance({ associations: 20, companies: 18, rounds: 8, seed: 9, windows: 0.4, forbidden: 10 })
    const first = solve(instance)
    const second = solve(structuredClone(instance))
    expect(second.meetings).toEqual(first.meetings)
    const rng = createRng(77)
    const shuffle = <T>(list: T[]): T[] => {
      const copy = [...list]
      for (let i = copy.length - 1; i > 0; i--) {
        const j = rng.int(i + 1)
        ;[copy[i], copy[j]] = [copy[j]!, copy[i]!]
      }
      return copy
    }
    const shuffled = { ...instance, associations: shuffle(instance.associations), companies: shuffle(instance.companies) }
    const third = solve(shuffled)
    // the selection is exact, so its optimum does not depend on the input order
    expect(third.stats.selectionOptimum).toBeCloseTo(first.stats.selectionOptimum as number, 6)
    expect(third.stats.selectionMeetings).toBe(first.stats.selectionMeetings)
    expect(third.stats.selectionFairnessLevel).toBe(first.stats.selectionFairnessLevel)
    expect(checkSchedule(shuffled, third)).toEqual([])
  })

  test('progress: the phases in order, the share done growing from 0 to 1, and the same result as without listening', () => {
    const phases = ['model', 'selection', 'rounds', 'reoptimisation', 'exact', 'idle', 'tables', 'done']
    for (const options of [
      { associations: 30, companies: 30, rounds: 10, seed: 5, windows: 0.5, forbidden: 20, required: 6, realScores: true, tables: 24 },
      { associations: 8, companies: 9, rounds: 6, seed: 6, windows: 0.5, tables: 6 },
      { associations: 12, companies: 10, rounds: 8, seed: 2 },
    ]) {
      const instance = generateInstance(options)
      const heard: { phase: string; fraction: number }[] = []
      const listened = solve(instance, { onProgress: (p) => heard.push(p) })
      const plain = solve(instance)
      expect([listened.status, listened.objective, listened.bound, listened.stats.idleRounds]).toEqual([plain.status, plain.objective, plain.bound, plain.stats.idleRounds])
      expect(listened.meetings).toEqual(plain.meetings)
      expect(heard[0]).toEqual({ phase: 'model', fraction: 0 })
      expect(heard.at(-1)).toEqual({ phase: 'done', fraction: 1 })
      const fractions = heard.map((p) => p.fraction)
      expect(fractions).toEqual([...fractions].sort((x, y) => x - y))
      // known phases (a small instance may plan its rounds a second time: the share does not go back)
      expect(heard.every((p) => phases.includes(p.phase))).toBe(true)
      expect(heard.length).toBeLessThan(500)
    }
  })

  test('without windows, shuffled input gives the same objective', () => {
    const instance = generateInstance({ associations: 16, companies: 13, rounds: 7, seed: 19, forbidden: 6, realScores: true })
    const reversed = { ...instance, associations: [...instance.associations].reverse(), companies: [...instance.companies].reverse() }
    const a = solve(instance)
    const b = solve(reversed)
    expect(a.status).toBe('optimal')
    expect(b.objective).toBeCloseTo(a.objective, 6)
    expect(b.stats.fairnessLevel).toBe(a.stats.fairnessLevel)
    expect(b.stats.meetings).toBe(a.stats.meetings)
  })

  test('a small instance whose best selection cannot be put into rounds gets the exact optimum (branch and bound)', () => {
    // found by the MIP comparison: the selection has 10 meetings, only 9 fit; the MIP optimum is L 2, 9 meetings, score 57
    const instance: Instance = {
      rounds: 3,
      associations: [{ id: 'a1' }, { id: 'a2' }, { id: 'a3', arrive: 2 }, { id: 'a4', arrive: 3, maxMeetings: 2 }, { id: 'a5', arrive: 3 }],
      companies: [{ id: 'c1' }, { id: 'c2' }, { id: 'c3', maxMeetings: 1 }, { id: 'c4' }],
      required: [['a4', 'c3']],
      scores: {
        a1: { c2: 7.5, c3: 7, c4: 7.5 },
        a2: { c1: 2.5, c2: 2.5, c3: 6, c4: 7 },
        a3: { c1: 1.5, c2: 10, c4: 5 },
        a4: { c1: 9.5, c2: 3, c3: 5.5 },
        a5: { c1: 9.5, c2: 9.5, c3: 2.5, c4: 0 },
      },
    }
    const result = solve(instance)
    expect(checkSchedule(instance, result)).toEqual([])
    expect(result.stats.selectionMeetings).toBe(10)
    expect(result.stats.method).toMatch(/exact branch and bound/)
    expect(result.status).toBe('optimal')
    expect([result.stats.fairnessLevel, result.meetings.length, result.objective]).toEqual([2, 9, 57])
    expect(result.bound).toBe(57)
  })

  test('tables limit the meetings per round and the seated side keeps its table', () => {
    const instance: Instance = { rounds: 6, tables: 4, associations: people('a', 7), companies: people('c', 4) }
    const result = solve(instance)
    expect(checkSchedule(instance, result)).toEqual([])
    for (let r = 1; r <= 6; r++) expect(result.meetings.filter((m) => m.round === r).length).toBeLessThanOrEqual(4)
    expect(result.stats.meetings).toBe(24)
    const tables = new Map<string, number>()
    for (const m of result.meetings) {
      expect(tables.get(m.company) ?? m.table).toBe(m.table)
      tables.set(m.company, m.table)
    }
    // 24 meetings for 7 associations: everyone gets at least 3
    expect(result.stats.fairnessLevel).toBe(3)
  })

  test('presence windows are respected and fairness counts what presence permits', () => {
    const instance: Instance = {
      rounds: 6,
      associations: [{ id: 'a1' }, { id: 'a2', arrive: 4 }, { id: 'a3', leave: 2 }],
      companies: people('c', 6),
    }
    const result = solve(instance)
    expect(checkSchedule(instance, result)).toEqual([])
    const count = (id: string) => result.meetings.filter((m) => m.association === id).length
    expect(count('a1')).toBe(6)
    expect(count('a2')).toBe(3)
    expect(count('a3')).toBe(2)
    expect(result.stats.shortfalls).toEqual([])
  })

  test('minMeetings that cannot be reached are reported as shortfalls', () => {
    const instance: Instance = {
      rounds: 3,
      associations: [{ id: 'a1', minMeetings: 3 }],
      companies: [{ id: 'c1' }, { id: 'c2' }],
    }
    const result = solve(instance)
    expect(result.meetings).toHaveLength(2)
    expect(result.stats.shortfalls).toEqual([{ id: 'a1', side: 'association', meetings: 2, target: 3 }])
  })

  test('wishes: avoid forbids the pair, required pairs always meet', () => {
    const instance: Instance = {
      rounds: 2,
      associations: [{ id: 'a1', profile: { wishes: { c1: 'avoid' } } }, { id: 'a2' }],
      companies: [{ id: 'c1' }, { id: 'c2' }, { id: 'c3' }],
      scores: { a1: { c1: 100, c2: 1, c3: 1 }, a2: { c1: 1, c2: 1, c3: 50 } },
      required: [['a2', 'c2']],
    }
    const result = solve(instance)
    expect(result.meetings.some((m) => m.association === 'a1' && m.company === 'c1')).toBe(false)
    expect(result.meetings.some((m) => m.association === 'a2' && m.company === 'c2')).toBe(true)
    expect(checkSchedule(instance, result)).toEqual([])
  })

  test.for([
    [
      'required and forbidden',
      { rounds: 2, associations: people('a', 2), companies: people('c', 2), required: [['a1', 'c1']], forbidden: [['a1', 'c1']] },
      /obligatoire et interdite/,
    ],
    [
      'too few rounds for the required meetings',
      { rounds: 2, associations: people('a', 1), companies: people('c', 3), required: [['a1', 'c1'], ['a1', 'c2'], ['a1', 'c3']] },
      /3 required meetings for 2 free rounds/,
    ],
    [
      'a fixed meeting outside presence',
      { rounds: 3, associations: [{ id: 'a1', leave: 1 }], companies: people('c', 1), fixed: [{ round: 2, association: 'a1', company: 'c1' }] },
      /outside the presence of a1/,
    ],
    [
      'a required pair never present together',
      { rounds: 4, associations: [{ id: 'a1', leave: 2 }], companies: [{ id: 'c1', arrive: 3 }], required: [['a1', 'c1']] },
      /never present at the same time/,
    ],
    [
      'more required meetings than tables',
      { rounds: 1, tables: 1, associations: people('a', 2), companies: people('c', 2), required: [['a1', 'c1'], ['a2', 'c2']] },
      /table/,
    ],
    [
      'required meetings that cannot share the rounds (proved by the exact search)',
      { rounds: 2, associations: people('a', 1), companies: [{ id: 'c1', leave: 1 }, { id: 'c2', leave: 1 }], required: [['a1', 'c1'], ['a1', 'c2']] },
      /exhaustive search/,
    ],
    [
      'required meetings beyond maxMeetings',
      { rounds: 3, associations: [{ id: 'a1', maxMeetings: 1 }], companies: people('c', 2), required: [['a1', 'c1'], ['a1', 'c2']] },
      /maximum/,
    ],
  ] as const)('infeasible with a reason: %s', ([, instance, reason]) => {
    const parsed = parseInstance(instance)
    expect(parsed.ok).toBe(true)
    if (!parsed.ok) return
    const result = solve(parsed.instance)
    expect(result.status).toBe('infeasible')
    expect(result.meetings).toEqual([])
    expect(result.reason).toMatch(reason)
  })
})

describe('parseInstance', () => {
  test('accepts a valid instance', () => {
    expect(parseInstance({ rounds: 3, associations: [{ id: 'a' }], companies: [{ id: 'c' }] }).ok).toBe(true)
  })

  test('names the path of every problem', () => {
    const parsed = parseInstance({
      rounds: 3,
      associations: [{ id: 'a1', arrive: 3, leave: 2 }, { id: 'a1' }, { id: 'a3', leave: 5, minMeetings: 3, maxMeetings: 1 }],
      companies: [{ id: 'c1', profile: { wishes: { zz: 'like' } } }],
      forbidden: [['a9', 'c1']],
      required: [['a1', 'c9']],
      fixed: [{ round: 4, association: 'a1', company: 'c1' }],
      scores: { a1: { c7: 2 } },
    })
    expect(parsed.ok).toBe(false)
    if (parsed.ok) return
    const paths = parsed.issues.map((i) => i.path)
    expect(paths).toEqual(
      expect.arrayContaining([
        'associations[0].arrive',
        'associations[1].id',
        'associations[2].leave',
        'associations[2].minMeetings',
        'companies[0].profile.wishes.zz',
        'forbidden[0][0]',
        'required[0][1]',
        'fixed[0].round',
        'scores.a1.c7',
      ]),
    )
  })

  test('reports zod errors with their path', () => {
    const parsed = parseInstance({ rounds: 0, associations: [{ id: '' }], companies: 'x' })
    expect(parsed.ok).toBe(false)
    if (parsed.ok) return
    expect(parsed.issues.map((i) => i.path)).toEqual(expect.arrayContaining(['rounds', 'associations[0].id', 'companies']))
  })
})
