/**
 * The participant's own space, reached with its personal secret (`p_…`):
 * its registration, event and published schedule, its wishes, and its profile
 * (editable until the event goes live). Nothing else.
 */
import { Hono } from 'hono'
import type { Kysely } from 'kysely'
import { z } from 'zod'
import { participantAuth, requireParticipant } from '../auth/middleware.ts'
import { toEventDto } from '../db/repositories/events.repository.ts'
import { getOrganisation, toOrganisationDto, updateOrganisation } from '../db/repositories/organisations.repository.ts'
import { getRegistration, listRegistrations, toRegistrationDto, updateRegistration } from '../db/repositories/registrations.repository.ts'
import type { Database } from '../db/schema.ts'
import { publishedSchedule } from '../db/repositories/schedules.repository.ts'
import { listWishes, replaceWishes, toWishDto } from '../db/repositories/wishes.repository.ts'
import { byParticipant, meetingViews, toScheduleDto } from '../domain/schedules.ts'
import { locales, participantLocale, setParticipantLocale } from '../domain/locale.ts'
import { MyProfilePatch, MyWishes } from '../domain/schemas.ts'
import { AppError, notFound } from '../errors.ts'
import { nowIso, type AppEnv } from './env.ts'
import { validate } from './validate.ts'
import { checkWishTargets } from './wishes.ts'

/** `PATCH /api/me`: the participant's own settings (its language: page and e-mails). */
const MySettings = z.object({ locale: z.enum(locales) }).strict()

/** Wishes and profile are the participant's until the evening starts. */
async function isBeforeEvent(db: Kysely<Database>, eventId: string): Promise<boolean> {
  const event = await db.selectFrom('events').select('status').where('id', '=', eventId).executeTakeFirstOrThrow()
  return event.status !== 'live' && event.status !== 'closed'
}

/** `GET`/`PATCH /api/me/profile`: the organisation's profile, the person, and whether it may still change. */
async function myProfile(db: Kysely<Database>, eventId: string, registrationId: string) {
  const registration = await getRegistration(db, eventId, registrationId)
  if (!registration) throw notFound({ fr: 'Inscription', en: 'Registration' })
  return {
    organisation: toOrganisationDto(registration.organisation),
    personName: registration.person_name,
    personEmail: registration.person_email,
    editable: await isBeforeEvent(db, eventId),
  }
}

export const me = new Hono<AppEnv>()
  .use(requireParticipant)
  .get('/', async (c) => {
    const { registrationId, eventId } = participantAuth(c)
    const db = c.get('db')
    const event = await db.selectFrom('events').selectAll().where('id', '=', eventId).executeTakeFirst()
    const [registration] = await listRegistrations(db, eventId, [registrationId])
    if (!event || !registration) throw notFound({ fr: 'Inscription', en: 'Registration' })
    const schedule = await publishedSchedule(db, eventId)
    let own = null
    if (schedule) {
      const [mine] = byParticipant([registration], await meetingViews(db, event, schedule))
      // the participant's own meetings, without the pair's score nor its reasons: both tell the other side's wishes
      const meetings = (mine?.meetings ?? []).map(({ score: _score, reasons: _reasons, ...m }) => m)
      own = { version: schedule.version, status: toScheduleDto(schedule).status, meetings }
    }
    const locale = await participantLocale(db, registrationId)
    return c.json({ participant: toRegistrationDto(registration), event: toEventDto(event), schedule: own, locale }, 200)
  })
  .patch('/', validate('json', MySettings), async (c) => {
    // any time, before, during or after the evening: it only changes the language of the page and the e-mails
    const { registrationId } = participantAuth(c)
    const db = c.get('db')
    await setParticipantLocale(db, registrationId, c.req.valid('json').locale)
    return c.json({ locale: await participantLocale(db, registrationId) }, 200)
  })
  .get('/participants', async (c) => {
    // the other side, to choose wishes from: public profile only, no contact details
    const { registrationId, eventId } = participantAuth(c)
    const registrations = await listRegistrations(c.get('db'), eventId)
    const kind = registrations.find((r) => r.id === registrationId)?.organisation.kind
    const others = registrations
      .filter((r) => r.organisation.kind !== kind && r.attendance !== 'absent')
      .map((r) => {
        const { contactName: _n, contactEmail: _e, siren: _s, rna: _r, ...profile } = toRegistrationDto(r).organisation
        return { registrationId: r.id, organisation: profile }
      })
    return c.json({ participants: others }, 200)
  })
  .get('/wishes', async (c) => {
    const { registrationId, eventId } = participantAuth(c)
    const rows = await listWishes(c.get('db'), eventId, registrationId)
    return c.json({ wishes: rows.map(toWishDto) }, 200)
  })
  .put('/wishes', validate('json', MyWishes), async (c) => {
    const { registrationId, eventId } = participantAuth(c)
    const db = c.get('db')
    if (!(await isBeforeEvent(db, eventId))) {
      throw new AppError('event_closed', { fr: "Les souhaits sont fermés pendant et après l'événement", en: "Wishes are closed during and after the event" })
    }
    const { wishes } = c.req.valid('json')
    const seen = new Set<string>()
    wishes.forEach((w, i) => {
      if (seen.has(w.to)) throw new AppError('validation_failed', { fr: 'Souhait en double', en: 'Duplicate wish' }, [{ path: `wishes.${i}.to`, message: { fr: 'en double', en: 'duplicate' } }])
      seen.add(w.to)
    })
    await checkWishTargets(db, eventId, registrationId, wishes.map((w, i) => ({ to: w.to, path: `wishes.${i}.to` })))
    const now = nowIso(c.get('clock'))
    // a wish the organiser set and the participant sends back unchanged stays the organiser's
    const before = await listWishes(db, eventId, registrationId)
    const kept = wishes.map((w) => {
      const was = before.find((b) => b.to_registration_id === w.to)
      return was && was.set_by === 'organiser' && was.level === w.level ? { ...w, setBy: 'organiser' as const } : w
    })
    await db.transaction().execute((trx) => replaceWishes(trx, eventId, registrationId, kept, 'participant', now))
    const rows = await listWishes(db, eventId, registrationId)
    return c.json({ wishes: rows.map(toWishDto) }, 200)
  })
  .get('/profile', async (c) => {
    const { registrationId, eventId } = participantAuth(c)
    return c.json({ profile: await myProfile(c.get('db'), eventId, registrationId) }, 200)
  })
  .patch('/profile', validate('json', MyProfilePatch), async (c) => {
    const { registrationId, eventId, organisationId, networkId } = participantAuth(c)
    const db = c.get('db')
    if (!(await isBeforeEvent(db, eventId))) {
      throw new AppError('event_closed', { fr: "Le profil ne se modifie plus pendant et après l'événement", en: "The profile cannot change during and after the event" })
    }
    if (!(await getOrganisation(db, networkId, organisationId))) throw notFound({ fr: 'Organisation', en: 'Organisation' })
    const { personName, personEmail, ...organisation } = c.req.valid('json')
    const now = nowIso(c.get('clock'))
    await db.transaction().execute(async (trx) => {
      await updateOrganisation(trx, organisationId, organisation, now)
      await updateRegistration(trx, registrationId, { personName, personEmail })
    })
    return c.json({ profile: await myProfile(db, eventId, registrationId) }, 200)
  })
