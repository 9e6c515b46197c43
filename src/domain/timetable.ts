/**
 * The evening's clock times: one timetable from the event's date, start time,
 * meeting and transition minutes and breaks, in the venue's time zone
 * (Europe/Paris). Round start labels are the ones of `roundStartTimes`
 * (schedule views and CSV); this adds the end of each meeting, the breaks and
 * absolute instants (for calendars and e-mails), daylight saving included.
 */
import { parseBreaks } from '../db/repositories/events.repository.ts'
import type { Event } from '../db/schema.ts'

export const VENUE_TIME_ZONE = 'Europe/Paris'

export type TimetableEvent = Pick<Event, 'date' | 'start_time' | 'rounds' | 'meeting_minutes' | 'transition_minutes' | 'breaks'>

export interface Slot {
  /** instants */
  start: Date
  end: Date
  /** wall-clock HH:MM at the venue */
  from: string
  to: string
}

export interface Timetable {
  /** index 0 = round 1: the meeting itself (the transition after it is not included) */
  rounds: Slot[]
  breaks: (Slot & { afterRound: number })[]
  /** end of the last meeting */
  end: Date
}

/** The timetable, or null when the event has no start time. */
export function timetable(event: TimetableEvent, timeZone = VENUE_TIME_ZONE): Timetable | null {
  const match = event.start_time ? /^(\d{1,2}):(\d{2})$/.exec(event.start_time) : null
  const day = /^(\d{4})-(\d{2})-(\d{2})$/.exec(event.date)
  if (!match || !day) return null
  const [y, m, d] = [Number(day[1]), Number(day[2]), Number(day[3])]
  const slot = (fromMinute: number, toMinute: number): Slot => ({
    start: wallTimeToInstant(y, m, d, fromMinute, timeZone),
    end: wallTimeToInstant(y, m, d, toMinute, timeZone),
    from: hhmm(fromMinute),
    to: hhmm(toMinute),
  })
  const breaks = parseBreaks(event.breaks)
  const rounds: Slot[] = []
  const pauses: Timetable['breaks'] = []
  let minute = Number(match[1]) * 60 + Number(match[2])
  for (let round = 1; round <= event.rounds; round++) {
    rounds.push(slot(minute, minute + event.meeting_minutes))
    minute += event.meeting_minutes + event.transition_minutes
    for (const b of breaks) {
      if (b.afterRound !== round || b.minutes <= 0) continue
      pauses.push({ ...slot(minute, minute + b.minutes), afterRound: round })
      minute += b.minutes
    }
  }
  const last = rounds[rounds.length - 1]
  return { rounds, breaks: pauses, end: last ? last.end : wallTimeToInstant(y, m, d, minute, timeZone) }
}

function hhmm(minute: number): string {
  return `${String(Math.floor(minute / 60) % 24).padStart(2, '0')}:${String(minute % 60).padStart(2, '0')}`
}

/** The instant at which clocks in `timeZone` show that day plus `minute` minutes after midnight. */
export function wallTimeToInstant(year: number, month: number, day: number, minute: number, timeZone: string): Date {
  const wall = Date.UTC(year, month - 1, day, 0, minute)
  // the zone's offset at a first guess, then at the corrected instant (right across DST changes)
  let instant = wall - offsetMs(new Date(wall), timeZone)
  instant = wall - offsetMs(new Date(instant), timeZone)
  return new Date(instant)
}

function offsetMs(at: Date, timeZone: string): number {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-CA', {
      timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23',
    })
      .formatToParts(at)
      .map((p) => [p.type, Number(p.value)]),
  ) as Record<string, number>
  const asUtc = Date.UTC(parts.year!, parts.month! - 1, parts.day!, parts.hour!, parts.minute!, parts.second!)
  return asUtc - Math.floor(at.getTime() / 1000) * 1000
}

/** "jeudi 3 décembre 2026" / "Thursday 3 December 2026" */
export function longDate(date: string, lang: 'fr' | 'en'): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number]
  return new Intl.DateTimeFormat(lang === 'fr' ? 'fr-FR' : 'en-GB', { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' }).format(
    new Date(Date.UTC(y, m - 1, d, 12)),
  )
}
