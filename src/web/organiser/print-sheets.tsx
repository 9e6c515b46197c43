/**
 * What prints on A4 (the print page and its PDF): participant cards four to a
 * sheet (A6, 2 x 2; one to a page in large print), table plates that fold into
 * tent cards (one sheet per table, folded across the middle: each half is an
 * A5 face, the top one upside down so that the number stands upright on both
 * sides), and a rating slip per participant (two to a sheet, one when a
 * programme is too long for half a page). Each printed page is one
 * `.print-page` block of the page's size: nothing is split across pages.
 * On screen the same blocks show as a preview that fits a phone.
 */
import { raw } from 'hono/html'
import QRCode from 'qrcode'
import type { Event, Meeting } from '../../db/schema.ts'
import { longDate, timetable, type Slot, type Timetable } from '../../domain/timetable.ts'
import type { Lang } from '../i18n.ts'
import { CardPrivacyLine } from '../privacy.tsx'
import type { ParticipantRow } from '../queries.ts'

export type PrintPart = 'cards' | 'plates' | 'slips'
export const printParts: PrintPart[] = ['cards', 'plates', 'slips']

/** What prints when no part is named: everything; with large print (which changes only the cards), the cards. */
export function defaultParts(large: boolean): PrintPart[] {
  return large ? ['cards'] : printParts
}

/** `?parts=cards,slips` (or repeated `parts`): the parts asked for, the default ones when none is named. */
export function partsOf(values: string[], large = false): PrintPart[] {
  const asked = new Set(values.flatMap((v) => v.split(',')).map((v) => v.trim()))
  const parts = printParts.filter((p) => asked.has(p))
  return parts.length > 0 ? parts : defaultParts(large)
}

/** A slip fits half a page up to this many meetings; longer ones take a page. */
export const SLIP_ROWS_PER_HALF = 12
/** A card's programme (meetings, free rounds and breaks) fits an A6 card in normal type up to this many lines; beyond, denser type. */
const CARD_LINES = 14

const words = {
  fr: {
    time: 'Heure',
    round: 'Tour',
    table: 'Table',
    with: 'Avec',
    code: 'Code',
    break: 'Pause',
    free: 'pas de rencontre dans ce tour',
    link: 'Votre lien personnel',
    noLink: 'Lien personnel : à demander à l’accueil',
    qr: 'QR code de votre lien personnel',
    rate: 'Après la soirée, notez chaque rencontre avec votre lien personnel ou sur le bulletin papier, à l’aide du code.',
    seated: 'Assis à cette table',
    fold: 'Plier ici',
    slip: 'Bulletin de notation',
    slipBy: 'Rempli par',
    slipHelp:
      'Pour chaque rencontre, cochez si elle a eu lieu, votre intérêt de 1 (faible) à 5 (fort) et si vous souhaitez une suite. Vos coordonnées ne sont transmises que si les deux côtés souhaitent une suite. Remettez ce bulletin à l’accueil.',
    tookPlace: 'A eu lieu',
    interest: 'Intérêt',
    followUp: 'Suite',
    yes: 'oui',
    no: 'non',
  },
  en: {
    time: 'Time',
    round: 'Round',
    table: 'Table',
    with: 'With',
    code: 'Code',
    break: 'Break',
    free: 'no meeting in this round',
    link: 'Your personal link',
    noLink: 'Personal link: ask at the desk',
    qr: 'QR code of your personal link',
    rate: 'After the evening, rate each meeting with your personal link or on the paper slip, using the code.',
    seated: 'Seated at this table',
    fold: 'Fold here',
    slip: 'Rating slip',
    slipBy: 'Filled in by',
    slipHelp:
      'For each meeting, tick whether it took place, your interest from 1 (low) to 5 (high) and whether you want a follow-up. Your contact details are only shared when both sides want a follow-up. Hand this slip in at the desk.',
    tookPlace: 'Took place',
    interest: 'Interest',
    followUp: 'Follow-up',
    yes: 'yes',
    no: 'no',
  },
} as const

type Words = (typeof words)[Lang]

/** « 18 h 38 » in French, 18:38 in English. */
export function clockTime(lang: Lang, hhmm: string): string {
  const [h, m] = hhmm.split(':')
  return lang === 'fr' ? `${Number(h)}\u00a0h\u00a0${m}` : hhmm
}

/** « 18 h 38 – 18 h 45 » / 18:38–18:45 */
export function timeSpan(lang: Lang, slot: Pick<Slot, 'from' | 'to'>): string {
  return lang === 'fr' ? `${clockTime(lang, slot.from)}\u00a0– ${clockTime(lang, slot.to)}` : `${slot.from}–${slot.to}`
}

