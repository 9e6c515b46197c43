/**
 * What the follow-up step needs besides the ratings: compatibility scores of
 * every pair of the event (for missed connections, from the solver's
 * `scorePairs` on the participants' profiles and wishes), their reasons, the
 * pairs never to propose, and organisation names to put in the reasons.
 */
import type { Kysely } from 'kysely'
import { scorePairs } from '../../solver/scoring.ts'
import type { Instance, Pair, Participant, WishLevel } from '../../solver/types.ts'
import type { Database } from '../db/schema.ts'
import { labels } from './vocabularies.ts'

export interface ProposalContext {
  scores: Record<string, Record<string, number>>
  reasons: Record<string, Record<string, string[]>>
  forbidden: Pair[]
  /** registration id -> organisation name */
  names: Record<string, string>
}

const list = (json: string): string[] => {
  try {
    const v = JSON.parse(json) as unknown
    return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []
  } catch {
    return []
  }
}

export async function proposalContext(db: Kysely<Database>, eventId: string, locale: 'fr' | 'en' = 'fr'): Promise<ProposalContext> {
  const regs = await db
    .selectFrom('registrations')
    .innerJoin('organisations', 'organisations.id', 'registrations.organisation_id')
    .select([
      'registrations.id', 'registrations.organisation_id', 'organisations.kind', 'organisations.name', 'organisations.themes',
      'organisations.territories', 'organisations.offers', 'organisations.needs', 'organisations.sector', 'organisations.size',
      'organisations.latitude', 'organisations.longitude', 'organisations.group_name',
    ])
    .where('registrations.event_id', '=', eventId)
    .orderBy('registrations.id')
    .execute()
  const wishes = await db.selectFrom('wishes').select(['from_registration_id', 'to_registration_id', 'level']).where('event_id', '=', eventId).execute()
  const participant = (r: (typeof regs)[number]): Participant => {
    const own: Record<string, WishLevel> = {}
    for (const w of wishes) if (w.from_registration_id === r.id) own[w.to_registration_id] = w.level
    return {
      id: r.id,
      profile: {
        name: r.name, themes: list(r.themes), territories: list(r.territories), offers: list(r.offers), needs: list(r.needs),
        ...(r.sector ? { sector: r.sector } : {}), ...(r.size ? { size: r.size } : {}),
        ...(r.latitude !== null && r.longitude !== null ? { latitude: r.latitude, longitude: r.longitude } : {}),
        wishes: own,
      },
    }
  }
  const associations = regs.filter((r) => r.kind === 'association')
  const companies = regs.filter((r) => r.kind === 'company')
  const instance: Instance = {
    rounds: 1,
    associations: associations.map(participant),
    companies: companies.map(participant),
    options: { locale, labels: labels(locale) },
  }
  const pairScores = scorePairs(instance)
  const exclusions = await db
    .selectFrom('exclusions')
    .select(['association_id', 'company_id'])
    .where((eb) => eb.or([eb('event_id', '=', eventId), eb('event_id', 'is', null)]))
    .execute()
  const excluded = new Set(exclusions.map((e) => `${e.association_id}|${e.company_id}`))
  const context: ProposalContext = { scores: {}, reasons: {}, forbidden: [], names: Object.fromEntries(regs.map((r) => [r.id, r.name])) }
  for (const a of associations) {
    context.scores[a.id] = {}
    context.reasons[a.id] = {}
    for (const c of companies) {
      context.scores[a.id]![c.id] = pairScores.score(a.id, c.id)
      context.reasons[a.id]![c.id] = pairScores.reasons(a.id, c.id)
      const sameGroup = a.group_name !== null && a.group_name === c.group_name
      const avoided = wishes.some(
        (w) => w.level === 'avoid' && ((w.from_registration_id === a.id && w.to_registration_id === c.id) || (w.from_registration_id === c.id && w.to_registration_id === a.id)),
      )
      if (sameGroup || avoided || excluded.has(`${a.organisation_id}|${c.organisation_id}`)) context.forbidden.push([a.id, c.id])
    }
  }
  return context
}
