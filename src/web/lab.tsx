/**
 * The lab dashboard: the conversion funnel and conversion by theme, score
 * decile and event as inline SVG charts, the predictors' AUCs, a paired
 * comparison of two predictors and the score's calibration by decile (French
 * number formatting in French), with download links for the
 * pseudonymised exports. Reads `/api/lab/...` with the lab token (an
 * organiser's token works too and sees its own events only).
 */
import type { ArmRow } from '../domain/lab-predictors.ts'
import { Hono, type Context } from 'hono'
import { answerOf, apiClient, type ApiResult, type TypedAnswer } from './api.ts'
import { BarChart, type Bar } from './charts.tsx'
import { DataTable, SubmitChoices } from './components.tsx'
import { LAB_COOKIE, ORGANISER_COOKIE, tokenCookie, viewOf, withQuery, type WebDeps } from './context.ts'
import { formatDate, formatNumber, isMessageKey } from './i18n.ts'
import { Layout, Notice, type View } from './layout.tsx'
import { isLabToken, staffOfToken } from './queries.ts'
import { label } from './vocabulary.ts'

/** The lab API as the typed client reads it: the pages' types come from its routes. */
const labApi = (deps: WebDeps, token: string, lang: View['lang']) => apiClient(deps.api, token, lang).api.lab
type Data<F extends (...args: never[]) => Promise<TypedAnswer>> = Extract<Awaited<ReturnType<typeof answerOf<Awaited<ReturnType<F>>>>>, { ok: true }>['data']
type MetricsResponse = Data<ReturnType<typeof labApi>['metrics']['$get']>
type Comparison = Data<ReturnType<typeof labApi>['compare']['$get']>
type Proportion = MetricsResponse['overall']['conversion']['converted']
type Group = MetricsResponse['overall']['conversion']['byTheme'][number]

async function labToken(c: Context, deps: WebDeps): Promise<string | null> {
  const lab = tokenCookie(c, LAB_COOKIE)
  if (lab && (await isLabToken(deps.db, lab))) return lab
  const organiser = tokenCookie(c, ORGANISER_COOKIE)
  if (organiser && ['admin', 'organiser'].includes((await staffOfToken(deps.db, organiser))?.role ?? '')) return organiser
  return null
}

export function labPages(deps: WebDeps) {
  return new Hono()
    .get('/labo', async (c) => {
      const view = viewOf(c)
      const token = await labToken(c, deps)
      if (!token) return c.redirect(withQuery('/connexion', { next: '/labo' }), 303)
      const chosen = c.req.query('event') ?? ''
      const lab = labApi(deps, token, view.lang)
      const events = await answerOf(await lab.events.$get())
      const result = await answerOf(await lab.metrics.$get({ query: chosen ? { event: chosen } : {} }))
      const area = tokenCookie(c, LAB_COOKIE) === token ? 'lab' : 'organiser'
      const a = c.req.query('a') ?? ''
      const b = c.req.query('b') ?? ''
      const outcome = c.req.query('outcome') === 'mutual' ? 'mutual' : 'conversion'
      const comparison =
        a && b && result.ok
          ? await answerOf(await lab.compare.$get({ query: { a, b, outcome, ...(chosen ? { event: chosen } : {}) } }))
          : null
      const title = chosen && result.ok ? (result.data.events[0]?.title ?? view.t('lab.funnel.all')) : view.t('lab.funnel.all')
      return c.html(
        <Layout view={view} title={view.t('lab.title')} area={area}>
          <h1>{view.t('lab.title')}</h1>
          <form method="get" action="/labo" class="row no-print">
            <label class="u-m0" for="lab-event">
              {view.t('lab.event')}
            </label>
            <select class="u-w30" id="lab-event" name="event">
              <option value="">{view.t('lab.funnel.all')}</option>
              {(events.ok ? events.data.events : []).map((e) => (
                <option value={e.id} selected={e.id === chosen}>
                  {e.title} ({formatDate(view.lang, e.date)})
                </option>
              ))}
            </select>
            <button type="submit" class="secondary">
              {view.t('lab.show')}
            </button>
          </form>
          {result.ok ? (
            <>
              <Dashboard view={view} metrics={result.data} scope={title} />
              <Predictors view={view} metrics={result.data} />
              <Compare view={view} metrics={result.data} chosen={chosen} a={a} b={b} outcome={outcome} comparison={comparison} />
              <Calibration view={view} metrics={result.data} />
              <Arms view={view} metrics={result.data} />
            </>
          ) : (
            <Notice kind="bad">{view.t('error.api', { message: result.message })}</Notice>
          )}
          <Exports view={view} />
        </Layout>,
        result.ok ? 200 : result.status === 404 ? 404 : 502,
      )
    })
    .get('/labo/export', async (c) => {
      const token = await labToken(c, deps)
      if (!token) return c.redirect(withQuery('/connexion', { next: '/labo' }), 303)
      const format = c.req.query('format') === 'csv' ? 'csv' : 'json'
      const key = c.req.query('key') ?? ''
      // without a key, one-time pseudonyms
      return relay(deps, token, `/api/lab/export?${new URLSearchParams(key ? { format, key } : { format }).toString()}`, `paires.${format}`)
    })
    .get('/labo/codebook', async (c) => {
      const token = await labToken(c, deps)
      if (!token) return c.redirect(withQuery('/connexion', { next: '/labo' }), 303)
      return relay(deps, token, '/api/lab/codebook?format=csv', 'dictionnaire.csv')
    })
}

