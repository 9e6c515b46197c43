/**
 * Live updates: a small bus that tells open pages (the room screen, the
 * participants' phones) that something of an event changed, so they refresh
 * within seconds instead of on a reload.
 *
 *   publishChange(db, eventId, 'schedule')        // after a publication
 *   const stop = liveBus(db).subscribe(eventId, (change) => …)
 *
 * One bus per database handle (the domain code that changes things holds `db`,
 * not the app): in-process by default (SQLite, one process). When the service
 * runs on PostgreSQL, `listenForChanges(db, url)` gives the bus a dedicated
 * connection that LISTENs on a channel, and every change is also sent with
 * NOTIFY through `db`: a change made in one process reaches the pages served
 * by every other. A process delivers its own changes at once and skips their
 * echo from the channel. After the listening connection is lost and made
 * again, subscribers get a 'resync' change: what happened meanwhile was missed.
 */
import { randomBytes } from 'node:crypto'
import { sql, type Kysely } from 'kysely'
import pg from 'pg'

/** What changed: the published schedule, the room clock, the event's settings, or unknown (missed: refetch all). */
export type ChangeKind = 'schedule' | 'clock' | 'event' | 'resync'

export interface LiveChange {
  /** '*' for a resync, which concerns every event */
  eventId: string
  kind: ChangeKind
}

type Listener = (change: LiveChange) => void

export const DEFAULT_CHANNEL = 'rencontres_live'

export class LiveBus {
  /** tells this process's changes from the others' on the channel */
  readonly origin = randomBytes(6).toString('hex')
  private readonly listeners = new Map<string, Set<Listener>>()
  private notifier: ((payload: string) => Promise<void>) | null = null
  private client: pg.Client | null = null
  private closed = false
  private retry: NodeJS.Timeout | null = null

  /** Calls `fn` on each change of `eventId` (and on a resync); returns the function that stops it. */
  subscribe(eventId: string, fn: Listener): () => void {
    let set = this.listeners.get(eventId)
    if (!set) this.listeners.set(eventId, (set = new Set()))
    set.add(fn)
    return () => {
      set.delete(fn)
      if (set.size === 0 && this.listeners.get(eventId) === set) this.listeners.delete(eventId)
    }
  }

  /** How many pages follow `eventId` in this process. */
  subscribers(eventId: string): number {
    return this.listeners.get(eventId)?.size ?? 0
  }

  /** Tells this process's subscribers, then the other processes (PostgreSQL). Never throws: a lost notice only delays a page. */
  async publish(eventId: string, kind: ChangeKind): Promise<void> {
    this.deliver({ eventId, kind })
    if (!this.notifier || this.closed) return
    try {
      await this.notifier(JSON.stringify({ o: this.origin, e: eventId, k: kind }))
    } catch (err) {
      console.error(`live: NOTIFY failed (${err instanceof Error ? err.message : String(err)}): pages of other processes catch up by polling`)
    }
  }

  private deliver(change: LiveChange): void {
    const targets = change.eventId === '*' ? [...this.listeners.values()] : [this.listeners.get(change.eventId)]
    for (const set of targets) {
      for (const fn of [...(set ?? [])]) {
        try {
          fn(change)
        } catch (err) {
          console.error('live: a subscriber failed', err)
        }
      }
    }
  }

  /**
   * Cross-process delivery on PostgreSQL: `notify` sends a payload (NOTIFY
   * through the app's pool), `connect` opens the dedicated LISTEN connection.
   * Resolves once listening.
   */
  async listen(options: { notify: (payload: string) => Promise<void>; connect: () => pg.Client; channel: string }): Promise<void> {
    this.notifier = options.notify
    // listen again a second after a loss (and again after each failed try); what changed meanwhile
    // was missed: every page refetches ('resync')
    const reconnect = () => {
      if (this.closed || this.retry) return
      this.retry = setTimeout(() => {
        this.retry = null
        open().then(
          () => this.deliver({ eventId: '*', kind: 'resync' }),
          () => reconnect(),
        )
      }, 1000)
      this.retry.unref()
    }
    const drop = (client: pg.Client) => {
      if (this.client !== client) return false
      this.client = null
      client.removeAllListeners('end')
      client.end().catch(() => undefined)
      return true
    }
    const open = async (): Promise<void> => {
      const client = options.connect()
      client.on('notification', (message) => {
        if (message.channel !== options.channel || !message.payload) return
        try {
          const { o, e, k } = JSON.parse(message.payload) as { o: string; e: string; k: ChangeKind }
          if (o !== this.origin && typeof e === 'string') this.deliver({ eventId: e, kind: k })
        } catch {
          // not one of ours
        }
      })
      const lost = () => {
        if (drop(client)) reconnect()
      }
      client.on('error', lost)
      client.on('end', lost)
      this.client = client
      try {
        await client.connect()
        await client.query(`LISTEN ${client.escapeIdentifier(options.channel)}`)
      } catch (err) {
        drop(client)
        throw err
      }
      if (this.closed) drop(client)
    }
    await open()
  }

  /** Ends the subscriptions (open streams close: see `onClose`) and the LISTEN connection. */
  async close(): Promise<void> {
    if (this.closed) return
    this.closed = true
    if (this.retry) clearTimeout(this.retry)
    this.listeners.clear()
    for (const fn of [...this.closeListeners]) {
      try {
        fn()
      } catch {
        // closing anyway
      }
    }
    this.closeListeners.clear()
    const client = this.client
    this.client = null
    if (client) {
      client.removeAllListeners('end')
      client.removeAllListeners('error')
      client.on('error', () => undefined)
      await client.end().catch(() => undefined)
    }
  }

  get isClosed(): boolean {
    return this.closed
  }

  private readonly closeListeners = new Set<() => void>()

  /** Calls `fn` once when the bus closes (an open stream ends then); returns the function that forgets it. */
  onClose(fn: () => void): () => void {
    this.closeListeners.add(fn)
    return () => {
      this.closeListeners.delete(fn)
    }
  }
}

const buses = new WeakMap<Kysely<any>, LiveBus>()

/** The bus of this database handle (made on first use). */
export function liveBus(db: Kysely<any>): LiveBus {
  let bus = buses.get(db)
  if (!bus) buses.set(db, (bus = new LiveBus()))
  return bus
}

/** Tells the open pages of `eventId` that `kind` changed. Fire and forget: never fails the caller's write. */
export function publishChange(db: Kysely<any>, eventId: string, kind: ChangeKind): void {
  void liveBus(db).publish(eventId, kind)
}

/**
 * On PostgreSQL: changes go to every process through NOTIFY on `channel`, and
 * this process LISTENs on a dedicated connection to `url` (closed by
 * `liveBus(db).close()`, on shutdown).
 */
export async function listenForChanges(db: Kysely<any>, url: string, channel = DEFAULT_CHANNEL): Promise<LiveBus> {
  const bus = liveBus(db)
  await bus.listen({
    channel,
    notify: async (payload) => {
      await sql`select pg_notify(${channel}, ${payload})`.execute(db)
    },
    connect: () => new pg.Client({ connectionString: url }),
  })
  return bus
}
