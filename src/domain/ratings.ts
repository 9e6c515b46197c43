/**
 * Ratings of meetings, per meeting and per side: validation, saving (until the
 * organiser closes rating), progress, paper slips and CSV import.
 *
 * Rule on "did not take place": a side that says the meeting did not take place
 * gives no interest, follow-up nor kinds (422 meeting_not_held). The two sides
 * are rated independently: if the other side already said it did not take
 * place, this side may still say it did (people do mix up names); the
 * disagreement is listed to organisers in the progress (`conflicts`), and for
 * the metrics a meeting counts as held unless every rating given says it was not.
 */
import { randomUUID } from 'node:crypto'
import { parse } from 'csv-parse/sync'
import type { Kysely, Transaction } from 'kysely'
import { z } from 'zod'
import partnershipKinds from '../../data/vocabularies/partnership-kinds.json' with { type: 'json' }
import {
  findEventMeeting,
  findEventMeetingByCode,
  holdRatingOpen,
  ratingClosedAt,
  upsertRating,
  type EventMeeting,
} from '../db/repositories/ratings.repository.ts'
import { findRoomState } from '../db/repositories/room-states.repository.ts'
import type { Database, Rating, RatingSource, Side } from '../db/schema.ts'
import { AppError, notFound, type Issue } from '../errors.ts'
import { timetable } from './timetable.ts'
import { formatDateTime } from './typography.ts'
import { zodWords } from './zod-messages.ts'

/** Partnership kind codes: 'family' or 'family/kind' (data/vocabularies/partnership-kinds.json). */
export const partnershipKindCodes: ReadonlySet<string> = new Set(
  partnershipKinds.families.flatMap((f) => [f.code, ...f.kinds.map((k) => `${f.code}/${k.code}`)]),
)

export const KindCode = z
  .string()
  .refine((code) => partnershipKindCodes.has(code), { message: zodWords({ fr: 'type de partenariat inconnu (« famille » ou « famille/type »)', en: "unknown partnership kind ('family' or 'family/kind')" }) })

export const RatingInput = z.object({
  tookPlace: z.boolean().default(true),
  interest: z.number().int().min(1).max(5).nullable().optional(),
  followUp: z.boolean().nullable().optional(),
  kinds: z.array(KindCode).max(20).default([]),
  note: z.string().max(4000).nullable().optional(),
})
export type RatingInput = z.infer<typeof RatingInput>

export const Slip = RatingInput.extend({
  code: z.string().trim().min(1).max(20),
  side: z.enum(['association', 'company']),
})
export type Slip = z.infer<typeof Slip>

export interface RatingValues {
  took_place: number
  interest: number | null
  follow_up: number | null
  kinds: string
  note: string | null
}

/** Checks the rating is coherent, or throws 422 naming the field. */
export function ratingValues(input: RatingInput): RatingValues {
  if (!input.tookPlace) {
    const given = [
      input.interest != null ? 'interest' : null,
      input.followUp != null ? 'followUp' : null,
      input.kinds.length > 0 ? 'kinds' : null,
    ].filter((f): f is string => f !== null)
    if (given.length > 0) {
      throw new AppError(
        'meeting_not_held',
        {
          fr: 'Rencontre déclarée non tenue : ni intérêt, ni suite, ni types de partenariat',
          en: 'The meeting is declared as not held: no interest, follow-up or kinds can be given',
        },
        given.map((path) => ({ path, message: { fr: 'interdit pour une rencontre non tenue', en: 'not allowed for a meeting that did not take place' } })),
      )
    }
    return { took_place: 0, interest: null, follow_up: null, kinds: '[]', note: input.note ?? null }
  }
  const missing = [input.interest == null ? 'interest' : null, input.followUp == null ? 'followUp' : null].filter(
    (f): f is string => f !== null,
  )
  if (missing.length > 0) {
    throw new AppError(
      'validation_failed',
      { fr: 'Intérêt (1 à 5) et suite (oui/non) sont requis', en: 'Interest (1-5) and followUp (yes/no) are required' },
      missing.map((path) => ({ path, message: { fr: 'requis', en: 'required' } })),
    )
  }
  return {
    took_place: 1,
    interest: input.interest!,
    follow_up: input.followUp ? 1 : 0,
    kinds: JSON.stringify([...new Set(input.kinds)]),
    note: input.note ?? null,
  }
}

