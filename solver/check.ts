/**
 * An independent checker of a solver result against the hard constraints of
 * the issue, written from their list and sharing no code with the solver
 * (it only reads the types, and scoring for the scores the objective is made of).
 *
 * Rules reported (Violation.rule): 'status', 'unknown-id', 'round', 'double-booking',
 * 'repeated-pair', 'outside-presence', 'table', 'forbidden', 'required', 'fixed',
 * 'max-meetings', 'score', 'objective', 'bound', 'stats'.
 */
import { forbiddenByWishes, scorePairs } from './scoring.ts'
import type { Instance, Participant, SolveResult, Violation } from './types.ts'

const TOLERANCE = 1e-6

const close = (x: number, y: number): boolean => Math.abs(x - y) <= TOLERANCE * Math.max(1, Math.abs(x), Math.abs(y))

/** Every violated hard constraint of `result` for `instance`; an empty list means the result is valid. */
export function checkSchedule(instance: Instance, result: SolveResult): Violation[] {
  const out: Violation[] = []
  const report = (rule: string, message: string): void => {
    out.push({ rule, message })
  }
  const rounds = instance.rounds
  const associations = new Map<string, Participant>(instance.associations.map((p) => [p.id, p]))
  const companies = new Map<string, Participant>(instance.companies.map((p) => [p.id, p]))
  const pairKey = (association: string, company: string): string => JSON.stringify([association, company])

  if (!['optimal', 'feasible', 'infeasible'].includes(result.status)) {
    report('status', `unknown status ${JSON.stringify(result.status)}`)
  }
  if (result.status === 'infeasible') {
    if (result.meetings.length > 0) report('status', `an infeasible result has ${result.meetings.length} meetings`)
    if (!result.reason || result.reason.trim() === '') report('status', 'an infeasible result gives no reason')
    return out
  }

  // Ids the instance itself refers to: a required or fixed meeting with an unknown id cannot take place.
  for (const [a, c] of instance.required ?? []) {
    if (!associations.has(a) || !companies.has(c)) report('unknown-id', `required pair (${a}, ${c}) names an unknown participant`)
  }
  for (const f of instance.fixed ?? []) {
    if (!associations.has(f.association) || !companies.has(f.company)) {
      report('unknown-id', `fixed meeting (${f.association}, ${f.company}) names an unknown participant`)
    }
  }

  const scores = scorePairs(instance)
  const forbidden = new Set<string>([...(instance.forbidden ?? []), ...forbiddenByWishes(instance)].map(([a, c]) => pairKey(a, c)))
  const busy = new Map<string, number>() // `${side}:${id}:${round}` -> count
  const pairsMet = new Map<string, number>() // pair -> round
  const tablesUsed = new Map<string, number>() // `${round}:${table}` -> count
  const perRound = new Map<number, number>()
  const count = new Map<string, number>() // `${side}:${id}` -> meetings
  const roundsOf = new Map<string, number[]>()
  let sum = 0

  const presentAt = (p: Participant, round: number): boolean => round >= (p.arrive ?? 1) && round <= (p.leave ?? rounds)

  result.meetings.forEach((m, index) => {
    const where = `meeting #${index + 1} (round ${m.round}, ${m.association} – ${m.company})`
    const a = associations.get(m.association)
    const c = companies.get(m.company)
    if (!a) report('unknown-id', `${where}: unknown association ${m.association}`)
    if (!c) report('unknown-id', `${where}: unknown company ${m.company}`)
    if (!Number.isInteger(m.round) || m.round < 1 || m.round > rounds) {
      report('round', `${where}: round outside 1..${rounds}`)
    }
    if (!Number.isInteger(m.table) || m.table < 1 || (instance.tables !== undefined && m.table > instance.tables)) {
      report('table', `${where}: table ${m.table} outside 1..${instance.tables ?? '∞'}`)
    }
    const tableKey = `${m.round}:${m.table}`
    tablesUsed.set(tableKey, (tablesUsed.get(tableKey) ?? 0) + 1)
    if (tablesUsed.get(tableKey) === 2) report('table', `${where}: table ${m.table} holds two meetings in round ${m.round}`)
    perRound.set(m.round, (perRound.get(m.round) ?? 0) + 1)

    for (const [side, id] of [
      ['association', m.association],
      ['company', m.company],
    ] as const) {
      const key = `${side}:${id}:${m.round}`
      busy.set(key, (busy.get(key) ?? 0) + 1)
      if (busy.get(key) === 2) report('double-booking', `${side} ${id} has two meetings in round ${m.round}`)
      count.set(`${side}:${id}`, (count.get(`${side}:${id}`) ?? 0) + 1)
      const list = roundsOf.get(`${side}:${id}`) ?? []
      list.push(m.round)
      roundsOf.set(`${side}:${id}`, list)
    }

    const key = pairKey(m.association, m.company)
    const earlier = pairsMet.get(key)
    if (earlier !== undefined) report('repeated-pair', `${m.association} and ${m.company} meet again in round ${m.round} (first in round ${earlier})`)
    else pairsMet.set(key, m.round)

    if (a && !presentAt(a, m.round)) report('outside-presence', `${where}: association ${a.id} is present only in rounds ${a.arrive ?? 1}..${a.leave ?? rounds}`)
    if (c && !presentAt(c, m.round)) report('outside-presence', `${where}: company ${c.id} is present only in rounds ${c.arrive ?? 1}..${c.leave ?? rounds}`)
    if (forbidden.has(key)) report('forbidden', `${where}: the pair is forbidden`)

    const expected = scores.score(m.association, m.company)
    if (typeof m.score !== 'number' || !close(m.score, expected)) {
      report('score', `${where}: score ${m.score} but the instance gives ${expected}`)
    }
    sum += expected
  })

  if (instance.tables !== undefined) {
    for (const [round, n] of perRound) {
      if (n > instance.tables) report('table', `round ${round} has ${n} meetings for ${instance.tables} tables`)
    }
  }

  for (const [a, c] of instance.required ?? []) {
    if (associations.has(a) && companies.has(c) && !pairsMet.has(pairKey(a, c))) report('required', `required pair (${a}, ${c}) does not meet`)
  }
  for (const f of instance.fixed ?? []) {
    const met = result.meetings.find((m) => m.association === f.association && m.company === f.company && m.round === f.round)
    if (!met) report('fixed', `fixed meeting (${f.association}, ${f.company}) is not in round ${f.round}`)
    else if (f.table !== undefined && met.table !== f.table) {
      report('fixed', `fixed meeting (${f.association}, ${f.company}) is at table ${met.table}, not ${f.table}`)
    }
  }

  for (const [side, participants] of [
    ['association', instance.associations],
    ['company', instance.companies],
  ] as const) {
    for (const p of participants) {
      const n = count.get(`${side}:${p.id}`) ?? 0
      if (p.maxMeetings !== undefined && n > p.maxMeetings) report('max-meetings', `${side} ${p.id} has ${n} meetings, more than its maximum ${p.maxMeetings}`)
    }
  }

  if (!close(result.objective, sum)) report('objective', `objective ${result.objective} differs from the sum of meeting scores ${sum}`)
  if (result.objective > result.bound + TOLERANCE * Math.max(1, Math.abs(result.bound))) {
    report('bound', `objective ${result.objective} exceeds the bound ${result.bound}`)
  } else if (result.status === 'optimal' && !close(result.objective, result.bound)) {
    report('status', `status optimal but the objective ${result.objective} is below the bound ${result.bound}`)
  }

  if (result.stats.meetings !== result.meetings.length) {
    report('stats', `stats.meetings is ${result.stats.meetings} for ${result.meetings.length} meetings`)
  }
  let idle = 0
  for (const list of roundsOf.values()) {
    const distinct = new Set(list)
    idle += Math.max(...distinct) - Math.min(...distinct) + 1 - distinct.size
  }
  if (result.stats.idleRounds !== idle) report('stats', `stats.idleRounds is ${result.stats.idleRounds}, counted ${idle}`)
  return out
}
