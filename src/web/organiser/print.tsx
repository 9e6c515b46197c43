/**
 * The printing tab: participant cards (four to an A4 sheet, with clock times
 * and the QR code of the personal link), table plates that fold into tent
 * cards, and paper rating slips; the same sheets as a PDF made by Chromium
 * (src/web/pdf.ts). The sheets themselves are in print-sheets.tsx.
 */
import { Hono, type Context } from 'hono'
import { callApi } from '../api.ts'
import { eventPath, meetingsOf, namesOf } from '../components.tsx'
import { type WebDeps } from '../context.ts'
import type { Event } from '../../db/schema.ts'
import { Notice, type View } from '../layout.tsx'
import { PdfUnavailable, renderPdf } from '../pdf.ts'
import { eventParticipants, publishedSchedule, scheduleMeetings } from '../queries.ts'
import { defaultParts, pageCounts, PrintSheets, printParts, partsOf, type PrintData, type PrintPart } from './print-sheets.tsx'
import { Page, withEvent, type Organiser } from './shared.tsx'

const say = (view: View, fr: string, en: string) => (view.lang === 'fr' ? fr : en)

const partLabels: Record<PrintPart, [string, string]> = {
  cards: ['Cartes des participants (quatre par feuille A4, au format A6)', 'Participant cards (four to an A4 sheet, A6 size)'],
  plates: ['Chevalets de table (une feuille par table, à plier en deux)', 'Table plates (one sheet per table, folded in two)'],
  slips: ['Bulletins de notation (deux par feuille)', 'Rating slips (two to a sheet)'],
}
const fileParts: Record<PrintPart, string> = { cards: 'cartes', plates: 'chevalets', slips: 'bulletins' }

/** The query of a print address: large print, the parts when not the default ones. */
function printQuery(parts: PrintPart[], large: boolean): string {
  const q = new URLSearchParams()
  if (large) q.set('grands', '1')
  if (parts.join(',') !== defaultParts(large).join(',')) q.set('parts', parts.join(','))
  const s = q.toString()
  return s ? `?${s}` : ''
}

