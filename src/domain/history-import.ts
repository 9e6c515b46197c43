/**
 * Imports a past event (often run on paper) from one CSV, so that labs can put
 * earlier editions into the same figures. One row per pair: the meeting (its
 * round), both sides' ratings, and the later outcome. Format in the README
 * ("History CSV") and data/csv/history-example.csv.
 *
 * All or nothing: every row is checked first; any bad row -> 422 csv_invalid
 * listing rows and columns, nothing written; then one transaction writes the
 * event (status closed), organisations (reused by kind and exact name),
 * registrations (present, with an unusable secret), a published schedule with
 * the meetings, the ratings (source 'history'), and for each outcome an
 * accepted proposal and a partnership (origin 'history') whose history walks
 * the pipeline up to the outcome. No check-ins are created for past events.
 */
import { nameKey } from './names.ts'
import { createHash, randomBytes, randomUUID } from 'node:crypto'
import type { Kysely } from 'kysely'
import { insertPartnership, setStatus } from '../db/repositories/partnerships.repository.ts'
import type { Database, PartnershipStatus, Side } from '../db/schema.ts'
import { AppError, type Issue } from '../errors.ts'
import { pipelinePath } from './followups.ts'
import { partnershipKindCodes, readCsvRows, readRatingCells, requireColumns, type CsvRow, type RatingValues } from './ratings.ts'
import { isCode } from './vocabularies.ts'
import { z } from 'zod'

export const historyColumns = [
  'event_title', 'event_date', 'round', 'table',
  'association', 'association_size', 'association_sector', 'association_themes',
  'company', 'company_size', 'company_sector', 'company_themes',
  'score',
  'a_took_place', 'a_interest', 'a_follow_up', 'a_kinds',
  'c_took_place', 'c_interest', 'c_follow_up', 'c_kinds',
  'outcome', 'abandoned_after', 'outcome_date',
  'partnership_kinds', 'value_money_eur', 'value_staff_hours', 'value_in_kind_eur',
] as const

const requiredColumns = ['event_title', 'event_date', 'round', 'association', 'company']

const STATUSES: PartnershipStatus[] = ['proposed', 'contacted', 'in_discussion', 'agreement', 'carried_out', 'renewed', 'abandoned']

interface OrgCells { name: string; size: string | null; sector: string | null; themes: string[] }

interface HistoryRow {
  line: number
  round: number | null
  table: number | null
  association: OrgCells
  company: OrgCells
  score: number | null
  ratings: Partial<Record<Side, RatingValues>>
  outcome: PartnershipStatus | null
  abandonedAfter: PartnershipStatus
  outcomeDate: string | null
  kinds: string[]
  money: number | null
  hours: number | null
  inKind: number | null
}

export interface HistoryImportResult {
  eventId: string
  organisations: { created: number; reused: number }
  meetings: number
  ratings: number
  partnerships: number
}

// a calendar date (Date.parse takes 2026-02-30 for 2 March)
const isDate = (v: string) => z.iso.date().safeParse(v).success
const list = (cell: string | undefined) => (cell ?? '').split(/[|;]/).map((x) => x.trim()).filter((x) => x !== '')