/** An inline SVG QR code of `text`, labelled for assistive technologies. */
export async function qrSvg(text: string, label: string): Promise<string> {
  const svg = await QRCode.toString(text, { type: 'svg', margin: 0, errorCorrectionLevel: 'M' })
  const safe = label.replace(/[&<>"]/g, (ch) => `&#${ch.charCodeAt(0)};`)
  return svg.replace('<svg ', `<svg role="img" aria-label="${safe}" class="qr" `)
}

export interface PrintData {
  lang: Lang
  event: Event
  /** for the privacy line of the cards */
  origin: string
  large: boolean
  parts: PrintPart[]
  /** participants with at least one meeting */
  participants: ParticipantRow[]
  meetings: Meeting[]
  names: Map<string, string>
  /** the personal link of each participant, absolute; null when it cannot be given again */
  links: Map<string, string | null>
  tableCount: number
  seatedAt: Map<number, string[]>
}

/** One line of a card's programme, in time order. */
type Line = { kind: 'meeting'; round: number; meeting: Meeting } | { kind: 'free'; round: number } | { kind: 'break'; slot: Slot }

function programme(event: Event, times: Timetable | null, p: ParticipantRow, mine: Meeting[]): Line[] {
  const byRound = new Map(mine.map((m) => [m.round, m]))
  // the participant's window (a late arrival, an early leave), widened to any meeting outside it
  const first = Math.min(p.arrive ?? 1, ...mine.map((m) => m.round))
  const last = Math.max(p.leave ?? event.rounds, ...mine.map((m) => m.round))
  const lines: Line[] = []
  for (let round = first; round <= last; round++) {
    const meeting = byRound.get(round)
    lines.push(meeting ? { kind: 'meeting', round, meeting } : { kind: 'free', round })
    for (const b of times?.breaks ?? []) if (b.afterRound === round && round < last) lines.push({ kind: 'break', slot: b })
  }
  return lines
}

function mineOf(meetings: Meeting[], id: string): Meeting[] {
  return meetings.filter((m) => m.association_registration_id === id || m.company_registration_id === id).sort((a, b) => a.round - b.round)
}

function otherOf(m: Meeting, id: string): string {
  return m.association_registration_id === id ? m.company_registration_id : m.association_registration_id
}

function chunk<T>(items: T[], size: number): T[][] {
  const out: T[][] = []
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size))
  return out
}

/** How many printed pages each part takes (the PDF's page count is their sum). */
export function pageCounts(data: Pick<PrintData, 'large' | 'participants' | 'meetings' | 'tableCount'>): Record<PrintPart, number> {
  return {
    cards: data.large ? data.participants.length : Math.ceil(data.participants.length / 4),
    plates: data.tableCount,
    slips: slipPages(data.participants, data.meetings).length,
  }
}

/** Slips: two short ones to a sheet, a long one alone, in the participants' order. */
function slipPages(participants: ParticipantRow[], meetings: Meeting[]): ParticipantRow[][] {
  const long = (p: ParticipantRow) => mineOf(meetings, p.id).length > SLIP_ROWS_PER_HALF
  const pages: ParticipantRow[][] = []
  for (const p of participants) {
    const open = pages[pages.length - 1]
    if (!long(p) && open && open.length === 1 && !long(open[0]!)) open.push(p)
    else pages.push([p])
  }
  return pages
}

