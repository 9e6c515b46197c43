/**
 * Read-only queries behind the pages. Writes go through the JSON API (so its
 * validation and rules apply); reads come straight from the tables, always
 * scoped to what the caller may see (an organiser's own events, a
 * participant's own registration).
 */
import type { Kysely } from 'kysely'
import { resolveToken } from '../auth/middleware.ts'
import { mayDo, type EventNeed } from '../auth/ownership.ts'
import { hashToken, tokenKind, type StaffAuth } from '../auth/tokens.ts'
import type { Database, Event, Meeting, Schedule, Side } from '../db/schema.ts'

type Db = Kysely<Database>

// The pages read events and schedules through the same repository functions as the API.
export { parseBreaks } from '../db/repositories/events.repository.ts'
export {
  listSchedules as eventSchedules,
  listMeetings as scheduleMeetings,
  publishedSchedule,
} from '../db/repositories/schedules.repository.ts'

/** The staff account (admin, organiser, accueil, salle) of a valid, unrevoked token, else null. */
export async function staffOfToken(db: Db, token: string | undefined): Promise<StaffAuth | null> {
  if (!token) return null
  const auth = await resolveToken(db, token)
  return auth && auth.role !== 'lab' && auth.role !== 'participant' ? auth : null
}

export async function isLabToken(db: Db, token: string | undefined): Promise<boolean> {
  if (!token) return false
  return (await resolveToken(db, token))?.role === 'lab'
}

export interface EventListItem extends Event {
  participants: number
}

/** The events the staff member sees: its network's (its one event for accueil and salle). */
export async function organiserEvents(db: Db, auth: StaffAuth): Promise<EventListItem[]> {
  // archived events leave the list (their pages and figures stay)
  let query = db.selectFrom('events').selectAll().where('network_id', '=', auth.networkId).where('archived_at', 'is', null)
  if (auth.eventId) query = query.where('id', '=', auth.eventId)
  const events = await query.orderBy('date', 'desc').orderBy('title').execute()
  const counts = await db
    .selectFrom('registrations')
    .innerJoin('events', 'events.id', 'registrations.event_id')
    .where('events.network_id', '=', auth.networkId)
    .select(['registrations.event_id', db.fn.countAll<number>().as('n')])
    .groupBy('registrations.event_id')
    .execute()
  const byEvent = new Map(counts.map((r) => [r.event_id, Number(r.n)]))
  return events.map((e) => ({ ...e, participants: byEvent.get(e.id) ?? 0 }))
}

/** The event if the staff member may do `need` with it, else null (the page answers 404). */
export async function organiserEvent(db: Db, auth: StaffAuth, eventId: string, need: EventNeed = 'manage'): Promise<Event | null> {
  if (auth.eventId !== null && auth.eventId !== eventId) return null
  if (!mayDo(auth.role, need)) return null
  const event = await db.selectFrom('events').selectAll().where('id', '=', eventId).where('network_id', '=', auth.networkId).executeTakeFirst()
  return event ?? null
}

export interface ParticipantRow {
  id: string
  organisationId: string
  side: Side
  name: string
  person: string
  email: string | null
  arrive: number | null
  leave: number | null
  attendance: 'registered' | 'present' | 'absent' | 'walk-in'
  themes: string
  offers: string
  needs: string
  town: string | null
  description: string | null
  contactName: string | null
  contactEmail: string | null
}

export async function eventParticipants(db: Db, eventId: string): Promise<ParticipantRow[]> {
  const rows = await db
    .selectFrom('registrations as r')
    .innerJoin('organisations as o', 'o.id', 'r.organisation_id')
    .where('r.event_id', '=', eventId)
    .select([
      'r.id', 'r.organisation_id', 'o.kind', 'o.name', 'r.person_name', 'r.person_email', 'r.arrive_round', 'r.leave_round', 'r.attendance',
      'o.themes', 'o.offers', 'o.needs', 'o.town', 'o.description', 'o.contact_name', 'o.contact_email',
    ])
    .orderBy('o.kind')
    .orderBy('o.name')
    .execute()
  return rows.map((r) => ({
    id: r.id,
    organisationId: r.organisation_id,
    side: r.kind,
    name: r.name,
    person: r.person_name,
    email: r.person_email,
    arrive: r.arrive_round,
    leave: r.leave_round,
    attendance: r.attendance,
    themes: r.themes,
    offers: r.offers,
    needs: r.needs,
    town: r.town,
    description: r.description,
    contactName: r.contact_name,
    contactEmail: r.contact_email,
  }))
}

export async function eventWishes(db: Db, eventId: string) {
  return db
    .selectFrom('wishes')
    .selectAll()
    .where('event_id', '=', eventId)
    .orderBy('created_at')
    .execute()
}

export async function ratingsOfSchedule(db: Db, scheduleId: string) {
  return db
    .selectFrom('ratings')
    .innerJoin('meetings', 'meetings.id', 'ratings.meeting_id')
    .where('meetings.schedule_id', '=', scheduleId)
    .select(['ratings.meeting_id', 'ratings.side', 'ratings.took_place', 'ratings.interest', 'ratings.follow_up'])
    .execute()
}

export async function eventProposals(db: Db, eventId: string) {
  return db.selectFrom('proposals').selectAll().where('event_id', '=', eventId).orderBy('kind').orderBy('rank').execute()
}

export async function eventPartnerships(db: Db, eventId: string) {
  return db.selectFrom('partnerships').selectAll().where('event_id', '=', eventId).orderBy('updated_at', 'desc').execute()
}

/** The participant of a personal secret, with its event and organisation. */
export async function participantOfSecret(db: Db, secret: string) {
  if (tokenKind(secret) !== 'participant') return null
  const row = await db
    .selectFrom('registrations as r')
    .innerJoin('organisations as o', 'o.id', 'r.organisation_id')
    .innerJoin('events as e', 'e.id', 'r.event_id')
    .where('r.secret_hash', '=', hashToken(secret))
    .select([
      'r.id as registrationId', 'r.person_name as person', 'r.attendance', 'r.event_id as eventId',
      'o.id as organisationId', 'o.kind as side', 'o.name', 'o.themes', 'o.offers', 'o.needs', 'o.town', 'o.description',
      'e.title', 'e.date', 'e.venue', 'e.start_time', 'e.rounds', 'e.meeting_minutes', 'e.transition_minutes', 'e.breaks', 'e.status', 'e.seated_side',
    ])
    .executeTakeFirst()
  return row ?? null
}

/** For a participant's partnerships: partnership id -> the other organisation's name. */
export async function partnersOf(db: Db, registrationId: string): Promise<Map<string, string>> {
  const rows = await db
    .selectFrom('partnerships as p')
    .innerJoin('registrations as ra', 'ra.id', 'p.association_registration_id')
    .innerJoin('organisations as oa', 'oa.id', 'ra.organisation_id')
    .innerJoin('registrations as rc', 'rc.id', 'p.company_registration_id')
    .innerJoin('organisations as oc', 'oc.id', 'rc.organisation_id')
    .where((eb) => eb.or([eb('p.association_registration_id', '=', registrationId), eb('p.company_registration_id', '=', registrationId)]))
    .select(['p.id', 'p.association_registration_id', 'oa.name as associationName', 'oc.name as companyName'])
    .execute()
  return new Map(rows.map((r) => [r.id, r.association_registration_id === registrationId ? r.companyName : r.associationName]))
}

export async function roomState(db: Db, eventId: string) {
  return (await db.selectFrom('room_states').selectAll().where('event_id', '=', eventId).executeTakeFirst()) ?? null
}

