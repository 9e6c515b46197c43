/**
 * Pseudonymised pair-level export for labs, with its codebook.
 *
 * No names, e-mails, notes, comments or free-text reasons leave here: only
 * vocabulary codes, numbers, dates and pseudonyms. A pseudonym is
 * HMAC-SHA256(export key, kind + ':' + id), hex, truncated to 12 characters
 * (48 bits), prefixed by its kind: stable for one key, unlinkable across keys.
 *
 * Lab-supplied predictors and the covariates of history files come out as one
 * column each (`predictor:NAME`, `covariate:NAME`), after the fixed columns;
 * covariates are exported as the file gave them.
 */
import { createHmac } from 'node:crypto'
import { conversionBase, converted, scoreDeciles } from './metrics.ts'
import { ENGINE_PARTS, type EventData, type PairData } from './pair-records.ts'
import { csvRow } from './csv-safety.ts'

export function pseudonym(key: string, kind: 'E' | 'A' | 'C' | 'P', id: string): string {
  return `${kind}-${createHmac('sha256', key).update(`${kind}:${id}`).digest('hex').slice(0, 12)}`
}

export interface CodebookEntry {
  column: string
  type: 'string' | 'integer' | 'number' | 'boolean' | 'date' | 'codes'
  description: string
}

/** The columns of the export, in order. Booleans are 1/0 in CSV, true/false in JSON; empty = unknown. */
export const codebook: CodebookEntry[] = [
  { column: 'event', type: 'string', description: 'pseudonym of the event (E-…)' },
  { column: 'event_month', type: 'string', description: 'month of the event, YYYY-MM (the day is left out)' },
  { column: 'pair', type: 'string', description: 'pseudonym of the pair within the event (P-…)' },
  { column: 'association', type: 'string', description: 'pseudonym of the association organisation (A-…), stable across events' },
  { column: 'company', type: 'string', description: 'pseudonym of the company organisation (C-…), stable across events' },
  { column: 'association_size', type: 'string', description: "size code of the association (data/vocabularies/sectors.json sizes); 'autre' when fewer than 5 organisations of the export share it (also for sectors and themes)" },
  { column: 'company_size', type: 'string', description: 'size code of the company' },
  { column: 'company_sector', type: 'string', description: 'sector code of the company (sectors.json)' },
  { column: 'association_themes', type: 'codes', description: 'theme codes of the association, separated by |' },
  { column: 'company_themes', type: 'codes', description: 'theme codes of the company, separated by |' },
  { column: 'shared_themes', type: 'integer', description: 'number of themes both share' },
  { column: 'scheduled', type: 'boolean', description: 'the pair was in the published schedule (0 = baseline pair that never met)' },
  { column: 'held', type: 'boolean', description: 'scheduled, nobody marked absent, and not every rating says it did not take place' },
  { column: 'round', type: 'integer', description: 'round of the meeting (1 = first)' },
  { column: 'table', type: 'integer', description: 'table number' },
  { column: 'score', type: 'number', description: "the engine's matching score of the pair, with the weights of weights_version; in a trial, the engine's score whatever the arm that chose the pair" },
  { column: 'part_offers_needs', type: 'number', description: "engine part: offers meeting needs, both ways (3 per resource code), from the organisations' current profiles; empty = a side has neither offers nor needs" },
  { column: 'part_themes', type: 'number', description: 'engine part: shared themes (2 each); empty = a side has no theme' },
  { column: 'part_territory', type: 'number', description: 'engine part: shared territories (1 each); empty = a side has no territory' },
  { column: 'part_distance', type: 'number', description: 'engine part: proximity, 2 x (1 - km / 30), 0 from 30 km; empty = a side has no coordinates' },
  { column: 'part_size', type: 'number', description: 'engine part: size fit, 1 same band, 0.5 adjacent bands; empty = a side has no size' },
  { column: 'part_wishes', type: 'number', description: "engine part: wishes, 6 per 'must', 3 per 'like', 5 more when both want to meet; empty = the event collected no wishes" },
  { column: 'score_decile', type: 'integer', description: 'decile of the score among held pairs of the export (1 lowest, 10 highest; ties share a decile)' },
  { column: 'a_took_place', type: 'boolean', description: 'association side: the meeting took place (empty = not rated)' },
  { column: 'a_interest', type: 'integer', description: 'association side: interest 1-5 (empty when a history file used another scale: see a_interest_given)' },
  { column: 'a_follow_up', type: 'boolean', description: 'association side: wants a follow-up' },
  { column: 'a_kinds', type: 'codes', description: 'association side: partnership kinds discussed (partnership-kinds.json), separated by |' },
  { column: 'c_took_place', type: 'boolean', description: 'company side: the meeting took place' },
  { column: 'c_interest', type: 'integer', description: 'company side: interest 1-5 (empty when a history file used another scale: see c_interest_given)' },
  { column: 'c_follow_up', type: 'boolean', description: 'company side: wants a follow-up' },
  { column: 'c_kinds', type: 'codes', description: 'company side: partnership kinds discussed, separated by |' },
  { column: 'interest_scale', type: 'string', description: "scale the interests were given on, 'lo-hi' (1-5 in the app; a history file may declare another, e.g. 1-10)" },
  { column: 'a_interest_given', type: 'number', description: 'association side: interest as given, on interest_scale (decimals allowed)' },
  { column: 'a_interest_norm', type: 'number', description: 'association side: interest normalised to 0-1, (given - lo) / (hi - lo)' },
  { column: 'c_interest_given', type: 'number', description: 'company side: interest as given, on interest_scale' },
  { column: 'c_interest_norm', type: 'number', description: 'company side: interest normalised to 0-1' },
  { column: 'a_wish', type: 'string', description: 'what the association wished about the company before the event: must, like, none or avoid (empty = the event collected no wishes)' },
  { column: 'c_wish', type: 'string', description: 'what the company wished about the association: must, like, none or avoid' },
  { column: 'popularity_wishes', type: 'number', description: "how wanted both sides were, from the other participants' wishes, the pair left out: sum over the two sides of the mean wish value (avoid 0, none 1, like 2, must 3), 0-6" },
  { column: 'popularity_ratings', type: 'number', description: "how wanted both sides were, from the other participants' ratings, the pair left out: sum over the two sides of the mean normalised interest received, 0-2" },
  { column: 'mutual', type: 'boolean', description: 'both sides want a follow-up (double opt-in met)' },
  { column: 'proposal', type: 'string', description: "'follow-up' (pair that met), 'missed' (missed connection) or empty" },
  { column: 'proposal_status', type: 'string', description: 'proposed, accepted or dropped' },
  { column: 'partnership_origin', type: 'string', description: 'proposal, meeting, direct or history; empty = no partnership' },
  { column: 'partnership_status', type: 'string', description: 'current status: proposed, contacted, in_discussion, agreement, carried_out, renewed, abandoned' },
  { column: 'reached', type: 'string', description: 'highest pipeline stage ever reached (abandoned partnerships keep the stage they reached)' },
  { column: 'arm', type: 'string', description: 'arm of a randomised comparison of matching strategies (e.g. engine, engine-no-wishes, random, rotation); empty = not in a trial' },
  { column: 'trial_assignment', type: 'string', description: "unit randomised to an arm in the pair's event: 'event' or 'participant-block'; empty = not a trial" },
  { column: 'trial_seed', type: 'string', description: 'seed of the draw of arms, as recorded (a live trial: with the assignment, SHA-256 of seed and ids gives every arm again, see README "Running an event as a trial")' },
  { column: 'weights_version', type: 'string', description: "version of the scoring weights the event's published schedule was solved with: 'default', 'learned-<digest>' (fitted from outcomes, GET /api/lab/weights) or 'manual-<digest>'; empty = solved before weights were kept, or a history file" },
  { column: 'weights', type: 'string', description: 'those weights, JSON object (offerMeetsNeed, sharedTheme, sharedTerritory, proximity, maxDistanceKm, sizeFit, wishMust, wishLike, mutualBonus); the part_* columns stay at the default weights' },
  { column: 'outcome_known', type: 'boolean', description: "0 = a history file gave the outcome as 'unknown' (converted is then empty)" },
  { column: 'converted', type: 'boolean', description: "held and the partnership reached 'agreement' or later; empty when the outcome is unknown" },
  { column: 'partnership_kinds', type: 'codes', description: 'partnership kind codes, separated by |' },
  { column: 'value_money_eur', type: 'number', description: 'money, euros' },
  { column: 'value_staff_hours', type: 'number', description: 'staff time, hours' },
  { column: 'value_in_kind_eur', type: 'number', description: 'in-kind estimate, euros' },
  { column: 'days_to_contacted', type: 'integer', description: 'days from the partnership record to the first contact' },
  { column: 'days_to_agreement', type: 'integer', description: 'days from the partnership record to agreement' },
  { column: 'days_to_carried_out', type: 'integer', description: 'days from the partnership record to carried out' },
  { column: 'predictor:NAME', type: 'number', description: 'one column per lab-supplied predictor of a history file (its `predictor:NAME` column), any real number; empty = missing' },
  { column: 'covariate:NAME', type: 'string', description: 'one column per other column of a history file, as the file gave it; empty = not given' },
]

