/**
 * The printing tab: participant cards and table plates.
 */
import { Hono } from 'hono'
import { DataTable, eventPath, meetingsOf, namesOf, otherSide } from '../components.tsx'
import { type WebDeps } from '../context.ts'
import { formatDate } from '../i18n.ts'
import { Notice } from '../layout.tsx'
import { CardPrivacyLine } from '../privacy.tsx'
import { eventParticipants, publishedSchedule, scheduleMeetings } from '../queries.ts'
import { Page, withEvent } from './shared.tsx'

export function printPages(deps: WebDeps) {
  const { db, api } = deps

  return (
    new Hono()
      // ---- printing --------------------------------------------------------------------
      .get('/evenements/:eventId/impression', (c) =>
        withEvent(c, deps, async ({ view, event }) => {
          const { t } = view
          // ?grands=1: the participant cards in large print (RGAA, issue 12)
          const large = c.req.query('grands') === '1'
          const schedule = await publishedSchedule(db, event.id)
          const participants = await eventParticipants(db, event.id)
          const names = namesOf(participants)
          const meetings = schedule ? await scheduleMeetings(db, schedule.id) : []
          const seated = event.seated_side
          const tableCount = Math.max(event.tables ?? 0, ...meetings.map((m) => m.table_no), 0)
          const seatedAt = new Map<number, Set<string>>()
          for (const m of meetings) {
            const id = seated === 'company' ? m.company_registration_id : m.association_registration_id
            const set = seatedAt.get(m.table_no) ?? new Set<string>()
            set.add(id)
            seatedAt.set(m.table_no, set)
          }
          return c.html(
            <Page view={view} event={event} tab="print">
              <div class="no-print">
                <p>{t('print.help')}</p>
                <button type="button" data-print>
                  {t('print.button')}
                </button>
                <p>
                  {large ? (
                    <a href={eventPath(event.id, 'print')}>{t('print.normal')}</a>
                  ) : (
                    <a href={`${eventPath(event.id, 'print')}?grands=1`}>{t('print.large')}</a>
                  )}{' '}
                  <span class="muted">{t('print.large.help')}</span>
                </p>
                {!schedule && <Notice kind="warn">{t('room.noSchedule')}</Notice>}
              </div>
              <section aria-labelledby="cards-title">
                <h2 id="cards-title" class="no-print">
                  {t('print.cards')}
                </h2>
                {participants
                  .filter((p) => meetingsOf(meetings, p.id).length > 0)
                  .map((p) => (
                    <article class={large ? 'sheet card large' : 'sheet card'} data-card={p.id}>
                      <h2>{p.name}</h2>
                      <p>
                        {p.person} — {t(p.side === 'company' ? 'side.company' : 'side.association')} · {event.title}, {formatDate(view.lang, event.date)}
                      </p>
                      <DataTable wrap={false} columns={[t('rotation.round'), t('rotation.table'), t('participants.name'), t('rotation.code')]}>
                        {meetingsOf(meetings, p.id).map((m) => (
                          <tr>
                            <td>{m.round}</td>
                            <td>{m.table_no}</td>
                            <td>{names.get(otherSide(m, p.id)) ?? '?'}</td>
                            <td>
                              <strong>{m.short_code}</strong>
                            </td>
                          </tr>
                        ))}
                      </DataTable>
                      <p class="muted">{t('print.card.rate')}</p>
                      <CardPrivacyLine lang={view.lang} origin={new URL(c.req.url).origin} networkId={event.network_id} />
                    </article>
                  ))}
              </section>
              <section aria-labelledby="plates-title">
                <h2 id="plates-title" class="no-print">
                  {t('print.plates')}
                </h2>
                {Array.from({ length: tableCount }, (_, i) => i + 1).map((table) => (
                  <article class="sheet plate" data-plate={table}>
                    <p>{t('rotation.table')}</p>
                    <p class="number">{table}</p>
                    <p>
                      {t('print.plate.seated')} : {[...(seatedAt.get(table) ?? [])].map((id) => names.get(id) ?? '?').join(', ') || t('common.none')}
                    </p>
                    <p class="muted">{event.title}</p>
                  </article>
                ))}
              </section>
              <script src="/static/enhance.js" defer></script>
            </Page>,
          )
        }),
      )

  )


}
