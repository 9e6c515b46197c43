import { describe, expect, test } from 'vitest'
import { generateInstance } from '../../bench/instances.ts'
import { checkSchedule, replan, solve } from '../../solver/index.ts'
import type { FixedMeeting, Instance, SolveResult } from '../../solver/types.ts'

const played = (result: SolveResult, fromRound: number): FixedMeeting[] =>
  result.meetings
    .filter((m) => m.round < fromRound)
    .map((m) => ({ round: m.round, association: m.association, company: m.company, table: m.table }))

const key = (m: { round: number; association: string; company: string; table?: number | undefined }) => `${m.round}|${m.association}|${m.company}|${m.table}`

function pairsOnce(result: SolveResult): void {
  const pairs = result.meetings.map((m) => `${m.association}|${m.company}`)
  expect(new Set(pairs).size).toBe(pairs.length)
}

describe('replan', () => {
  test('keeps the played rounds as they were, removes no-shows, adds walk-ins, never repeats a pair', () => {
    const instance = generateInstance({ associations: 12, companies: 12, rounds: 8, seed: 3, tables: 12 })
    const first = solve(instance)
    const done = played(first, 4)
    const result = replan(instance, {
      fromRound: 4,
      played: done,
      absent: ['a2', 'c5'],
      walkIns: { associations: [{ id: 'w1' }], companies: [{ id: 'wc1', leave: 7 }] },
    })
    expect(result.status).not.toBe('infeasible')
    const kept = new Set(result.meetings.filter((m) => m.round < 4).map(key))
    expect(kept).toEqual(new Set(done.map(key)))
    pairsOnce(result)
    const later = result.meetings.filter((m) => m.round >= 4)
    expect(later.some((m) => m.association === 'a2' || m.company === 'c5')).toBe(false)
    expect(later.some((m) => m.association === 'w1')).toBe(true)
    expect(later.some((m) => m.company === 'wc1' && m.round > 7)).toBe(false)
    expect(result.meetings.some((m) => m.association === 'w1' && m.round < 4)).toBe(false)
    for (let r = 1; r <= 8; r++) expect(result.meetings.filter((m) => m.round === r).length).toBeLessThanOrEqual(12)
  })

  test('the re-planned schedule passes the checker on the re-planned situation', () => {
    const instance = generateInstance({ associations: 10, companies: 10, rounds: 6, seed: 4, windows: 0.3 })
    const first = solve(instance)
    const result = replan(instance, { fromRound: 3, played: played(first, 3), absent: ['c1'] })
    // the checker sees the instance with the played meetings fixed and c1 leaving after round 2
    const seen: Instance = {
      ...instance,
      companies: instance.companies.map((c) => (c.id === 'c1' ? { ...c, leave: 2 } : c)),
      fixed: played(first, 3),
    }
    expect(checkSchedule(seen, result)).toEqual([])
    pairsOnce(result)
  })

  test('a pair that already met is not planned again even when it scores best', () => {
    const instance: Instance = {
      rounds: 3,
      associations: [{ id: 'a1' }],
      companies: [{ id: 'c1' }, { id: 'c2' }, { id: 'c3' }],
      scores: { a1: { c1: 100, c2: 1, c3: 1 } },
    }
    const result = replan(instance, { fromRound: 2, played: [{ round: 1, association: 'a1', company: 'c1', table: 1 }] })
    expect(result.meetings.filter((m) => m.company === 'c1')).toEqual([expect.objectContaining({ round: 1, table: 1 })])
    expect(result.meetings).toHaveLength(3)
  })

  test('played meetings of someone who then left are kept', () => {
    const instance: Instance = { rounds: 4, associations: [{ id: 'a1' }, { id: 'a2' }], companies: [{ id: 'c1' }, { id: 'c2' }] }
    const result = replan(instance, {
      fromRound: 2,
      played: [
        { round: 1, association: 'a1', company: 'c1' },
        { round: 1, association: 'a2', company: 'c2' },
      ],
      absent: ['a1'],
    })
    expect(result.meetings.filter((m) => m.association === 'a1')).toHaveLength(1)
    expect(result.meetings.filter((m) => m.association === 'a2')).toHaveLength(2)
  })

  test('re-planning a 100 x 100 evening takes well under a few seconds', () => {
    const instance = generateInstance({ associations: 100, companies: 100, rounds: 12, seed: 5 })
    const first = solve(instance)
    const started = performance.now()
    const result = replan(instance, {
      fromRound: 5,
      played: played(first, 5),
      absent: ['a1', 'a2', 'c3'],
      walkIns: { associations: [{ id: 'new-a' }] },
    })
    expect(performance.now() - started).toBeLessThan(10_000)
    pairsOnce(result)
    expect(result.meetings.filter((m) => m.round < 5)).toHaveLength(played(first, 5).length)
  })

  test('a walk-in with an id already used is refused with a reason', () => {
    const instance: Instance = { rounds: 2, associations: [{ id: 'a1' }], companies: [{ id: 'c1' }] }
    const result = replan(instance, { fromRound: 2, played: [], walkIns: { associations: [{ id: 'a1' }] } })
    expect(result.status).toBe('infeasible')
    expect(result.reason).toMatch(/a1/)
  })
})
