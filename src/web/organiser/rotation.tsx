/**
 * The rotation tab: compute a version, read it, publish it.
 */
import { Hono, type Context } from 'hono'
import type { Event, Schedule } from '../../db/schema.ts'
import { callApi, type ApiResult } from '../api.ts'
import { DataTable, eventPath, meetingsOf, namesOf, otherSide, RotationSummary, ScheduleGrid } from '../components.tsx'
import { field, type WebDeps } from '../context.ts'
import { readForm } from '../../http/body.ts'
import { formatDate } from '../i18n.ts'
import { type View } from '../layout.tsx'
import { MetBeforeSummary } from '../organisation.tsx'
import { eventParticipants, eventSchedules, parseBreaks, scheduleMeetings, type ParticipantRow } from '../queries.ts'
import { apiFailure, Page, submit, withEvent, type ApiFailure } from './shared.tsx'

export function rotationPages(deps: WebDeps) {
  const { db, api } = deps

  return (
    new Hono()
      // ---- rotation -------------------------------------------------------------------
      .get('/evenements/:eventId/rotation', (c) =>
        withEvent(c, deps, async ({ view, event }) => rotationPage(c, view, event, null)),
      )
      .post('/evenements/:eventId/rotation', (c) =>
        withEvent(c, deps, async ({ view, organiser, event }) => {
          const result = await callApi(api, organiser.token, `/api/events/${event.id}/schedule`, { method: 'POST', body: {}, lang: view.lang })
          if (result.ok) return c.redirect(eventPath(event.id, 'rotation'), 303)
          return rotationPage(c, view, event, result)
        }),
      )
      .post('/evenements/:eventId/rotation/publier', (c) =>
        withEvent(c, deps, async ({ view, organiser, event }) => {
          const form = await readForm(c)
          const version = field(form, 'version')
          const result = await callApi(api, organiser.token, `/api/events/${event.id}/schedules/${encodeURIComponent(version)}/publish`, { method: 'POST', body: {}, lang: view.lang })
          if (result.ok) return c.redirect(eventPath(event.id, 'rotation'), 303)
          return rotationPage(c, view, event, result)
        }),
      )

  )

  async function rotationPage(c: Context, view: View, event: Event, failure: ApiFailure | null) {
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

}

function kindLabel(view: View, schedule: Schedule): string {
  return schedule.kind === 'replan' ? view.t('rotation.kind.replan', { round: schedule.from_round ?? '?' }) : view.t('rotation.kind.full')
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