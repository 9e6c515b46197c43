/**
 * The edge of the app, in order: access log, security headers, body limits,
 * the origin check of form posts, and the throttle of failed logins.
 *
 *   new Hono().use(...edge({ log: console.log })).route('/api', api)
 */
import type { MiddlewareHandler } from 'hono'
import type { Kysely } from 'kysely'
import type { Database } from '../../db/schema.ts'
import { accessLog, type AccessLog } from './access-log.ts'
import { bodyLimits } from './body-limit.ts'
import { loginThrottle } from './login-throttle.ts'
import { originCheck } from './origin-check.ts'
import { securityHeaders } from './security-headers.ts'

export type { AccessLog } from './access-log.ts'

export interface EdgeOptions {
  db: Kysely<Database>
  log?: AccessLog | undefined
  clock?: () => Date
  publicUrl?: string
}

export function edge(options: EdgeOptions): MiddlewareHandler[] {
  const throttle = loginThrottle(options.clock ? { db: options.db, clock: options.clock } : { db: options.db })
  const originOptions = options.publicUrl ? { publicUrl: options.publicUrl } : {}
  return [
    ...(options.log ? [accessLog(options.log)] : []),
    securityHeaders(),
    bodyLimits(),
    originCheck(originOptions),
    async (c, next) => (c.req.path === '/connexion' ? throttle(c, next) : next()),
  ]
}
