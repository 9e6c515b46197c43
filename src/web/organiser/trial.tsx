/**
 * The organiser's panel for running an event as a randomised trial of
 * matching strategies and for adopting learned scoring weights
 * (README "Running an event as a trial"). Self-contained:
 * - `TrialAndWeightsPanel`: the panel, to place on the event's rotation tab;
 * - `loadTrialPanel`: what the panel shows, read through the API;
 * - `trialPages(deps)`: the forms' POST handlers (they write through the API
 *   with the organiser's token, then go back to `returnTo`, by default the
 *   panel's own page GET /evenements/:eventId/essai, which also shows what
 *   the API refused).
 * Participants never see an arm: nothing here is reachable without an
 * organiser's or admin's token.
 */
import { Hono, type Context } from 'hono'
import type { FC } from 'hono/jsx'
import { DEFAULT_WEIGHTS } from '../../../solver/scoring.ts'
import type { TrialView } from '../../domain/event-trial.ts'
import type { EventWeights } from '../../domain/event-weights.ts'
import { ARMS, type Arm } from '../../domain/trial.ts'
import { readForm } from '../../http/body.ts'
import { callApi, type ApiFetcher, type ApiResult } from '../api.ts'
import { DataTable } from '../components.tsx'
import { field, fields, viewOf, withQuery, type WebDeps } from '../context.ts'
import type { MessageKey } from '../i18n.ts'
import { Layout, Notice, type View } from '../layout.tsx'
import { notFoundPage, organiserOf } from './shared.tsx'

type Failure = Extract<ApiResult<unknown>, { ok: false }>

export type WeightName = keyof typeof DEFAULT_WEIGHTS
export const WEIGHT_NAMES = Object.keys(DEFAULT_WEIGHTS) as WeightName[]

export interface LearnedSuggestion {
  weights: Partial<Record<WeightName, number>> | null
  events: number
  n: number
}

export interface TrialPanelProps {
  view: View
  event: { id: string; title: string; status: string }
  trial: TrialView
  weights: Pick<EventWeights, 'source' | 'weights' | 'version'>
  /** the weights the lab's fit learns from the network's other events (GET /api/events/:id/weights?suggest=1); null = not asked */
  learned: LearnedSuggestion | null
  /** what the API refused, shown above the forms */
  failure?: Failure | null
  /** a flash message key after a redirect */
  saved?: 'trial' | 'trial-removed' | 'weights' | null
}

const armLabel = (view: View, arm: Arm) => view.t(`trial.arm.${arm}` as MessageKey)
const number = (lang: View['lang'], x: number) => (lang === 'fr' ? String(x).replace('.', ',') : String(x))

