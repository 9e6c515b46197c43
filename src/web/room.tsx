/**
 * The room screen for a big screen: round, countdown, the clock times of the
 * round and of the break, who moves where next. The clock lives on the server
 * (room_states), so a reload or a second screen shows the same time; keys:
 * space, N, P, R, F. The screen follows publications, re-plans and the clock
 * live (`/salle/flux`: server-sent events, or the same state as JSON for its
 * polling fallback).
 */
import { createHash } from 'node:crypto'
import { Hono, type Context } from 'hono'
import type { Kysely } from 'kysely'
import { z } from 'zod'
import type { Database, Event } from '../db/schema.ts'
import { errorBody, requestLang } from '../errors.ts'
import { moveRoomClock, readRoomClock, roomActions, type RoomClock } from '../domain/room-clock.ts'
import { clockLabel, rangeLabel } from '../domain/time-labels.ts'
import { timetable } from '../domain/timetable.ts'
import { namesOf } from './components.tsx'
import { viewOf, type WebDeps } from './context.ts'
import { readJsonOrForm } from '../http/body.ts'
import { formatDate, type Lang } from './i18n.ts'
import { liveStream, wantsEventStream } from './live-stream.ts'
import type { View } from './layout.tsx'
import { organiserOf } from './organiser/index.ts'
import { eventParticipants, organiserEvent, parseBreaks, publishedSchedule, scheduleMeetings } from './queries.ts'

const RoomActionBody = z.object({ action: z.enum(roomActions) })

export function roomPages(deps: WebDeps) {
  const { db, clock } = deps

  async function ownEvent(c: Context): Promise<Event | null> {
    const organiser = await organiserOf(c, deps)
    if (!organiser) return null
    return organiserEvent(db, organiser.auth, c.req.param('eventId') ?? '', 'room')
  }

  return new Hono()
    .get('/evenements/:eventId/salle', async (c) => {
      const view = viewOf(c)
      const organiser = await organiserOf(c, deps)
      if (!organiser) return c.redirect(`/connexion?next=${encodeURIComponent(new URL(c.req.url).pathname)}`, 303)
      const event = await organiserEvent(db, organiser.auth, c.req.param('eventId'), 'room')
      if (!event) return c.text(view.t('error.notFound'), 404)
      const data = await roomData(db, event, view.lang)
      return c.html(<RoomPage view={view} event={event} clock={await readRoomClock(db, event, clock())} data={data} />)
    })
    .get('/evenements/:eventId/salle/etat', async (c) => {
      const event = await ownEvent(c)
      if (!event) return c.json(errorBody('not_found', { fr: 'Événement introuvable', en: 'Event not found' }, requestLang(c)), 404)
      return c.json(await readRoomClock(db, event, clock()), 200)
    })
    // live: server-sent events (clock, data) for the screen; JSON of the same for its polling fallback
    .get('/evenements/:eventId/salle/flux', async (c) => {
      const event = await ownEvent(c)
      if (!event) return c.json({ error: { code: 'not_found', message: 'Événement introuvable / Event not found' } }, 404)
      const lang = viewOf(c).lang
      if (!wantsEventStream(c)) {
        const current = await roomData(db, event, lang)
        const data = c.req.query('stamp') === current.stamp ? null : current
        return c.json({ clock: await readRoomClock(db, event, clock()), stamp: current.stamp, data }, 200)
      }
      return liveStream(c, db, event.id, async (kinds) => {
        // the account may have been revoked since the screen connected: then the stream ends;
        // else the event as it is now (its times or breaks may have changed)
        const fresh = await ownEvent(c)
        if (!fresh) return null
        return [
          ...(kinds.has('schedule') || kinds.has('event') ? [{ event: 'data', data: await roomData(db, fresh, lang) }] : []),
          ...(kinds.has('clock') || kinds.has('event') ? [{ event: 'clock', data: await readRoomClock(db, fresh, clock()) }] : []),
        ]
      })
    })
    .post('/evenements/:eventId/salle/etat', async (c) => {
      const event = await ownEvent(c)
      if (!event) return c.json(errorBody('not_found', { fr: 'Événement introuvable', en: 'Event not found' }, requestLang(c)), 404)
      const type = c.req.header('content-type') ?? ''
      const json = type.includes('json')
      const parsed = RoomActionBody.safeParse(await readJsonOrForm(c))
      if (!parsed.success) {
        return c.json(
          errorBody('validation_failed', { fr: 'Action inconnue', en: 'Unknown action' }, requestLang(c), [{ path: 'action', message: { fr: `actions possibles : ${roomActions.join(', ')}`, en: `possible actions: ${roomActions.join(', ')}` } }]),
          422,
        )
      }
      const state = await moveRoomClock(db, event, parsed.data.action, clock())
      // Without JavaScript the buttons are plain forms: go back to the screen.
      if (!json) return c.redirect(`/evenements/${encodeURIComponent(event.id)}/salle`, 303)
      return c.json(state, 200)
    })
}

