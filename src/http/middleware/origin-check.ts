/**
 * Cross-site form posts are refused: a POST (PUT, PATCH, DELETE) to a page
 * whose Origin header, or without Origin its Referer, names another host than
 * the request's own (or PUBLIC_URL's) gets 403. Requests with neither header
 * pass (curl, scripts), and the JSON API is left alone: it takes bearer
 * tokens, not cookies, and the pages call it in-process.
 *
 * hono/csrf does not fit: it refuses form posts without an Origin header and
 * does not look at Referer.
 */
import type { MiddlewareHandler } from 'hono'
import { AppError } from '../../errors.ts'

const safeMethods = new Set(['GET', 'HEAD', 'OPTIONS'])

function hostOf(url: string): string | null {
  try {
    return new URL(url).host.toLowerCase()
  } catch {
    return null
  }
}

export function originCheck(options: { publicUrl?: string } = {}): MiddlewareHandler {
  const publicHost = options.publicUrl ? hostOf(options.publicUrl) : null
  return async (c, next) => {
    if (safeMethods.has(c.req.method) || c.req.path === '/api' || c.req.path.startsWith('/api/')) return next()
    const claimed = c.req.header('origin') ?? c.req.header('referer')
    if (claimed !== undefined) {
      const host = hostOf(claimed)
      const own = [hostOf(c.req.url), publicHost]
      if (host === null || !own.includes(host)) {
        throw new AppError('forbidden', { fr: "Envoi depuis un autre site refusé", en: "Cross-site form post refused" })
      }
    }
    await next()
  }
}
