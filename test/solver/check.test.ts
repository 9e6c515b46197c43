import { describe, expect, test } from 'vitest'
import { checkSchedule } from '../../solver/check.ts'
import type { Instance, Meeting, SolveResult } from '../../solver/types.ts'

// 3 x 3 in 3 rounds, everyone meets everyone: a_i meets c_((i + r) mod 3) at the company's table.
const scores = { a0: { c0: 1, c1: 2, c2: 3 }, a1: { c0: 4, c1: 5, c2: 6 }, a2: { c0: 7, c1: 8, c2: 9 } }
const base: Instance = {
  rounds: 3,
  tables: 3,
  associations: [{ id: 'a0' }, { id: 'a1' }, { id: 'a2' }],
  companies: [{ id: 'c0' }, { id: 'c1' }, { id: 'c2' }],
  scores,
}

function meeting(round: number, i: number, j: number, table = j + 1): Meeting {
  const association = `a${i}`
  const company = `c${j}`
  return { round, table, association, company, score: scores[association as 'a0'][company as 'c0'] }
}

function goodMeetings(): Meeting[] {
  const out: Meeting[] = []
  for (let r = 1; r <= 3; r++) for (let i = 0; i < 3; i++) out.push(meeting(r, i, (i + r) % 3))
  return out
}

function result(meetings: Meeting[], extra: Partial<SolveResult> = {}): SolveResult {
  const objective = meetings.reduce((s, m) => s + m.score, 0)
  return {
    status: 'optimal',
    objective,
    bound: 45,
    meetings,
    stats: { fairnessLevel: 3, meetings: meetings.length, idleRounds: 0, shortfalls: [], solveMs: 1, method: 'test' },
    ...extra,
  }
}

/** the good schedule without the meetings matching `drop` */
const without = (drop: (m: Meeting) => boolean) => goodMeetings().filter((m) => !drop(m))

interface Case {
  name: string
  rule: string
  instance: Instance
  result: SolveResult
}

