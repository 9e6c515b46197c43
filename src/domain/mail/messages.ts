/**
 * The texts of the e-mails, in the participant's language (French unless it
 * chose English on its page). Each names people and organisations, never ids,
 * and carries LINK_PLACEHOLDER where the personal link goes: the link is put in
 * at sending time, so the outbox table does not hold it.
 */
import type { CheckinMilestone } from '../../db/schema.ts'
import type { Locale } from '../locale.ts'
import { rangeLabel } from '../time-labels.ts'
import { longDate } from '../timetable.ts'
import { frenchSpacing } from '../typography.ts'

export const LINK_PLACEHOLDER = '{{lien-personnel}}'

export type MessageKind = 'invitation' | 'reminder' | 'programme-changed' | 'rating-call' | 'mutual-match' | 'checkin'

export interface ProgrammeLine {
  from: string
  to: string
  table: number
  organisation: string
  personName: string
}

export interface MessageContext {
  /** the participant's language */
  locale: Locale
  personName: string
  organisation: string
  event: { title: string; date: string; venue: string | null; startTime: string | null }
  /** the participant's meetings with clock times, when a schedule is published */
  programme: ProgrammeLine[] | null
}

export interface MessageText {
  subject: string
  text: string
  html: string
}

type Lang = Locale
type Lines = Record<Lang, string[]>

function when(ctx: MessageContext, lang: Lang): string {
  const date = longDate(ctx.event.date, lang)
  if (!ctx.event.startTime) return date
  return lang === 'fr' ? `${date}, à ${ctx.event.startTime}` : `${date}, at ${ctx.event.startTime}`
}

function place(ctx: MessageContext, lang: Lang): string[] {
  return ctx.event.venue ? [lang === 'fr' ? `Lieu : ${ctx.event.venue}` : `Venue: ${ctx.event.venue}`] : []
}

function programme(ctx: MessageContext, lang: Lang): string[] {
  if (!ctx.programme) return []
  if (ctx.programme.length === 0) return [lang === 'fr' ? 'Votre programme : aucune rencontre prévue pour le moment.' : 'Your programme: no meeting planned for now.']
  return [
    lang === 'fr' ? 'Votre programme :' : 'Your programme:',
    ...ctx.programme.map((p) => `  ${rangeLabel(lang, p.from, p.to)}, table ${p.table}${lang === 'fr' ? '\u00a0:' : ':'} ${p.organisation} (${p.personName})`),
  ]
}

const link = (lang: Lang) => [lang === 'fr' ? 'Votre page personnelle :' : 'Your personal page:', LINK_PLACEHOLDER]
const personal = { fr: 'Ce lien est personnel : ne le transférez pas.', en: 'This link is yours alone: please do not forward it.' }
// the network's privacy notice, from the personal link (issue 12: linked from every e-mail)
const privacy = {
  fr: `Vos données personnelles et vos droits : ${LINK_PLACEHOLDER}/confidentialite`,
  en: `Your personal data and your rights: ${LINK_PLACEHOLDER}/confidentialite`,
}
const hello = (ctx: MessageContext, lang: Lang) => (lang === 'fr' ? `Bonjour ${ctx.personName},` : `Hello ${ctx.personName},`)

function compose(subject: Record<Lang, string>, ctx: MessageContext, body: Lines): MessageText {
  const lang = ctx.locale
  const raw = [hello(ctx, lang), '', ...body[lang], '', personal[lang], privacy[lang]]
  // the French as the French write it: no-break spaces before : ; ! ? and inside « »
  const lines = lang === 'fr' ? raw.map(frenchSpacing) : raw
  return { subject: lang === 'fr' ? frenchSpacing(subject.fr) : subject.en, text: lines.join('\n') + '\n', html: toHtml(lines, lang) }
}

function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;')
}

/** Paragraphs from the text lines; the placeholder becomes a link. */
function toHtml(lines: string[], lang: Lang): string {
  const paragraphs: string[][] = [[]]
  for (const line of lines) {
    if (line === '') paragraphs.push([])
    else paragraphs[paragraphs.length - 1]!.push(line)
  }
  const body = paragraphs
    .filter((p) => p.length > 0)
    .map((p) => `<p>${p.map((l) => (l === LINK_PLACEHOLDER ? `<a href="${LINK_PLACEHOLDER}">${LINK_PLACEHOLDER}</a>` : escapeHtml(l))).join('<br>\n')}</p>`)
    .join('\n')
  return `<!doctype html>\n<html lang="${lang}"><head><meta charset="utf-8"></head><body style="font-family:sans-serif;line-height:1.5">\n${body}\n</body></html>\n`
}

