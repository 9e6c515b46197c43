/** Import of a past event (participants, meetings, ratings, outcomes) from one CSV: POST /api/history/import. */
import { Hono } from 'hono'
import { organiserAuth, requireOrganiser } from '../auth/middleware.ts'
import { readCsvBody } from './body.ts'
import { importHistoryCsv } from '../domain/history-import.ts'
import { nowIso, type AppEnv } from './env.ts'

export const history = new Hono<AppEnv>()
  .use(requireOrganiser)
  .post('/import', async (c) => {
    const auth = organiserAuth(c)
    const text = new TextDecoder('utf-8').decode(await readCsvBody(c))
    const result = await importHistoryCsv(c.get('db'), auth, text, nowIso(c.get('clock')))
    return c.json(result, 201)
  })