const cases: Case[] = [
  {
    name: 'a participant twice in one round',
    rule: 'double-booking',
    instance: { ...base, tables: 4 },
    result: result([...goodMeetings().filter((m) => !(m.round === 1 && m.association === 'a1')), meeting(1, 0, 0, 4)]),
  },
  {
    name: 'a pair meeting twice',
    rule: 'repeated-pair',
    instance: { ...base, rounds: 4 },
    result: result([...goodMeetings(), meeting(4, 0, 1)]),
  },
  {
    name: 'a meeting before the association arrives',
    rule: 'outside-presence',
    instance: { ...base, associations: [{ id: 'a0', arrive: 2 }, { id: 'a1' }, { id: 'a2' }] },
    result: result(goodMeetings()),
  },
  {
    name: 'a meeting after the company leaves',
    rule: 'outside-presence',
    instance: { ...base, companies: [{ id: 'c0' }, { id: 'c1', leave: 2 }, { id: 'c2' }] },
    result: result(goodMeetings()),
  },
  {
    name: 'a round beyond the last',
    rule: 'round',
    instance: base,
    result: result([...without((m) => m.round === 3 && m.association === 'a0'), meeting(4, 0, 0)]),
  },
  {
    name: 'round 0',
    rule: 'round',
    instance: base,
    result: result([...without((m) => m.round === 3 && m.association === 'a0'), meeting(0, 0, 0)]),
  },
  {
    name: 'a table number beyond the tables',
    rule: 'table',
    instance: base,
    result: result([...without((m) => m.round === 1 && m.association === 'a0'), meeting(1, 0, 1, 4)]),
  },
  {
    name: 'two meetings at one table in one round',
    rule: 'table',
    instance: base,
    result: result([...without((m) => m.round === 1 && m.association === 'a0'), meeting(1, 0, 1, 3)]),
  },
  {
    name: 'more meetings in a round than tables',
    rule: 'table',
    instance: { ...base, tables: 2 },
    result: result(without((m) => m.round > 1 && m.company === 'c2')),
  },
  {
    name: 'a forbidden pair',
    rule: 'forbidden',
    instance: { ...base, forbidden: [['a1', 'c2']] },
    result: result(goodMeetings()),
  },
  {
    name: "a pair one side wishes to avoid",
    rule: 'forbidden',
    instance: { ...base, companies: [{ id: 'c0', profile: { wishes: { a2: 'avoid' } } }, { id: 'c1' }, { id: 'c2' }] },
    result: result(goodMeetings()),
  },
  {
    name: 'a required pair that does not meet',
    rule: 'required',
    instance: { ...base, required: [['a2', 'c0']] },
    result: result(without((m) => m.association === 'a2' && m.company === 'c0')),
  },
  {
    name: 'a fixed meeting moved to another round',
    rule: 'fixed',
    instance: { ...base, fixed: [{ round: 2, association: 'a0', company: 'c1' }] },
    result: result(goodMeetings()),
  },
  {
    name: 'a fixed meeting at another table',
    rule: 'fixed',
    instance: { ...base, fixed: [{ round: 1, association: 'a0', company: 'c1', table: 1 }] },
    result: result(goodMeetings()),
  },
  {
    name: 'more meetings than maxMeetings',
    rule: 'max-meetings',
    instance: { ...base, companies: [{ id: 'c0' }, { id: 'c1', maxMeetings: 2 }, { id: 'c2' }] },
    result: result(goodMeetings()),
  },
  {
    name: 'an unknown association in a meeting',
    rule: 'unknown-id',
    instance: { ...base, associations: [{ id: 'a0' }, { id: 'a1' }] },
    result: result(goodMeetings()),
  },
  {
    name: 'a required pair naming an unknown company, not reported infeasible',
    rule: 'unknown-id',
    instance: { ...base, required: [['a0', 'ghost']] },
    result: result(goodMeetings()),
  },
  {
    name: 'an objective that is not the sum of the scores',
    rule: 'objective',
    instance: base,
    result: result(goodMeetings(), { objective: 44 }),
  },
  {
    name: 'an objective above the bound',
    rule: 'bound',
    instance: base,
    result: result(goodMeetings(), { bound: 40 }),
  },
  {
    name: "a meeting score that is not the instance's",
    rule: 'score',
    instance: base,
    result: result(goodMeetings().map((m, i) => (i === 0 ? { ...m, score: m.score + 1 } : m)), { bound: 100, status: 'feasible' }),
  },
  {
    name: 'a computed score when profiles define it',
    rule: 'score',
    instance: {
      rounds: 1,
      associations: [{ id: 'a', profile: { needs: ['locaux'] } }],
      companies: [{ id: 'c', profile: { offers: ['locaux'] } }],
    },
    result: result([{ round: 1, table: 1, association: 'a', company: 'c', score: 0 }]),
  },
  {
    name: 'an infeasible result with meetings',
    rule: 'status',
    instance: base,
    result: result(goodMeetings(), { status: 'infeasible', reason: 'no' }),
  },
  {
    name: 'an infeasible result without a reason',
    rule: 'status',
    instance: base,
    result: result([], { status: 'infeasible' }),
  },
  {
    name: 'status optimal with a gap to the bound',
    rule: 'status',
    instance: base,
    result: result(goodMeetings(), { bound: 50 }),
  },
  {
    name: 'stats that do not count the meetings',
    rule: 'stats',
    instance: base,
    result: { ...result(goodMeetings()), stats: { ...result(goodMeetings()).stats, meetings: 8 } },
  },
  {
    name: 'stats that miss an idle round',
    rule: 'stats',
    instance: { ...base, rounds: 4 },
    result: result(goodMeetings().map((m) => (m.association === 'a0' && m.round === 3 ? { ...m, round: 4 } : m))),
  },
]

describe('checkSchedule', () => {
  test('the good schedule passes', () => {
    expect(checkSchedule(base, result(goodMeetings()))).toEqual([])
  })

  test('a good schedule with windows, tables to spare, fixed, required and forbidden pairs passes', () => {
    const instance: Instance = {
      ...base,
      rounds: 4,
      tables: 5,
      associations: [{ id: 'a0', arrive: 2 }, { id: 'a1' }, { id: 'a2', leave: 3 }],
      fixed: [{ round: 2, association: 'a0', company: 'c2', table: 5 }],
      required: [['a1', 'c1']],
      forbidden: [['a2', 'c2']],
    }
    const meetings = [meeting(2, 0, 2, 5), meeting(3, 0, 0), meeting(1, 1, 1), meeting(2, 1, 0), meeting(1, 2, 0), meeting(3, 2, 1, 2)]
    const good = result(meetings, { status: 'feasible' })
    good.stats.idleRounds = 2 // a2 in rounds 1 and 3, c1 in rounds 1 and 3
    expect(checkSchedule(instance, good)).toEqual([])
  })

  test('an infeasible result with a reason and no meetings passes', () => {
    expect(checkSchedule(base, result([], { status: 'infeasible', reason: 'contradiction', objective: 0, bound: 0 }))).toEqual([])
  })

  test.for(cases)('catches $name', ({ rule, instance, result }) => {
    const violations = checkSchedule(instance, result)
    expect(violations.map((v) => v.rule)).toContain(rule)
    for (const v of violations) expect(v.message).not.toBe('')
  })
})
