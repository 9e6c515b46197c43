/**
 * The follow-up tab: ratings (paper slips too), proposals, the partnership board.
 */
import { Hono, type Context } from 'hono'
import { parseList } from '../../db/repositories/organisations.repository.ts'
import type { Event } from '../../db/schema.ts'
import { pipelineTransitions } from '../../domain/followups.ts'
import { callApi, type ApiResult } from '../api.ts'
import { eventPath, InterestChoices, namesOf, SubmitChoices, YesNo } from '../components.tsx'
import { field, withQuery, type WebDeps } from '../context.ts'
import { readForm } from '../../http/body.ts'
import { formatDate } from '../i18n.ts'
import { Notice, type View } from '../layout.tsx'
import { eventParticipants, eventPartnerships, eventProposals, publishedSchedule, ratingsOfSchedule, scheduleMeetings } from '../queries.ts'
import { apiFailure, Confirm, confirmed, Page, submit, withEvent, type ApiClient, type ApiFailure } from './shared.tsx'

export function followupPages(deps: WebDeps) {
  const { db, api } = deps

  return (
    new Hono()
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
          const result = await callApi(api, organiser.token, `/api/events/${event.id}/ratings/slip`, { method: 'POST', body, lang: view.lang })
          if (result.ok) return c.redirect(withQuery(eventPath(event.id, 'followup'), { slip: 1 }) + '#bulletin', 303)
          return followupPage(c, view, event, result)
        }),
      )
      .post('/evenements/:eventId/suivi/clore', (c) =>
        withEvent(c, deps, async ({ view, organiser, event }) => {
          const back = eventPath(event.id, 'followup')
          if (!confirmed(await readForm(c))) {
            return c.html(
              <Page view={view} event={event} tab="followup">
                <Confirm
                  view={view}
                  title={view.t('confirm.closeRatings.title', { title: event.title })}
                  lines={[view.t('confirm.closeRatings.1'), view.t('confirm.closeRatings.2')]}
                  action={`${back}/clore`}
                  button={view.t('confirm.closeRatings.button')}
                  cancel={back}
                />
              </Page>,
            )
          }
          return submit(c, deps, organiser, (api) => api.events[':eventId'].ratings.close.$post({ param: { eventId: event.id } }), back, (failure) =>
            followupPage(c, view, event, failure),
          )
        }),
      )
      .post('/evenements/:eventId/suivi/rouvrir', (c) =>
        withEvent(c, deps, async ({ view, organiser, event }) =>
          submit(c, deps, organiser, (api) => api.events[':eventId'].ratings.reopen.$post({ param: { eventId: event.id } }), eventPath(event.id, 'followup'), (failure) =>
            followupPage(c, view, event, failure),
          ),
        ),
      )
      .post('/evenements/:eventId/suivi/propositions', (c) =>
        withEvent(c, deps, async ({ view, organiser, event }) => {
          return submit(c, deps, organiser, (api) => api.events[':eventId'].proposals.$post({ param: { eventId: event.id }, json: {} }), eventPath(event.id, 'followup'), (failure) =>
            followupPage(c, view, event, failure),
          )
        }),
      )
      .post('/evenements/:eventId/suivi/propositions/:proposalId', (c) =>
        withEvent(c, deps, async ({ view, organiser, event }) => {
          const form = await readForm(c)
          const param = { eventId: event.id, proposalId: c.req.param('proposalId') }
          const proposal = (api: ApiClient) => api.events[':eventId'].proposals[':proposalId']
          return submit(
            c,
            deps,
            organiser,
            (api) => (field(form, 'status') === 'accepted' ? proposal(api).accept.$post({ param }) : proposal(api).drop.$post({ param })),
            eventPath(event.id, 'followup'),
            (failure) => followupPage(c, view, event, failure),
          )
        }),
      )
      .post('/evenements/:eventId/suivi/partenariats', (c) =>
        withEvent(c, deps, async ({ view, organiser, event }) => {
          const form = await readForm(c)
          return submit(
            c,
            deps,
            organiser,
            (api) => api.events[':eventId'].partnerships.$post({ param: { eventId: event.id }, json: { proposalId: field(form, 'proposalId') } }),
            eventPath(event.id, 'followup'),
            (failure) => followupPage(c, view, event, failure),
          )
        }),
      )
      .post('/evenements/:eventId/suivi/partenariats/:partnershipId', (c) =>
        withEvent(c, deps, async ({ view, organiser, event }) => {
          const form = await readForm(c)
          const status = field(form, 'status')
          const reason = field(form, 'reason')
          const id = c.req.param('partnershipId')
          // the reason goes with « Abandonné » only; the API asks for it (422 naming `reason`)
          const result = await callApi(api, organiser.token, `/api/events/${event.id}/partnerships/${encodeURIComponent(id)}/status`, {
            method: 'POST',
            body: status === 'abandoned' && reason ? { status, reason } : { status },
            lang: view.lang,
          })
          if (result.ok) return c.redirect(withQuery(eventPath(event.id, 'followup'), { moved: id }) + `#card-${encodeURIComponent(id)}`, 303)
          return followupPage(c, view, event, result)
        }),
      )
  )

  async function followupPage(c: Context, view: View, event: Event, failure: ApiFailure | null) {
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
          <>
          <p>
            <span class="badge">{t('followup.ratingClosed', { date: formatDate(view.lang, closedAt) })}</span>
          </p>
          <form method="post" action={`${eventPath(event.id, 'followup')}/rouvrir`}>
            <button type="submit" class="secondary">
              {t('ratings.reopen')}
            </button>
          </form>
          </>
        ) : (
          <form method="post" action={`${eventPath(event.id, 'followup')}/clore`}>
            <button type="submit" class="secondary">
              {t('followup.closeRating')}
            </button>
          </form>
        )}
        <h2>{t('followup.pipeline')}</h2>
        {partnerships.length === 0 && <p>{t('followup.noPartnerships')}</p>}
        <div class="board" role="list">
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
                    <li id={`card-${p.id}`}>
                      {names.get(p.association_registration_id) ?? '?'} × {names.get(p.company_registration_id) ?? '?'}
                      {status === 'abandoned' && p.abandon_reason && (
                        <>
                          <br />
                          <span class="muted">{p.abandon_reason}</span>
                        </>
                      )}
                      {pipelineTransitions[status].length > 0 && (
                        <form method="post" action={`${eventPath(event.id, 'followup')}/partenariats/${p.id}`} data-move>
                          <label for={`move-${p.id}`}>{t('followup.move')}</label>
                          <select id={`move-${p.id}`} name="status">
                            {pipelineTransitions[status].map((s) => (
                              <option value={s}>{t(`pipeline.${s}`)}</option>
                            ))}
                          </select>
                          {pipelineTransitions[status].includes('abandoned') && (
                            <div data-reason>
                              <label for={`reason-${p.id}`}>{t('followup.reason')}</label>
                              <input id={`reason-${p.id}`} type="text" name="reason" maxlength={2000} autocomplete="off" />
                            </div>
                          )}
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
        <script src="/static/door.js" defer></script>
      </Page>,
      failure ? 422 : 200,
    )
  }
}
