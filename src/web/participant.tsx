/**
 * The participant's page, reached by the personal link `/p/<secret>`: no
 * account. Before the evening: profile and wishes; on the night: the schedule
 * with the current table highlighted; afterwards: one quick screen per meeting
 * to rate it, mutual matches with contacts, check-in questions.
 * Writes and the other side's data go through `/api/me/...` with the secret as token.
 * The page is in the participant's language (`PATCH /api/me`, the form on the
 * page; `?lang=` shows another for one visit) and follows publications,
 * re-plans and the room clock live (`/p/<secret>/flux`).
 */
import { createHash } from 'node:crypto'
import { Hono, type Context } from 'hono'
import type { OrganisationDto } from '../db/repositories/organisations.repository.ts'
import { roundByTimetable } from '../domain/evening-clock.ts'
import { isLocale, locales, participantLocale } from '../domain/locale.ts'
import { rangeLabel } from '../domain/time-labels.ts'
import { timetable } from '../domain/timetable.ts'
import { vocabularies, type VocabularyName } from '../domain/vocabularies.ts'
import { answerOf, apiClient, callApi, type ApiResult } from './api.ts'
import { Choices, InterestChoices, YesNo } from './components.tsx'
import { field, fields, viewOf, withQuery, type WebDeps } from './context.ts'
import { readForm } from '../http/body.ts'
import { formatDate, translator } from './i18n.ts'
import { liveStream, wantsEventStream } from './live-stream.ts'
import { Layout, Notice, type View } from './layout.tsx'
import { eventParticipants, eventWishes, participantOfSecret, partnersOf, publishedSchedule, roomState } from './queries.ts'
import { codes, label, partnershipKinds } from './vocabulary.ts'
import { PrivacyPanel } from './privacy.tsx'

type Me = NonNullable<Awaited<ReturnType<typeof participantOfSecret>>>

interface MyMeeting {
  id: string
  round: number
  table: number
  code: string
  side: 'association' | 'company'
  with: { organisation: string | null }
  rating: { tookPlace: boolean; interest: number | null; followUp: boolean | null; kinds: string[]; note: string | null } | null
  /** the meeting has started (timetable or room clock) and the participant is not marked absent */
  ratable: boolean
}

interface Match {
  meetingId: string
  round: number
  table: number
  other: { side: string; organisation: string; personName: string; email: string | null }
}

interface Checkin {
  id: string
  partnershipId: string
  milestone: string
  dueOn: string
  answeredAt: string | null
  evolution: string | null
  comment: string | null
  due?: boolean
  with?: string
}

/** `GET /api/me/profile`. */
interface MyProfile {
  organisation: OrganisationDto
  personName: string
  personEmail: string | null
  editable: boolean
}

/** The body of `PATCH /api/me/profile`, and what the profile form shows. */
interface ProfileValues {
  personName: string
  personEmail: string | null
  description: string | null
  themes: string[]
  territories: string[]
  offers: string[]
  needs: string[]
  town: string | null
  postcode: string | null
  contactName: string | null
  contactEmail: string | null
}

function profileValues(p: MyProfile): ProfileValues {
  const o = p.organisation
  return {
    personName: p.personName,
    personEmail: p.personEmail,
    description: o.description,
    themes: o.themes,
    territories: o.territories,
    offers: o.offers,
    needs: o.needs,
    town: o.town,
    postcode: o.postcode,
    contactName: o.contactName,
    contactEmail: o.contactEmail,
  }
}

function profileFromForm(form: Record<string, unknown>): ProfileValues {
  const optional = (name: string) => field(form, name) || null
  return {
    personName: field(form, 'personName'),
    personEmail: optional('personEmail'),
    description: optional('description'),
    themes: fields(form, 'themes'),
    territories: fields(form, 'territories'),
    offers: fields(form, 'offers'),
    needs: fields(form, 'needs'),
    town: optional('town'),
    postcode: optional('postcode'),
    contactName: optional('contactName'),
    contactEmail: optional('contactEmail'),
  }
}