/** The published rotation as the screen script reads it: per round, who sits where, and the clock times. */
interface RoomData {
  /** changes with the published version and the timetable: the polling fallback asks for the data again then */
  stamp: string
  seated: 'association' | 'company'
  breaks: { afterRound: number; minutes: number }[]
  /** rounds[r - 1] = [{ table, seated, moving }] */
  rounds: { table: number; seated: string; moving: string }[][]
  /** the timetable's clock times in the screen's language (« 18 h 52 – 18 h 59 »); null without a start time */
  times: { start: string; rounds: string[]; breaks: Record<string, string> } | null
}

async function roomData(db: Kysely<Database>, event: Event, lang: Lang): Promise<RoomData> {
  const schedule = await publishedSchedule(db, event.id)
  const meetings = schedule ? await scheduleMeetings(db, schedule.id) : []
  const names = namesOf(await eventParticipants(db, event.id))
  const rounds: RoomData['rounds'] = Array.from({ length: event.rounds }, () => [])
  for (const m of meetings) {
    const [seatedId, movingId] =
      event.seated_side === 'company' ? [m.company_registration_id, m.association_registration_id] : [m.association_registration_id, m.company_registration_id]
    rounds[m.round - 1]?.push({ table: m.table_no, seated: names.get(seatedId) ?? '?', moving: names.get(movingId) ?? '?' })
  }
  const table = timetable(event)
  const times = table && {
    start: clockLabel(lang, table.rounds[0]?.from ?? event.start_time ?? ''),
    rounds: table.rounds.map((r) => rangeLabel(lang, r.from, r.to)),
    breaks: Object.fromEntries(table.breaks.map((b) => [String(b.afterRound), rangeLabel(lang, b.from, b.to)])),
  }
  const stamp = `${schedule?.id ?? ''}:${createHash('sha256').update(JSON.stringify([times, event.rounds, event.seated_side])).digest('hex').slice(0, 12)}`
  return { stamp, seated: event.seated_side, breaks: parseBreaks(event.breaks), rounds, times }
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
    // the clock's colour is never the only sign (RGAA 3.1): the state line says it too
    low: lang === 'fr' ? 'Dernière minute' : 'Last minute',
    over: lang === 'fr' ? 'Temps écoulé' : 'Time is up',
    moves: t('room.moves', { name: '{name}', table: '{table}' }),
    tableLine: `${t('rotation.table')} {table} : {seated} — {moving}`,
    noSchedule: t('room.noSchedule'),
    next: t('room.next'),
    tables: t('room.tables'),
    start: t('room.start'),
    pause: t('room.pause'),
    roundTime: t('room.roundTime', { round: '{round}', time: '{time}' }),
    breakTime: t('room.breakTime', { time: '{time}' }),
    startsAt: t('room.startsAt', { time: '{time}' }),
    then: t('room.then', { first: '{first}', second: '{second}' }),
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
            <p id="room-when" class="when"></p>
            <span class="event">
              {event.title} · {formatDate(lang, event.date)}
            </span>
          </header>
          <main>
            <div id="room-clock" class="clock" role="timer" aria-live="off">
              {String(event.meeting_minutes).padStart(2, '0')}:00
            </div>
            <div id="room-state" class="state" role="status"></div>
            <div class="panels">
              <section aria-labelledby="room-now-title">
                <h2 id="room-now-title">{t('room.tables')}</h2>
                <ol id="room-now"></ol>
              </section>
              <section aria-labelledby="room-next-title">
                <h2 id="room-next-title">{t('room.next')}</h2>
                <p id="room-next-when" class="when"></p>
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
          dangerouslySetInnerHTML={{ __html: jsonForScript({ stateUrl: `${base}/etat`, streamUrl: `${base}/flux`, clock, data, messages }) }}
        ></script>
        <script src="/static/room.js" defer></script>
      </body>
    </html>
  )
}
