/**
 * Pages of the network's memory, in the organiser console:
 * - /organisations/:id: an organisation across the network's evenings (the
 *   person who came, meetings with both ratings, proposals, partnerships with
 *   their stages) and the merge of another record of it;
 * - /evenements/:id/gestion: the event's settings (edit, with what to do with
 *   pairs that met before), duplicate, archive, delete while a draft.
 * Reads and writes go through the JSON API with the organiser's token.
 */
import { Hono, type Context } from 'hono'
import type { Child } from 'hono/jsx'
import type { EventDto } from '../db/repositories/events.repository.ts'
import type { Event, Schedule } from '../db/schema.ts'
import type { OrganisationHistory } from '../domain/organisation-history.ts'
import { readForm } from '../http/body.ts'
import { answerOf, apiClient, callApi, type ApiResult } from './api.ts'
import { eventPath } from './components.tsx'
import { field, viewOf, withQuery, type WebDeps } from './context.ts'
import { formatDate, isMessageKey, translator, type Lang, type MessageKey } from './i18n.ts'
import { Layout, Notice, type View } from './layout.tsx'
import { notFoundPage, organiserOf } from './organiser/index.ts'
import { organiserEvent } from './queries.ts'


/** The page's words, from the one dictionary (src/web/i18n.ts). */
function say(lang: Lang, key: MessageKey, params: Record<string, string | number> = {}): string {
  return translator(lang)(key, params)
}

// stages by the labels the rest of the console uses (i18n.ts): partnerships' pipeline, proposals' status
const label = (lang: Lang, key: string, fallback: string) => (isMessageKey(key) ? translator(lang)(key) : fallback)
const stage = (lang: Lang, s: string) => label(lang, `pipeline.${s}`, s)
const proposalStatus = (lang: Lang, s: string) => label(lang, `proposal.${s}`, s)

/** The link from an event's pages to its management page. */
export const EventAdminLink = ({ view, eventId }: { view: View; eventId: string }) => (
  <p class="no-print">
    <a href={`${eventPath(eventId)}/gestion`}>{say(view.lang, 'admin.link')}</a>
  </p>
)

/** What the network's past did to a rotation, from its stored stats (nothing when it concerned no pair). */
export const MetBeforeSummary = ({ view, schedule }: { view: View; schedule: Pick<Schedule, 'stats'> }) => {
  let counts: { forbidden?: number; penalised?: number; allowed?: number } = {}
  try {
    counts = (JSON.parse(schedule.stats) as { metBefore?: typeof counts }).metBefore ?? {}
  } catch {
    counts = {}
  }
  const { forbidden = 0, penalised = 0, allowed = 0 } = counts
  if (forbidden + penalised + allowed === 0) return null
  return (
    <p data-met-before>
      {say(view.lang, 'memory.summary', { forbidden, penalised, allowed })}
    </p>
  )
}

/** The link from the events list to the archived ones. */
export const ArchivesLink = ({ view }: { view: View }) => (
  <p class="no-print">
    <a href="/archives">{say(view.lang, 'archives.link')}</a>
  </p>
)


const failure = (view: View, result: Extract<ApiResult<unknown>, { ok: false }>) => (
  <Notice kind="bad">
    <p>{view.t('error.api', { message: result.message })}</p>
    {result.issues.length > 0 && (
      <ul>
        {result.issues.map((i) => (
          <li>{[i.path, i.message].filter(Boolean).join(view.lang === 'fr' ? '\u00a0: ' : ': ')}</li>
        ))}
      </ul>
    )}
  </Notice>
)

type Rating = OrganisationHistory['evenings'][number]['meetings'][number]['ratings']['association']

function ratingText(lang: Lang, r: Rating): string {
  if (!r) return '—'
  if (!r.tookPlace) return say(lang, 'org.notHeld')
  return [r.interest !== null ? say(lang, 'org.interest', { n: r.interest }) : '', r.followUp === null ? '' : say(lang, r.followUp ? 'org.followUp' : 'org.noFollowUp')]
    .filter(Boolean)
    .join(', ')
}