/** Passes an API download through, as an attachment. */
async function relay(deps: WebDeps, token: string, path: string, filename: string): Promise<Response> {
  const response = await deps.api.fetch(
    new Request(new URL(path, 'http://localhost'), { headers: { authorization: `Bearer ${token}` } }),
  )
  const headers = new Headers({ 'content-type': response.headers.get('content-type') ?? 'application/octet-stream' })
  if (response.ok) headers.set('content-disposition', `attachment; filename="${filename}"`)
  return new Response(response.body, { status: response.status, headers })
}

function percent(view: View, p: Proportion): string {
  if (p.rate === null) return '—'
  const f = (x: number) => formatNumber(view.lang, 100 * x, 1)
  return p.ci ? view.t('lab.rate', { rate: f(p.rate), low: f(p.ci.low), high: f(p.ci.high) }) : `${f(p.rate)} %`
}

function stageLabel(view: View, stage: string): string {
  const key = `funnel.${stage}`
  return isMessageKey(key) ? view.t(key) : stage
}

function conversionBars(view: View, groups: Group[], name: (key: string) => string): Bar[] {
  return groups.map((g) => ({
    label: `${name(g.key)} (${g.pairs})`,
    value: g.conversion.rate ?? 0,
    low: g.conversion.ci?.low,
    high: g.conversion.ci?.high,
    text: `${g.converted}/${g.pairs} · ${formatNumber(view.lang, 100 * (g.conversion.rate ?? 0), 0)} %`,
  }))
}

const Dashboard = ({ view, metrics, scope }: { view: View; metrics: MetricsResponse; scope: string }) => {
  const { t, lang } = view
  const overall = metrics.overall
  if (overall.funnel.length === 0) return <p>{t('lab.none')}</p>
  const first = overall.funnel[0]?.count ?? 1
  const firstPairs = overall.funnel.find((s) => s.unit === 'pairs')?.count ?? 1
  const funnelBars: Bar[] = overall.funnel.map((s) => {
    const base = s.unit === 'participants' ? first : firstPairs
    return {
      label: stageLabel(view, s.stage),
      value: base > 0 ? s.count / base : 0,
      text: s.fromPrevious ? `${s.count} · ${formatNumber(lang, 100 * (s.fromPrevious.rate ?? 0), 0)} %` : String(s.count),
    }
  })
  const titles = new Map(metrics.events.map((e) => [e.eventId, `${e.title} (${formatDate(lang, e.date)})`]))
  const auc = overall.conversion.scoreAuc
  return (
    <>
      <section aria-labelledby="funnel-heading">
        <h2 id="funnel-heading">
          {t('lab.funnel')} — {scope}
        </h2>
        <BarChart id="funnel" title={t('lab.funnel')} bars={funnelBars} max={1} columns={[t('lab.funnel'), '%']} />
        <DataTable data="funnel" columns={[t('lab.funnel'), 'n', '%']}>
          {overall.funnel.map((s) => (
            <tr>
              <td>{stageLabel(view, s.stage)}</td>
              <td>{s.count}</td>
              <td>{s.fromPrevious ? percent(view, s.fromPrevious) : '—'}</td>
            </tr>
          ))}
        </DataTable>
      </section>
      {auc && <p data-auc>{t('lab.auc', { auc: formatNumber(lang, auc.auc, 2), low: formatNumber(lang, auc.ci.low, 2), high: formatNumber(lang, auc.ci.high, 2) })}</p>}
      {overall.conversion.byTheme.length > 0 && (
        <BarChart
          id="by-theme"
          title={t('lab.byTheme')}
          bars={conversionBars(view, overall.conversion.byTheme, (k) => (k === '(none)' ? t('common.none') : label(lang, k)))}
          max={1}
          columns={[t('lab.byTheme'), '%']}
        />
      )}
      {overall.conversion.byScoreDecile.length > 0 && (
        <BarChart
          id="by-decile"
          title={t('lab.byDecile')}
          bars={conversionBars(view, overall.conversion.byScoreDecile, (k) => `D${k}`)}
          max={1}
          columns={[t('lab.byDecile'), '%']}
        />
      )}
      {overall.conversion.byEvent.length > 0 && (
        <BarChart
          id="by-event"
          title={t('lab.byEvent')}
          bars={conversionBars(view, overall.conversion.byEvent, (k) => titles.get(k) ?? k)}
          max={1}
          columns={[t('lab.byEvent'), '%']}
        />
      )}
    </>
  )
}

