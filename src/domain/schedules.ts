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
import { AppError, type Msg } from '../errors.ts'
import { buildInstanceWithMemory, buildReplan, digest, meetingReasons, type InstanceRows } from './instance.ts'
import { loadMemory, type PairMemory } from './met-before.ts'
import { inlineSolver, type SolverRunner } from './solver-runner.ts'
import { labels } from './vocabularies.ts'
import { publishChange } from './live.ts'
import { timetable, type TimetableEvent } from './timetable.ts'
import { csvRow } from './csv-safety.ts'
import { eventWeights, type EventWeights } from './event-weights.ts'
import { loadTrial, scheduleDraw } from './event-trial.ts'
import { armOf, drawTrial, lateArm, trialScoring, type Arm, type TrialDraw, type TrialScoring } from './trial.ts'
import type { ResolvedWeights } from '../../solver/scoring.ts'

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
  /** what a re-plan had to give up (e.g. a "must meet" pair with someone absent), by name */
  warnings: ScheduleWarning[]
  /** every scoring weight the version was solved with; null for versions solved before weights were kept */
  weights: ResolvedWeights | null
  /** 'default', or `<learned|manual>-<digest>` of the adopted weights */
  weightsVersion: string | null
  /** the trial draw of the version (organisers only read this API): the event's arm, or how many associations each arm got */
  trial: { assignment: TrialDraw['assignment']; seed: string; arms: Arm[]; arm: Arm | null; blockSizes: Partial<Record<Arm, number>> | null } | null
}

export function toScheduleDto(row: Schedule): ScheduleDto {
  let stats: { reason?: string; shortfalls?: ScheduleDto['shortfalls']; warnings?: ScheduleWarning[] } = {}
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
    warnings: stats.warnings ?? [],
    weights: parseWeights(row.weights), weightsVersion: row.weights_version, trial: trialSummary(scheduleDraw(row)),
  }
}

function parseWeights(json: string | null): ResolvedWeights | null {
  if (!json) return null
  try {
    return JSON.parse(json) as ResolvedWeights
  } catch {
    return null
  }
}

