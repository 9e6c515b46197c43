/**
 * Pages of issue 9, through the JSON API like the other pages:
 * - /evenements/:id/courriels: the event's outbox (each message with its
 *   status), buttons to send the invitations and the rating call, and the
 *   personal links as a CSV for a mail merge;
 * - /p/<secret>/agenda.ics: the participant's calendar file.
 * Texts are kept here (French or English by the page language) so that the
 * shared dictionary does not grow for one page.
 */
import { readForm } from '../http/body.ts'
import type { Context } from 'hono'
import { Hono } from 'hono'
import type { Child } from 'hono/jsx'
import type { Event } from '../db/schema.ts'
import { callApi, type ApiResult } from './api.ts'
import { EventHeader, eventPath } from './components.tsx'
import { field, viewOf, withQuery, type WebDeps } from './context.ts'
import { Layout, Notice, type View } from './layout.tsx'
import { organiserOf } from './organiser/index.ts'
import { organiserEvent } from './queries.ts'
import { frenchSpacing } from '../domain/typography.ts'
import { pluralOf } from './i18n.ts'

interface MessageRow {
  id: string
  kind: string
  to: string
  toName: string | null
  subject: string
  status: 'queued' | 'sending' | 'sent' | 'failed'
  attempts: number
  nextAttemptAt: string | null
  lastError: string | null
  createdAt: string
  sentAt: string | null
}

interface Person {
  personName: string
  organisation: string
}

interface QueueAnswer {
  kind: string
  queued: Person[]
  already: Person[]
  withoutEmail: Person[]
  linkRevoked: Person[]
}

/** The page's words in its language; French with its spacing (src/domain/typography.ts). */
const say = (view: View, fr: string, en: string) => (view.lang === 'fr' ? frenchSpacing(fr) : en)

const kindLabels: Record<string, [string, string]> = {
  invitation: ['Invitation', 'Invitation'],
  reminder: ['Rappel la veille', 'Reminder the day before'],
  'programme-changed': ['Programme modifié', 'Programme changed'],
  'rating-call': ['Appel à noter', 'Rating call'],
  'mutual-match': ['Suite souhaitée des deux côtés', 'Mutual match'],
  checkin: ['Question de suivi', 'Check-in question'],
}

const statusLabels: Record<MessageRow['status'], [string, string]> = {
  queued: ['en file', 'queued'],
  sending: ["en cours d'envoi", 'sending'],
  sent: ['envoyé', 'sent'],
  failed: ['en échec', 'failed'],
}

function time(view: View, iso: string | null): string {
  if (!iso) return ''
  return new Intl.DateTimeFormat(view.lang === 'fr' ? 'fr-FR' : 'en-GB', { dateStyle: 'short', timeStyle: 'short', timeZone: 'Europe/Paris' }).format(new Date(iso))
}

function names(people: Person[]): string {
  return people.map((p) => `${p.personName} (${p.organisation})`).join(', ')
}

