/**
 * The check-in tab, at the door on a phone (accueil role and organisers):
 * search as you type, counters that stay in view, marking present / absent /
 * walk-in without reloading (static/door.js over ordinary forms: without
 * JavaScript the forms post and come back to the row's anchor), walk-ins,
 * re-planning the rest of the night.
 */
import { Hono, type Context } from 'hono'
import type { Attendance, Event } from '../../db/schema.ts'
import { callApi, type ApiResult } from '../api.ts'
import { DataTable, eventPath } from '../components.tsx'
import { field, withQuery, type WebDeps } from '../context.ts'
import { readForm } from '../../http/body.ts'
import { Notice, type View } from '../layout.tsx'
import { eventParticipants, type ParticipantRow } from '../queries.ts'
import { apiFailure, Page, submit, withEvent, type ApiFailure } from './shared.tsx'

/** Lower case, without accents: « Équilibre » and "equilibre" match (the same rule as static/door.js). */
export function searchKey(text: string): string {
  return text.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase()
}

/** What the door counts: present, absent, walk-ins (sur place), not yet marked (attendus). */
export interface DoorCounts {
  present: number
  absent: number
  walkin: number
  registered: number
  /** registered in advance (everyone but walk-ins) */
  expected: number
}

export function doorCounts(participants: readonly { attendance: Attendance }[]): DoorCounts {
  const n = (a: Attendance) => participants.filter((p) => p.attendance === a).length
  return { present: n('present'), absent: n('absent'), walkin: n('walk-in'), registered: n('registered'), expected: participants.length - n('walk-in') }
}

