/**
 * After the ratings: double opt-in matches, follow-up proposals, partnerships
 * with their pipeline and history, check-ins.
 *
 * Double opt-in: a participant learns of the other side's interest only when
 * both sides said they want a follow-up; then both see each other's contact at
 * once (the rule is symmetric, so the reveal is simultaneous by construction).
 */
import { randomUUID } from 'node:crypto'
import type { Kysely, Transaction } from 'kysely'
import { z } from 'zod'
import { proposeFollowUps } from '../../solver/proposals.ts'
import type { FollowUpInput } from '../../solver/types.ts'
import { patchColumns, type ColumnsOf } from '../db/patch.ts'
import { insertCheckins, listCheckins } from '../db/repositories/checkins.repository.ts'
import {
  findPartnership,
  findPartnershipOfPair,
  insertPartnership,
  listHistory,
  setStatus,
} from '../db/repositories/partnerships.repository.ts'
import { findProposal, listProposals, replaceOpenProposals } from '../db/repositories/proposals.repository.ts'
import { findEventMeeting, listEventMeetings, listEventRatings } from '../db/repositories/ratings.repository.ts'
import type {
  CheckinMilestone,
  CheckinTable,
  Database,
  Event,
  Partnership,
  PartnershipHistory,
  PartnershipStatus,
  PartnershipTable,
  Proposal,
  ProposalTable,
  Side,
} from '../db/schema.ts'
import { AppError, notFound, type Msg } from '../errors.ts'
import { joinLabels, pipelineLabels } from './labels.ts'
import type { ProposalContext } from './proposal-scores.ts'
import { zodWords } from './zod-messages.ts'
import { KindCode } from './ratings.ts'

// ---- dates ----------------------------------------------------------------

/** YYYY-MM-DD plus days (UTC calendar arithmetic). */
export function addDays(day: string, days: number): string {
  const d = new Date(`${day.slice(0, 10)}T00:00:00Z`)
  d.setUTCDate(d.getUTCDate() + days)
  return d.toISOString().slice(0, 10)
}

/** YYYY-MM-DD plus months, clamped to the month's last day (31 Jan + 1 month = 28/29 Feb). */
export function addMonths(day: string, months: number): string {
  const [y, m, d] = day.slice(0, 10).split('-').map(Number) as [number, number, number]
  const target = new Date(Date.UTC(y, m - 1 + months, 1))
  const last = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate()
  target.setUTCDate(Math.min(d, last))
  return target.toISOString().slice(0, 10)
}

// ---- double opt-in -----------------------------------------------------------

export interface MutualMatch {
  meetingId: string
  round: number
  table: number
  other: { side: Side; registrationId: string; organisation: string; personName: string; email: string | null }
}

/** The participant's meetings where both sides want a follow-up, with the other side's contact. */
export async function mutualMatches(db: Kysely<Database>, eventId: string, registrationId: string): Promise<MutualMatch[]> {
  const meetings = (await listEventMeetings(db, eventId)).filter(
    (m) => m.association_registration_id === registrationId || m.company_registration_id === registrationId,
  )
  if (meetings.length === 0) return []
  const ratings = await db.selectFrom('ratings').selectAll().where('meeting_id', 'in', meetings.map((m) => m.id)).execute()
  const out: MutualMatch[] = []
  for (const m of meetings) {
    const rs = ratings.filter((r) => r.meeting_id === m.id)
    const mutual = rs.length === 2 && rs.every((r) => r.took_place === 1 && r.follow_up === 1)
    if (!mutual) continue
    const otherSide: Side = m.association_registration_id === registrationId ? 'company' : 'association'
    const otherId = otherSide === 'association' ? m.association_registration_id : m.company_registration_id
    const other = await db
      .selectFrom('registrations')
      .innerJoin('organisations', 'organisations.id', 'registrations.organisation_id')
      .select(['registrations.person_name', 'registrations.person_email', 'organisations.name'])
      .where('registrations.id', '=', otherId)
      .executeTakeFirstOrThrow()
    out.push({
      meetingId: m.id,
      round: m.round,
      table: m.table_no,
      other: { side: otherSide, registrationId: otherId, organisation: other.name, personName: other.person_name, email: other.person_email },
    })
  }
  return out
}

// ---- proposals ----------------------------------------------------------------

export const ProposalRun = z.object({
  /** follow-ups one organisation can take on (default 3) */
  capacity: z.number().int().min(1).max(50).default(3),
  capacityByRegistration: z.record(z.string(), z.number().int().min(0).max(50)).optional(),
  /** call-back deadline after the event date, in days (default 14) */
  dueDays: z.number().int().min(1).max(365).default(14),
  missedLimit: z.number().int().min(0).max(100).default(10),
  locale: z.enum(['fr', 'en']).default('fr'),
})
export type ProposalRun = z.infer<typeof ProposalRun>

