import type { Kysely, Transaction, Updateable } from 'kysely'
import { newId } from '../ids.ts'
import { patchColumns, type ColumnsOf } from '../patch.ts'
import type { Database, Event, EventStatus, EventTable, MetBeforePolicy, Side } from '../schema.ts'

type Db = Kysely<Database> | Transaction<Database>

export interface EventBreak {
  afterRound: number
  minutes: number
}

export interface EventDto {
  id: string
  title: string
  date: string
  venue: string | null
  startTime: string | null
  rounds: number
  meetingMinutes: number
  transitionMinutes: number
  breaks: EventBreak[]
  tables: number | null
  seatedSide: Side
  status: EventStatus
  /** pairs that met at an earlier event of the network: forbid, penalise (by metBeforePenalty) or allow */
  metBefore: MetBeforePolicy
  metBeforePenalty: number
  /** pairs in a partnership not abandoned */
  activePartnerships: MetBeforePolicy
  archivedAt: string | null
  createdAt: string
  updatedAt: string
}

export interface EventFields {
  title: string
  date: string
  venue?: string | null | undefined
  startTime?: string | null | undefined
  rounds: number
  meetingMinutes: number
  transitionMinutes: number
  breaks: EventBreak[]
  tables?: number | null | undefined
  seatedSide: Side
  metBefore?: MetBeforePolicy | undefined
  metBeforePenalty?: number | undefined
  activePartnerships?: MetBeforePolicy | undefined
}

/** `[{ afterRound, minutes }]` from the events.breaks column; anything else in it is ignored. */
export function parseBreaks(json: string): EventBreak[] {
  try {
    const value: unknown = JSON.parse(json)
    if (!Array.isArray(value)) return []
    return value.flatMap((b: unknown) => {
      if (typeof b !== 'object' || b === null) return []
      const { afterRound, minutes } = b as Record<string, unknown>
      return typeof afterRound === 'number' && typeof minutes === 'number' ? [{ afterRound, minutes }] : []
    })
  } catch {
    return []
  }
}

export function toEventDto(row: Event): EventDto {
  return {
    id: row.id,
    title: row.title,
    date: row.date,
    venue: row.venue,
    startTime: row.start_time,
    rounds: row.rounds,
    meetingMinutes: row.meeting_minutes,
    transitionMinutes: row.transition_minutes,
    breaks: parseBreaks(row.breaks),
    tables: row.tables,
    seatedSide: row.seated_side,
    status: row.status,
    metBefore: row.met_before,
    metBeforePenalty: row.met_before_penalty,
    activePartnerships: row.active_partnerships,
    archivedAt: row.archived_at,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  }
}

export async function createEvent(
  db: Kysely<Database>,
  networkId: string,
  fields: EventFields,
  now: string,
  status: EventStatus = 'draft',
): Promise<Event> {
  const row: Event = {
    id: newId(),
    network_id: networkId,
    title: fields.title,
    date: fields.date,
    venue: fields.venue ?? null,
    start_time: fields.startTime ?? null,
    rounds: fields.rounds,
    meeting_minutes: fields.meetingMinutes,
    transition_minutes: fields.transitionMinutes,
    breaks: JSON.stringify(fields.breaks),
    tables: fields.tables ?? null,
    seated_side: fields.seatedSide,
    status,
    created_at: now,
    updated_at: now,
    met_before: fields.metBefore ?? 'forbid',
    met_before_penalty: fields.metBeforePenalty ?? 5,
    active_partnerships: fields.activePartnerships ?? 'forbid',
    archived_at: null,
  }
  await db.insertInto('events').values(row).execute()
  return row
}

const eventColumns: ColumnsOf<EventFields, EventTable> = {
  title: 'title',
  date: 'date',
  venue: 'venue',
  startTime: 'start_time',
  rounds: 'rounds',
  meetingMinutes: 'meeting_minutes',
  transitionMinutes: 'transition_minutes',
  breaks: { column: 'breaks', encode: (breaks) => JSON.stringify(breaks) },
  tables: 'tables',
  seatedSide: 'seated_side',
  metBefore: 'met_before',
  metBeforePenalty: 'met_before_penalty',
  activePartnerships: 'active_partnerships',
}

