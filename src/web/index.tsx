/**
 * The web pages, mounted at '/' next to the API:
 *
 *   app.route('/', createWeb({ db, clock, api: app }))
 *
 * - /connexion, /deconnexion: an organiser (org_…) or lab (lab_…) token kept in
 *   an HttpOnly, SameSite=Strict cookie;
 * - /evenements/…: the organiser console; /evenements/:id/salle: the room screen;
 * - /p/<secret>: the participant's page (personal link, no account);
 * - /labo: the lab dashboard; /static/…: stylesheets and small scripts.
 */
import { readFileSync } from 'node:fs'
import { Hono } from 'hono'
import type { Kysely } from 'kysely'
import type { Database } from '../db/schema.ts'
import type { ApiFetcher } from './api.ts'
import { clearTokenCookies, field, LAB_COOKIE, ORGANISER_COOKIE, setTokenCookie, tokenCookie, viewOf, type WebDeps } from './context.ts'
import { readForm } from '../http/body.ts'
import { labPages } from './lab.tsx'
import { networkPages } from './network.tsx'
import { messagePages } from './messages.tsx'
import { Layout, Notice } from './layout.tsx'
import { organiserPages } from './organiser/index.ts'
import { organisationPages } from './organisation.tsx'
import { participantPages } from './participant.tsx'
import { privacyPages } from './privacy.tsx'
import { isLabToken, staffOfToken } from './queries.ts'
import type { StaffAuth } from '../auth/tokens.ts'
import { roomPages } from './room.tsx'

export interface WebOptions {
  db: Kysely<Database>
  clock?: () => Date
  /** the app whose JSON API the pages write through (in-process, never over the network) */
  api: ApiFetcher
}

const staticFiles: Record<string, string> = {
  'style.css': 'text/css; charset=utf-8',
  'room.css': 'text/css; charset=utf-8',
  'room.js': 'text/javascript; charset=utf-8',
  'enhance.js': 'text/javascript; charset=utf-8',
  'rate.js': 'text/javascript; charset=utf-8',
  'participant.js': 'text/javascript; charset=utf-8',
  'door.js': 'text/javascript; charset=utf-8',
}

/** Only relative paths of this site are followed after logging in. */
function safeNext(next: string | undefined, fallback: string): string {
  return next && /^\/(?!\/)[\w\-/.%]*$/.test(next) ? next : fallback
}

export function createWeb(options: WebOptions) {
  const deps: WebDeps = { db: options.db, clock: options.clock ?? (() => new Date()), api: options.api }
  const files = new Map(Object.keys(staticFiles).map((name) => [name, readFileSync(new URL(`./static/${name}`, import.meta.url), 'utf8')]))

  return new Hono()
    .get('/static/:file', (c) => {
      const name = c.req.param('file')
      const body = files.get(name)
      const type = staticFiles[name]
      if (body === undefined || !type) return c.text('Not found', 404)
      return c.body(body, 200, { 'content-type': type, 'cache-control': 'public, max-age=300' })
    })
    .get('/', async (c) => {
      const staff = await staffOfToken(deps.db, tokenCookie(c, ORGANISER_COOKIE))
      if (staff) return c.redirect(homeOf(staff), 303)
      if (await isLabToken(deps.db, tokenCookie(c, LAB_COOKIE))) return c.redirect('/labo', 303)
      return c.redirect('/connexion', 303)
    })
    .get('/connexion', (c) => c.html(loginPage(viewOf(c), c.req.query('next'), false)))
    .post('/connexion', async (c) => {
      const form = await readForm(c)
      const token = field(form, 'token')
      const next = field(form, 'next')
      const staff = await staffOfToken(deps.db, token)
      if (staff) {
        clearTokenCookies(c)
        setTokenCookie(c, ORGANISER_COOKIE, token)
        return c.redirect(safeNext(next, homeOf(staff)), 303)
      }
      if (await isLabToken(deps.db, token)) {
        clearTokenCookies(c)
        setTokenCookie(c, LAB_COOKIE, token)
        return c.redirect(safeNext(next, '/labo'), 303)
      }
      return c.html(loginPage(viewOf(c), next, true), 401)
    })
    .post('/deconnexion', (c) => {
      clearTokenCookies(c)
      return c.redirect('/connexion', 303)
    })
    .route('/', organiserPages(deps))
    .route('/', organisationPages(deps))
    .route('/', roomPages(deps))
    .route('/', participantPages(deps))
    .route('/', labPages(deps))
    .route('/', networkPages(deps))
    .route('/', messagePages(deps))
    .route('/', privacyPages(deps))
}

/** Where a staff member lands: the door page for accueil, the room screen for salle, else the events. */
function homeOf(staff: StaffAuth): string {
  if (staff.role === 'accueil' && staff.eventId) return `/evenements/${staff.eventId}/accueil`
  if (staff.role === 'salle' && staff.eventId) return `/evenements/${staff.eventId}/salle`
  return '/evenements'
}

function loginPage(view: ReturnType<typeof viewOf>, next: string | undefined, failed: boolean) {
  const { t } = view
  return (
    <Layout view={view} title={t('login.title')} area="public">
      <h1>{t('login.title')}</h1>
      {failed && <Notice kind="bad">{t('login.bad')}</Notice>}
      <p>{t('login.intro')}</p>
      <form method="post" action="/connexion">
        {next && <input type="hidden" name="next" value={next} />}
        <label for="token">{t('login.token')}</label>
        <input id="token" name="token" type="password" autocomplete="current-password" required spellcheck={false} />
        <p>
          <button type="submit">{t('login.submit')}</button>
        </p>
      </form>
      <p class="muted">{t('login.participant')}</p>
    </Layout>
  )
}
