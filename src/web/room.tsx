/**
 * The room screen for a big screen: round, countdown, who moves where next,
 * breaks. The clock lives on the server (room_states), so a reload or a
 * second screen shows the same time; keys: space, N, P, R, F.
 */
import { Hono, type Context } from 'hono'
import type { Kysely } from 'kysely'
import type { Database, Event, RoomState } from '../db/schema.ts'
import { namesOf } from './components.tsx'
import { viewOf, type WebDeps } from './context.ts'
import { readJsonOrForm } from '../http/body.ts'
import { formatDate } from './i18n.ts'
import type { View } from './layout.tsx'
import { organiserOf } from './organiser.tsx'
import { eventParticipants, organiserEvent, parseBreaks, publishedSchedule, roomState, scheduleMeetings } from './queries.ts'

export type RoomAction = 'toggle' | 'start' | 'pause' | 'next' | 'previous' | 'restart'
const actions: RoomAction[] = ['toggle', 'start', 'pause', 'next', 'previous', 'restart']

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

interface ClockRow {
  round: number
  on_break: number
  running_since: string | null
  elapsed_ms: number
}

const initial: ClockRow = { round: 0, on_break: 0, running_since: null, elapsed_ms: 0 }

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
      if (row.round <= 1) return initial
      return { round: row.round - 1, on_break: 0, running_since: null, elapsed_ms: 0 }
  }
}

