/**
 * The rotation tab: compute a version, read it, see what it changes against
 * the published one (after a re-plan too), publish it, withdraw a publication.
 */
import { Hono, type Context } from 'hono'
import type { Child } from 'hono/jsx'
import type { Event, Schedule } from '../../db/schema.ts'
import type { ScheduleDiff } from '../../domain/schedule-diff.ts'
import type { SolvePhase } from '../../../solver/types.ts'
import { apiClient } from '../api.ts'
import { DataTable, eventPath, meetingsOf, namesOf, otherSide, RotationSummary, ScheduleGrid, ScheduleWarnings } from '../components.tsx'
import { field, withQuery, type WebDeps } from '../context.ts'
import { readForm } from '../../http/body.ts'
import { formatDate } from '../i18n.ts'
import { Notice, type View } from '../layout.tsx'
import { MetBeforeSummary } from '../organisation.tsx'
import { eventParticipants, eventSchedules, parseBreaks, scheduleMeetings, type ParticipantRow } from '../queries.ts'
import { apiFailure, Confirm, confirmed, Page, submit, withEvent, type ApiFailure, type Organiser } from './shared.tsx'

const phases = ['model', 'selection', 'rounds', 'reoptimisation', 'exact', 'idle', 'tables', 'done'] as const satisfies readonly SolvePhase[]

