/**
 * Server-sent events for the pages that follow an event live (the room screen,
 * the participants' pages), through Hono's streaming helper. A stream sends
 * what the page needs on connect, then again after each change the live bus
 * reports for the event (src/domain/live.ts), and a comment line every 15 s so
 * proxies keep the connection open. It ends when the page goes away or the bus
 * closes (server shutdown), so open streams never hold a shutdown up.
 *
 * A request that does not accept text/event-stream gets the same state once,
 * as JSON: what the pages' polling fallback reads when EventSource fails.
 */
import type { Context } from 'hono'
import { streamSSE } from 'hono/streaming'
import type { Kysely } from 'kysely'
import { liveBus, type ChangeKind } from '../domain/live.ts'

export interface LiveMessage {
  event: string
  data: unknown
}

export const HEARTBEAT_MS = 15_000

export function wantsEventStream(c: Context): boolean {
  return (c.req.header('accept') ?? '').includes('text/event-stream')
}

/**
 * `messages(kinds)`: what to send for these changes (on connect: every kind);
 * null ends the stream (the caller's access was revoked meanwhile). Changes
 * that arrive together are sent once.
 */
export function liveStream(c: Context, db: Kysely<any>, eventId: string, messages: (kinds: Set<ChangeKind>) => Promise<LiveMessage[] | null>): Response {
  c.header('Cache-Control', 'no-store')
  // no buffering by a reverse proxy (nginx): each message leaves at once
  c.header('X-Accel-Buffering', 'no')
  return streamSSE(c, async (stream) => {
    const bus = liveBus(db)
    if (bus.isClosed) return
    const pending = new Set<ChangeKind>()
    let done = false
    let wake: (() => void) | null = null
    const poke = () => {
      const w = wake
      wake = null
      w?.()
    }
    const unsubscribe = bus.subscribe(eventId, (change) => {
      pending.add(change.kind)
      poke()
    })
    const forget = bus.onClose(() => {
      done = true
      poke()
    })
    stream.onAbort(() => {
      done = true
      poke()
    })
    const send = async (kinds: Set<ChangeKind>) => {
      const list = await messages(kinds)
      if (list === null) done = true
      for (const m of list ?? []) await stream.writeSSE({ event: m.event, data: JSON.stringify(m.data) })
    }
    try {
      // the browser reconnects 2 s after a lost connection
      await stream.write('retry: 2000\n\n')
      await send(new Set(['schedule', 'clock', 'event']))
      while (!done && !stream.aborted && !stream.closed) {
        if (pending.size === 0) {
          let timer: NodeJS.Timeout | undefined
          await new Promise<void>((resolve) => {
            wake = resolve
            timer = setTimeout(resolve, HEARTBEAT_MS)
          })
          clearTimeout(timer)
        }
        if (done || stream.aborted) break
        if (pending.size === 0) {
          await stream.write(': ping\n\n')
          continue
        }
        const kinds = new Set(pending)
        pending.clear()
        await send(kinds.has('resync') || kinds.has('event') ? new Set(['schedule', 'clock', 'event']) : kinds)
      }
    } finally {
      unsubscribe()
      forget()
    }
  })
}