const Exports = ({ view }: { view: View }) => {
  const { t } = view
  return (
    <section aria-labelledby="exports-title">
      <h2 id="exports-title">{t('lab.exports')}</h2>
      <form method="get" action="/labo/export">
        <label for="export-key">{t('lab.export.key')}</label>
        <input id="export-key" type="password" name="key" minlength={8} autocomplete="off" />
        <p class="row">
          <SubmitChoices
            name="format"
            options={[
              { value: 'csv', label: t('lab.export.csv') },
              { value: 'json', label: t('lab.export.json') },
            ]}
          />
        </p>
      </form>
      <p>
        <a href="/labo/codebook">{t('lab.export.codebook')}</a>
      </p>
    </section>
  )
}

const num = (view: View, x: number | null, digits = 2) => (x === null ? '—' : formatNumber(view.lang, x, digits))
const interval = (view: View, ci: [number, number] | null) => (ci ? `${num(view, ci[0])} – ${num(view, ci[1])}` : '—')
const outcomeLabel = (view: View, outcome: string) => (outcome === 'mutual' ? view.t('lab.outcome.mutual') : view.t('lab.outcome.conversion'))

const Predictors = ({ view, metrics }: { view: View; metrics: MetricsResponse }) => {
  const { t } = view
  const known = metrics.predictors.filter((p) => p.n > 0)
  return (
    <section aria-labelledby="predictors-heading">
      <h2 id="predictors-heading">{t('lab.predictors')}</h2>
      <p>{t('lab.predictors.intro')}</p>
      {known.length === 0 ? (
        <p>{t('lab.predictors.none')}</p>
      ) : (
        <DataTable data="predictors" columns={[t('lab.predictors.name'), t('lab.predictors.outcome'), 'n', 'AUC', t('lab.predictors.ci'), t('lab.predictors.method'), t('lab.predictors.hm')]}>
          {known.map((p) => (
            <tr>
              <td>
                <code>{p.name}</code>
              </td>
              <td>{outcomeLabel(view, p.outcome)}</td>
              <td>{p.n}</td>
              <td>{num(view, p.auc)}</td>
              <td>{interval(view, p.ci95)}</td>
              <td>{isMessageKey(`lab.method.${p.ciMethod}`) ? t(`lab.method.${p.ciMethod}` as 'lab.method.cluster-bootstrap') : p.ciMethod}</td>
              <td>{interval(view, p.hanleyMcNeil)}</td>
            </tr>
          ))}
        </DataTable>
      )}
    </section>
  )
}