export function sideOf(meeting: EventMeeting, registrationId: string): Side | null {
  if (meeting.association_registration_id === registrationId) return 'association'
  if (meeting.company_registration_id === registrationId) return 'company'
  return null
}

export function registrationOfSide(meeting: EventMeeting, side: Side): string {
  return side === 'association' ? meeting.association_registration_id : meeting.company_registration_id
}

function ratingClosed(closedAt: string): AppError {
  return new AppError('rating_closed', { fr: `Notation close depuis le ${formatDateTime(closedAt, 'fr')}`, en: `Rating was closed on ${formatDateTime(closedAt, 'en')}` })
}

export async function assertRatingOpen(db: Kysely<Database>, eventId: string): Promise<void> {
  const closedAt = await ratingClosedAt(db, eventId)
  if (closedAt) throw ratingClosed(closedAt)
}

/** In `tx`: 409 rating_closed if rating is closed, else rating stays open until `tx` ends (closing waits). */
async function keepRatingOpen(tx: Transaction<Database>, eventId: string): Promise<void> {
  const closedAt = await holdRatingOpen(tx, eventId)
  if (closedAt) throw ratingClosed(closedAt)
}

/** The meeting `meetingId` if the participant sat in it; another's meeting is 404. */
export async function participantMeeting(
  db: Kysely<Database>,
  eventId: string,
  registrationId: string,
  meetingId: string,
): Promise<{ meeting: EventMeeting; side: Side }> {
  const meeting = await findEventMeeting(db, eventId, meetingId)
  const side = meeting ? sideOf(meeting, registrationId) : null
  if (!meeting || !side) throw notFound({ fr: 'Rencontre', en: 'Meeting' })
  return { meeting, side }
}

// ---- when a meeting may be rated ------------------------------------------------

/** When a meeting opens for rating: started, or the instant it starts (null: unknown, no start time). */
export interface MeetingOpening {
  started: boolean
  startsAt: Date | null
  /** venue wall-clock "HH:MM" of the start, when the event has a start time */
  from: string | null
}

/**
 * A meeting may be rated once it has started: the timetable's start of its
 * round has passed, or the room clock has reached its round, or the event is
 * closed (the evening is over, with or without a start time).
 */
export async function meetingOpening(db: Kysely<Database>, meeting: Pick<EventMeeting, 'event_id' | 'round'>, now: Date): Promise<MeetingOpening> {
  return (await roundOpenings(db, meeting.event_id, now))(meeting.round)
}

/** `meetingOpening` for every round of one event, read once. */
export async function roundOpenings(db: Kysely<Database>, eventId: string, now: Date): Promise<(round: number) => MeetingOpening> {
  const event = await db.selectFrom('events').selectAll().where('id', '=', eventId).executeTakeFirstOrThrow()
  const slots = timetable(event)?.rounds ?? []
  const room = await findRoomState(db, event.id)
  return (round) => {
    const slot = slots[round - 1] ?? null
    const started = event.status === 'closed' || (room !== null && room.round >= round) || (slot !== null && slot.start.getTime() <= now.getTime())
    return { started, startsAt: slot?.start ?? null, from: slot?.from ?? null }
  }
}

async function organisationOfSide(db: Kysely<Database>, meeting: EventMeeting, side: Side): Promise<string> {
  const row = await db
    .selectFrom('registrations')
    .innerJoin('organisations', 'organisations.id', 'registrations.organisation_id')
    .select(['organisations.name', 'registrations.person_name', 'registrations.attendance'])
    .where('registrations.id', '=', registrationOfSide(meeting, side))
    .executeTakeFirst()
  return row?.name ?? '?'
}

/**
 * The rules of who may rate what, before any write:
 * - a meeting is rated once it has started (409 meeting_not_started), whoever types it in;
 * - a participant marked absent does not rate (409 participant_absent), unless
 *   the organiser types its paper slip or imports it (`source` slip or csv).
 */
