/**
 * What a new version changes against the published one, from the round it
 * re-plans: the meetings lost and gained, and who moves (another table, another
 * partner or another round), by name, so the organiser reads it before
 * publishing.
 */
import type { RegistrationWithOrganisation } from '../db/repositories/registrations.repository.ts'
import type { Meeting } from '../db/schema.ts'

type MeetingRow = Pick<Meeting, 'round' | 'table_no' | 'association_registration_id' | 'company_registration_id'>

export interface DiffMeeting {
  round: number
  table: number
  association: string
  company: string
}

export interface Mover {
  name: string
  person: string
  /** rounds from `fromRound` whose table or partner changed */
  rounds: number[]
}

export interface ScheduleDiff {
  fromRound: number
  lost: DiffMeeting[]
  gained: DiffMeeting[]
  moved: Mover[]
}

export function diffSchedules(
  before: MeetingRow[],
  after: MeetingRow[],
  fromRound: number,
  registrations: RegistrationWithOrganisation[],
): ScheduleDiff {
  const byId = new Map(registrations.map((r) => [r.id, r]))
  const nameOf = (id: string) => byId.get(id)?.organisation.name ?? '?'
  const later = (rows: MeetingRow[]) => rows.filter((m) => m.round >= fromRound)
  const [old, next] = [later(before), later(after)]
  const pairKey = (m: MeetingRow) => `${m.association_registration_id} ${m.company_registration_id}`
  const toDiff = (m: MeetingRow): DiffMeeting => ({
    round: m.round,
    table: m.table_no,
    association: nameOf(m.association_registration_id),
    company: nameOf(m.company_registration_id),
  })
  const oldPairs = new Set(old.map(pairKey))
  const newPairs = new Set(next.map(pairKey))
  const byRound = (a: DiffMeeting, b: DiffMeeting) => a.round - b.round || a.table - b.table

  // each participant's seat per round: "table partner"
  const seats = (rows: MeetingRow[]) => {
    const map = new Map<string, string>()
    for (const m of rows) {
      map.set(`${m.association_registration_id} ${m.round}`, `${m.table_no} ${m.company_registration_id}`)
      map.set(`${m.company_registration_id} ${m.round}`, `${m.table_no} ${m.association_registration_id}`)
    }
    return map
  }
  const [oldSeats, newSeats] = [seats(old), seats(next)]
  const rounds = [...new Set([...old, ...next].map((m) => m.round))].sort((a, b) => a - b)
  const people = [...new Set([...old, ...next].flatMap((m) => [m.association_registration_id, m.company_registration_id]))]
  const moved = people
    .map((id) => ({ id, rounds: rounds.filter((r) => oldSeats.get(`${id} ${r}`) !== newSeats.get(`${id} ${r}`)) }))
    .filter((p) => p.rounds.length > 0)
    .map((p) => ({ name: nameOf(p.id), person: byId.get(p.id)?.person_name ?? '', rounds: p.rounds }))
    .sort((a, b) => a.name.localeCompare(b.name, 'fr'))

  return {
    fromRound,
    lost: old.filter((m) => !newPairs.has(pairKey(m))).map(toDiff).sort(byRound),
    gained: next.filter((m) => !oldPairs.has(pairKey(m))).map(toDiff).sort(byRound),
    moved,
  }
}