const PATTERNS = new Set(['predictor:NAME', 'covariate:NAME'])

/** The codebook of an export: the fixed columns, then one entry per predictor and covariate found. */
export function codebookFor(events: readonly EventData[]): CodebookEntry[] {
  const pairs = events.flatMap((e) => e.pairs)
  const names = (f: (p: PairData) => Record<string, unknown>) => [...new Set(pairs.flatMap((p) => Object.keys(f(p))))].sort()
  const pattern = (column: string) => codebook.find((c) => c.column === column)!
  return [
    ...codebook.filter((c) => !PATTERNS.has(c.column)),
    ...names((p) => p.extras.labPredictors).map((n) => ({ ...pattern('predictor:NAME'), column: `predictor:${n}`, description: `lab-supplied predictor ${n}; empty = missing` })),
    ...names((p) => p.extras.covariates).map((n) => ({ ...pattern('covariate:NAME'), column: `covariate:${n}`, description: `history file column ${n}, as given; empty = not given` })),
  ]
}

export type ExportValue = string | number | boolean | null
export type ExportRow = Record<string, ExportValue>

/** Categories with fewer organisations than this in an export are written « autre » (k-anonymity). */
export const MIN_CATEGORY_ORGANISATIONS = 5
export const OTHER_CATEGORY = 'autre'