function trialSummary(draw: TrialDraw | null): ScheduleDto['trial'] {
  if (!draw) return null
  let blockSizes: Partial<Record<Arm, number>> | null = null
  if (draw.blocks) {
    blockSizes = {}
    for (const arm of Object.values(draw.blocks)) blockSizes[arm] = (blockSizes[arm] ?? 0) + 1
  }
  return { assignment: draw.assignment, seed: draw.seed, arms: draw.arms, arm: draw.arm, blockSizes }
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
  kept: { weights: EventWeights; draw: TrialDraw | null; scoring: TrialScoring | null },
): Promise<Schedule> {
  const stats = { ...result.stats, ...(result.reason ? { reason: result.reason } : {}) }
  const { draw, scoring } = kept
  return db.transaction().execute(async (trx) => {
    if (!(await lockEvent(trx, event.id, ['draft', 'open', 'scheduled', 'live']))) throw closedOrGone()
    const taken = await eventShortCodes(trx, event.id)
    const meetings: NewMeetingRow[] = [...result.meetings]
      .sort((a, b) => a.round - b.round || a.table - b.table)
      .map((m) => {
        const code = keepCodes.get(`${m.round} ${m.association} ${m.company}`)
        return {
          round: m.round,
          table_no: m.table,
          association_registration_id: m.association,
          company_registration_id: m.company,
          // in a trial the solver read the arm's scores: the meeting keeps the engine's
          score: scoring ? scoring.engineScore(m.association, m.company) : m.score,
          reasons: JSON.stringify(m.reasons ?? []),
          short_code: code ?? newShortCode(taken),
          arm: draw ? armOf(draw, m.association) : null,
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
        weights: JSON.stringify(kept.weights.weights),
        weights_version: kept.weights.version,
        trial: draw ? JSON.stringify(draw) : null,
      },
      meetings,
    )
  })
}

function closedOrGone(): AppError {
  // the only status the locks leave out is 'closed' (or the event was deleted meanwhile)
  return new AppError('event_closed', { fr: 'Événement clos', en: 'The event is closed' })
}

/** Solves the event as registered now and stores the result as a new version. */
export async function createSchedule(
  db: Kysely<Database>,
  event: Event,
  by: { createdBy: string; now: string },
  solver: SolverRunner = inlineSolver,
): Promise<Schedule> {
  const [rows, weights, trial] = await Promise.all([loadInstanceRows(db, event), eventWeights(db, event.id), loadTrial(db, event.id)])
  if (weights.source !== 'default') rows.weights = weights.weights
  const { instance, memory } = buildInstanceWithMemory(rows)
  if (instance.associations.length === 0 || instance.companies.length === 0) {
    throw new AppError('conflict', { fr: 'Il faut au moins une association et une entreprise', en: 'At least one association and one company are needed' })
  }
  const draw = trial ? drawTrial(trial, event.id, instance.associations.map((a) => a.id)) : null
  const scoring = draw ? armScoring(instance, instance, draw, memory) : null
  const result = withMemory(await solver.run({ kind: 'solve', instance }, { key: event.id }), instance, memory)
  return store(db, event, result, { kind: 'full', fromRound: null, digest: digest(instance), ...by }, new Map(), { weights, draw, scoring })
}

/**
 * In a trial, the instance's scores become each association's arm's (the
 * whole event's arm 'engine' leaves the instance as it is).
 */
function armScoring(instance: Instance, participants: Pick<Instance, 'associations' | 'companies'>, draw: TrialDraw, memory: PairMemory[]): TrialScoring | null {
  if (draw.arm === 'engine') return null
  const penalties = new Map(memory.filter((m) => m.penalty > 0).map((m) => [`${m.association} ${m.company}`, m.penalty]))
  const scoring = trialScoring(instance, participants, (id) => armOf(draw, id), { seed: draw.seed, penalties, normalise: draw.blocks !== null })
  instance.scores = scoring.scores
  return scoring
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
    throw new AppError('validation_failed', { fr: 'Données invalides', en: 'Invalid data' }, [
      { path: 'fromRound', message: { fr: `au-delà de la dernière rencontre (${event.rounds})`, en: `after the last round (${event.rounds})` } },
    ])
  }
  const current = await publishedSchedule(db, event.id)
  if (!current) throw new AppError('no_published_schedule', { fr: 'Aucun planning publié à re-planifier', en: 'No published schedule to re-plan' })
  const published = await listMeetings(db, current.id)
  const [rows, weights] = await Promise.all([loadInstanceRows(db, event), eventWeights(db, event.id)])
  if (weights.source !== 'default') rows.weights = weights.weights
  const { instance, situation, droppedRequired } = buildReplan(rows, published, fromRound)
  const memory = buildInstanceWithMemory(rows).memory
  // a trial keeps the published version's draw; walk-in associations draw their arm from the seed
  let draw = scheduleDraw(current)
  let scoring: TrialScoring | null = null
  if (draw) {
    const associations = [...instance.associations, ...(situation.walkIns?.associations ?? [])]
    const companies = [...instance.companies, ...(situation.walkIns?.companies ?? [])]
    if (draw.blocks) {
      const blocks = { ...draw.blocks }
      for (const a of associations) blocks[a.id] ??= lateArm(draw, a.id)
      draw = { ...draw, blocks }
    }
    scoring = armScoring(instance, { associations, companies }, draw, memory)
  }
  let result = withMemory(await solver.run({ kind: 'replan', instance, situation }, { key: event.id }), instance, memory)
  const dropped: { pair: [string, string]; why: 'absent' | 'impossible' }[] = droppedRequired.map((pair) => ({ pair, why: 'absent' }))
  if (result.status === 'infeasible' && instance.required) {
    // on the night a re-plan never blocks: the "must meet" pairs that cannot all be kept give way, by name
    for (const pair of instance.required) dropped.push({ pair, why: 'impossible' })
    const { required: _dropped, ...relaxed } = instance
    result = withMemory(await solver.run({ kind: 'replan', instance: relaxed, situation }, { key: event.id }), relaxed, memory)
  }
  if (dropped.length > 0) result = { ...result, stats: { ...result.stats, warnings: requiredDroppedWarnings(rows.registrations, dropped) } as SolveResult['stats'] }
  const keep = new Map(
    published.filter((m) => m.round < fromRound).map((m) => [`${m.round} ${m.association_registration_id} ${m.company_registration_id}`, m.short_code]),
  )
  return store(db, event, result, { kind: 'replan', fromRound, digest: digest({ instance, situation }), ...by }, keep, { weights, draw, scoring })
}

