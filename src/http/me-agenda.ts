/** `GET /api/me/agenda.ics`: the participant's meetings as an iCalendar file (src/domain/calendar.ts). */
import { Hono } from 'hono'
import { participantAuth, requireParticipant } from '../auth/middleware.ts'
import { agendaIcs, participantAgenda } from '../domain/calendar.ts'
import { AppError, notFound } from '../errors.ts'
import type { AppEnv } from './env.ts'

export const meAgenda = new Hono<AppEnv>().use(requireParticipant).get('/agenda.ics', async (c) => {
  const { registrationId, eventId } = participantAuth(c)
  const db = c.get('db')
  const event = await db.selectFrom('events').selectAll().where('id', '=', eventId).executeTakeFirst()
  if (!event) throw notFound({ fr: 'Événement', en: 'Event' })
  const entries = await participantAgenda(db, event, registrationId)
  if (!entries) {
    throw new AppError(
      'no_published_schedule',
      { fr: "Pas encore de planning publié (ou pas d'heure de début) : l'agenda viendra avec lui", en: "No published schedule (or no start time) yet: the agenda comes with it" },
    )
  }
  return c.body(agendaIcs(event, entries, c.get('clock')()), 200, {
    'content-type': 'text/calendar; charset=utf-8',
    'content-disposition': `attachment; filename="rencontres-${event.date}.ics"`,
    'cache-control': 'no-store',
  })
})
