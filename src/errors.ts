/**
 * Every error leaves the API in one envelope: `{ error: { code, message, issues? } }`.
 * The codes are a closed union derived from one table of statuses: adding a code
 * is one line here, and a code cannot exist without its status.
 */
import type { Context } from 'hono'
import { HTTPException } from 'hono/http-exception'
import type { ContentfulStatusCode } from 'hono/utils/http-status'

export const errorStatus = {
  invalid_json: 400,
  bad_request: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  invalid_transition: 409,
  event_closed: 409,
  already_registered: 409,
  no_published_schedule: 409,
  schedule_infeasible: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  validation_failed: 422,
  csv_invalid: 422,
  meeting_not_held: 422,
  rating_closed: 409,
  // door10: ratings and check-ins open with the meeting and the due date
  meeting_not_started: 409,
  participant_absent: 409,
  checkin_not_due: 409,
  too_many_requests: 429,
  internal: 500,
  solver_unavailable: 503,
} as const satisfies Record<string, ContentfulStatusCode>

export type ErrorCode = keyof typeof errorStatus

/** One problem in a request: a JSON path, or a CSV row and column. */
export interface Issue {
  message: string
  path?: string
  row?: number
  column?: string
}

export class AppError extends Error {
  readonly code: ErrorCode
  readonly issues: Issue[] | undefined

  constructor(code: ErrorCode, message: string, issues?: Issue[]) {
    super(message)
    this.name = 'AppError'
    this.code = code
    this.issues = issues
  }

  get status(): ContentfulStatusCode {
    return errorStatus[this.code]
  }
}

export function notFound(what: string): AppError {
  return new AppError('not_found', `${what} introuvable / ${what} not found`)
}

export interface ErrorBody {
  error: { code: ErrorCode; message: string; issues?: Issue[] }
}

export function errorBody(code: ErrorCode, message: string, issues?: Issue[]): ErrorBody {
  return { error: issues ? { code, message, issues } : { code, message } }
}

/** `app.onError`: AppError as is, hono's own exceptions mapped, anything else a logged 500. */
export function onError(err: Error, c: Context): Response {
  if (err instanceof AppError) {
    return c.json(errorBody(err.code, err.message, err.issues), err.status)
  }
  if (err instanceof HTTPException) {
    const status = err.status
    const code: ErrorCode =
      status === 400 && /json/i.test(err.message)
        ? 'invalid_json'
        : status === 401
          ? 'unauthorized'
          : status === 403
            ? 'forbidden'
            : status === 404
              ? 'not_found'
              : status === 413
                ? 'payload_too_large'
                : status === 429
                  ? 'too_many_requests'
                  : status === 415
                    ? 'unsupported_media_type'
                    : status >= 500
                      ? 'internal'
                      : 'bad_request'
    return c.json(errorBody(code, err.message || code), errorStatus[code])
  }
  if (isConstraintViolation(err)) {
    // a race past the checks, or rows that still reference what is being removed
    return c.json(errorBody('conflict', 'Conflit avec des données existantes / Conflicts with existing data'), 409)
  }
  console.error(err)
  return c.json(errorBody('internal', 'Erreur interne / Internal error'), 500)
}

/** Unique or foreign-key violation, on SQLite (better-sqlite3) or PostgreSQL (pg). */
export function isConstraintViolation(err: unknown): boolean {
  const code = (err as { code?: unknown }).code
  return (
    code === 'SQLITE_CONSTRAINT_UNIQUE' ||
    code === 'SQLITE_CONSTRAINT_PRIMARYKEY' ||
    code === 'SQLITE_CONSTRAINT_FOREIGNKEY' ||
    code === '23505' ||
    code === '23503'
  )
}

export function onNotFound(c: Context): Response {
  return c.json(errorBody('not_found', `Route inconnue / Unknown route: ${c.req.method} ${c.req.path}`), 404)
}
