/** Pairs never to be matched: an existing partnership or a declared conflict. */
import { Hono } from 'hono'
import { requireStaff } from '../auth/middleware.ts'
import { ownedEvent } from '../auth/ownership.ts'
import { addExclusion, deleteExclusion, listEventExclusions, toExclusionDto } from '../db/repositories/exclusions.repository.ts'
import { getOrganisation } from '../db/repositories/organisations.repository.ts'
import { NewExclusion } from '../domain/schemas.ts'
import { AppError, notFound, type Issue } from '../errors.ts'
import { nowIso, type AppEnv } from './env.ts'
import { validate } from './validate.ts'

export const exclusions = new Hono<AppEnv>()
  .use(requireStaff)
  .get('/:eventId/exclusions', async (c) => {
    const event = await ownedEvent(c, c.req.param('eventId'))
    const rows = await listEventExclusions(c.get('db'), event)
    return c.json({ exclusions: rows.map(toExclusionDto) }, 200)
  })
  .post('/:eventId/exclusions', validate('json', NewExclusion), async (c) => {
    const event = await ownedEvent(c, c.req.param('eventId'))
    const body = c.req.valid('json')
    const db = c.get('db')
    const association = await getOrganisation(db, event.network_id, body.associationId)
    const company = await getOrganisation(db, event.network_id, body.companyId)
    const issues: Issue[] = []
    if (association?.kind !== 'association') issues.push({ path: 'associationId', message: { fr: 'association inconnue', en: 'unknown association' } })
    if (company?.kind !== 'company') issues.push({ path: 'companyId', message: { fr: 'entreprise inconnue', en: 'unknown company' } })
    if (issues.length > 0) throw new AppError('validation_failed', { fr: 'Exclusion invalide', en: 'Invalid exclusion' }, issues)
    const row = await addExclusion(
      db,
      { networkId: event.network_id, eventId: body.allEvents ? null : event.id, associationId: body.associationId, companyId: body.companyId, reason: body.reason, note: body.note ?? null },
      nowIso(c.get('clock')),
    )
    return c.json({ exclusion: toExclusionDto(row) }, 201)
  })
  .delete('/:eventId/exclusions/:exclusionId', async (c) => {
    const event = await ownedEvent(c, c.req.param('eventId'))
    const db = c.get('db')
    const row = await db
      .selectFrom('exclusions')
      .select('id')
      .where('id', '=', c.req.param('exclusionId'))
      // the event's own, or an "every event" one of its network
      .where((eb) => eb.or([eb('event_id', '=', event.id), eb.and([eb('event_id', 'is', null), eb('network_id', '=', event.network_id)])]))
      .executeTakeFirst()
    if (!row) throw notFound({ fr: 'Exclusion', en: 'Exclusion' })
    await deleteExclusion(db, row.id)
    return c.body(null, 204)
  })
