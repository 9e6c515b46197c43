/**
 * E-mail through an outbox table. Messages are queued (a unique `dedupe_key`
 * per message: queuing it again does nothing), then a sender claims each one
 * with a conditional write (`queued -> sending` only where it is still
 * queued), so two processes never send the same message; a failure goes back
 * to `queued` with an exponential back-off, and a sent message is never taken
 * again, so a restart resends nothing. A message left `sending` by a process
 * that died is taken again after 10 minutes (the only case of a possible
 * second copy).
 *
 * `runDueMessages` queues what is due by itself (reminders the day before,
 * programme changes after a re-plan is published, mutual matches, check-ins)
 * and sends: the server calls it every minute; it is idempotent.
 */
import { createHash } from 'node:crypto'
import type { Kysely } from 'kysely'
import { listRegistrations, type RegistrationWithOrganisation } from '../../db/repositories/registrations.repository.ts'
import { publishedSchedule } from '../../db/repositories/schedules.repository.ts'
import { newId } from '../../db/ids.ts'
import type { CheckinMilestone, Database, Event, OutboxMessage } from '../../db/schema.ts'
import { agendaIcs, eveningIcs, participantAgenda } from '../calendar.ts'
import { currentSecret, linkVersions, renewLink } from '../links.ts'
import { DEFAULT_LOCALE, eventLocales, type Locale } from '../locale.ts'
import { personalLink } from '../participants.ts'
import { byParticipant, meetingViews } from '../schedules.ts'
import { timetable, VENUE_TIME_ZONE } from '../timetable.ts'
import {
  checkin,
  invitation,
  LINK_PLACEHOLDER,
  mutualMatch,
  programmeChanged,
  ratingCall,
  reminder,
  type MessageContext,
  type MessageKind,
  type MessageText,
  type ProgrammeLine,
} from './messages.ts'
import type { MailTransport } from './transport.ts'

export interface QueueDeps {
  db: Kysely<Database>
  /** server secret of the personal links (src/domain/links.ts) */
  linkKey: string
}

export interface SendDeps extends QueueDeps {
  publicUrl: string
  /** the From: header, e.g. `Réseau <rencontres@example.org>` */
  from: string
  transport: MailTransport
}

export const MAX_ATTEMPTS = 10
const STALE_CLAIM_MS = 10 * 60_000

/** Wait before attempt n+1 after n failed ones: 1, 2, 4 … minutes, at most 6 hours. */
export function backoffMs(failedAttempts: number): number {
  return Math.min(60_000 * 2 ** Math.max(0, failedAttempts - 1), 6 * 3600_000)
}

// ---- what the messages say about a participant ----

interface EventMail {
  event: Event
  registrations: RegistrationWithOrganisation[]
  byId: Map<string, RegistrationWithOrganisation>
  /** per registration, null without a published schedule */
  programmes: Map<string, ProgrammeLine[]> | null
  /** each participant's language */
  locales: Map<string, Locale>
}

async function loadEventMail(db: Kysely<Database>, event: Event): Promise<EventMail> {
  const registrations = await listRegistrations(db, event.id)
  const byId = new Map(registrations.map((r) => [r.id, r]))
  const schedule = await publishedSchedule(db, event.id)
  const times = timetable(event)
  let programmes: Map<string, ProgrammeLine[]> | null = null
  if (schedule && times) {
    programmes = new Map()
    for (const p of byParticipant(registrations, await meetingViews(db, event, schedule))) {
      programmes.set(
        p.registrationId,
        p.meetings.map((m) => {
          const slot = times.rounds[m.round - 1]
          return { from: slot?.from ?? '', to: slot?.to ?? '', table: m.table, organisation: m.with.name, personName: m.with.personName }
        }),
      )
    }
  }
  return { event, registrations, byId, programmes, locales: await eventLocales(db, event.id) }
}

function contextOf(mail: EventMail, r: RegistrationWithOrganisation): MessageContext {
  const e = mail.event
  return {
    locale: mail.locales.get(r.id) ?? DEFAULT_LOCALE,
    personName: r.person_name,
    organisation: r.organisation.name,
    event: { title: e.title, date: e.date, venue: e.venue, startTime: e.start_time },
    programme: mail.programmes ? (mail.programmes.get(r.id) ?? []) : null,
  }
}

