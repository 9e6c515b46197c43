/**
 * Schedules: build the instance from the database, run the solver, keep every
 * run as a version with its meetings, publish one, and show it by round, by
 * participant or by table. The solver runs where the app's SolverRunner says:
 * inline, or in a worker thread (npm start).
 */
import { randomInt } from 'node:crypto'
import type { Kysely } from 'kysely'
import type { Instance, SolveResult } from '../../solver/types.ts'
import { findEvent, lockEvent, parseBreaks, roundStartTimes, setEventStatus } from '../db/repositories/events.repository.ts'
import { listEventExclusions } from '../db/repositories/exclusions.repository.ts'
import { carryRatingsOver } from '../db/repositories/ratings.repository.ts'
import { listRegistrations, type RegistrationWithOrganisation } from '../db/repositories/registrations.repository.ts'
import {
  eventShortCodes,
  insertSchedule,
  listMeetings,
  publishedSchedule,
  publishSchedule,
  type NewMeetingRow,
} from '../db/repositories/schedules.repository.ts'
import { listWishes } from '../db/repositories/wishes.repository.ts'
import type { Database, Event, EventStatus, Meeting, Schedule } from '../db/schema.ts'
import { AppError } from '../errors.ts'
import { buildInstanceWithMemory, buildReplan, digest, meetingReasons, type InstanceRows } from './instance.ts'
import { loadMemory, type PairMemory } from './met-before.ts'
import { inlineSolver, type SolverRunner } from './solver-runner.ts'
import { labels } from './vocabularies.ts'
import { csvRow } from './csv-safety.ts'

export interface ScheduleDto {
  id: string
  version: number
  kind: 'full' | 'replan'
  fromRound: number | null
  status: Schedule['status']
  objective: number
  bound: number
  fairnessLevel: number
  meetingCount: number
  idleRounds: number
  solveMs: number
  inputDigest: string
  createdBy: string
  createdAt: string
  published: boolean
  /** the solver's reason (why infeasible, or anything worth saying) */
  reason: string | null
  /** participants with fewer meetings than the others or than their minimum: to be told */
  shortfalls: { id: string; side: 'association' | 'company'; meetings: number; target: number }[]
}

export function toScheduleDto(row: Schedule): ScheduleDto {
  let stats: { reason?: string; shortfalls?: ScheduleDto['shortfalls'] } = {}
  try {
    stats = JSON.parse(row.stats) as typeof stats
  } catch {
    stats = {}
  }
  return {
    id: row.id, version: row.version, kind: row.kind, fromRound: row.from_round, status: row.status, objective: row.objective,
    bound: row.bound, fairnessLevel: row.fairness_level, meetingCount: row.meeting_count, idleRounds: row.idle_rounds,
    solveMs: row.solve_ms, inputDigest: row.input_digest, createdBy: row.created_by, createdAt: row.created_at,
    published: row.published === 1, reason: stats.reason ?? null, shortfalls: stats.shortfalls ?? [],
  }
}

/** Letters and digits that cannot be mistaken for one another on a paper card (no 0/O/D/Q, 1/I/L, 2/Z, 5/S, 6/G, 8/B). */
export const shortCodeAlphabet = 'ACEFHJKMNPRTUVWXY34679'

export function newShortCode(taken: Set<string>, length = 4): string {
  for (;;) {
    let code = ''
    for (let i = 0; i < length; i++) code += shortCodeAlphabet[randomInt(shortCodeAlphabet.length)]
    if (!taken.has(code)) {
      taken.add(code)
      return code
    }
  }
}

export async function loadInstanceRows(db: Kysely<Database>, event: Event): Promise<InstanceRows> {
  const [registrations, wishes, exclusions, memory] = await Promise.all([
    listRegistrations(db, event.id),
    listWishes(db, event.id),
    listEventExclusions(db, event),
    loadMemory(db, event),
  ])
  return { event, registrations, wishes, exclusions, labels: labels('fr'), locale: 'fr', seed: 1, memory }
}

/** The result with each meeting's reasons in words, the network's past included, and how many pairs the past concerned. */
function withMemory(result: SolveResult, instance: Instance, memory: PairMemory[]): SolveResult {
  const reasons = meetingReasons(instance, memory)
  const meetings = result.meetings.map((m) => {
    const list = reasons(m.association, m.company, m.reasons)
    const { reasons: _solver, ...rest } = m
    return list.length > 0 ? { ...rest, reasons: list } : rest
  })
  const count = (d: PairMemory['decision']) => memory.filter((m) => m.decision === d).length
  const stats = { ...result.stats, metBefore: { forbidden: count('forbid'), penalised: count('penalise'), allowed: count('allow') } }
  return { ...result, meetings, stats }
}

/**
 * Stores a solver run as the event's next version. Under the event's row lock:
 * concurrent runs of one event number their versions one after the other
 * (1, 2, 3… none lost), and draw short codes no other version printed.
 */
