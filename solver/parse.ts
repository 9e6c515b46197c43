/**
 * parseInstance: zod validation of the JSON format plus the cross-checks zod cannot express.
 * Every issue names the path of the field at fault.
 */
import { Instance } from './types.ts'

export type ParseResult = { ok: true; instance: Instance } | { ok: false; issues: { path: string; message: string }[] }

const pathOf = (path: readonly PropertyKey[]): string =>
  path.reduce<string>((s, k) => (typeof k === 'number' ? `${s}[${k}]` : s ? `${s}.${String(k)}` : String(k)), '')

/** Validates an instance read from JSON. */
export function parseInstance(json: unknown): ParseResult {
  const parsed = Instance.safeParse(json)
  if (!parsed.success) {
    return { ok: false, issues: parsed.error.issues.map((i) => ({ path: pathOf(i.path), message: i.message })) }
  }
  const instance = parsed.data
  const issues: { path: string; message: string }[] = []
  const add = (path: string, message: string): void => {
    issues.push({ path, message })
  }
  const associations = new Set<string>()
  const companies = new Set<string>()
  const side = (list: typeof instance.associations, name: 'associations' | 'companies', ids: Set<string>): void => {
    list.forEach((p, i) => {
      if (ids.has(p.id)) add(`${name}[${i}].id`, `identifiant en double / duplicate id "${p.id}"`)
      ids.add(p.id)
      if (p.arrive !== undefined && p.leave !== undefined && p.arrive > p.leave) {
        add(`${name}[${i}].arrive`, `arrivée (${p.arrive}) après le départ (${p.leave}) / arrive after leave`)
      }
      if (p.leave !== undefined && p.leave > instance.rounds) {
        add(`${name}[${i}].leave`, `départ (${p.leave}) après le dernier tour (${instance.rounds}) / leave after the last round`)
      }
      if (p.arrive !== undefined && p.arrive > instance.rounds) {
        add(`${name}[${i}].arrive`, `arrivée (${p.arrive}) après le dernier tour (${instance.rounds}) / arrive after the last round`)
      }
      if (p.minMeetings !== undefined && p.maxMeetings !== undefined && p.minMeetings > p.maxMeetings) {
        add(`${name}[${i}].minMeetings`, `minimum (${p.minMeetings}) supérieur au maximum (${p.maxMeetings}) / minMeetings > maxMeetings`)
      }
    })
  }
  side(instance.associations, 'associations', associations)
  side(instance.companies, 'companies', companies)
  for (const id of associations) {
    if (companies.has(id)) add('companies', `"${id}" est à la fois association et entreprise / is both an association and a company`)
  }
  const checkPair = (path: string, a: string, c: string): void => {
    if (!associations.has(a)) add(`${path}[0]`, `association inconnue / unknown association "${a}"`)
    if (!companies.has(c)) add(`${path}[1]`, `entreprise inconnue / unknown company "${c}"`)
  }
  instance.forbidden?.forEach(([a, c], i) => checkPair(`forbidden[${i}]`, a, c))
  instance.required?.forEach(([a, c], i) => checkPair(`required[${i}]`, a, c))
  instance.fixed?.forEach((f, i) => {
    if (!associations.has(f.association)) add(`fixed[${i}].association`, `association inconnue / unknown association "${f.association}"`)
    if (!companies.has(f.company)) add(`fixed[${i}].company`, `entreprise inconnue / unknown company "${f.company}"`)
    if (f.round > instance.rounds) add(`fixed[${i}].round`, `tour ${f.round} après le dernier tour (${instance.rounds}) / after the last round`)
    if (instance.tables !== undefined && f.table !== undefined && f.table > instance.tables) {
      add(`fixed[${i}].table`, `table ${f.table} au-delà des ${instance.tables} tables / beyond the number of tables`)
    }
  })
  for (const [a, row] of Object.entries(instance.scores ?? {})) {
    if (!associations.has(a)) add(`scores.${a}`, `association inconnue / unknown association "${a}"`)
    for (const c of Object.keys(row)) if (!companies.has(c)) add(`scores.${a}.${c}`, `entreprise inconnue / unknown company "${c}"`)
  }
  const wishes = (list: typeof instance.associations, name: string, other: Set<string>): void => {
    list.forEach((p, i) => {
      for (const id of Object.keys(p.profile?.wishes ?? {})) {
        if (!other.has(id)) add(`${name}[${i}].profile.wishes.${id}`, `participant inconnu de l'autre côté / unknown participant of the other side "${id}"`)
      }
    })
  }
  wishes(instance.associations, 'associations', companies)
  wishes(instance.companies, 'companies', associations)
  return issues.length > 0 ? { ok: false, issues } : { ok: true, instance }
}