export async function updateEvent(db: Kysely<Database>, id: string, fields: { [K in keyof EventFields]?: EventFields[K] | undefined }, now: string): Promise<Event> {
  // the table's defaulted columns are plain values on update
  const set = patchColumns(fields, eventColumns) as unknown as Updateable<EventTable>
  await db.updateTable('events').set({ ...set, updated_at: now }).where('id', '=', id).execute()
  return db.selectFrom('events').selectAll().where('id', '=', id).executeTakeFirstOrThrow()
}

export async function findEvent(db: Db, id: string): Promise<Event | undefined> {
  return db.selectFrom('events').selectAll().where('id', '=', id).executeTakeFirst()
}

/**
 * Moves the event to `to` if its status is still one of `from` (and, with
 * `needsPublished`, a schedule is published), in one conditional UPDATE: of
 * concurrent writers, only those whose `from` still holds take effect.
 * Answers whether it did.
 */
export async function setEventStatus(
  db: Db,
  id: string,
  from: readonly EventStatus[],
  to: EventStatus,
  now: string,
  needsPublished = false,
): Promise<boolean> {
  let update = db.updateTable('events').set({ status: to, updated_at: now }).where('id', '=', id).where('status', 'in', from)
  if (needsPublished) {
    update = update.where((eb) =>
      eb.exists(eb.selectFrom('schedules').select('schedules.id').whereRef('schedules.event_id', '=', 'events.id').where('schedules.published', '=', 1)),
    )
  }
  const { numUpdatedRows } = await update.executeTakeFirst()
  return numUpdatedRows > 0n
}

/**
 * Holds the event's row until the transaction ends, if its status is one of
 * `statuses`; false otherwise. Writers that go through it for the same event
 * run one after the other: on PostgreSQL the UPDATE takes the row lock, and
 * SQLite writes one transaction at a time.
 */
export async function lockEvent(trx: Transaction<Database>, id: string, statuses: readonly EventStatus[]): Promise<boolean> {
  const { numUpdatedRows } = await trx
    .updateTable('events')
    .set((eb) => ({ updated_at: eb.ref('updated_at') }))
    .where('id', '=', id)
    .where('status', 'in', statuses)
    .executeTakeFirst()
  return numUpdatedRows > 0n
}

/** The network's events (only `eventId` for a token of one event); archived ones only when asked. */
export async function listEvents(db: Kysely<Database>, networkId: string, eventId: string | null = null, options: { archived?: boolean } = {}): Promise<Event[]> {
  let query = db.selectFrom('events').selectAll().where('network_id', '=', networkId)
  if (eventId) query = query.where('id', '=', eventId)
  if (!options.archived) query = query.where('archived_at', 'is', null)
  return query.orderBy('date', 'desc').orderBy('created_at', 'desc').execute()
}

/** Start time (HH:MM) of each round, breaks included; null without a start time. */
export function roundStartTimes(event: Pick<Event, 'start_time' | 'rounds' | 'meeting_minutes' | 'transition_minutes' | 'breaks'>): (string | null)[] {
  const out: (string | null)[] = []
  const match = event.start_time ? /^(\d{1,2}):(\d{2})$/.exec(event.start_time) : null
  const breaks = parseBreaks(event.breaks)
  let minutes = match ? Number(match[1]) * 60 + Number(match[2]) : null
  for (let round = 1; round <= event.rounds; round++) {
    if (minutes === null) {
      out.push(null)
      continue
    }
    out.push(`${String(Math.floor(minutes / 60) % 24).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`)
    minutes += event.meeting_minutes + event.transition_minutes
    for (const b of breaks) if (b.afterRound === round) minutes += b.minutes
  }
  return out
}
