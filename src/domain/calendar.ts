/**
 * A participant's agenda as an iCalendar file (RFC 5545): one VEVENT per
 * meeting of the published schedule, in UTC. The UID names the event and the
 * pair, so a re-plan that moves a pair keeps its UID; SEQUENCE counts the
 * changes of that pair's round or table over the schedule versions up to the
 * published one, so calendars update the entry instead of adding one. A pair
 * dropped by a re-plan comes back as STATUS:CANCELLED.
 */
import type { Kysely } from 'kysely'
import { listRegistrations } from '../db/repositories/registrations.repository.ts'
import { publishedSchedule } from '../db/repositories/schedules.repository.ts'
import type { Database, Event } from '../db/schema.ts'
import { timetable } from './timetable.ts'

export interface AgendaEntry {
  uid: string
  sequence: number
  cancelled: boolean
  round: number
  table: number
  start: Date
  end: Date
  /** the other side */
  organisation: string
  personName: string
  shortCode: string
}

/** The meetings of `registrationId` with their UIDs and sequences; null without a published schedule or start time. */
export async function participantAgenda(db: Kysely<Database>, event: Event, registrationId: string): Promise<AgendaEntry[] | null> {
  const published = await publishedSchedule(db, event.id)
  const times = timetable(event)
  if (!published || !times) return null
  const rows = await db
    .selectFrom('meetings')
    .innerJoin('schedules', 'schedules.id', 'meetings.schedule_id')
    .select([
      'schedules.version', 'meetings.round', 'meetings.table_no', 'meetings.short_code',
      'meetings.association_registration_id as a', 'meetings.company_registration_id as c',
    ])
    .where('schedules.event_id', '=', event.id)
    .where('schedules.version', '<=', published.version)
    .where((eb) => eb.or([eb('meetings.association_registration_id', '=', registrationId), eb('meetings.company_registration_id', '=', registrationId)]))
    .orderBy('schedules.version')
    .execute()
  const versions = (
    await db.selectFrom('schedules').select('version').where('event_id', '=', event.id).where('version', '<=', published.version).orderBy('version').execute()
  ).map((v) => v.version)

  type Place = { round: number; table: number; code: string }
  const pairs = new Map<string, { a: string; c: string; byVersion: Map<number, Place> }>()
  for (const r of rows) {
    const key = `${r.a}.${r.c}`
    const pair = pairs.get(key) ?? { a: r.a, c: r.c, byVersion: new Map() }
    pair.byVersion.set(r.version, { round: r.round, table: r.table_no, code: r.short_code })
    pairs.set(key, pair)
  }
  const others = new Map((await listRegistrations(db, event.id)).map((r) => [r.id, r]))
  const out: AgendaEntry[] = []
  for (const [key, pair] of pairs) {
    let sequence = 0
    let seen: string | null = null
    let last: Place | null = null
    for (const v of versions) {
      const place = pair.byVersion.get(v)
      const print = place ? `${place.round}/${place.table}` : '-'
      if (seen !== null && print !== seen) sequence++
      if (place || seen !== null) seen = print
      if (place) last = place
    }
    if (!last) continue
    const slot = times.rounds[last.round - 1]
    if (!slot) continue
    const other = others.get(pair.a === registrationId ? pair.c : pair.a)
    out.push({
      uid: `${event.id}.${key}@rencontres-asso-entreprise`,
      sequence,
      cancelled: !pair.byVersion.has(published.version),
      round: last.round,
      table: last.table,
      start: slot.start,
      end: slot.end,
      organisation: other?.organisation.name ?? '?',
      personName: other?.person_name ?? '?',
      shortCode: last.code,
    })
  }
  return out.sort((x, y) => x.round - y.round || Number(x.cancelled) - Number(y.cancelled))
}

/** The .ics text of an agenda. */
export function agendaIcs(event: Pick<Event, 'id' | 'title' | 'venue'>, entries: AgendaEntry[], now: Date): string {
  const lines = [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//Rencontres associations-entreprises//FR',
    'CALSCALE:GREGORIAN',
    'METHOD:PUBLISH',
    `X-WR-CALNAME:${text(event.title)}`,
  ]
  for (const e of entries) {
    const place = event.venue ? `${event.venue}, table ${e.table}` : `Table ${e.table}`
    lines.push(
      'BEGIN:VEVENT',
      `UID:${e.uid}`,
      `SEQUENCE:${e.sequence}`,
      `DTSTAMP:${utc(now)}`,
      `DTSTART:${utc(e.start)}`,
      `DTEND:${utc(e.end)}`,
      `SUMMARY:${text(`Rencontre / Meeting: ${e.organisation} (${e.personName})`)}`,
      `LOCATION:${text(place)}`,
      `DESCRIPTION:${text(`${event.title}\nRencontre ${e.round}, table ${e.table}, code ${e.shortCode}\nRound ${e.round}, table ${e.table}, code ${e.shortCode}`)}`,
      `STATUS:${e.cancelled ? 'CANCELLED' : 'CONFIRMED'}`,
      'TRANSP:OPAQUE',
      'END:VEVENT',
    )
  }
  lines.push('END:VCALENDAR')
  return lines.map(fold).join('\r\n') + '\r\n'
}

function utc(d: Date): string {
  return d.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '')
}

/** TEXT values: backslash, semicolon, comma and newlines escaped (RFC 5545 3.3.11). */
export function text(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/;/g, '\\;').replace(/,/g, '\\,').replace(/\r?\n/g, '\\n')
}

/** Lines longer than 75 octets are folded with CRLF + space, never inside a UTF-8 character (RFC 5545 3.1). */
export function fold(line: string): string {
  const parts: string[] = []
  let current = ''
  let octets = 0
  for (const ch of line) {
    const size = Buffer.byteLength(ch, 'utf8')
    // continuation lines start with a space, which counts in their 75 octets
    const limit = parts.length === 0 ? 75 : 74
    if (octets + size > limit) {
      parts.push(current)
      current = ''
      octets = 0
    }
    current += ch
    octets += size
  }
  parts.push(current)
  return parts.join('\r\n ')
}

/** Before a schedule exists: the evening as one VEVENT (all day without a start time). */
export function eveningIcs(event: Pick<Event, 'id' | 'title' | 'venue' | 'date' | 'start_time' | 'rounds' | 'meeting_minutes' | 'transition_minutes' | 'breaks'>, now: Date): string {
  const times = timetable(event)
  const when = times
    ? [`DTSTART:${utc(times.rounds[0]?.start ?? times.end)}`, `DTEND:${utc(times.end)}`]
    : [`DTSTART;VALUE=DATE:${event.date.replace(/-/g, '')}`]
  const lines = [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//Rencontres associations-entreprises//FR',
    'CALSCALE:GREGORIAN',
    'METHOD:PUBLISH',
    'BEGIN:VEVENT',
    `UID:${event.id}.soiree@rencontres-asso-entreprise`,
    'SEQUENCE:0',
    `DTSTAMP:${utc(now)}`,
    ...when,
    `SUMMARY:${text(event.title)}`,
    ...(event.venue ? [`LOCATION:${text(event.venue)}`] : []),
    'STATUS:CONFIRMED',
    'END:VEVENT',
    'END:VCALENDAR',
  ]
  return lines.map(fold).join('\r\n') + '\r\n'
}
