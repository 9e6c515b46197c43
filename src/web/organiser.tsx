/**
 * The organiser console: events, participants and CSV import, wishes, the
 * rotation, printing, check-in and re-planning, follow-up.
 * Reads come from the tables (scoped to the organiser); writes go through the
 * JSON API with the organiser's token.
 */
import { Hono, type Context } from 'hono'
import type { EventNeed } from '../auth/ownership.ts'
import type { StaffAuth } from '../auth/tokens.ts'
import type { Child } from 'hono/jsx'
import { parseList } from '../db/repositories/organisations.repository.ts'
import type { Event, Schedule } from '../db/schema.ts'
import { pipelineTransitions } from '../domain/followups.ts'
import { callApi, type ApiIssue, type ApiResult } from './api.ts'
import {
  DataTable,
  EventHeader,
  eventPath,
  InterestChoices,
  meetingsOf,
  namesOf,
  otherSide,
  RotationSummary,
  ScheduleGrid,
  statusLabel,
  SubmitChoices,
  YesNo,
  type EventTab,
} from './components.tsx'
import { field, ORGANISER_COOKIE, tokenCookie, viewOf, withQuery, type WebDeps } from './context.ts'
import { readForm } from '../http/body.ts'
import { formatDate } from './i18n.ts'
import { Layout, Notice, type View } from './layout.tsx'
import { CardPrivacyLine, RetentionNotice } from './privacy.tsx'
import { ArchivesLink, EventAdminLink, MetBeforeSummary } from './organisation.tsx'
import {
  eventParticipants,
  eventPartnerships,
  eventProposals,
  eventSchedules,
  eventWishes,
  organiserEvent,
  organiserEvents,
  staffOfToken,
  parseBreaks,
  publishedSchedule,
  ratingsOfSchedule,
  scheduleMeetings,
  type ParticipantRow,
} from './queries.ts'

interface Organiser {
  auth: StaffAuth
  token: string
}

/** The signed-in staff member (admin, organiser, accueil, salle), or null (the caller redirects to the login page). */
export async function organiserOf(c: Context, deps: WebDeps): Promise<Organiser | null> {
  const token = tokenCookie(c, ORGANISER_COOKIE)
  const auth = await staffOfToken(deps.db, token)
  return auth && token ? { auth, token } : null
}

