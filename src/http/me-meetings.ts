/**
 * A participant's own meetings, its ratings of them and its mutual matches
 * (double opt-in), through its personal secret. Another participant's meeting
 * answers 404; the other side's rating is never shown.
 */
import { Hono } from 'hono'
import { participantAuth, requireParticipant } from '../auth/middleware.ts'
import { listEventMeetings, listRatingsOfMeetings, ratingClosedAt } from '../db/repositories/ratings.repository.ts'
import { mutualMatches } from '../domain/followups.ts'
import { participantMeeting, RatingInput, ratingView, roundOpenings, saveRating, sideOf } from '../domain/ratings.ts'
import { nowIso, type AppEnv } from './env.ts'
import { validate } from './validate.ts'

/** A participant's view of its own rating: no registration id, no source. */
function ownRating(r: Parameters<typeof ratingView>[0]) {
  const { tookPlace, interest, followUp, kinds, note, updatedAt } = ratingView(r)
  return { tookPlace, interest, followUp, kinds, note, updatedAt }
}

export const meMeetings = new Hono<AppEnv>()
  .use(requireParticipant)
  .get('/meetings', async (c) => {
    const me = participantAuth(c)
    const db = c.get('db')
    const meetings = (await listEventMeetings(db, me.eventId)).filter((m) => sideOf(m, me.registrationId) !== null)
    const ratings = (await listRatingsOfMeetings(db, meetings.map((m) => m.id))).filter((r) => r.registration_id === me.registrationId)
    const others = meetings.length
      ? await db
          .selectFrom('registrations')
          .innerJoin('organisations', 'organisations.id', 'registrations.organisation_id')
          .select(['registrations.id', 'organisations.name'])
          .where('registrations.id', 'in', meetings.flatMap((m) => [m.association_registration_id, m.company_registration_id]))
          .execute()
      : []
    const nameOf = new Map(others.map((o) => [o.id, o.name]))
    const opening = await roundOpenings(db, me.eventId, c.get('clock')())
    const absent = (await db.selectFrom('registrations').select('attendance').where('id', '=', me.registrationId).executeTakeFirst())?.attendance === 'absent'
    return c.json(
      {
        ratingClosedAt: await ratingClosedAt(db, me.eventId),
        meetings: meetings.map((m) => {
          const side = sideOf(m, me.registrationId)!
          const otherId = side === 'association' ? m.company_registration_id : m.association_registration_id
          const own = ratings.find((r) => r.meeting_id === m.id)
          return {
            id: m.id, round: m.round, table: m.table_no, code: m.short_code, side,
            with: { organisation: nameOf.get(otherId) ?? null },
            rating: own ? ownRating(own) : null,
            // rated once started, and not by a participant marked absent (src/domain/ratings.ts assertMayRate)
            ratable: !absent && opening(m.round).started,
            startsAt: opening(m.round).startsAt?.toISOString() ?? null,
          }
        }),
      },
      200,
    )
  })
  .put('/meetings/:meetingId/rating', validate('json', RatingInput), async (c) => {
    const me = participantAuth(c)
    const db = c.get('db')
    const { meeting, side } = await participantMeeting(db, me.eventId, me.registrationId, c.req.param('meetingId'))
    const rating = await saveRating(db, { meeting, side, input: c.req.valid('json'), source: 'participant', now: nowIso(c.get('clock')) })
    return c.json({ rating: ownRating(rating) }, 200)
  })
  .get('/matches', async (c) => {
    const me = participantAuth(c)
    return c.json({ matches: await mutualMatches(c.get('db'), me.eventId, me.registrationId) }, 200)
  })
