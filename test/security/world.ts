/**
 * Two networks on one server, each with the 10 x 10 example evening, a
 * partnership with its check-ins, a proposal and an exclusion, and every kind
 * of account: the world the access suite runs every route against. Network B's
 * names all start with "Zeta" and its e-mails with "zeta.", so that a leak of
 * B's data into an answer given to A is easy to find.
 */
import { readFileSync } from 'node:fs'
import type { Kysely } from 'kysely'
import { createApp } from '../../src/app.ts'
import { addExclusion } from '../../src/db/repositories/exclusions.repository.ts'
import { reissueSecret } from '../../src/db/repositories/registrations.repository.ts'
import { createLab, createNetwork, createToken, grantLab, revokeToken, setStablePseudonyms } from '../../src/db/repositories/tokens.repository.ts'
import type { Database } from '../../src/db/schema.ts'
import { loadExampleEvent } from '../../src/domain/seed.ts'

export type Caller = 'none' | 'revoked' | 'admin' | 'organiser' | 'accueil' | 'salle' | 'lab' | 'participant'
export const callers: Caller[] = ['none', 'revoked', 'admin', 'organiser', 'accueil', 'salle', 'lab', 'participant']

/** The ids a route's parameters are filled with, in one network. */
export interface Target {
  eventId: string
  registrationId: string
  organisationId: string
  companyOrganisationId: string
  companyRegistrationId: string
  exclusionId: string
  version: string
  proposalId: string
  partnershipId: string
  meetingId: string
  /** the meeting's short code, printed on the cards */
  code: string
  checkinId: string
  tokenId: string
  labId: string
}

export interface World {
  app: ReturnType<typeof createApp>
  /** network A's tokens by caller ('none' has none) */
  tokens: Record<Exclude<Caller, 'none'>, string>
  own: Target
  other: Target
  /** a lab that no network has granted */
  freeLabId: string
  /** strings that belong to network B only: none may appear in an answer given to A */
  foreignMarkers: string[]
}

const now = '2026-11-24T18:00:00.000Z'
const example = JSON.parse(readFileSync(new URL('../../data/events/strasbourg-10x10.json', import.meta.url), 'utf8'))

/** The example with every name and e-mail marked as network B's. */
function zeta(json: any): any {
  const mark = (s: string) => `Zeta ${s}`
  const out = structuredClone(json)
  out.event.title = mark(out.event.title)
  const renamed = new Map<string, string>()
  for (const p of out.participants) {
    renamed.set(p.organisation.name, mark(p.organisation.name))
    p.organisation.name = mark(p.organisation.name)
    p.personName = mark(p.personName)
    if (p.personEmail) p.personEmail = `zeta.${p.personEmail}`
    if (p.organisation.contactEmail) p.organisation.contactEmail = `zeta.${p.organisation.contactEmail}`
    if (p.organisation.contactName) p.organisation.contactName = mark(p.organisation.contactName)
    delete p.organisation.siren
    delete p.organisation.rna
  }
  for (const w of out.wishes ?? []) {
    w.from = renamed.get(w.from) ?? w.from
    w.to = renamed.get(w.to) ?? w.to
  }
  for (const e of out.exclusions ?? []) {
    e.association = renamed.get(e.association) ?? e.association
    e.company = renamed.get(e.company) ?? e.company
  }
  return out
}

