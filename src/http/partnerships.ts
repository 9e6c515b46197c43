/**
 * Partnerships of an event (from a proposal, a meeting, or a pair that never
 * met), their pipeline with an append-only history, and the organiser's list of
 * check-ins due (`checkins`, mounted at /api/checkins).
 */
import { Hono } from 'hono'
import { z } from 'zod'
import { actorOf, organiserAuth, requireOrganiser, requireStaff } from '../auth/middleware.ts'
import { ownedEvent } from '../auth/ownership.ts'
import { listCheckins, listDueCheckins } from '../db/repositories/checkins.repository.ts'
import { listHistory, listPartnerships, updatePartnershipFields } from '../db/repositories/partnerships.repository.ts'
import {
  changeStatus,
  checkinView,
  createPartnership,
  fieldsToColumns,
  NewPartnership,
  partnershipDetails,
  partnershipOfEvent,
  PartnershipFields,
  partnershipView,
  StatusChange,
} from '../domain/followups.ts'
import { nowIso, type AppEnv } from './env.ts'
import { validate } from './validate.ts'


export const partnerships = new Hono<AppEnv>()
  .use(requireStaff)
  .get('/:eventId/partnerships', async (c) => {
    const event = await ownedEvent(c, c.req.param('eventId'))
    const db = c.get('db')
    const rows = await listPartnerships(db, [event.id])
    const ids = rows.map((p) => p.id)
    const [history, checkins] = [await listHistory(db, ids), await listCheckins(db, ids)]
    return c.json({ partnerships: rows.map((p) => partnershipView(p, history, checkins)) }, 200)
  })
  .post('/:eventId/partnerships', validate('json', NewPartnership), async (c) => {
    const event = await ownedEvent(c, c.req.param('eventId'))
    const auth = organiserAuth(c)
    const db = c.get('db')
    const row = await createPartnership(db, event.id, c.req.valid('json'), actorOf(auth), nowIso(c.get('clock')))
    return c.json({ partnership: await partnershipDetails(db, row) }, 201)
  })
  .get('/:eventId/partnerships/:partnershipId', async (c) => {
    const event = await ownedEvent(c, c.req.param('eventId'))
    const db = c.get('db')
    const row = await partnershipOfEvent(db, event.id, c.req.param('partnershipId'))
    return c.json({ partnership: await partnershipDetails(db, row) }, 200)
  })
  .patch('/:eventId/partnerships/:partnershipId', validate('json', PartnershipFields), async (c) => {
    const event = await ownedEvent(c, c.req.param('eventId'))
    const db = c.get('db')
    const row = await partnershipOfEvent(db, event.id, c.req.param('partnershipId'))
    await updatePartnershipFields(db, row.id, fieldsToColumns(c.req.valid('json')), nowIso(c.get('clock')))
    return c.json({ partnership: await partnershipDetails(db, await partnershipOfEvent(db, event.id, row.id)) }, 200)
  })
  .post('/:eventId/partnerships/:partnershipId/status', validate('json', StatusChange), async (c) => {
    const event = await ownedEvent(c, c.req.param('eventId'))
    const auth = organiserAuth(c)
    const db = c.get('db')
    const row = await partnershipOfEvent(db, event.id, c.req.param('partnershipId'))
    const updated = await changeStatus(db, row, c.req.valid('json'), actorOf(auth), nowIso(c.get('clock')))
    return c.json({ partnership: await partnershipDetails(db, updated) }, 200)
  })

const DueQuery = z.object({ on: z.iso.date().optional() })

export const checkins = new Hono<AppEnv>()
  .use(requireOrganiser)
  .get('/due', validate('query', DueQuery), async (c) => {
    const auth = organiserAuth(c)
    const day = c.req.valid('query').on ?? nowIso(c.get('clock')).slice(0, 10)
    const rows = await listDueCheckins(c.get('db'), auth.networkId, day)
    return c.json(
      {
        on: day,
        checkins: rows.map((r) => ({
          ...checkinView(r),
          eventId: r.event_id,
          associationRegistrationId: r.association_registration_id,
          companyRegistrationId: r.company_registration_id,
          partnershipStatus: r.partnership_status,
        })),
      },
      200,
    )
  })