/** Category columns of the export, with the column naming the organisation they describe; `multi`: codes separated by |. */
const categoryColumns: { column: string; organisation: 'association' | 'company'; multi: boolean }[] = [
  { column: 'association_size', organisation: 'association', multi: false },
  { column: 'company_size', organisation: 'company', multi: false },
  { column: 'company_sector', organisation: 'company', multi: false },
  { column: 'association_themes', organisation: 'association', multi: true },
  { column: 'company_themes', organisation: 'company', multi: true },
]

/**
 * Every category value (size, sector, theme) held by fewer than `k`
 * organisations of the export becomes « autre »: in a 20-person evening a rare
 * sector would name the organisation.
 */
export function groupRareCategories(rows: ExportRow[], k = MIN_CATEGORY_ORGANISATIONS): ExportRow[] {
  for (const { column, organisation, multi } of categoryColumns) {
    const holders = new Map<string, Set<unknown>>()
    const valuesOf = (row: ExportRow): string[] => {
      const v = row[column]
      if (typeof v !== 'string' || v === '') return []
      return multi ? v.split('|') : [v]
    }
    for (const row of rows) {
      for (const value of valuesOf(row)) {
        const set = holders.get(value) ?? new Set()
        set.add(row[organisation])
        holders.set(value, set)
      }
    }
    const rare = new Set([...holders].filter(([, orgs]) => orgs.size < k).map(([value]) => value))
    if (rare.size === 0) continue
    for (const row of rows) {
      const values = valuesOf(row)
      if (values.length === 0) continue
      const grouped = [...new Set(values.map((v) => (rare.has(v) ? OTHER_CATEGORY : v)))]
      row[column] = multi ? grouped.join('|') : grouped[0]!
    }
  }
  return rows
}

export function exportRows(events: readonly EventData[], key: string): ExportRow[] {
  return groupRareCategories(pairRows(events, key))
}