const Compare = (props: {
  view: View
  metrics: MetricsResponse
  chosen: string
  a: string
  b: string
  outcome: 'conversion' | 'mutual'
  comparison: ApiResult<Comparison> | null
}) => {
  const { view, metrics, chosen, a, b, outcome, comparison } = props
  const { t } = view
  const names = [...new Set(metrics.predictors.filter((p) => p.n > 0).map((p) => p.name))]
  if (names.length < 2) return null
  const select = (id: string, name: string, value: string, fallback: string) => (
    <>
      <label for={id}>{t(name === 'a' ? 'lab.compare.a' : 'lab.compare.b')}</label>
      <select id={id} name={name}>
        {names.map((n) => (
          <option value={n} selected={n === (value || fallback)}>
            {n}
          </option>
        ))}
      </select>
    </>
  )
  return (
    <section aria-labelledby="compare-heading">
      <h2 id="compare-heading">{t('lab.compare')}</h2>
      <form method="get" action="/labo" class="no-print">
        {chosen && <input type="hidden" name="event" value={chosen} />}
        {select('compare-a', 'a', a, names[0]!)}
        {select('compare-b', 'b', b, names[1]!)}
        <label for="compare-outcome">{t('lab.predictors.outcome')}</label>
        <select id="compare-outcome" name="outcome">
          <option value="conversion" selected={outcome === 'conversion'}>
            {t('lab.outcome.conversion')}
          </option>
          <option value="mutual" selected={outcome === 'mutual'}>
            {t('lab.outcome.mutual')}
          </option>
        </select>
        <p>
          <button type="submit" class="secondary">
            {t('lab.compare.submit')}
          </button>
        </p>
      </form>
      {comparison &&
        (comparison.ok ? (
          <p data-comparison>
            {comparison.data.diff === null
              ? t('lab.compare.undefined', { n: comparison.data.n })
              : t('lab.compare.result', {
                  n: comparison.data.n,
                  aucA: num(view, comparison.data.aucA),
                  aucB: num(view, comparison.data.aucB),
                  diff: num(view, comparison.data.diff),
                  low: num(view, comparison.data.ci95?.[0] ?? null),
                  high: num(view, comparison.data.ci95?.[1] ?? null),
                  p: num(view, comparison.data.p, 3),
                })}
          </p>
        ) : (
          <Notice kind="bad">{t('error.api', { message: comparison.message })}</Notice>
        ))}
    </section>
  )
}

const Calibration = ({ view, metrics }: { view: View; metrics: MetricsResponse }) => {
  const { t, lang } = view
  const calibration = metrics.calibration.score
  return (
    <section aria-labelledby="calibration-heading">
      <h2 id="calibration-heading">{t('lab.calibration')}</h2>
      {calibration.n === 0 ? (
        <p>{t('lab.calibration.none')}</p>
      ) : (
        <DataTable data="calibration" columns={[t('lab.calibration.bin'), 'n', t('lab.calibration.range'), t('lab.calibration.mean'), t('lab.calibration.observed')]}>
          {calibration.bins.map((bin) => (
            <tr>
              <td>D{bin.bin}</td>
              <td>{bin.n}</td>
              <td>
                {num(view, bin.min)} – {num(view, bin.max)}
              </td>
              <td>{num(view, bin.meanPredicted)}</td>
              <td>
                {bin.observed}/{bin.n} ·{' '}
                {t('lab.rate', { rate: formatNumber(lang, 100 * bin.observedRate, 1), low: formatNumber(lang, 100 * bin.ci.low, 1), high: formatNumber(lang, 100 * bin.ci.high, 1) })}
              </td>
            </tr>
          ))}
        </DataTable>
      )}
    </section>
  )
}

const Arms = ({ view, metrics }: { view: View; metrics: MetricsResponse }) => {
  const { t, lang } = view
  if (metrics.arms.length === 0) return null
  const pct = (x: number) => formatNumber(lang, 100 * x, 1)
  return (
    <section aria-labelledby="arms-heading">
      <h2 id="arms-heading">{t('lab.arms')}</h2>
      <p>{t('lab.arms.intro')}</p>
      <DataTable data="arms" columns={[t('lab.predictors.outcome'), t('lab.arms.arm'), 'n', t('lab.arms.rate'), t('lab.arms.diff'), 'p']}>
        {metrics.arms.map((a) => (
          <tr>
            <td>{outcomeLabel(view, a.outcome)}</td>
            <td>
              <code>{a.arm}</code>
            </td>
            <td>{a.n}</td>
            <td>
              {a.positives}/{a.n}
              {a.rate !== null && a.wilson ? ` · ${t('lab.rate', { rate: pct(a.rate), low: pct(a.wilson[0]), high: pct(a.wilson[1]) })}` : ''}
            </td>
            <td>
              {a.reference
                ? t('lab.arms.reference')
                : a.diff === null
                  ? '—'
                  : `${pct(a.diff)} pts${a.ci95 ? ` (${pct(a.ci95[0])} – ${pct(a.ci95[1])})` : ''}`}
            </td>
            <td>{num(view, a.p, 3)}</td>
          </tr>
        ))}
      </DataTable>
    </section>
  )
}
