/**
 * The limits of a real evening (issue 13): beyond them the schema refuses the instance with a
 * message naming the field, French then English, and solve() itself answers 'infeasible' at once
 * (callers that build instances without parseInstance). Within them, extreme score ranges still solve.
 */
import { describe, expect, test } from 'vitest'
import { checkSchedule, LIMITS, parseInstance, solve, type Instance } from '../../solver/index.ts'

const people = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => ({ id: `${prefix}${i + 1}` }))
const base = { rounds: 3, associations: people('a', 2), companies: people('c', 2) }

function issuesOf(json: unknown): { path: string; message: string }[] {
  const parsed = parseInstance(json)
  expect(parsed.ok).toBe(false)
  return parsed.ok ? [] : parsed.issues
}

describe('the schema bounds what an evening can be', () => {
  test.for([
    ['rounds: 1e9', { ...base, rounds: 1e9 }, 'rounds', /au plus 100 .*\/ rounds: at most 100/],
    ['rounds: 101', { ...base, rounds: 101 }, 'rounds', /rounds: at most 100/],
    ['tables: 1e7', { ...base, tables: 1e7 }, 'tables', /tables: at most 5000/],
    ['scores of 1e300 mixed with 0.001', { ...base, scores: { a1: { c1: 1e300, c2: 0.001 } } }, 'scores.a1.c1', /score : au plus 1000000 \/ score: at most 1000000/],
    ['a score of 1e308', { ...base, scores: { a2: { c2: 1e308 } } }, 'scores.a2.c2', /at most 1000000/],
    ['an infinite score', { ...base, scores: { a1: { c2: Infinity } } }, 'scores.a1.c2', /nombre fini attendu \/ score: a finite number/],
    ['a NaN score', { ...base, scores: { a1: { c2: Number.NaN } } }, 'scores.a1.c2', /finite number/],
    ['a negative score', { ...base, scores: { a1: { c2: -1 } } }, 'scores.a1.c2', /score: at least 0/],
    ['leave beyond 100', { ...base, associations: [{ id: 'a1', leave: 1e6 }] }, 'associations[0].leave', /leave: at most 100/],
    ['an effort of 1e12', { ...base, options: { effort: 1e12 } }, 'options.effort', /effort: at most/],
    ['a weight of 1e300', { ...base, options: { weights: { sharedTheme: 1e300 } } }, 'options.weights.sharedTheme', /sharedTheme: at most/],
    ['5001 associations', { ...base, associations: people('a', 5001) }, 'associations', /associations: at most 5000/],
  ] as const)('%s: refused, the field named', ([, json, path, message]) => {
    const issues = issuesOf(json)
    const issue = issues.find((i) => i.path === path)
    expect(issue, JSON.stringify(issues)).toBeDefined()
    expect(issue?.message).toMatch(message)
  })

  test('the limits themselves are accepted', () => {
    const json = { ...base, rounds: LIMITS.rounds, tables: LIMITS.tables, scores: { a1: { c1: LIMITS.score, c2: 0.001 } } }
    expect(parseInstance(json).ok).toBe(true)
  })
})

describe('solve() without parseInstance', () => {
  test.for([
    ['rounds: 1e9', { ...base, rounds: 1e9 }, /rounds/],
    ['a score of 1e308', { ...base, scores: { a1: { c1: 1e308 } } }, /scores\.a1\.c1/],
    ['a NaN score', { ...base, scores: { a1: { c1: Number.NaN } } }, /scores\.a1\.c1/],
    ['6000 companies', { ...base, companies: people('c', 6000) }, /companies/],
  ] as const)('%s: infeasible with the reason, no crash', ([, instance, reason]) => {
    const result = solve(instance as Instance)
    expect(result.status).toBe('infeasible')
    expect(result.reason).toMatch(/hors limites \/ beyond limits/)
    expect(result.reason).toMatch(reason)
  })
})

describe('extreme score ranges within the limits', () => {
  test('scores of 1e6 mixed with 0.001 on a windowed 24 x 24 evening with 18 tables: a valid schedule, finite figures', () => {
    const associations = people('a', 24).map((p, i) => (i % 4 === 0 ? { ...p, arrive: 3 } : p))
    const companies = people('c', 24).map((p, i) => (i % 5 === 0 ? { ...p, leave: 6 } : p))
    const scores: Record<string, Record<string, number>> = {}
    associations.forEach((a, i) => {
      scores[a.id] = Object.fromEntries(companies.map((c, j) => [c.id, (i * 7 + j * 3) % 5 === 0 ? LIMITS.score : 0.001 * ((i + j) % 4)]))
    })
    const instance: Instance = { rounds: 8, tables: 18, associations, companies, scores }
    expect(parseInstance(instance).ok).toBe(true)
    const result = solve(instance)
    expect(result.status).not.toBe('infeasible')
    expect(checkSchedule(instance, result)).toEqual([])
    expect(Number.isFinite(result.objective)).toBe(true)
    expect(result.objective).toBeGreaterThan(LIMITS.score)
    expect(result.bound).toBeGreaterThanOrEqual(result.objective - 1e-6 * result.objective)
  })
})
