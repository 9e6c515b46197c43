/** French as the French write it, English as the English do: spacing, numbers, plurals, dates (Europe/Paris). */
import { describe, expect, test } from 'vitest'
import { englishQuotes, formatClock, formatDateTime, formatDay, formatNumber, formatTime, frenchSpacing, plural, typeset } from '../../src/domain/typography.ts'
import { fillMessage, messageKeys, translator } from '../../src/web/i18n.ts'

const NBSP = '\u00a0'
const NNBSP = '\u202f'

describe('French spacing', () => {
  test.for([
    ['Statut : ouvert', `Statut${NBSP}: ouvert`],
    ['Statut: ouvert', `Statut${NBSP}: ouvert`],
    ['Vraiment ? Oui !', `Vraiment${NNBSP}? Oui${NNBSP}!`],
    ['un ; deux', `un${NNBSP}; deux`],
    ['« Sélestat »', `«${NBSP}Sélestat${NBSP}»`],
    ['«Sélestat»', `«${NBSP}Sélestat${NBSP}»`],
    ['à 18:30, voir https://exemple.org/a?b=1', 'à 18:30, voir https://exemple.org/a?b=1'],
    ['?replace=1 remplace', '?replace=1 remplace'],
    [`déjà${NBSP}: bien`, `déjà${NBSP}: bien`],
    ['({percent} %) et 42 %', `({percent}${NNBSP}%) et 42${NNBSP}%`],
  ] as [string, string][])('%s', ([input, output]) => {
    expect(frenchSpacing(input)).toBe(output)
    // applying it twice changes nothing
    expect(frenchSpacing(frenchSpacing(input))).toBe(output)
  })

  test('English gets English quotes, French gets its spacing', () => {
    expect(englishQuotes('the « Forum » event')).toBe('the “Forum” event')
    expect(typeset('« Forum » : clos', 'fr')).toBe(`«${NBSP}Forum${NBSP}»${NBSP}: clos`)
    expect(typeset('« Forum » is closed', 'en')).toBe('“Forum” is closed')
  })
})

describe('numbers, plurals and dates', () => {
  test('numbers through Intl: decimal comma, grouped thousands', () => {
    expect(formatNumber(390.83, 'fr')).toBe('390,8')
    expect(formatNumber(390.83, 'en')).toBe('390.8')
    expect(formatNumber(12500, 'fr')).toBe(`12${NNBSP}500`)
    expect(formatNumber(12500, 'en')).toBe('12,500')
  })

  test('real plurals', () => {
    expect(plural(0, 'fr', { one: '# rencontre', other: '# rencontres' })).toBe('0 rencontre')
    expect(plural(1, 'fr', { one: '# rencontre', other: '# rencontres' })).toBe('1 rencontre')
    expect(plural(2, 'fr', { one: '# rencontre', other: '# rencontres' })).toBe('2 rencontres')
    expect(plural(0, 'en', { one: '# meeting', other: '# meetings' })).toBe('0 meetings')
    expect(plural(0, 'fr', { one: '# tour', other: '# tours', zero: 'aucun tour' })).toBe('aucun tour')
  })

  test('dates and times in words, in Paris', () => {
    expect(formatDay('2026-12-10', 'fr')).toBe('jeudi 10 décembre 2026')
    expect(formatDay('2026-12-01', 'fr')).toBe('mardi 1er décembre 2026')
    expect(formatDay('2026-12-10', 'en')).toBe('Thursday 10 December 2026')
    // 17:30 UTC is 18:30 in Paris in winter, 16:00 UTC is 18:00 in summer
    expect(formatDateTime('2026-12-10T17:30:00Z', 'fr')).toBe(`jeudi 10 décembre 2026 à 18${NBSP}h${NBSP}30`)
    expect(formatDateTime('2026-12-10T17:30:00Z', 'en')).toBe('Thursday 10 December 2026 at 18:30')
    expect(formatTime('2026-07-02T16:00:00Z', 'fr')).toBe(`18${NBSP}h`)
    expect(formatClock('09:05', 'fr')).toBe(`9${NBSP}h${NBSP}05`)
    expect(formatClock('09:05', 'en')).toBe('09:05')
  })
})

describe('the pages’ dictionary', () => {
  test('ICU-like plurals and numbers in messages', () => {
    const text = '{n, plural, =0 {aucune ligne} one {# ligne} other {# lignes}} sur {total} ; score {score}'
    expect(fillMessage('fr', text, { n: 0, total: 12500, score: 390.83 })).toBe(`aucune ligne sur 12${NNBSP}500 ; score 390,8`)
    expect(fillMessage('fr', text, { n: 1, total: 2026, score: 1 })).toBe('1 ligne sur 2026 ; score 1')
    expect(fillMessage('fr', text, { n: 3, total: 3, score: 1.93 })).toBe('3 lignes sur 3 ; score 1,9')
    expect(translator('fr')('import.done', { count: 1 })).toBe('1 participant importé.')
    expect(translator('fr')('import.done', { count: 12 })).toBe('12 participants importés.')
    expect(translator('en')('import.done', { count: 1 })).toBe('1 participant imported.')
  })

  test('French strings as pages show them: no "(s)", no ordinary space before ; : ! ? », none missing after «, no decimal point', () => {
    const t = translator('fr')
    const problems: string[] = []
    for (const key of messageKeys()) {
      const text = t(key)
      if (/\(s\)|\(e\)|\(es\)/.test(text)) problems.push(`${key}: "(s)" plural: ${text}`)
      if (/ [;:!?»]/.test(text.replace(/https?:\/\/\S+/g, ''))) problems.push(`${key}: ordinary space before punctuation: ${JSON.stringify(text)}`)
      if (/[^\s\u00a0\u202f][;!?](\s|$)/.test(text) || /[^\s\u00a0\u202f:/\d]:(\s|$)/.test(text)) problems.push(`${key}: no space before punctuation: ${JSON.stringify(text)}`)
      if (/«[^\u00a0\u202f]/.test(text) || /[^\u00a0\u202f]»/.test(text)) problems.push(`${key}: guillemets without no-break spaces: ${JSON.stringify(text)}`)
      if (/\d\.\d/.test(text)) problems.push(`${key}: decimal point: ${text}`)
    }
    expect(problems).toEqual([])
  })

  test('English strings carry no "(s)" either', () => {
    const t = translator('en')
    expect(messageKeys().filter((k) => /\(s\)/.test(t(k)))).toEqual([])
  })
})