const evolutions = ['no-contact', 'in-progress', 'agreement', 'carried-out', 'abandoned'] as const

/** The secret is in the URL: never sent on to another site, never cached. */
function personal(c: Context) {
  // The secret is in the URL: never send it on as a Referer to another site, never cache the page.
  // (same-origin, not no-referrer: under no-referrer the page's own form posts carry `Origin: null`)
  c.header('Referrer-Policy', 'same-origin')
  c.header('Cache-Control', 'no-store')
}

/** Runs `page` for the participant of the link's secret, or answers 404 (every /p/<secret> page goes through here). */
export async function withParticipant(
  c: Context,
  db: WebDeps['db'],
  page: (view: View, me: Me, secret: string) => Promise<Response>,
): Promise<Response> {
  personal(c)
  const secret = c.req.param('secret') ?? ''
  const me = await participantOfSecret(db, secret)
  if (!me) {
    const view = viewOf(c)
    return c.html(
      <Layout view={view} title={view.t('p.unknown')} area="participant">
        <h1>{view.t('p.unknown')}</h1>
      </Layout>,
      404,
    )
  }
  return page(await participantView(c, db, me.registrationId), me, secret)
}

/** The participant's language: `?lang=` for this visit, else the one it chose (French by default), not the browser's cookie. */
async function participantView(c: Context, db: WebDeps['db'], registrationId: string): Promise<View> {
  const asked = c.req.query('lang')
  const lang = isLocale(asked) ? asked : await participantLocale(db, registrationId)
  const url = new URL(c.req.url)
  return { lang, t: translator(lang), url: url.pathname + url.search }
}

/**
 * What a participant's page follows live: the round under way, the published
 * schedule (`stamp`) and a digest of its own programme (`programme`: rounds,
 * times, tables, codes and whom it meets), so the page knows when to show
 * « Votre programme a changé ».
 */
export interface ParticipantState {
  round: number | null
  stamp: string
  programme: string
}