export async function assertMayRate(db: Kysely<Database>, meeting: EventMeeting, side: Side, source: RatingSource, now: Date): Promise<void> {
  const other: Side = side === 'association' ? 'company' : 'association'
  if (source === 'participant') {
    const me = await db.selectFrom('registrations').select('attendance').where('id', '=', registrationOfSide(meeting, side)).executeTakeFirst()
    if (me?.attendance === 'absent') {
      const name = await organisationOfSide(db, meeting, side)
      throw new AppError(
        'participant_absent',
        {
          fr: `L’accueil a noté l’absence de ${name} ce soir-là : ses rencontres ne se notent pas. Si c’est une erreur, l’accueil ou l’organisateur peut corriger la présence, ou saisir le bulletin papier`,
          en: `${name} is marked absent from the evening: its meetings cannot be rated. If this is a mistake, the door or the organiser can correct the attendance, or type in the paper slip`,
        },
      )
    }
  }
  const opening = await meetingOpening(db, meeting, now)
  if (!opening.started) {
    const name = await organisationOfSide(db, meeting, other)
    const fr = opening.from ? ` à ${opening.from.replace(':', '\u00a0h\u00a0')}` : ''
    const en = opening.from ? ` at ${opening.from}` : ''
    throw new AppError(
      'meeting_not_started',
      {
        fr: `La rencontre avec ${name} (tour ${meeting.round}) n’a pas encore commencé${fr ? ` : elle commence${fr}` : ''} ; elle se note une fois commencée`,
        en: `The meeting with ${name} (round ${meeting.round}) has not started yet${en ? `: it starts${en}` : ''}; it can be rated once it has started`,
      },
    )
  }
}

export async function saveRating(
  db: Kysely<Database>,
  args: { meeting: EventMeeting; side: Side; input: RatingInput; source: RatingSource; now: string },
): Promise<Rating> {
  const values = ratingValues(args.input)
  await assertMayRate(db, args.meeting, args.side, args.source, new Date(args.now))
  // the check and the write in one transaction: no rating lands after the closing
  return db.transaction().execute(async (tx) => {
    await keepRatingOpen(tx, args.meeting.event_id)
    return upsertRating(
      tx,
      { meeting_id: args.meeting.id, side: args.side, registration_id: registrationOfSide(args.meeting, args.side), source: args.source, ...values },
      randomUUID(),
      args.now,
    )
  })
}

export async function saveSlip(db: Kysely<Database>, eventId: string, slip: Slip, now: string): Promise<Rating> {
  const meeting = await findEventMeetingByCode(db, eventId, slip.code)
  if (!meeting) throw notFound({ fr: `Code de rencontre « ${slip.code} »`, en: `Meeting code “${slip.code}”` })
  const { code: _code, side, ...input } = slip
  return saveRating(db, { meeting, side, input, source: 'slip', now })
}

/** The JSON shape of a rating (organisers; a participant sees only its own). */
export function ratingView(r: Rating) {
  return {
    id: r.id,
    meetingId: r.meeting_id,
    side: r.side,
    registrationId: r.registration_id,
    tookPlace: r.took_place === 1,
    interest: r.interest,
    followUp: r.follow_up === null ? null : r.follow_up === 1,
    kinds: JSON.parse(r.kinds) as string[],
    note: r.note,
    source: r.source,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  }
}

export interface RatingProgress {
  meetings: number
  /** meetings rated by both sides, by one, by none */
  ratedByBoth: number
  ratedByOne: number
  ratedByNone: number
  /** ratings given by each side */
  associationRatings: number
  companyRatings: number
  /** meetings at least one side says did not take place */
  reportedNotHeld: number
  /** meetings where the sides disagree on whether it took place */
  conflicts: string[]
  mutualInterest: number
}

export function ratingProgress(meetings: readonly EventMeeting[], ratings: readonly Rating[]): RatingProgress {
  const byMeeting = new Map<string, Rating[]>()
  for (const r of ratings) byMeeting.set(r.meeting_id, [...(byMeeting.get(r.meeting_id) ?? []), r])
  const progress: RatingProgress = {
    meetings: meetings.length, ratedByBoth: 0, ratedByOne: 0, ratedByNone: 0,
    associationRatings: ratings.filter((r) => r.side === 'association').length,
    companyRatings: ratings.filter((r) => r.side === 'company').length,
    reportedNotHeld: 0, conflicts: [], mutualInterest: 0,
  }
  for (const m of meetings) {
    const rs = byMeeting.get(m.id) ?? []
    if (rs.length >= 2) progress.ratedByBoth++
    else if (rs.length === 1) progress.ratedByOne++
    else progress.ratedByNone++
    if (rs.some((r) => r.took_place === 0)) progress.reportedNotHeld++
    if (rs.some((r) => r.took_place === 0) && rs.some((r) => r.took_place === 1)) progress.conflicts.push(m.id)
    if (rs.length === 2 && rs.every((r) => r.follow_up === 1)) progress.mutualInterest++
  }
  return progress
}

