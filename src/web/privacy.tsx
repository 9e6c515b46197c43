/**
 * Personal data in the pages (issue 12):
 * - /confidentialite?reseau=<network id> and /p/<secret>/confidentialite: the
 *   privacy notice of a network, written from its settings (public);
 * - /accessibilite: the accessibility statement (RGAA form), generated from
 *   the self-audit checklist data/accessibility/rgaa-audit.json (public);
 * - on the participant's page: the first-visit notice (how contacts are
 *   revealed, double opt-in) with the research-use choice, and "my data":
 *   download, change the choice, erase me. Writes go through /api/me/….
 * Strings are kept here, French first then English, to leave the shared
 * dictionary (i18n.ts) to the pages that use it.
 */
import { withParticipant } from './participant.tsx'
import { readForm } from '../http/body.ts'
import { Hono, type Context } from 'hono'
import type { Kysely } from 'kysely'
import { listGrants } from '../db/repositories/tokens.repository.ts'
import type { Database } from '../db/schema.ts'
import type { StaffAuth } from '../auth/tokens.ts'
import { researchConsentOf } from '../domain/privacy/consent.ts'
import { purgePlan } from '../domain/privacy/retention.ts'
import { privacySettings, type PrivacySettings } from '../domain/privacy/settings.ts'
import { callApi } from './api.ts'
import { field, viewOf, withQuery, type WebDeps } from './context.ts'
import { formatDate, translator, type Lang, type MessageKey } from './i18n.ts'
import { Layout, Notice, type View } from './layout.tsx'
import { rgaaAudit, rgaaSummary, type Status } from './rgaa.ts'


type PrivacyKey<T> = T extends `privacy.${infer K}` ? K : never
type Key = PrivacyKey<MessageKey>

/** The page's words, from the one dictionary (src/web/i18n.ts, keys `privacy.*`). */
function say(lang: Lang, key: Key, values: Record<string, string | number> = {}): string {
  return translator(lang)(`privacy.${key}`, values)
}

/**
 * On the participant's page: at first visit, how contacts are revealed and the
 * research-use question; afterwards, "my data" (the choice, download, erase).
 */
export async function PrivacyPanel({ db, view, registrationId, secret, place }: { db: Kysely<Database>; view: View; registrationId: string; secret: string; place: 'top' | 'bottom' }) {
  const lang = view.lang
  const consent = await researchConsentOf(db, registrationId)
  // the first-visit notice at the top of the page; once answered, "my data" at the bottom
  if ((place === 'top') !== (consent.research === null)) return null
  const base = `/p/${secret}`
  const choice = (
    <form method="post" action={`${base}/consentement`}>
      <fieldset>
        <legend>{say(lang, 'consent.question')}</legend>
        <label>
          <input type="radio" name="research" value="yes" checked={consent.research === true} required /> {say(lang, 'consent.yes')}
        </label>
        <label>
          <input type="radio" name="research" value="no" checked={consent.research === false} /> {say(lang, 'consent.no')}
        </label>
      </fieldset>
      <p>
        <button type="submit">{say(lang, 'consent.save')}</button>
      </p>
    </form>
  )
  if (consent.research === null) {
    return (
      <section id="consentement" class="sheet" aria-labelledby="consent-title">
        <h2 id="consent-title">{say(lang, 'consent.title')}</h2>
        <p>{say(lang, 'consent.reveal')}</p>
        {choice}
        <p>
          <a href={`${base}/confidentialite`}>{say(lang, 'consent.notice')}</a>
        </p>
      </section>
    )
  }
  const date = consent.at ? formatDate(lang, consent.at) : ''
  return (
    <section id="mes-donnees" aria-labelledby="mine-title">
      <h2 id="mine-title">{say(lang, 'mine.title')}</h2>
      {/[?&]saved=consent\b/.test(view.url) && <Notice kind="ok">{say(lang, 'consent.saved')}</Notice>}
      <p>{say(lang, consent.research ? 'mine.accepted' : 'mine.refused', { date })}</p>
      <details>
        <summary>{say(lang, 'mine.change')}</summary>
        {choice}
      </details>
      <p>
        <a href={`${base}/mes-donnees`} download="mes-donnees.json">
          {say(lang, 'mine.download')}
        </a>
      </p>
      <details>
        <summary>{say(lang, 'mine.erase')}</summary>
        <p>{say(lang, 'mine.eraseHelp')}</p>
        <form method="post" action={`${base}/effacer`}>
          <input type="hidden" name="confirm" value="yes" />
          <button type="submit" class="danger">
            {say(lang, 'mine.eraseConfirm')}
          </button>
        </form>
      </details>
    </section>
  )
}

