/**
 * Loads the pair-level records the metrics and the lab export read, for a set
 * of events. One record per association–company pair of an event that was
 * scheduled (published schedule), proposed, or given a partnership (a pair that
 * never met is a baseline row: scheduled = false).
 *
 * Definitions (README "After the meeting"):
 * - held: scheduled, neither participant marked absent, and not every rating
 *   given says the meeting did not take place;
 * - rated: held and at least one side rated it as held;
 * - mutual: both sides rated it held with followUp yes;
 * - proposed: a proposal of the pair exists that was not dropped;
 * - reached: the highest pipeline stage in the partnership's history
 *   (a partnership abandoned after 'contacted' has reached 'contacted').
 *
 * Lab predictors (`extras`): what a history file told beyond the schedule
 * (pair_extras: lab-supplied predictors, covariates, the interest as given on
 * the file's scale, unknown or undated outcomes; a score the file did not give
 * is null), each side's stated wish about the other (wishes table), and a
 * popularity baseline that leaves the pair out. Missing is null, never 0.
 */
import type { Kysely } from 'kysely'
import { scorePairs } from '../../solver/scoring.ts'
import type { Instance, Participant, Profile, Weights } from '../../solver/types.ts'
import type { Database, PartnershipStatus, Side, WishLevel } from '../db/schema.ts'
import { scheduleDraw } from './event-trial.ts'
import { armOf } from './trial.ts'
import { PIPELINE, stageIndex, type ParticipantCounts, type PipelineStage, type PairRecord } from './metrics.ts'

export interface SideRating {
  tookPlace: boolean
  interest: number | null
  followUp: boolean | null
  kinds: string[]
}

export interface PairData extends PairRecord {
  eventDate: string
  meetingId: string | null
  table: number | null
  associationRegistrationId: string
  companyRegistrationId: string
  associationOrganisationId: string
  companyOrganisationId: string
  associationSector: string | null
  associationThemes: string[]
  companyThemes: string[]
  rating: Record<Side, SideRating | null>
  proposalKind: 'follow-up' | 'missed' | null
  proposalStatus: string | null
  partnershipId: string | null
  partnershipOrigin: string | null
  partnershipStatus: PartnershipStatus | null
  partnershipKinds: string[]
  valueMoneyEur: number | null
  valueStaffHours: number | null
  valueInKindEur: number | null
  /** days from the partnership's creation to the first time it reached the stage */
  daysToContacted: number | null
  daysToAgreement: number | null
  daysToCarriedOut: number | null
  extras: PairExtras
}

/** A side's stated wish about the other: a wish row's level, or 'none' (no row). */
export type StatedWish = WishLevel | 'none'

/** must 3, like 2, none 1, avoid 0: the order of the wish levels. */
export const WISH_VALUE: Record<StatedWish, number> = { avoid: 0, none: 1, like: 2, must: 3 }

export interface PairExtras {
  /** false: the history file said `unknown` */
  outcomeKnown: boolean
  /** lab-supplied predictors (`predictor:NAME` columns); a missing value is absent */
  labPredictors: Record<string, number>
  /** the history file's other columns */
  covariates: Record<string, string>
  /** interest scale, 'lo-hi' ('1-5' for ratings given in the app) */
  interestScale: string
  /** interest as given on that scale, and normalised to 0-1; null = not rated */
  interestGiven: Record<Side, number | null>
  interestNorm: Record<Side, number | null>
  /** what each side wished about the other; null when the event has no wishes at all (not collected) */
  wish: Record<Side, StatedWish | null>
  /**
   * How wanted each side is by the other participants, the pair left out, summed over the two sides:
   * from wishes (mean wish value, 0-3 per side) and from ratings (mean normalised interest, 0-1 per side);
   * null when a side has no other participant's wish or rating.
   */
  popularity: { wishes: number | null; ratings: number | null }
  /**
   * The engine's parts, each the score the solver gives with that part's
   * default weight alone (solver/scoring.ts), from the organisations' current
   * profiles and the event's wishes; null when a side lacks the information
   * (no offers nor needs, no themes, no territories, no coordinates, no size;
   * no wishes in the event).
   */
  parts: Record<EnginePart, number | null>
  /** arm of a randomised comparison of strategies; null = not in a trial */
  arm: string | null
  /** the event's trial: unit of assignment and recorded seed; null = not a trial */
  trial: { assignment: 'event' | 'participant-block'; seed: string } | null
  /** version of the scoring weights the published schedule was solved with ('default', 'learned-…', 'manual-…'); null = not kept */
  weightsVersion: string | null
  /** those weights, JSON */
  weights: string | null
}

