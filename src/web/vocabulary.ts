/** Human labels of the vocabulary codes in data/vocabularies, for the pages. */
import kinds from '../../data/vocabularies/partnership-kinds.json' with { type: 'json' }
import resources from '../../data/vocabularies/resources.json' with { type: 'json' }
import sectors from '../../data/vocabularies/sectors.json' with { type: 'json' }
import themes from '../../data/vocabularies/themes.json' with { type: 'json' }
import type { Lang } from './i18n.ts'

interface Labelled {
  code: string
  fr: string
  en: string
}

const labels = new Map<string, Labelled>()
for (const item of [...themes.items, ...themes.territories, ...resources.items, ...sectors.sectors, ...sectors.sizes]) {
  labels.set(item.code, item)
}
for (const family of kinds.families) {
  labels.set(family.code, family)
  for (const kind of family.kinds) labels.set(`${family.code}/${kind.code}`, kind)
}

/** The label of a code in the language, or the code itself when unknown. */
export function label(lang: Lang, code: string): string {
  return labels.get(code)?.[lang] ?? code
}

/** The partnership kinds, as `family/kind` codes grouped by family, for the rating form. */
export function partnershipKinds(lang: Lang): { code: string; label: string; kinds: { code: string; label: string }[] }[] {
  return kinds.families.map((f) => ({
    code: f.code,
    label: f[lang],
    kinds: f.kinds.map((k) => ({ code: `${f.code}/${k.code}`, label: k[lang] })),
  }))
}

/** Parses a JSON array of codes stored as text; anything else gives []. */
export function codes(json: string | null | undefined): string[] {
  if (!json) return []
  try {
    const value: unknown = JSON.parse(json)
    return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : []
  } catch {
    return []
  }
}