// ---- CSV ----------------------------------------------------------------

export interface CsvRow {
  /** line number in the file (the header is line 1) */
  line: number
  cells: Record<string, string>
}

/**
 * Reads a CSV (comma or semicolon, as the header shows; UTF-8 with or without BOM)
 * into rows keyed by lower-case header names, with their line numbers.
 */
export function readCsvRows(text: string): { header: string[]; rows: CsvRow[] } {
  const firstLine = text.replace(/^\uFEFF/, '').split(/\r?\n/, 1)[0] ?? ''
  const delimiter = (firstLine.match(/;/g)?.length ?? 0) > (firstLine.match(/,/g)?.length ?? 0) ? ';' : ','
  let records: { record: string[]; info: { lines: number } }[]
  try {
    records = parse(text, { bom: true, delimiter, relax_column_count: true, skip_empty_lines: true, trim: true, info: true }) as never
  } catch (e) {
    throw new AppError('csv_invalid', { fr: 'CSV illisible (guillemets ou séparateurs mal placés)', en: `Unreadable CSV: ${(e as Error).message}` })
  }
  const [head, ...body] = records
  if (!head) throw new AppError('csv_invalid', { fr: 'CSV vide', en: 'Empty CSV' })
  const header = head.record.map((h) => h.trim().toLowerCase())
  const rows = body.map(({ record, info }) => ({
    line: info.lines,
    cells: Object.fromEntries(header.map((h, i) => [h, record[i] ?? ''])),
  }))
  return { header, rows }
}

export function requireColumns(header: readonly string[], required: readonly string[]): void {
  const missing = required.filter((c) => !header.includes(c))
  if (missing.length > 0) {
    throw new AppError(
      'csv_invalid',
      { fr: `Colonnes manquantes : ${missing.join(', ')}`, en: `Missing columns: ${missing.join(', ')}` },
      missing.map((column) => ({ row: 1, column, message: { fr: 'colonne requise', en: 'required column' } })),
    )
  }
}

const YES = new Set(['1', 'yes', 'y', 'oui', 'o', 'true', 'vrai', 'x'])
const NO = new Set(['0', 'no', 'n', 'non', 'false', 'faux'])

/** yes/no cell: undefined when empty, null when unreadable. */
export function readBoolean(cell: string | undefined): boolean | undefined | null {
  const v = (cell ?? '').trim().toLowerCase()
  if (v === '') return undefined
  if (YES.has(v)) return true
  if (NO.has(v)) return false
  return null
}

export function readSide(cell: string | undefined): Side | null {
  const v = (cell ?? '').trim().toLowerCase()
  if (['association', 'asso', 'a'].includes(v)) return 'association'
  if (['company', 'entreprise', 'c', 'e'].includes(v)) return 'company'
  return null
}

