/**
 * One JSON line per request: method, route pattern, status, milliseconds and
 * the caller's role. Never the path itself (a participant's page is
 * /p/<secret>) nor any header or body: the route pattern names the page.
 */
import type { MiddlewareHandler } from 'hono'
import { matchedRoutes } from 'hono/route'

export interface AccessLogLine {
  method: string
  route: string
  status: number
  ms: number
  role: string | null
}

export type AccessLog = (line: string) => void

export function accessLog(log: AccessLog): MiddlewareHandler {
  return async (c, next) => {
    const start = performance.now()
    try {
      await next()
    } finally {
      // the endpoint is the last matched route that is not a middleware (`use` registers ALL)
      const endpoint = matchedRoutes(c).findLast((r) => r.method !== 'ALL')
      const auth = c.get('auth') as { role?: string } | null | undefined
      const line: AccessLogLine = {
        method: c.req.method,
        route: endpoint?.path ?? '(no route)',
        status: c.res.status,
        ms: Math.round((performance.now() - start) * 10) / 10,
        role: auth?.role ?? null,
      }
      log(JSON.stringify(line))
    }
  }
}
