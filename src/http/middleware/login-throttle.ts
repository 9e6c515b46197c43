/**
 * Failed logins are counted per client address: after `max` failures (401)
 * within `windowMs`, POST /connexion answers 429 until the oldest failure
 * leaves the window. A successful login clears the address's count.
 *
 * The counts live in the process's memory (no table: the schema is not ours
 * to change here): several processes each count on their own, and a restart
 * forgets. Behind a reverse proxy every client shares the proxy's address.
 */
import type { Context, MiddlewareHandler } from 'hono'
import { getConnInfo } from '@hono/node-server/conninfo'
import { AppError } from '../../errors.ts'

export interface LoginThrottleOptions {
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

export function loginThrottle(options: LoginThrottleOptions = {}): MiddlewareHandler {
  const max = options.max ?? 10
  const windowMs = options.windowMs ?? 15 * 60 * 1000
  const clock = options.clock ?? (() => new Date())
  const failures = new Map<string, number[]>()

  const recent = (address: string, now: number): number[] => {
    const kept = (failures.get(address) ?? []).filter((t) => t > now - windowMs)
    if (kept.length === 0) failures.delete(address)
    else failures.set(address, kept)
    return kept
  }

  return async (c, next) => {
    if (c.req.method !== 'POST') return next()
    const address = clientAddress(c)
    const now = clock().getTime()
    const times = recent(address, now)
    if (times.length >= max) {
      const retry = Math.max(1, Math.ceil(((times[0] ?? now) + windowMs - now) / 1000))
      c.header('retry-after', String(retry))
      throw new AppError(
        'too_many_requests',
        `Trop d'essais de connexion, réessayez dans ${Math.ceil(retry / 60)} min / Too many failed logins, try again in ${Math.ceil(retry / 60)} min`,
      )
    }
    await next()
    if (c.res.status === 401) {
      // bound the memory: forget expired entries when the map grows
      if (failures.size > 10_000) for (const key of [...failures.keys()]) recent(key, now)
      failures.set(address, [...recent(address, now), now])
    } else if (c.res.status < 400) {
      failures.delete(address)
    }
  }
}