function readRow(row: CsvRow, issues: Issue[]): HistoryRow | null {
  const before = issues.length
  const cell = (c: string) => (row.cells[c] ?? '').trim()
  const bad = (column: string, message: string) => issues.push({ row: row.line, column, message })
  const number = (column: string, { integer = false, min = 0 } = {}): number | null => {
    const v = cell(column)
    if (v === '') return null
    const n = Number(v.replace(',', '.'))
    if (!Number.isFinite(n) || n < min || (integer && !Number.isInteger(n))) {
      bad(column, integer ? `entier >= ${min} attendu / integer >= ${min} expected` : 'nombre >= 0 attendu / number >= 0 expected')
      return null
    }
    return n
  }
  const org = (side: 'association' | 'company'): OrgCells => {
    const name = cell(side)
    if (!name) bad(side, 'nom requis / name required')
    const size = cell(`${side}_size`) || null
    if (size && !isCode('sizes', size)) bad(`${side}_size`, `taille inconnue / unknown size: ${size}`)
    const sector = cell(`${side}_sector`) || null
    if (sector && !isCode('sectors', sector)) bad(`${side}_sector`, `secteur inconnu / unknown sector: ${sector}`)
    const themes = list(row.cells[`${side}_themes`])
    for (const t of themes) if (!isCode('themes', t)) bad(`${side}_themes`, `thème inconnu / unknown theme: ${t}`)
    return { name, size, sector, themes }
  }
  const round = number('round', { integer: true, min: 1 })
  const table = number('table', { integer: true, min: 1 })
  const association = org('association')
  const company = org('company')
  const score = number('score')
  const ratings: Partial<Record<Side, RatingValues>> = {}
  for (const [side, p] of [['association', 'a'], ['company', 'c']] as const) {
    const columns = { tookPlace: `${p}_took_place`, interest: `${p}_interest`, followUp: `${p}_follow_up`, kinds: `${p}_kinds` }
    if (Object.values(columns).every((c) => cell(c) === '')) continue
    if (round === null) {
      bad(columns.interest, 'pas de notation sans rencontre (round vide) / no rating without a meeting (empty round)')
      continue
    }
    const values = readRatingCells(row, columns, issues)
    if (values) ratings[side] = values
  }
  const outcomeCell = cell('outcome')
  const outcome = outcomeCell === '' ? null : (STATUSES.find((s) => s === outcomeCell) ?? null)
  if (outcomeCell !== '' && !outcome) bad('outcome', `statut inconnu / unknown status: ${outcomeCell} (${STATUSES.join(', ')})`)
  const afterCell = cell('abandoned_after')
  const abandonedAfter = afterCell === '' ? 'proposed' : (STATUSES.find((s) => s === afterCell && s !== 'abandoned' && s !== 'renewed') ?? null)
  if (!abandonedAfter) bad('abandoned_after', `étape inconnue / unknown stage: ${afterCell}`)
  if (afterCell !== '' && outcome !== 'abandoned') bad('abandoned_after', "seulement avec outcome = abandoned / only with outcome 'abandoned'")
  const outcomeDate = cell('outcome_date') || null
  if (outcomeDate && !isDate(outcomeDate)) bad('outcome_date', 'date AAAA-MM-JJ / date YYYY-MM-DD')
  const kinds = list(row.cells.partnership_kinds)
  for (const k of kinds) if (!partnershipKindCodes.has(k)) bad('partnership_kinds', `type inconnu / unknown kind: ${k}`)
  const money = number('value_money_eur')
  const hours = number('value_staff_hours')
  const inKind = number('value_in_kind_eur')
  if (!outcome && (kinds.length > 0 || money !== null || hours !== null || inKind !== null)) {
    bad('outcome', 'type ou valeur sans partenariat (outcome vide) / kind or value without a partnership (empty outcome)')
  }
  if (round === null && !outcome) bad('round', 'ni rencontre ni suite : ligne vide de sens / neither a meeting nor an outcome')
  if (issues.length > before) return null
  return {
    line: row.line, round, table, association, company, score, ratings, outcome,
    abandonedAfter: abandonedAfter ?? 'proposed', outcomeDate, kinds, money, hours, inKind,
  }
}

