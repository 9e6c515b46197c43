/**
 * The room screen's clock: the round under way, breaks, a timer that can be
 * paused. It lives on the server (room_states) so that a reload or a second
 * screen shows the same time. Each action is applied to the row as read and
 * written back only if the row still holds that (compare-and-set); a writer
 * that lost the race reads again and retries, so N concurrent "next" move the
 * clock N steps. After `attempts` lost races the action answers 409.
 */
import type { Kysely } from 'kysely'
import { parseBreaks } from '../db/repositories/events.repository.ts'
import { findRoomState, insertRoomState, replaceRoomState, type ClockValues } from '../db/repositories/room-states.repository.ts'
import type { Database, Event } from '../db/schema.ts'
import { AppError } from '../errors.ts'
import { publishChange } from './live.ts'

export const roomActions = ['toggle', 'start', 'pause', 'next', 'previous', 'restart'] as const
export type RoomAction = (typeof roomActions)[number]

/** What the screen needs to draw the clock; times in milliseconds. */
export interface RoomClock {
  round: number
  rounds: number
  onBreak: boolean
  running: boolean
  /** time elapsed in the current round or break, at serverNow */
  elapsedMs: number
  durationMs: number
  serverNow: string
}

export type ClockRow = ClockValues

/** No row yet: before the first round. */
export const initialClock: ClockRow = { round: 0, on_break: 0, running_since: null, elapsed_ms: 0 }

function elapsed(row: ClockRow, now: Date): number {
  return row.elapsed_ms + (row.running_since ? Math.max(0, now.getTime() - Date.parse(row.running_since)) : 0)
}

/** The next clock after an action; pure, so it is tested without a browser. */
export function applyRoomAction(row: ClockRow, action: RoomAction, event: Pick<Event, 'rounds' | 'breaks'>, now: Date): ClockRow {
  const nowIso = now.toISOString()
  const running = row.running_since !== null
  const breaks = parseBreaks(event.breaks)
  const startRound = (round: number): ClockRow => ({ round, on_break: 0, running_since: nowIso, elapsed_ms: 0 })
  switch (action) {
    case 'toggle':
      return running ? applyRoomAction(row, 'pause', event, now) : applyRoomAction(row, 'start', event, now)
    case 'start':
      if (row.round === 0) return startRound(1)
      if (running || row.round > event.rounds) return row
      return { ...row, running_since: nowIso }
    case 'pause':
      if (!running) return row
      return { ...row, elapsed_ms: elapsed(row, now), running_since: null }
    case 'restart':
      return { ...row, elapsed_ms: 0, running_since: running ? nowIso : null }
    case 'next': {
      if (row.round === 0) return startRound(1)
      if (row.round > event.rounds) return row
      const pause = breaks.find((b) => b.afterRound === row.round)
      if (!row.on_break && pause && row.round < event.rounds) return { round: row.round, on_break: 1, running_since: nowIso, elapsed_ms: 0 }
      if (row.round < event.rounds) return startRound(row.round + 1)
      return { round: event.rounds + 1, on_break: 0, running_since: null, elapsed_ms: 0 }
    }
    case 'previous':
      if (row.on_break) return { ...row, on_break: 0, running_since: null, elapsed_ms: 0 }
      if (row.round > event.rounds) return { round: event.rounds, on_break: 0, running_since: null, elapsed_ms: 0 }
      if (row.round <= 1) return initialClock
      return { round: row.round - 1, on_break: 0, running_since: null, elapsed_ms: 0 }
  }
}

export function roomClock(row: ClockRow | null, event: Pick<Event, 'rounds' | 'breaks' | 'meeting_minutes'>, now: Date): RoomClock {
  const r = row ?? initialClock
  const pause = parseBreaks(event.breaks).find((b) => b.afterRound === r.round)
  const minutes = r.on_break && pause ? pause.minutes : event.meeting_minutes
  return {
    round: r.round,
    rounds: event.rounds,
    onBreak: r.on_break === 1,
    running: r.running_since !== null,
    elapsedMs: elapsed(r, now),
    durationMs: minutes * 60_000,
    serverNow: now.toISOString(),
  }
}

/** The event's clock as the screen shows it. */
export async function readRoomClock(db: Kysely<Database>, event: Event, now: Date): Promise<RoomClock> {
  return roomClock(await findRoomState(db, event.id), event, now)
}

/** Applies `action` to the event's clock and answers the clock after it; 409 'conflict' after `attempts` lost races. */
export async function moveRoomClock(db: Kysely<Database>, event: Event, action: RoomAction, now: Date, attempts = 20): Promise<RoomClock> {
  const at = now.toISOString()
  for (let i = 0; i < attempts; i++) {
    const read = await findRoomState(db, event.id)
    const next = applyRoomAction(read ?? initialClock, action, event, now)
    const written = read ? await replaceRoomState(db, read, next, at) : await insertRoomState(db, event.id, next, at)
    if (written) {
      // other screens and the participants' pages follow the clock
      publishChange(db, event.id, 'clock')
      return roomClock(next, event, now)
    }
  }
  throw new AppError(
    'conflict',
    { fr: "L'horloge de la salle a changé pendant l'action : rechargez et réessayez", en: "The room clock kept changing during the action: reload and try again" },
  )
}