function programmeDigest(mail: EventMail, registrationId: string): string | null {
  const lines = mail.programmes?.get(registrationId)
  if (!lines) return null
  return createHash('sha256').update(JSON.stringify(lines)).digest('hex').slice(0, 16)
}

async function icsFor(db: Kysely<Database>, mail: EventMail, registrationId: string, now: Date): Promise<string> {
  const agenda = await participantAgenda(db, mail.event, registrationId)
  return agenda && agenda.length > 0 ? agendaIcs(mail.event, agenda, now) : eveningIcs(mail.event, now)
}

// ---- queuing ----

interface NewMessage {
  networkId: string
  eventId: string
  registration: RegistrationWithOrganisation
  kind: MessageKind
  text: MessageText
  ics: string | null
  programmeDigest: string | null
  dedupeKey: string
}

/** Queues a message unless one with the same dedupe key exists; true when queued now. */
async function enqueue(db: Kysely<Database>, m: NewMessage, now: Date): Promise<boolean> {
  const at = now.toISOString()
  const result = await db
    .insertInto('outbox')
    .values({
      id: newId(),
      network_id: m.networkId,
      event_id: m.eventId,
      registration_id: m.registration.id,
      kind: m.kind,
      to_address: m.registration.person_email!,
      to_name: m.registration.person_name,
      subject: m.text.subject,
      body_text: m.text.text,
      body_html: m.text.html,
      ics: m.ics,
      programme_digest: m.programmeDigest,
      status: 'queued',
      attempts: 0,
      next_attempt_at: at,
      claimed_at: null,
      last_error: null,
      created_at: at,
      sent_at: null,
      dedupe_key: m.dedupeKey,
    })
    .onConflict((oc) => oc.column('dedupe_key').doNothing())
    .executeTakeFirst()
  return Number(result.numInsertedOrUpdatedRows ?? 0n) === 1
}

/**
 * A participant's link must be derivable to be mailed. A link made before
 * derived links is renewed once (the message carries the new one); a revoked
 * link is left revoked and the participant skipped.
 */
async function mailableLink(deps: QueueDeps, r: RegistrationWithOrganisation, now: Date): Promise<boolean> {
  if (await currentSecret(deps.db, deps.linkKey, r)) return true
  const bumped = (await linkVersions(deps.db, [r.id])).has(r.id)
  if (bumped) return false
  await renewLink(deps.db, deps.linkKey, r.id, now.toISOString())
  return true
}

export interface Person {
  registrationId: string
  personName: string
  organisation: string
}

export interface QueueReport {
  queued: Person[]
  /** already queued or sent before (same dedupe key) */
  already: Person[]
  withoutEmail: Person[]
  linkRevoked: Person[]
}

const person = (r: RegistrationWithOrganisation): Person => ({ registrationId: r.id, personName: r.person_name, organisation: r.organisation.name })

/** The organiser's sends: the invitation or the rating call, one per participant with an e-mail (not marked absent). */
export async function queueEventMessages(deps: QueueDeps, event: Event, kind: 'invitation' | 'rating-call', now: Date): Promise<QueueReport> {
  const mail = await loadEventMail(deps.db, event)
  const report: QueueReport = { queued: [], already: [], withoutEmail: [], linkRevoked: [] }
  for (const r of mail.registrations) {
    if (r.attendance === 'absent') continue
    if (!r.person_email) {
      report.withoutEmail.push(person(r))
      continue
    }
    const dedupeKey = `${kind}:${r.id}`
    const exists = await deps.db.selectFrom('outbox').select('id').where('dedupe_key', '=', dedupeKey).executeTakeFirst()
    if (exists) {
      report.already.push(person(r))
      continue
    }
    if (!(await mailableLink(deps, r, now))) {
      report.linkRevoked.push(person(r))
      continue
    }
    const ctx = contextOf(mail, r)
    const queued = await enqueue(
      deps.db,
      kind === 'invitation'
        ? { networkId: event.network_id, eventId: event.id, registration: r, kind, text: invitation(ctx), ics: await icsFor(deps.db, mail, r.id, now), programmeDigest: programmeDigest(mail, r.id), dedupeKey }
        : { networkId: event.network_id, eventId: event.id, registration: r, kind, text: ratingCall(ctx), ics: null, programmeDigest: null, dedupeKey },
      now,
    )
    ;(queued ? report.queued : report.already).push(person(r))
  }
  return report
}

