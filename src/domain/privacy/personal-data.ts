/**
 * Everything held about one participant and its registration, for `GET
 * /api/me/data` and the organiser's copy on request: the registration, the
 * organisation's profile, wishes given, ratings given with their notes,
 * meetings, mutual matches, partnerships and check-ins.
 */
import type { Kysely } from 'kysely'
import { toOrganisationDto } from '../../db/repositories/organisations.repository.ts'
import { listEventMeetings } from '../../db/repositories/ratings.repository.ts'
import type { Database } from '../../db/schema.ts'
import { notFound } from '../../errors.ts'
import { mutualMatches } from '../followups.ts'
import { privacyDb } from './db.ts'
import { participantLocale } from '../locale.ts'

const list = (json: string): string[] => {
  try {
    const v = JSON.parse(json) as unknown
    return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []
  } catch {
    return []
  }
}

export async function collectPersonalData(db: Kysely<Database>, eventId: string, registrationId: string, now: string) {
  const pdb = privacyDb(db)
  const reg = await pdb.selectFrom('registrations').selectAll().where('id', '=', registrationId).where('event_id', '=', eventId).executeTakeFirst()
  if (!reg) throw notFound({ fr: 'Inscription', en: 'Registration' })
  const organisation = await db.selectFrom('organisations').selectAll().where('id', '=', reg.organisation_id).executeTakeFirstOrThrow()
  const event = await db.selectFrom('events').select(['id', 'title', 'date', 'venue', 'status', 'network_id']).where('id', '=', eventId).executeTakeFirstOrThrow()
  const network = await pdb.selectFrom('networks').select(['name', 'email', 'privacy_email']).where('id', '=', event.network_id).executeTakeFirstOrThrow()

  // the other organisations' names, to say who a wish, meeting or partnership was with
  const names = new Map(
    (
      await db
        .selectFrom('registrations')
        .innerJoin('organisations', 'organisations.id', 'registrations.organisation_id')
        .select(['registrations.id', 'organisations.name'])
        .where('registrations.event_id', '=', eventId)
        .execute()
    ).map((r) => [r.id, r.name]),
  )
  const nameOf = (id: string) => names.get(id) ?? null

  const wishes = await db.selectFrom('wishes').selectAll().where('from_registration_id', '=', registrationId).orderBy('created_at').execute()
  const meetings = (await listEventMeetings(db, eventId)).filter((m) => m.association_registration_id === registrationId || m.company_registration_id === registrationId)
  const ratings = await db.selectFrom('ratings').selectAll().where('registration_id', '=', registrationId).execute()
  const partnerships = await db
    .selectFrom('partnerships')
    .selectAll()
    .where((eb) => eb.or([eb('association_registration_id', '=', registrationId), eb('company_registration_id', '=', registrationId)]))
    .execute()
  const checkins = partnerships.length
    ? await db.selectFrom('checkins').selectAll().where('partnership_id', 'in', partnerships.map((p) => p.id)).where('side', '=', organisation.kind).orderBy('due_on').execute()
    : []
  const other = (a: string, c: string) => nameOf(a === registrationId ? c : a)
  const messages = await messagesOf(db, registrationId)

  return {
    generatedAt: now,
    controller: { network: network.name, contact: network.privacy_email ?? network.email },
    registration: {
      id: reg.id,
      personName: reg.person_name,
      personEmail: reg.person_email,
      attendance: reg.attendance,
      arriveRound: reg.arrive_round,
      leaveRound: reg.leave_round,
      minMeetings: reg.min_meetings,
      maxMeetings: reg.max_meetings,
      researchConsent: reg.research_consent === null ? null : reg.research_consent === 1,
      researchConsentAt: reg.research_consent_at,
      // the language of its page and e-mails
      locale: await participantLocale(db, registrationId),
      createdAt: reg.created_at,
      erasedAt: reg.erased_at,
    },
    event: { title: event.title, date: event.date, venue: event.venue, status: event.status },
    organisation: toOrganisationDto(organisation),
    wishesGiven: wishes.map((w) => ({ to: nameOf(w.to_registration_id), level: w.level, setBy: w.set_by, createdAt: w.created_at })),
    meetings: meetings
      .sort((a, b) => a.round - b.round)
      .map((m) => ({ round: m.round, table: m.table_no, code: m.short_code, with: other(m.association_registration_id, m.company_registration_id) })),
    ratingsGiven: ratings.map((r) => {
      const m = meetings.find((x) => x.id === r.meeting_id)
      return {
        round: m?.round ?? null,
        with: m ? other(m.association_registration_id, m.company_registration_id) : null,
        tookPlace: r.took_place === 1,
        interest: r.interest,
        followUp: r.follow_up === null ? null : r.follow_up === 1,
        kinds: list(r.kinds),
        note: r.note,
        source: r.source,
        updatedAt: r.updated_at,
      }
    }),
    matches: (await mutualMatches(db, eventId, registrationId)).map((m) => ({ round: m.round, organisation: m.other.organisation, personName: m.other.personName, email: m.other.email })),
    partnerships: partnerships.map((p) => ({ with: other(p.association_registration_id, p.company_registration_id), status: p.status, kinds: list(p.kinds), startedOn: p.started_on, createdAt: p.created_at })),
    checkins: checkins.map((k) => ({ milestone: k.milestone, dueOn: k.due_on, answeredAt: k.answered_at, evolution: k.evolution, comment: k.comment })),
    messages,
  }
}

/** The e-mails written to the person (the outbox), without their bodies' personal links. */
async function messagesOf(db: Kysely<Database>, registrationId: string): Promise<Record<string, unknown>[]> {
  const rows = await db
    .selectFrom('outbox')
    .select(['kind', 'to_address', 'to_name', 'subject', 'status', 'created_at', 'sent_at'])
    .where('registration_id', '=', registrationId)
    .orderBy('created_at')
    .execute()
  return rows.map((m) => ({ kind: m.kind, to: m.to_address, toName: m.to_name, subject: m.subject, status: m.status, createdAt: m.created_at, sentAt: m.sent_at }))
}