export async function PrintSheets({ data }: { data: PrintData }) {
  const w = words[data.lang]
  const times = timetable(data.event)
  const when = longDate(data.event.date, data.lang)
  const qr = new Map<string, string>()
  if (data.parts.includes('cards')) {
    for (const p of data.participants) {
      const link = data.links.get(p.id)
      if (link) qr.set(p.id, await qrSvg(link, w.qr))
    }
  }
  const slotOf = (round: number) => times?.rounds[round - 1] ?? null
  const timeOf = (round: number) => {
    const slot = slotOf(round)
    return slot ? timeSpan(data.lang, slot) : `${w.round} ${round}`
  }

  const card = (p: ParticipantRow) => {
    const lines = programme(data.event, times, p, mineOf(data.meetings, p.id))
    const link = data.links.get(p.id) ?? null
    const svg = qr.get(p.id)
    const dense = lines.length > CARD_LINES * 1.4 ? ' dense tight' : lines.length > CARD_LINES ? ' dense' : ''
    return (
      <article class={(data.large ? 'card large' : 'card') + dense} data-card={p.id}>
        <div class="card-head">
          <div class="card-who">
            <h3>{p.name}</h3>
            <p class="card-person">
              {p.person} · {data.lang === 'fr' ? (p.side === 'company' ? 'entreprise' : 'association') : p.side === 'company' ? 'company' : 'association'}
            </p>
            <p class="card-event">
              {data.event.title}
              <br />
              {when}
              {data.event.venue ? ` — ${data.event.venue}` : ''}
            </p>
          </div>
          {svg && <div class="card-qr">{raw(svg)}</div>}
        </div>
        <p class="card-link">
          {link ? (
            <>
              {w.link}
              {data.lang === 'fr' ? '\u00a0: ' : ': '}
              <span data-link>{link}</span>
            </>
          ) : (
            w.noLink
          )}
        </p>
        <table class="programme">
          <thead>
            <tr>
              <th scope="col">{times ? w.time : w.round}</th>
              <th scope="col">{w.table}</th>
              <th scope="col">{w.with}</th>
              <th scope="col">{w.code}</th>
            </tr>
          </thead>
          <tbody>
            {lines.map((l) =>
              l.kind === 'meeting' ? (
                <tr data-meeting={l.meeting.id}>
                  <td class="when">{timeOf(l.round)}</td>
                  <td class="num">{l.meeting.table_no}</td>
                  <td class="with">{data.names.get(otherOf(l.meeting, p.id)) ?? '?'}</td>
                  <td class="code">
                    <strong>{l.meeting.short_code}</strong>
                  </td>
                </tr>
              ) : l.kind === 'free' ? (
                <tr class="free">
                  <td class="when">{timeOf(l.round)}</td>
                  <td colspan={3}>{w.free}</td>
                </tr>
              ) : (
                <tr class="break">
                  <td class="when">{timeSpan(data.lang, l.slot)}</td>
                  <td colspan={3}>{w.break}</td>
                </tr>
              ),
            )}
          </tbody>
        </table>
        <p class="card-rate">{w.rate}</p>
        <CardPrivacyLine lang={data.lang} origin={data.origin} networkId={data.event.network_id} />
      </article>
    )
  }

  const face = (table: number, back: boolean) => (
    <div class={back ? 'face back' : 'face'} aria-hidden={back ? 'true' : undefined}>
      <p class="plate-label">{w.table}</p>
      <p class="number">{table}</p>
      <p class="plate-event">{data.event.title}</p>
      {(data.seatedAt.get(table) ?? []).length > 0 && (
        <p class="plate-seated">
          {w.seated}
          {data.lang === 'fr' ? '\u00a0: ' : ': '}
          {(data.seatedAt.get(table) ?? []).join(', ')}
        </p>
      )}
    </div>
  )

  const slip = (p: ParticipantRow) => {
    const mine = mineOf(data.meetings, p.id)
    const side = data.lang === 'fr' ? (p.side === 'company' ? 'entreprise' : 'association') : p.side
    // one text per cell (a ballot box character before each answer): the slips of a large event stay light for the browser
    const boxes = (labels: (string | number)[], gap = '\u2003') => labels.map((l) => `\u2610\u00a0${l}`).join(gap)
    return (
      <article class={mine.length > SLIP_ROWS_PER_HALF ? 'slip-sheet full' : 'slip-sheet'} data-slip={p.id}>
        <h3>
          {w.slip} — {p.name}
        </h3>
        <p class="slip-who">
          {p.person} · {w.slipBy}
          {data.lang === 'fr' ? '\u00a0: ' : ': '}
          <strong>{side}</strong> · {data.event.title}, {when}
        </p>
        <p class="slip-help">{w.slipHelp}</p>
        <table class="slip-table">
          <thead>
            <tr>
              <th scope="col">{w.code}</th>
              <th scope="col">{times ? w.time : w.round}</th>
              <th scope="col">{w.with}</th>
              <th scope="col">{w.tookPlace}</th>
              <th scope="col">{w.interest}</th>
              <th scope="col">{w.followUp}</th>
            </tr>
          </thead>
          <tbody>
            {mine.map((m) => (
              <tr data-meeting={m.id}>
                <td class="code">
                  <strong>{m.short_code}</strong>
                </td>
                <td class="when">{timeOf(m.round)}</td>
                <td class="with">{data.names.get(otherOf(m, p.id)) ?? '?'}</td>
                <td class="ticks">{boxes([w.yes, w.no])}</td>
                <td class="ticks">{boxes([1, 2, 3, 4, 5], '\u2002')}</td>
                <td class="ticks">{boxes([w.yes, w.no])}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </article>
    )
  }

  return (
    <div class="print-sheets">
      {data.parts.includes('cards') && data.participants.length > 0 && (
        <section class="print-part" aria-labelledby="cards-title">
          <h2 id="cards-title" class="no-print">
            {data.lang === 'fr' ? 'Cartes des participants' : 'Participant cards'}
          </h2>
          {chunk(data.participants, data.large ? 1 : 4).map((group) => (
            <div class={data.large ? 'print-page cards-page one' : 'print-page cards-page'}>{group.map(card)}</div>
          ))}
        </section>
      )}
      {data.parts.includes('plates') && data.tableCount > 0 && (
        <section class="print-part" aria-labelledby="plates-title">
          <h2 id="plates-title" class="no-print">
            {data.lang === 'fr' ? 'Chevalets de table' : 'Table plates'}
          </h2>
          {Array.from({ length: data.tableCount }, (_, i) => i + 1).map((table) => (
            <article class="sheet plate" data-plate={table}>
              {face(table, true)}
              <p class="fold">
                <span>{w.fold}</span>
              </p>
              {face(table, false)}
            </article>
          ))}
        </section>
      )}
      {data.parts.includes('slips') && data.participants.length > 0 && (
        <section class="print-part" aria-labelledby="slips-title">
          <h2 id="slips-title" class="no-print">
            {data.lang === 'fr' ? 'Bulletins de notation' : 'Rating slips'}
          </h2>
          {slipPages(data.participants, data.meetings).map((group) => (
            <div class="print-page slips-page">{group.map(slip)}</div>
          ))}
        </section>
      )}
    </div>
  )
}
