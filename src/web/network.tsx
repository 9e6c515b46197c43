/**
 * /reseau: the network's accounts and lab access. An admin invites and revokes
 * any account and manages labs; an organiser gives the door and the room
 * screen access to one event. Reads and writes go through /api/network with
 * the caller's token; a new token is shown once, on a page that is not cached.
 */
import { readForm } from '../http/body.ts'
import { Hono, type Context } from 'hono'
import { answerOf, apiClient, callApi, type ApiResult } from './api.ts'
import { DataTable } from './components.tsx'
import { field, viewOf, withQuery, type WebDeps } from './context.ts'
import { formatDate } from './i18n.ts'
import { Layout, Notice, type View } from './layout.tsx'
import { apiFailure, organiserOf } from './organiser/index.ts'
import { organiserEvents } from './queries.ts'

type Failure = Extract<ApiResult<unknown>, { ok: false }>


export function networkPages(deps: WebDeps) {
  const { api, db } = deps

  async function page(c: Context, view: View, token: string, shown: { label: string; token: string } | null, failure: Failure | null) {
    const { t, lang } = view
    const client = apiClient(api, token, view.lang).api
    const info = await answerOf(await client.network.$get())
    if (!info.ok) return c.redirect('/connexion', 303)
    const members = await answerOf(await client.network.tokens.$get())
    const admin = info.data.role === 'admin'
    const grants = admin ? await answerOf(await client.network.labs.$get()) : null
    const auth = (await organiserOf(c, deps))!.auth
    const events = await organiserEvents(db, auth)
    const eventTitle = new Map(events.map((e) => [e.id, `${e.title} (${formatDate(lang, e.date)})`]))
    const roles = admin ? (['organiser', 'accueil', 'salle', 'admin'] as const) : (['accueil', 'salle'] as const)
    const when = (iso: string | null) => (iso ? formatDate(lang, iso.slice(0, 10)) : t('network.never'))
    c.header('cache-control', 'no-store')
    return c.html(
      <Layout view={view} title={t('nav.network')} area="organiser">
        <h1>{t('network.title', { name: info.data.network.name })}</h1>
        <p>{t('network.you', { role: t(`role.${info.data.role}`) })}</p>
        {c.req.query('saved') && <Notice kind="ok">{t('network.saved')}</Notice>}
        {failure && apiFailure(view, failure)}
        {shown && (
          <Notice kind="warn">
            <h2>{t('network.token.title', { label: shown.label })}</h2>
            <p>{t('network.token.once')}</p>
            <p>
              <code class="token" data-token>
                {shown.token}
              </code>
            </p>
          </Notice>
        )}

        {roles.length > 0 && (
          <section aria-labelledby="invite">
            <h2 id="invite">{t('network.invite')}</h2>
            <p class="muted">{t('network.invite.help')}</p>
            <form method="post" action="/reseau/comptes">
              <label for="label">{t('network.label')}</label>
              <input id="label" name="label" type="text" required maxlength={200} autocomplete="off" />
              <label for="role">{t('network.role')}</label>
              <select id="role" name="role">
                {roles.map((r) => (
                  <option value={r}>{t(`role.${r}`)}</option>
                ))}
              </select>
              <label for="eventId">{t('network.event')}</label>
              <select id="eventId" name="eventId">
                <option value="">{t('network.allEvents')}</option>
                {events.map((e) => (
                  <option value={e.id}>{eventTitle.get(e.id)}</option>
                ))}
              </select>
              <p>
                <button type="submit">{t('network.invite.submit')}</button>
              </p>
            </form>
          </section>
        )}

        <section aria-labelledby="members">
          <h2 id="members">{t('network.members')}</h2>
          {members.ok && members.data.tokens.length > 0 ? (
            <DataTable columns={[t('network.label'), t('network.role'), t('network.event'), t('network.created'), t('network.lastUsed'), t('events.status')]}>
              {members.data.tokens.map((m) => (
                <tr>
                  <td>{m.label}</td>
                  <td>{t(`role.${m.role}`)}</td>
                  <td>{m.eventId ? (eventTitle.get(m.eventId) ?? '—') : t('network.allEvents')}</td>
                  <td>{when(m.createdAt)}</td>
                  <td>{when(m.lastUsedAt)}</td>
                  <td>
                    {m.revokedAt ? (
                      t('network.revoked', { date: when(m.revokedAt) })
                    ) : (
                      <form method="post" action={`/reseau/comptes/${encodeURIComponent(m.id)}/revoquer`} class="inline">
                        <span>{t('network.active')} </span>
                        <label class="confirm">
                          <input type="checkbox" name="confirm" value="yes" required /> {t('network.revoke.confirm', { label: m.label })}
                        </label>
                        <button type="submit" class="danger">
                          {t('network.revoke')}
                        </button>
                      </form>
                    )}
                  </td>
                </tr>
              ))}
            </DataTable>
          ) : (
            <p>{t('network.members.none')}</p>
          )}
        </section>

        {grants && (
          <section aria-labelledby="labs">
            <h2 id="labs">{t('network.labs')}</h2>
            {grants.ok && grants.data.grants.some((g) => g.withdrawnAt === null) ? (
              <ul>
                {grants.data.grants
                  .filter((g) => g.withdrawnAt === null)
                  .map((g) => (
                    <li>
                      {g.labName}, {t('network.labs.since', { date: when(g.grantedAt) })}{' '}
                      <form method="post" action={`/reseau/laboratoires/${encodeURIComponent(g.labId)}/retirer`} class="inline">
                        <button type="submit" class="link">
                          {t('network.labs.withdraw')}
                        </button>
                      </form>
                    </li>
                  ))}
              </ul>
            ) : (
              <p>{t('network.labs.none')}</p>
            )}
            <form method="post" action="/reseau/laboratoires">
              <label for="labId">{t('network.labs.grant')}</label>
              <input id="labId" name="labId" type="text" required maxlength={100} autocomplete="off" spellcheck={false} />
              <p>
                <button type="submit">{t('network.labs.submit')}</button>
              </p>
            </form>
          </section>
        )}
      </Layout>,
      failure ? (failure.status >= 400 && failure.status < 500 ? failure.status : 502) as 400 : 200,
    )
  }

  /** Runs `action` for a signed-in staff member, or sends to the login page. */
  async function signedIn(c: Context, action: (view: View, token: string) => Promise<Response>): Promise<Response> {
    const organiser = await organiserOf(c, deps)
    if (!organiser) return c.redirect(withQuery('/connexion', { next: '/reseau' }), 303)
    return action(viewOf(c), organiser.token)
  }

  return new Hono()
    .get('/reseau', (c) => signedIn(c, (view, token) => page(c, view, token, null, null)))
    .post('/reseau/comptes', (c) =>
      signedIn(c, async (view, token) => {
        const form = await readForm(c)
        const label = field(form, 'label')
        const eventId = field(form, 'eventId')
        const result = await callApi<{ token: string }>(api, token, '/api/network/tokens', {
          body: { role: field(form, 'role'), label, ...(eventId ? { eventId } : {}) },
          lang: view.lang,
        })
        if (!result.ok) return page(c, view, token, null, result)
        return page(c, view, token, { label, token: result.data.token }, null)
      }),
    )
    .post('/reseau/comptes/:tokenId/revoquer', (c) =>
      signedIn(c, async (view, token) => {
        const result = await callApi(api, token, `/api/network/tokens/${encodeURIComponent(c.req.param('tokenId'))}`, { method: 'DELETE', lang: view.lang })
        if (!result.ok) return page(c, view, token, null, result)
        return c.redirect(withQuery('/reseau', { saved: 1 }), 303)
      }),
    )
    .post('/reseau/laboratoires', (c) =>
      signedIn(c, async (view, token) => {
        const form = await readForm(c)
        const result = await callApi(api, token, '/api/network/labs', { body: { labId: field(form, 'labId') }, lang: view.lang })
        if (!result.ok) return page(c, view, token, null, result)
        return c.redirect(withQuery('/reseau', { saved: 1 }), 303)
      }),
    )
    .post('/reseau/laboratoires/:labId/retirer', (c) =>
      signedIn(c, async (view, token) => {
        const result = await callApi(api, token, `/api/network/labs/${encodeURIComponent(c.req.param('labId'))}`, { method: 'DELETE', lang: view.lang })
        if (!result.ok) return page(c, view, token, null, result)
        return c.redirect(withQuery('/reseau', { saved: 1 }), 303)
      }),
    )
}
