/** The network's directory of organisations (an organisation lives across the network's events). */
import { Hono } from 'hono'
import { z } from 'zod'
import { organiserAuth, requireOrganiser } from '../auth/middleware.ts'
import {
  getOrganisation,
  listNetworkOrganisations,
  toOrganisationDto,
  updateOrganisation,
} from '../db/repositories/organisations.repository.ts'
import { OrganisationPatch } from '../domain/schemas.ts'
import { notFound } from '../errors.ts'
import { nowIso, type AppEnv } from './env.ts'
import { validate } from './validate.ts'

export const organisations = new Hono<AppEnv>()
  .use(requireOrganiser)
  .get('/', validate('query', z.object({ q: z.string().max(100).optional() })), async (c) => {
    const { networkId } = organiserAuth(c)
    const rows = await listNetworkOrganisations(c.get('db'), networkId, c.req.valid('query').q)
    return c.json({ organisations: rows.map(toOrganisationDto) }, 200)
  })
  .get('/:organisationId', async (c) => {
    const { networkId } = organiserAuth(c)
    const row = await getOrganisation(c.get('db'), networkId, c.req.param('organisationId'))
    if (!row) throw notFound({ fr: 'Organisation', en: 'Organisation' })
    return c.json({ organisation: toOrganisationDto(row) }, 200)
  })
  .patch('/:organisationId', validate('json', OrganisationPatch), async (c) => {
    const { networkId } = organiserAuth(c)
    const db = c.get('db')
    const existing = await getOrganisation(db, networkId, c.req.param('organisationId'))
    if (!existing) throw notFound({ fr: 'Organisation', en: 'Organisation' })
    const row = await updateOrganisation(db, existing.id, c.req.valid('json'), nowIso(c.get('clock')))
    return c.json({ organisation: toOrganisationDto(row) }, 200)
  })
