/**
 * The wishes tab: who wants to meet whom, and who said so.
 */
import { Hono, type Context } from 'hono'
import type { Event } from '../../db/schema.ts'
import { callApi, type ApiResult } from '../api.ts'
import { DataTable, eventPath, namesOf } from '../components.tsx'
import { field, withQuery, type WebDeps } from '../context.ts'
import { readForm } from '../../http/body.ts'
import { Notice, type View } from '../layout.tsx'
import { eventParticipants, eventWishes } from '../queries.ts'
import { apiFailure, Page, submit, withEvent, type ApiFailure } from './shared.tsx'

export function wishesPages(deps: WebDeps) {
  const { db, api } = deps

  return (
    new Hono()
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
          lang: view.lang,
        })
          if (result.ok) return c.redirect(withQuery(eventPath(event.id, 'wishes'), { saved: 1 }), 303)
          return wishesPage(c, view, event, result)
        }),
      )

  )

  async function wishesPage(c: Context, view: View, event: Event, failure: ApiFailure | null) {
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

}
