/**
 * The pages write through the JSON API of the same app, in-process: the
 * organiser's token travels from its HttpOnly cookie to an
 * `Authorization: Bearer` header, so the API's validation, rules and
 * access control apply to the pages exactly as to any other client.
 */

import { hc } from 'hono/client'
import type { AppType } from '../app.ts'

/** Anything that answers a Request: the Hono app itself. */
export interface ApiFetcher {
  fetch(request: Request): Response | Promise<Response>
}

export interface ApiIssue {
  message: string
  path?: string
  row?: number
  column?: string
}

export type ApiResult<T> =
  | { ok: true; status: number; data: T }
  | { ok: false; status: number; code: string; message: string; issues: ApiIssue[] }

export interface CallOptions {
  method?: string
  /** a JSON value, or a string sent as text/csv */
  body?: unknown
  contentType?: string
  /** the page's language: the API answers its messages in it (Accept-Language) */
  lang?: 'fr' | 'en'
}

export async function callApi<T = unknown>(api: ApiFetcher, token: string, path: string, options: CallOptions = {}): Promise<ApiResult<T>> {
  const headers = new Headers({ authorization: `Bearer ${token}`, accept: 'application/json', 'accept-language': options.lang ?? 'fr' })
  let body: string | undefined
  if (options.body !== undefined) {
    if (typeof options.body === 'string') {
      body = options.body
      headers.set('content-type', options.contentType ?? 'text/csv; charset=utf-8')
    } else {
      body = JSON.stringify(options.body)
      headers.set('content-type', 'application/json')
    }
  }
  const init: RequestInit = { method: options.method ?? (body === undefined ? 'GET' : 'POST'), headers }
  if (body !== undefined) init.body = body
  return resultOf<T>(await api.fetch(new Request(new URL(path, 'http://localhost'), init)))
}

/**
 * Hono's typed client on the app's own API (`AppType`), in-process: the
 * paths, parameters, bodies and answers are checked by the compiler, so a page
 * cannot call a route that does not exist or misread what it answers.
 *
 *   const res = await apiClient(api, token).api.events[':eventId'].schedules[':version'].diff.$get({ param: { eventId, version } })
 *   if (res.ok) { const { diff } = await res.json() }
 */
export function apiClient(api: ApiFetcher, token: string, lang: 'fr' | 'en' = 'fr') {
  return hc<AppType>('http://localhost', {
    fetch: (input: string | URL | Request, init?: RequestInit) => api.fetch(new Request(input, init)),
    headers: { authorization: `Bearer ${token}`, accept: 'application/json', 'accept-language': lang },
  })
}

/** What `resultOf` reads of an answer: a typed client's (its `json()` typed by the route) or a plain Response. */
export interface TypedAnswer {
  ok: boolean
  status: number
  text: () => Promise<string>
  json: () => Promise<unknown>
}

/** A typed client's answer as the pages show it: the data (typed by the route), or the API's failure in words. */
export async function resultOf<T>(response: Omit<TypedAnswer, 'json'>): Promise<ApiResult<T>> {
  // an empty body (204) or one that is not JSON reads as null
  let json: unknown = null
  try {
    const text = await response.text()
    json = text ? JSON.parse(text) : null
  } catch {
    json = null
  }
  if (response.ok) return { ok: true, status: response.status, data: json as T }
  const error = (json as { error?: { code?: unknown; message?: unknown; issues?: unknown } } | null)?.error
  return {
    ok: false,
    status: response.status,
    code: typeof error?.code === 'string' ? error.code : 'unknown',
    message: typeof error?.message === 'string' ? error.message : `HTTP ${response.status}`,
    issues: Array.isArray(error?.issues) ? (error.issues as ApiIssue[]) : [],
  }
}

/** A typed client's answer with its data typed by the route: `const info = await answerOf(await client.network.$get())`. */
export function answerOf<R extends TypedAnswer>(response: R): Promise<ApiResult<Awaited<ReturnType<R['json']>>>> {
  return resultOf(response)
}