export interface ScheduleWarning {
  kind: 'required-dropped'
  association: string
  company: string
  /** who of the two is marked absent (names); empty: the pair could not be kept tonight */
  absent: string[]
  message: { fr: string; en: string }
}

/** "Must meet" pairs a re-plan had to give up, in words that name both organisations. */
function requiredDroppedWarnings(
  registrations: RegistrationWithOrganisation[],
  dropped: { pair: [string, string]; why: 'absent' | 'impossible' }[],
): ScheduleWarning[] {
  const byId = new Map(registrations.map((r) => [r.id, r]))
  const nameOf = (id: string) => byId.get(id)?.organisation.name ?? '?'
  return dropped.map(({ pair: [a, c], why }) => {
    const association = nameOf(a)
    const company = nameOf(c)
    const absent = why === 'absent' ? [a, c].filter((id) => byId.get(id)?.attendance === 'absent').map(nameOf) : []
    const fr =
      absent.length > 0
        ? `Rencontre obligatoire retirée\u00a0: ${association} × ${company}, car ${absent.join(' et ')} ${absent.length > 1 ? 'ne sont pas là' : 'n’est pas là'}.`
        : `Rencontre obligatoire retirée\u00a0: ${association} × ${company} ne peuvent plus se rencontrer ce soir.`
    const en =
      absent.length > 0
        ? `Required meeting dropped: ${association} × ${company}, as ${absent.join(' and ')} ${absent.length > 1 ? 'are' : 'is'} not here.`
        : `Required meeting dropped: ${association} × ${company} can no longer meet tonight.`
    return { kind: 'required-dropped', association, company, absent, message: { fr, en } }
  })
}

const liveFullRotation = {
  fr: 'Soirée en cours : replanifiez les tours restants plutôt que de publier une rotation complète',
  en: 'The evening is under way: re-plan the remaining rounds instead of publishing a full rotation',
}

const ID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi

/**
 * The solver's reason for a message: participants by their organisations'
 * names instead of their registration ids, and each language on its side (the
 * solver writes « français / English: détail »; the detail goes with both).
 */
export function reasonWords(reason: string, names: Map<string, string>): Msg {
  const named = reason.replace(ID, (id) => names.get(id) ?? 'un participant retiré')
  const at = named.indexOf(' / ')
  if (at < 0) return { fr: named, en: named }
  const fr = named.slice(0, at)
  const en = named.slice(at + 3)
  const colon = en.indexOf(': ')
  return { fr: colon >= 0 && !fr.includes(':') ? `${fr} : ${en.slice(colon + 2)}` : fr, en }
}

/**
 * Makes `schedule` the published one; an infeasible run cannot be. Opens
 * scheduling for a draft/open event. The event's status is checked under its
 * row lock, not as the caller read it: a full rotation cannot slip in after the
 * evening went live, and concurrent publishings of one event run one after the
 * other (the last one stays published).
 */