export function participantPages(deps: WebDeps) {
  const { db, api, clock } = deps

  /** The round under way: the room screen's, or by the timetable when the room screen is not running. */
  async function currentRoundOf(me: Me): Promise<number | null> {
    const room = await roomState(db, me.eventId)
    if (room) return !room.on_break && room.round >= 1 && room.round <= me.rounds ? room.round : null
    return me.status === 'live' ? roundByTimetable(me, clock()) : null
  }

  const withMe = (c: Context, page: (view: View, me: Me, secret: string) => Promise<Response>) => withParticipant(c, db, page)

  async function stateOf(me: Me): Promise<ParticipantState> {
    const schedule = await publishedSchedule(db, me.eventId)
    const mine = schedule
      ? await db
          .selectFrom('meetings')
          .select(['round', 'table_no', 'short_code', 'association_registration_id', 'company_registration_id'])
          .where('schedule_id', '=', schedule.id)
          .where((eb) => eb.or([eb('association_registration_id', '=', me.registrationId), eb('company_registration_id', '=', me.registrationId)]))
          .orderBy('round')
          .execute()
      : []
    const slots = timetable(me)?.rounds ?? []
    const lines = mine.map((m) => [m.round, slots[m.round - 1]?.from ?? '', slots[m.round - 1]?.to ?? '', m.table_no, m.short_code, m.association_registration_id, m.company_registration_id])
    return {
      round: await currentRoundOf(me),
      stamp: schedule?.id ?? '',
      programme: createHash('sha256').update(JSON.stringify(lines)).digest('hex').slice(0, 16),
    }
  }

  async function myMeetings(secret: string): Promise<MyMeeting[]> {
    // data only: its messages are not shown
    const result = await answerOf(await apiClient(api, secret).api.me.meetings.$get())
    return result.ok ? result.data.meetings.slice().sort((a, b) => a.round - b.round) : []
  }

  return new Hono()
    .get('/p/:secret', (c) => withMe(c, (view, me, secret) => homePage(c, view, me, secret, null)))
    .get('/p/:secret/tour', (c) =>
      withMe(c, async (_view, me) => {
        // the current round, for the schedule's highlight to follow the evening
        return c.json({ round: await currentRoundOf(me) }, 200)
      }),
    )
    // live: server-sent events of the page's state; the same state as JSON for the polling fallback
    .get('/p/:secret/flux', (c) =>
      withMe(c, async (_view, me, secret) => {
        if (!wantsEventStream(c)) return c.json(await stateOf(me), 200)
        return liveStream(c, db, me.eventId, async () => {
          // the participant as now (the event may have gone live); a link revoked meanwhile ends the stream
          const now = await participantOfSecret(db, secret)
          return now ? [{ event: 'state', data: await stateOf(now) }] : null
        })
      }),
    )
    .post('/p/:secret/langue', (c) =>
      withMe(c, async (view, me, secret) => {
        const form = await readForm(c)
        const result = await callApi(api, secret, '/api/me', { method: 'PATCH', body: { locale: field(form, 'locale') } })
        if (result.ok) return c.redirect(withQuery(`/p/${secret}`, { saved: 'locale' }), 303)
        return homePage(c, view, me, secret, result)
      }),
    )
    .post('/p/:secret/voeux', (c) =>
      withMe(c, async (view, me, secret) => {
        const form = await readForm(c, { all: true })
        const levels = ['must', 'like', 'avoid'] as const
        const wishes = fields(form, 'to').flatMap((to) => {
          const level = levels.find((l) => l === field(form, `level-${to}`))
          return level ? [{ to, level }] : []
        })
        const result = await answerOf(await apiClient(api, secret, view.lang).api.me.wishes.$put({ json: { wishes } }))
        if (result.ok) return c.redirect(withQuery(`/p/${secret}`, { saved: 'wishes' }) + '#voeux', 303)
        return homePage(c, view, me, secret, result)
      }),
    )
    .post('/p/:secret/profil', (c) =>
      withMe(c, async (view, me, secret) => {
        const draft = profileFromForm(await readForm(c, { all: true }))
        const result = await callApi(api, secret, '/api/me/profile', { method: 'PATCH', body: draft, lang: view.lang })
        if (result.ok) return c.redirect(withQuery(`/p/${secret}`, { saved: 'profile' }) + '#profil', 303)
        return homePage(c, view, me, secret, result, draft)
      }),
    )
    .post('/p/:secret/suivis/:checkinId', (c) =>
      withMe(c, async (view, me, secret) => {
        const form = await readForm(c)
        const comment = field(form, 'comment')
        const result = await callApi(api, secret, `/api/me/checkins/${encodeURIComponent(c.req.param('checkinId'))}`, {
          method: 'POST',
          body: { evolution: field(form, 'evolution'), comment: comment === '' ? null : comment },
          lang: view.lang,
        })
        if (result.ok) return c.redirect(withQuery(`/p/${secret}`, { saved: 'checkin' }) + '#suivis', 303)
        return homePage(c, view, me, secret, result)
      }),
    )
    .get('/p/:secret/rencontres/:meetingId', (c) =>
      withMe(c, async (view, me, secret) => {
        const meetings = await myMeetings(secret)
        return ratingPage(c, view, me, secret, meetings, c.req.param('meetingId'), null)
      }),
    )
    .post('/p/:secret/rencontres/:meetingId', (c) =>
      withMe(c, async (view, me, secret) => {
        const meetingId = c.req.param('meetingId')
        const form = await readForm(c, { all: true })
        const tookPlace = field(form, 'tookPlace') !== 'no'
        const note = field(form, 'note')
        const interest = Number(field(form, 'interest'))
        const followUp = field(form, 'followUp')
        const body = tookPlace
          ? {
              tookPlace: true,
              interest: Number.isInteger(interest) && interest >= 1 ? interest : null,
              followUp: followUp === 'yes' ? true : followUp === 'no' ? false : null,
              kinds: fields(form, 'kinds'),
              note: note === '' ? null : note,
            }
          : { tookPlace: false, note: note === '' ? null : note }
        const result = await callApi(api, secret, `/api/me/meetings/${encodeURIComponent(meetingId)}/rating`, { method: 'PUT', body, lang: view.lang })
        const meetings = await myMeetings(secret)
        if (!result.ok) return ratingPage(c, view, me, secret, meetings, meetingId, result)
        // Straight on to the next meeting not yet rated: rating takes seconds.
        const index = meetings.findIndex((m) => m.id === meetingId)
        const next = [...meetings.slice(index + 1), ...meetings.slice(0, Math.max(index, 0))].find((m) => !m.rating)
        if (next) return c.redirect(withQuery(`/p/${secret}/rencontres/${next.id}`, { saved: 1 }), 303)
        return c.redirect(withQuery(`/p/${secret}`, { saved: 'rating' }) + '#noter', 303)
      }),
    )

  async function homePage(
    c: Context,
    view: View,
    me: Me,
    secret: string,
    failure: Extract<ApiResult<unknown>, { ok: false }> | null,
    draft: ProfileValues | null = null,
  ) {
    const { t, lang } = view
    const saved = c.req.query('saved')
    const meetings = await myMeetings(secret)
    const slots = timetable(me)?.rounds ?? []
    const profile = await callApi<{ profile: MyProfile }>(api, secret, '/api/me/profile', { lang: view.lang })
    const matches = await callApi<{ matches: Match[] }>(api, secret, '/api/me/matches', { lang: view.lang })
    const checkins = await callApi<{ checkins: Checkin[] }>(api, secret, '/api/me/checkins', { lang: view.lang })
    const room = await roomState(db, me.eventId)
    const currentRound = await currentRoundOf(me)
    const before = meetings.length === 0 || me.status === 'draft' || me.status === 'open'
    // Rating opens with the evening: during it (a participant may rate between rounds) and after.
    const after = me.status === 'live' || me.status === 'closed' || (room !== null && room.round > 0) || meetings.some((m) => m.rating)
    const side = me.side === 'company' ? t('side.company') : t('side.association')
    const base = `/p/${secret}`
    const partners = await partnersOf(db, me.registrationId)
    const live = await stateOf(me)
    const locale = await participantLocale(db, me.registrationId)
    // the page the script refetches after a change: this one, in the language shown
    const pageUrl = withQuery(base, isLocale(c.req.query('lang')) ? { lang } : {})
    const pendingCheckins = (checkins.ok ? checkins.data.checkins.filter((k) => !k.answeredAt && k.due !== false) : []).map((k) => ({
      ...k,
      with: partners.get(k.partnershipId) ?? '',
    }))
    return c.html(
      <Layout view={view} title={me.title} area="participant">
        <h1>{t('p.hello', { name: me.person })}</h1>
        <p class="lead">
          {t('p.org', { org: me.name, side })}
          <br />
          {t('p.event', { title: me.title, date: formatDate(lang, me.date), venue: me.venue ? ` — ${me.venue}` : '' })}
        </p>
        {failure && <FailureNotice view={view} failure={failure} />}
        {saved === 'wishes' && <Notice kind="ok">{t('p.wishes.saved')}</Notice>}
        {saved === 'profile' && <Notice kind="ok">{t('p.profile.saved')}</Notice>}
        {saved === 'rating' && <Notice kind="ok">{t('p.rate.saved')}</Notice>}
        {saved === 'checkin' && <Notice kind="ok">{t('p.checkins.saved')}</Notice>}
        {saved === 'locale' && <Notice kind="ok">{t('p.locale.saved')}</Notice>}
        {/* « Votre programme a changé », put in by participant.js when a publication changes this programme */}
        <div
          role="status"
          data-live-banner
          data-stream-url={`${base}/flux`}
          data-page-url={pageUrl}
          data-stamp={live.stamp}
          data-programme={live.programme}
          data-changed={t('p.schedule.changed')}
        ></div>
        <PrivacyPanel db={db} view={view} registrationId={me.registrationId} secret={secret} place="top" />

        <div data-live="programme">
        {meetings.length > 0 && (
          <section id="programme" aria-labelledby="programme-title">
            <h2 id="programme-title">{t('p.schedule')}</h2>
            <ol class="meeting-list" data-schedule data-round-url={`${base}/tour`} data-now={t('p.schedule.now')}>
              {meetings.map((m) => (
                <li
                  data-round={String(m.round)}
                  class={m.round === currentRound ? 'current' : undefined}
                  aria-current={m.round === currentRound ? 'true' : undefined}
                >
                  <span>
                    <strong>
                      {slots[m.round - 1]
                        ? `${rangeLabel(lang, slots[m.round - 1]!.from, slots[m.round - 1]!.to)}, ${t('rotation.table').toLowerCase()} ${m.table} · ${t('rotation.round').toLowerCase()} ${m.round}`
                        : `${t('rotation.table')} ${m.table} · ${t('rotation.round')} ${m.round}`}
                    </strong>
                    {m.round === currentRound && <span class="badge ok"> {t('p.schedule.now')}</span>}
                    <br />
                    {t('p.schedule.with', { name: m.with.organisation ?? '?' })}
                  </span>
                  <span class="muted">
                    {t('rotation.code')} {m.code}
                  </span>
                </li>
              ))}
            </ol>
            <p>
              <a href={`${base}/agenda.ics`}>{t('p.schedule.ics')}</a>
            </p>
          </section>
        )}
        {meetings.length === 0 && <p>{t('p.schedule.none')}</p>}
        </div>

        <div data-live="rate">
        {meetings.length > 0 && after && (
          <section id="noter" aria-labelledby="rate-title">
            <h2 id="rate-title">{t('p.rate')}</h2>
            <p class="muted">{t('p.rate.help')}</p>
            <ul class="meeting-list" data-rate-list>
              {meetings.map((m) => (
                <li>
                  <span>
                    {t('rotation.round')} {m.round} — {m.with.organisation ?? '?'}{' '}
                    <span class={`badge ${m.rating ? 'ok' : ''}`}>{m.rating ? t('p.rate.done') : t('p.rate.todo')}</span>
                  </span>
                  {m.ratable || m.rating ? (
                    <a class="button" href={`${base}/rencontres/${m.id}`}>
                      {m.rating ? t('p.rate.edit') : t('p.rate.action')}
                    </a>
                  ) : (
                    <span class="muted" data-not-yet>
                      {t('p.rate.notYet')}
                    </span>
                  )}
                </li>
              ))}
            </ul>
          </section>
        )}
        </div>

        {after && (
          <section id="contacts" aria-labelledby="matches-title">
            <h2 id="matches-title">{t('p.matches')}</h2>
            {matches.ok && matches.data.matches.length > 0 ? (
              <ul class="cards-list" data-matches>
                {matches.data.matches.map((m) => (
                  <li>
                    <strong>{m.other.organisation}</strong>
                    <br />
                    {t('p.matches.contact', { name: m.other.personName })}
                    {m.other.email && (
                      <>
                        <br />
                        <a href={`mailto:${m.other.email}`}>{m.other.email}</a>
                      </>
                    )}
                  </li>
                ))}
              </ul>
            ) : (
              <p>{t('p.matches.none')}</p>
            )}
          </section>
        )}

        {pendingCheckins.length > 0 && (
          <section id="suivis" aria-labelledby="checkins-title">
            <h2 id="checkins-title">{t('p.checkins')}</h2>
            {pendingCheckins.map((k) => (
              <form method="post" action={`${base}/suivis/${k.id}`} class="sheet">
                <Choices
                  name="evolution"
                  legend={t('p.checkins.status', { name: k.with })}
                  options={evolutions.map((e) => ({ value: e, label: t(`evolution.${e}`) }))}
                  required
                />
                <label for={`comment-${k.id}`}>{t('p.checkins.note')}</label>
                <textarea id={`comment-${k.id}`} name="comment" rows={2}></textarea>
                <p>
                  <button type="submit">{t('p.checkins.save')}</button>
                </p>
              </form>
            ))}
          </section>
        )}

        <script src="/static/participant.js" defer></script>
        <section id="profil" aria-labelledby="profile-title">
          <h2 id="profile-title">{t('p.profile')}</h2>
          <dl>
            <dt>{t('p.themes')}</dt>
            <dd>{codes(me.themes).map((c) => label(lang, c)).join(', ') || t('common.none')}</dd>
            <dt>{t('p.offers')}</dt>
            <dd>{codes(me.offers).map((c) => label(lang, c)).join(', ') || t('common.none')}</dd>
            <dt>{t('p.needs')}</dt>
            <dd>{codes(me.needs).map((c) => label(lang, c)).join(', ') || t('common.none')}</dd>
          </dl>
          {profile.ok && profile.data.profile.editable && (
            <ProfileForm
              view={view}
              action={`${base}/profil`}
              values={draft ?? profileValues(profile.data.profile)}
              invalid={new Set(draft && failure ? failure.issues.map((i) => (i.path ?? '').split('.')[0] ?? '') : [])}
            />
          )}
        </section>

        {before && <WishesForm view={view} me={me} base={base} wishes={await wishesOf(me)} by={await wishesOf(me, 'set_by')} others={await othersOf(me)} />}
        <LocaleForm view={view} action={`${base}/langue`} locale={locale} />
        <PrivacyPanel db={db} view={view} registrationId={me.registrationId} secret={secret} place="bottom" />
      </Layout>,
      failure ? 422 : 200,
    )
  }

  async function othersOf(me: Me) {
    return (await eventParticipants(db, me.eventId)).filter((p) => p.side !== me.side)
  }

  /** The participant's own wishes (never the other side's): level, or who set it (`set_by`). */
  async function wishesOf(me: Me, column: 'level' | 'set_by' = 'level'): Promise<Map<string, string>> {
    const rows = await eventWishes(db, me.eventId)
    return new Map(rows.filter((w) => w.from_registration_id === me.registrationId).map((w) => [w.to_registration_id, w[column]]))
  }

  async function ratingPage(
    c: Context,
    view: View,
    me: Me,
    secret: string,
    meetings: MyMeeting[],
    meetingId: string,
    failure: Extract<ApiResult<unknown>, { ok: false }> | null,
  ) {
    const { t, lang } = view
    const base = `/p/${secret}`
    const index = meetings.findIndex((m) => m.id === meetingId)
    const meeting = meetings[index]
    if (!meeting) {
      return c.html(
        <Layout view={view} title={t('error.notFound')} area="participant">
          <h1>{t('error.notFound')}</h1>
          <p>
            <a href={base}>{t('p.rate.back')}</a>
          </p>
        </Layout>,
        404,
      )
    }
    const r = meeting.rating
    const kinds = new Set(r?.kinds ?? [])
    return c.html(
      <Layout view={view} title={`${t('p.rate')} — ${meeting.with.organisation ?? ''}`} area="participant">
        <p class="muted">{t('p.rate.progress', { index: index + 1, count: meetings.length })}</p>
        <h1>{meeting.with.organisation ?? '?'}</h1>
        <p class="lead">
          {t('rotation.round')} {meeting.round} · {t('rotation.table')} {meeting.table} · {t('rotation.code')} {meeting.code}
        </p>
        {c.req.query('saved') && <Notice kind="ok">{t('p.rate.saved')}</Notice>}
        {failure && <FailureNotice view={view} failure={failure} />}
        <form method="post" action={`${base}/rencontres/${meeting.id}`} data-rating-form>
          <YesNo view={view} name="tookPlace" legend={t('p.rate.tookPlace')} value={r ? r.tookPlace : true} />
          <div data-when-held>
            <InterestChoices view={view} value={r?.interest ?? null} />
            <YesNo view={view} name="followUp" legend={t('p.rate.followUp')} value={r?.followUp ?? null} />
            <details class="kinds" open={kinds.size > 0}>
              <summary>{t('p.rate.kinds')}</summary>
              {partnershipKinds(lang).map((family) => (
                <fieldset>
                  <legend>{family.label}</legend>
                  {family.kinds.map((k) => (
                    <label>
                      <input type="checkbox" name="kinds" value={k.code} checked={kinds.has(k.code)} />
                      {k.label}
                    </label>
                  ))}
                </fieldset>
              ))}
            </details>
          </div>
          <label for="note">{t('p.rate.note')}</label>
          <textarea id="note" name="note" rows={2}>
            {r?.note ?? ''}
          </textarea>
          <p>
            <button type="submit" class="big">
              {t('p.rate.save')}
            </button>
          </p>
        </form>
        <p>
          <a href={`${base}#noter`}>{t('p.rate.back')}</a>
        </p>
        <script src="/static/rate.js" defer></script>
      </Layout>,
      failure ? 422 : 200,
    )
  }
}