export function rotationPages(deps: WebDeps) {
  const { db, api } = deps
  const rotation = (event: Event) => eventPath(event.id, 'rotation')

  /** What publishing `version` would change, from the API (null: nothing published to compare with). */
  async function diffOf(organiser: Organiser, event: Event, version: number): Promise<{ against: number; diff: ScheduleDiff } | null> {
    const response = await apiClient(api, organiser.token).api.events[':eventId'].schedules[':version'].diff.$get({ param: { eventId: event.id, version: String(version) } })
    if (!response.ok) return null
    const { against, diff } = await response.json()
    return diff && against !== null ? { against, diff } : null
  }

  return new Hono()
    .get('/evenements/:eventId/rotation', (c) => withEvent(c, deps, async ({ view, organiser, event }) => rotationPage(c, view, organiser, event, null)))
    .post('/evenements/:eventId/rotation', (c) =>
      withEvent(c, deps, async ({ view, organiser, event }) =>
        submit(c, deps, organiser, (api) => api.events[':eventId'].schedule.$post({ param: { eventId: event.id }, query: {} }), rotation(event), (failure) =>
          rotationPage(c, view, organiser, event, failure),
        ),
      ),
    )
    .get('/evenements/:eventId/rotation/progres', (c) =>
      // where the event's solve stands, for the rotation page's script (cookie auth; the API wants a token)
      withEvent(c, deps, async ({ organiser, event }) => {
        const response = await apiClient(api, organiser.token).api.events[':eventId'].schedules.progress.$get({ param: { eventId: event.id } })
        c.header('cache-control', 'no-store')
        return c.json(response.ok ? await response.json() : { running: false, phase: null, fraction: null, queued: 0 }, 200)
      }),
    )
    .post('/evenements/:eventId/rotation/publier', (c) =>
      withEvent(c, deps, async ({ view, organiser, event }) => {
        const form = await readForm(c)
        const version = field(form, 'version')
        const published = (await eventSchedules(db, event.id)).find((s) => s.published === 1)
        // publishing over a published version asks first, with what changes
        if (published && String(published.version) !== version && !confirmed(form) && /^\d{1,9}$/.test(version)) {
          const changes = await diffOf(organiser, event, Number(version))
          return c.html(
            <Page view={view} event={event} tab="rotation">
              <Confirm
                view={view}
                title={view.t('confirm.publish.title', { version, previous: published.version })}
                lines={[...(changes ? diffCounts(view, changes.diff) : []), view.t('confirm.publish.1', { version })]}
                action={`${rotation(event)}/publier`}
                fields={{ version }}
                button={view.t('confirm.publish.button', { version })}
                cancel={rotation(event)}
              />
              {changes && <DiffDetails view={view} diff={changes.diff} />}
            </Page>,
          )
        }
        return submit(c, deps, organiser, (api) => api.events[':eventId'].schedules[':version'].publish.$post({ param: { eventId: event.id, version } }), rotation(event), (failure) =>
          rotationPage(c, view, organiser, event, failure),
        )
      }),
    )
    .post('/evenements/:eventId/rotation/depublier', (c) =>
      withEvent(c, deps, async ({ view, organiser, event }) => {
        const form = await readForm(c)
        const version = field(form, 'version')
        if (!confirmed(form)) {
          return c.html(
            <Page view={view} event={event} tab="rotation">
              <Confirm
                view={view}
                title={view.t('confirm.unpublish.title', { version })}
                lines={[view.t('confirm.unpublish.1'), view.t('confirm.unpublish.2')]}
                action={`${rotation(event)}/depublier`}
                fields={{ version }}
                button={view.t('confirm.unpublish.button')}
                cancel={rotation(event)}
              />
            </Page>,
          )
        }
        return submit(
          c,
          deps,
          organiser,
          (api) => api.events[':eventId'].schedules[':version'].unpublish.$post({ param: { eventId: event.id, version } }),
          withQuery(rotation(event), { depublie: version }),
          (failure) => rotationPage(c, view, organiser, event, failure),
        )
      }),
    )

  async function rotationPage(c: Context, view: View, organiser: Organiser, event: Event, failure: ApiFailure | null) {
    const { t, lang } = view
    const participants = await eventParticipants(db, event.id)
    const names = namesOf(participants)
    const schedules = await eventSchedules(db, event.id)
    const latest = schedules[0]
    const published = schedules.find((s) => s.published === 1) ?? null
    const shown: Schedule | undefined = published ?? latest
    const meetings = shown ? await scheduleMeetings(db, shown.id) : []
    const breaks = parseBreaks(event.breaks)
    const candidate = latest && latest !== published && latest.status !== 'infeasible' ? latest : null
    const changes = candidate && published ? await diffOf(organiser, event, candidate.version) : null
    const preview = c.req.query('apercu')
    const unpublished = c.req.query('depublie')
    const versionTitle = (s: Schedule): Child => t('rotation.version', { version: s.version, kind: kindLabel(view, s), date: formatDate(lang, s.created_at) })
    return c.html(
      <Page view={view} event={event} tab="rotation">
        {failure && apiFailure(view, failure)}
        {preview && candidate && <Notice kind="ok">{t('replan.preview', { version: candidate.version })}</Notice>}
        {unpublished && <Notice kind="ok">{t('rotation.unpublished', { version: unpublished })}</Notice>}
        <form method="post" action={rotation(event)} data-busy={t('rotation.generating')} data-progress={`${rotation(event)}/progres`}
          data-phases={JSON.stringify(Object.fromEntries(phases.map((phase) => [phase, t(`rotation.phase.${phase}`)])))}
        >
          <button type="submit">{t('rotation.generate')}</button>
          <p class="muted" data-progress-text aria-live="polite" hidden></p>
          <progress max="1" value="0" data-progress-bar aria-label={t('rotation.generating')} hidden></progress>
        </form>
        <p>
          <a href={`/evenements/${encodeURIComponent(event.id)}/essai`}>{t('trial.page')}</a>
        </p>
        {latest && latest !== shown && (
          <section aria-labelledby="candidate-title" data-candidate={latest.version}>
            <h2 id="candidate-title">{versionTitle(latest)}</h2>
            <RotationSummary view={view} schedule={latest} names={names} />
            <ScheduleWarnings view={view} schedule={latest} />
            {changes && (
              <>
                <h3>{t('rotation.preview', { version: latest.version, previous: changes.against })}</h3>
                <ul data-diff-counts>
                  {diffCounts(view, changes.diff).map((line) => (
                    <li>{line}</li>
                  ))}
                </ul>
                <DiffDetails view={view} diff={changes.diff} />
              </>
            )}
            {candidate && (
              <form method="post" action={`${rotation(event)}/publier`}>
                <input type="hidden" name="version" value={String(candidate.version)} />
                <button type="submit">
                  {t('rotation.publish')} ({candidate.version})
                </button>
              </form>
            )}
          </section>
        )}
        {!shown ? (
          <p>{t('rotation.none')}</p>
        ) : (
          <>
            <h2>
              {versionTitle(shown)}
              {shown.published === 1 && (
                <>
                  {' '}
                  <span class="badge ok">{t('rotation.published')}</span>
                </>
              )}
            </h2>
            <RotationSummary view={view} schedule={shown} names={names} />
            <ScheduleWarnings view={view} schedule={shown} />
            {shown === candidate && (
              <form method="post" action={`${rotation(event)}/publier`}>
                <input type="hidden" name="version" value={String(shown.version)} />
                <button type="submit">
                  {t('rotation.publish')} ({shown.version})
                </button>
              </form>
            )}
            {shown.published === 1 && ['draft', 'open', 'scheduled'].includes(event.status) && (
              <form method="post" action={`${rotation(event)}/depublier`}>
                <input type="hidden" name="version" value={String(shown.version)} />
                <button type="submit" class="secondary">
                  {t('rotation.unpublish')}
                </button>
              </form>
            )}
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

/** The diff in three counted lines: meetings lost, meetings gained, participants who move. */
function diffCounts(view: View, diff: ScheduleDiff): string[] {
  const { t, lang } = view
  if (diff.lost.length + diff.gained.length + diff.moved.length === 0) return [t('rotation.diff.none')]
  return [
    t('rotation.diff.lost', { count: diff.lost.length }),
    t('rotation.diff.gained', { count: diff.gained.length }),
    t('rotation.diff.moved', { count: diff.moved.length }),
  ]
}

/** Who moves, which meetings are lost and which are new, by name. */
const DiffDetails = ({ view, diff }: { view: View; diff: ScheduleDiff }) => {
  const { t, lang } = view
  const meeting = (m: ScheduleDiff['lost'][number]) => t('rotation.diff.meeting', { ...m })
  const rounds = (list: number[]) => new Intl.ListFormat(lang === 'fr' ? 'fr-FR' : 'en-GB', { type: 'conjunction' }).format(list.map(String))
  return (
    <div class="diff" data-diff>
      {diff.lost.length > 0 && (
        <details open>
          <summary>{t('rotation.diff.lost', { count: diff.lost.length })}</summary>
          <ul data-lost>
            {diff.lost.map((m) => (
              <li>{meeting(m)}</li>
            ))}
          </ul>
        </details>
      )}
      {diff.gained.length > 0 && (
        <details open>
          <summary>{t('rotation.diff.gained', { count: diff.gained.length })}</summary>
          <ul data-gained>
            {diff.gained.map((m) => (
              <li>{meeting(m)}</li>
            ))}
          </ul>
        </details>
      )}
      {diff.moved.length > 0 && (
        <details>
          <summary>{t('rotation.diff.moved', { count: diff.moved.length })}</summary>
          <ul data-moved>
            {diff.moved.map((p) => (
              <li>{t('rotation.diff.mover', { name: p.name, person: p.person, rounds: rounds(p.rounds) })}</li>
            ))}
          </ul>
        </details>
      )}
    </div>
  )
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