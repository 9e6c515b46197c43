/**
 * Security headers on every response (hono's secureHeaders): a Content
 * Security Policy without inline script, no framing, no sniffing, no
 * referrer to other sites. Pages load their scripts and stylesheets from /static; the room
 * screen's data is a JSON block (`<script type="application/json">`), which
 * is not executed. No inline style either: layout helpers are classes of
 * style.css.
 *
 * `Cache-Control: no-store` on everything but /static: API answers carry
 * personal links and tokens, pages carry personal data.
 */
import type { MiddlewareHandler } from 'hono'
import { secureHeaders } from 'hono/secure-headers'

export const contentSecurityPolicy = {
  defaultSrc: ["'self'"],
  scriptSrc: ["'self'"],
  styleSrc: ["'self'"],
  imgSrc: ["'self'", 'data:'],
  objectSrc: ["'none'"],
  frameAncestors: ["'none'"],
  baseUri: ["'self'"],
  formAction: ["'self'"],
}

export function securityHeaders(): MiddlewareHandler {
  const secure = secureHeaders({
    contentSecurityPolicy,
    xFrameOptions: 'DENY',
    // not no-referrer: under it a browser sends `Origin: null` with our own form posts, which the origin check refuses
    referrerPolicy: 'same-origin',
    xContentTypeOptions: 'nosniff',
    // HTTPS and HSTS are the reverse proxy's business
    strictTransportSecurity: false,
  })
  return async (c, next) => {
    await secure(c, async () => {
      await next()
      if (!c.req.path.startsWith('/static/')) c.res.headers.set('cache-control', 'no-store')
    })
  }
}