/** What the API refused, with each issue's field. */
const FailureNotice = ({ view, failure }: { view: View; failure: Extract<ApiResult<unknown>, { ok: false }> }) => (
  <Notice kind="bad">
    {view.t('error.api', { message: failure.message })}
    {failure.issues.length > 0 && (
      <ul>
        {failure.issues.map((i) => (
          <li>{`${i.path ?? ''} ${i.message}`}</li>
        ))}
      </ul>
    )}
  </Notice>
)

const WishesForm = ({
  view,
  me,
  base,
  wishes,
  by,
  others,
}: {
  view: View
  me: Me
  base: string
  wishes: Map<string, string>
  by: Map<string, string>
  others: Awaited<ReturnType<typeof eventParticipants>>
}) => {
  const { t, lang } = view
  return (
    <section id="voeux" aria-labelledby="wishes-title">
      <h2 id="wishes-title">{t('p.wishes')}</h2>
      <p class="muted">{t('p.wishes.help')}</p>
      <form method="post" action={`${base}/voeux`}>
        <ul class="cards-list">
          {others.map((o) => (
            <li>
              <input type="hidden" name="to" value={o.id} />
              <label for={`wish-${o.id}`}>{o.name}</label>
              <p class="muted u-mb-xs">
                {codes(o.themes)
                  .slice(0, 3)
                  .map((c) => label(lang, c))
                  .join(', ')}
              </p>
              <select id={`wish-${o.id}`} name={`level-${o.id}`} aria-describedby={by.has(o.id) ? `wish-by-${o.id}` : undefined}>
                <option value="">{t('wish.none')}</option>
                {(['must', 'like', 'avoid'] as const).map((level) => (
                  <option value={level} selected={wishes.get(o.id) === level}>
                    {t(`wish.${level}`)}
                  </option>
                ))}
              </select>
              {by.has(o.id) && <span class="wish-by muted" id={`wish-by-${o.id}`}>{t(by.get(o.id) === 'organiser' ? 'p.wish.byOrganiser' : 'p.wish.byYou')}</span>}
            </li>
          ))}
        </ul>
        <p>
          <button type="submit">{t('p.wishes.save')}</button>
        </p>
      </form>
      <p class="visually-hidden">{me.name}</p>
    </section>
  )
}