export const TrialAndWeightsPanel: FC<TrialPanelProps> = ({ view, event, trial, weights, learned, failure = null, saved = null }) => {
  const { t, lang } = view
  const base = `/evenements/${encodeURIComponent(event.id)}`
  const closed = event.status === 'closed'
  const setup = trial.trial
  return (
    <div class="trial-panel" data-trial-panel>
      {saved === 'trial' && <Notice kind="ok">{t('trial.saved')}</Notice>}
      {saved === 'trial-removed' && <Notice kind="ok">{t('trial.removed')}</Notice>}
      {saved === 'weights' && <Notice kind="ok">{t('weights.saved')}</Notice>}
      {failure && (
        <Notice kind="bad">
          <p>{t('error.api', { message: failure.message })}</p>
          {failure.issues.length > 0 && (
            <ul>
              {failure.issues.map((i) => (
                <li>{i.message}</li>
              ))}
            </ul>
          )}
        </Notice>
      )}

      <section aria-labelledby="trial-heading">
        <h2 id="trial-heading">{t('trial.title')}</h2>
        <p class="muted">{t('trial.intro')}</p>
        {setup ? (
          <p data-trial>
            {t('trial.current', {
              assignment: t(`trial.assignment.${setup.assignment}` as MessageKey),
              arms: setup.arms.map((a) => armLabel(view, a)).join(', '),
              seed: setup.seed,
            })}
          </p>
        ) : (
          <p>{t('trial.none')}</p>
        )}
        {trial.draw && (
          <div data-trial-draw>
            <h3>{trial.draw.source === 'published' ? t('trial.draw.published', { version: trial.draw.version ?? '' }) : t('trial.draw.preview')}</h3>
            {trial.draw.arm && <p>{t('trial.draw.event', { arm: armLabel(view, trial.draw.arm) })}</p>}
            {trial.draw.blocks.length > 0 && (
              <DataTable columns={[t('trial.draw.association'), t('trial.draw.arm')]}>
                {trial.draw.blocks.map((b) => (
                  <tr>
                    <td>
                      {b.name} <span class="muted">({b.personName})</span>
                    </td>
                    <td>{armLabel(view, b.arm)}</td>
                  </tr>
                ))}
              </DataTable>
            )}
          </div>
        )}
        {trial.locked ? (
          <Notice kind="info">{t('trial.locked')}</Notice>
        ) : (
          !closed && (
            <>
              <form method="post" action={`${base}/essai`}>
                <fieldset>
                  <legend>{t('trial.arms')}</legend>
                  {ARMS.map((arm) => (
                    <label class="confirm">
                      <input type="checkbox" name="arms" value={arm} checked={setup ? setup.arms.includes(arm) : arm === 'engine' || arm === 'random'} />{' '}
                      {armLabel(view, arm)}
                    </label>
                  ))}
                </fieldset>
                <fieldset>
                  <legend>{t('trial.assignment')}</legend>
                  {(['participant-block', 'event'] as const).map((a) => (
                    <label class="confirm">
                      <input type="radio" name="assignment" value={a} checked={(setup?.assignment ?? 'participant-block') === a} />{' '}
                      {t(`trial.assignment.${a}` as MessageKey)}
                    </label>
                  ))}
                </fieldset>
                <label for="trial-seed">{t('trial.seed')}</label>
                <input id="trial-seed" name="seed" type="text" maxlength={64} pattern="[A-Za-z0-9_\-]{1,64}" autocomplete="off" spellcheck={false} value={setup?.seed ?? ''} />
                <p>
                  <button type="submit">{t('trial.submit')}</button>
                </p>
              </form>
              {setup && (
                <form method="post" action={`${base}/essai/retirer`}>
                  <button type="submit" class="danger">
                    {t('trial.remove')}
                  </button>
                </form>
              )}
            </>
          )
        )}
      </section>

      <section aria-labelledby="weights-heading">
        <h2 id="weights-heading">{t('weights.title')}</h2>
        <p class="muted">{t('weights.intro')}</p>
        <p data-weights-version={weights.version}>
          {t('weights.current', { source: t(`weights.source.${weights.source}` as MessageKey), version: weights.version })}
        </p>
        {learned &&
          (learned.weights ? (
            <form method="post" action={`${base}/poids`} data-learned>
              <input type="hidden" name="source" value="learned" />
              <DataTable caption={<caption>{t('weights.learned', { events: learned.events, n: learned.n })}</caption>} columns={[t('weights.name'), t('weights.value'), t('weights.defaultValue')]}>
                {WEIGHT_NAMES.filter((w) => learned.weights![w] !== undefined).map((w) => (
                  <tr>
                    <td>{t(`weights.w.${w}` as MessageKey)}</td>
                    <td>
                      {number(lang, learned.weights![w]!)}
                      <input type="hidden" name={w} value={String(learned.weights![w])} />
                    </td>
                    <td>{number(lang, DEFAULT_WEIGHTS[w])}</td>
                  </tr>
                ))}
              </DataTable>
              {!closed && (
                <p>
                  <button type="submit">{t('weights.adoptLearned')}</button>
                </p>
              )}
            </form>
          ) : (
            <p>{t('weights.learned.none')}</p>
          ))}
        {!closed && (
          <>
            <form method="post" action={`${base}/poids`} data-manual>
              <input type="hidden" name="source" value="manual" />
              <DataTable columns={[t('weights.name'), t('weights.value'), t('weights.defaultValue')]}>
                {WEIGHT_NAMES.map((w) => (
                  <tr>
                    <td>
                      <label for={`weight-${w}`}>{t(`weights.w.${w}` as MessageKey)}</label>
                    </td>
                    <td>
                      <input id={`weight-${w}`} name={w} type="text" inputmode="decimal" size={6} value={number(lang, weights.weights[w])} />
                    </td>
                    <td>{number(lang, DEFAULT_WEIGHTS[w])}</td>
                  </tr>
                ))}
              </DataTable>
              <p>
                <button type="submit">{t('weights.adoptManual')}</button>
              </p>
            </form>
            {weights.source !== 'default' && (
              <form method="post" action={`${base}/poids`}>
                <input type="hidden" name="source" value="default" />
                <button type="submit" class="secondary">
                  {t('weights.backToDefault')}
                </button>
              </form>
            )}
          </>
        )}
      </section>
    </div>
  )
}

export type TrialPanelData = Omit<TrialPanelProps, 'view' | 'failure' | 'saved'>

