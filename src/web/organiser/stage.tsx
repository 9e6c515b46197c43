/**
 * The event's stage: one clear next step per stage (open registration, publish
 * the rotation, start, close), going back where that is harmless, and reopening
 * a closed evening. Starting, closing, reopening and going back ask first, in
 * words that say what will happen.
 */
import { Hono } from 'hono'
import type { Event, EventStatus } from '../../db/schema.ts'
import { eventPath, statusLabel } from '../components.tsx'
import { field, withQuery, type WebDeps } from '../context.ts'
import { readForm } from '../../http/body.ts'
import { isMessageKey } from '../i18n.ts'
import { Notice, type View } from '../layout.tsx'
import { apiFailure, Confirm, confirmed, Page, submit, withEvent } from './shared.tsx'

const statuses = ['draft', 'open', 'scheduled', 'live', 'closed'] as const

/** Forward steps that need a confirmation, and going back (always confirmed). */
function needsConfirmation(from: EventStatus, to: EventStatus): boolean {
  return to === 'live' || to === 'closed' || statuses.indexOf(to) < statuses.indexOf(from)
}

function confirmation(view: View, event: Event, to: EventStatus): { title: string; lines: string[]; button: string } {
  const { t } = view
  if (to === 'closed') return { title: t('confirm.close.title', { title: event.title }), lines: [t('confirm.close.1'), t('confirm.close.2'), t('confirm.close.3')], button: t('confirm.close.button') }
  if (to === 'live' && event.status === 'closed') {
    return { title: t('confirm.reopen.title', { title: event.title }), lines: [t('confirm.reopen.1'), t('confirm.reopen.2')], button: t('confirm.reopen.button') }
  }
  if (to === 'live') return { title: t('confirm.live.title', { title: event.title }), lines: [t('confirm.live.1'), t('confirm.live.2')], button: t('confirm.live.button') }
  const status = statusLabel(view, to)
  return { title: t('confirm.back.title', { status }), lines: [t('confirm.back.1', { status })], button: t('confirm.back.button') }
}

export function stagePages(deps: WebDeps) {
  return new Hono().post('/evenements/:eventId/etat', (c) =>
    withEvent(c, deps, async ({ view, organiser, event }) => {
      const form = await readForm(c)
      const to = field(form, 'status') as EventStatus
      const back = eventPath(event.id)
      if (statuses.includes(to) && to !== event.status && needsConfirmation(event.status, to) && !confirmed(form)) {
        return c.html(
          <Page view={view} event={event} tab="participants">
            <Confirm view={view} {...confirmation(view, event, to)} action={`${back}/etat`} fields={{ status: to }} cancel={back} />
          </Page>,
        )
      }
      return submit(c, deps, organiser, (api) => api.events[':eventId'].status.$post({ param: { eventId: event.id }, json: { status: to } }), withQuery(back, { etat: to }), (failure) =>
        c.html(
          <Page view={view} event={event} tab="participants">
            {apiFailure(view, failure)}
            <p>
              <a href={back}>{view.t('common.back')}</a>
            </p>
          </Page>,
          422,
        ),
      )
    }),
  )
}

/** The stage panel of the event's home page: where it stands, and the one next step. */
export const StagePanel = ({ view, event, changed }: { view: View; event: Event; changed?: string | undefined }) => {
  const { t } = view
  const action = `${eventPath(event.id)}/etat`
  const step = (to: EventStatus, label: string, kind: 'primary' | 'secondary' = 'primary') => (
    <form method="post" action={action} class="u-inline">
      <input type="hidden" name="status" value={to} />
      <button type="submit" class={kind === 'secondary' ? 'secondary' : undefined}>
        {label}
      </button>
    </form>
  )
  const changedKey = `stage.changed.${changed ?? ''}`
  return (
    <section class="stage no-print" aria-labelledby="stage-title">
      <h2 id="stage-title">{t('stage.title')}</h2>
      {changed !== undefined && isMessageKey(changedKey) && <Notice kind="ok">{t(changedKey)}</Notice>}
      <p>{t('stage.now', { status: statusLabel(view, event.status) })}</p>
      {event.status === 'draft' && (
        <>
          {step('open', t('stage.next.open'))} <span class="muted">{t('stage.next.open.help')}</span>
        </>
      )}
      {event.status === 'open' && (
        <>
          <a class="button" href={eventPath(event.id, 'rotation')}>
            {t('stage.next.rotation')}
          </a>{' '}
          <span class="muted">{t('stage.next.rotation.help')}</span>
          <p>
            {t('stage.back')} {step('draft', t('stage.back.draft'), 'secondary')}
          </p>
        </>
      )}
      {event.status === 'scheduled' && (
        <>
          {step('live', t('stage.next.live'))} <span class="muted">{t('stage.next.live.help')}</span>
          <p>
            {t('stage.back')} {step('open', t('stage.back.open'), 'secondary')}
          </p>
        </>
      )}
      {event.status === 'live' && (
        <>
          {step('closed', t('stage.next.closed'))} <span class="muted">{t('stage.next.closed.help')}</span>
        </>
      )}
      {event.status === 'closed' && (
        <>
          {step('live', t('stage.reopen'), 'secondary')} <span class="muted">{t('stage.reopen.help')}</span>
        </>
      )}
    </section>
  )
}