/** door.js asks for JSON; a form without JavaScript gets the page. */
function wantsJson(c: Context): boolean {
  return (c.req.header('accept') ?? '').includes('application/json')
}

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
          const id = c.req.param('registrationId')
          const result = await callApi(api, organiser.token, `/api/events/${event.id}/participants/${encodeURIComponent(id)}/attendance`, {
            method: 'POST',
            body: { attendance: field(form, 'attendance') },
            lang: view.lang,
          })
          if (wantsJson(c)) {
            if (!result.ok) {
              const [colon, semicolon] = view.lang === 'fr' ? ['\u00a0: ', '\u00a0; '] : [': ', '; ']
              const issues = result.issues.map((i) => (i.path ? `${i.path}${colon}${i.message}` : i.message)).join(semicolon)
              const message = view.t('error.api', { message: result.message }) + (issues ? ` (${issues})` : '')
              return c.json({ ok: false, message }, result.status === 404 ? 404 : 422)
            }
            const participants = await eventParticipants(db, event.id)
            const p = participants.find((x) => x.id === id)
            if (!p) return c.json({ ok: false, message: view.t('error.notFound') }, 404)
            return c.json({ ok: true, id: p.id, attendance: p.attendance, label: stateLabels(view)[p.attendance], message: savedText(view, p), counts: doorCounts(participants) }, 200)
          }
          const q = field(form, 'q')
          if (result.ok) return c.redirect(withQuery(eventPath(event.id, 'checkin'), q ? { saved: id, q } : { saved: id }) + `#p-${encodeURIComponent(id)}`, 303)
          return checkinPage(c, view, event, result)
        }, 'checkin'),
      )
      .post('/evenements/:eventId/accueil', (c) =>
        withEvent(c, deps, async ({ view, organiser, event }) => {
          const form = await readForm(c)
          const name = field(form, 'name')
          return submit<{ participant: { id: string } }>(
            c,
            deps,
            organiser,
            {
              path: `/api/events/${event.id}/participants`,
              body: { organisation: { kind: field(form, 'kind'), name }, personName: field(form, 'person'), attendance: 'walk-in' },
            },
            (data) => withQuery(eventPath(event.id, 'checkin'), { walkin: name }) + `#p-${encodeURIComponent(data.participant.id)}`,
            (failure) => checkinPage(c, view, event, failure),
          )
        }, 'checkin'),
      )
      .post('/evenements/:eventId/replanifier', (c) =>
        withEvent(c, deps, async ({ view, organiser, event }) => {
          const form = await readForm(c)
          const fromRound = Number(field(form, 'fromRound'))
          // the new version is shown beside the published one, with what changes, before it is published
          return submit(
            c,
            deps,
            organiser,
            (api) => api.events[':eventId'].schedule.replan.$post({ param: { eventId: event.id }, query: {}, json: { fromRound } }),
            (data) => withQuery(eventPath(event.id, 'rotation'), { apercu: data.schedule.version }),
            (failure) => checkinPage(c, view, event, failure),
          )
        }),
      )

  )

  async function checkinPage(c: Context, view: View, event: Event, failure: ApiFailure | null) {
    const { t } = view
    const participants = await eventParticipants(db, event.id)
    const replanned = c.req.query('replanned')
    const states = ['present', 'absent', 'walk-in'] as const
    const stateLabel = stateLabels(view)
    const counts = doorCounts(participants)
    const q = (c.req.query('q') ?? '').trim()
    const wanted = searchKey(q)
    const keyOf = (p: ParticipantRow) => searchKey(`${p.name} ${p.person}`)
    const shown = participants.filter((p) => keyOf(p).includes(wanted)).length
    const saved = participants.find((p) => p.id === c.req.query('saved'))
    const path = eventPath(event.id, 'checkin')
    return c.html(
      <Page view={view} event={event} tab="checkin">
        {failure && apiFailure(view, failure)}
        {saved && <Notice kind="ok">{savedText(view, saved)}</Notice>}
        {replanned && <Notice kind="ok">{t('checkin.replanned', { round: replanned })}</Notice>}
        {c.req.query('walkin') && <Notice kind="ok">{t('walkin.added', { name: c.req.query('walkin') ?? '' })}</Notice>}
        <h2 id="door-title">{t('checkin.title')}</h2>
        <div class="door-bar" data-door>
          <ul class="door-counts" aria-label={t('door.counters')}>
            <li>
              <span class="door-count-label">{t('door.count.present')}</span>{' '}
              <span>
                <strong data-count="present">{counts.present}</strong> / <span data-count="expected">{counts.expected}</span>
              </span>
            </li>
            <li>
              <span class="door-count-label">{t('door.count.absent')}</span> <strong data-count="absent">{counts.absent}</strong>
            </li>
            <li>
              <span class="door-count-label">{t('door.count.walkin')}</span> <strong data-count="walkin">{counts.walkin}</strong>
            </li>
            <li>
              <span class="door-count-label">{t('door.count.registered')}</span> <strong data-count="registered">{counts.registered}</strong>
            </li>
          </ul>
          <form method="get" action={path} role="search" class="door-search" data-door-search>
            <div class="door-search-head">
              <label for="door-q">{t('door.search')}</label>
              <span id="door-shown" class="muted" data-shown-template={t('door.shown', { shown: '{shown}', total: '{total}' })}>
                {t('door.shown', { shown, total: participants.length })}
              </span>
            </div>
            <div class="row">
              <input id="door-q" type="search" name="q" value={q} placeholder={t('door.search.hint')} autocomplete="off" spellcheck={false} aria-describedby="door-shown" />
              <button type="submit" class="secondary">
                {t('door.search.submit')}
              </button>
            </div>
          </form>
          <p id="door-live" class="door-live u-m0" role="status" aria-live="polite"></p>
        </div>
        <DataTable wrap="checkin" columns={[t('participants.name'), t('checkin.state'), <span class="visually-hidden">{t('checkin.state')}</span>]}>
          {participants.map((p) => (
            <tr id={`p-${p.id}`} data-participant={p.name} data-search={keyOf(p)} hidden={!keyOf(p).includes(wanted)}>
              <td>
                {p.name}
                <br />
                <span class="muted">
                  {p.person} · {t(p.side === 'company' ? 'side.company' : 'side.association')}
                </span>
              </td>
              <td>
                <span data-state class={`badge ${p.attendance === 'absent' ? 'bad' : p.attendance === 'registered' ? '' : 'ok'}`}>{stateLabel[p.attendance]}</span>
              </td>
              <td>
                <form method="post" action={`${path}/${p.id}`} aria-label={t('checkin.mark', { name: p.name })} data-door-mark>
                  {q && <input type="hidden" name="q" value={q} />}
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
        <p class="muted" data-door-none hidden={shown > 0 || participants.length === 0}>
          {t('door.none')}
        </p>
        <h2 id="walkin-title">{t('checkin.addWalkin')}</h2>
        <form method="post" action={path} aria-labelledby="walkin-title">
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
        <script src="/static/door.js" defer></script>
      </Page>,
      failure ? 422 : 200,
    )
  }
}

function stateLabels(view: View): Record<Attendance, string> {
  const { t } = view
  return { registered: t('checkin.registered'), present: t('checkin.present'), absent: t('checkin.absent'), 'walk-in': t('checkin.walkin') }
}

/** « Association Solidarité (Marie Martin) : présent » */
function savedText(view: View, p: ParticipantRow): string {
  return view.t('door.saved', { name: p.name, person: p.person, state: stateLabels(view)[p.attendance] })
}
