/**
 * The network's memory for a new rotation: pairs that met at an earlier event
 * of the same network (held meetings of published schedules, imported history
 * included) and pairs in a partnership not abandoned (any event of the
 * network). Per event setting each is forbidden (default), penalised or
 * allowed; a mutual wish lifts a penalty, never a forbidding. Companies and
 * their foundations (same group) count as one organisation.
 *
 * Loading reads the database; deciding (`memoryDecisions`) is pure, so
 * `buildInstance` stays a pure function.
 */
import type { Kysely } from 'kysely'
import type { Database, Event, MetBeforePolicy, PartnershipStatus } from '../db/schema.ts'
import { nameKey } from './names.ts'
import { loadEventData } from './pair-records.ts'
import { inSentence, pipelineLabels } from './labels.ts'

/** A held meeting of an earlier event, between two sides (organisation or group keys). */
export interface PastMeeting {
  associationKey: string
  companyKey: string
  eventTitle: string
  eventDate: string
  round: number | null
  interest: { association: number | null; company: number | null }
}

export interface ActivePartnership {
  associationKey: string
  companyKey: string
  status: PartnershipStatus
  eventTitle: string
  eventDate: string
}

/** What the instance needs to know of the network's past, with the event's settings. */
export interface Memory {
  metBefore: MetBeforePolicy
  penalty: number
  activePartnerships: MetBeforePolicy
  met: PastMeeting[]
  partnerships: ActivePartnership[]
  /** organisation id -> side key (the group's key for organisations of a group) */
  keyOf: Record<string, string>
}

/** One organisation, or its group: a company and its foundation are one side. */
export function sideKey(o: { id: string; group_name: string | null }): string {
  const group = o.group_name ? nameKey(o.group_name) : ''
  return group ? `group:${group}` : `org:${o.id}`
}

const pairKey = (a: string, c: string) => `${a}|${c}`

/**
 * Events of the network before `event`: an earlier date, or the same date and
 * created before it. Archived events count: their figures are kept.
 */
async function earlierEvents(db: Kysely<Database>, event: Pick<Event, 'id' | 'network_id' | 'date' | 'created_at'>): Promise<string[]> {
  const rows = await db
    .selectFrom('events')
    .select('id')
    .where('network_id', '=', event.network_id)
    .where('id', '!=', event.id)
    .where((eb) => eb.or([eb('date', '<', event.date), eb.and([eb('date', '=', event.date), eb('created_at', '<', event.created_at)])]))
    .execute()
  return rows.map((r) => r.id)
}

export async function loadMemory(
  db: Kysely<Database>,
  event: Pick<Event, 'id' | 'network_id' | 'date' | 'created_at' | 'met_before' | 'met_before_penalty' | 'active_partnerships'>,
): Promise<Memory> {
  const organisations = await db.selectFrom('organisations').select(['id', 'group_name']).where('network_id', '=', event.network_id).execute()
  const keyOf: Record<string, string> = {}
  for (const o of organisations) keyOf[o.id] = sideKey(o)
  const key = (organisationId: string) => keyOf[organisationId] ?? `org:${organisationId}`

  const met: PastMeeting[] = []
  // with 'allow' too: the reasons still say it
  const past = await loadEventData(db, await earlierEvents(db, event))
  for (const e of past) {
    for (const p of e.pairs) {
      if (!p.held) continue
      met.push({
        associationKey: key(p.associationOrganisationId),
        companyKey: key(p.companyOrganisationId),
        eventTitle: e.title,
        eventDate: e.date,
        round: p.round,
        interest: { association: p.rating.association?.interest ?? null, company: p.rating.company?.interest ?? null },
      })
    }
  }

  const active = await db
    .selectFrom('partnerships')
    .innerJoin('events', 'events.id', 'partnerships.event_id')
    .innerJoin('registrations as ra', 'ra.id', 'partnerships.association_registration_id')
    .innerJoin('registrations as rc', 'rc.id', 'partnerships.company_registration_id')
    .select(['partnerships.status', 'events.title', 'events.date', 'ra.organisation_id as association', 'rc.organisation_id as company'])
    .where('events.network_id', '=', event.network_id)
    .where('partnerships.status', '!=', 'abandoned')
    .orderBy('events.date')
    .execute()
  const partnerships = active.map((p) => ({
    associationKey: key(p.association),
    companyKey: key(p.company),
    status: p.status,
    eventTitle: p.title,
    eventDate: p.date,
  }))
  return {
    metBefore: event.met_before,
    penalty: event.met_before_penalty,
    activePartnerships: event.active_partnerships,
    met,
    partnerships,
    keyOf,
  }
}

export type MemoryDecision = 'forbid' | 'penalise' | 'allow'

export interface PairMemory {
  association: string
  company: string
  decision: MemoryDecision
  /** score taken off (penalise only) */
  penalty: number
  reasons: string[]
}