/** On each printed card: where the network's privacy notice and the accessibility statement are. */
export function CardPrivacyLine({ lang, origin, networkId }: { lang: Lang; origin: string; networkId: string }) {
  const notice = `${origin}/confidentialite?reseau=${encodeURIComponent(networkId)}`
  return (
    <p class="muted small" data-card-privacy>
      {lang === 'fr' ? `Vos données personnelles\u00a0: ${notice} · Accessibilité\u00a0: ${origin}/accessibilite` : `Your personal data: ${notice} · Accessibility: ${origin}/accessibilite`}
    </p>
  )
}

/** On the organisers' events page: the events whose participants' data go within a month. */
export async function RetentionNotice({ db, auth, view, now }: { db: Kysely<Database>; auth: StaffAuth; view: View; now: Date }) {
  if (auth.role !== 'admin' && auth.role !== 'organiser') return null
  const soon = (await purgePlan(db, now, auth.networkId)).filter((p) => p.state === 'soon' || p.state === 'due')
  if (soon.length === 0) return null
  return (
    <Notice kind="warn">
      {soon.map((p) => (
        <p style="margin:0" data-purge={p.eventId}>
          {say(view.lang, p.state === 'due' ? 'purge.due' : 'purge.soon', { title: p.title, date: formatDate(view.lang, p.purgeOn) })}
        </p>
      ))}
    </Notice>
  )
}

// ---- pages ----------------------------------------------------------------------

