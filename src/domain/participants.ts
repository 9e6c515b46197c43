/** Adding participants: shared by the JSON route, the CSV import and the example loader. */
import type { Transaction } from 'kysely'
import { upsertOrganisation, type OrganisationFields } from '../db/repositories/organisations.repository.ts'
import { addRegistration, isRegistered, type RegistrationFields } from '../db/repositories/registrations.repository.ts'
import type { Database, Event, Organisation, Registration } from '../db/schema.ts'
import { AppError, type Issue } from '../errors.ts'
import { sideLabels } from './labels.ts'

/** Problems with a registration's rounds and meeting counts for this event (JSON paths). */
export function registrationIssues(event: Pick<Event, 'rounds'>, fields: Partial<RegistrationFields>): Issue[] {
  const issues: Issue[] = []
  for (const key of ['arriveRound', 'leaveRound'] as const) {
    const value = fields[key]
    if (value != null && value > event.rounds) {
      issues.push({ path: key, message: { fr: `au-delà de la dernière rencontre (${event.rounds})`, en: `after the last round (${event.rounds})` } })
    }
  }
  if (fields.arriveRound != null && fields.leaveRound != null && fields.arriveRound > fields.leaveRound) {
    issues.push({ path: 'leaveRound', message: { fr: "départ avant l'arrivée", en: "leaves before arriving" } })
  }
  if (fields.minMeetings != null && fields.maxMeetings != null && fields.minMeetings > fields.maxMeetings) {
    issues.push({ path: 'maxMeetings', message: { fr: 'maximum inférieur au minimum', en: 'max below min' } })
  }
  return issues
}

export function assertCanRegister(event: Event): void {
  if (event.status === 'closed') throw new AppError('event_closed', { fr: 'Événement clos', en: 'The event is closed' })
}

/** Attendance of a new registration: a participant added during the event is a walk-in. */
export function attendanceOnArrival(event: Event, asked: RegistrationFields['attendance']): NonNullable<RegistrationFields['attendance']> {
  if (event.status === 'live') return asked === 'present' ? 'present' : 'walk-in'
  return asked ?? 'registered'
}

/** Creates or reuses the organisation, then registers it; 409 if it is already registered. */
export async function registerParticipant(
  trx: Transaction<Database>,
  event: Event,
  organisation: OrganisationFields | Organisation,
  fields: RegistrationFields,
  now: string,
): Promise<{ registration: Registration; organisation: Organisation; secret: string }> {
  const org = 'id' in organisation ? organisation : await upsertOrganisation(trx, event.network_id, organisation, now)
  if (org.kind !== organisation.kind) {
    // the SIREN/RNA given belongs to an organisation of the other kind
    throw new AppError('validation_failed', { fr: `« ${org.name} » est enregistrée comme ${sideLabels[org.kind].fr}`, en: `“${org.name}” is registered as ${org.kind === 'association' ? 'an association' : 'a company'}` }, [
      { path: 'organisation.kind', message: { fr: `« ${org.name} » est une ${sideLabels[org.kind].fr}`, en: `“${org.name}” is ${org.kind === 'association' ? 'an association' : 'a company'}` } },
    ])
  }
  if (await isRegistered(trx, event.id, org.id)) {
    throw new AppError('already_registered', { fr: `« ${org.name} » est déjà inscrite`, en: `“${org.name}” is already registered` })
  }
  const { registration, secret } = await addRegistration(trx, event.id, org.id, { ...fields, attendance: attendanceOnArrival(event, fields.attendance) }, now)
  return { registration, organisation: org, secret }
}

export function personalLink(publicUrl: string, secret: string): string {
  return `${publicUrl}/p/${secret}`
}