export function invitation(ctx: MessageContext): MessageText {
  const t = ctx.event.title
  return compose({ fr: `Invitation : ${t}, ${longDate(ctx.event.date, 'fr')}`, en: `Invitation: ${t}` }, ctx, {
    fr: [
      `${ctx.organisation} est attendue à « ${t} », le ${when(ctx, 'fr')}.`,
      ...place(ctx, 'fr'),
      '',
      ...programme(ctx, 'fr'),
      ...(ctx.programme ? [''] : []),
      'Avant la soirée, complétez le profil de votre organisation (besoins, offres, thèmes) et dites qui vous souhaitez rencontrer :',
      LINK_PLACEHOLDER,
      '',
      'Le fichier joint ajoute la soirée à votre agenda.',
    ],
    en: [
      `${ctx.organisation} is expected at "${t}", on ${when(ctx, 'en')}.`,
      ...place(ctx, 'en'),
      '',
      ...programme(ctx, 'en'),
      ...(ctx.programme ? [''] : []),
      "Before the evening, fill in your organisation's profile (needs, offers, themes) and say whom you wish to meet:",
      LINK_PLACEHOLDER,
      '',
      'The attached file adds the evening to your calendar.',
    ],
  })
}

export function reminder(ctx: MessageContext): MessageText {
  const t = ctx.event.title
  return compose({ fr: `Rappel : ${t}, demain`, en: `Reminder: ${t}, tomorrow` }, ctx, {
    fr: [`Rappel : « ${t} » a lieu demain, ${when(ctx, 'fr')}.`, ...place(ctx, 'fr'), '', ...programme(ctx, 'fr'), '', ...link('fr')],
    en: [`Reminder: "${t}" takes place tomorrow, ${when(ctx, 'en')}.`, ...place(ctx, 'en'), '', ...programme(ctx, 'en'), '', ...link('en')],
  })
}

export function programmeChanged(ctx: MessageContext): MessageText {
  const t = ctx.event.title
  return compose({ fr: `Votre programme a changé : ${t}`, en: `Your programme changed: ${t}` }, ctx, {
    fr: [`Le programme de « ${t} » (${when(ctx, 'fr')}) a été replanifié. Voici vos nouvelles heures et tables.`, '', ...programme(ctx, 'fr'), '', ...link('fr')],
    en: [`The programme of "${t}" (${when(ctx, 'en')}) has been re-planned. Here are your new times and tables.`, '', ...programme(ctx, 'en'), '', ...link('en')],
  })
}

export function ratingCall(ctx: MessageContext): MessageText {
  const t = ctx.event.title
  return compose({ fr: `Notez vos rencontres : ${t}`, en: `Rate your meetings: ${t}` }, ctx, {
    fr: [
      `Merci d'être venu(e) à « ${t} ». Dites-nous, pour chaque rencontre, si elle a eu lieu, votre intérêt et si vous souhaitez une suite.`,
      "Les coordonnées ne sont échangées que si les deux côtés le souhaitent.",
      '',
      ...link('fr'),
    ],
    en: [
      `Thank you for coming to "${t}". Tell us, for each meeting, whether it took place, your interest and whether you want a follow-up.`,
      'Contact details are exchanged only when both sides want it.',
      '',
      ...link('en'),
    ],
  })
}

export interface MatchContact {
  organisation: string
  personName: string
  email: string | null
}

export function mutualMatch(ctx: MessageContext, other: MatchContact): MessageText {
  const contact = other.email ?? '—'
  return compose({ fr: `Suite souhaitée des deux côtés : ${other.organisation}`, en: `Both sides want a follow-up: ${other.organisation}` }, ctx, {
    fr: [
      `Vous et ${other.personName} (${other.organisation}) souhaitez tous deux donner une suite à votre rencontre de « ${ctx.event.title} ».`,
      `Contact : ${other.personName}, ${contact}`,
      '',
      ...link('fr'),
    ],
    en: [
      `You and ${other.personName} (${other.organisation}) both want to follow up your meeting at "${ctx.event.title}".`,
      `Contact: ${other.personName}, ${contact}`,
      '',
      ...link('en'),
    ],
  })
}

const milestoneLabel: Record<CheckinMilestone, Record<Lang, string>> = {
  '2w': { fr: 'deux semaines', en: 'two weeks' },
  '3m': { fr: 'trois mois', en: 'three months' },
  '6m': { fr: 'six mois', en: 'six months' },
  '12m': { fr: 'un an', en: 'a year' },
}

export function checkin(ctx: MessageContext, milestone: CheckinMilestone, other: { organisation: string }): MessageText {
  return compose({ fr: `Où en êtes-vous avec ${other.organisation} ?`, en: `How are things with ${other.organisation}?` }, ctx, {
    fr: [
      `Il y a ${milestoneLabel[milestone].fr}, ${ctx.organisation} et ${other.organisation} se sont rencontrées à « ${ctx.event.title} ». Où en est votre projet commun ? Une réponse en un clic :`,
      LINK_PLACEHOLDER,
    ],
    en: [
      `${milestoneLabel[milestone].en[0]!.toUpperCase()}${milestoneLabel[milestone].en.slice(1)} ago, ${ctx.organisation} and ${other.organisation} met at "${ctx.event.title}". How is your joint project going? One click to answer:`,
      LINK_PLACEHOLDER,
    ],
  })
}