export async function importHistoryCsv(
  db: Kysely<Database>,
  by: { networkId: string; tokenId: string; role: string },
  text: string,
  now: string,
): Promise<HistoryImportResult> {
  const { header, rows } = readCsvRows(text)
  requireColumns(header, requiredColumns)
  if (rows.length === 0) throw new AppError('csv_invalid', 'Aucune ligne / No rows', [{ row: 2, message: 'aucune ligne / no rows' }])
  const issues: Issue[] = []
  const first = rows[0]!
  const title = (first.cells.event_title ?? '').trim()
  const date = (first.cells.event_date ?? '').trim()
  if (!title) issues.push({ row: first.line, column: 'event_title', message: 'titre requis / title required' })
  if (!isDate(date)) issues.push({ row: first.line, column: 'event_date', message: 'date AAAA-MM-JJ / date YYYY-MM-DD' })
  const parsed: HistoryRow[] = []
  const pairs = new Map<string, number>()
  const seats = new Map<string, number>()
  const met = new Map<string, number>()
  for (const row of rows) {
    if ((row.cells.event_title ?? '').trim() !== title || (row.cells.event_date ?? '').trim() !== date) {
      issues.push({ row: row.line, column: 'event_title', message: "un seul événement par fichier (titre et date de la ligne 2) / one event per file (title and date of line 2)" })
    }
    const r = readRow(row, issues)
    if (!r) continue
    const pair = `${r.association.name}|${r.company.name}`
    const again = pairs.get(pair)
    if (again !== undefined) issues.push({ row: r.line, column: 'company', message: `paire déjà à la ligne ${again} / pair already on line ${again}` })
    pairs.set(pair, r.line)
    if (r.round !== null) {
      for (const [side, name] of [['association', r.association.name], ['company', r.company.name]] as const) {
        const seat = `${side}|${name}|${r.round}`
        const other = met.get(seat)
        if (other !== undefined) issues.push({ row: r.line, column: 'round', message: `${name} a déjà une rencontre au tour ${r.round} (ligne ${other}) / already meets someone in round ${r.round} (line ${other})` })
        met.set(seat, r.line)
      }
      if (r.table !== null) {
        const seat = `${r.round}|${r.table}`
        const other = seats.get(seat)
        if (other !== undefined) issues.push({ row: r.line, column: 'table', message: `table déjà prise à ce tour (ligne ${other}) / table taken in this round (line ${other})` })
        seats.set(seat, r.line)
      }
    }
    parsed.push(r)
  }
  if (issues.length > 0) {
    const lines = [...new Set(issues.map((i) => i.row))].join(', ')
    throw new AppError('csv_invalid', `Lignes invalides, rien n'a été importé / Bad rows, nothing imported: ${lines}`, issues)
  }

  return db.transaction().execute(async (tx) => {
    const result: HistoryImportResult = { eventId: randomUUID(), organisations: { created: 0, reused: 0 }, meetings: 0, ratings: 0, partnerships: 0 }
    const eventId = result.eventId
    const held = parsed.filter((r) => r.round !== null)
    const rounds = Math.max(1, ...held.map((r) => r.round!))
    const perRound = new Map<number, number>()
    for (const r of held) perRound.set(r.round!, (perRound.get(r.round!) ?? 0) + 1)
    const tables = Math.max(1, ...perRound.values(), ...held.map((r) => r.table ?? 0))
    await tx
      .insertInto('events')
      .values({
        id: eventId, network_id: by.networkId, title, date, venue: null, start_time: null, rounds, meeting_minutes: 7,
        transition_minutes: 1, breaks: '[]', tables, seated_side: 'company', status: 'closed', created_at: now, updated_at: now,
      })
      .execute()

    const registrationOf = new Map<string, string>()
    const register = async (kind: Side, o: OrgCells): Promise<string> => {
      const key = `${kind}|${o.name}`
      const known = registrationOf.get(key)
      if (known) return known
      // an organisation of the network with that kind and name (case and accents ignored)
      const existing = await tx
        .selectFrom('organisations')
        .select('id')
        .where('network_id', '=', by.networkId)
        .where('kind', '=', kind)
        .where('name_key', '=', nameKey(o.name))
        .orderBy('created_at')
        .executeTakeFirst()
      let organisationId = existing?.id
      if (organisationId) {
        result.organisations.reused++
      } else {
        organisationId = randomUUID()
        result.organisations.created++
        await tx
          .insertInto('organisations')
          .values({
            id: organisationId, network_id: by.networkId, kind, name: o.name, name_key: nameKey(o.name), siren: null, rna: null, sector: o.sector, size: o.size, town: null, postcode: null,
            latitude: null, longitude: null, themes: JSON.stringify(o.themes), territories: '[]', offers: '[]', needs: '[]',
            description: null, contact_name: null, contact_email: null, group_name: null, created_at: now, updated_at: now,
          })
          .execute()
      }
      const registrationId = randomUUID()
      await tx
        .insertInto('registrations')
        .values({
          id: registrationId, event_id: eventId, organisation_id: organisationId, person_name: o.name, person_email: null,
          arrive_round: null, leave_round: null, min_meetings: null, max_meetings: null, attendance: 'present',
          // nobody holds this secret: past participants have no personal link
          secret_hash: createHash('sha256').update(randomBytes(32)).digest('hex'), created_at: now,
        })
        .execute()
      registrationOf.set(key, registrationId)
      return registrationId
    }

    const scheduleId = randomUUID()
    await tx
      .insertInto('schedules')
      .values({
        id: scheduleId, event_id: eventId, version: 1, kind: 'full', from_round: null, input_digest: 'history-import', status: 'feasible',
        objective: held.reduce((t, r) => t + (r.score ?? 0), 0), bound: 0, fairness_level: 0, meeting_count: held.length, idle_rounds: 0,
        solve_ms: 0, stats: JSON.stringify({ source: 'history' }), created_by: `${by.role}:${by.tokenId}`, created_at: now, published: 1,
      })
      .execute()

    const nextTable = new Map<number, number>()
    const takenTables = new Set(held.filter((r) => r.table !== null).map((r) => `${r.round}|${r.table}`))
    const actor = `history-import:${by.role}:${by.tokenId}`
    for (const r of parsed) {
      const a = await register('association', r.association)
      const c = await register('company', r.company)
      let meetingId: string | null = null
      if (r.round !== null) {
        let table = r.table
        if (table === null) {
          let t = nextTable.get(r.round) ?? 1
          while (takenTables.has(`${r.round}|${t}`)) t++
          takenTables.add(`${r.round}|${t}`)
          nextTable.set(r.round, t + 1)
          table = t
        }
        meetingId = randomUUID()
        await tx
          .insertInto('meetings')
          .values({
            id: meetingId, schedule_id: scheduleId, round: r.round, table_no: table, association_registration_id: a, company_registration_id: c,
            score: r.score ?? 0, reasons: '[]', short_code: `H${r.line}`,
          })
          .execute()
        result.meetings++
        for (const side of ['association', 'company'] as const) {
          const values = r.ratings[side]
          if (!values) continue
          await tx
            .insertInto('ratings')
            .values({ id: randomUUID(), meeting_id: meetingId, side, registration_id: side === 'association' ? a : c, source: 'history', ...values, created_at: now, updated_at: now })
            .execute()
          result.ratings++
        }
      }
      if (r.outcome) {
        let proposalId: string | null = null
        if (meetingId) {
          proposalId = randomUUID()
          await tx
            .insertInto('proposals')
            .values({
              id: proposalId, event_id: eventId, kind: 'follow-up', rank: result.partnerships + 1, meeting_id: meetingId,
              association_registration_id: a, company_registration_id: c, mutual_interest: null, score: r.score, caller: 'association',
              due_date: date, reasons: '[]', note: null, status: 'accepted', created_at: now, updated_at: now,
            })
            .execute()
        }
        const id = randomUUID()
        const created = `${date}T00:00:00.000Z`
        const reachedAt = r.outcomeDate ? `${r.outcomeDate}T00:00:00.000Z` : created
        const row = {
          id, event_id: eventId, origin: 'history' as const, proposal_id: proposalId, meeting_id: meetingId,
          association_registration_id: a, company_registration_id: c, status: 'proposed' as PartnershipStatus, abandon_reason: null,
          kinds: JSON.stringify(r.kinds), value_money_eur: r.money, value_staff_hours: r.hours, value_in_kind_eur: r.inKind,
          started_on: null, ended_on: null, note: null, created_by: actor, created_at: created, updated_at: reachedAt,
        }
        await insertPartnership(tx, row)
        let current = row
        for (const status of pipelinePath(r.outcome, r.abandonedAfter).slice(1)) {
          // the row was inserted in this transaction: nobody else can have moved it
          await setStatus(tx, current, status, status === 'abandoned' ? 'historique / history' : null, actor, reachedAt)
          current = { ...current, status }
        }
        result.partnerships++
      }
    }
    return result
  })
}
