/**
 * An organisation across the network's events: the evenings it attended (with
 * the person who came), its meetings with their round and both sides' ratings,
 * the proposals and partnerships that followed with their stages; and the
 * merge of two records of one organisation.
 */
import type { Kysely } from 'kysely'
import { getOrganisation, parseList, toOrganisationDto, type OrganisationDto } from '../db/repositories/organisations.repository.ts'
import type { Attendance, Database, EventStatus, Organisation, PartnershipStatus, Side } from '../db/schema.ts'
import { AppError, notFound } from '../errors.ts'
import { formatDay } from './typography.ts'
import { loadEventData, type SideRating } from './pair-records.ts'

export interface OrganisationRef {
  organisationId: string
  name: string
  personName: string
}

export interface HistoryMeeting {
  meetingId: string | null
  round: number | null
  table: number | null
  held: boolean
  with: OrganisationRef
  /** both sides' ratings, as given */
  ratings: Record<Side, SideRating | null>
}

export interface HistoryEvening {
  eventId: string
  title: string
  date: string
  status: EventStatus
  archived: boolean
  registrationId: string
  /** the person who came (or was registered) */
  personName: string
  attendance: Attendance
  meetings: HistoryMeeting[]
}

export interface HistoryProposal {
  id: string
  eventId: string
  eventTitle: string
  kind: 'follow-up' | 'missed'
  status: string
  dueDate: string
  with: OrganisationRef
}

export interface HistoryPartnership {
  id: string
  eventId: string
  eventTitle: string
  origin: string
  status: PartnershipStatus
  kinds: string[]
  with: OrganisationRef
  /** every stage, in order */
  stages: { from: PartnershipStatus | null; to: PartnershipStatus; at: string; reason: string | null }[]
}

export interface OrganisationHistory {
  organisation: OrganisationDto
  evenings: HistoryEvening[]
  proposals: HistoryProposal[]
  partnerships: HistoryPartnership[]
}

export async function organisationHistory(db: Kysely<Database>, networkId: string, organisationId: string): Promise<OrganisationHistory> {
  const organisation = await getOrganisation(db, networkId, organisationId)
  if (!organisation) throw notFound({ fr: 'Organisation', en: 'Organisation' })
  const own = await db
    .selectFrom('registrations')
    .innerJoin('events', 'events.id', 'registrations.event_id')
    .select([
      'registrations.id as registrationId', 'registrations.person_name', 'registrations.attendance',
      'events.id as eventId', 'events.title', 'events.date', 'events.status', 'events.archived_at',
    ])
    .where('registrations.organisation_id', '=', organisation.id)
    .where('events.network_id', '=', networkId)
    .orderBy('events.date', 'desc')
    .orderBy('events.created_at', 'desc')
    .execute()
  const eventIds = own.map((r) => r.eventId)
  const ownRegs = new Set(own.map((r) => r.registrationId))
  const titleOf = new Map(own.map((r) => [r.eventId, r.title]))
  // the other sides of every pair, by registration
  const others = eventIds.length
    ? await db
        .selectFrom('registrations')
        .innerJoin('organisations', 'organisations.id', 'registrations.organisation_id')
        .select(['registrations.id', 'registrations.person_name', 'organisations.id as organisationId', 'organisations.name'])
        .where('registrations.event_id', 'in', eventIds)
        .execute()
    : []
  const refOf = new Map(others.map((r) => [r.id, { organisationId: r.organisationId, name: r.name, personName: r.person_name }]))
  const ref = (id: string): OrganisationRef => refOf.get(id) ?? { organisationId: '', name: '?', personName: '?' }
  const otherOf = (a: string, c: string) => (ownRegs.has(a) ? c : a)

  const data = await loadEventData(db, eventIds)
  const evenings: HistoryEvening[] = own.map((r) => {
    const pairs = data.find((e) => e.eventId === r.eventId)?.pairs ?? []
    const meetings = pairs
      .filter((p) => p.scheduled && (p.associationRegistrationId === r.registrationId || p.companyRegistrationId === r.registrationId))
      .map((p) => ({
        meetingId: p.meetingId,
        round: p.round,
        table: p.table,
        held: p.held,
        with: ref(otherOf(p.associationRegistrationId, p.companyRegistrationId)),
        ratings: p.rating,
      }))
    return {
      eventId: r.eventId, title: r.title, date: r.date, status: r.status, archived: r.archived_at !== null,
      registrationId: r.registrationId, personName: r.person_name, attendance: r.attendance, meetings,
    }
  })

  const regIds = [...ownRegs]
  const proposals = regIds.length
    ? await db
        .selectFrom('proposals')
        .selectAll()
        .where((eb) => eb.or([eb('association_registration_id', 'in', regIds), eb('company_registration_id', 'in', regIds)]))
        .orderBy('due_date')
        .orderBy('id')
        .execute()
    : []
  const partnerships = regIds.length
    ? await db
        .selectFrom('partnerships')
        .selectAll()
        .where((eb) => eb.or([eb('association_registration_id', 'in', regIds), eb('company_registration_id', 'in', regIds)]))
        .orderBy('created_at')
        .orderBy('id')
        .execute()
    : []
  const steps = partnerships.length
    ? await db.selectFrom('partnership_history').selectAll().where('partnership_id', 'in', partnerships.map((p) => p.id)).orderBy('seq').execute()
    : []
  return {
    organisation: toOrganisationDto(organisation),
    evenings,
    proposals: proposals.map((p) => ({
      id: p.id, eventId: p.event_id, eventTitle: titleOf.get(p.event_id) ?? '', kind: p.kind, status: p.status, dueDate: p.due_date,
      with: ref(otherOf(p.association_registration_id, p.company_registration_id)),
    })),
    partnerships: partnerships.map((p) => ({
      id: p.id, eventId: p.event_id, eventTitle: titleOf.get(p.event_id) ?? '', origin: p.origin, status: p.status, kinds: parseList(p.kinds),
      with: ref(otherOf(p.association_registration_id, p.company_registration_id)),
      stages: steps.filter((s) => s.partnership_id === p.id).map((s) => ({ from: s.from_status, to: s.to_status, at: s.at, reason: s.reason })),
    })),
  }
}

