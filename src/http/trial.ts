/**
 * An event's trial of matching strategies and its scoring weights, set by
 * its network's admins and organisers (src/domain/event-trial.ts,
 * src/domain/event-weights.ts). Mounted at /events: staff guard at router
 * level, the role checked per route by eventFor.
 */
import { Hono } from 'hono'
import { z } from 'zod'
import { actorOf, organiserAuth, requireStaff } from '../auth/middleware.ts'
import { eventFor } from '../auth/ownership.ts'
import { removeTrial, setupTrial, trialView } from '../domain/event-trial.ts'
import { adoptWeights, eventWeights, learnedForEvent, WeightsAdoption } from '../domain/event-weights.ts'
import { TrialSetup } from '../domain/trial.ts'
import { AppError } from '../errors.ts'
import { nowIso, type AppEnv } from './env.ts'
import { validate } from './validate.ts'

const SuggestQuery = z.object({ suggest: z.enum(['0', '1']).optional() })

const closed = () => new AppError('event_closed', { fr: 'Événement clos', en: 'The event is closed' })

export const trial = new Hono<AppEnv>()
  .use(requireStaff)
  .get('/:eventId/trial', async (c) => {
    const event = await eventFor(c, c.req.param('eventId'), 'manage')
    return c.json(await trialView(c.get('db'), event), 200)
  })
  .put('/:eventId/trial', validate('json', TrialSetup), async (c) => {
    const event = await eventFor(c, c.req.param('eventId'), 'manage')
    if (event.status === 'closed') throw closed()
    await setupTrial(c.get('db'), event, c.req.valid('json'), { createdBy: actorOf(organiserAuth(c)), now: nowIso(c.get('clock')) })
    return c.json(await trialView(c.get('db'), event), 200)
  })
  .delete('/:eventId/trial', async (c) => {
    const event = await eventFor(c, c.req.param('eventId'), 'manage')
    await removeTrial(c.get('db'), event)
    return c.json(await trialView(c.get('db'), event), 200)
  })
  .get('/:eventId/weights', validate('query', SuggestQuery), async (c) => {
    const event = await eventFor(c, c.req.param('eventId'), 'manage')
    const db = c.get('db')
    const current = await eventWeights(db, event.id)
    // the fit on the network's other events, only when asked (it reads every pair of the network)
    const suggestion = c.req.valid('query').suggest === '1' ? await learnedForEvent(db, event) : null
    return c.json({ ...current, suggestion }, 200)
  })
  .put('/:eventId/weights', validate('json', WeightsAdoption), async (c) => {
    const event = await eventFor(c, c.req.param('eventId'), 'manage')
    if (event.status === 'closed') throw closed()
    const adopted = await adoptWeights(c.get('db'), event, c.req.valid('json'), { createdBy: actorOf(organiserAuth(c)), now: nowIso(c.get('clock')) })
    return c.json({ ...adopted, suggestion: null }, 200)
  })
  .delete('/:eventId/weights', async (c) => {
    const event = await eventFor(c, c.req.param('eventId'), 'manage')
    if (event.status === 'closed') throw closed()
    const adopted = await adoptWeights(c.get('db'), event, { source: 'default' }, { createdBy: actorOf(organiserAuth(c)), now: nowIso(c.get('clock')) })
    return c.json({ ...adopted, suggestion: null }, 200)
  })