/** YYYY-MM-DD at the venue. */
function venueDay(at: Date): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: VENUE_TIME_ZONE, year: 'numeric', month: '2-digit', day: '2-digit' }).format(at)
}

function shiftDay(day: string, days: number): string {
  const d = new Date(`${day}T12:00:00Z`)
  d.setUTCDate(d.getUTCDate() + days)
  return d.toISOString().slice(0, 10)
}

/** Queues every message due at `now`; returns how many were queued. Idempotent. */
export async function queueDueMessages(deps: QueueDeps, now: Date): Promise<number> {
  const { db } = deps
  const today = venueDay(now)
  let count = 0
  const mailable = (r: RegistrationWithOrganisation) => r.person_email !== null && r.attendance !== 'absent'

  // reminders, the day before
  for (const event of await db.selectFrom('events').selectAll().where('date', '=', shiftDay(today, 1)).where('status', 'in', ['open', 'scheduled']).execute()) {
    // this runs every minute of the day before: a cheap look first, the full event only when someone is left
    const reminded = new Set(
      (await db.selectFrom('outbox').select('dedupe_key').where('event_id', '=', event.id).where('kind', '=', 'reminder').execute()).map((m) => m.dedupe_key),
    )
    const waiting = await db
      .selectFrom('registrations')
      .select('id')
      .where('event_id', '=', event.id)
      .where('person_email', 'is not', null)
      .where('attendance', '!=', 'absent')
      .execute()
    if (waiting.every((w) => reminded.has(`reminder:${w.id}:${event.date}`))) continue
    const mail = await loadEventMail(db, event)
    for (const r of mail.registrations.filter(mailable)) {
      const dedupeKey = `reminder:${r.id}:${event.date}`
      if (reminded.has(dedupeKey)) continue
      if (!(await mailableLink(deps, r, now))) continue
      const text = reminder(contextOf(mail, r))
      if (await enqueue(db, { networkId: event.network_id, eventId: event.id, registration: r, kind: 'reminder', text, ics: mail.programmes ? await icsFor(db, mail, r.id, now) : null, programmeDigest: programmeDigest(mail, r.id), dedupeKey }, now)) count++
    }
  }

  // programme changes: a participant told a programme that is no longer the published one
  for (const event of await db.selectFrom('events').selectAll().where('date', '>=', today).where('status', 'in', ['scheduled', 'live']).execute()) {
    const told = await db
      .selectFrom('outbox')
      .select(['registration_id', 'programme_digest', 'created_at'])
      .where('event_id', '=', event.id)
      .where('programme_digest', 'is not', null)
      .orderBy('created_at')
      .execute()
    if (told.length === 0) continue
    const last = new Map(told.map((t) => [t.registration_id, t.programme_digest]))
    const mail = await loadEventMail(db, event)
    for (const r of mail.registrations.filter(mailable)) {
      const before = last.get(r.id)
      const digest = programmeDigest(mail, r.id)
      if (!before || !digest || before === digest) continue
      if (!(await mailableLink(deps, r, now))) continue
      const text = programmeChanged(contextOf(mail, r))
      if (await enqueue(db, { networkId: event.network_id, eventId: event.id, registration: r, kind: 'programme-changed', text, ics: await icsFor(db, mail, r.id, now), programmeDigest: digest, dedupeKey: `programme:${r.id}:${digest}` }, now)) count++
    }
  }

  // mutual matches: both sides rated the meeting as held and want a follow-up (events of the last
  // 60 days: an upgrade does not mail the matches of old evenings)
  const matches = await db
    .selectFrom('ratings as a')
    .innerJoin('ratings as c', (j) => j.onRef('c.meeting_id', '=', 'a.meeting_id').on('c.side', '=', 'company'))
    .innerJoin('meetings', 'meetings.id', 'a.meeting_id')
    .innerJoin('schedules', 'schedules.id', 'meetings.schedule_id')
    .innerJoin('events', 'events.id', 'schedules.event_id')
    .select(['events.id as event_id', 'meetings.association_registration_id as a_id', 'meetings.company_registration_id as c_id'])
    .where('a.side', '=', 'association')
    .where('a.took_place', '=', 1)
    .where('a.follow_up', '=', 1)
    .where('c.took_place', '=', 1)
    .where('c.follow_up', '=', 1)
    .where('schedules.published', '=', 1)
    .where('events.status', 'in', ['live', 'closed'])
    .where('events.date', '>=', shiftDay(today, -60))
    .execute()
  const mails = new Map<string, EventMail>()
  const eventMail = async (eventId: string) => {
    let m = mails.get(eventId)
    if (!m) {
      m = await loadEventMail(db, await db.selectFrom('events').selectAll().where('id', '=', eventId).executeTakeFirstOrThrow())
      mails.set(eventId, m)
    }
    return m
  }
  for (const match of matches) {
    const mail = await eventMail(match.event_id)
    for (const [meId, otherId] of [[match.a_id, match.c_id], [match.c_id, match.a_id]] as const) {
      const r = mail.byId.get(meId)
      const other = mail.byId.get(otherId)
      if (!r || !other || !r.person_email) continue
      const dedupeKey = `match:${match.a_id}.${match.c_id}:${meId}`
      if (await db.selectFrom('outbox').select('id').where('dedupe_key', '=', dedupeKey).executeTakeFirst()) continue
      if (!(await mailableLink(deps, r, now))) continue
      const contact = { organisation: other.organisation.name, personName: other.person_name, email: other.person_email ?? other.organisation.contact_email }
      if (await enqueue(db, { networkId: mail.event.network_id, eventId: mail.event.id, registration: r, kind: 'mutual-match', text: mutualMatch(contextOf(mail, r), contact), ics: null, programmeDigest: null, dedupeKey }, now)) count++
    }
  }

  // check-ins due in the last 30 days and not answered (older ones are not mailed after a long stop)
  const checkins = await db
    .selectFrom('checkins')
    .innerJoin('partnerships', 'partnerships.id', 'checkins.partnership_id')
    .select([
      'checkins.id', 'checkins.milestone', 'checkins.side', 'partnerships.event_id',
      'partnerships.association_registration_id as a_id', 'partnerships.company_registration_id as c_id',
    ])
    .where('checkins.answered_at', 'is', null)
    .where('checkins.due_on', '<=', today)
    .where('checkins.due_on', '>=', shiftDay(today, -30))
    .where('partnerships.status', '!=', 'abandoned')
    .execute()
  for (const c of checkins) {
    const mail = await eventMail(c.event_id)
    const [meId, otherId] = c.side === 'association' ? [c.a_id, c.c_id] : [c.c_id, c.a_id]
    const r = mail.byId.get(meId)
    const other = mail.byId.get(otherId)
    if (!r || !other || !r.person_email) continue
    const dedupeKey = `checkin:${c.id}`
    if (await db.selectFrom('outbox').select('id').where('dedupe_key', '=', dedupeKey).executeTakeFirst()) continue
    if (!(await mailableLink(deps, r, now))) continue
    const text = checkin(contextOf(mail, r), c.milestone as CheckinMilestone, { organisation: other.organisation.name })
    if (await enqueue(db, { networkId: mail.event.network_id, eventId: mail.event.id, registration: r, kind: 'checkin', text, ics: null, programmeDigest: null, dedupeKey }, now)) count++
  }
  return count
}