async function store(
  db: Kysely<Database>,
  event: Event,
  result: SolveResult,
  input: { kind: 'full' | 'replan'; fromRound: number | null; digest: string; createdBy: string; now: string },
  keepCodes: Map<string, string>,
): Promise<Schedule> {
  const stats = { ...result.stats, ...(result.reason ? { reason: result.reason } : {}) }
  return db.transaction().execute(async (trx) => {
    if (!(await lockEvent(trx, event.id, ['draft', 'open', 'scheduled', 'live']))) throw closedOrGone()
    const taken = await eventShortCodes(trx, event.id)
    const meetings: NewMeetingRow[] = [...result.meetings]
      .sort((a, b) => a.round - b.round || a.table - b.table)
      .map((m) => {
        const kept = keepCodes.get(`${m.round} ${m.association} ${m.company}`)
        return {
          round: m.round,
          table_no: m.table,
          association_registration_id: m.association,
          company_registration_id: m.company,
          score: m.score,
          reasons: JSON.stringify(m.reasons ?? []),
          short_code: kept ?? newShortCode(taken),
        }
      })
    return insertSchedule(
      trx,
      {
        event_id: event.id,
        kind: input.kind,
        from_round: input.fromRound,
        input_digest: input.digest,
        status: result.status,
        objective: result.objective,
        bound: result.bound,
        fairness_level: result.stats.fairnessLevel,
        meeting_count: result.meetings.length,
        idle_rounds: result.stats.idleRounds,
        solve_ms: result.stats.solveMs,
        stats: JSON.stringify(stats),
        created_by: input.createdBy,
        created_at: input.now,
      },
      meetings,
    )
  })
}

function closedOrGone(): AppError {
  // the only status the locks leave out is 'closed' (or the event was deleted meanwhile)
  return new AppError('event_closed', 'Événement clos / The event is closed')
}

/** Solves the event as registered now and stores the result as a new version. */
export async function createSchedule(
  db: Kysely<Database>,
  event: Event,
  by: { createdBy: string; now: string },
  solver: SolverRunner = inlineSolver,
): Promise<Schedule> {
  const rows = await loadInstanceRows(db, event)
  const { instance, memory } = buildInstanceWithMemory(rows)
  if (instance.associations.length === 0 || instance.companies.length === 0) {
    throw new AppError('conflict', 'Il faut au moins une association et une entreprise / At least one association and one company are needed')
  }
  const result = withMemory(await solver.run({ kind: 'solve', instance }, { key: event.id }), instance, memory)
  return store(db, event, result, { kind: 'full', fromRound: null, digest: digest(instance), ...by }, new Map())
}

/**
 * Re-plans from `fromRound` on the published schedule: earlier rounds are kept
 * as played (with their printed short codes), absentees removed, walk-ins added.
 */
export async function createReplan(
  db: Kysely<Database>,
  event: Event,
  fromRound: number,
  by: { createdBy: string; now: string },
  solver: SolverRunner = inlineSolver,
): Promise<Schedule> {
  if (fromRound > event.rounds) {
    throw new AppError('validation_failed', 'Données invalides / Invalid body', [
      { path: 'fromRound', message: `au-delà de la dernière rencontre (${event.rounds}) / after the last round` },
    ])
  }
  const current = await publishedSchedule(db, event.id)
  if (!current) throw new AppError('no_published_schedule', 'Aucun planning publié à re-planifier / No published schedule to re-plan')
  const published = await listMeetings(db, current.id)
  const rows = await loadInstanceRows(db, event)
  const { instance, situation } = buildReplan(rows, published, fromRound)
  const result = withMemory(await solver.run({ kind: 'replan', instance, situation }, { key: event.id }), instance, buildInstanceWithMemory(rows).memory)
  const keep = new Map(
    published.filter((m) => m.round < fromRound).map((m) => [`${m.round} ${m.association_registration_id} ${m.company_registration_id}`, m.short_code]),
  )
  return store(db, event, result, { kind: 'replan', fromRound, digest: digest({ instance, situation }), ...by }, keep)
}

const liveFullRotation =
  'Soirée en cours : replanifiez les tours restants plutôt que de publier une rotation complète / The evening is under way: re-plan the remaining rounds instead of publishing a full rotation'

/**
 * Makes `schedule` the published one; an infeasible run cannot be. Opens
 * scheduling for a draft/open event. The event's status is checked under its
 * row lock, not as the caller read it: a full rotation cannot slip in after the
 * evening went live, and concurrent publishings of one event run one after the
 * other (the last one stays published).
 */