const scalarColumns = [
  'siren', 'rna', 'sector', 'size', 'town', 'postcode', 'latitude', 'longitude', 'description', 'contact_name', 'contact_email', 'group_name',
] as const
const listColumns = ['themes', 'territories', 'offers', 'needs'] as const

/**
 * Merges organisation `fromId` into `intoId` (two records of one organisation
 * of the network): its registrations and exclusions move over, blanks of the
 * kept profile are filled from the other and vocabulary lists joined, then the
 * other record goes. One transaction. Refused (409) when both were registered
 * at the same event: one of those registrations would have to go.
 */
export async function mergeOrganisations(db: Kysely<Database>, networkId: string, intoId: string, fromId: string, now: string): Promise<Organisation> {
  try {
    return await merge(db, networkId, intoId, fromId, now)
  } catch (error) {
    // a registration of one of them at the other's event slipped in between the check and the move: the unique (event, organisation) holds
    const text = `${(error as { code?: unknown }).code ?? ''} ${(error as Error).message ?? ''}`
    if (/23505|UNIQUE constraint/.test(text)) {
      throw new AppError('conflict', { fr: 'Les deux fiches viennent d’être inscrites à la même soirée : rechargez et réessayez', en: 'Both records were just registered at the same event: reload and try again' })
    }
    throw error
  }
}

async function merge(db: Kysely<Database>, networkId: string, intoId: string, fromId: string, now: string): Promise<Organisation> {
  return db.transaction().execute(async (trx) => {
    const into = await getOrganisation(trx, networkId, intoId)
    if (!into) throw notFound({ fr: 'Organisation', en: 'Organisation' })
    const from = await getOrganisation(trx, networkId, fromId)
    if (!from) throw notFound({ fr: 'Organisation', en: 'Organisation' })
    if (into.id === from.id) {
      throw new AppError('validation_failed', { fr: 'Données invalides', en: 'Invalid data' }, [
        { path: 'from', message: { fr: `« ${into.name} » ne peut être fusionnée avec elle-même`, en: `« ${into.name} » cannot be merged with itself` } },
      ])
    }
    if (into.kind !== from.kind) {
      throw new AppError(
        'conflict',
        {
          fr: `« ${from.name} » et « ${into.name} » ne sont pas du même type (association, entreprise) : fusion impossible`,
          en: `“${from.name}” and “${into.name}” are not of the same kind: they cannot be merged`,
        },
      )
    }
    const shared = await trx
      .selectFrom('registrations as a')
      .innerJoin('registrations as b', 'b.event_id', 'a.event_id')
      .innerJoin('events', 'events.id', 'a.event_id')
      .select(['events.title', 'events.date'])
      .where('a.organisation_id', '=', into.id)
      .where('b.organisation_id', '=', from.id)
      .orderBy('events.date')
      .execute()
    if (shared.length > 0) {
      const list = shared.map((e) => `« ${e.title} » (${formatDay(e.date, 'fr')})`).join(', ')
      const listEn = shared.map((e) => `“${e.title}” (${formatDay(e.date, 'en')})`).join(', ')
      throw new AppError(
        'conflict',
        {
          fr: `« ${from.name} » et « ${into.name} » sont inscrites toutes deux à ${list} : retirez l’une des inscriptions avant de fusionner`,
          en: `“${from.name}” and “${into.name}” are both registered at ${listEn}: remove one registration before merging`,
        },
      )
    }
    await trx.updateTable('registrations').set({ organisation_id: into.id }).where('organisation_id', '=', from.id).execute()
    await trx.updateTable('exclusions').set({ association_id: into.id }).where('association_id', '=', from.id).execute()
    await trx.updateTable('exclusions').set({ company_id: into.id }).where('company_id', '=', from.id).execute()
    const set: Record<string, unknown> = {}
    for (const column of scalarColumns) if (into[column] === null && from[column] !== null) set[column] = from[column]
    for (const column of listColumns) {
      const joined = [...new Set([...parseList(into[column]), ...parseList(from[column])])]
      if (joined.length !== parseList(into[column]).length) set[column] = JSON.stringify(joined)
    }
    await trx.updateTable('organisations').set({ ...set, updated_at: now }).where('id', '=', into.id).execute()
    await trx.deleteFrom('organisations').where('id', '=', from.id).execute()
    return trx.selectFrom('organisations').selectAll().where('id', '=', into.id).executeTakeFirstOrThrow()
  })
}