// ---- sending ----

export interface SendReport {
  sent: number
  /** failed and queued again for later */
  retried: number
  /** given up (too many attempts, or no link to give) */
  failed: number
}

/** Sends the queued messages that are due, each by the one sender that claims it. */
export async function sendQueued(deps: SendDeps, now: Date, limit = 100): Promise<SendReport> {
  const { db } = deps
  const at = now.toISOString()
  await db
    .updateTable('outbox')
    .set({ status: 'queued' })
    .where('status', '=', 'sending')
    .where('claimed_at', '<', new Date(now.getTime() - STALE_CLAIM_MS).toISOString())
    .execute()
  const due = await db
    .selectFrom('outbox')
    .select('id')
    .where('status', '=', 'queued')
    .where('next_attempt_at', '<=', at)
    .orderBy('next_attempt_at')
    .orderBy('created_at')
    .limit(limit)
    .execute()
  const report: SendReport = { sent: 0, retried: 0, failed: 0 }
  for (const { id } of due) {
    const claimed = await db
      .updateTable('outbox')
      .set((eb) => ({ status: 'sending', claimed_at: at, attempts: eb('attempts', '+', 1) }))
      .where('id', '=', id)
      .where('status', '=', 'queued')
      .executeTakeFirst()
    if (Number(claimed.numUpdatedRows) !== 1) continue // another sender has it
    const message = await db.selectFrom('outbox').selectAll().where('id', '=', id).executeTakeFirstOrThrow()
    const link = await linkOf(deps, message)
    if (link === null) {
      await db.updateTable('outbox').set({ status: 'failed', last_error: 'lien personnel révoqué ou participant retiré / personal link revoked or participant removed' }).where('id', '=', id).execute()
      report.failed++
      continue
    }
    const fill = (s: string) => s.split(LINK_PLACEHOLDER).join(link)
    try {
      await deps.transport.send({
        id: message.id,
        from: deps.from,
        to: { name: message.to_name, address: message.to_address },
        subject: message.subject,
        text: fill(message.body_text),
        html: message.body_html === null ? null : fill(message.body_html),
        ics: message.ics ? { filename: 'rencontres.ics', content: message.ics } : null,
      })
      await db.updateTable('outbox').set({ status: 'sent', sent_at: at, last_error: null }).where('id', '=', id).execute()
      report.sent++
    } catch (err) {
      const error = err instanceof Error ? err.message : String(err)
      const giveUp = message.attempts >= MAX_ATTEMPTS
      await db
        .updateTable('outbox')
        .set({
          status: giveUp ? 'failed' : 'queued',
          last_error: error.slice(0, 500),
          next_attempt_at: new Date(now.getTime() + backoffMs(message.attempts)).toISOString(),
        })
        .where('id', '=', id)
        .execute()
      if (giveUp) report.failed++
      else report.retried++
    }
  }
  return report
}

