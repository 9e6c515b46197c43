/**
 * E-mails of an event (src/domain/mail/outbox.ts): the organiser queues the
 * invitation or the rating call for every participant with an e-mail, and
 * lists the event's messages with their status.
 */
import { Hono } from 'hono'
import { z } from 'zod'
import { requireStaff } from '../auth/middleware.ts'
import { ownedEvent } from '../auth/ownership.ts'
import { listMessages, queueEventMessages, toMessageDto } from '../domain/mail/outbox.ts'
import { AppError } from '../errors.ts'
import type { AppEnv } from './env.ts'
import { validate } from './validate.ts'

export const SendMessages = z.object({ kind: z.enum(['invitation', 'rating-call']) })
export type SendMessages = z.infer<typeof SendMessages>

export const messages = new Hono<AppEnv>()
  .use(requireStaff)
  .post('/:eventId/messages', validate('json', SendMessages), async (c) => {
    const event = await ownedEvent(c, c.req.param('eventId'))
    const { kind } = c.req.valid('json')
    if (kind === 'invitation' && event.status === 'closed') {
      throw new AppError('event_closed', { fr: 'Événement clos : plus d’invitations', en: 'The event is closed: no more invitations' })
    }
    if (kind === 'rating-call' && event.status !== 'live' && event.status !== 'closed') {
      throw new AppError('conflict', { fr: "L'appel à noter part pendant ou après la soirée", en: "The rating call goes out during or after the evening" })
    }
    const report = await queueEventMessages({ db: c.get('db'), linkKey: c.get('linkKey') }, event, kind, c.get('clock')())
    if (report.queued.length > 0) c.get('wakeMailer')()
    return c.json({ kind, ...report }, 202)
  })
  .get('/:eventId/messages', async (c) => {
    const event = await ownedEvent(c, c.req.param('eventId'))
    const rows = await listMessages(c.get('db'), event.id)
    const counts = { queued: 0, sending: 0, sent: 0, failed: 0 }
    for (const m of rows) counts[m.status]++
    return c.json({ counts, messages: rows.map(toMessageDto) }, 200)
  })