export function messagePages(deps: WebDeps) {
  const { db, api } = deps

  async function withEvent(c: Context, page: (view: View, token: string, event: Event) => Promise<Response>): Promise<Response> {
    const view = viewOf(c)
    const organiser = await organiserOf(c, deps)
    if (!organiser) return c.redirect(withQuery('/connexion', { next: new URL(c.req.url).pathname }), 303)
    const event = await organiserEvent(db, organiser.auth, c.req.param('eventId') ?? '', 'manage')
    if (!event) return c.html(<Layout view={view} title="404" area="organiser"><h1>{say(view, 'Introuvable', 'Not found')}</h1></Layout>, 404)
    return page(view, organiser.token, event)
  }

  async function outboxPage(c: Context, view: View, token: string, event: Event, notice: Child) {
    const list = await callApi<{ counts: Record<MessageRow['status'], number>; messages: MessageRow[] }>(api, token, `/api/events/${event.id}/messages`, { lang: view.lang })
    const rows = list.ok ? list.data.messages : []
    const counts = list.ok ? list.data.counts : { queued: 0, sending: 0, sent: 0, failed: 0 }
    const base = eventPath(event.id, 'messages')
    const ratingOpen = event.status === 'live' || event.status === 'closed'
    c.header('Cache-Control', 'no-store')
    return c.html(
      <Layout view={view} title={say(view, 'Courriels', 'E-mails')} area="organiser">
        <EventHeader view={view} event={event} current="messages" />
        <h2>{say(view, 'Courriels', 'E-mails')}</h2>
        {notice}
        <p>
          {say(
            view,
            "Chaque message porte le lien personnel du participant. Les rappels la veille, les programmes modifiés, les suites souhaitées des deux côtés et les questions de suivi partent d'eux-mêmes.",
            "Each message carries the participant's personal link. Reminders the day before, programme changes, mutual matches and check-in questions go out by themselves.",
          )}
        </p>
        <form method="post" action={base} class="row">
          <button type="submit" name="kind" value="invitation" disabled={event.status === 'closed'}>
            {say(view, 'Envoyer les invitations', 'Send the invitations')}
          </button>
          <button type="submit" name="kind" value="rating-call" class="secondary" disabled={!ratingOpen}>
            {say(view, "Envoyer l'appel à noter", 'Send the rating call')}
          </button>
        </form>
        <p>
          <a href={`${base}/liens.csv`}>{say(view, 'Liens personnels (CSV pour un publipostage)', 'Personal links (CSV for a mail merge)')}</a>
        </p>
        <p>
          {(['queued', 'sending', 'sent', 'failed'] as const).map((s) => (
            <span class="badge">
              {say(view, `${statusLabels[s][0]} : ${counts[s]}`, `${statusLabels[s][1]}: ${counts[s]}`)}
            </span>
          ))}
        </p>
        {rows.length === 0 ? (
          <p class="muted">{say(view, 'Aucun message pour le moment.', 'No message yet.')}</p>
        ) : (
          <table>
            <thead>
              <tr>
                <th scope="col">{say(view, 'Destinataire', 'To')}</th>
                <th scope="col">{say(view, 'Message', 'Message')}</th>
                <th scope="col">{say(view, 'État', 'Status')}</th>
                <th scope="col">{say(view, 'Envoyé', 'Sent')}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((m) => (
                <tr>
                  <td>
                    {m.toName ?? ''} &lt;{m.to}&gt;
                  </td>
                  <td>
                    {kindLabels[m.kind] ? say(view, ...kindLabels[m.kind]!) : m.kind}
                    <br />
                    <small>{m.subject}</small>
                  </td>
                  <td>
                    {say(view, ...statusLabels[m.status])}
                    {m.attempts > 1 || m.lastError ? ` (${say(view, `essais : ${m.attempts}`, `attempts: ${m.attempts}`)})` : ''}
                    {m.lastError && (
                      <>
                        <br />
                        <small>{m.lastError}</small>
                      </>
                    )}
                    {m.status === 'queued' && m.attempts > 0 && (
                      <>
                        <br />
                        <small>
                          {say(view, 'nouvel essai', 'next attempt')} {time(view, m.nextAttemptAt)}
                        </small>
                      </>
                    )}
                  </td>
                  <td>{time(view, m.sentAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </Layout>,
    )
  }

  return new Hono()
    .get('/evenements/:eventId/courriels', (c) => withEvent(c, (view, token, event) => outboxPage(c, view, token, event, null)))
    .post('/evenements/:eventId/courriels', (c) =>
      withEvent(c, async (view, token, event) => {
        const kind = field(await readForm(c), 'kind')
        const result: ApiResult<QueueAnswer> = await callApi<QueueAnswer>(api, token, `/api/events/${event.id}/messages`, { method: 'POST', body: { kind }, lang: view.lang })
        if (!result.ok) return outboxPage(c, view, token, event, <Notice kind="bad">{result.message}</Notice>)
        const r = result.data
        return outboxPage(
          c,
          view,
          token,
          event,
          <Notice kind={r.withoutEmail.length + r.linkRevoked.length > 0 ? 'warn' : 'ok'}>
            {say(
              view,
              `${pluralOf('fr', r.queued.length, { one: '# message mis en file', other: '# messages mis en file' })}, ${pluralOf('fr', r.already.length, { one: '# déjà envoyé', other: '# déjà envoyés' })}.`,
              `${pluralOf('en', r.queued.length, { one: '# message queued', other: '# messages queued' })}, ${r.already.length} already sent.`,
            )}
            {r.withoutEmail.length > 0 && (
              <>
                <br />
                {say(view, 'Sans e-mail : ', 'Without an e-mail: ')}
                {names(r.withoutEmail)}
              </>
            )}
            {r.linkRevoked.length > 0 && (
              <>
                <br />
                {say(view, 'Lien révoqué (à renouveler) : ', 'Link revoked (renew it): ')}
                {names(r.linkRevoked)}
              </>
            )}
          </Notice>,
        )
      }),
    )
    .get('/evenements/:eventId/courriels/liens.csv', (c) =>
      withEvent(c, async (_view, token, event) => {
        const res = await api.fetch(new Request(new URL(`/api/events/${event.id}/participants/links.csv`, 'http://localhost'), { headers: { authorization: `Bearer ${token}` } }))
        return new Response(res.body, { status: res.status, headers: res.headers })
      }),
    )
    .get('/evenements/:eventId/participants/:registrationId/lien', (c) =>
      withEvent(c, async (view, token, event) => {
        const rid = c.req.param('registrationId')
        const who = await callApi<{ participant: { personName: string; organisation: { name: string } } }>(api, token, `/api/events/${event.id}/participants/${encodeURIComponent(rid)}`, { lang: view.lang })
        const result = await callApi<{ link: string; token: string }>(api, token, `/api/events/${event.id}/participants/${encodeURIComponent(rid)}/link`, { lang: view.lang })
        const name = who.ok ? `${who.data.participant.personName} (${who.data.participant.organisation.name})` : ''
        const link = result.ok ? new URL(result.data.link || `/p/${result.data.token}`, new URL(c.req.url).origin).toString() : null
        c.header('Cache-Control', 'no-store')
        return c.html(
          <Layout view={view} title={say(view, 'Lien personnel', 'Personal link')} area="organiser">
            <EventHeader view={view} event={event} current="participants" />
            {link ? (
              <Notice kind="ok">
                <p>{say(view, `Lien personnel de ${name}, toujours valable :`, `Personal link of ${name}, still valid:`)}</p>
                <p>
                  <a href={link} data-personal-link>
                    {link}
                  </a>
                </p>
              </Notice>
            ) : (
              <Notice kind="warn">{result.ok ? '' : result.message}</Notice>
            )}
            <p>
              <a href={eventPath(event.id)}>{say(view, 'Retour aux participants', 'Back to the participants')}</a>
            </p>
          </Layout>,
          result.ok || result.status === 409 ? 200 : result.status === 404 ? 404 : 500,
        )
      }),
    )
    .get('/p/:secret/agenda.ics', async (c) => {
      const res = await api.fetch(new Request(new URL('/api/me/agenda.ics', 'http://localhost'), { headers: { authorization: `Bearer ${c.req.param('secret')}` } }))
      if (!res.ok) return c.text(say(viewOf(c), "Pas encore d'agenda : le planning n'est pas publié.", 'No agenda yet: the schedule is not published.'), res.status === 401 ? 404 : 409)
      return new Response(res.body, { status: 200, headers: { ...Object.fromEntries(res.headers), 'referrer-policy': 'no-referrer' } })
    })
}
