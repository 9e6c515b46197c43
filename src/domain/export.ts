/**
 * Pseudonymised pair-level export for labs, with its codebook.
 *
 * No names, e-mails, notes, comments or free-text reasons leave here: only
 * vocabulary codes, numbers, dates and pseudonyms. A pseudonym is
 * HMAC-SHA256(export key, kind + ':' + id), hex, truncated to 12 characters
 * (48 bits), prefixed by its kind: stable for one key, unlinkable across keys.
 */
import { createHmac } from 'node:crypto'
import { scoreDeciles } from './metrics.ts'
import type { EventData, PairData } from './pair-records.ts'
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
  { column: 'association_size', type: 'string', description: 'size code of the association (data/vocabularies/sectors.json sizes)' },
  { column: 'company_size', type: 'string', description: 'size code of the company' },
  { column: 'company_sector', type: 'string', description: 'sector code of the company (sectors.json)' },
  { column: 'association_themes', type: 'codes', description: 'theme codes of the association, separated by |' },
  { column: 'company_themes', type: 'codes', description: 'theme codes of the company, separated by |' },
  { column: 'shared_themes', type: 'integer', description: 'number of themes both share' },
  { column: 'scheduled', type: 'boolean', description: 'the pair was in the published schedule (0 = baseline pair that never met)' },
  { column: 'held', type: 'boolean', description: 'scheduled, nobody marked absent, and not every rating says it did not take place' },
  { column: 'round', type: 'integer', description: 'round of the meeting (1 = first)' },
  { column: 'table', type: 'integer', description: 'table number' },
  { column: 'score', type: 'number', description: 'matching score the solver gave the pair' },
  { column: 'score_decile', type: 'integer', description: 'decile of the score among held pairs of the export (1 lowest, 10 highest; ties share a decile)' },
  { column: 'a_took_place', type: 'boolean', description: 'association side: the meeting took place (empty = not rated)' },
  { column: 'a_interest', type: 'integer', description: 'association side: interest 1-5' },
  { column: 'a_follow_up', type: 'boolean', description: 'association side: wants a follow-up' },
  { column: 'a_kinds', type: 'codes', description: 'association side: partnership kinds discussed (partnership-kinds.json), separated by |' },
  { column: 'c_took_place', type: 'boolean', description: 'company side: the meeting took place' },
  { column: 'c_interest', type: 'integer', description: 'company side: interest 1-5' },
  { column: 'c_follow_up', type: 'boolean', description: 'company side: wants a follow-up' },
  { column: 'c_kinds', type: 'codes', description: 'company side: partnership kinds discussed, separated by |' },
  { column: 'mutual', type: 'boolean', description: 'both sides want a follow-up (double opt-in met)' },
  { column: 'proposal', type: 'string', description: "'follow-up' (pair that met), 'missed' (missed connection) or empty" },
  { column: 'proposal_status', type: 'string', description: 'proposed, accepted or dropped' },
  { column: 'partnership_origin', type: 'string', description: 'proposal, meeting, direct or history; empty = no partnership' },
  { column: 'partnership_status', type: 'string', description: 'current status: proposed, contacted, in_discussion, agreement, carried_out, renewed, abandoned' },
  { column: 'reached', type: 'string', description: 'highest pipeline stage ever reached (abandoned partnerships keep the stage they reached)' },
  { column: 'converted', type: 'boolean', description: "held and the partnership reached 'agreement' or later" },
  { column: 'partnership_kinds', type: 'codes', description: 'partnership kind codes, separated by |' },
  { column: 'value_money_eur', type: 'number', description: 'money, euros' },
  { column: 'value_staff_hours', type: 'number', description: 'staff time, hours' },
  { column: 'value_in_kind_eur', type: 'number', description: 'in-kind estimate, euros' },
  { column: 'days_to_contacted', type: 'integer', description: 'days from the partnership record to the first contact' },
  { column: 'days_to_agreement', type: 'integer', description: 'days from the partnership record to agreement' },
  { column: 'days_to_carried_out', type: 'integer', description: 'days from the partnership record to carried out' },
]

export type ExportValue = string | number | boolean | null
export type ExportRow = Record<string, ExportValue>

export function exportRows(events: readonly EventData[], key: string): ExportRow[] {
  const pairs = events.flatMap((e) => e.pairs)
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
      score_decile: deciles.get(p) ?? null,
      a_took_place: a ? a.tookPlace : null,
      a_interest: a?.interest ?? null,
      a_follow_up: a?.followUp ?? null,
      a_kinds: a ? a.kinds.join('|') : null,
      c_took_place: c ? c.tookPlace : null,
      c_interest: c?.interest ?? null,
      c_follow_up: c?.followUp ?? null,
      c_kinds: c ? c.kinds.join('|') : null,
      mutual: p.mutual,
      proposal: p.proposalKind,
      proposal_status: p.proposalStatus,
      partnership_origin: p.partnershipOrigin,
      partnership_status: p.partnershipStatus,
      reached: p.reached,
      converted: p.held && p.reached !== null && ['agreement', 'carried_out', 'renewed'].includes(p.reached),
      partnership_kinds: p.partnershipKinds.join('|'),
      value_money_eur: p.valueMoneyEur,
      value_staff_hours: p.valueStaffHours,
      value_in_kind_eur: p.valueInKindEur,
      days_to_contacted: p.daysToContacted,
      days_to_agreement: p.daysToAgreement,
      days_to_carried_out: p.daysToCarriedOut,
    }
  })
}

const format = { delimiter: ',' } as const

export function toCsv(rows: readonly ExportRow[]): string {
  const columns = codebook.map((c) => c.column)
  return [csvRow(columns, format), ...rows.map((r) => csvRow(columns.map((c) => r[c] ?? null), format))].join('\r\n') + '\r\n'
}

export function codebookCsv(): string {
  return [csvRow(['column', 'type', 'description'], format), ...codebook.map((c) => csvRow([c.column, c.type, c.description], format))].join('\r\n') + '\r\n'
}