export function privacyPages(deps: WebDeps) {
  const { db, api } = deps

  const withSecret = (c: Context, page: Parameters<typeof withParticipant>[2]) => withParticipant(c, db, page)

  async function networkOfEvent(eventId: string): Promise<string> {
    const row = await db.selectFrom('events').select('network_id').where('id', '=', eventId).executeTakeFirstOrThrow()
    return row.network_id
  }

  async function noticePage(c: Context, view: View, settings: PrivacySettings) {
    const labs = (await listGrants(db, { networkId: settings.networkId })).filter((g) => g.withdrawnAt === null).map((g) => g.labName)
    return c.html(<NoticePage view={view} settings={settings} labs={labs} />)
  }

  return new Hono()
    .get('/confidentialite', async (c) => {
      const view = viewOf(c)
      const networkId = c.req.query('reseau')
      const settings = networkId ? await privacySettings(db, networkId) : null
      if (!settings) {
        return c.html(
          <Layout view={view} title={say(view.lang, 'privacy')} area="public">
            <h1>{say(view.lang, 'privacy')}</h1>
            <p>{say(view.lang, 'notice.generic')}</p>
          </Layout>,
          networkId ? 404 : 200,
        )
      }
      return noticePage(c, view, settings)
    })
    .get('/p/:secret/confidentialite', (c) =>
      withSecret(c, async (view, me) => {
        const settings = await privacySettings(db, await networkOfEvent(me.eventId))
        return noticePage(c, view, settings!)
      }),
    )
    .get('/p/:secret/mes-donnees', (c) =>
      withSecret(c, async (view, _me, secret) => {
        const result = await callApi<{ data: unknown }>(api, secret, '/api/me/data', { lang: view.lang })
        if (!result.ok) return c.html(<Layout view={view} title={say(view.lang, 'mine.title')} area="participant"><Notice kind="bad">{result.message}</Notice></Layout>, 500)
        return c.body(JSON.stringify(result.data.data, null, 2), 200, {
          'content-type': 'application/json; charset=utf-8',
          'content-disposition': 'attachment; filename="mes-donnees.json"',
        })
      }),
    )
    .post('/p/:secret/consentement', (c) =>
      withSecret(c, async (view, _me, secret) => {
        const answer = field(await readForm(c), 'research')
        if (answer !== 'yes' && answer !== 'no') return c.redirect(`/p/${secret}#consentement`, 303)
        const result = await callApi(api, secret, '/api/me/consent', { method: 'PUT', body: { research: answer === 'yes' }, lang: view.lang })
        if (!result.ok) return c.html(<Layout view={view} title={say(view.lang, 'mine.title')} area="participant"><Notice kind="bad">{result.message}</Notice></Layout>, 422)
        return c.redirect(withQuery(`/p/${secret}`, { saved: 'consent' }) + '#mes-donnees', 303)
      }),
    )
    .post('/p/:secret/effacer', (c) =>
      withSecret(c, async (view, _me, secret) => {
        if (field(await readForm(c), 'confirm') !== 'yes') return c.redirect(`/p/${secret}#mes-donnees`, 303)
        const result = await callApi(api, secret, '/api/me', { method: 'DELETE', lang: view.lang })
        const lang = view.lang
        if (!result.ok) return c.html(<Layout view={view} title={say(lang, 'mine.title')} area="participant"><Notice kind="bad">{result.message}</Notice></Layout>, 500)
        // the page no longer carries the dead link: the footer points to the generic notice
        const after: View = { ...view, url: '/' }
        return c.html(
          <Layout view={after} title={say(lang, 'mine.erased')} area="public">
            <h1>{say(lang, 'mine.erased')}</h1>
            <Notice kind="ok">{say(lang, 'mine.erasedText')}</Notice>
          </Layout>,
        )
      }),
    )
    .get('/accessibilite', (c) => c.html(<AccessibilityPage view={viewOf(c)} />))
}

const NoticePage = ({ view, settings, labs }: { view: View; settings: PrivacySettings; labs: string[] }) => {
  const lang = view.lang
  const network = settings.name
  return (
    <Layout view={view} title={say(lang, 'privacy')} area="public">
      <h1>{say(lang, 'notice.title', { network })}</h1>
      <h2>{say(lang, 'notice.controller')}</h2>
      <p>{say(lang, 'notice.controllerText', { network })}</p>
      {settings.dpoName && <p>{say(lang, 'notice.dpo', { name: settings.dpoName })}</p>}
      <p>
        {settings.contactEmail ? (
          <>
            {say(lang, 'notice.contact', { email: '' })}
            <a href={`mailto:${settings.contactEmail}`}>{settings.contactEmail}</a>
          </>
        ) : (
          say(lang, 'notice.noContact')
        )}
      </p>
      <h2>{say(lang, 'notice.data')}</h2>
      <p>{say(lang, 'notice.dataText')}</p>
      <h2>{say(lang, 'notice.purposes')}</h2>
      <ul>
        <li>{say(lang, 'notice.p1')}</li>
        <li>{say(lang, 'notice.p2')}</li>
        <li>{say(lang, 'notice.p3')}</li>
        <li>{say(lang, 'notice.p4')}</li>
      </ul>
      <h2>{say(lang, 'notice.reveal')}</h2>
      <p>{say(lang, 'notice.revealText')}</p>
      <h2>{say(lang, 'notice.recipients')}</h2>
      <ul>
        <li>{say(lang, 'notice.r1', { network })}</li>
        <li>{say(lang, 'notice.r2')}</li>
        <li>{say(lang, 'notice.r3', { labs: labs.length > 0 ? labs.join(', ') : say(lang, 'notice.r3none') })}</li>
        <li>{say(lang, 'notice.r4')}</li>
      </ul>
      <h2>{say(lang, 'notice.retention')}</h2>
      <p>{say(lang, 'notice.retentionText', { months: settings.retentionMonths })}</p>
      <h2>{say(lang, 'notice.rights')}</h2>
      <ul>
        <li>{say(lang, 'notice.access')}</li>
        <li>{say(lang, 'notice.rectification')}</li>
        <li>{say(lang, 'notice.erasure')}</li>
        <li>{say(lang, 'notice.objection')}</li>
      </ul>
      <p>{say(lang, 'notice.complaint')}</p>
      <p class="muted">{say(lang, 'notice.updated')}</p>
    </Layout>
  )
}

