/**
 * What every tab of the organiser console shares: the signed-in staff member,
 * the event it may see, the tab frame, API failures in words, and the one
 * "form -> API -> redirect, or the page again with the failure" step.
 */
import type { Context } from 'hono'
import type { Child } from 'hono/jsx'
import type { EventNeed } from '../../auth/ownership.ts'
import type { StaffAuth } from '../../auth/tokens.ts'
import type { Event } from '../../db/schema.ts'
import { apiClient, callApi, resultOf, type ApiIssue, type ApiResult } from '../api.ts'
import { EventHeader, type EventTab } from '../components.tsx'
import { ORGANISER_COOKIE, tokenCookie, viewOf, withQuery, type WebDeps } from '../context.ts'
import { Layout, Notice, type View } from '../layout.tsx'
import { organiserEvent, staffOfToken } from '../queries.ts'

export interface Organiser {
  auth: StaffAuth
  token: string
}

/** The signed-in staff member (admin, organiser, accueil, salle), or null (the caller redirects to the login page). */
export async function organiserOf(c: Context, deps: WebDeps): Promise<Organiser | null> {
  const token = tokenCookie(c, ORGANISER_COOKIE)
  const auth = await staffOfToken(deps.db, token)
  return auth && token ? { auth, token } : null
}

export function toLogin(c: Context) {
  const url = new URL(c.req.url)
  return c.redirect(withQuery('/connexion', { next: url.pathname }), 303)
}

export function notFoundPage(c: Context, view: View) {
  return c.html(
    <Layout view={view} title={view.t('error.notFound')} area="organiser">
      <h1>{view.t('error.notFound')}</h1>
      <p>
        <a href="/evenements">{view.t('nav.events')}</a>
      </p>
    </Layout>,
    404,
  )
}

/** Runs `page` with the organiser and its event, or answers login / 404. */
export async function withEvent(
  c: Context,
  deps: WebDeps,
  page: (ctx: { view: View; organiser: Organiser; event: Event }) => Response | Promise<Response>,
  need: EventNeed = 'manage',
): Promise<Response> {
  const view = viewOf(c)
  const organiser = await organiserOf(c, deps)
  if (!organiser) return toLogin(c)
  const event = await organiserEvent(deps.db, organiser.auth, c.req.param('eventId') ?? '', need)
  if (!event) return notFoundPage(c, view)
  return page({ view, organiser, event })
}

export function apiFailure(view: View, result: ApiFailure) {
  return (
    <Notice kind="bad">
      <p>{view.t('error.api', { message: result.message })}</p>
      {result.issues.length > 0 && (
        <ul>
          {result.issues.map((i) => (
            <li>{issueText(i, view.lang)}</li>
          ))}
        </ul>
      )}
    </Notice>
  )
}

function issueText(issue: ApiIssue, lang: 'fr' | 'en'): string {
  const where = [issue.row !== undefined ? `#${issue.row}` : '', issue.column ?? issue.path ?? ''].filter(Boolean).join(' ')
  return where ? `${where}${lang === 'fr' ? '\u00a0: ' : ': '}${issue.message}` : issue.message
}

export const Page = (props: { view: View; event: Event; tab: EventTab; children?: Child }) => (
  <Layout view={props.view} title={`${props.view.t(`tab.${props.tab}`)} — ${props.event.title}`} area="organiser">
    <EventHeader view={props.view} event={props.event} current={props.tab} />
    {props.children}
  </Layout>
)
/** The typed client's API root (`/api`), for `submit`. */
export type ApiClient = ReturnType<typeof apiClient>['api']
/** What a typed client's call answers, as far as `submit` reads it. */
export type TypedResponse<T> = { ok: boolean; status: number; text: () => Promise<string>; json: () => Promise<T> }

/** A refused API call, as the pages show it. */
export type ApiFailure = Extract<ApiResult<unknown>, { ok: false }>

export interface ApiCall {
  path: string
  method?: string
  body?: unknown
}

/**
 * The console's one form step: call the API with the signed-in member's token;
 * on success redirect (303) to `done`, otherwise show `failed` (the page again,
 * with the API's reasons in words).
 */
export async function submit<T = unknown>(
  c: Context,
  deps: WebDeps,
  organiser: Organiser,
  call: ApiCall | ((api: ApiClient) => Promise<TypedResponse<T>>),
  done: string | ((data: T) => string),
  failed: (failure: ApiFailure) => Response | Promise<Response>,
): Promise<Response> {
  const lang = viewOf(c).lang
  const result =
    typeof call === 'function'
      ? await resultOf<T>(await call(apiClient(deps.api, organiser.token, lang).api))
      : await callApi<T>(deps.api, organiser.token, call.path, { method: call.method ?? 'POST', body: call.body, lang })
  if (!result.ok) return failed(result)
  return c.redirect(typeof done === 'string' ? done : done(result.data), 303)
}

/**
 * The confirmation step of a disruptive action: what will happen, in words,
 * then the same form again with `confirm=1`, or back to where one was.
 */
export const Confirm = (props: {
  view: View
  title: string
  lines: string[]
  action: string
  fields?: Record<string, string>
  button: string
  cancel: string
}) => (
  <section class="confirm" aria-labelledby="confirm-title">
    <h2 id="confirm-title">{props.title}</h2>
    <p>{props.view.t('confirm.what')}</p>
    <ul>
      {props.lines.map((line) => (
        <li>{line}</li>
      ))}
    </ul>
    <form method="post" action={props.action} class="row">
      {Object.entries(props.fields ?? {}).map(([name, value]) => (
        <input type="hidden" name={name} value={value} />
      ))}
      <input type="hidden" name="confirm" value="1" />
      <button type="submit">{props.button}</button>
      <a class="button secondary" href={props.cancel}>
        {props.view.t('confirm.cancel')}
      </a>
    </form>
  </section>
)

/** Whether the form carries the confirmation of its action. */
export const confirmed = (form: Record<string, unknown>): boolean => form.confirm === '1'