export async function publish(db: Kysely<Database>, event: Event, schedule: Schedule, now: string): Promise<void> {
  if (schedule.status === 'infeasible') {
    const reason = toScheduleDto(schedule).reason ?? 'sans raison donnée / no reason given'
    throw new AppError('schedule_infeasible', `Version ${schedule.version} impossible à publier : ${reason} / infeasible, cannot be published`)
  }
  // On the night, a full rotation would rewrite rounds already played and the
  // codes printed on the cards: only a re-plan of the remaining rounds may replace it.
  const allowed: EventStatus[] = schedule.kind === 'full' ? ['draft', 'open', 'scheduled'] : ['draft', 'open', 'scheduled', 'live']
  await db.transaction().execute(async (trx) => {
    if (!(await lockEvent(trx, event.id, allowed))) {
      if ((await findEvent(trx, event.id))?.status === 'live') throw new AppError('conflict', liveFullRotation)
      throw closedOrGone()
    }
    const previous = await publishedSchedule(trx, event.id)
    await publishSchedule(trx, event.id, schedule.id)
    if (previous && previous.id !== schedule.id) await carryRatingsOver(trx, previous.id, schedule.id)
    await setEventStatus(trx, event.id, ['draft', 'open'], 'scheduled', now)
  })
}

// ---- views ----

export interface PersonRef {
  registrationId: string
  organisationId: string
  name: string
  personName: string
}

export interface MeetingView {
  id: string
  round: number
  start: string | null
  table: number
  association: PersonRef
  company: PersonRef
  score: number
  reasons: string[]
  shortCode: string
}

function personRef(r: RegistrationWithOrganisation | undefined, id: string): PersonRef {
  return { registrationId: id, organisationId: r?.organisation_id ?? '', name: r?.organisation.name ?? '?', personName: r?.person_name ?? '?' }
}

export async function meetingViews(db: Kysely<Database>, event: Event, schedule: Schedule): Promise<MeetingView[]> {
  const [meetings, registrations] = await Promise.all([listMeetings(db, schedule.id), listRegistrations(db, event.id)])
  const byId = new Map(registrations.map((r) => [r.id, r]))
  const starts = roundStartTimes(event)
  return meetings.map((m: Meeting) => ({
    id: m.id,
    round: m.round,
    start: starts[m.round - 1] ?? null,
    table: m.table_no,
    association: personRef(byId.get(m.association_registration_id), m.association_registration_id),
    company: personRef(byId.get(m.company_registration_id), m.company_registration_id),
    score: m.score,
    reasons: parseReasons(m.reasons),
    shortCode: m.short_code,
  }))
}

function parseReasons(json: string): string[] {
  try {
    const v: unknown = JSON.parse(json)
    return Array.isArray(v) ? v.map(String) : []
  } catch {
    return []
  }
}

/**
 * Rounds in order with their meetings, and who is there without a meeting
 * (`waiting`: present in that round by their window, not marked absent).
 */
export function byRound(event: Event, meetings: MeetingView[], registrations: RegistrationWithOrganisation[] = []) {
  const starts = roundStartTimes(event)
  const breaks = parseBreaks(event.breaks)
  return Array.from({ length: event.rounds }, (_, i) => {
    const round = i + 1
    const here = meetings.filter((m) => m.round === round)
    const busy = new Set(here.flatMap((m) => [m.association.registrationId, m.company.registrationId]))
    const waiting = registrations
      .filter((r) => r.attendance !== 'absent' && (r.arrive_round ?? 1) <= round && round <= (r.leave_round ?? event.rounds) && !busy.has(r.id))
      .map((r) => ({ ...personRef(r, r.id), side: r.organisation.kind }))
    return {
      round,
      start: starts[i] ?? null,
      breakAfterMinutes: breaks.find((b) => b.afterRound === round)?.minutes ?? null,
      meetings: here,
      waiting,
    }
  })
}

export function byParticipant(registrations: RegistrationWithOrganisation[], meetings: MeetingView[]) {
  return registrations.map((r) => {
    const side = r.organisation.kind
    const own = meetings.filter((m) => (side === 'association' ? m.association : m.company).registrationId === r.id)
    return {
      registrationId: r.id,
      side,
      name: r.organisation.name,
      personName: r.person_name,
      attendance: r.attendance,
      meetings: own.map((m) => ({
        round: m.round, start: m.start, table: m.table, shortCode: m.shortCode, score: m.score, reasons: m.reasons,
        with: side === 'association' ? m.company : m.association,
      })),
    }
  })
}

export function byTable(meetings: MeetingView[]) {
  const tables = [...new Set(meetings.map((m) => m.table))].sort((a, b) => a - b)
  return tables.map((table) => ({ table, meetings: meetings.filter((m) => m.table === table) }))
}

/** The CSV export: UTF-8 with a BOM, ';' and decimal commas, so French spreadsheet software opens it as is. */
export function scheduleCsv(meetings: MeetingView[]): string {
  const header = ['rencontre', 'heure', 'table', 'association', 'participant association', 'entreprise', 'participant entreprise', 'code', 'score']
  // decimal comma: French spreadsheet software reads "2.5" as text or a date
  const format = { delimiter: ';', decimalComma: true } as const
  const lines = meetings.map((m) =>
    csvRow([m.round, m.start, m.table, m.association.name, m.association.personName, m.company.name, m.company.personName, m.shortCode, Math.round(m.score * 100) / 100], format),
  )
  return `\uFEFF${[csvRow(header, format), ...lines].join('\r\n')}\r\n`
}
