/**
 * From database rows to the solver's Instance: a pure function, so it is tested
 * on its own. Participant ids are registration ids.
 */
import { createHash } from 'node:crypto'
import { scorePairs } from '../../solver/scoring.ts'
import type { FixedMeeting, Instance, Participant, Profile, ReplanSituation, Weights } from '../../solver/types.ts'
import type { Exclusion } from '../db/repositories/exclusions.repository.ts'
import { parseList } from '../db/repositories/organisations.repository.ts'
import type { RegistrationWithOrganisation } from '../db/repositories/registrations.repository.ts'
import type { Event, Meeting, Wish } from '../db/schema.ts'
import { memoryDecisions, type Memory, type PairMemory } from './met-before.ts'

export interface InstanceRows {
  event: Pick<Event, 'rounds' | 'tables' | 'seated_side'>
  registrations: RegistrationWithOrganisation[]
  wishes: Pick<Wish, 'from_registration_id' | 'to_registration_id' | 'level' | 'set_by'>[]
  exclusions: Pick<Exclusion, 'association_id' | 'company_id'>[]
  /** vocabulary code -> label, for the reasons in words */
  labels?: Record<string, string>
  locale?: 'fr' | 'en'
  seed?: number
  /** the network's past (src/domain/met-before.ts): pairs met before, active partnerships, the event's settings */
  memory?: Memory
  /** scoring weights adopted for the event (src/domain/event-weights.ts); absent = the solver's defaults */
  weights?: Weights
}

/** The solver participant for one registration (wishes about the given ids only). */
export function toParticipant(
  r: RegistrationWithOrganisation,
  wishes: InstanceRows['wishes'],
  eventRounds: number,
  present: Set<string>,
): Participant {
  const o = r.organisation
  const profile: Profile = { name: o.name }
  const lists = { themes: parseList(o.themes), territories: parseList(o.territories), offers: parseList(o.offers), needs: parseList(o.needs) }
  for (const [key, list] of Object.entries(lists) as [keyof typeof lists, string[]][]) if (list.length > 0) profile[key] = list
  if (o.sector) profile.sector = o.sector
  if (o.size) profile.size = o.size
  if (o.latitude !== null && o.longitude !== null) {
    profile.latitude = o.latitude
    profile.longitude = o.longitude
  }
  const own = wishes
    .filter((w) => w.from_registration_id === r.id && present.has(w.to_registration_id))
    .sort((a, b) => (a.to_registration_id < b.to_registration_id ? -1 : 1))
  if (own.length > 0) profile.wishes = Object.fromEntries(own.map((w) => [w.to_registration_id, w.level]))
  const p: Participant = { id: r.id, profile }
  if (r.arrive_round !== null && r.arrive_round > 1) p.arrive = Math.min(r.arrive_round, eventRounds)
  if (r.leave_round !== null && r.leave_round < eventRounds) p.leave = Math.max(r.leave_round, 1)
  if (r.min_meetings !== null) p.minMeetings = r.min_meetings
  if (r.max_meetings !== null) p.maxMeetings = r.max_meetings
  return p
}

const byId = (a: { id: string }, b: { id: string }) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)

/**
 * The instance for a full solve: everyone registered except those marked
 * absent; exclusions, same-group pairs and "do not want" wishes are forbidden;
 * a "must meet" set by the organiser is a required pair (a participant's own
 * "must meet" stays a strong preference, scored by the solver).
 * Participants are sorted by id, so the same rows give the same instance.
 */
export function buildInstance(rows: InstanceRows, options: { include?: (r: RegistrationWithOrganisation) => boolean } = {}): Instance {
  return buildInstanceWithMemory(rows, options).instance
}

/**
 * The instance, and what the network's past decided for each pair it
 * concerns (forbidden pairs are in `forbidden`; a penalty lowers the pair's
 * score: then every score is given in `scores`, computed from the profiles as
 * the solver would, and the reasons in words come from `meetingReasons`).
 */