function pairRows(events: readonly EventData[], key: string): ExportRow[] {
  const pairs = events.flatMap((e) => e.pairs)
  const columns = codebookFor(events).map((c) => c.column)
  const predictorColumns = columns.filter((c) => c.startsWith('predictor:'))
  const covariateColumns = columns.filter((c) => c.startsWith('covariate:'))
  const round = (v: number | null) => (v === null ? null : Math.round(v * 1e6) / 1e6)
  const deciles = scoreDeciles(pairs)
  const side = (p: PairData, s: 'association' | 'company') => p.rating[s]
  return pairs.map((p) => {
    const a = side(p, 'association')
    const c = side(p, 'company')
    return {
      event: pseudonym(key, 'E', p.eventId),
      event_month: p.eventDate.slice(0, 7),
      pair: pseudonym(key, 'P', `${p.eventId}|${p.associationRegistrationId}|${p.companyRegistrationId}`),
      association: pseudonym(key, 'A', p.associationOrganisationId),
      company: pseudonym(key, 'C', p.companyOrganisationId),
      association_size: p.associationSize,
      company_size: p.companySize,
      company_sector: p.companySector,
      association_themes: p.associationThemes.join('|'),
      company_themes: p.companyThemes.join('|'),
      shared_themes: p.sharedThemes.length,
      scheduled: p.scheduled,
      held: p.held,
      round: p.round,
      table: p.table,
      score: p.score,
      ...Object.fromEntries(ENGINE_PARTS.map((part) => [`part_${part}`, p.extras.parts[part]])),
      score_decile: deciles.get(p) ?? null,
      a_took_place: a ? a.tookPlace : null,
      a_interest: a?.interest ?? null,
      a_follow_up: a?.followUp ?? null,
      a_kinds: a ? a.kinds.join('|') : null,
      c_took_place: c ? c.tookPlace : null,
      c_interest: c?.interest ?? null,
      c_follow_up: c?.followUp ?? null,
      c_kinds: c ? c.kinds.join('|') : null,
      interest_scale: p.extras.interestScale,
      a_interest_given: p.extras.interestGiven.association,
      a_interest_norm: round(p.extras.interestNorm.association),
      c_interest_given: p.extras.interestGiven.company,
      c_interest_norm: round(p.extras.interestNorm.company),
      a_wish: p.extras.wish.association,
      c_wish: p.extras.wish.company,
      popularity_wishes: round(p.extras.popularity.wishes),
      popularity_ratings: round(p.extras.popularity.ratings),
      mutual: p.mutual,
      proposal: p.proposalKind,
      proposal_status: p.proposalStatus,
      partnership_origin: p.partnershipOrigin,
      partnership_status: p.partnershipStatus,
      reached: p.reached,
      arm: p.extras.arm,
      trial_assignment: p.extras.trial?.assignment ?? null,
      trial_seed: p.extras.trial?.seed ?? null,
      weights_version: p.extras.weightsVersion,
      weights: p.extras.weights,
      outcome_known: p.extras.outcomeKnown,
      converted: p.held && !conversionBase(p) ? null : converted(p),
      partnership_kinds: p.partnershipKinds.join('|'),
      value_money_eur: p.valueMoneyEur,
      value_staff_hours: p.valueStaffHours,
      value_in_kind_eur: p.valueInKindEur,
      days_to_contacted: p.daysToContacted,
      days_to_agreement: p.daysToAgreement,
      days_to_carried_out: p.daysToCarriedOut,
      ...Object.fromEntries(predictorColumns.map((col) => [col, p.extras.labPredictors[col.slice('predictor:'.length)] ?? null])),
      ...Object.fromEntries(covariateColumns.map((col) => [col, p.extras.covariates[col.slice('covariate:'.length)] ?? null])),
    }
  })
}

const format = { delimiter: ',' } as const

export function toCsv(rows: readonly ExportRow[], entries: readonly CodebookEntry[] = codebook): string {
  const columns = entries.map((c) => c.column)
  return [csvRow(columns, format), ...rows.map((r) => csvRow(columns.map((c) => r[c] ?? null), format))].join('\r\n') + '\r\n'
}

export function codebookCsv(): string {
  return [csvRow(['column', 'type', 'description'], format), ...codebook.map((c) => csvRow([c.column, c.type, c.description], format))].join('\r\n') + '\r\n'
}
