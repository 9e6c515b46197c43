/**
 * The console's home: the network's events, a new event, the event's stage.
 */
import { Hono, type Context } from 'hono'
import { callApi, type ApiResult } from '../api.ts'
import { eventPath, statusLabel } from '../components.tsx'
import { field, viewOf, withQuery, type WebDeps } from '../context.ts'
import { readForm } from '../../http/body.ts'
import { formatDate } from '../i18n.ts'
import { Layout, type View } from '../layout.tsx'
import { RetentionNotice } from '../privacy.tsx'
import { ArchivesLink } from '../organisation.tsx'
import { organiserEvents } from '../queries.ts'
import { Page, apiFailure, organiserOf, submit, toLogin, withEvent, type Organiser, type ApiFailure } from './shared.tsx'

export function eventsPages(deps: WebDeps) {
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
        const result = await callApi<{ event: { id: string } }>(api, organiser.token, '/api/events', { method: 'POST', body, lang: view.lang })
        if (result.ok) return c.redirect(eventPath(result.data.event.id), 303)
        return eventsPage(c, view, organiser, result)
      })
  )

  async function eventsPage(c: Context, view: View, organiser: Organiser, failure: ApiFailure | null) {
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
                  {t('events.participants')}{view.lang === 'fr' ? '\u00a0: ' : ': '}{e.participants} · <span class="badge">{statusLabel(view, e.status)}</span>
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

}
