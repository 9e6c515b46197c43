/**
 * Which round is under way by the event's timetable, for screens that have no
 * room screen to follow (the organiser did not start it): the event's date and
 * start time are wall-clock times at the venue.
 */
import { roundStartTimes } from '../db/repositories/events.repository.ts'
import type { Event } from '../db/schema.ts'

export type Timetable = Pick<Event, 'date' | 'start_time' | 'rounds' | 'meeting_minutes' | 'transition_minutes' | 'breaks'>

/** The round whose meeting (or the change after it) is under way at `now`; null before, after, during a break or without a start time. */
export function roundByTimetable(event: Timetable, now: Date, timeZone = 'Europe/Paris'): number | null {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-CA', {
      timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23',
    })
      .formatToParts(now)
      .map((p) => [p.type, p.value]),
  )
  if (`${parts.year}-${parts.month}-${parts.day}` !== event.date) return null
  const minute = Number(parts.hour) * 60 + Number(parts.minute)
  const length = event.meeting_minutes + event.transition_minutes
  const starts = roundStartTimes(event)
  for (let i = 0; i < starts.length; i++) {
    const start = starts[i]
    if (!start) return null
    const [h, m] = start.split(':').map(Number) as [number, number]
    const from = h * 60 + m
    if (minute >= from && minute < from + length) return i + 1
  }
  return null
}
