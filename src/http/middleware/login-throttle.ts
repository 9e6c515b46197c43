/**
 * Failed logins are counted per client address: after `max` failures (401)
 * within `windowMs`, POST /connexion answers 429 until the oldest failure
 * leaves the window. A successful login clears the address's count.
 *
 * The failures are rows of `login_failures`: several processes on one
 * PostgreSQL count them together, and a restart forgets nothing. Behind a
 * reverse proxy every client shares the proxy's address (X-Forwarded-For is
 * not trusted).
 */
import type { Context, MiddlewareHandler } from 'hono'
import { getConnInfo } from '@hono/node-server/conninfo'
import type { Kysely } from 'kysely'
import { newId } from '../../db/ids.ts'
import type { Database } from '../../db/schema.ts'
import { AppError } from '../../errors.ts'

export interface LoginThrottleOptions {
  db: Kysely<Database>
  max?: number
  windowMs?: number
  clock?: () => Date
}

/** The socket's remote address under @hono/node-server; 'local' in-process (app.request). */
export function clientAddress(c: Context): string {
  try {
    return getConnInfo(c).remote.address ?? 'local'
  } catch {
    return 'local'
  }
}

export function loginThrottle(options: LoginThrottleOptions): MiddlewareHandler {
  const { db } = options
  const max = options.max ?? 10
  const windowMs = options.windowMs ?? 15 * 60 * 1000
  const clock = options.clock ?? (() => new Date())

  return async (c, next) => {
    if (c.req.method !== 'POST') return next()
    const address = clientAddress(c)
    const now = clock()
    const since = new Date(now.getTime() - windowMs).toISOString()
    const recent = await db
      .selectFrom('login_failures')
      .select('at')
      .where('address', '=', address)
      .where('at', '>', since)
      .orderBy('at')
      .execute()
    if (recent.length >= max) {
      const oldest = Date.parse(recent[0]!.at)
      const retry = Math.max(1, Math.ceil((oldest + windowMs - now.getTime()) / 1000))
      c.header('retry-after', String(retry))
      throw new AppError(
        'too_many_requests',
        {
          fr: `Trop d’essais de connexion, réessayez dans ${Math.ceil(retry / 60)} min`,
          en: `Too many failed logins, try again in ${Math.ceil(retry / 60)} min`,
        },
      )
    }
    await next()
    if (c.res.status === 401) {
      await db.insertInto('login_failures').values({ id: newId(), address, at: now.toISOString() }).execute()
      // failures that left the window are of no use any more
      await db.deleteFrom('login_failures').where('at', '<=', since).execute()
    } else if (c.res.status < 400) {
      await db.deleteFrom('login_failures').where('address', '=', address).execute()
    }
  }
}