export async function publish(db: Kysely<Database>, event: Event, schedule: Schedule, now: string): Promise<void> {
  if (schedule.status === 'infeasible') {
    const reason = toScheduleDto(schedule).reason
    const names = new Map((await listRegistrations(db, event.id)).map((r) => [r.id, r.organisation.name]))
    const words = reason ? reasonWords(reason, names) : null
    throw new AppError('schedule_infeasible', {
      fr: `La version ${schedule.version} est impossible et ne peut pas être publiée${words ? ` : ${words.fr}` : ''}`,
      en: `Version ${schedule.version} is infeasible and cannot be published${words ? `: ${words.en}` : ''}`,
    })
  }
  // On the night, a full rotation would rewrite rounds already played and the
  // codes printed on the cards: only a re-plan of the remaining rounds may replace it.
  const allowed: EventStatus[] = schedule.kind === 'full' ? ['draft', 'open', 'scheduled'] : ['draft', 'open', 'scheduled', 'live']
  await db.transaction().execute(async (trx) => {
    if (!(await lockEvent(trx, event.id, allowed))) {
      if ((await findEvent(trx, event.id))?.status === 'live') throw new AppError('conflict', liveFullRotation)
      throw closedOrGone()
    }
    // a participant removed since this version was computed took its meetings along: it is out of date
    const held = await trx.selectFrom('meetings').select((eb) => eb.fn.countAll<number>().as('n')).where('schedule_id', '=', schedule.id).executeTakeFirstOrThrow()
    if (Number(held.n) !== schedule.meeting_count) {
      throw new AppError(
        'conflict',
        { fr: `La version ${schedule.version} est périmée\u00a0: des participants ont été retirés depuis son calcul. Recalculez la rotation.`, en: `Version ${schedule.version} is out of date: participants were removed since it was computed. Compute the rotation again.` },
      )
    }
    // a version solved before the trial was set up (or changed, or removed) would not be the trial's
    const trial = await loadTrial(trx, event.id)
    const draw = scheduleDraw(schedule)
    const key = (t: { assignment: string; seed: string; arms: readonly string[] } | null) => (t ? JSON.stringify([t.assignment, t.seed, t.arms]) : null)
    if (key(trial) !== key(draw)) {
      throw new AppError(
        'conflict',
        { fr: `Version ${schedule.version} calculée ${draw ? 'avec un autre essai' : 'avant l’essai'} : recalculez le planning avant de le publier`, en: `Version ${schedule.version} was solved ${draw ? 'with another trial' : 'before the trial was set up'}: solve again before publishing` },
      )
    }
    const previous = await publishedSchedule(trx, event.id)
    await publishSchedule(trx, event.id, schedule.id)
    if (previous && previous.id !== schedule.id) await carryRatingsOver(trx, previous.id, schedule.id)
    await setEventStatus(trx, event.id, ['draft', 'open'], 'scheduled', now)
  })
  // open room screens and participant pages show the new tables within seconds
  publishChange(db, event.id, 'schedule')
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

/**
 * The CSV export: UTF-8 with a BOM, ';' and decimal commas, so French spreadsheet software opens it as is.
 * `heure` and `fin`: the meeting's clock times by the event's timetable (empty without a start time).
 */
export function scheduleCsv(meetings: MeetingView[], event?: TimetableEvent): string {
  const header = ['rencontre', 'heure', 'fin', 'table', 'association', 'participant association', 'entreprise', 'participant entreprise', 'code', 'score']
  // decimal comma: French spreadsheet software reads "2.5" as text or a date
  const format = { delimiter: ';', decimalComma: true } as const
  const ends = (event && timetable(event)?.rounds.map((r) => r.to)) ?? []
  const lines = meetings.map((m) =>
    csvRow([m.round, m.start, ends[m.round - 1] ?? null, m.table, m.association.name, m.association.personName, m.company.name, m.company.personName, m.shortCode, Math.round(m.score * 100) / 100], format),
  )
  return `\uFEFF${[csvRow(header, format), ...lines].join('\r\n')}\r\n`
}
