/**
 * The pages write through the JSON API of the same app, in-process: the
 * organiser's token travels from its HttpOnly cookie to an
 * `Authorization: Bearer` header, so the API's validation, rules and
 * access control apply to the pages exactly as to any other client.
 */

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
  const response = await api.fetch(new Request(new URL(path, 'http://localhost'), init))
  const text = await response.text()
  let json: unknown = null
  try {
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
