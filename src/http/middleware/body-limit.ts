/**
 * Body limits, enforced while the body is read (hono's bodyLimit counts the
 * bytes of a chunked body and stops at the limit; a declared Content-Length
 * over it is refused before reading). 1 MB for JSON and form posts, 5 MB for
 * the CSV imports of the API, 7 MB for the import pages (a 5 MB file travels
 * in a multipart form, then back as base64 in the confirmation form).
 */
import type { Context, MiddlewareHandler } from 'hono'
import { bodyLimit } from 'hono/body-limit'
import { AppError } from '../../errors.ts'
import { formatNumber } from '../../domain/typography.ts'

export const MB = 1024 * 1024
export const jsonBodyMax = 1 * MB
export const csvBodyMax = 5 * MB
export const csvPageBodyMax = 7 * MB

/** The routes that take a CSV file, by method and path. */
const csvRoutes: RegExp[] = [
  /^\/api\/events\/[^/]+\/participants\/import\/?$/,
  /^\/api\/events\/[^/]+\/ratings\/import\/?$/,
  /^\/api\/history\/import\/?$/,
]
const csvPageRoutes: RegExp[] = [/^\/evenements\/[^/]+\/import(\/confirmer)?\/?$/]

function tooLarge(max: number) {
  const mb = max / MB
  return (c: Context): never => {
    // the rest of the body is not read: close the connection rather than drain it
    c.header('connection', 'close')
    throw new AppError('payload_too_large', { fr: `Requête trop grosse (${formatNumber(mb, 'fr')} Mo au plus)`, en: `Request body too large (${formatNumber(mb, 'en')} MB max)` })
  }
}

/** The limit for a request: which routes take what. */
export function bodyMaxFor(path: string): number {
  if (csvRoutes.some((r) => r.test(path))) return csvBodyMax
  if (csvPageRoutes.some((r) => r.test(path))) return csvPageBodyMax
  return jsonBodyMax
}

/** One middleware for the whole app: picks the limit of the route, then lets bodyLimit count. */
export function bodyLimits(): MiddlewareHandler {
  const limiters = new Map<number, MiddlewareHandler>(
    [jsonBodyMax, csvBodyMax, csvPageBodyMax].map((max) => [max, bodyLimit({ maxSize: max, onError: tooLarge(max) })]),
  )
  return async (c, next) => {
    const limiter = limiters.get(bodyMaxFor(c.req.path))
    if (!limiter) return next()
    const res = await limiter(c, next)
    return res ?? undefined
  }
}