export const ProposalEdit = z
  .object({
    caller: z.enum(['association', 'company']).optional(),
    dueDate: z.iso.date().optional(),
    note: z.string().max(4000).nullable().optional(),
    status: z.enum(['proposed', 'accepted', 'dropped']).optional(),
  })
  .refine((v) => Object.keys(v).length > 0, { message: zodWords({ fr: 'rien à changer', en: 'nothing to change' }) })
export type ProposalEdit = z.infer<typeof ProposalEdit>

/**
 * Runs the solver's follow-up step on the event's ratings and stores the result
 * (replacing proposals still 'proposed'; accepted or dropped ones are kept).
 * `scores`: compatibility of every pair, for missed connections (optional).
 */
export async function runProposals(
  db: Kysely<Database>,
  event: Event,
  run: ProposalRun,
  now: string,
  context?: ProposalContext,
): Promise<Proposal[]> {
  const meetings = await listEventMeetings(db, event.id)
  if (meetings.length === 0) throw new AppError('no_published_schedule', { fr: "Pas de planning publié", en: "The event has no published schedule" })
  const ratings = await listEventRatings(db, event.id)
  const meetingById = new Map(meetings.map((m) => [m.id, m]))
  const input: FollowUpInput = {
    meetings: meetings.map((m) => ({
      association: m.association_registration_id,
      company: m.company_registration_id,
      score: m.score,
      reasons: JSON.parse(m.reasons) as string[],
    })),
    ratings: ratings.flatMap((r) => {
      const m = meetingById.get(r.meeting_id)
      if (!m || r.took_place !== 1 || r.interest === null) return []
      return [{ association: m.association_registration_id, company: m.company_registration_id, side: r.side, interest: r.interest, followUp: r.follow_up === 1 }]
    }),
    capacity: run.capacityByRegistration ? { default: run.capacity, byId: run.capacityByRegistration } : { default: run.capacity },
    missedLimit: run.missedLimit,
    locale: run.locale,
  }
  if (context) {
    input.scores = context.scores
    input.reasons = context.reasons
    input.forbidden = context.forbidden
  }
  const result = proposeFollowUps(input)
  // the solver speaks of ids: put organisation names in the reasons
  const named = (reasons: string[]) => JSON.stringify(reasons.map((r) => withNames(r, context?.names ?? {})))
  const meetingOfPair = new Map(meetings.map((m) => [`${m.association_registration_id}|${m.company_registration_id}`, m]))
  const due = addDays(event.date, run.dueDays)
  const rows: ProposalTable[] = [
    ...result.proposals.map((p) => {
      const m = meetingOfPair.get(`${p.association}|${p.company}`)
      return {
        id: randomUUID(), event_id: event.id, kind: 'follow-up' as const, rank: p.rank, meeting_id: m?.id ?? null,
        association_registration_id: p.association, company_registration_id: p.company, mutual_interest: p.mutualInterest,
        score: m?.score ?? null, caller: p.caller, due_date: due, reasons: named(p.reasons), note: null,
        status: 'proposed' as const, created_at: now, updated_at: now,
      }
    }),
    ...result.missed.map((p, i) => ({
      id: randomUUID(), event_id: event.id, kind: 'missed' as const, rank: i + 1, meeting_id: null,
      association_registration_id: p.association, company_registration_id: p.company, mutual_interest: null,
      score: p.score, caller: 'association' as const, due_date: due, reasons: named(p.reasons), note: null,
      status: 'proposed' as const, created_at: now, updated_at: now,
    })),
  ]
  await db.transaction().execute((tx) => replaceOpenProposals(tx, event.id, rows))
  return listProposals(db, event.id)
}

function withNames(text: string, names: Record<string, string>): string {
  let out = text
  for (const [id, name] of Object.entries(names)) if (out.includes(id)) out = out.split(id).join(name)
  return out
}

export function proposalView(p: Proposal) {
  return {
    id: p.id,
    kind: p.kind,
    rank: p.rank,
    meetingId: p.meeting_id,
    associationRegistrationId: p.association_registration_id,
    companyRegistrationId: p.company_registration_id,
    mutualInterest: p.mutual_interest,
    score: p.score,
    caller: p.caller,
    dueDate: p.due_date,
    reasons: JSON.parse(p.reasons) as string[],
    note: p.note,
    status: p.status,
    createdAt: p.created_at,
    updatedAt: p.updated_at,
  }
}

