/**
 * Every error leaves the API in one envelope: `{ error: { code, message, issues? } }`.
 * The codes are a closed union derived from one table of statuses: adding a code
 * is one line here, and a code cannot exist without its status.
 *
 * Messages are written in both languages (`{ fr, en }`) where they are raised,
 * and answered in the request's language (`Accept-Language`: English when it
 * prefers English, French otherwise).
 */
import type { Context } from 'hono'
import { HTTPException } from 'hono/http-exception'
import type { ContentfulStatusCode } from 'hono/utils/http-status'
import { typeset } from './domain/typography.ts'

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

export type Lang = 'fr' | 'en'

/** One message in both languages; the answer carries the one the request asks for. */
export interface Msg {
  fr: string
  en: string
}

/** One problem in a request: a JSON path, or a CSV row and column. */
export interface Issue {
  message: Msg
  path?: string
  row?: number
  column?: string
}

/** An issue as it leaves the API: its message in one language. */
export type IssueOut = Omit<Issue, 'message'> & { message: string }

export class AppError extends Error {
  readonly code: ErrorCode
  readonly words: Msg
  readonly issues: Issue[] | undefined

  constructor(code: ErrorCode, message: Msg, issues?: Issue[]) {
    super(message.fr)
    this.name = 'AppError'
    this.code = code
    this.words = message
    this.issues = issues
  }

  get status(): ContentfulStatusCode {
    return errorStatus[this.code]
  }
}

/** `notFound({ fr: 'Événement', en: 'Event' })`: « Événement introuvable » / "Event not found". */
export function notFound(what: Msg): AppError {
  return new AppError('not_found', { fr: `${what.fr} introuvable`, en: `${what.en} not found` })
}

/**
 * The request's language from `Accept-Language`: English when English is
 * preferred to French (by order or weight), French otherwise.
 */
export function langOf(acceptLanguage: string | undefined | null): Lang {
  if (!acceptLanguage) return 'fr'
  let best: { lang: Lang; q: number } | null = null
  for (const part of acceptLanguage.split(',')) {
    const [tag = '', ...params] = part.trim().toLowerCase().split(';')
    const base = tag.trim().split('-')[0]
    if (base !== 'fr' && base !== 'en') continue
    const qParam = params.map((p) => p.trim()).find((p) => p.startsWith('q='))
    const q = qParam ? Number(qParam.slice(2)) : 1
    if (!Number.isFinite(q) || q <= 0) continue
    if (!best || q > best.q) best = { lang: base, q }
  }
  return best?.lang ?? 'fr'
}

export const requestLang = (c: Context): Lang => langOf(c.req.header('accept-language'))

/** The message in `lang`, typeset: French spacing (no-break spaces before : ; ! ? »), English quotes. */
export const localise = (message: Msg, lang: Lang): string => typeset(message[lang], lang)

export function localiseIssues(issues: Issue[], lang: Lang): IssueOut[] {
  return issues.map((i) => ({ ...i, message: localise(i.message, lang) }))
}

export interface ErrorBody {
  error: { code: ErrorCode; message: string; issues?: IssueOut[] }
}

export function errorBody(code: ErrorCode, message: Msg, lang: Lang, issues?: Issue[]): ErrorBody {
  const text = localise(message, lang)
  return { error: issues ? { code, message: text, issues: localiseIssues(issues, lang) } : { code, message: text } }
}

/** hono's own exceptions carry English text (ours pass none): the status says enough. */
const httpWords: Partial<Record<ErrorCode, Msg>> = {
  invalid_json: { fr: 'JSON mal formé', en: 'Malformed JSON' },
  bad_request: { fr: 'Requête mal formée', en: 'Bad request' },
  unauthorized: { fr: 'Authentification requise', en: 'Authentication required' },
  forbidden: { fr: 'Accès refusé', en: 'Access denied' },
  not_found: { fr: 'Introuvable', en: 'Not found' },
  payload_too_large: { fr: 'Requête trop grosse', en: 'Request too large' },
  too_many_requests: { fr: 'Trop de requêtes', en: 'Too many requests' },
  unsupported_media_type: { fr: 'Type de contenu non pris en charge', en: 'Unsupported content type' },
  internal: { fr: 'Erreur interne', en: 'Internal error' },
}

/** `app.onError`: AppError as is, hono's own exceptions mapped, anything else a logged 500. */
export function onError(err: Error, c: Context): Response {
  const lang = requestLang(c)
  if (err instanceof AppError) {
    return c.json(errorBody(err.code, err.words, lang, err.issues), err.status)
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
    return c.json(errorBody(code, httpWords[code] ?? httpWords.bad_request!, lang), errorStatus[code])
  }
  if (isConstraintViolation(err)) {
    // a race past the checks, or rows that still reference what is being removed
    return c.json(errorBody('conflict', { fr: 'Conflit avec des données existantes', en: 'Conflicts with existing data' }, lang), 409)
  }
  console.error(err)
  return c.json(errorBody('internal', { fr: 'Erreur interne', en: 'Internal error' }, lang), 500)
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
  const lang = requestLang(c)
  return c.json(errorBody('not_found', { fr: 'Adresse inconnue', en: 'Unknown address' }, lang), 404)
}
