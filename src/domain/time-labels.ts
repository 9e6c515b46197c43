/**
 * Clock times as people read them: « 18 h 52 » and « 18 h 52 – 18 h 59 » in
 * French (non-breaking spaces, so a time never splits over two lines),
 * "18:52" and "18:52–18:59" in English. Input: the timetable's HH:MM.
 */
export type TimeLang = 'fr' | 'en'

const NBSP = '\u00a0'

export function clockLabel(lang: TimeLang, hhmm: string): string {
  const match = /^(\d{1,2}):(\d{2})$/.exec(hhmm)
  if (!match || lang === 'en') return hhmm
  return `${Number(match[1])}${NBSP}h${NBSP}${match[2]}`
}

export function rangeLabel(lang: TimeLang, from: string, to: string): string {
  return lang === 'fr' ? `${clockLabel('fr', from)}${NBSP}– ${clockLabel('fr', to)}` : `${from}–${to}`
}
