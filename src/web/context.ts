/** What every page handler needs: dependencies, the language, the caller's token. */
import type { Context } from 'hono'
import { deleteCookie, getCookie, setCookie } from 'hono/cookie'
import type { Kysely } from 'kysely'
import type { Database } from '../db/schema.ts'
import type { ApiFetcher } from './api.ts'
import { detectLang, translator } from './i18n.ts'
import type { View } from './layout.tsx'

export interface WebDeps {
  db: Kysely<Database>
  clock: () => Date
  api: ApiFetcher
}

export const ORGANISER_COOKIE = 'org_token'
export const LAB_COOKIE = 'lab_token'

export function viewOf(c: Context): View {
  const lang = detectLang(c)
  const url = new URL(c.req.url)
  return { lang, t: translator(lang), url: url.pathname + url.search }
}

/** HttpOnly, SameSite=Strict; Secure when served over https. */
export function setTokenCookie(c: Context, name: string, token: string): void {
  setCookie(c, name, token, {
    path: '/',
    httpOnly: true,
    sameSite: 'Strict',
    secure: new URL(c.req.url).protocol === 'https:',
    maxAge: 60 * 60 * 24 * 30,
  })
}

export function clearTokenCookies(c: Context): void {
  deleteCookie(c, ORGANISER_COOKIE, { path: '/' })
  deleteCookie(c, LAB_COOKIE, { path: '/' })
}

export function tokenCookie(c: Context, name: string): string | undefined {
  return getCookie(c, name)
}

/** A flash message carried in the query string after a redirect (?ok=key). */
export function withQuery(path: string, params: Record<string, string | number>): string {
  const url = new URL(path, 'http://x')
  for (const [k, v] of Object.entries(params)) url.searchParams.set(k, String(v))
  return url.pathname + url.search
}

/** Reads a form field as a trimmed string ('' when absent or a file). */
export function field(form: Record<string, unknown>, name: string): string {
  const value = form[name]
  const first = Array.isArray(value) ? value[0] : value
  return typeof first === 'string' ? first.trim() : ''
}

/** Every string value of a repeated form field. */
export function fields(form: Record<string, unknown>, name: string): string[] {
  const value = form[name]
  const all: unknown[] = Array.isArray(value) ? value : value === undefined ? [] : [value]
  return all.filter((v): v is string => typeof v === 'string')
}
