/** Wishes set by the organiser on behalf of participants: must meet / would like / do not want. */
import { Hono } from 'hono'
import type { Kysely } from 'kysely'
import { z } from 'zod'
import { requireStaff } from '../auth/middleware.ts'
import { ownedEvent } from '../auth/ownership.ts'
import { listRegistrations } from '../db/repositories/registrations.repository.ts'
import { listWishes, setWish, toWishDto } from '../db/repositories/wishes.repository.ts'
import type { Database } from '../db/schema.ts'
import { WishInput } from '../domain/schemas.ts'
import { AppError, type Issue } from '../errors.ts'
import { nowIso, type AppEnv } from './env.ts'
import { validate } from './validate.ts'

/**
 * Checks that each wish goes from `from` to a registration of the other side
 * of the same event; throws 'validation_failed' naming the bad ones.
 */
export async function checkWishTargets(db: Kysely<Database>, eventId: string, from: string, targets: { to: string; path: string }[]): Promise<void> {
  const registrations = await listRegistrations(db, eventId)
  const byId = new Map(registrations.map((r) => [r.id, r]))
  const source = byId.get(from)
  const issues: Issue[] = []
  if (!source) issues.push({ path: 'from', message: { fr: "participant inconnu dans cet événement", en: "unknown participant in this event" } })
  for (const { to, path } of targets) {
    const target = byId.get(to)
    if (!target) issues.push({ path, message: { fr: 'participant inconnu dans cet événement', en: 'unknown participant in this event' } })
    else if (source && target.organisation.kind === source.organisation.kind) {
      issues.push({ path, message: { fr: "un souhait vise l'autre côté (association ↔ entreprise)", en: "a wish targets the other side" } })
    }
  }
  if (issues.length > 0) throw new AppError('validation_failed', { fr: 'Souhait invalide', en: 'Invalid wish' }, issues)
}

export const wishes = new Hono<AppEnv>()
  .use(requireStaff)
  .get('/:eventId/wishes', validate('query', z.object({ from: z.string().min(1).optional() })), async (c) => {
    const event = await ownedEvent(c, c.req.param('eventId'))
    const rows = await listWishes(c.get('db'), event.id, c.req.valid('query').from)
    return c.json({ wishes: rows.map(toWishDto) }, 200)
  })
  .put('/:eventId/wishes', validate('json', WishInput), async (c) => {
    const event = await ownedEvent(c, c.req.param('eventId'))
    if (event.status === 'closed') throw new AppError('event_closed', { fr: 'Événement clos', en: 'The event is closed' })
    const { from, to, level } = c.req.valid('json')
    const db = c.get('db')
    await checkWishTargets(db, event.id, from, [{ to, path: 'to' }])
    const wish = await setWish(db, event.id, from, to, level, 'organiser', nowIso(c.get('clock')))
    return c.json({ wish: wish ? toWishDto(wish) : null }, 200)
  })