function toLogin(c: Context) {
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
async function withEvent(
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

function apiFailure(view: View, result: Extract<ApiResult<unknown>, { ok: false }>) {
  return (
    <Notice kind="bad">
      <p>{view.t('error.api', { message: result.message })}</p>
      {result.issues.length > 0 && (
        <ul>
          {result.issues.map((i) => (
            <li>{issueText(i)}</li>
          ))}
        </ul>
      )}
    </Notice>
  )
}

function issueText(issue: ApiIssue): string {
  const where = [issue.row !== undefined ? `#${issue.row}` : '', issue.column ?? issue.path ?? ''].filter(Boolean).join(' ')
  return where ? `${where} : ${issue.message}` : issue.message
}

const Page = (props: { view: View; event: Event; tab: EventTab; children?: Child }) => (
  <Layout view={props.view} title={`${props.view.t(`tab.${props.tab}`)} — ${props.event.title}`} area="organiser">
    <EventHeader view={props.view} event={props.event} current={props.tab} />
    {props.children}
  </Layout>
)

export function organiserPages(deps: WebDeps) {
  const { db, api } = deps

  return (
    new Hono()
      // ---- events -------------------------------------------------------------
      .get('/evenements', async (c) => {
        const view = viewOf(c)
        const organiser = await organiserOf(c, deps)
        if (!organiser) return toLogin(c)
        return eventsPage(c, view, organiser, null)
      })
      .post('/evenements', async (c) => {
        const view = viewOf(c)
        const organiser = await organiserOf(c, deps)
        if (!organiser) return toLogin(c)
        const form = await readForm(c)
        const num = (name: string) => (field(form, name) === '' ? undefined : Number(field(form, name)))
        const breakAfter = num('breakAfter')
        const body = {
          title: field(form, 'title'),
          date: field(form, 'date'),
          venue: field(form, 'venue') || null,
          startTime: field(form, 'startTime') || null,
          rounds: num('rounds'),
          meetingMinutes: num('meetingMinutes'),
          transitionMinutes: num('transitionMinutes'),
          tables: num('tables') ?? null,
          seatedSide: field(form, 'seatedSide'),
          breaks: breakAfter ? [{ afterRound: breakAfter, minutes: num('breakMinutes') ?? 10 }] : [],
        }
        const result = await callApi<{ event: { id: string } }>(api, organiser.token, '/api/events', { method: 'POST', body })
        if (result.ok) return c.redirect(eventPath(result.data.event.id), 303)
        return eventsPage(c, view, organiser, result)
      })
      .post('/evenements/:eventId/etat', (c) =>
        withEvent(c, deps, async ({ view, organiser, event }) => {
          const form = await readForm(c)
          const status = field(form, 'status')
          const result = await callApi(api, organiser.token, `/api/events/${event.id}/status`, { method: 'POST', body: { status } })
          if (result.ok) return c.redirect(withQuery(eventPath(event.id), { etat: status }), 303)
          return participantsPage(c, view, event, apiFailure(view, result), 422)
        }),
      )

      // ---- participants and CSV import ------------------------------------------
      .get('/evenements/:eventId', (c) =>
        withEvent(c, deps, async ({ view, event }) => {
          const imported = c.req.query('imported')
          const status = c.req.query('etat')
          return participantsPage(
            c,
            view,
            event,
            <>
              {imported !== undefined && (
                <Notice kind="ok">
                  {view.t('import.done', { count: imported })} <a href={`${eventPath(event.id, 'messages')}/liens.csv`}>{view.t('import.links')}</a>
                </Notice>
              )}
              {status !== undefined && <Notice kind="ok">{view.t('status.changed', { status: statusLabel(view, status) })}</Notice>}
            </>,
          )
        }),
      )
      .post('/evenements/:eventId/participants/:registrationId/lien', (c) =>
        withEvent(c, deps, async ({ view, organiser, event }) => {
          const result = await callApi<{ token: string; link: string }>(
            api,
            organiser.token,
            `/api/events/${event.id}/participants/${encodeURIComponent(c.req.param('registrationId'))}/link`,
            { method: 'POST' },
          )
          if (!result.ok) return participantsPage(c, view, event, apiFailure(view, result), 422)
          const name = (await eventParticipants(db, event.id)).find((p) => p.id === c.req.param('registrationId'))?.name ?? ''
          const link = new URL(result.data.link || `/p/${result.data.token}`, new URL(c.req.url).origin).toString()
          c.header('Cache-Control', 'no-store')
          return participantsPage(
            c,
            view,
            event,
            <Notice kind="ok">
              <p>{view.t('participants.linkIssued', { name })}</p>
              <p>
                <a href={link} data-personal-link>
                  {link}
                </a>
              </p>
            </Notice>,
          )
        }),
      )
      .post('/evenements/:eventId/import', (c) =>
        withEvent(c, deps, async ({ view, organiser, event }) => {
          const { t } = view
          const form = await readForm(c)
          const file = form.file
          let bytes: Uint8Array | null = null
          if (file instanceof File && file.size > 0) bytes = new Uint8Array(await file.arrayBuffer())
          else if (typeof form.text === 'string' && form.text.trim() !== '') bytes = new TextEncoder().encode(form.text)
          const participants = await eventParticipants(db, event.id)
          if (!bytes) {
            return c.html(
              <Page view={view} event={event} tab="participants">
                <Notice kind="bad">{t('import.empty')}</Notice>
                <ImportForm view={view} event={event} />
                <ParticipantsTable view={view} participants={participants} />
              </Page>,
              422,
            )
          }
          const preview = await importCsv(deps, organiser.token, event.id, bytes, true)
          return c.html(
            <Page view={view} event={event} tab="participants">
              <ImportPreview view={view} event={event} result={preview} csv={Buffer.from(bytes).toString('base64')} />
              <ParticipantsTable view={view} participants={participants} />
            </Page>,
            preview.ok ? 200 : 422,
          )
        }),
      )
      .post('/evenements/:eventId/import/confirmer', (c) =>
        withEvent(c, deps, async ({ view, organiser, event }) => {
          const form = await readForm(c)
          const bytes = new Uint8Array(Buffer.from(field(form, 'csv'), 'base64'))
          const result = await importCsv(deps, organiser.token, event.id, bytes, false)
          if (result.ok) return c.redirect(withQuery(eventPath(event.id), { imported: result.count }), 303)
          const participants = await eventParticipants(db, event.id)
          return c.html(
            <Page view={view} event={event} tab="participants">
              <ImportPreview view={view} event={event} result={result} csv="" />
              <ParticipantsTable view={view} participants={participants} />
            </Page>,
            422,
          )
        }),
      )

      // ---- wishes ------------------------------------------------------------------
      .get('/evenements/:eventId/voeux', (c) =>
        withEvent(c, deps, async ({ view, event }) => wishesPage(c, view, event, null)),
      )
      .post('/evenements/:eventId/voeux', (c) =>
        withEvent(c, deps, async ({ view, organiser, event }) => {
          const form = await readForm(c)
          const level = field(form, 'level')
          const result = await callApi(api, organiser.token, `/api/events/${event.id}/wishes`, {
            method: 'PUT',
            body: { from: field(form, 'from'), to: field(form, 'to'), level: level === '' ? null : level },
          })
          if (result.ok) return c.redirect(withQuery(eventPath(event.id, 'wishes'), { saved: 1 }), 303)
          return wishesPage(c, view, event, result)
        }),
      )

      // ---- rotation -------------------------------------------------------------------
      .get('/evenements/:eventId/rotation', (c) =>
        withEvent(c, deps, async ({ view, event }) => rotationPage(c, view, event, null)),
      )
      .post('/evenements/:eventId/rotation', (c) =>
        withEvent(c, deps, async ({ view, organiser, event }) => {
          const result = await callApi(api, organiser.token, `/api/events/${event.id}/schedule`, { method: 'POST', body: {} })
          if (result.ok) return c.redirect(eventPath(event.id, 'rotation'), 303)
          return rotationPage(c, view, event, result)
        }),
      )
      .post('/evenements/:eventId/rotation/publier', (c) =>
        withEvent(c, deps, async ({ view, organiser, event }) => {
          const form = await readForm(c)
          const version = field(form, 'version')
          const result = await callApi(api, organiser.token, `/api/events/${event.id}/schedules/${encodeURIComponent(version)}/publish`, { method: 'POST', body: {} })
          if (result.ok) return c.redirect(eventPath(event.id, 'rotation'), 303)
          return rotationPage(c, view, event, result)
        }),
      )

      // ---- printing --------------------------------------------------------------------
      .get('/evenements/:eventId/impression', (c) =>
        withEvent(c, deps, async ({ view, event }) => {
          const { t } = view
          // ?grands=1: the participant cards in large print (RGAA, issue 12)
          const large = c.req.query('grands') === '1'
          const schedule = await publishedSchedule(db, event.id)
          const participants = await eventParticipants(db, event.id)
          const names = namesOf(participants)
          const meetings = schedule ? await scheduleMeetings(db, schedule.id) : []
          const seated = event.seated_side
          const tableCount = Math.max(event.tables ?? 0, ...meetings.map((m) => m.table_no), 0)
          const seatedAt = new Map<number, Set<string>>()
          for (const m of meetings) {
            const id = seated === 'company' ? m.company_registration_id : m.association_registration_id
            const set = seatedAt.get(m.table_no) ?? new Set<string>()
            set.add(id)
            seatedAt.set(m.table_no, set)
          }
          return c.html(
            <Page view={view} event={event} tab="print">
              <div class="no-print">
                <p>{t('print.help')}</p>
                <button type="button" data-print>
                  {t('print.button')}
                </button>
                <p>
                  {large ? (
                    <a href={eventPath(event.id, 'print')}>{t('print.normal')}</a>
                  ) : (
                    <a href={`${eventPath(event.id, 'print')}?grands=1`}>{t('print.large')}</a>
                  )}{' '}
                  <span class="muted">{t('print.large.help')}</span>
                </p>
                {!schedule && <Notice kind="warn">{t('room.noSchedule')}</Notice>}
              </div>
              <section aria-labelledby="cards-title">
                <h2 id="cards-title" class="no-print">
                  {t('print.cards')}
                </h2>
                {participants
                  .filter((p) => meetingsOf(meetings, p.id).length > 0)
                  .map((p) => (
                    <article class={large ? 'sheet card large' : 'sheet card'} data-card={p.id}>
                      <h2>{p.name}</h2>
                      <p>
                        {p.person} — {t(p.side === 'company' ? 'side.company' : 'side.association')} · {event.title}, {formatDate(view.lang, event.date)}
                      </p>
                      <DataTable wrap={false} columns={[t('rotation.round'), t('rotation.table'), t('participants.name'), t('rotation.code')]}>
                        {meetingsOf(meetings, p.id).map((m) => (
                          <tr>
                            <td>{m.round}</td>
                            <td>{m.table_no}</td>
                            <td>{names.get(otherSide(m, p.id)) ?? '?'}</td>
                            <td>
                              <strong>{m.short_code}</strong>
                            </td>
                          </tr>
                        ))}
                      </DataTable>
                      <p class="muted">{t('print.card.rate')}</p>
                      <CardPrivacyLine lang={view.lang} origin={new URL(c.req.url).origin} networkId={event.network_id} />
                    </article>
                  ))}
              </section>
              <section aria-labelledby="plates-title">
                <h2 id="plates-title" class="no-print">
                  {t('print.plates')}
                </h2>
                {Array.from({ length: tableCount }, (_, i) => i + 1).map((table) => (
                  <article class="sheet plate" data-plate={table}>
                    <p>{t('rotation.table')}</p>
                    <p class="number">{table}</p>
                    <p>
                      {t('print.plate.seated')} : {[...(seatedAt.get(table) ?? [])].map((id) => names.get(id) ?? '?').join(', ') || t('common.none')}
                    </p>
                    <p class="muted">{event.title}</p>
                  </article>
                ))}
              </section>
              <script src="/static/enhance.js" defer></script>
            </Page>,
          )
        }),
      )

      // ---- check-in and re-planning ----------------------------------------------------------
      .get('/evenements/:eventId/accueil', (c) =>
        withEvent(c, deps, async ({ view, event }) => checkinPage(c, view, event, null), 'checkin'),
      )
      .post('/evenements/:eventId/accueil/:registrationId', (c) =>
        withEvent(c, deps, async ({ view, organiser, event }) => {
          const form = await readForm(c)
          const result = await callApi(api, organiser.token, `/api/events/${event.id}/participants/${encodeURIComponent(c.req.param('registrationId'))}/attendance`, {
            method: 'POST',
            body: { attendance: field(form, 'attendance') },
          })
          if (result.ok) return c.redirect(withQuery(eventPath(event.id, 'checkin'), { saved: 1 }), 303)
          return checkinPage(c, view, event, result)
        }, 'checkin'),
      )
      .post('/evenements/:eventId/accueil', (c) =>
        withEvent(c, deps, async ({ view, organiser, event }) => {
          const form = await readForm(c)
          const name = field(form, 'name')
          const result = await callApi(api, organiser.token, `/api/events/${event.id}/participants`, {
            method: 'POST',
            body: {
              organisation: { kind: field(form, 'kind'), name },
              personName: field(form, 'person'),
              attendance: 'walk-in',
            },
          })
          if (result.ok) return c.redirect(withQuery(eventPath(event.id, 'checkin'), { walkin: name }), 303)
          return checkinPage(c, view, event, result)
        }, 'checkin'),
      )
      .post('/evenements/:eventId/replanifier', (c) =>
        withEvent(c, deps, async ({ view, organiser, event }) => {
          const form = await readForm(c)
          const fromRound = Number(field(form, 'fromRound'))
          const result = await callApi(api, organiser.token, `/api/events/${event.id}/schedule/replan?publish=1`, {
            method: 'POST',
            body: { fromRound },
          })
          if (result.ok) return c.redirect(withQuery(eventPath(event.id, 'checkin'), { replanned: fromRound }), 303)
          return checkinPage(c, view, event, result)
        }),
      )

      // ---- follow-up ------------------------------------------------------------------------
      .get('/evenements/:eventId/suivi', (c) =>
        withEvent(c, deps, async ({ view, event }) => followupPage(c, view, event, null)),
      )
      .post('/evenements/:eventId/suivi/bulletin', (c) =>
        withEvent(c, deps, async ({ view, organiser, event }) => {
          const form = await readForm(c)
          const tookPlace = field(form, 'tookPlace') !== 'no'
          const interest = Number(field(form, 'interest'))
          const followUp = field(form, 'followUp')
          const body = tookPlace
            ? {
                code: field(form, 'code'),
                side: field(form, 'side'),
                tookPlace: true,
                interest: Number.isInteger(interest) && interest >= 1 ? interest : null,
                followUp: followUp === 'yes' ? true : followUp === 'no' ? false : null,
              }
            : { code: field(form, 'code'), side: field(form, 'side'), tookPlace: false }
          const result = await callApi(api, organiser.token, `/api/events/${event.id}/ratings/slip`, { method: 'POST', body })
          if (result.ok) return c.redirect(withQuery(eventPath(event.id, 'followup'), { slip: 1 }) + '#bulletin', 303)
          return followupPage(c, view, event, result)
        }),
      )
      .post('/evenements/:eventId/suivi/clore', (c) =>
        withEvent(c, deps, async ({ view, organiser, event }) => {
          const result = await callApi(api, organiser.token, `/api/events/${event.id}/ratings/close`, { method: 'POST' })
          if (result.ok) return c.redirect(eventPath(event.id, 'followup'), 303)
          return followupPage(c, view, event, result)
        }),
      )
      .post('/evenements/:eventId/suivi/propositions', (c) =>
        withEvent(c, deps, async ({ view, organiser, event }) => {
          const result = await callApi(api, organiser.token, `/api/events/${event.id}/proposals`, { method: 'POST', body: {} })
          if (result.ok) return c.redirect(eventPath(event.id, 'followup'), 303)
          return followupPage(c, view, event, result)
        }),
      )
      .post('/evenements/:eventId/suivi/propositions/:proposalId', (c) =>
        withEvent(c, deps, async ({ view, organiser, event }) => {
          const form = await readForm(c)
          const action = field(form, 'status') === 'accepted' ? 'accept' : 'drop'
          const result = await callApi(api, organiser.token, `/api/events/${event.id}/proposals/${encodeURIComponent(c.req.param('proposalId'))}/${action}`, {
            method: 'POST',
          })
          if (result.ok) return c.redirect(eventPath(event.id, 'followup'), 303)
          return followupPage(c, view, event, result)
        }),
      )
      .post('/evenements/:eventId/suivi/partenariats', (c) =>
        withEvent(c, deps, async ({ view, organiser, event }) => {
          const form = await readForm(c)
          const result = await callApi(api, organiser.token, `/api/events/${event.id}/partnerships`, {
            method: 'POST',
            body: { proposalId: field(form, 'proposalId') },
          })
          if (result.ok) return c.redirect(eventPath(event.id, 'followup'), 303)
          return followupPage(c, view, event, result)
        }),
      )
      .post('/evenements/:eventId/suivi/partenariats/:partnershipId', (c) =>
        withEvent(c, deps, async ({ view, organiser, event }) => {
          const form = await readForm(c)
          const result = await callApi(api, organiser.token, `/api/events/${event.id}/partnerships/${encodeURIComponent(c.req.param('partnershipId'))}/status`, {
            method: 'POST',
            body: { status: field(form, 'status') },
          })
          if (result.ok) return c.redirect(eventPath(event.id, 'followup'), 303)
          return followupPage(c, view, event, result)
        }),
      )
  )

  // ---- page bodies shared by GET and failed POSTs -------------------------------------------

  async function eventsPage(c: Context, view: View, organiser: Organiser, failure: Extract<ApiResult<unknown>, { ok: false }> | null) {
    const { t, lang } = view
    const events = await organiserEvents(db, organiser.auth)
    return c.html(
      <Layout view={view} title={t('events.title')} area="organiser">
        <h1>{t('events.title')}</h1>
        <RetentionNotice db={db} auth={organiser.auth} view={view} now={deps.clock()} />
        {events.length === 0 ? (
          <p>{t('events.none')}</p>
        ) : (
          <ul class="cards-list">
            {events.map((e) => (
              <li>
                <h2 class="u-mt0">
                  <a href={eventPath(e.id)}>{e.title}</a>
                </h2>
                <p>
                  {formatDate(lang, e.date)}
                  {e.venue ? ` — ${e.venue}` : ''}
                  <br />
                  {t('events.participants')} : {e.participants} · <span class="badge">{statusLabel(view, e.status)}</span>
                </p>
              </li>
            ))}
          </ul>
        )}
        <ArchivesLink view={view} />
        <details open={failure !== null}>
          <summary>
            <h2 class="u-inline">{t('events.new')}</h2>
          </summary>
          {failure && apiFailure(view, failure)}
          <form method="post" action="/evenements">
            <label for="ev-title">{t('events.title.field')}</label>
            <input id="ev-title" type="text" name="title" required />
            <label for="ev-date">{t('events.date')}</label>
            <input class="u-w14" id="ev-date" type="date" name="date" required />
            <label for="ev-venue">{t('events.venue')}</label>
            <input id="ev-venue" type="text" name="venue" />
            <label for="ev-start">{t('events.startTime')}</label>
            <input class="u-w10" id="ev-start" type="time" name="startTime" />
            <div class="row">
              <div>
                <label for="ev-rounds">{t('events.rounds')}</label>
                <input class="u-w8" id="ev-rounds" type="number" name="rounds" min="1" max="60" value="10" required />
              </div>
              <div>
                <label for="ev-tables">{t('events.tables')}</label>
                <input class="u-w8" id="ev-tables" type="number" name="tables" min="1" max="500" value="10" />
              </div>
              <div>
                <label for="ev-minutes">{t('events.minutes')}</label>
                <input class="u-w8" id="ev-minutes" type="number" name="meetingMinutes" min="1" max="120" value="7" required />
              </div>
              <div>
                <label for="ev-transition">{t('events.transition')}</label>
                <input class="u-w8" id="ev-transition" type="number" name="transitionMinutes" min="0" max="60" value="1" required />
              </div>
              <div>
                <label for="ev-break">{t('events.breakAfter')}</label>
                <input class="u-w8" id="ev-break" type="number" name="breakAfter" min="1" max="59" />
              </div>
              <div>
                <label for="ev-break-minutes">{t('events.breakMinutes')}</label>
                <input class="u-w8" id="ev-break-minutes" type="number" name="breakMinutes" min="1" max="180" value="10" />
              </div>
            </div>
            <label for="ev-seated">{t('events.seated')}</label>
            <select class="u-w16" id="ev-seated" name="seatedSide">
              <option value="company">{t('side.companies')}</option>
              <option value="association">{t('side.associations')}</option>
            </select>
            <p>
              <button type="submit">{t('events.create')}</button>
            </p>
          </form>
        </details>
      </Layout>,
      failure ? 422 : 200,
    )
  }

  async function participantsPage(c: Context, view: View, event: Event, notice: Child, status: 200 | 422 = 200) {
    const participants = await eventParticipants(db, event.id)
    return c.html(
      <Page view={view} event={event} tab="participants">
        {notice}
        <EventAdminLink view={view} eventId={event.id} />
        <ParticipantsTable view={view} participants={participants} eventId={event.id} />
        <ImportForm view={view} event={event} />
      </Page>,
      status,
    )
  }

  async function wishesPage(c: Context, view: View, event: Event, failure: Extract<ApiResult<unknown>, { ok: false }> | null) {
    const { t } = view
    const participants = await eventParticipants(db, event.id)
    const names = namesOf(participants)
    const wishes = await eventWishes(db, event.id)
    return c.html(
      <Page view={view} event={event} tab="wishes">
        {failure && apiFailure(view, failure)}
        {c.req.query('saved') && <Notice kind="ok">{t('wishes.saved')}</Notice>}
        <h2>{t('wishes.title')}</h2>
        {wishes.length === 0 ? (
          <p>{t('wishes.none')}</p>
        ) : (
          <DataTable columns={[t('wishes.from'), t('wishes.level'), t('wishes.to'), t('wishes.by')]}>
            {wishes.map((w) => (
              <tr>
                <td>{names.get(w.from_registration_id) ?? '?'}</td>
                <td>{t(`wish.${w.level}`)}</td>
                <td>{names.get(w.to_registration_id) ?? '?'}</td>
                <td>{t(`wish.by.${w.set_by}`)}</td>
              </tr>
            ))}
          </DataTable>
        )}
        <h2>{t('wishes.add')}</h2>
        <form method="post" action={eventPath(event.id, 'wishes')}>
          <label for="wish-from">{t('wishes.from')}</label>
          <select id="wish-from" name="from" required>
            {participants.map((p) => (
              <option value={p.id}>
                {p.name} ({t(p.side === 'company' ? 'side.company' : 'side.association')})
              </option>
            ))}
          </select>
          <label for="wish-level">{t('wishes.level')}</label>
          <select id="wish-level" name="level">
            <option value="must">{t('wish.must')}</option>
            <option value="like">{t('wish.like')}</option>
            <option value="avoid">{t('wish.avoid')}</option>
            <option value="">{t('wish.none')}</option>
          </select>
          <label for="wish-to">{t('wishes.to')}</label>
          <select id="wish-to" name="to" required>
            {participants.map((p) => (
              <option value={p.id}>
                {p.name} ({t(p.side === 'company' ? 'side.company' : 'side.association')})
              </option>
            ))}
          </select>
          <p>
            <button type="submit">{t('wishes.save')}</button>
          </p>
        </form>
      </Page>,
      failure ? 422 : 200,
    )
  }

  async function rotationPage(c: Context, view: View, event: Event, failure: Extract<ApiResult<unknown>, { ok: false }> | null) {
    const { t, lang } = view
    const participants = await eventParticipants(db, event.id)
    const names = namesOf(participants)
    const schedules = await eventSchedules(db, event.id)
    const latest = schedules[0]
    const published = schedules.find((s) => s.published === 1) ?? null
    const shown: Schedule | undefined = published ?? latest
    const meetings = shown ? await scheduleMeetings(db, shown.id) : []
    const breaks = parseBreaks(event.breaks)
    return c.html(
      <Page view={view} event={event} tab="rotation">
        {failure && apiFailure(view, failure)}
        <form method="post" action={eventPath(event.id, 'rotation')} data-busy={t('rotation.generating')}>
          <button type="submit">{t('rotation.generate')}</button>
        </form>
        {latest && latest !== published && latest.status !== 'infeasible' && (
          <form method="post" action={`${eventPath(event.id, 'rotation')}/publier`}>
            <input type="hidden" name="version" value={String(latest.version)} />
            <button type="submit" class="secondary">
              {t('rotation.publish')} ({latest.version})
            </button>
          </form>
        )}
        {latest && latest !== shown && (
          <>
            <h2>{t('rotation.version', { version: latest.version, kind: kindLabel(view, latest), date: formatDate(lang, latest.created_at) })}</h2>
            <RotationSummary view={view} schedule={latest} names={names} />
          </>
        )}
        {!shown ? (
          <p>{t('rotation.none')}</p>
        ) : (
          <>
            <h2>
              {t('rotation.version', { version: shown.version, kind: kindLabel(view, shown), date: formatDate(lang, shown.created_at) })}
              {shown.published === 1 && (
                <>
                  {' '}
                  <span class="badge ok">{t('rotation.published')}</span>
                </>
              )}
            </h2>
            <RotationSummary view={view} schedule={shown} names={names} />
            <MetBeforeSummary view={view} schedule={shown} />
            <h2>{t('rotation.grid')}</h2>
            <ScheduleGrid view={view} event={event} meetings={meetings} names={names} breaks={breaks} />
            <h2>{t('rotation.perParticipant')}</h2>
            <PerParticipant view={view} participants={participants} meetings={meetings} names={names} />
          </>
        )}
        <script src="/static/enhance.js" defer></script>
      </Page>,
      failure ? 422 : 200,
    )
  }

  async function checkinPage(c: Context, view: View, event: Event, failure: Extract<ApiResult<unknown>, { ok: false }> | null) {
    const { t } = view
    const participants = await eventParticipants(db, event.id)
    const replanned = c.req.query('replanned')
    const states = ['present', 'absent', 'walk-in'] as const
    const stateLabel = { registered: t('checkin.registered'), present: t('checkin.present'), absent: t('checkin.absent'), 'walk-in': t('checkin.walkin') }
    return c.html(
      <Page view={view} event={event} tab="checkin">
        {failure && apiFailure(view, failure)}
        {c.req.query('saved') && <Notice kind="ok">{t('checkin.saved')}</Notice>}
        {replanned && <Notice kind="ok">{t('checkin.replanned', { round: replanned })}</Notice>}
        {c.req.query('walkin') && <Notice kind="ok">{t('walkin.added', { name: c.req.query('walkin') ?? '' })}</Notice>}
        <h2>{t('checkin.title')}</h2>
        <DataTable wrap="checkin" columns={[t('participants.name'), t('checkin.state'), <span class="visually-hidden">{t('checkin.state')}</span>]}>
          {participants.map((p) => (
            <tr data-participant={p.name}>
              <td>
                {p.name}
                <br />
                <span class="muted">
                  {p.person} · {t(p.side === 'company' ? 'side.company' : 'side.association')}
                </span>
              </td>
              <td>
                <span class={`badge ${p.attendance === 'absent' ? 'bad' : p.attendance === 'registered' ? '' : 'ok'}`}>{stateLabel[p.attendance]}</span>
              </td>
              <td>
                <form method="post" action={`${eventPath(event.id, 'checkin')}/${p.id}`} aria-label={t('checkin.mark', { name: p.name })}>
                  {states.map((s) => (
                    <button type="submit" name="attendance" value={s} class="secondary" aria-pressed={p.attendance === s ? 'true' : 'false'}>
                      {stateLabel[s]}
                    </button>
                  ))}
                </form>
              </td>
            </tr>
          ))}
        </DataTable>
        <h2 id="walkin-title">{t('checkin.addWalkin')}</h2>
        <form method="post" action={eventPath(event.id, 'checkin')} aria-labelledby="walkin-title">
          <label for="walkin-kind">{t('walkin.kind')}</label>
          <select id="walkin-kind" name="kind">
            <option value="association">{t('side.association')}</option>
            <option value="company">{t('side.company')}</option>
          </select>
          <label for="walkin-name">{t('walkin.name')}</label>
          <input id="walkin-name" type="text" name="name" required />
          <label for="walkin-person">{t('walkin.person')}</label>
          <input id="walkin-person" type="text" name="person" required />
          <p>
            <button type="submit">{t('walkin.add')}</button>
          </p>
        </form>
        <h2>{t('checkin.replan')}</h2>
        <form method="post" action={`/evenements/${encodeURIComponent(event.id)}/replanifier`} data-busy={t('rotation.generating')}>
          <label for="from-round">{t('checkin.fromRound')}</label>
          <input class="u-w8" id="from-round" type="number" name="fromRound" min="1" max={String(event.rounds)} value="1" required />
          <p>
            <button type="submit">{t('checkin.replan')}</button>
          </p>
        </form>
        <script src="/static/enhance.js" defer></script>
      </Page>,
      failure ? 422 : 200,
    )
  }

  async function followupPage(c: Context, view: View, event: Event, failure: Extract<ApiResult<unknown>, { ok: false }> | null) {
    const { t } = view
    const participants = await eventParticipants(db, event.id)
    const names = namesOf(participants)
    const schedule = await publishedSchedule(db, event.id)
    const meetings = schedule ? await scheduleMeetings(db, schedule.id) : []
    const ratings = schedule ? await ratingsOfSchedule(db, schedule.id) : []
    const expected = meetings.length * 2
    const percent = expected > 0 ? Math.round((100 * ratings.length) / expected) : 0
    const proposals = await eventProposals(db, event.id)
    const partnerships = await eventPartnerships(db, event.id)
    const closedAt = (await db.selectFrom('event_settings').select('rating_closed_at').where('event_id', '=', event.id).executeTakeFirst())?.rating_closed_at ?? null
    const columns = ['proposed', 'contacted', 'in_discussion', 'agreement', 'carried_out', 'renewed', 'abandoned'] as const
    return c.html(
      <Page view={view} event={event} tab="followup">
        {failure && apiFailure(view, failure)}
        <h2>{t('followup.ratings')}</h2>
        <p>{t('followup.ratingsProgress', { rated: ratings.length, expected, percent })}</p>
        <progress max={String(Math.max(expected, 1))} value={String(ratings.length)} aria-label={t('followup.ratings')}>
          {percent} %
        </progress>
        <h3 id="bulletin">{t('slip.title')}</h3>
        {c.req.query('slip') && <Notice kind="ok">{t('slip.saved')}</Notice>}
        <p class="muted">{t('slip.help')}</p>
        <form method="post" action={`${eventPath(event.id, 'followup')}/bulletin`} class="slip">
          <label for="slip-code">{t('slip.code')}</label>
          <input class="u-w10" id="slip-code" type="text" name="code" required autocomplete="off" autocapitalize="characters" />
          <label for="slip-side">{t('slip.side')}</label>
          <select class="u-w16" id="slip-side" name="side">
            <option value="association">{t('side.association')}</option>
            <option value="company">{t('side.company')}</option>
          </select>
          <YesNo view={view} name="tookPlace" legend={t('p.rate.tookPlace')} value={true} />
          <InterestChoices view={view} value={null} />
          <YesNo view={view} name="followUp" legend={t('p.rate.followUp')} value={null} />
          <button type="submit">{t('slip.save')}</button>
        </form>
        {closedAt ? (
          <p>
            <span class="badge">{t('followup.ratingClosed', { date: formatDate(view.lang, closedAt) })}</span>
          </p>
        ) : (
          <form method="post" action={`${eventPath(event.id, 'followup')}/clore`}>
            <button type="submit" class="secondary">
              {t('followup.closeRating')}
            </button>
          </form>
        )}
        <h2>{t('followup.pipeline')}</h2>
        {partnerships.length === 0 && <p>{t('followup.noPartnerships')}</p>}
        <div class="board" role="list" tabindex={0}>
          {columns.map((status) => {
            const cards = partnerships.filter((p) => p.status === status)
            const label = t(`pipeline.${status}`)
            return (
              <section role="listitem" aria-label={`${label} (${cards.length})`} data-column={status}>
                <h3>
                  {label} <span class="badge">{cards.length}</span>
                </h3>
                <ul>
                  {cards.map((p) => (
                    <li>
                      {names.get(p.association_registration_id) ?? '?'} × {names.get(p.company_registration_id) ?? '?'}
                      {pipelineTransitions[status].length > 0 && (
                        <form method="post" action={`${eventPath(event.id, 'followup')}/partenariats/${p.id}`}>
                          <label for={`move-${p.id}`}>{t('followup.move')}</label>
                          <select id={`move-${p.id}`} name="status">
                            {pipelineTransitions[status].map((s) => (
                              <option value={s}>{t(`pipeline.${s}`)}</option>
                            ))}
                          </select>
                          <button type="submit" class="secondary">
                            {t('common.save')}
                          </button>
                        </form>
                      )}
                    </li>
                  ))}
                </ul>
              </section>
            )
          })}
        </div>
        <h2>{t('followup.proposals')}</h2>
        <form method="post" action={`${eventPath(event.id, 'followup')}/propositions`}>
          <button type="submit" class="secondary">
            {t('followup.makeProposals')}
          </button>
        </form>
        {proposals.length === 0 ? (
          <p>{t('followup.noProposals')}</p>
        ) : (
          <ol>
            {proposals.map((p) => {
              const association = names.get(p.association_registration_id) ?? '?'
              const company = names.get(p.company_registration_id) ?? '?'
              const [caller, callee] = p.caller === 'association' ? [association, company] : [company, association]
              return (
                <li>
                  <strong>
                    {association} × {company}
                  </strong>{' '}
                  <span class="badge">{t(`proposal.${p.status}`)}</span>
                  <br />
                  {t('followup.caller', { caller, callee, due: formatDate(view.lang, p.due_date) })}
                  <br />
                  <span class="muted">{parseList(p.reasons).join(' · ')}</span>
                  {p.status === 'accepted' && !partnerships.some((x) => x.proposal_id === p.id) && (
                    <form method="post" action={`${eventPath(event.id, 'followup')}/partenariats`}>
                      <input type="hidden" name="proposalId" value={p.id} />
                      <button type="submit">{t('followup.track')}</button>
                    </form>
                  )}
                  {p.status === 'proposed' && (
                    <form method="post" action={`${eventPath(event.id, 'followup')}/propositions/${p.id}`} class="row">
                      <SubmitChoices
                        name="status"
                        options={[
                          { value: 'accepted', label: t('followup.accept') },
                          { value: 'dropped', label: t('followup.drop') },
                        ]}
                      />
                    </form>
                  )}
                </li>
              )
            })}
          </ol>
        )}
      </Page>,
      failure ? 422 : 200,
    )
  }
}

function kindLabel(view: View, schedule: Schedule): string {
  return schedule.kind === 'replan' ? view.t('rotation.kind.replan', { round: schedule.from_round ?? '?' }) : view.t('rotation.kind.full')
}

// ---- CSV import ---------------------------------------------------------------------------------

type ImportResult = { ok: true; count: number; preview: PreviewRow[] } | { ok: false; message: string; issues: ApiIssue[] }

/** Sends the raw bytes (UTF-8 or Latin-1) to the API, as a preview (`dryRun`) or for real. */
async function importCsv(deps: WebDeps, token: string, eventId: string, bytes: Uint8Array, dryRun: boolean): Promise<ImportResult> {
  const request = new Request(new URL(`/api/events/${encodeURIComponent(eventId)}/participants/import${dryRun ? '?dryRun=1' : ''}`, 'http://localhost'), {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'text/csv', accept: 'application/json' },
    body: bytes,
  })
  const response = await deps.api.fetch(request)
  const json = (await response.json().catch(() => null)) as Record<string, unknown> | null
  // A dry run answers 200 with valid: false and the issues of every bad row.
  if (response.ok && json?.valid !== false) return { ok: true, count: countOf(json), preview: previewOf(json) }
  if (response.ok) return { ok: false, message: '', issues: Array.isArray(json?.issues) ? (json.issues as ApiIssue[]) : [] }
  const error = (json?.error ?? {}) as { message?: unknown; issues?: unknown }
  return {
    ok: false,
    message: typeof error.message === 'string' ? error.message : `HTTP ${response.status}`,
    issues: Array.isArray(error.issues) ? (error.issues as ApiIssue[]) : [],
  }
}

function countOf(json: Record<string, unknown> | null): number {
  // a real import answers with its counts (and no preview): participants added or changed
  const counts = json?.counts as { created?: unknown; updated?: unknown } | undefined
  if (counts && typeof counts.created === 'number' && typeof counts.updated === 'number' && json?.dryRun === false) return counts.created + counts.updated
  const created = json?.created
  if (Array.isArray(created) && created.length > 0) return created.length
  const preview = json?.preview
  return Array.isArray(preview) ? preview.length : 0
}

interface PreviewRow {
  row: number
  kind: string
  name: string
  person: string
  /** what the import will do: a new registration, a change to the event's one, or nothing */
  action: string
  changes: { field: string; from: unknown; to: unknown }[]
}

/** The rows the API read, as the preview table shows them. */
function previewOf(json: Record<string, unknown> | null): PreviewRow[] {
  const preview = json?.preview
  if (!Array.isArray(preview)) return []
  return preview.map((p: Record<string, any>) => ({
    row: Number(p.row),
    kind: String(p.organisation?.kind ?? ''),
    name: String(p.organisation?.name ?? ''),
    person: String(p.registration?.personName ?? p.registration?.person_name ?? ''),
    action: String(p.action ?? 'create'),
    changes: Array.isArray(p.changes) ? p.changes : [],
  }))
}

const ImportForm = ({ view, event }: { view: View; event: Event }) => {
  const { t } = view
  return (
    <section aria-labelledby="import-title">
      <h2 id="import-title">{t('import.title')}</h2>
      <p class="muted">{t('import.help')}</p>
      <form method="post" action={`${eventPath(event.id)}/import`} enctype="multipart/form-data">
        <label for="csv-file">{t('import.file')}</label>
        <input id="csv-file" type="file" name="file" accept=".csv,text/csv" />
        <label for="csv-text">{t('import.text')}</label>
        <textarea id="csv-text" name="text" rows={4}></textarea>
        <p>
          <button type="submit">{t('import.preview')}</button>
        </p>
      </form>
    </section>
  )
}

const ImportPreview = ({ view, event, result, csv }: { view: View; event: Event; result: ImportResult; csv: string }) => {
  const { t } = view
  if (!result.ok) {
    const rows = result.issues.filter((i) => i.row !== undefined).length
    return (
      <section aria-labelledby="preview-title">
        <h2 id="preview-title">{t('import.previewTitle')}</h2>
        <Notice kind="bad">
          <p>{rows > 0 ? t('import.errors', { count: new Set(result.issues.map((i) => i.row)).size }) : t('error.api', { message: result.message })}</p>
        </Notice>
        {result.issues.length > 0 && (
          <DataTable data="import-errors" columns={[t('import.row'), t('import.field'), t('import.reason')]}>
            {result.issues.map((i) => (
              <tr>
                <td>{i.row ?? ''}</td>
                <td>{i.column ?? i.path ?? ''}</td>
                <td>{i.message}</td>
              </tr>
            ))}
          </DataTable>
        )}
        <ImportForm view={view} event={event} />
      </section>
    )
  }
  return (
    <section aria-labelledby="preview-title">
      <h2 id="preview-title">{t('import.previewTitle')}</h2>
      <Notice kind="ok">{t('import.ok', { count: result.count })}</Notice>
      {result.preview.length > 0 && (
        <DataTable data="import-preview" columns={[t('import.row'), t('participants.name'), t('participants.side'), t('participants.person'), t('import.action')]}>
          {result.preview.map((r) => (
            <tr>
              <td>{r.row}</td>
              <td>{r.name}</td>
              <td>{r.kind === 'company' ? t('side.company') : r.kind === 'association' ? t('side.association') : r.kind}</td>
              <td>{r.person}</td>
              <td data-action={r.action}>
                {r.action === 'update' ? t('import.update') : r.action === 'unchanged' ? t('import.unchanged') : t('import.create')}
                {r.changes.map((c) => (
                  <div class="muted">{`${c.field} : ${JSON.stringify(c.from)} → ${JSON.stringify(c.to)}`}</div>
                ))}
              </td>
            </tr>
          ))}
        </DataTable>
      )}
      <form method="post" action={`${eventPath(event.id)}/import/confirmer`} class="row">
        <input type="hidden" name="csv" value={csv} />
        <button type="submit">{t('import.confirm')}</button>
        <a class="button secondary" href={eventPath(event.id)}>
          {t('import.cancel')}
        </a>
      </form>
    </section>
  )
}

const ParticipantsTable = ({ view, participants, eventId }: { view: View; participants: ParticipantRow[]; eventId?: string }) => {
  const { t } = view
  return (
    <section aria-labelledby="participants-title">
      <h2 id="participants-title">
        {t('participants.title')} ({participants.length})
      </h2>
      {participants.length === 0 ? (
        <p>{t('participants.none')}</p>
      ) : (
        <DataTable
          data="participants"
          columns={[t('participants.name'), t('participants.person'), t('participants.side'), t('participants.presence'), ...(eventId ? [t('participants.link')] : [])]}
        >
          {participants.map((p) => (
            <tr data-participant={p.name}>
              <td>{eventId ? <a href={`/organisations/${encodeURIComponent(p.organisationId)}`}>{p.name}</a> : p.name}</td>
              <td>{p.person}</td>
              <td>{t(p.side === 'company' ? 'side.company' : 'side.association')}</td>
              <td>
                {p.arrive || p.leave ? t('participants.rounds', { from: p.arrive ?? 1, to: p.leave ?? '…' }) : t('participants.allNight')}
              </td>
              {eventId && (
                <td>
                  <a href={`${eventPath(eventId)}/participants/${p.id}/lien`} aria-label={t('participants.showLinkFor', { name: p.name })}>{t('participants.showLink')}</a>
                  <form method="post" action={`${eventPath(eventId)}/participants/${p.id}/lien`}>
                    <button type="submit" class="secondary" aria-label={t('participants.newLinkFor', { name: p.name })}>
                      {t('participants.newLink')}
                    </button>
                  </form>
                </td>
              )}
            </tr>
          ))}
        </DataTable>
      )}
    </section>
  )
}

const PerParticipant = ({
  view,
  participants,
  meetings,
  names,
}: {
  view: View
  participants: ParticipantRow[]
  meetings: Awaited<ReturnType<typeof scheduleMeetings>>
  names: Map<string, string>
}) => {
  const { t } = view
  return (
    <DataTable
      data="per-participant"
      columns={[
        t('participants.name'),
        <>
          {t('rotation.round')} → {t('rotation.table')} : {t('participants.name')}
        </>,
      ]}
    >
      {participants.map((p) => {
        const mine = meetingsOf(meetings, p.id)
        return (
          <tr data-participant={p.name}>
            <th scope="row">
              {p.name} <span class="muted">({mine.length})</span>
            </th>
            <td>
              {mine.map((m) => `${m.round} → ${m.table_no} : ${names.get(otherSide(m, p.id)) ?? '?'}`).join(' · ') || t('common.none')}
            </td>
          </tr>
        )
      })}
    </DataTable>
  )
}
