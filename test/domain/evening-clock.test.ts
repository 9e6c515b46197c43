import { describe, expect, test } from 'vitest'
import { roundByTimetable, type Timetable } from '../../src/domain/evening-clock.ts'

// 3 December 2026 in Strasbourg is UTC+1: 18:30 at the venue is 17:30 UTC.
const evening: Timetable = {
  date: '2026-12-03', start_time: '18:30', rounds: 10, meeting_minutes: 7, transition_minutes: 1,
  breaks: JSON.stringify([{ afterRound: 5, minutes: 10 }]),
}
const at = (utc: string) => roundByTimetable(evening, new Date(utc))

describe('the round under way by the timetable', () => {
  test.for([
    ['2026-12-03T17:29:00Z', null], // before the start
    ['2026-12-03T17:30:00Z', 1],
    ['2026-12-03T17:37:59Z', 1], // the change after round 1 still belongs to it
    ['2026-12-03T17:38:00Z', 2],
    ['2026-12-03T17:54:00Z', 4], // 18:30 + 3 x 8 min = 18:54 .. 19:02 local
    ['2026-12-03T18:09:59Z', 5], // 19:02 .. 19:10 local
    ['2026-12-03T18:10:00Z', null], // the 10-minute break after round 5 (19:10-19:20 local)
    ['2026-12-03T18:19:59Z', null],
    ['2026-12-03T18:20:00Z', 6],
    ['2026-12-03T18:59:59Z', 10],
    ['2026-12-03T19:00:00Z', null], // over
    ['2026-12-04T17:30:00Z', null], // another day
  ] as const)('%s -> %s', ([utc, round]) => {
    expect(at(utc)).toBe(round)
  })

  test('summer time: 18:30 in Paris on 1 July is 16:30 UTC', () => {
    expect(roundByTimetable({ ...evening, date: '2027-07-01' }, new Date('2027-07-01T16:30:00Z'))).toBe(1)
  })

  test('no start time, no round', () => {
    expect(roundByTimetable({ ...evening, start_time: null }, new Date('2026-12-03T17:30:00Z'))).toBeNull()
  })
})