/** Reads interest, follow-up, kinds and note cells into RatingValues; pushes issues for bad cells. */
export function readRatingCells(
  row: CsvRow,
  columns: { tookPlace: string; interest: string; followUp: string; kinds: string; note?: string },
  issues: Issue[],
): RatingValues | null {
  const before = issues.length
  const tookPlace = readBoolean(row.cells[columns.tookPlace])
  if (tookPlace === null) issues.push({ row: row.line, column: columns.tookPlace, message: { fr: 'oui/non attendu', en: 'yes/no expected' } })
  const interestCell = (row.cells[columns.interest] ?? '').trim()
  const interest = interestCell === '' ? null : Number(interestCell)
  if (interest !== null && !(Number.isInteger(interest) && interest >= 1 && interest <= 5)) {
    issues.push({ row: row.line, column: columns.interest, message: { fr: 'entier de 1 à 5 attendu', en: 'integer 1-5 expected' } })
  }
  const followUp = readBoolean(row.cells[columns.followUp])
  if (followUp === null) issues.push({ row: row.line, column: columns.followUp, message: { fr: 'oui/non attendu', en: 'yes/no expected' } })
  const kinds = (row.cells[columns.kinds] ?? '').split(/[|;]/).map((k) => k.trim()).filter((k) => k !== '')
  for (const k of kinds) {
    if (!partnershipKindCodes.has(k)) issues.push({ row: row.line, column: columns.kinds, message: { fr: `type de partenariat inconnu « ${k} »`, en: `unknown partnership kind “${k}”` } })
  }
  if (issues.length > before) return null
  try {
    return ratingValues({
      tookPlace: tookPlace ?? true,
      interest,
      followUp: followUp ?? null,
      kinds,
      note: columns.note ? (row.cells[columns.note] || null) : null,
    })
  } catch (e) {
    if (e instanceof AppError) {
      for (const i of e.issues ?? []) issues.push({ row: row.line, column: i.path ?? '', message: { fr: `${e.words.fr} (${i.path} : ${i.message.fr})`, en: `${e.words.en} (${i.path}: ${i.message.en})` } })
      return null
    }
    throw e
  }
}

/**
 * Imports ratings from CSV: columns code, side, took_place, interest, follow_up, kinds, note.
 * A row of a meeting not yet started is a bad row; absent participants' rows are
 * accepted (the organiser types them in).
 * (see data/csv/ratings-example.csv). One transaction: any bad row -> 422 csv_invalid
 * listing every bad row, nothing written.
 */
export async function importRatingsCsv(db: Kysely<Database>, eventId: string, text: string, now: string): Promise<{ imported: number }> {
  await assertRatingOpen(db, eventId)
  const { header, rows } = readCsvRows(text)
  requireColumns(header, ['code', 'side', 'interest', 'follow_up'])
  const issues: Issue[] = []
  const opening = await roundOpenings(db, eventId, new Date(now))
  const seen = new Map<string, number>()
  const parsed: { meeting: EventMeeting; side: Side; values: RatingValues }[] = []
  for (const row of rows) {
    const code = (row.cells.code ?? '').trim()
    const side = readSide(row.cells.side)
    if (!side) issues.push({ row: row.line, column: 'side', message: { fr: '« association » ou « company » attendu', en: '“association” or “company” expected' } })
    const meeting = code ? await findEventMeetingByCode(db, eventId, code) : undefined
    if (!meeting) issues.push({ row: row.line, column: 'code', message: { fr: `code de rencontre inconnu « ${code} »`, en: `unknown meeting code “${code}”` } })
    else if (!opening(meeting.round).started) {
      issues.push({
        row: row.line,
        column: 'code',
        message: { fr: `la rencontre du tour ${meeting.round} n’a pas encore commencé (« ${code} »)`, en: `the meeting of round ${meeting.round} has not started yet (“${code}”)` },
      })
    }
    const values = readRatingCells(row, { tookPlace: 'took_place', interest: 'interest', followUp: 'follow_up', kinds: 'kinds', note: 'note' }, issues)
    if (meeting && side) {
      const key = `${meeting.id}|${side}`
      const first = seen.get(key)
      if (first !== undefined) issues.push({ row: row.line, column: 'code', message: { fr: `même rencontre et côté qu'à la ligne ${first}`, en: `same meeting and side as line ${first}` } })
      seen.set(key, row.line)
      if (values) parsed.push({ meeting, side, values })
    }
  }
  if (issues.length > 0) {
    const lines = [...new Set(issues.map((i) => i.row))].join(', ')
    throw new AppError('csv_invalid', { fr: `Lignes invalides, rien n’a été importé : ${lines}`, en: `Bad rows, nothing imported: ${lines}` }, issues)
  }
  await db.transaction().execute(async (tx) => {
    await keepRatingOpen(tx, eventId)
    for (const p of parsed) {
      await upsertRating(tx, { meeting_id: p.meeting.id, side: p.side, registration_id: registrationOfSide(p.meeting, p.side), source: 'csv', ...p.values }, randomUUID(), now)
    }
  })
  return { imported: parsed.length }
}