// ---- partnerships ---------------------------------------------------------------

/** Allowed status changes; anything else is 409 invalid_transition. */
export const pipelineTransitions: Record<PartnershipStatus, PartnershipStatus[]> = {
  proposed: ['contacted', 'abandoned'],
  contacted: ['in_discussion', 'abandoned'],
  in_discussion: ['agreement', 'abandoned'],
  agreement: ['carried_out', 'abandoned'],
  carried_out: ['renewed'],
  renewed: [],
  abandoned: [],
}

/** The stages in words, for the API's messages (the pages use i18n `pipeline.*`, the same words). */
export const stageLabels: Record<'fr' | 'en', Record<PartnershipStatus, string>> = {
  fr: { proposed: 'Proposé', contacted: 'Contacté', in_discussion: 'En discussion', agreement: 'Accord', carried_out: 'Réalisé', renewed: 'Renouvelé', abandoned: 'Abandonné' },
  en: { proposed: 'Proposed', contacted: 'Contacted', in_discussion: 'In discussion', agreement: 'Agreement', carried_out: 'Carried out', renewed: 'Renewed', abandoned: 'Abandoned' },
}

/** The chain of statuses from 'proposed' to `to` (for imports of past outcomes). */
export function pipelinePath(to: PartnershipStatus, abandonedAfter: PartnershipStatus = 'proposed'): PartnershipStatus[] {
  const main: PartnershipStatus[] = ['proposed', 'contacted', 'in_discussion', 'agreement', 'carried_out', 'renewed']
  if (to === 'abandoned') return [...main.slice(0, main.indexOf(abandonedAfter) + 1), 'abandoned']
  return main.slice(0, main.indexOf(to) + 1)
}

export const CHECKIN_MILESTONES: { milestone: CheckinMilestone; due: (day: string) => string }[] = [
  { milestone: '2w', due: (d) => addDays(d, 14) },
  { milestone: '3m', due: (d) => addMonths(d, 3) },
  { milestone: '6m', due: (d) => addMonths(d, 6) },
  { milestone: '12m', due: (d) => addMonths(d, 12) },
]

const Money = z.number().min(0).max(1e9).nullable().optional()

export const PartnershipFields = z.object({
  kinds: z.array(KindCode).max(20).optional(),
  valueMoneyEur: Money,
  valueStaffHours: Money,
  valueInKindEur: Money,
  startedOn: z.iso.date().nullable().optional(),
  endedOn: z.iso.date().nullable().optional(),
  note: z.string().max(4000).nullable().optional(),
})
export type PartnershipFields = z.infer<typeof PartnershipFields>

export const NewPartnership = PartnershipFields.extend({
  proposalId: z.string().min(1).optional(),
  meetingId: z.string().min(1).optional(),
  associationRegistrationId: z.string().min(1).optional(),
  companyRegistrationId: z.string().min(1).optional(),
}).refine(
  (v) =>
    [v.proposalId !== undefined, v.meetingId !== undefined, v.associationRegistrationId !== undefined || v.companyRegistrationId !== undefined].filter(Boolean)
      .length === 1,
  { message: zodWords({ fr: 'un seul de proposalId, meetingId, ou associationRegistrationId + companyRegistrationId', en: 'exactly one origin' }) },
)
export type NewPartnership = z.infer<typeof NewPartnership>

export const StatusChange = z.object({
  status: z.enum(['proposed', 'contacted', 'in_discussion', 'agreement', 'carried_out', 'renewed', 'abandoned']),
  reason: z.string().trim().min(1).max(2000).optional(),
})
export type StatusChange = z.infer<typeof StatusChange>

const partnershipColumns: ColumnsOf<PartnershipFields, PartnershipTable> = {
  kinds: { column: 'kinds', encode: (kinds) => JSON.stringify([...new Set(kinds)]) },
  valueMoneyEur: 'value_money_eur',
  valueStaffHours: 'value_staff_hours',
  valueInKindEur: 'value_in_kind_eur',
  startedOn: 'started_on',
  endedOn: 'ended_on',
  note: 'note',
}

export function fieldsToColumns(f: PartnershipFields): Partial<PartnershipTable> {
  return patchColumns(f, partnershipColumns)
}