export function buildInstanceWithMemory(
  rows: InstanceRows,
  options: { include?: (r: RegistrationWithOrganisation) => boolean } = {},
): { instance: Instance; memory: PairMemory[] } {
  const include = options.include ?? ((r) => r.attendance !== 'absent')
  const chosen = rows.registrations.filter(include)
  const present = new Set(chosen.map((r) => r.id))
  const side = (kind: 'association' | 'company') =>
    chosen
      .filter((r) => r.organisation.kind === kind)
      .map((r) => toParticipant(r, rows.wishes, rows.event.rounds, present))
      .sort(byId)
  const associations = side('association')
  const companies = side('company')

  const regsOf = new Map<string, string[]>()
  for (const r of chosen) regsOf.set(r.organisation_id, [...(regsOf.get(r.organisation_id) ?? []), r.id])
  const kindOf = new Map(chosen.map((r) => [r.id, r.organisation.kind]))
  const forbidden = new Map<string, [string, string]>()
  const forbid = (x: string, y: string) => {
    const pair: [string, string] = kindOf.get(x) === 'association' ? [x, y] : [y, x]
    if (kindOf.get(pair[0]) === 'association' && kindOf.get(pair[1]) === 'company') forbidden.set(pair.join(' '), pair)
  }
  for (const e of rows.exclusions) {
    for (const a of regsOf.get(e.association_id) ?? []) for (const c of regsOf.get(e.company_id) ?? []) forbid(a, c)
  }
  for (const w of rows.wishes) {
    if (w.level === 'avoid' && present.has(w.from_registration_id) && present.has(w.to_registration_id)) forbid(w.from_registration_id, w.to_registration_id)
  }
  const groups = new Map<string, string[]>()
  for (const r of chosen) {
    const g = r.organisation.group_name?.trim().toLowerCase()
    if (g) groups.set(g, [...(groups.get(g) ?? []), r.id])
  }
  for (const ids of groups.values()) for (const x of ids) for (const y of ids) if (x < y) forbid(x, y)

  const required = new Map<string, [string, string]>()
  for (const w of rows.wishes) {
    const [x, y] = [w.from_registration_id, w.to_registration_id]
    if (w.level !== 'must' || w.set_by !== 'organiser' || !present.has(x) || !present.has(y)) continue
    const pair: [string, string] = kindOf.get(x) === 'association' ? [x, y] : [y, x]
    if (kindOf.get(pair[0]) === 'association' && kindOf.get(pair[1]) === 'company') required.set(pair.join(' '), pair)
  }

  let memory: PairMemory[] = []
  if (rows.memory) {
    const level = new Map(rows.wishes.map((w) => [`${w.from_registration_id} ${w.to_registration_id}`, w.level]))
    const wants = (x: string, y: string) => ['must', 'like'].includes(level.get(`${x} ${y}`) ?? '')
    const sides = (kind: 'association' | 'company') =>
      chosen.filter((r) => r.organisation.kind === kind).map((r) => ({ id: r.id, organisationId: r.organisation_id, name: r.organisation.name })).sort(byId)
    memory = memoryDecisions(rows.memory, sides('association'), sides('company'), {
      mutual: (a, c) => wants(a, c) && wants(c, a),
      required: (a, c) => required.has(`${a} ${c}`),
      locale: rows.locale ?? 'fr',
    })
    for (const m of memory) if (m.decision === 'forbid') forbid(m.association, m.company)
  }

  const instance: Instance = { rounds: rows.event.rounds, seated: rows.event.seated_side, associations, companies }
  if (rows.event.tables !== null) instance.tables = rows.event.tables
  const sorted = (m: Map<string, [string, string]>) => [...m.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([, p]) => p)
  if (forbidden.size > 0) instance.forbidden = sorted(forbidden)
  if (required.size > 0) instance.required = sorted(required)
  instance.options = { seed: rows.seed ?? 1, locale: rows.locale ?? 'fr' }
  if (rows.weights) instance.options.weights = { ...rows.weights }
  if (rows.labels) instance.options.labels = rows.labels
  const penalised = memory.filter((m) => m.penalty > 0)
  if (penalised.length > 0) {
    // the solver takes given scores as they are: give every pair's, the penalised ones lowered (scores are >= 0)
    const base = scorePairs(instance)
    const off = new Map(penalised.map((m) => [`${m.association} ${m.company}`, m.penalty]))
    instance.scores = Object.fromEntries(
      associations.map((a) => [
        a.id,
        Object.fromEntries(companies.map((c) => [c.id, Math.max(0, Math.round((base.score(a.id, c.id) - (off.get(`${a.id} ${c.id}`) ?? 0)) * 100) / 100)])),
      ]),
    )
  }
  return { instance, memory }
}

/**
 * The reasons of a meeting in words: the solver's, or (when the instance gave
 * the scores, so the solver gave none) those the profiles and wishes give,
 * followed by what the network's past says of the pair.
 */