export const ENGINE_PARTS = ['offers_needs', 'themes', 'territory', 'distance', 'size', 'wishes'] as const
export type EnginePart = (typeof ENGINE_PARTS)[number]

const ZERO_WEIGHTS: Weights = { offerMeetsNeed: 0, sharedTheme: 0, sharedTerritory: 0, proximity: 0, sizeFit: 0, wishMust: 0, wishLike: 0, mutualBonus: 0 }
/** Each part alone, at its default weight (the other weights 0). */
const PART_WEIGHTS: Record<EnginePart, Weights> = {
  offers_needs: { ...ZERO_WEIGHTS, offerMeetsNeed: 3 },
  themes: { ...ZERO_WEIGHTS, sharedTheme: 2 },
  territory: { ...ZERO_WEIGHTS, sharedTerritory: 1 },
  distance: { ...ZERO_WEIGHTS, proximity: 2 },
  size: { ...ZERO_WEIGHTS, sizeFit: 1 },
  wishes: { ...ZERO_WEIGHTS, wishMust: 6, wishLike: 3, mutualBonus: 5 },
}

const noParts = (): Record<EnginePart, number | null> => ({ offers_needs: null, themes: null, territory: null, distance: null, size: null, wishes: null })

export function emptyExtras(): PairExtras {
  return {
    outcomeKnown: true, labPredictors: {}, covariates: {}, interestScale: '1-5',
    interestGiven: { association: null, company: null }, interestNorm: { association: null, company: null },
    wish: { association: null, company: null }, popularity: { wishes: null, ratings: null }, parts: noParts(), arm: null, trial: null, weightsVersion: null, weights: null,
  }
}

const parseObject = <T>(json: string, keep: (v: unknown) => v is T): Record<string, T> => {
  try {
    const v = JSON.parse(json) as unknown
    if (!v || typeof v !== 'object' || Array.isArray(v)) return {}
    return Object.fromEntries(Object.entries(v).filter((e): e is [string, T] => keep(e[1])))
  } catch {
    return {}
  }
}
const isNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v)
const isString = (v: unknown): v is string => typeof v === 'string'

const scaleOf = (label: string | null): { low: number; high: number } => {
  const m = /^([\d.]+)-([\d.]+)$/.exec(label ?? '')
  const low = m ? Number(m[1]) : 1
  const high = m ? Number(m[2]) : 5
  return high > low ? { low, high } : { low: 1, high: 5 }
}

const mean = (xs: readonly number[]): number | null => (xs.length === 0 ? null : xs.reduce((t, x) => t + x, 0) / xs.length)

export interface EventData {
  eventId: string
  title: string
  date: string
  participants: ParticipantCounts
  pairs: PairData[]
}

const parseList = (json: string): string[] => {
  try {
    const v = JSON.parse(json) as unknown
    return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []
  } catch {
    return []
  }
}

const days = (from: string, to: string): number => Math.round((Date.parse(to) - Date.parse(from)) / 86_400_000)