async function assertPairOfEvent(db: Kysely<Database> | Transaction<Database>, eventId: string, associationId: string, companyId: string): Promise<void> {
  const rows = await db
    .selectFrom('registrations')
    .innerJoin('organisations', 'organisations.id', 'registrations.organisation_id')
    .select(['registrations.id', 'organisations.kind'])
    .where('registrations.event_id', '=', eventId)
    .where('registrations.id', 'in', [associationId, companyId])
    .execute()
  const issues = []
  if (!rows.some((r) => r.id === associationId && r.kind === 'association')) {
    issues.push({ path: 'associationRegistrationId', message: { fr: "pas une association de l'événement", en: "not an association of the event" } })
  }
  if (!rows.some((r) => r.id === companyId && r.kind === 'company')) {
    issues.push({ path: 'companyRegistrationId', message: { fr: "pas une entreprise de l'événement", en: "not a company of the event" } })
  }
  if (issues.length > 0) throw new AppError('validation_failed', { fr: 'Paire invalide', en: 'Invalid pair' }, issues)
}

/**
 * Creates a partnership (status 'proposed') from a proposal, a meeting, or a pair
 * (which may never have met), with its first history row and its check-ins.
 */
export async function createPartnership(
  db: Kysely<Database>,
  eventId: string,
  input: NewPartnership,
  actor: string,
  now: string,
  origin?: PartnershipTable['origin'],
): Promise<Partnership> {
  let association: string
  let company: string
  let proposalId: string | null = null
  let meetingId: string | null = null
  let from: PartnershipTable['origin']
  if (input.proposalId !== undefined) {
    const proposal = await findProposal(db, eventId, input.proposalId)
    if (!proposal) throw notFound({ fr: 'Proposition', en: 'Proposal' })
    if (proposal.status === 'dropped') throw new AppError('conflict', { fr: 'Proposition abandonnée', en: 'The proposal was dropped' })
    ;[association, company, proposalId, meetingId, from] = [proposal.association_registration_id, proposal.company_registration_id, proposal.id, proposal.meeting_id, 'proposal']
  } else if (input.meetingId !== undefined) {
    const meeting = await findEventMeeting(db, eventId, input.meetingId)
    if (!meeting) throw notFound({ fr: 'Rencontre', en: 'Meeting' })
    ;[association, company, meetingId, from] = [meeting.association_registration_id, meeting.company_registration_id, meeting.id, 'meeting']
  } else {
    if (!input.associationRegistrationId || !input.companyRegistrationId) {
      throw new AppError('validation_failed', { fr: 'Paire incomplète', en: 'Incomplete pair' }, [
        { path: input.associationRegistrationId ? 'companyRegistrationId' : 'associationRegistrationId', message: { fr: 'requis', en: 'required' } },
      ])
    }
    await assertPairOfEvent(db, eventId, input.associationRegistrationId, input.companyRegistrationId)
    ;[association, company, from] = [input.associationRegistrationId, input.companyRegistrationId, 'direct']
    // a direct pair that did meet is linked to its meeting
    const met = (await listEventMeetings(db, eventId)).find((m) => m.association_registration_id === association && m.company_registration_id === company)
    meetingId = met?.id ?? null
  }
  if (await findPartnershipOfPair(db, eventId, association, company)) {
    throw new AppError('conflict', { fr: 'Un partenariat existe déjà pour cette paire', en: 'A partnership already exists for this pair' })
  }
  const id = randomUUID()
  const row: PartnershipTable = {
    id, event_id: eventId, origin: origin ?? from, proposal_id: proposalId, meeting_id: meetingId,
    association_registration_id: association, company_registration_id: company, status: 'proposed', abandon_reason: null,
    kinds: '[]', value_money_eur: null, value_staff_hours: null, value_in_kind_eur: null, started_on: null, ended_on: null,
    note: null, created_by: actor, created_at: now, updated_at: now, ...fieldsToColumns(input),
  }
  await db.transaction().execute(async (tx) => {
    await insertPartnership(tx, row)
    await insertCheckins(tx, checkinRows(id, now.slice(0, 10)))
    if (proposalId) {
      await tx.updateTable('proposals').set({ status: 'accepted', updated_at: now }).where('id', '=', proposalId).where('status', '=', 'proposed').execute()
    }
  })
  return (await findPartnership(db, id))!
}

export function checkinRows(partnershipId: string, from: string): CheckinTable[] {
  return CHECKIN_MILESTONES.flatMap(({ milestone, due }) =>
    (['association', 'company'] as const).map((side) => ({
      id: `${partnershipId}-${milestone}-${side === 'association' ? 'a' : 'c'}`,
      partnership_id: partnershipId, milestone, side, due_on: due(from),
      answered_at: null, answered_by: null, evolution: null, comment: null,
    })),
  )
}