const months = (locale: 'fr' | 'en', isoDate: string) =>
  new Intl.DateTimeFormat(locale === 'fr' ? 'fr-FR' : 'en-GB', { month: 'long', year: 'numeric', timeZone: 'UTC' }).format(new Date(`${isoDate}T12:00:00Z`))

/** « rencontrés en mars 2025, intérêt 4/5 des deux côtés » / "met in March 2025, interest 4/5 on both sides" */
export function metPhrase(m: PastMeeting, names: { association: string; company: string }, locale: 'fr' | 'en'): string {
  const when = months(locale, m.eventDate)
  const { association: ia, company: ic } = m.interest
  const fr = locale === 'fr'
  let interest = ''
  if (ia !== null && ic !== null && ia === ic) interest = fr ? `, intérêt ${ia}/5 des deux côtés` : `, interest ${ia}/5 on both sides`
  else if (ia !== null && ic !== null) interest = fr ? `, intérêt ${ia}/5 pour ${names.association} et ${ic}/5 pour ${names.company}` : `, interest ${ia}/5 for ${names.association} and ${ic}/5 for ${names.company}`
  else if (ia !== null) interest = fr ? `, intérêt ${ia}/5 pour ${names.association}` : `, interest ${ia}/5 for ${names.association}`
  else if (ic !== null) interest = fr ? `, intérêt ${ic}/5 pour ${names.company}` : `, interest ${ic}/5 for ${names.company}`
  return fr ? `rencontrés en ${when} (${m.eventTitle})${interest}` : `met in ${when} (${m.eventTitle})${interest}`
}

export function partnershipPhrase(p: ActivePartnership, locale: 'fr' | 'en'): string {
  const when = months(locale, p.eventDate)
  const stage = inSentence(pipelineLabels[p.status])[locale]
  return locale === 'fr' ? `partenariat en cours (${stage}), né de la soirée de ${when}` : `partnership under way (${stage}), from the ${when} evening`
}

interface Side {
  id: string
  organisationId: string
  name: string
}

/**
 * For every association–company pair of the new event that the network's
 * past concerns: forbid, penalise or allow, and why in words. `mutual` tells
 * whether both sides wish to meet (lifts a penalty); `required` whether the
 * organiser imposed the pair (an explicit decision: not forbidden).
 */
export function memoryDecisions(
  memory: Memory,
  associations: Side[],
  companies: Side[],
  options: { mutual: (a: string, c: string) => boolean; required: (a: string, c: string) => boolean; locale: 'fr' | 'en' },
): PairMemory[] {
  const key = (organisationId: string) => memory.keyOf[organisationId] ?? `org:${organisationId}`
  const metOf = new Map<string, PastMeeting>()
  // the latest meeting of the pair speaks for it
  for (const m of [...memory.met].sort((x, y) => (x.eventDate < y.eventDate ? -1 : x.eventDate > y.eventDate ? 1 : 0))) metOf.set(pairKey(m.associationKey, m.companyKey), m)
  const partnerOf = new Map<string, ActivePartnership>()
  for (const p of memory.partnerships) partnerOf.set(pairKey(p.associationKey, p.companyKey), p)
  const fr = options.locale === 'fr'
  const out: PairMemory[] = []
  for (const a of associations) {
    for (const c of companies) {
      const k = pairKey(key(a.organisationId), key(c.organisationId))
      const met = metOf.get(k)
      const partner = partnerOf.get(k)
      if (!met && !partner) continue
      const reasons: string[] = []
      const names = { association: a.name, company: c.name }
      if (partner) reasons.push(partnershipPhrase(partner, options.locale))
      if (met) reasons.push(metPhrase(met, names, options.locale))
      const policies = [partner ? memory.activePartnerships : 'allow', met ? memory.metBefore : 'allow'] as MetBeforePolicy[]
      let decision: MemoryDecision = policies.includes('forbid') ? 'forbid' : policies.includes('penalise') ? 'penalise' : 'allow'
      let penalty = 0
      if (decision === 'forbid' && options.required(a.id, c.id)) {
        decision = 'allow'
        reasons.push(fr ? 'rencontre imposée par l’organisation' : 'pair imposed by the organisers')
      } else if (decision === 'forbid') {
        reasons.push(fr ? 'pas de nouvelle rencontre' : 'not paired again')
      } else if (decision === 'penalise' && options.mutual(a.id, c.id)) {
        decision = 'allow'
        reasons.push(fr ? 'souhait mutuel : sans pénalité' : 'mutual wish: no penalty')
      } else if (decision === 'penalise') {
        penalty = memory.penalty
        reasons.push(fr ? `score réduit de ${memory.penalty}` : `score lowered by ${memory.penalty}`)
      }
      out.push({ association: a.id, company: c.id, decision, penalty, reasons: [reasons.join(', ')] })
    }
  }
  return out
}