export async function loadEventData(db: Kysely<Database>, eventIds: readonly string[]): Promise<EventData[]> {
  if (eventIds.length === 0) return []
  const ids = [...eventIds]
  const events = await db.selectFrom('events').select(['id', 'title', 'date']).where('id', 'in', ids).orderBy('date').orderBy('id').execute()
  const registrations = await db
    .selectFrom('registrations')
    .innerJoin('organisations', 'organisations.id', 'registrations.organisation_id')
    .select([
      'registrations.id', 'registrations.event_id', 'registrations.attendance', 'registrations.organisation_id',
      'organisations.kind', 'organisations.size', 'organisations.sector', 'organisations.themes',
      'organisations.territories', 'organisations.offers', 'organisations.needs', 'organisations.latitude', 'organisations.longitude',
    ])
    .where('registrations.event_id', 'in', ids)
    .execute()
  const regById = new Map(registrations.map((r) => [r.id, r]))
  const schedules = await db
    .selectFrom('schedules')
    .select(['id', 'event_id', 'version', 'trial', 'weights', 'weights_version'])
    .where('event_id', 'in', ids)
    .where('published', '=', 1)
    .execute()
  const latest = new Map<string, (typeof schedules)[number]>()
  for (const s of schedules) if ((latest.get(s.event_id)?.version ?? -1) < s.version) latest.set(s.event_id, s)
  const scheduleIds = [...latest.values()].map((s) => s.id)
  const eventOfSchedule = new Map([...latest.entries()].map(([e, s]) => [s.id, e]))
  const meetings = scheduleIds.length
    ? await db.selectFrom('meetings').selectAll().where('schedule_id', 'in', scheduleIds).execute()
    : []
  const ratings = scheduleIds.length
    ? await db
        .selectFrom('ratings')
        .innerJoin('meetings', 'meetings.id', 'ratings.meeting_id')
        .selectAll('ratings')
        .where('meetings.schedule_id', 'in', scheduleIds)
        .execute()
    : []
  const proposals = await db.selectFrom('proposals').selectAll().where('event_id', 'in', ids).execute()
  const pairExtras = await db.selectFrom('pair_extras').selectAll().where('event_id', 'in', ids).execute()
  const trials = await db.selectFrom('trials').selectAll().where('event_id', 'in', ids).execute()
  const wishes = await db.selectFrom('wishes').select(['event_id', 'from_registration_id', 'to_registration_id', 'level']).where('event_id', 'in', ids).execute()
  const partnerships = await db.selectFrom('partnerships').selectAll().where('event_id', 'in', ids).execute()
  const history = partnerships.length
    ? await db
        .selectFrom('partnership_history')
        .selectAll()
        .where('partnership_id', 'in', partnerships.map((p) => p.id))
        .orderBy('seq')
        .execute()
    : []

  const pairs = new Map<string, PairData>()
  const key = (eventId: string, a: string, c: string) => `${eventId}|${a}|${c}`
  const pairOf = (eventId: string, a: string, c: string): PairData | null => {
    const k = key(eventId, a, c)
    const existing = pairs.get(k)
    if (existing) return existing
    const ra = regById.get(a)
    const rc = regById.get(c)
    const event = events.find((e) => e.id === eventId)
    if (!ra || !rc || !event) return null
    const associationThemes = parseList(ra.themes)
    const companyThemes = parseList(rc.themes)
    const record: PairData = {
      eventId, eventDate: event.date, associationId: ra.organisation_id, companyId: rc.organisation_id,
      associationRegistrationId: a, companyRegistrationId: c,
      associationOrganisationId: ra.organisation_id, companyOrganisationId: rc.organisation_id,
      scheduled: false, held: false, round: null, table: null, score: null, meetingId: null,
      rated: false, mutual: false, proposed: false, reached: null,
      sharedThemes: associationThemes.filter((t) => companyThemes.includes(t)).sort(),
      associationThemes, companyThemes,
      associationSize: ra.size, companySize: rc.size, companySector: rc.sector, associationSector: ra.sector,
      rating: { association: null, company: null },
      proposalKind: null, proposalStatus: null,
      partnershipId: null, partnershipOrigin: null, partnershipStatus: null, partnershipKinds: [],
      valueMoneyEur: null, valueStaffHours: null, valueInKindEur: null,
      daysToContacted: null, daysToAgreement: null, daysToCarriedOut: null,
      extras: emptyExtras(),
    }
    pairs.set(k, record)
    return record
  }

  const ratingsOfMeeting = new Map<string, typeof ratings>()
  for (const r of ratings) ratingsOfMeeting.set(r.meeting_id, [...(ratingsOfMeeting.get(r.meeting_id) ?? []), r])
  const sortedMeetings = meetings.slice().sort((x, y) => x.round - y.round || x.table_no - y.table_no)
  for (const m of sortedMeetings) {
    const eventId = eventOfSchedule.get(m.schedule_id)!
    const p = pairOf(eventId, m.association_registration_id, m.company_registration_id)
    if (!p || p.scheduled) continue
    const rs = ratingsOfMeeting.get(m.id) ?? []
    const absent = [m.association_registration_id, m.company_registration_id].some((id) => regById.get(id)?.attendance === 'absent')
    p.scheduled = true
    p.meetingId = m.id
    p.round = m.round
    p.table = m.table_no
    p.score = m.score
    p.extras.arm = m.arm
    p.held = !absent && !(rs.length > 0 && rs.every((r) => r.took_place === 0))
    for (const r of rs) {
      p.rating[r.side] = { tookPlace: r.took_place === 1, interest: r.interest, followUp: r.follow_up === null ? null : r.follow_up === 1, kinds: parseList(r.kinds) }
    }
    p.rated = p.held && rs.some((r) => r.took_place === 1)
    p.mutual = p.held && rs.length === 2 && rs.every((r) => r.took_place === 1 && r.follow_up === 1)
  }
  for (const pr of proposals) {
    const p = pairOf(pr.event_id, pr.association_registration_id, pr.company_registration_id)
    if (!p) continue
    p.proposalKind = pr.kind
    p.proposalStatus = pr.status
    p.proposed = pr.status !== 'dropped'
  }
  const historyOf = new Map<string, typeof history>()
  for (const h of history) historyOf.set(h.partnership_id, [...(historyOf.get(h.partnership_id) ?? []), h])
  for (const ps of partnerships) {
    const p = pairOf(ps.event_id, ps.association_registration_id, ps.company_registration_id)
    if (!p) continue
    const hs = historyOf.get(ps.id) ?? []
    let reached: PipelineStage = 'proposed'
    const firstAt = new Map<PipelineStage, string>()
    for (const h of hs) {
      if (h.to_status === 'abandoned') continue
      const stage = h.to_status as PipelineStage
      if (!firstAt.has(stage)) firstAt.set(stage, h.at)
      if (stageIndex(stage) > stageIndex(reached)) reached = stage
    }
    // a later stage reached implies the earlier ones (the pipeline allows no skips)
    const firstReaching = (stage: PipelineStage): string | null => {
      for (const s of PIPELINE.slice(stageIndex(stage))) if (firstAt.has(s)) return firstAt.get(s)!
      return null
    }
    const since = (stage: PipelineStage) => {
      const at = firstReaching(stage)
      return at ? days(ps.created_at, at) : null
    }
    p.partnershipId = ps.id
    p.partnershipOrigin = ps.origin
    p.partnershipStatus = ps.status
    p.partnershipKinds = parseList(ps.kinds)
    p.valueMoneyEur = ps.value_money_eur
    p.valueStaffHours = ps.value_staff_hours
    p.valueInKindEur = ps.value_in_kind_eur
    p.reached = reached
    p.daysToContacted = since('contacted')
    p.daysToAgreement = since('agreement')
    p.daysToCarriedOut = since('carried_out')
  }

  // What history files told, beyond the schedule.
  const extrasOf = new Map(pairExtras.map((x) => [key(x.event_id, x.association_registration_id, x.company_registration_id), x]))
  for (const p of pairs.values()) {
    const x = extrasOf.get(key(p.eventId, p.associationRegistrationId, p.companyRegistrationId))
    const e = p.extras
    if (x) {
      if (x.score_known === 0) p.score = null
      e.outcomeKnown = x.outcome_known === 1
      e.labPredictors = parseObject(x.predictors, isNumber)
      e.covariates = parseObject(x.covariates, isString)
      if (x.interest_scale) e.interestScale = x.interest_scale
      e.arm = x.arm
      if (x.outcome_dated === 0) {
        p.daysToContacted = null
        p.daysToAgreement = null
        p.daysToCarriedOut = null
      }
    }
    const scale = scaleOf(e.interestScale)
    for (const side of ['association', 'company'] as const) {
      const given = x ? (side === 'association' ? x.a_interest_given : x.c_interest_given) : null
      const value = given ?? p.rating[side]?.interest ?? null
      e.interestGiven[side] = value
      e.interestNorm[side] = value === null ? null : (value - scale.low) / (scale.high - scale.low)
    }
    p.outcomeKnown = e.outcomeKnown
    const trial = trials.find((t) => t.event_id === p.eventId)
    e.trial = trial ? { assignment: trial.assignment, seed: trial.seed } : null
    // a live trial: a pair that did not meet has the arm of its association's block (or the event's)
    const published = latest.get(p.eventId)
    const draw = published ? scheduleDraw(published) : null
    if (draw && e.arm === null && !x?.arm) e.arm = armOf(draw, p.associationRegistrationId)
    if (published?.weights_version) {
      e.weightsVersion = published.weights_version
      e.weights = published.weights
    }
  }

  // Stated wishes and popularity (the pair left out). An event without any wish did not collect them.
  const wishOf = new Map(wishes.map((w) => [`${w.from_registration_id}|${w.to_registration_id}`, w.level]))
  const eventsWithWishes = new Set(wishes.map((w) => w.event_id))
  const sideOf = (id: string): Side | null => {
    const kind = regById.get(id)?.kind
    return kind === 'association' || kind === 'company' ? kind : null
  }
  const regsOfEvent = new Map<string, string[]>()
  for (const r of registrations) regsOfEvent.set(r.event_id, [...(regsOfEvent.get(r.event_id) ?? []), r.id])
  const stated = (from: string, to: string): StatedWish => wishOf.get(`${from}|${to}`) ?? 'none'
  // interest (normalised) each registration received, by rater
  const received = new Map<string, Map<string, number>>()
  for (const p of pairs.values()) {
    for (const [side, from, to] of [
      ['association', p.associationRegistrationId, p.companyRegistrationId],
      ['company', p.companyRegistrationId, p.associationRegistrationId],
    ] as const) {
      const v = p.extras.interestNorm[side]
      if (v === null) continue
      const m = received.get(to) ?? new Map<string, number>()
      m.set(from, v)
      received.set(to, m)
    }
  }
  const wantedByWishes = (eventId: string, target: string, leaveOut: string): number | null => {
    const side = sideOf(target)
    const others = (regsOfEvent.get(eventId) ?? []).filter((id) => id !== leaveOut && id !== target && sideOf(id) !== null && sideOf(id) !== side)
    return mean(others.map((from) => WISH_VALUE[stated(from, target)]))
  }
  const wantedByRatings = (target: string, leaveOut: string): number | null =>
    mean([...(received.get(target) ?? new Map<string, number>()).entries()].filter(([from]) => from !== leaveOut).map(([, v]) => v))
  const sum = (a: number | null, b: number | null) => (a === null || b === null ? null : a + b)
  for (const p of pairs.values()) {
    const a = p.associationRegistrationId
    const c = p.companyRegistrationId
    if (eventsWithWishes.has(p.eventId)) {
      p.extras.wish = { association: stated(a, c), company: stated(c, a) }
      p.extras.popularity.wishes = sum(wantedByWishes(p.eventId, c, a), wantedByWishes(p.eventId, a, c))
    }
    p.extras.popularity.ratings = sum(wantedByRatings(c, a), wantedByRatings(a, c))
  }

  // The engine's parts, from the organisations' profiles (as they are now) and the event's wishes.
  const profileOf = (r: (typeof registrations)[number]): Profile => {
    const profile: Profile = { name: r.id }
    const lists = { themes: parseList(r.themes), territories: parseList(r.territories), offers: parseList(r.offers), needs: parseList(r.needs) }
    for (const [k, list] of Object.entries(lists) as [keyof typeof lists, string[]][]) if (list.length > 0) profile[k] = list
    if (r.size) profile.size = r.size
    if (r.latitude !== null && r.longitude !== null) {
      profile.latitude = r.latitude
      profile.longitude = r.longitude
    }
    const own = wishes.filter((w) => w.from_registration_id === r.id)
    if (own.length > 0) profile.wishes = Object.fromEntries(own.map((w) => [w.to_registration_id, w.level]))
    return profile
  }
  const profiles = new Map(registrations.map((r) => [r.id, profileOf(r)]))
  for (const e of events) {
    const regs = registrations.filter((r) => r.event_id === e.id)
    const participants = (kind: Side): Participant[] => regs.filter((r) => r.kind === kind).map((r) => ({ id: r.id, profile: profiles.get(r.id)! }))
    const base: Instance = { rounds: 1, associations: participants('association'), companies: participants('company') }
    const scorers = ENGINE_PARTS.map((part) => [part, scorePairs({ ...base, options: { weights: PART_WEIGHTS[part] } })] as const)
    for (const p of pairs.values()) {
      if (p.eventId !== e.id) continue
      const a = profiles.get(p.associationRegistrationId)
      const c = profiles.get(p.companyRegistrationId)
      if (!a || !c) continue
      const known: Record<EnginePart, boolean> = {
        offers_needs: [a, c].every((x) => (x.offers?.length ?? 0) + (x.needs?.length ?? 0) > 0),
        themes: [a, c].every((x) => (x.themes?.length ?? 0) > 0),
        territory: [a, c].every((x) => (x.territories?.length ?? 0) > 0),
        distance: [a, c].every((x) => x.latitude !== undefined && x.longitude !== undefined),
        size: [a, c].every((x) => x.size !== undefined),
        wishes: eventsWithWishes.has(e.id),
      }
      for (const [part, scorer] of scorers) {
        p.extras.parts[part] = known[part] ? scorer.score(p.associationRegistrationId, p.companyRegistrationId) : null
      }
    }
  }

  // Organisers often skip check-in at the door: a participant not marked absent
  // whose meeting either side rated as held was there all the same.
  const seenAtAMeeting = new Set<string>()
  for (const p of pairs.values()) {
    if (p.rating.association?.tookPlace || p.rating.company?.tookPlace) {
      seenAtAMeeting.add(p.associationRegistrationId)
      seenAtAMeeting.add(p.companyRegistrationId)
    }
  }
  const wasPresent = (r: (typeof registrations)[number]) =>
    r.attendance === 'present' || r.attendance === 'walk-in' || (r.attendance !== 'absent' && seenAtAMeeting.has(r.id))

  return events.map((e) => {
    const regs = registrations.filter((r) => r.event_id === e.id)
    return {
      eventId: e.id,
      title: e.title,
      date: e.date,
      participants: {
        registered: regs.length,
        present: regs.filter(wasPresent).length,
      },
      pairs: [...pairs.values()]
        .filter((p) => p.eventId === e.id)
        .sort((x, y) => (x.round ?? 1e9) - (y.round ?? 1e9) || (x.table ?? 1e9) - (y.table ?? 1e9) || (x.associationRegistrationId < y.associationRegistrationId ? -1 : 1)),
    }
  })
}
