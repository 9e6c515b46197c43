/** Organisations seen in the calling organiser's events (an organisation lives across events). */
import { Hono } from 'hono'
import { z } from 'zod'
import { organiserAuth, requireOrganiser } from '../auth/middleware.ts'
import {
  getOrganisation,
  listOrganiserOrganisations,
  organisationVisibleTo,
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
    const { organiserId } = organiserAuth(c)
    const rows = await listOrganiserOrganisations(c.get('db'), organiserId, c.req.valid('query').q)
    return c.json({ organisations: rows.map(toOrganisationDto) }, 200)
  })
  .get('/:organisationId', async (c) => {
    const { organiserId } = organiserAuth(c)
    const id = c.req.param('organisationId')
    const db = c.get('db')
    const row = (await organisationVisibleTo(db, organiserId, id)) ? await getOrganisation(db, id) : undefined
    if (!row) throw notFound('Organisation')
    return c.json({ organisation: toOrganisationDto(row) }, 200)
  })
  .patch('/:organisationId', validate('json', OrganisationPatch), async (c) => {
    const { organiserId } = organiserAuth(c)
    const id = c.req.param('organisationId')
    const db = c.get('db')
    if (!(await organisationVisibleTo(db, organiserId, id))) throw notFound('Organisation')
    const row = await updateOrganisation(db, id, c.req.valid('json'), nowIso(c.get('clock')))
    return c.json({ organisation: toOrganisationDto(row) }, 200)
  })
