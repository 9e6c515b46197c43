/** One organisation across the network's events, and the merge of two records of it. */
import { Hono } from 'hono'
import { z } from 'zod'
import { organiserAuth, requireOrganiser } from '../auth/middleware.ts'
import { toOrganisationDto } from '../db/repositories/organisations.repository.ts'
import { mergeOrganisations, organisationHistory } from '../domain/organisation-history.ts'
import { nowIso, type AppEnv } from './env.ts'
import { validate } from './validate.ts'

export const OrganisationMerge = z.object({ from: z.string().min(1).max(100) }).strict()

export const organisationHistoryRoutes = new Hono<AppEnv>()
  .use(requireOrganiser)
  .get('/:organisationId/history', async (c) => {
    const { networkId } = organiserAuth(c)
    return c.json(await organisationHistory(c.get('db'), networkId, c.req.param('organisationId')), 200)
  })
  .post('/:organisationId/merge', validate('json', OrganisationMerge), async (c) => {
    const { networkId } = organiserAuth(c)
    const row = await mergeOrganisations(c.get('db'), networkId, c.req.param('organisationId'), c.req.valid('json').from, nowIso(c.get('clock')))
    return c.json({ organisation: toOrganisationDto(row) }, 200)
  })
