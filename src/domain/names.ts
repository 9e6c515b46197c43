/**
 * The key organisations are matched and searched by: Unicode NFD, accents
 * stripped, case folded, typographic apostrophes made straight, spaces
 * collapsed. Computed here, stored in `organisations.name_key` and indexed, so
 * "Épicerie  solidaire" and "epicerie Solidaire" are one organisation on
 * SQLite and PostgreSQL alike (SQLite's lower() folds ASCII only).
 */
export function nameKey(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{M}+/gu, '')
    .replace(/[’‘`´]/g, "'")
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .trim()
}
