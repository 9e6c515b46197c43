/**
 * The controlled vocabularies of data/vocabularies: codes, French and English
 * labels, and a lenient lookup for spreadsheets (code or label, any case or accent).
 */
import resources from '../../data/vocabularies/resources.json' with { type: 'json' }
import sectors from '../../data/vocabularies/sectors.json' with { type: 'json' }
import themes from '../../data/vocabularies/themes.json' with { type: 'json' }

export interface Term {
  code: string
  fr: string
  en: string
}

export type VocabularyName = 'themes' | 'territories' | 'resources' | 'sectors' | 'sizes'

export const vocabularies: Record<VocabularyName, Term[]> = {
  themes: themes.items,
  territories: themes.territories,
  resources: resources.items,
  sectors: sectors.sectors,
  sizes: sectors.sizes,
}

export function codes(name: VocabularyName): string[] {
  return vocabularies[name].map((t) => t.code)
}

export function isCode(name: VocabularyName, code: string): boolean {
  return vocabularies[name].some((t) => t.code === code)
}

/** Lower case, without accents or punctuation, for matching labels typed by people. */
export function fold(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim()
}

/** The code for a code or a French/English label, or null. */
export function resolveTerm(name: VocabularyName, text: string): string | null {
  const wanted = fold(text)
  if (!wanted) return null
  for (const term of vocabularies[name]) {
    if (term.code === text.trim() || fold(term.code) === wanted || fold(term.fr) === wanted || fold(term.en) === wanted) {
      return term.code
    }
  }
  return null
}

/** code -> label in one language, every vocabulary merged (for the solver's reasons). */
export function labels(locale: 'fr' | 'en' = 'fr'): Record<string, string> {
  const out: Record<string, string> = {}
  for (const list of Object.values(vocabularies)) for (const term of list) out[term.code] = term[locale]
  return out
}
