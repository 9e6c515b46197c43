/**
 * The check-in tab (door volunteers): presence, walk-ins, re-planning the rest of the night.
 */
import { Hono, type Context } from 'hono'
import type { Event } from '../../db/schema.ts'
import { callApi, type ApiResult } from '../api.ts'
import { DataTable, eventPath } from '../components.tsx'
import { field, withQuery, type WebDeps } from '../context.ts'
import { readForm } from '../../http/body.ts'
import { Notice, type View } from '../layout.tsx'
import { eventParticipants } from '../queries.ts'
import { apiFailure, Page, submit, withEvent, type ApiFailure } from './shared.tsx'

export function checkinPages(deps: WebDeps) {
  const { db, api } = deps

  return (
    new Hono()
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
            lang: view.lang,
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
            lang: view.lang,
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
            lang: view.lang,
          })
          if (result.ok) return c.redirect(withQuery(eventPath(event.id, 'checkin'), { replanned: fromRound }), 303)
          return checkinPage(c, view, event, result)
        }),
      )

  )

  async function checkinPage(c: Context, view: View, event: Event, failure: ApiFailure | null) {
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

}