const checkGroups: { name: keyof ProfileValues & ('themes' | 'territories' | 'offers' | 'needs'); vocabulary: VocabularyName; legend: 'p.themes' | 'p.territories' | 'p.offers' | 'p.needs' }[] = [
  { name: 'themes', vocabulary: 'themes', legend: 'p.themes' },
  { name: 'territories', vocabulary: 'territories', legend: 'p.territories' },
  { name: 'offers', vocabulary: 'resources', legend: 'p.offers' },
  { name: 'needs', vocabulary: 'resources', legend: 'p.needs' },
]

/**
 * The participant's own profile, before the evening: the organisation's
 * description, themes, territories, offers and needs (checkboxes with the
 * vocabularies' labels), town, contact, and the person's name and email.
 * Open when it has just failed, so the reasons sit next to the fields.
 */
const ProfileForm = ({ view, action, values, invalid }: { view: View; action: string; values: ProfileValues; invalid: Set<string> }) => {
  const { t, lang } = view
  const bad = (name: string) => (invalid.has(name) ? 'true' : undefined)
  const text = (name: 'personName' | 'personEmail' | 'town' | 'postcode' | 'contactName' | 'contactEmail', key: Parameters<typeof t>[0], extra: Record<string, string | number | boolean> = {}) => (
    <>
      <label for={`profile-${name}`}>{t(key)}</label>
      <input id={`profile-${name}`} name={name} value={values[name] ?? ''} aria-invalid={bad(name)} {...extra} />
    </>
  )
  return (
    <details class="profile-edit" open={invalid.size > 0}>
      <summary>{t('p.profile.edit')}</summary>
      <p class="muted">{t('p.profile.help')}</p>
      <form method="post" action={action} data-profile-form>
        {text('personName', 'p.profile.person', { type: 'text', required: true, maxlength: 200, autocomplete: 'name' })}
        {text('personEmail', 'p.profile.personEmail', { type: 'email', maxlength: 200, autocomplete: 'email' })}
        <label for="profile-description">{t('p.profile.description')}</label>
        <textarea id="profile-description" name="description" rows={4} maxlength={2000} aria-invalid={bad('description')}>
          {values.description ?? ''}
        </textarea>
        <div class="checks">
          {checkGroups.map((group) => {
            const chosen = new Set(values[group.name])
            return (
              <fieldset aria-invalid={bad(group.name)}>
                <legend>{t(group.legend)}</legend>
                {vocabularies[group.vocabulary].map((term) => (
                  <label>
                    <input type="checkbox" name={group.name} value={term.code} checked={chosen.has(term.code)} />
                    {term[lang]}
                  </label>
                ))}
              </fieldset>
            )
          })}
        </div>
        {text('town', 'p.profile.town', { type: 'text', maxlength: 100, autocomplete: 'address-level2' })}
        {text('postcode', 'p.profile.postcode', { type: 'text', inputmode: 'numeric', pattern: '[0-9]{5}', maxlength: 5, autocomplete: 'postal-code' })}
        {text('contactName', 'p.profile.contactName', { type: 'text', maxlength: 200 })}
        {text('contactEmail', 'p.profile.contactEmail', { type: 'email', maxlength: 200 })}
        <p class="muted">{t('p.profile.fixed')}</p>
        <p>
          <button type="submit">{t('p.profile.save')}</button>
        </p>
      </form>
    </details>
  )
}

const localeNames = { fr: 'Français', en: 'English' } as const

/** The participant's language, for its page and its e-mails: each language named in itself. */
const LocaleForm = ({ view, action, locale }: { view: View; action: string; locale: 'fr' | 'en' }) => (
  <section id="langue" aria-label={view.t('p.locale')}>
    <form method="post" action={action} data-locale-form>
      <Choices
        name="locale"
        legend={view.t('p.locale')}
        options={locales.map((l) => ({ value: l, label: <bdi lang={l}>{localeNames[l]}</bdi> }))}
        checked={locale}
        required
      />
      <p>
        <button type="submit">{view.t('p.locale.save')}</button>
      </p>
    </form>
  </section>
)
