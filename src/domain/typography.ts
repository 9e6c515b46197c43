/**
 * French as the French write it, and English as the English do: spaces
 * around punctuation, numbers, plurals and dates, for the API's messages and
 * the pages (src/web/i18n.ts re-uses these). Dates and times are read in
 * Europe/Paris, where the evenings take place.
 */
import type { Lang } from '../errors.ts'

export const NBSP = '\u00a0'
/** narrow no-break space, before ; ! ? and inside numbers (Intl's French group separator) */
export const NNBSP = '\u202f'

/**
 * French spacing: a no-break space before : ; ! ? % and », after « (an ordinary
 * space there becomes a no-break one; a missing one is added). Leaves URLs
 * (`http://`), times (`18:30`) and ratios (`1:2`) alone: only a colon
 * followed by a space or the end is punctuation.
 */
export function frenchSpacing(text: string): string {
  return text
    .replace(/«[ \u00a0\u202f]*/g, `«${NBSP}`)
    .replace(/[ \u00a0\u202f]*»/g, `${NBSP}»`)
    .replace(/[ \u00a0]+([;!?])(?=\s|$)/g, `${NNBSP}$1`)
    .replace(/([^\s\u00a0\u202f:/])([;!?])(?=\s|$)/gu, `$1${NNBSP}$2`)
    .replace(/[ \u202f]+:(?=\s|$)/g, `${NBSP}:`)
    .replace(/([^\s\u00a0\u202f:/]):(?=\s|$)/gu, `$1${NBSP}:`)
    .replace(/([\d}])[ \u00a0]%/g, `$1${NNBSP}%`)
}

/** English quotes for the « guillemets » a message may carry into English. */
export function englishQuotes(text: string): string {
  return text.replace(/«[ \u00a0\u202f]*/g, '“').replace(/[ \u00a0\u202f]*»/g, '”')
}

/** A message made ready for its reader: French spacing, or English quotes. */
export function typeset(text: string, lang: Lang): string {
  return lang === 'fr' ? frenchSpacing(text) : englishQuotes(text)
}

const numberFormats = new Map<string, Intl.NumberFormat>()

/** 390,8 and 1 500 (narrow no-break space) in French; 390.8 and 1,500 in English. */
export function formatNumber(n: number, lang: Lang, options: Intl.NumberFormatOptions = { maximumFractionDigits: 1 }): string {
  const key = `${lang}${JSON.stringify(options)}`
  let format = numberFormats.get(key)
  if (!format) {
    format = new Intl.NumberFormat(lang === 'fr' ? 'fr-FR' : 'en-GB', options)
    numberFormats.set(key, format)
  }
  return format.format(n)
}

/** 42 % in French (no-break space), 42% in English. */
export function formatPercent(ratio: number, lang: Lang, digits = 0): string {
  return formatNumber(ratio, lang, { style: 'percent', maximumFractionDigits: digits })
}

const pluralRules = { fr: new Intl.PluralRules('fr-FR'), en: new Intl.PluralRules('en-GB') }

/**
 * `plural(3, 'fr', { one: '# rencontre', other: '# rencontres' })` -> « 3 rencontres ».
 * `#` is the number, formatted for the language. French says « 0 rencontre » and « 1,5 heure ».
 */
export function plural(n: number, lang: Lang, forms: { one: string; other: string; zero?: string }): string {
  const form = n === 0 && forms.zero !== undefined ? forms.zero : pluralRules[lang].select(n) === 'one' ? forms.one : forms.other
  return form.replace(/#/g, formatNumber(n, lang, { maximumFractionDigits: 2 }))
}

const TIME_ZONE = 'Europe/Paris'

function parts(date: Date, lang: Lang, options: Intl.DateTimeFormatOptions): Record<string, string> {
  const out: Record<string, string> = {}
  for (const p of new Intl.DateTimeFormat(lang === 'fr' ? 'fr-FR' : 'en-GB', { timeZone: TIME_ZONE, ...options }).formatToParts(date)) {
    out[p.type] = p.value
  }
  return out
}

/** A calendar day `2026-12-10` (or an instant, read in Paris): « jeudi 10 décembre 2026 », "Thursday 10 December 2026". */
export function formatDay(value: string | Date, lang: Lang): string {
  const date = typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value) ? new Date(`${value}T12:00:00Z`) : new Date(value)
  if (Number.isNaN(date.getTime())) return String(value)
  const p = parts(date, lang, { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' })
  const day = lang === 'fr' && p.day === '1' ? '1er' : p.day
  return `${p.weekday} ${day} ${p.month} ${p.year}`
}

/** A clock time in Paris: « 18 h 30 », « 9 h » in French; "18:30" in English. */
export function formatTime(value: string | Date, lang: Lang): string {
  const date = new Date(value)
  if (Number.isNaN(date.getTime())) return String(value)
  const p = parts(date, lang, { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' })
  if (lang === 'en') return `${p.hour}:${p.minute}`
  const hour = String(Number(p.hour))
  return p.minute === '00' ? `${hour}${NBSP}h` : `${hour}${NBSP}h${NBSP}${p.minute}`
}

/** `HH:MM` as written in an event's start time: « 18 h 30 » / "18:30". */
export function formatClock(hhmm: string, lang: Lang): string {
  const m = /^(\d{1,2}):(\d{2})$/.exec(hhmm)
  if (!m) return hhmm
  if (lang === 'en') return `${m[1]!.padStart(2, '0')}:${m[2]}`
  const hour = String(Number(m[1]))
  return m[2] === '00' ? `${hour}${NBSP}h` : `${hour}${NBSP}h${NBSP}${m[2]}`
}

/** An instant in Paris: « jeudi 10 décembre 2026 à 18 h 30 », "Thursday 10 December 2026 at 18:30". */
export function formatDateTime(value: string | Date, lang: Lang): string {
  const date = new Date(value)
  if (Number.isNaN(date.getTime())) return String(value)
  return `${formatDay(date, lang)} ${lang === 'fr' ? 'à' : 'at'} ${formatTime(date, lang)}`
}
