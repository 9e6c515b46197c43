/**
 * The outbox against a real SMTP server started in the test process: each
 * message kind is received once, a server down then up loses nothing, a
 * restart (a new sender) sends nothing twice; without SMTP, .eml files.
 */
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import ICAL from 'ical.js'
import { simpleParser, type ParsedMail } from 'mailparser'
import { afterEach, describe, expect } from 'vitest'
import { insertSchedule, listMeetings, publishSchedule, publishedSchedule } from '../../src/db/repositories/schedules.repository.ts'
import { backoffMs, queueDueMessages, runDueMessages, sendQueued, type SendDeps } from '../../src/domain/mail/outbox.ts'
import { folderTransport, smtpTransport, type MailTransport } from '../../src/domain/mail/transport.ts'
import { makeApi, type Api } from '../helpers/api.ts'
import { addParticipant, createEvent } from '../helpers/builders.ts'
import { dbTest, dialects } from '../helpers/db.ts'
import { startSmtp, type TestSmtp } from '../helpers/smtp.ts'

const linkSecret = 'mail-test-link-secret-0123456789'
const publicUrl = 'https://rencontres.example.org'
const from = 'Réseau Alsace Partenariats <rencontres@alsace.example.org>'

function mailTest(dialect: (typeof dialects)[number]) {
  return dbTest(dialect).extend<{ api: Api; smtp: TestSmtp }>({
    api: async ({ db }, use) => {
      await use(await makeApi(db, { linkSecret, publicUrl }))
    },
    smtp: async ({}, use) => {
      const smtp = await startSmtp()
      await use(smtp)
      await smtp.stop()
    },
  })
}

const transports: MailTransport[] = []
afterEach(() => {
  for (const t of transports.splice(0)) t.close()
})

function deps(api: Api, transport: MailTransport): SendDeps {
  transports.push(transport)
  return { db: api.db, linkKey: linkSecret, publicUrl, from, transport }
}

/** 2 associations and 2 companies with an e-mail, one company without. */
async function eventWithPeople(api: Api) {
  const eventId = await createEvent(api)
  const people = [
    await addParticipant(api, eventId, 'association', 'Les Jardins de la Montagne Verte', { personName: 'Léa Martin', personEmail: 'lea@jardins.example.org' }),
    await addParticipant(api, eventId, 'association', 'Entraide Neudorf', { personName: 'Karim Benali', personEmail: 'karim@entraide.example.org' }),
    await addParticipant(api, eventId, 'company', 'Numérique Rhénan SAS', { personName: 'Claire Muller', personEmail: 'claire@numerique.example.com' }),
    await addParticipant(api, eventId, 'company', 'Brasserie du Kochersberg', { personName: 'Paul Schmitt', personEmail: 'paul@brasserie.example.com' }),
  ]
  const silent = await addParticipant(api, eventId, 'company', 'Transports Ill-Bruche', { personName: 'Marie Weber' })
  return { eventId, people, silent }
}

/** The outbox kind of each received message, by its Message-ID (= the outbox id). */
async function kindsReceived(api: Api, received: ParsedMail[]): Promise<Record<string, number>> {
  const rows = await api.db.selectFrom('outbox').select(['id', 'kind']).execute()
  const kindOf = new Map(rows.map((r) => [r.id, r.kind]))
  const counts: Record<string, number> = {}
  for (const m of received) {
    const id = /^<([^@]+)@/.exec(m.messageId ?? '')?.[1] ?? '?'
    const kind = kindOf.get(id) ?? '?'
    counts[kind] = (counts[kind] ?? 0) + 1
  }
  return counts
}

function linkIn(text: string): string {
  const m = /https:\/\/rencontres\.example\.org\/p\/(p_[A-Za-z0-9_-]+)/.exec(text)
  if (!m?.[1]) throw new Error(`no personal link in:\n${text}`)
  return m[1]
}