export function organisationPages(deps: WebDeps) {
  const { api } = deps

  /** The signed-in admin or organiser (other staff roles see these pages as not found). */
  async function manager(c: Context) {
    const organiser = await organiserOf(c, deps)
    if (!organiser) return { redirect: c.redirect(withQuery('/connexion', { next: new URL(c.req.url).pathname }), 303) }
    if (organiser.auth.role !== 'admin' && organiser.auth.role !== 'organiser') return { missing: true as const }
    return { organiser }
  }

  async function withEvent(c: Context, page: (ctx: { view: View; token: string; event: Event }) => Promise<Response>): Promise<Response> {
    const view = viewOf(c)
    const who = await manager(c)
    if (who.redirect) return who.redirect
    if (!who.organiser) return notFoundPage(c, view)
    const event = await organiserEvent(deps.db, who.organiser.auth, c.req.param('eventId') ?? '', 'manage')
    if (!event) return notFoundPage(c, view)
    return page({ view, token: who.organiser.token, event })
  }

  async function organisationPage(c: Context, view: View, token: string, id: string, notice: Child, status: 200 | 409 | 422 = 200) {
    const { lang } = view
    const client = apiClient(api, token, view.lang).api
    const history = await answerOf(await client.organisations[':organisationId'].history.$get({ param: { organisationId: id } }))
    if (!history.ok) return notFoundPage(c, view)
    const { organisation, evenings, proposals, partnerships } = history.data
    const all = await answerOf(await client.organisations.$get({ query: {} }))
    const others = all.ok ? all.data.organisations.filter((o) => o.kind === organisation.kind && o.id !== organisation.id) : []
    return c.html(
      <Layout view={view} title={`${organisation.name} — ${say(lang, 'org.title')}`} area="organiser">
        <p>
          <a href="/evenements">{view.t('nav.events')}</a>
        </p>
        <h1>{organisation.name}</h1>
        <p class="lead">
          {say(lang, organisation.kind === 'company' ? 'org.kind.company' : 'org.kind.association')}
          {organisation.town ? ` — ${organisation.town}` : ''}
          {organisation.groupName ? ` · ${say(lang, 'org.group', { name: organisation.groupName })}` : ''}
        </p>
        {notice}
        <section aria-labelledby="evenings-title">
          <h2 id="evenings-title">{say(lang, 'org.evenings')}</h2>
          {evenings.length === 0 && <p>{say(lang, 'org.noEvenings')}</p>}
          {evenings.map((e) => (
            <article data-evening={e.title}>
              <h3>
                <a href={eventPath(e.eventId)}>{e.title}</a> <span class="muted">{formatDate(lang, e.date)}</span>
                {e.archived && <span class="badge">{say(lang, 'org.archived')}</span>}
              </h3>
              <p>{say(lang, 'org.came', { person: e.personName })}</p>
              {e.meetings.length === 0 ? (
                <p class="muted">{say(lang, 'org.noMeetings')}</p>
              ) : (
                <div class="table-wrap" tabindex={0}>
                  <table data-meetings>
                    <thead>
                      <tr>
                        <th scope="col">{say(lang, 'org.round')}</th>
                        <th scope="col">{say(lang, 'org.with')}</th>
                        <th scope="col">{say(lang, 'org.ratingOwn', { name: organisation.name })}</th>
                        <th scope="col">{say(lang, 'org.ratingOther')}</th>
                      </tr>
                    </thead>
                    <tbody>
                      {e.meetings.map((m) => {
                        const own = organisation.kind === 'company' ? m.ratings.company : m.ratings.association
                        const other = organisation.kind === 'company' ? m.ratings.association : m.ratings.company
                        return (
                          <tr>
                            <td>{m.round ?? '—'}</td>
                            <td>
                              {m.with.organisationId ? <a href={`/organisations/${encodeURIComponent(m.with.organisationId)}`}>{m.with.name}</a> : m.with.name}{' '}
                              <span class="muted">({m.with.personName})</span>
                              {!m.held && <span class="badge">{say(lang, 'org.notHeld')}</span>}
                            </td>
                            <td>{ratingText(lang, own)}</td>
                            <td>{ratingText(lang, other)}</td>
                          </tr>
                        )
                      })}
                    </tbody>
                  </table>
                </div>
              )}
            </article>
          ))}
        </section>
        <section aria-labelledby="proposals-title">
          <h2 id="proposals-title">{say(lang, 'org.proposals')}</h2>
          {proposals.length === 0 ? (
            <p>{say(lang, 'org.noProposals')}</p>
          ) : (
            <ul data-proposals>
              {proposals.map((p) => (
                <li>
                  {p.with.name} — {p.eventTitle} · {proposalStatus(lang, p.status)} · {formatDate(lang, p.dueDate)}
                </li>
              ))}
            </ul>
          )}
        </section>
        <section aria-labelledby="partnerships-title">
          <h2 id="partnerships-title">{say(lang, 'org.partnerships')}</h2>
          {partnerships.length === 0 ? (
            <p>{say(lang, 'org.noPartnerships')}</p>
          ) : (
            <ul data-partnerships>
              {partnerships.map((p) => (
                <li>
                  <strong>{p.with.name}</strong> — {p.eventTitle} · <span class="badge">{stage(lang, p.status)}</span>
                  <br />
                  <span class="muted">
                    {say(lang, 'org.stages')}{lang === 'fr' ? '\u00a0: ' : ': '}{p.stages.map((s) => `${stage(lang, s.to)} (${formatDate(lang, s.at.slice(0, 10))})`).join(' → ')}
                  </span>
                </li>
              ))}
            </ul>
          )}
        </section>
        <section aria-labelledby="merge-title">
          <h2 id="merge-title">{say(lang, 'org.merge')}</h2>
          <p class="muted">{say(lang, 'org.mergeHelp')}</p>
          {others.length === 0 ? (
            <p>{say(lang, 'org.noOther')}</p>
          ) : (
            <form method="post" action={`/organisations/${encodeURIComponent(organisation.id)}/fusion`}>
              <label for="merge-from">{say(lang, 'org.mergeFrom')}</label>
              <select id="merge-from" name="from" required>
                {others.map((o) => (
                  <option value={o.id}>
                    {o.name}
                    {o.town ? ` (${o.town})` : ''}
                  </option>
                ))}
              </select>
              <p>
                <button type="submit" class="secondary">
                  {say(lang, 'org.mergeSubmit')}
                </button>
              </p>
            </form>
          )}
        </section>
      </Layout>,
      status,
    )
  }

  async function adminPage(c: Context, view: View, event: Event, notice: Child, status: 200 | 409 | 422 = 200) {
    const { lang } = view
    const policies = ['forbid', 'penalise', 'allow'] as const
    const policy = (name: string, id: string, current: string) => (
      <select id={id} name={name}>
        {policies.map((p) => (
          <option value={p} selected={p === current}>
            {say(lang, `admin.${p}`)}
          </option>
        ))}
      </select>
    )
    return c.html(
      <Layout view={view} title={`${say(lang, 'admin.title')} — ${event.title}`} area="organiser">
        <p>
          <a href={eventPath(event.id)}>{event.title}</a>
        </p>
        <h1>{say(lang, 'admin.title')}</h1>
        {notice}
        {event.archived_at && <Notice kind="ok">{say(lang, 'admin.archived', { date: formatDate(lang, event.archived_at.slice(0, 10)) })}</Notice>}
        <section aria-labelledby="edit-title">
          <h2 id="edit-title">{say(lang, 'admin.edit')}</h2>
          <p class="muted">{say(lang, 'admin.editHelp')}</p>
          <form method="post" action={`${eventPath(event.id)}/modifier`}>
            <label for="edit-title-field">{say(lang, 'admin.titleField')}</label>
            <input id="edit-title-field" name="title" value={event.title} required maxlength={200} />
            <label for="edit-date">{say(lang, 'admin.date')}</label>
            <input id="edit-date" name="date" type="date" value={event.date} required />
            <label for="edit-venue">{say(lang, 'admin.venue')}</label>
            <input id="edit-venue" name="venue" value={event.venue ?? ''} maxlength={300} />
            <label for="edit-rounds">{say(lang, 'admin.rounds')}</label>
            <input id="edit-rounds" name="rounds" type="number" min={1} max={60} value={String(event.rounds)} required />
            <label for="edit-met-before">{say(lang, 'admin.metBefore')}</label>
            {policy('metBefore', 'edit-met-before', event.met_before)}
            <label for="edit-penalty">{say(lang, 'admin.penalty')}</label>
            <input id="edit-penalty" name="metBeforePenalty" type="number" min={0} max={1000} step="any" value={String(event.met_before_penalty)} />
            <label for="edit-partners">{say(lang, 'admin.partners')}</label>
            {policy('activePartnerships', 'edit-partners', event.active_partnerships)}
            <p>
              <button type="submit">{say(lang, 'admin.save')}</button>
            </p>
          </form>
        </section>
        <section aria-labelledby="duplicate-title">
          <h2 id="duplicate-title">{say(lang, 'admin.duplicate')}</h2>
          <p class="muted">{say(lang, 'admin.duplicateHelp')}</p>
          <form method="post" action={`${eventPath(event.id)}/dupliquer`}>
            <label for="duplicate-date">{say(lang, 'admin.duplicateDate')}</label>
            <input id="duplicate-date" name="date" type="date" required />
            <label for="duplicate-title">{say(lang, 'admin.duplicateTitle')}</label>
            <input id="duplicate-title" name="title" maxlength={200} />
            <p>
              <button type="submit">{say(lang, 'admin.duplicateSubmit')}</button>
            </p>
          </form>
        </section>
        <section aria-labelledby="archive-title">
          <h2 id="archive-title">{say(lang, event.archived_at ? 'admin.unarchive' : 'admin.archive')}</h2>
          <p class="muted">{say(lang, 'admin.archiveHelp')}</p>
          <form method="post" action={`${eventPath(event.id)}/${event.archived_at ? 'desarchiver' : 'archiver'}`}>
            <button type="submit" class="secondary">
              {say(lang, event.archived_at ? 'admin.unarchive' : 'admin.archive')}
            </button>
          </form>
        </section>
        {event.status === 'draft' && (
          <section aria-labelledby="delete-title">
            <h2 id="delete-title">{say(lang, 'admin.delete')}</h2>
            <p class="muted">{say(lang, 'admin.deleteHelp')}</p>
            <form method="post" action={`${eventPath(event.id)}/supprimer`}>
              <button type="submit" class="secondary">
                {say(lang, 'admin.delete')}
              </button>
            </form>
          </section>
        )}
      </Layout>,
      status,
    )
  }

  /** After a write: the page again with the API's refusal, or a redirect with a flash message. */
  const refusal = (result: Extract<ApiResult<unknown>, { ok: false }>) => (result.status === 409 ? 409 : 422)

  return new Hono()
    .get('/archives', async (c) => {
      const view = viewOf(c)
      const { lang } = view
      const who = await manager(c)
      if (who.redirect) return who.redirect
      if (!who.organiser) return notFoundPage(c, view)
      const list = await answerOf(await apiClient(api, who.organiser.token, view.lang).api.events.$get({ query: { archived: '1' } }))
      const archived = list.ok ? list.data.events.filter((e) => e.archivedAt !== null) : []
      return c.html(
        <Layout view={view} title={say(lang, 'archives.title')} area="organiser">
          <p>
            <a href="/evenements">{view.t('nav.events')}</a>
          </p>
          <h1>{say(lang, 'archives.title')}</h1>
          {archived.length === 0 ? (
            <p>{say(lang, 'archives.none')}</p>
          ) : (
            <ul class="cards-list" data-archived>
              {archived.map((e) => (
                <li>
                  <h2>
                    <a href={eventPath(e.id)}>{e.title}</a>
                  </h2>
                  <p>
                    {formatDate(lang, e.date)}
                    {e.venue ? ` — ${e.venue}` : ''} · <a href={`${eventPath(e.id)}/gestion`}>{say(lang, 'archives.manage')}</a>
                  </p>
                </li>
              ))}
            </ul>
          )}
        </Layout>,
      )
    })
    .get('/organisations/:organisationId', async (c) => {
      const view = viewOf(c)
      const who = await manager(c)
      if (who.redirect) return who.redirect
      if (!who.organiser) return notFoundPage(c, view)
      const notice = c.req.query('fusion') !== undefined ? <Notice kind="ok">{say(view.lang, 'org.merged')}</Notice> : null
      return organisationPage(c, view, who.organiser.token, c.req.param('organisationId'), notice)
    })
    .post('/organisations/:organisationId/fusion', async (c) => {
      const view = viewOf(c)
      const who = await manager(c)
      if (who.redirect) return who.redirect
      if (!who.organiser) return notFoundPage(c, view)
      const id = c.req.param('organisationId')
      const form = await readForm(c)
      const result = await callApi(api, who.organiser.token, `/api/organisations/${encodeURIComponent(id)}/merge`, { method: 'POST', body: { from: field(form, 'from') }, lang: view.lang })
      if (result.ok) return c.redirect(withQuery(`/organisations/${encodeURIComponent(id)}`, { fusion: 1 }), 303)
      if (result.status === 404) return notFoundPage(c, view)
      return organisationPage(c, view, who.organiser.token, id, failure(view, result), refusal(result))
    })
    .get('/evenements/:eventId/gestion', (c) =>
      withEvent(c, async ({ view, event }) => {
        const lang = view.lang
        const notice =
          c.req.query('ok') === 'saved' ? <Notice kind="ok">{say(lang, 'admin.saved')}</Notice>
          : c.req.query('copies') !== undefined ? <Notice kind="ok">{say(lang, 'admin.duplicated', { count: c.req.query('copies') ?? 0 })}</Notice>
          : null
        return adminPage(c, view, event, notice)
      }),
    )
    .post('/evenements/:eventId/modifier', (c) =>
      withEvent(c, async ({ view, token, event }) => {
        const form = await readForm(c)
        const body: Record<string, unknown> = {}
        for (const name of ['title', 'date', 'metBefore', 'activePartnerships']) if (field(form, name) !== '') body[name] = field(form, name)
        if (form.venue !== undefined) body.venue = field(form, 'venue') || null
        for (const name of ['rounds', 'metBeforePenalty']) if (field(form, name) !== '') body[name] = Number(field(form, name))
        const result = await callApi(api, token, `/api/events/${event.id}`, { method: 'PATCH', body, lang: view.lang })
        if (result.ok) return c.redirect(withQuery(`${eventPath(event.id)}/gestion`, { ok: 'saved' }), 303)
        return adminPage(c, view, event, failure(view, result), refusal(result))
      }),
    )
    .post('/evenements/:eventId/dupliquer', (c) =>
      withEvent(c, async ({ view, token, event }) => {
        const form = await readForm(c)
        const body: Record<string, string> = { date: field(form, 'date') }
        if (field(form, 'title')) body.title = field(form, 'title')
        const result = await callApi<{ event: EventDto; participants: number }>(api, token, `/api/events/${event.id}/duplicate`, { method: 'POST', body, lang: view.lang })
        if (result.ok) return c.redirect(withQuery(`${eventPath(result.data.event.id)}/gestion`, { copies: result.data.participants }), 303)
        return adminPage(c, view, event, failure(view, result), refusal(result))
      }),
    )
    .post('/evenements/:eventId/archiver', (c) => archive(c, 'archive'))
    .post('/evenements/:eventId/desarchiver', (c) => archive(c, 'unarchive'))
    .post('/evenements/:eventId/supprimer', (c) =>
      withEvent(c, async ({ view, token, event }) => {
        const result = await callApi(api, token, `/api/events/${event.id}`, { method: 'DELETE', lang: view.lang })
        if (result.ok) return c.redirect('/evenements', 303)
        return adminPage(c, view, event, failure(view, result), refusal(result))
      }),
    )

  function archive(c: Context, action: 'archive' | 'unarchive') {
    return withEvent(c, async ({ view, token, event }) => {
      const client = apiClient(api, token, view.lang).api.events[':eventId']
      const result = await answerOf(await (action === 'archive' ? client.archive : client.unarchive).$post({ param: { eventId: event.id } }))
      if (result.ok) return c.redirect(`${eventPath(event.id)}/gestion`, 303)
      return adminPage(c, view, event, failure(view, result), refusal(result))
    })
  }
}