/** What the panel shows, read through the API with the organiser's token; null when the event is not the caller's. */
export async function loadTrialPanel(api: ApiFetcher, token: string, eventId: string, options: { suggest?: boolean } = {}): Promise<TrialPanelData | null> {
  const id = encodeURIComponent(eventId)
  const event = await callApi<{ event: { id: string; title: string; status: string } }>(api, token, `/api/events/${id}`)
  if (!event.ok) return null
  const [trial, weights] = await Promise.all([
    callApi<TrialView>(api, token, `/api/events/${id}/trial`),
    callApi<EventWeights & { suggestion: LearnedSuggestion | null }>(api, token, `/api/events/${id}/weights${options.suggest === false ? '' : '?suggest=1'}`),
  ])
  if (!trial.ok || !weights.ok) return null
  const { suggestion, ...current } = weights.data
  return { event: event.data.event, trial: trial.data, weights: current, learned: suggestion }
}

/** A decimal typed with a comma or a point; anything else is sent as typed, for the API to refuse by name. */
const decimal = (text: string): number | string => {
  const n = Number(text.replace(',', '.'))
  return text !== '' && Number.isFinite(n) ? n : text
}

export function trialPages(deps: WebDeps, options: { returnTo?: (eventId: string) => string } = {}) {
  const { api } = deps
  const returnTo = options.returnTo ?? ((eventId: string) => `/evenements/${encodeURIComponent(eventId)}/essai`)

  async function page(c: Context, view: View, token: string, eventId: string, failure: Failure | null) {
    const data = await loadTrialPanel(api, token, eventId)
    if (!data) return notFoundPage(c, view)
    const saved = c.req.query('ok')
    const flash = saved === 'trial' || saved === 'trial-removed' || saved === 'weights' ? saved : null
    return c.html(
      <Layout view={view} title={`${view.t('trial.page')} · ${data.event.title}`} area="organiser">
        <p>
          <a href={`/evenements/${encodeURIComponent(eventId)}/rotation`}>{data.event.title}</a>
        </p>
        <h1>{view.t('trial.page')}</h1>
        <TrialAndWeightsPanel view={view} {...data} failure={failure} saved={flash} />
      </Layout>,
      (failure ? (failure.status >= 400 && failure.status < 500 ? failure.status : 502) : 200) as 200,
    )
  }

  async function signedIn(c: Context, action: (view: View, token: string, eventId: string) => Promise<Response>): Promise<Response> {
    const organiser = await organiserOf(c, deps)
    const eventId = c.req.param('eventId') ?? ''
    if (!organiser) return c.redirect(withQuery('/connexion', { next: `/evenements/${encodeURIComponent(eventId)}/essai` }), 303)
    return action(viewOf(c), organiser.token, eventId)
  }

  const back = (c: Context, eventId: string, ok: string) => c.redirect(withQuery(returnTo(eventId), { ok }), 303)

  return new Hono()
    .get('/evenements/:eventId/essai', (c) => signedIn(c, (view, token, eventId) => page(c, view, token, eventId, null)))
    .post('/evenements/:eventId/essai', (c) =>
      signedIn(c, async (view, token, eventId) => {
        const form = await readForm(c, { all: true })
        const seed = field(form, 'seed')
        const body = { arms: fields(form, 'arms'), assignment: field(form, 'assignment'), ...(seed ? { seed } : {}) }
        const result = await callApi(api, token, `/api/events/${encodeURIComponent(eventId)}/trial`, { method: 'PUT', body })
        if (!result.ok) return result.status === 404 ? notFoundPage(c, view) : page(c, view, token, eventId, result)
        return back(c, eventId, 'trial')
      }),
    )
    .post('/evenements/:eventId/essai/retirer', (c) =>
      signedIn(c, async (view, token, eventId) => {
        const result = await callApi(api, token, `/api/events/${encodeURIComponent(eventId)}/trial`, { method: 'DELETE' })
        if (!result.ok) return result.status === 404 && result.code !== 'not_found' ? notFoundPage(c, view) : page(c, view, token, eventId, result)
        return back(c, eventId, 'trial-removed')
      }),
    )
    .post('/evenements/:eventId/poids', (c) =>
      signedIn(c, async (view, token, eventId) => {
        const form = await readForm(c)
        const source = field(form, 'source')
        const weights = Object.fromEntries(WEIGHT_NAMES.filter((w) => field(form, w) !== '').map((w) => [w, decimal(field(form, w))]))
        const body = source === 'default' || (source === 'learned' && Object.keys(weights).length === 0) ? { source } : { source, weights }
        const result = await callApi(api, token, `/api/events/${encodeURIComponent(eventId)}/weights`, { method: 'PUT', body })
        if (!result.ok) return result.status === 404 ? notFoundPage(c, view) : page(c, view, token, eventId, result)
        return back(c, eventId, 'weights')
      }),
    )
}