/**
 * Moves a partnership along the pipeline; 409 for a move the pipeline does not
 * allow, or when another request moved it since `partnership` was read.
 */
function stageChange(from: PartnershipStatus, to: PartnershipStatus, allowed: Msg): Msg {
  return {
    fr: `Passage impossible de « ${pipelineLabels[from].fr} » à « ${pipelineLabels[to].fr} » (possibles : ${allowed.fr})`,
    en: `Cannot go from “${pipelineLabels[from].en}” to “${pipelineLabels[to].en}” (allowed: ${allowed.en})`,
  }
}

export async function changeStatus(
  db: Kysely<Database>,
  partnership: Partnership,
  change: StatusChange,
  actor: string,
  now: string,
): Promise<Partnership> {
  const [fr, en] = [stageLabels.fr, stageLabels.en]
  if (!pipelineTransitions[partnership.status].includes(change.status)) {
    const allowed = pipelineTransitions[partnership.status]
    throw new AppError(
      'invalid_transition',
      stageChange(partnership.status, change.status, joinLabels(allowed.map((s) => pipelineLabels[s]))),
    )
  }
  if (change.status === 'abandoned' && !change.reason) {
    throw new AppError('validation_failed', { fr: 'Pour passer à « Abandonné », donnez la raison de l’abandon', en: 'To move to “Abandoned”, give the reason' }, [
      { path: 'reason', message: { fr: 'la raison est requise pour « Abandonné »', en: 'the reason is required for “Abandoned”' } },
    ])
  }
  const moved = await db.transaction().execute((tx) => setStatus(tx, partnership, change.status, change.reason ?? null, actor, now))
  const current = await findPartnership(db, partnership.id)
  if (!current) throw notFound({ fr: 'Partenariat', en: 'Partnership' })
  if (!moved) {
    throw new AppError(
      'conflict',
      {
        fr: `Le partenariat est déjà passé de « ${pipelineLabels[partnership.status].fr} » à « ${pipelineLabels[current.status].fr} » : rechargez et réessayez`,
        en: `The partnership has already moved from “${pipelineLabels[partnership.status].en}” to “${pipelineLabels[current.status].en}”: reload and try again`,
      },
    )
  }
  return current
}

export async function partnershipOfEvent(db: Kysely<Database>, eventId: string, id: string): Promise<Partnership> {
  const p = await findPartnership(db, id)
  if (!p || p.event_id !== eventId) throw notFound({ fr: 'Partenariat', en: 'Partnership' })
  return p
}

export function partnershipView(p: Partnership, history?: PartnershipHistory[], checkins?: Awaited<ReturnType<typeof listCheckins>>) {
  return {
    id: p.id,
    eventId: p.event_id,
    origin: p.origin,
    proposalId: p.proposal_id,
    meetingId: p.meeting_id,
    associationRegistrationId: p.association_registration_id,
    companyRegistrationId: p.company_registration_id,
    status: p.status,
    abandonReason: p.abandon_reason,
    kinds: JSON.parse(p.kinds) as string[],
    valueMoneyEur: p.value_money_eur,
    valueStaffHours: p.value_staff_hours,
    valueInKindEur: p.value_in_kind_eur,
    startedOn: p.started_on,
    endedOn: p.ended_on,
    note: p.note,
    createdBy: p.created_by,
    createdAt: p.created_at,
    updatedAt: p.updated_at,
    ...(history
      ? { history: history.filter((h) => h.partnership_id === p.id).map((h) => ({ seq: h.seq, from: h.from_status, to: h.to_status, reason: h.reason, by: h.actor, at: h.at })) }
      : {}),
    ...(checkins ? { checkins: checkins.filter((c) => c.partnership_id === p.id).map(checkinView) } : {}),
  }
}

export async function partnershipDetails(db: Kysely<Database>, p: Partnership) {
  return partnershipView(p, await listHistory(db, [p.id]), await listCheckins(db, [p.id]))
}

// ---- check-ins ----------------------------------------------------------------

export const CheckinAnswer = z.object({
  evolution: z.enum(['no-contact', 'in-progress', 'agreement', 'carried-out', 'abandoned']),
  comment: z.string().max(4000).nullable().optional(),
})
export type CheckinAnswer = z.infer<typeof CheckinAnswer>

export function checkinView(c: Awaited<ReturnType<typeof listCheckins>>[number]) {
  return {
    id: c.id,
    partnershipId: c.partnership_id,
    milestone: c.milestone,
    side: c.side,
    dueOn: c.due_on,
    answeredAt: c.answered_at,
    evolution: c.evolution,
    comment: c.comment,
  }
}

export { listProposals }