const AccessibilityPage = ({ view }: { view: View }) => {
  const lang = view.lang
  const audit = rgaaAudit
  const s = rgaaSummary(audit)
  const statusWord = (st: Status) => say(lang, `a11y.${st}`)
  const rate = new Intl.NumberFormat(lang === 'fr' ? 'fr-FR' : 'en-GB', { maximumFractionDigits: 1 }).format(s.rate)
  return (
    <Layout view={view} title={say(lang, 'a11y.title')} area="public">
      <h1>{say(lang, 'a11y.title')}</h1>
      <p>{say(lang, 'a11y.intro')}</p>
      <h2>{say(lang, 'a11y.state')}</h2>
      <p>{say(lang, s.level === 'full' ? 'a11y.full' : s.level === 'partial' ? 'a11y.partial' : 'a11y.none', { reference: audit.reference })}</p>
      <h2>{say(lang, 'a11y.results')}</h2>
      <p>{say(lang, 'a11y.rate', { auditor: audit.auditor[lang], date: formatDate(lang, audit.auditDate), rate, c: s.c, nc: s.nc, na: s.na })}</p>
      <p class="muted">{audit.scope[lang]}</p>
      <h2>{say(lang, 'a11y.nonCompliant')}</h2>
      <ul>
        {audit.criteria
          .filter((c) => c.status === 'NC')
          .map((c) => (
            <li>
              {`${c.id} ${c[lang]}`}
              {c.note && ` — ${c.note[lang]}`}
            </li>
          ))}
      </ul>
      <h2>{say(lang, 'a11y.derogations')}</h2>
      {audit.derogations.length === 0 ? <p>{say(lang, 'a11y.noDerogation')}</p> : <ul>{audit.derogations.map((d) => <li>{d[lang]}</li>)}</ul>}
      <h2>{say(lang, 'a11y.establishment')}</h2>
      <h3>{say(lang, 'a11y.tech')}</h3>
      <ul>{audit.technologies.map((t) => <li>{t}</li>)}</ul>
      <h3>{say(lang, 'a11y.tools')}</h3>
      <ul>{audit.tools.map((t) => <li>{t}</li>)}</ul>
      <h3>{say(lang, 'a11y.pages')}</h3>
      <ul>{audit.pages.map((p) => <li><code>{p}</code></li>)}</ul>
      <h2>{say(lang, 'a11y.feedback')}</h2>
      <p>{say(lang, 'a11y.feedbackText')}</p>
      <h2>{say(lang, 'a11y.remedies')}</h2>
      <p>{say(lang, 'a11y.remediesText')}</p>
      <h2 id="criteres">{say(lang, 'a11y.criteria')}</h2>
      <table>
        <caption class="visually-hidden">{say(lang, 'a11y.criteria')}</caption>
        <thead>
          <tr>
            <th scope="col">{say(lang, 'a11y.criterion')}</th>
            <th scope="col">{say(lang, 'a11y.status')}</th>
          </tr>
        </thead>
        <tbody>
          {audit.criteria.map((c) => (
            <tr>
              <td>{`${c.id} (${c.theme}) ${c[lang]}`}</td>
              <td>{statusWord(c.status)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </Layout>
  )
}