describe.each(dialects)('outbox on %s', (dialect) => {
  const test = mailTest(dialect)

  test('every kind is received once, with a working link; repeating anything sends nothing more; a restart sends nothing twice', async ({ api, smtp }) => {
    const { eventId, people, silent } = await eventWithPeople(api)
    const mail = deps(api, smtpTransport(smtp.url))

    // Karim chose English on his page: his messages are in English, the others' in French
    expect((await api.call('PATCH', '/api/me', { token: people[1]!.token, json: { locale: 'en' } })).body).toEqual({ locale: 'en' })
    // invitations, before the schedule: the evening in the calendar file
    const sent = await api.call('POST', `/api/events/${eventId}/messages`, { token: api.org, json: { kind: 'invitation' } })
    expect(sent.status).toBe(202)
    expect(sent.body.queued).toHaveLength(4)
    expect(sent.body.withoutEmail).toEqual([{ registrationId: silent.id, personName: 'Marie Weber', organisation: 'Transports Ill-Bruche' }])
    const again = await api.call('POST', `/api/events/${eventId}/messages`, { token: api.org, json: { kind: 'invitation' } })
    expect(again.body.queued).toHaveLength(0)
    expect(again.body.already).toHaveLength(4)
    expect(await sendQueued(mail, new Date('2026-11-24T18:01:00Z'))).toEqual({ sent: 4, retried: 0, failed: 0 })
    expect(smtp.received.map((m) => (m.to as { value: { address: string; name: string }[] }).value[0]!).sort((x, y) => x.address.localeCompare(y.address))).toEqual([
      { address: 'claire@numerique.example.com', name: 'Claire Muller' }, { address: 'karim@entraide.example.org', name: 'Karim Benali' },
      { address: 'lea@jardins.example.org', name: 'Léa Martin' }, { address: 'paul@brasserie.example.com', name: 'Paul Schmitt' },
    ])
    const lea = smtp.received.find((m) => (m.to as { text: string }).text.includes('lea@'))!
    expect(lea.subject).toBe('Invitation\u00a0: Soirée partenariats Strasbourg, jeudi 3 décembre 2026')
    expect(lea.text).toContain('Bonjour Léa Martin,')
    expect(lea.text).toContain('Les Jardins de la Montagne Verte est attendue à «\u00a0Soirée partenariats Strasbourg\u00a0», le jeudi 3 décembre 2026, à 18:30.')
    expect(lea.text).toContain('Lieu\u00a0: CCI Strasbourg')
    expect(lea.text).not.toContain('Hello')
    const karim = smtp.received.find((m) => (m.to as { text: string }).text.includes('karim@'))!
    expect(karim.subject).toBe('Invitation: Soirée partenariats Strasbourg')
    expect(karim.text).toContain('Hello Karim Benali,')
    expect(karim.text).toContain('Entraide Neudorf is expected at "Soirée partenariats Strasbourg", on Thursday, 3 December 2026, at 18:30.')
    expect(karim.text).not.toContain('Bonjour')
    expect(karim.html).toContain('<html lang="en">')
    expect(linkIn(lea.text!)).toBe(people[0]!.token)
    expect(lea.html).toContain(`href="${publicUrl}/p/${people[0]!.token}"`)
    expect((await api.call('GET', '/api/me', { token: linkIn(lea.text!) })).status).toBe(200)
    const ics = lea.attachments.find((a) => a.contentType === 'text/calendar')!
    const vevent = new ICAL.Event(new ICAL.Component(ICAL.parse(ics.content.toString('utf8'))).getFirstSubcomponent('vevent')!)
    expect(vevent.startDate.toJSDate().toISOString()).toBe('2026-12-03T17:30:00.000Z')
    expect(vevent.location).toBe('CCI Strasbourg')
    // the outbox holds no link
    expect(JSON.stringify(await api.db.selectFrom('outbox').selectAll().execute())).not.toContain(people[0]!.token)

    // the schedule is published; the day before, reminders with the programme
    expect((await api.call('POST', `/api/events/${eventId}/schedule?publish=1`, { token: api.org })).status).toBe(201)
    const dayBefore = new Date('2026-12-02T09:00:00Z')
    expect(await runDueMessages(mail, dayBefore)).toMatchObject({ queued: 4, sent: 4 })
    const reminderLea = smtp.received.filter((m) => (m.to as { text: string }).text.includes('lea@')).at(-1)!
    expect(reminderLea.subject).toBe('Rappel\u00a0: Soirée partenariats Strasbourg, demain')
    // French clock times: « 18 h 38 – 18 h 45 » (non-breaking spaces)
    expect(reminderLea.text).toMatch(/\d\d\sh\s\d\d\s– \d\d\sh\s\d\d, table \d\s: (Numérique Rhénan SAS \(Claire Muller\)|Brasserie du Kochersberg \(Paul Schmitt\))/)

    // a re-plan moves one of Léa's meetings: Léa and her partner are told, nobody else
    const current = (await publishedSchedule(api.db, eventId))!
    const meetings = await listMeetings(api.db, current.id)
    const moved = meetings.find((m) => m.association_registration_id === people[0]!.id && people.some((p) => p.id === m.company_registration_id))!
    await api.db.transaction().execute(async (trx) => {
      const { id: _i, version: _v, published: _p, ...row } = current
      const next = await insertSchedule(trx, { ...row, kind: 'replan' }, meetings.map(({ id: _id, schedule_id: _s, ...m }) => (m.round === moved.round && m.table_no === moved.table_no ? { ...m, table_no: 9 } : m)))
      await publishSchedule(trx, eventId, next.id)
    })
    expect(await runDueMessages(mail, new Date('2026-12-02T10:00:00Z'))).toMatchObject({ queued: 2, sent: 2 })
    const changed = smtp.received.slice(-2)
    expect(changed.map((m) => m.subject)).toEqual(Array(2).fill('Votre programme a changé\u00a0: Soirée partenariats Strasbourg'))
    expect(changed.every((m) => /, table 9\s:/.test(m.text!))).toBe(true)
    expect(await runDueMessages(mail, new Date('2026-12-02T10:01:00Z'))).toMatchObject({ queued: 0, sent: 0 })

    // the evening: a mutual match, then the rating call
    expect((await api.call('POST', `/api/events/${eventId}/messages`, { token: api.org, json: { kind: 'rating-call' } })).status).toBe(409)
    await api.call('POST', `/api/events/${eventId}/status`, { token: api.org, json: { status: 'live' } })
    // the room screen has reached that round: its meetings may be rated (issue 10: not before)
    await api.db.insertInto('room_states').values({ event_id: eventId, round: moved.round, on_break: 0, running_since: null, elapsed_ms: 0, updated_at: '2026-12-03T18:30:00.000Z' }).execute()
    const partner = people.find((p) => p.id === moved.company_registration_id)!
    const meetingId = (await api.call('GET', '/api/me/meetings', { token: people[0]!.token })).body.meetings.find((m: { with?: unknown; id: string; round: number }) => m.round === moved.round).id
    for (const p of [people[0]!, partner]) {
      const r = await api.call('PUT', `/api/me/meetings/${meetingId}/rating`, { token: p.token, json: { tookPlace: true, interest: 5, followUp: true } })
      expect(r.status, r.text).toBe(200)
    }
    expect((await api.call('POST', `/api/events/${eventId}/messages`, { token: api.org, json: { kind: 'rating-call' } })).body.queued).toHaveLength(4)
    expect(await runDueMessages(mail, new Date('2026-12-03T21:00:00Z'))).toMatchObject({ queued: 2, sent: 6 })
    const matchLea = smtp.received.find((m) => m.subject?.startsWith('Suite souhaitée') && (m.to as { text: string }).text.includes('lea@'))!
    expect(matchLea.text).toContain(`Contact\u00a0: ${partner === people[2] ? 'Claire Muller, claire@numerique.example.com' : 'Paul Schmitt, paul@brasserie.example.com'}`)

    // a partnership: its two-week check-in goes to both sides
    const p = await api.call('POST', `/api/events/${eventId}/partnerships`, { token: api.org, json: { meetingId } })
    expect(p.status, p.text).toBe(201)
    expect(await runDueMessages(mail, new Date('2026-12-09T09:00:00Z'))).toMatchObject({ queued: 2, sent: 2 })
    expect(smtp.received.at(-1)!.subject).toMatch(/^Où en êtes-vous avec /)

    expect(await kindsReceived(api, smtp.received)).toEqual({ invitation: 4, reminder: 4, 'programme-changed': 2, 'rating-call': 4, 'mutual-match': 2, checkin: 2 })
    // a restart: a new sender on the same outbox sends nothing again
    const restarted = deps(api, smtpTransport(smtp.url))
    expect(await runDueMessages(restarted, new Date('2026-12-09T09:05:00Z'))).toEqual({ queued: 0, sent: 0, retried: 0, failed: 0 })
    expect(smtp.received).toHaveLength(18)
    const listed = await api.call('GET', `/api/events/${eventId}/messages`, { token: api.org })
    expect(listed.body.counts).toEqual({ queued: 0, sending: 0, sent: 18, failed: 0 })
    expect((await api.call('GET', `/api/events/${eventId}/messages`, { token: api.org2 })).status).toBe(404)
  })

  test('the SMTP server down then up: nothing is lost, retried with back-off; two senders at once send each message once', async ({ api, smtp }) => {
    const { eventId } = await eventWithPeople(api)
    await api.call('POST', `/api/events/${eventId}/messages`, { token: api.org, json: { kind: 'invitation' } })
    await smtp.stop()
    const mail = deps(api, smtpTransport(smtp.url))
    const t0 = new Date('2026-11-24T18:01:00Z')
    expect(await sendQueued(mail, t0)).toEqual({ sent: 0, retried: 4, failed: 0 })
    const waiting = await api.call('GET', `/api/events/${eventId}/messages`, { token: api.org })
    expect(waiting.body.counts.queued).toBe(4)
    expect(waiting.body.messages[0]).toMatchObject({ status: 'queued', attempts: 1, nextAttemptAt: new Date(t0.getTime() + backoffMs(1)).toISOString() })
    expect(waiting.body.messages[0].lastError).toBeTruthy()
    // not due yet: nothing tried
    expect(await sendQueued(mail, new Date(t0.getTime() + 1000))).toEqual({ sent: 0, retried: 0, failed: 0 })

    await smtp.start()
    const later = new Date(t0.getTime() + backoffMs(1))
    const other = deps(api, smtpTransport(smtp.url))
    const [a, b] = await Promise.all([sendQueued(mail, later), sendQueued(other, later)])
    expect(a.sent + b.sent).toBe(4)
    expect(smtp.received).toHaveLength(4)
    expect(new Set(smtp.received.map((m) => m.messageId)).size).toBe(4)
    expect((await api.call('GET', `/api/events/${eventId}/messages`, { token: api.org })).body.counts).toEqual({ queued: 0, sending: 0, sent: 4, failed: 0 })
    expect(await queueDueMessages(mail, later)).toBe(0)
  })

  test('without SMTP: one .eml per message in the folder, with a working link and an .ics a parser accepts', async ({ api }) => {
    const folder = mkdtempSync(join(tmpdir(), 'outbox-'))
    const { eventId, people } = await eventWithPeople(api)
    await api.call('POST', `/api/events/${eventId}/schedule?publish=1`, { token: api.org })
    await api.call('POST', `/api/events/${eventId}/messages`, { token: api.org, json: { kind: 'invitation' } })
    expect(await sendQueued(deps(api, folderTransport(folder)), new Date('2026-11-24T18:01:00Z'))).toMatchObject({ sent: 4 })
    const files = readdirSync(folder).filter((f) => f.endsWith('.eml'))
    expect(files).toHaveLength(4)
    for (const file of files) {
      const raw = readFileSync(join(folder, file))
      expect(raw.includes('\r\n')).toBe(true)
      const parsed = await simpleParser(raw)
      const token = linkIn(parsed.text!)
      expect(people.map((p) => p.token)).toContain(token)
      expect((await api.app.request(`/p/${token}`)).status).toBe(200)
      const ics = parsed.attachments.find((a) => a.filename === 'rencontres.ics')!
      const events = new ICAL.Component(ICAL.parse(ics.content.toString('utf8'))).getAllSubcomponents('vevent')
      expect(events.length).toBeGreaterThan(0)
      expect(parsed.text).toMatch(/(Votre programme\s:\n {2}\d\d\sh\s\d\d\s– \d\d\sh\s\d\d|Your programme:\n {2}\d\d:\d\d–\d\d:\d\d), table \d/)
    }
  })
})