export function printPages(deps: WebDeps) {
  const { db, api } = deps

  /** Everything the sheets need, personal links included (read again through the API, never renewed here). */
  async function printData(c: Context, view: View, organiser: Organiser, event: Event): Promise<PrintData & { hasSchedule: boolean }> {
    const large = c.req.query('grands') === '1'
    const parts = partsOf(c.req.queries('parts') ?? [], large)
    const schedule = await publishedSchedule(db, event.id)
    const all = await eventParticipants(db, event.id)
    const meetings = schedule ? await scheduleMeetings(db, schedule.id) : []
    const participants = all.filter((p) => meetingsOf(meetings, p.id).length > 0)
    const names = namesOf(all)
    const origin = new URL(c.req.url).origin
    const links = new Map<string, string | null>()
    if (parts.includes('cards')) {
      for (const p of participants) {
        const result = await callApi<{ token: string; link: string }>(api, organiser.token, `/api/events/${event.id}/participants/${encodeURIComponent(p.id)}/link`)
        links.set(p.id, result.ok ? new URL(result.data.link || `/p/${result.data.token}`, origin).toString() : null)
      }
    }
    const tableCount = Math.max(event.tables ?? 0, ...meetings.map((m) => m.table_no), 0)
    const seatedIds = new Map<number, Set<string>>()
    for (const m of meetings) {
      const id = event.seated_side === 'company' ? m.company_registration_id : m.association_registration_id
      const set = seatedIds.get(m.table_no) ?? new Set<string>()
      set.add(id)
      seatedIds.set(m.table_no, set)
    }
    const seatedAt = new Map([...seatedIds].map(([table, ids]) => [table, [...ids].map((id) => names.get(id) ?? '?')]))
    return { lang: view.lang, event, origin, large, parts, participants, meetings, names, links, tableCount, seatedAt, hasSchedule: schedule !== null }
  }

  /** The page (standards mode: the print layout relies on it). */
  async function html(element: unknown): Promise<string> {
    const text = await String(await (element as { toString(): string | Promise<string> }).toString())
    return text.startsWith('<!DOCTYPE html>') ? text : `<!DOCTYPE html>${text}`
  }

  return (
    new Hono()
      // ---- printing --------------------------------------------------------------------
      .get('/evenements/:eventId/impression', (c) =>
        withEvent(c, deps, async ({ view, organiser, event }) => {
          const data = await printData(c, view, organiser, event)
          const base = eventPath(event.id, 'print')
          const query = printQuery(data.parts, data.large)
          const missing = data.participants.filter((p) => data.links.get(p.id) === null).length
          const renewed = c.req.query('liens')
          const pages = pageCounts(data)
          const total = data.parts.reduce((n, part) => n + pages[part], 0)
          return c.html(
            await html(
              <Page view={view} event={event} tab="print">
                <div class="no-print print-controls">
                  <p>
                    {say(
                      view,
                      'Cartes, chevalets et bulletins, au format A4 : imprimez avec la commande Imprimer du navigateur (sans marges ni en-têtes), ou téléchargez le PDF.',
                      'Cards, plates and slips on A4: print with the browser’s Print command (no margins, no headers), or download the PDF.',
                    )}
                  </p>
                  {!data.hasSchedule && <Notice kind="warn">{view.t('room.noSchedule')}</Notice>}
                  {renewed && <Notice kind="ok">{say(view, `Liens personnels donnés : ${renewed}.`, `Personal links issued: ${renewed}.`)}</Notice>}
                  {missing > 0 && (
                    <Notice kind="warn">
                      <p>
                        {say(
                          view,
                          `${missing} participant${missing > 1 ? 's n’ont' : ' n’a'} pas de lien personnel qui puisse être redonné (inscrit${missing > 1 ? 's' : ''} avant les liens dérivés, ou lien révoqué) : ${missing > 1 ? 'leurs cartes sont imprimées' : 'sa carte est imprimée'} sans QR code.`,
                          `${missing} participant${missing > 1 ? 's have' : ' has'} no personal link that can be given again (registered before derived links, or revoked): ${missing > 1 ? 'their cards print' : 'the card prints'} without a QR code.`,
                        )}
                      </p>
                      <form method="post" action={`${base}/liens${query}`}>
                        <button type="submit" class="secondary">
                          {say(view, `Donner un nouveau lien à ${missing > 1 ? `ces ${missing} participants` : 'ce participant'}`, `Issue a new link to ${missing > 1 ? `these ${missing} participants` : 'this participant'}`)}
                        </button>
                      </form>
                    </Notice>
                  )}
                  <form method="get" action={base} class="print-choice">
                    <fieldset>
                      <legend>{say(view, 'À imprimer', 'To print')}</legend>
                      {printParts.map((part) => (
                        <label class="confirm">
                          <input type="checkbox" name="parts" value={part} checked={data.parts.includes(part)} />
                          <span>{say(view, ...partLabels[part])}</span>
                        </label>
                      ))}
                    </fieldset>
                    {data.large && <input type="hidden" name="grands" value="1" />}
                    <button type="submit" class="secondary">
                      {say(view, 'Afficher', 'Show')}
                    </button>
                  </form>
                  <p>
                    <button type="button" data-print>
                      {view.t('print.button')}
                    </button>{' '}
                    <a href={`${base}.pdf${query}`} download>
                      {say(view, `Télécharger le PDF (${total} page${total > 1 ? 's' : ''} A4)`, `Download the PDF (${total} A4 page${total > 1 ? 's' : ''})`)}
                    </a>
                  </p>
                  <p>
                    {data.large ? (
                      <a href={`${base}${printQuery(data.parts.join(',') === defaultParts(true).join(',') ? defaultParts(false) : data.parts, false)}`}>{view.t('print.normal')}</a>
                    ) : (
                      <a href={`${base}${printQuery(data.parts.join(',') === defaultParts(false).join(',') ? defaultParts(true) : data.parts, true)}`}>{view.t('print.large')}</a>
                    )}{' '}
                    <span class="muted">
                      {say(
                        view,
                        'Cartes des participants en grands caractères (une fois et demie la taille), une par page ; cochez les chevalets et les bulletins pour les joindre.',
                        'Participant cards in large print (one and a half times the size), one per page; tick the plates and slips to add them.',
                      )}
                    </span>
                  </p>
                </div>
                <PrintSheets data={data} />
                <script src="/static/enhance.js" defer></script>
              </Page>,
            ),
          )
        }),
      )
      .get('/evenements/:eventId/impression.pdf', (c) =>
        withEvent(c, deps, async ({ view, organiser, event }) => {
          const data = await printData(c, view, organiser, event)
          const origin = new URL(c.req.url).origin
          const document = await html(
            <Page view={view} event={event} tab="print">
              <PrintSheets data={data} />
            </Page>,
          )
          try {
            const pdf = await renderPdf({
              url: `${origin}${eventPath(event.id, 'print')}`,
              html: document,
              asset: (url) => Promise.resolve(api.fetch(new Request(new URL(url.pathname, 'http://localhost')))),
            })
            const name = `${data.parts.map((p) => fileParts[p]).join('-')}-${event.date}.pdf`
            return c.body(pdf as Uint8Array<ArrayBuffer>, 200, {
              'content-type': 'application/pdf',
              'content-disposition': `attachment; filename="${name}"`,
              'cache-control': 'no-store',
            })
          } catch (err) {
            if (!(err instanceof PdfUnavailable)) throw err
            return c.text(`${err.message}. ${say(view, 'Imprimez depuis la page Impression.', 'Print from the Printing page.')}`, 503, { 'retry-after': '60' })
          }
        }),
      )
      // the participants whose link cannot be given again get a new one (their old one, if any was handed out, stops working)
      .post('/evenements/:eventId/impression/liens', (c) =>
        withEvent(c, deps, async ({ organiser, event }) => {
          const participants = await eventParticipants(db, event.id)
          let issued = 0
          for (const p of participants) {
            const path = `/api/events/${event.id}/participants/${encodeURIComponent(p.id)}/link`
            const current = await callApi(api, organiser.token, path)
            if (current.ok || current.status !== 409) continue
            const renewed = await callApi(api, organiser.token, path, { method: 'POST' })
            if (renewed.ok) issued++
          }
          const back = new URL(c.req.url)
          back.pathname = eventPath(event.id, 'print')
          back.searchParams.set('liens', String(issued))
          return c.redirect(back.pathname + back.search, 303)
        }),
      )
  )
}