async function target(db: Kysely<Database>, networkId: string, json: unknown, labId: string): Promise<Target & { secret: string; organiserToken: string; organiserTokenId: string }> {
  const { event } = await loadExampleEvent(db, networkId, json, now)
  const regs = await db
    .selectFrom('registrations')
    .innerJoin('organisations', 'organisations.id', 'registrations.organisation_id')
    .select(['registrations.id', 'registrations.organisation_id', 'organisations.kind'])
    .where('registrations.event_id', '=', event.id)
    .orderBy('organisations.name')
    .execute()
  const association = regs.find((r) => r.kind === 'association')!
  const schedule = await db.selectFrom('schedules').select(['id', 'version']).where('event_id', '=', event.id).where('published', '=', 1).executeTakeFirstOrThrow()
  const meeting = await db
    .selectFrom('meetings')
    .selectAll()
    .where('schedule_id', '=', schedule.id)
    .where('association_registration_id', '=', association.id)
    .orderBy('round')
    .executeTakeFirstOrThrow()
  const company = regs.find((r) => r.id === meeting.company_registration_id)!
  const exclusion = await addExclusion(
    db,
    { networkId, eventId: event.id, associationId: association.organisation_id, companyId: company.organisation_id, reason: 'conflict', note: null },
    now,
  )
  const proposalId = `proposal-${networkId}`
  await db
    .insertInto('proposals')
    .values({
      id: proposalId, event_id: event.id, kind: 'follow-up', rank: 1, meeting_id: meeting.id, association_registration_id: association.id,
      company_registration_id: company.id, mutual_interest: 8, score: meeting.score, caller: 'association', due_date: '2026-12-08',
      reasons: '[]', note: null, status: 'proposed', created_at: now, updated_at: now,
    })
    .execute()
  const partnershipId = `partnership-${networkId}`
  await db
    .insertInto('partnerships')
    .values({
      id: partnershipId, event_id: event.id, origin: 'meeting', proposal_id: null, meeting_id: meeting.id,
      association_registration_id: association.id, company_registration_id: company.id, status: 'proposed', abandon_reason: null,
      kinds: '[]', value_money_eur: null, value_staff_hours: null, value_in_kind_eur: null, started_on: null, ended_on: null, note: null,
      created_by: 'test', created_at: now, updated_at: now,
    })
    .execute()
  const checkinId = `checkin-${networkId}`
  await db
    .insertInto('checkins')
    .values({ id: checkinId, partnership_id: partnershipId, milestone: '2w', side: 'association', due_on: '2026-12-08', answered_at: null, answered_by: null, evolution: null, comment: null })
    .execute()
  const organiser = await createToken(db, { role: 'organiser', networkId, label: 'Organisatrice' }, now)
  return {
    eventId: event.id, registrationId: association.id, organisationId: association.organisation_id,
    companyOrganisationId: company.organisation_id, companyRegistrationId: company.id,
    exclusionId: exclusion.id, version: String(schedule.version), proposalId, partnershipId, meetingId: meeting.id, code: meeting.short_code, checkinId,
    tokenId: organiser.row.id, labId, secret: await reissueSecret(db, association.id), organiserToken: organiser.token, organiserTokenId: organiser.row.id,
  }
}

export async function buildWorld(db: Kysely<Database>): Promise<World> {
  const a = await createNetwork(db, { name: 'Réseau Alsace Partenariats' }, now)
  const b = await createNetwork(db, { name: 'Zeta Club RSE' }, now)
  const labA = await createLab(db, 'Laboratoire Alsace', now)
  const labB = await createLab(db, 'Observatoire du Grand Est', now)
  // a lab no network has granted yet
  const freeLab = await createLab(db, 'Laboratoire des partenariats', now)
  await grantLab(db, labA.labId, a.networkId, 'test', now)
  await setStablePseudonyms(db, labA.labId, a.networkId, true)
  await grantLab(db, labB.labId, b.networkId, 'test', now)
  const own = await target(db, a.networkId, example, labA.labId)
  // the room screen is on round 1: its meetings may be rated (not before, issue 10)
  await db.insertInto('room_states').values({ event_id: own.eventId, round: 1, on_break: 0, running_since: null, elapsed_ms: 0, updated_at: now }).execute()
  const other = await target(db, b.networkId, zeta(example), labB.labId)
  const accueil = await createToken(db, { role: 'accueil', networkId: a.networkId, eventId: own.eventId, label: 'Accueil' }, now)
  const salle = await createToken(db, { role: 'salle', networkId: a.networkId, eventId: own.eventId, label: 'Écran' }, now)
  const revoked = await createToken(db, { role: 'organiser', networkId: a.networkId, label: 'Parti' }, now)
  await revokeToken(db, revoked.row.id, null, now)
  const app = createApp({ db, clock: () => new Date(now) })
  // a lab is no network's data: its id is left out of B's markers
  const ids = (t: Target) => Object.entries(t).filter(([k, v]) => k !== 'labId' && v.length > 8).map(([, v]) => v)
  return {
    app,
    tokens: {
      revoked: revoked.token, admin: a.token, organiser: own.organiserToken, accueil: accueil.token, salle: salle.token,
      lab: labA.token, participant: own.secret,
    },
    own,
    other,
    freeLabId: freeLab.labId,
    foreignMarkers: ['Zeta', 'zeta.', b.networkId, ...ids(other), other.secret, other.organiserToken, b.token, labB.token],
  }
}
