/** Import of a past event (participants, meetings, ratings, outcomes) from one CSV: POST /api/history/import[?dryRun=1][&replace=1]. */
import { Hono } from 'hono'
import { organiserAuth, requireOrganiser } from '../auth/middleware.ts'
import { readCsvBody } from './body.ts'
import { importHistoryCsv } from '../domain/history-import.ts'
import { nowIso, type AppEnv } from './env.ts'

const flag = (v: string | undefined) => v !== undefined && ['1', 'true', 'yes', 'oui', ''].includes(v.toLowerCase())

export const history = new Hono<AppEnv>()
  .use(requireOrganiser)
  .post('/import', async (c) => {
    const auth = organiserAuth(c)
    const options = { dryRun: flag(c.req.query('dryRun')), replace: flag(c.req.query('replace')) }
    const result = await importHistoryCsv(c.get('db'), auth, await readCsvBody(c), nowIso(c.get('clock')), options)
    return c.json(result, options.dryRun ? 200 : 201)
  })