/** The personal link to put in, '' for a message without one, null when it cannot be given. */
async function linkOf(deps: SendDeps, message: OutboxMessage): Promise<string | null> {
  if (!message.body_text.includes(LINK_PLACEHOLDER)) return ''
  if (!message.registration_id) return null
  const r = await deps.db.selectFrom('registrations').select(['id', 'secret_hash']).where('id', '=', message.registration_id).executeTakeFirst()
  const secret = r ? await currentSecret(deps.db, deps.linkKey, r) : null
  return secret ? personalLink(deps.publicUrl, secret) : null
}

/** What the server's timer runs: queue what is due, then send. */
export async function runDueMessages(deps: SendDeps, now: Date): Promise<SendReport & { queued: number }> {
  const queued = await queueDueMessages(deps, now)
  return { queued, ...(await sendQueued(deps, now)) }
}

export function toMessageDto(m: OutboxMessage) {
  return {
    id: m.id,
    kind: m.kind,
    registrationId: m.registration_id,
    to: m.to_address,
    toName: m.to_name,
    subject: m.subject,
    status: m.status,
    attempts: m.attempts,
    nextAttemptAt: m.status === 'queued' ? m.next_attempt_at : null,
    lastError: m.last_error,
    createdAt: m.created_at,
    sentAt: m.sent_at,
  }
}

export async function listMessages(db: Kysely<Database>, eventId: string): Promise<OutboxMessage[]> {
  return db.selectFrom('outbox').selectAll().where('event_id', '=', eventId).orderBy('created_at', 'desc').orderBy('to_name').execute()
}
