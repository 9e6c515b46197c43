/**
 * The lab dashboard: the conversion funnel and conversion by theme, score
 * decile and event as inline SVG charts, with download links for the
 * pseudonymised exports. Reads `/api/lab/...` with the lab token (an
 * organiser's token works too and sees its own events only).
 */
import { Hono, type Context } from 'hono'
import { callApi } from './api.ts'
import { BarChart, type Bar } from './charts.tsx'
import { DataTable, SubmitChoices } from './components.tsx'
import { LAB_COOKIE, ORGANISER_COOKIE, tokenCookie, viewOf, withQuery, type WebDeps } from './context.ts'
import { formatDate, formatNumber, isMessageKey } from './i18n.ts'
import { Layout, Notice, type View } from './layout.tsx'
import { isLabToken, staffOfToken } from './queries.ts'
import { label } from './vocabulary.ts'

interface Proportion {
  count: number
  of: number
  rate: number | null
  ci: { low: number; high: number } | null
}
interface FunnelStage {
  stage: string
  unit: 'participants' | 'pairs'
  count: number
  fromPrevious: Proportion | null
  fromHeld: Proportion | null
}
interface Group {
  key: string
  pairs: number
  converted: number
  conversion: Proportion
}
interface Metrics {
  funnel: FunnelStage[]
  conversion: {
    pairsHeld: number
    converted: Proportion
    byTheme: Group[]
    byScoreDecile: Group[]
    byEvent: Group[]
    scoreAuc: { auc: number; ci: { low: number; high: number } } | null
  }
}
interface MetricsResponse {
  events: ({ eventId: string; title: string; date: string } & Metrics)[]
  overall: { events: number } & Metrics
}

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
      const events = await callApi<{ events: { id: string; title: string; date: string }[] }>(deps.api, token, '/api/lab/events')
      const result = await callApi<MetricsResponse>(deps.api, token, `/api/lab/metrics${chosen ? `?event=${encodeURIComponent(chosen)}` : ''}`)
      const area = tokenCookie(c, LAB_COOKIE) === token ? 'lab' : 'organiser'
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
            <Dashboard view={view} metrics={result.data} scope={title} />
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
      return relay(deps, token, `/api/lab/export?${new URLSearchParams({ format, key }).toString()}`, `paires.${format}`)
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
        <input id="export-key" type="password" name="key" minlength={8} required autocomplete="off" />
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