export function roomClock(row: ClockRow | null, event: Pick<Event, 'rounds' | 'breaks' | 'meeting_minutes'>, now: Date): RoomClock {
  const r = row ?? initial
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

async function saveClock(db: Kysely<Database>, eventId: string, row: ClockRow, now: Date): Promise<void> {
  const values = { ...row, updated_at: now.toISOString() }
  await db
    .insertInto('room_states')
    .values({ event_id: eventId, ...values })
    .onConflict((oc) => oc.column('event_id').doUpdateSet(values))
    .execute()
}

export function roomPages(deps: WebDeps) {
  const { db, clock } = deps

  async function ownEvent(c: Context): Promise<Event | null> {
    const organiser = await organiserOf(c, deps)
    if (!organiser) return null
    return organiserEvent(db, organiser.organiserId, c.req.param('eventId') ?? '')
  }

  return new Hono()
    .get('/evenements/:eventId/salle', async (c) => {
      const view = viewOf(c)
      const organiser = await organiserOf(c, deps)
      if (!organiser) return c.redirect(`/connexion?next=${encodeURIComponent(new URL(c.req.url).pathname)}`, 303)
      const event = await organiserEvent(db, organiser.organiserId, c.req.param('eventId'))
      if (!event) return c.text(view.t('error.notFound'), 404)
      const state = await roomState(db, event.id)
      const data = await roomData(db, event)
      return c.html(<RoomPage view={view} event={event} clock={roomClock(state, event, clock())} data={data} />)
    })
    .get('/evenements/:eventId/salle/etat', async (c) => {
      const event = await ownEvent(c)
      if (!event) return c.json({ error: { code: 'not_found', message: 'Événement introuvable / Event not found' } }, 404)
      return c.json(roomClock(await roomState(db, event.id), event, clock()), 200)
    })
    .post('/evenements/:eventId/salle/etat', async (c) => {
      const event = await ownEvent(c)
      if (!event) return c.json({ error: { code: 'not_found', message: 'Événement introuvable / Event not found' } }, 404)
      const type = c.req.header('content-type') ?? ''
      const body = await readJsonOrForm(c)
      const action = body.action
      if (typeof action !== 'string' || !actions.includes(action as RoomAction)) {
        return c.json(
          { error: { code: 'validation_failed', message: 'Action inconnue / Unknown action', issues: [{ path: 'action', message: actions.join(', ') }] } },
          422,
        )
      }
      const now = clock()
      // read and write in one transaction: two screens pressing at once do not lose a step
      const next = await db.transaction().execute(async (trx) => {
        const row = applyRoomAction((await roomState(trx, event.id)) ?? initial, action as RoomAction, event, now)
        await saveClock(trx, event.id, row, now)
        return row
      })
      const state = roomClock(next, event, now)
      // Without JavaScript the buttons are plain forms: go back to the screen.
      if (!type.includes('json')) return c.redirect(`/evenements/${encodeURIComponent(event.id)}/salle`, 303)
      return c.json(state, 200)
    })
}

/** The published rotation as the screen script reads it: per round, who sits where. */
interface RoomData {
  seated: 'association' | 'company'
  breaks: { afterRound: number; minutes: number }[]
  /** rounds[r - 1] = [{ table, seated, moving }] */
  rounds: { table: number; seated: string; moving: string }[][]
}

async function roomData(db: Kysely<Database>, event: Event): Promise<RoomData> {
  const schedule = await publishedSchedule(db, event.id)
  const meetings = schedule ? await scheduleMeetings(db, schedule.id) : []
  const names = namesOf(await eventParticipants(db, event.id))
  const rounds: RoomData['rounds'] = Array.from({ length: event.rounds }, () => [])
  for (const m of meetings) {
    const [seatedId, movingId] =
      event.seated_side === 'company' ? [m.company_registration_id, m.association_registration_id] : [m.association_registration_id, m.company_registration_id]
    rounds[m.round - 1]?.push({ table: m.table_no, seated: names.get(seatedId) ?? '?', moving: names.get(movingId) ?? '?' })
  }
  return { seated: event.seated_side, breaks: parseBreaks(event.breaks), rounds }
}

function jsonForScript(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029')
}

const RoomPage = ({ view, event, clock, data }: { view: View; event: Event; clock: RoomClock; data: RoomData }) => {
  const { t, lang } = view
  const base = `/evenements/${encodeURIComponent(event.id)}/salle`
  const messages = {
    round: t('room.round', { round: '{round}', rounds: '{rounds}' }),
    break: t('room.break'),
    before: t('room.before'),
    finished: t('room.finished'),
    paused: t('room.paused'),
    moves: t('room.moves', { name: '{name}', table: '{table}' }),
    tableLine: `${t('rotation.table')} {table} : {seated} — {moving}`,
    noSchedule: t('room.noSchedule'),
    next: t('room.next'),
    tables: t('room.tables'),
    start: t('room.start'),
    pause: t('room.pause'),
  }
  return (
    <html lang={lang}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{`${t('room.title')} — ${event.title}`}</title>
        <link rel="stylesheet" href="/static/room.css" />
      </head>
      <body>
        <div class="room" data-room>
          <header>
            <h1 id="room-round" aria-live="polite">
              {t('room.before')}
            </h1>
            <span class="event">
              {event.title} · {formatDate(lang, event.date)}
            </span>
          </header>
          <main>
            <div id="room-clock" class="clock" role="timer" aria-live="off">
              {String(event.meeting_minutes).padStart(2, '0')}:00
            </div>
            <div id="room-state" class="state"></div>
            <div class="panels">
              <section aria-labelledby="room-now-title">
                <h2 id="room-now-title">{t('room.tables')}</h2>
                <ol id="room-now"></ol>
              </section>
              <section aria-labelledby="room-next-title">
                <h2 id="room-next-title">{t('room.next')}</h2>
                <ul id="room-next"></ul>
              </section>
            </div>
          </main>
          <footer class="controls">
            {(
              [
                ['toggle', `${t('room.start')} / ${t('room.pause')}`],
                ['previous', t('room.prevRound')],
                ['next', t('room.nextRound')],
                ['restart', t('room.restart')],
              ] as const
            ).map(([action, label]) => (
              <form method="post" action={`${base}/etat`}>
                <input type="hidden" name="action" value={action} />
                <button type="submit" data-action={action}>
                  {label}
                </button>
              </form>
            ))}
            <span class="keys">{t('room.keys')}</span>
          </footer>
        </div>
        <script
          type="application/json"
          id="room-data"
          dangerouslySetInnerHTML={{ __html: jsonForScript({ stateUrl: `${base}/etat`, clock, data, messages }) }}
        ></script>
        <script src="/static/room.js" defer></script>
      </body>
    </html>
  )
}