export function meetingReasons(instance: Instance, memory: PairMemory[]): (association: string, company: string, solverReasons: string[] | undefined) => string[] {
  const past = new Map(memory.map((m) => [`${m.association} ${m.company}`, m.reasons]))
  const { scores: _given, ...withoutScores } = instance
  const scorer = instance.scores ? scorePairs(withoutScores) : null
  return (a, c, solverReasons) => {
    const own = solverReasons && solverReasons.length > 0 ? solverReasons : (scorer?.reasons(a, c) ?? [])
    return [...own, ...(past.get(`${a} ${c}`) ?? [])]
  }
}

/**
 * Re-planning on the night from `fromRound`: the instance holds the expected
 * participants (walk-ins excluded, they come through the situation); rounds
 * before fromRound of the published meetings are played (the solver keeps the
 * played meetings of those now absent and removes them from later rounds).
 */
export function buildReplan(
  rows: InstanceRows,
  published: Pick<Meeting, 'round' | 'table_no' | 'association_registration_id' | 'company_registration_id'>[],
  fromRound: number,
): { instance: Instance; situation: ReplanSituation; droppedRequired: [string, string][] } {
  const { instance, memory } = buildInstanceWithMemory(rows, { include: (r) => r.attendance !== 'walk-in' })
  // given scores would leave walk-ins at 0: with walk-ins, the penalties give way (forbidden pairs stay)
  if (instance.scores && rows.registrations.some((r) => r.attendance === 'walk-in')) delete instance.scores
  const absent = rows.registrations.filter((r) => r.attendance === 'absent').map((r) => r.id).sort()
  const played: FixedMeeting[] = published
    .filter((m) => m.round < fromRound)
    .map((m) => ({ round: m.round, association: m.association_registration_id, company: m.company_registration_id, table: m.table_no }))
    .sort((a, b) => a.round - b.round || (a.table ?? 0) - (b.table ?? 0))
  const everyone = rows.registrations.filter((r) => r.attendance !== 'absent')
  const present = new Set(everyone.map((r) => r.id))
  const walkIn = (kind: 'association' | 'company') =>
    rows.registrations
      .filter((r) => r.attendance === 'walk-in' && r.organisation.kind === kind)
      .map((r) => {
        const p = toParticipant(r, rows.wishes, rows.event.rounds, present)
        if ((p.arrive ?? 1) < fromRound) p.arrive = fromRound
        return p
      })
      .sort(byId)
  // a pair the network's past forbids (its setting changed since) but that met tonight already stays as played
  const playedPairs = new Set(played.map((m) => `${m.association} ${m.company}`))
  const lifted = new Set(memory.filter((m) => m.decision === 'forbid' && playedPairs.has(`${m.association} ${m.company}`)).map((m) => `${m.association} ${m.company}`))
  if (lifted.size > 0 && instance.forbidden) {
    const { memory: _past, ...withoutPast } = rows
    const otherwise = new Set((buildInstance(withoutPast, { include: (r) => r.attendance !== 'walk-in' }).forbidden ?? []).map((p) => p.join(' ')))
    const keep = instance.forbidden.filter((p) => !lifted.has(p.join(' ')) || otherwise.has(p.join(' ')))
    if (keep.length > 0) instance.forbidden = keep
    else delete instance.forbidden
  }
  // a "must meet" pair with someone absent cannot meet any more: dropped (the caller says so, by name)
  const gone = new Set(absent)
  const droppedRequired = (instance.required ?? []).filter(([a, c]) => (gone.has(a) || gone.has(c)) && !playedPairs.has(`${a} ${c}`))
  if (droppedRequired.length > 0) {
    const keep = instance.required!.filter((p) => !droppedRequired.includes(p))
    if (keep.length > 0) instance.required = keep
    else delete instance.required
  }
  const situation: ReplanSituation = { fromRound, played }
  if (absent.length > 0) situation.absent = absent
  const associations = walkIn('association')
  const companies = walkIn('company')
  if (associations.length + companies.length > 0) situation.walkIns = { associations, companies }
  return { instance, situation, droppedRequired }
}

/** JSON with object keys sorted at every level: the same data, the same text. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`
  }
  return JSON.stringify(value)
}

export function digest(value: unknown): string {
  return createHash('sha256').update(canonicalJson(value)).digest('hex')
}
