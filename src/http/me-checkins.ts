/** A participant's check-ins ("how has it evolved?") on its partnerships, through its personal secret. */
import { Hono } from 'hono'
import { participantAuth, requireParticipant } from '../auth/middleware.ts'
import { answerCheckin, listCheckinsOfRegistration } from '../db/repositories/checkins.repository.ts'
import { CheckinAnswer, checkinView } from '../domain/followups.ts'
import { AppError, notFound } from '../errors.ts'
import { longDate } from '../domain/timetable.ts'
import { nowIso, type AppEnv } from './env.ts'
import { validate } from './validate.ts'

export const meCheckins = new Hono<AppEnv>()
  .use(requireParticipant)
  .get('/checkins', async (c) => {
    const me = participantAuth(c)
    const today = nowIso(c.get('clock')).slice(0, 10)
    const rows = await listCheckinsOfRegistration(c.get('db'), me.registrationId)
    return c.json({ today, checkins: rows.map((r) => ({ ...checkinView(r), due: r.due_on <= today })) }, 200)
  })
  .post('/checkins/:checkinId', validate('json', CheckinAnswer), async (c) => {
    const me = participantAuth(c)
    const db = c.get('db')
    const rows = await listCheckinsOfRegistration(db, me.registrationId)
    const checkin = rows.find((r) => r.id === c.req.param('checkinId'))
    if (!checkin) throw notFound({ fr: 'Point de suivi', en: 'Check-in' })
    // a check-in asks how things went after 2 weeks, 3, 6 or 12 months: not before
    const today = nowIso(c.get('clock')).slice(0, 10)
    if (checkin.due_on > today) {
      throw new AppError('checkin_not_due', {
        fr: `Cette question de suivi s’ouvre le ${longDate(checkin.due_on, 'fr')} : revenez à partir de cette date`,
        en: `This check-in opens on ${longDate(checkin.due_on, 'en')}: come back from that date`,
      })
    }
    const answer = c.req.valid('json')
    await answerCheckin(db, checkin.id, {
      answered_at: nowIso(c.get('clock')),
      answered_by: me.registrationId,
      evolution: answer.evolution,
      comment: answer.comment ?? null,
    })
    const updated = (await listCheckinsOfRegistration(db, me.registrationId)).find((r) => r.id === checkin.id)!
    return c.json({ checkin: checkinView(updated) }, 200)
  })
