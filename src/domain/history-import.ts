/**
 * Imports a past event (often run on paper) from one CSV, so that labs can put
 * earlier editions into the same figures. One row per pair: the meeting (its
 * round), both sides' ratings, and the later outcome. Format in the README
 * ("History CSV") and data/csv/history-example.csv.
 *
 * All or nothing: every row is checked first; any bad row -> 422 csv_invalid
 * listing rows and columns, nothing written; then one transaction writes the
 * event (status closed), organisations (reused within the network by kind and
 * name_key),
 * registrations (present, with an unusable secret), a published schedule with
 * the meetings, the ratings (source 'history'), and for each outcome an
 * accepted proposal and a partnership (origin 'history') whose history walks
 * the pipeline up to the outcome. No check-ins are created for past events.
 *
 * Lab predictors (issue 11): `predictor:NAME` columns (real numbers, empty =
 * missing), an optional score (empty = no score, never 0), the interest scale
 * of the file (`interest_scale`, e.g. 1-10, decimals allowed) kept as given,
 * `outcome` = `unknown`, and any other column kept as a covariate: all in
 * pair_extras. The file is decoded like the participants CSV (UTF-8, else
 * Windows-1252); its SHA-256 is kept per network and a second import of the
 * same bytes is refused (409) unless `replace` (the earlier event is deleted).
 * `dryRun` runs everything in a transaction that is rolled back.
 */
import { nameKey } from './names.ts'
import { createHash, randomBytes, randomUUID } from 'node:crypto'
import type { Kysely, Transaction } from 'kysely'
import { insertPartnership, setStatus } from '../db/repositories/partnerships.repository.ts'
import type { Database, PartnershipStatus, Side } from '../db/schema.ts'
import { AppError, type Issue, type Msg } from '../errors.ts'
import { formatDay } from './typography.ts'
import { pipelinePath } from './followups.ts'
import { partnershipKindCodes, readCsvRows, readRatingCells, requireColumns, type CsvRow, type RatingValues } from './ratings.ts'
import { isCode } from './vocabularies.ts'
import { decodeCsv } from './csv-import.ts'

export const historyColumns = [
  'event_title', 'event_date', 'round', 'table',
  'association', 'association_size', 'association_sector', 'association_themes',
  'company', 'company_size', 'company_sector', 'company_themes',
  'score',
  'a_took_place', 'a_interest', 'a_follow_up', 'a_kinds',
  'c_took_place', 'c_interest', 'c_follow_up', 'c_kinds',
  'outcome', 'abandoned_after', 'outcome_date',
  'partnership_kinds', 'value_money_eur', 'value_staff_hours', 'value_in_kind_eur',
  'interest_scale', 'arm', 'trial_assignment', 'trial_seed',
] as const

/** Prefix of the lab-supplied predictor columns (`predictor:NAME`). */
export const PREDICTOR_PREFIX = 'predictor:'

/** An interest scale 'lo-hi' (e.g. '1-5', '1-10', '0-4.5'); decimal commas accepted. */
export interface InterestScale { low: number; high: number; label: string }

export function parseScale(cell: string): InterestScale | null {
  const m = /^(\d+(?:[.,]\d+)?)\s*[-–]\s*(\d+(?:[.,]\d+)?)$/.exec(cell.trim())
  if (!m) return null
  const low = Number(m[1]!.replace(',', '.'))
  const high = Number(m[2]!.replace(',', '.'))
  return high > low ? { low, high, label: `${low}-${high}` } : null
}

/** Interest on its scale -> 0-1. */
export const normaliseInterest = (value: number, scale: InterestScale): number => (value - scale.low) / (scale.high - scale.low)

const DEFAULT_SCALE: InterestScale = { low: 1, high: 5, label: '1-5' }

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
  /** interest as given on the file's scale */
  interestGiven: Partial<Record<Side, number>>
  predictors: Record<string, number>
  covariates: Record<string, string>
  /** false: outcome `unknown` */
  outcomeKnown: boolean
  /** arm of a randomised comparison, lower case; null = not in the trial */
  arm: string | null
  outcome: PartnershipStatus | null
  abandonedAfter: PartnershipStatus
  outcomeDate: string | null
  kinds: string[]
  money: number | null
  hours: number | null
  inKind: number | null
}

export interface HistoryImportResult {
  /** null on a dry run */
  eventId: string | null
  dryRun: boolean
  /** the event of an earlier import of the same file, deleted (replace) or that would be (dry run with replace) */
  replaced: string | null
  encoding: 'utf-8' | 'windows-1252'
  /** SHA-256 of the file's bytes */
  digest: string
  /** the trial the file records, if any: unit of assignment, seed, arms */
  trial: { assignment: 'event' | 'participant-block'; seed: string; arms: string[] } | null
  /** lab-supplied predictor names and covariate columns found */
  predictors: string[]
  covariates: string[]
  interestScale: string
  organisations: { created: number; reused: number }
  meetings: number
  ratings: number
  partnerships: number
}

const isIsoDate = (v: string) => /^\d{4}-\d{2}-\d{2}$/.test(v) && !Number.isNaN(Date.parse(`${v}T00:00:00Z`)) && new Date(`${v}T00:00:00Z`).toISOString().startsWith(v)

/** YYYY-MM-DD or dd/mm/yyyy (also dd-mm-yyyy, dd.mm.yyyy) -> YYYY-MM-DD; null when not a date. */
export function readDate(cell: string): string | null {
  const v = cell.trim()
  const fr = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/.exec(v)
  const iso = fr ? `${fr[3]}-${fr[2]!.padStart(2, '0')}-${fr[1]!.padStart(2, '0')}` : v
  return isIsoDate(iso) ? iso : null
}

const DATE_MESSAGE: Msg = { fr: 'date AAAA-MM-JJ ou JJ/MM/AAAA', en: 'date YYYY-MM-DD or dd/mm/yyyy' }
const list = (cell: string | undefined) => (cell ?? '').split(/[|;]/).map((x) => x.trim()).filter((x) => x !== '')

interface FileLayout { scale: InterestScale; predictorColumns: string[]; covariateColumns: string[] }

function readRow(row: CsvRow, layout: FileLayout, issues: Issue[]): HistoryRow | null {
  const before = issues.length
  const cell = (c: string) => (row.cells[c] ?? '').trim()
  const bad = (column: string, message: Msg) => issues.push({ row: row.line, column, message })
  const number = (column: string, { integer = false, min = 0 as number | null } = {}): number | null => {
    const v = cell(column)
    if (v === '') return null
    const n = Number(v.replace(',', '.'))
    if (!Number.isFinite(n) || (min !== null && n < min) || (integer && !Number.isInteger(n))) {
      bad(column, min === null ? { fr: 'nombre attendu', en: 'number expected' } : integer ? { fr: `entier supérieur ou égal à ${min} attendu`, en: `whole number of at least ${min} expected` } : { fr: 'nombre positif ou nul attendu', en: 'number of at least 0 expected' })
      return null
    }
    return n
  }
  const org = (side: 'association' | 'company'): OrgCells => {
    const name = cell(side)
    if (!name) bad(side, { fr: 'nom requis', en: 'name required' })
    const size = cell(`${side}_size`) || null
    if (size && !isCode('sizes', size)) bad(`${side}_size`, { fr: `taille inconnue « ${size} »`, en: `unknown size “${size}”` })
    const sector = cell(`${side}_sector`) || null
    if (sector && !isCode('sectors', sector)) bad(`${side}_sector`, { fr: `secteur inconnu « ${sector} »`, en: `unknown sector “${sector}”` })
    const themes = list(row.cells[`${side}_themes`])
    for (const t of themes) if (!isCode('themes', t)) bad(`${side}_themes`, { fr: `thème inconnu « ${t} »`, en: `unknown theme “${t}”` })
    return { name, size, sector, themes }
  }
  const round = number('round', { integer: true, min: 1 })
  const table = number('table', { integer: true, min: 1 })
  const association = org('association')
  const company = org('company')
  const score = number('score', { min: null })
  const predictors: Record<string, number> = {}
  for (const column of layout.predictorColumns) {
    const v = number(column, { min: null })
    if (v !== null) predictors[column.slice(PREDICTOR_PREFIX.length)] = v
  }
  const covariates: Record<string, string> = {}
  for (const column of layout.covariateColumns) if (cell(column) !== '') covariates[column] = cell(column)
  const ratings: Partial<Record<Side, RatingValues>> = {}
  const interestGiven: Partial<Record<Side, number>> = {}
  const { scale } = layout
  for (const [side, p] of [['association', 'a'], ['company', 'c']] as const) {
    const columns = { tookPlace: `${p}_took_place`, interest: `${p}_interest`, followUp: `${p}_follow_up`, kinds: `${p}_kinds` }
    if (Object.values(columns).every((c) => cell(c) === '')) continue
    if (round === null) {
      bad(columns.interest, { fr: 'pas de notation sans rencontre (round vide)', en: 'no rating without a meeting (empty round)' })
      continue
    }
    // the interest is read on the file's scale here; ratings.interest keeps it only on 1-5 integers
    const given = cell(columns.interest) === '' ? null : Number(cell(columns.interest).replace(',', '.'))
    if (given !== null && !(Number.isFinite(given) && given >= scale.low && given <= scale.high)) {
      bad(columns.interest, { fr: `nombre de ${scale.label} attendu (interest_scale)`, en: `number within ${scale.label} expected (interest_scale)` })
      continue
    }
    const onFiveScale = given !== null && scale.low === 1 && scale.high === 5 && Number.isInteger(given)
    // another scale: a stand-in 1-5 value passes the rating rules, then ratings.interest is left empty
    const standIn = given === null ? '' : onFiveScale ? String(given) : '3'
    const checked = readRatingCells({ line: row.line, cells: { ...row.cells, [columns.interest]: standIn } }, columns, issues)
    if (!checked) continue
    const values = onFiveScale || given === null ? checked : { ...checked, interest: null }
    if (given !== null && values.took_place === 0) {
      bad(columns.interest, { fr: 'pas d’intérêt pour une rencontre non tenue', en: 'no interest for a meeting that did not take place' })
      continue
    }
    ratings[side] = values
    if (given !== null) interestGiven[side] = given
  }
  const armCell = cell('arm').toLowerCase()
  if (armCell !== '' && !/^[a-z0-9][a-z0-9_-]{0,39}$/.test(armCell)) bad('arm', { fr: 'code de bras attendu (lettres, chiffres, - et _)', en: 'arm code expected (letters, digits, - and _)' })
  const arm = armCell === '' ? null : armCell
  const outcomeCell = cell('outcome')
  const outcomeKnown = outcomeCell.toLowerCase() !== 'unknown'
  const outcome = outcomeCell === '' || !outcomeKnown ? null : (STATUSES.find((s) => s === outcomeCell) ?? null)
  if (outcomeCell !== '' && outcomeKnown && !outcome) bad('outcome', { fr: `statut inconnu « ${outcomeCell} » (codes du fichier : ${[...STATUSES, 'unknown'].map((s) => `« ${s} »`).join(', ')})`, en: `unknown status “${outcomeCell}” (file codes: ${[...STATUSES, 'unknown'].map((s) => `“${s}”`).join(', ')})` })
  const afterCell = cell('abandoned_after')
  const abandonedAfter = afterCell === '' ? 'proposed' : (STATUSES.find((s) => s === afterCell && s !== 'abandoned' && s !== 'renewed') ?? null)
  if (!abandonedAfter) bad('abandoned_after', { fr: `étape inconnue « ${afterCell} »`, en: `unknown stage “${afterCell}”` })
  if (afterCell !== '' && outcome !== 'abandoned') bad('abandoned_after', { fr: 'seulement avec la colonne outcome à « abandoned »', en: 'only with outcome “abandoned”' })
  const outcomeDate = cell('outcome_date') === '' ? null : readDate(cell('outcome_date'))
  if (cell('outcome_date') !== '' && !outcomeDate) bad('outcome_date', DATE_MESSAGE)
  const kinds = list(row.cells.partnership_kinds)
  for (const k of kinds) if (!partnershipKindCodes.has(k)) bad('partnership_kinds', { fr: `type de partenariat inconnu « ${k} »`, en: `unknown partnership kind “${k}”` })
  const money = number('value_money_eur')
  const hours = number('value_staff_hours')
  const inKind = number('value_in_kind_eur')
  if (!outcome && (kinds.length > 0 || money !== null || hours !== null || inKind !== null)) {
    bad('outcome', { fr: 'type ou valeur sans partenariat (outcome vide)', en: 'kind or value without a partnership (empty outcome)' })
  }
  if (round === null && !outcome) bad('round', { fr: 'ni rencontre ni suite : ligne vide de sens', en: 'neither a meeting nor an outcome' })
  if (issues.length > before) return null
  return {
    line: row.line, round, table, association, company, score, ratings, interestGiven, predictors, covariates, outcomeKnown, arm, outcome,
    abandonedAfter: abandonedAfter ?? 'proposed', outcomeDate, kinds, money, hours, inKind,
  }
}

export interface HistoryImportOptions {
  /** check and count, write nothing */
  dryRun?: boolean
  /** the same file was imported before: delete that event and import again */
  replace?: boolean
}

/** Rolls a dry run's transaction back. */
class DryRun extends Error {
  constructor(readonly result: HistoryImportResult) {
    super('dry run')
  }
}

export async function importHistoryCsv(
  db: Kysely<Database>,
  by: { networkId: string; tokenId: string; role: string },
  bytes: Uint8Array,
  now: string,
  options: HistoryImportOptions = {},
): Promise<HistoryImportResult> {
  const { text, encoding } = decodeCsv(bytes)
  const digest = createHash('sha256').update(bytes).digest('hex')
  const { header, rows } = readCsvRows(text)
  requireColumns(header, requiredColumns)
  if (rows.length === 0) throw new AppError('csv_invalid', { fr: 'Aucune ligne', en: 'No rows' }, [{ row: 2, message: { fr: 'aucune ligne', en: 'no rows' } }])
  const issues: Issue[] = []
  const known = new Set<string>(historyColumns)
  const predictorColumns = header.filter((h) => h.startsWith(PREDICTOR_PREFIX))
  for (const column of predictorColumns) {
    if (column.length === PREDICTOR_PREFIX.length) issues.push({ row: 1, column, message: { fr: 'nom de prédicteur requis', en: 'predictor name required' } })
  }
  const seenColumns = new Set<string>()
  for (const column of header) {
    if (seenColumns.has(column)) issues.push({ row: 1, column, message: { fr: 'colonne en double', en: 'duplicate column' } })
    seenColumns.add(column)
  }
  const covariateColumns = header.filter((h) => h !== '' && !known.has(h) && !h.startsWith(PREDICTOR_PREFIX))
  const first = rows[0]!
  const title = (first.cells.event_title ?? '').trim()
  const date = readDate(first.cells.event_date ?? '')
  const scaleCell = (first.cells.interest_scale ?? '').trim()
  const scale = scaleCell === '' ? DEFAULT_SCALE : parseScale(scaleCell)
  if (!title) issues.push({ row: first.line, column: 'event_title', message: { fr: 'titre requis', en: 'title required' } })
  if (!date) issues.push({ row: first.line, column: 'event_date', message: DATE_MESSAGE })
  if (!scale) issues.push({ row: first.line, column: 'interest_scale', message: { fr: 'échelle « min-max » attendue, par exemple 1-10', en: 'scale “min-max” expected, e.g. 1-10' } })
  const layout: FileLayout = { scale: scale ?? DEFAULT_SCALE, predictorColumns, covariateColumns }
  const assignmentCell = (first.cells.trial_assignment ?? '').trim()
  const seedCell = (first.cells.trial_seed ?? '').trim()
  const assignment: 'event' | 'participant-block' | null =
    assignmentCell === '' || assignmentCell === 'event' ? 'event' : assignmentCell === 'participant-block' ? 'participant-block' : null
  if (!assignment) issues.push({ row: first.line, column: 'trial_assignment', message: { fr: "event ou participant-block", en: "'event' or 'participant-block'" } })
  const parsed: HistoryRow[] = []
  const pairs = new Map<string, number>()
  const seats = new Map<string, number>()
  const met = new Map<string, number>()
  for (const row of rows) {
    if ((row.cells.event_title ?? '').trim() !== title || readDate(row.cells.event_date ?? '') !== date) {
      issues.push({ row: row.line, column: 'event_title', message: { fr: "un seul événement par fichier (titre et date de la ligne 2)", en: "one event per file (title and date of line 2)" } })
    }
    if ((row.cells.trial_assignment ?? '').trim() !== assignmentCell || (row.cells.trial_seed ?? '').trim() !== seedCell) {
      issues.push({ row: row.line, column: 'trial_seed', message: { fr: "un seul essai par fichier (modalité et graine de la ligne 2)", en: "one trial per file (assignment and seed of line 2)" } })
    }
    if ((row.cells.interest_scale ?? '').trim() !== scaleCell) {
      issues.push({ row: row.line, column: 'interest_scale', message: { fr: "une seule échelle par fichier (celle de la ligne 2)", en: "one scale per file (that of line 2)" } })
    }
    const r = readRow(row, layout, issues)
    if (!r) continue
    const pair = `${nameKey(r.association.name)}|${nameKey(r.company.name)}`
    const again = pairs.get(pair)
    if (again !== undefined) issues.push({ row: r.line, column: 'company', message: { fr: `paire déjà à la ligne ${again}`, en: `pair already on line ${again}` } })
    pairs.set(pair, r.line)
    if (r.round !== null) {
      for (const [side, name] of [['association', r.association.name], ['company', r.company.name]] as const) {
        const seat = `${side}|${nameKey(name)}|${r.round}`
        const other = met.get(seat)
        if (other !== undefined) issues.push({ row: r.line, column: 'round', message: { fr: `${name} a déjà une rencontre au tour ${r.round} (ligne ${other})`, en: `${name} already meets someone in round ${r.round} (line ${other})` } })
        met.set(seat, r.line)
      }
      if (r.table !== null) {
        const seat = `${r.round}|${r.table}`
        const other = seats.get(seat)
        if (other !== undefined) issues.push({ row: r.line, column: 'table', message: { fr: `table déjà prise à ce tour (ligne ${other})`, en: `table taken in this round (line ${other})` } })
        seats.set(seat, r.line)
      }
    }
    parsed.push(r)
  }
  const arms = [...new Set(parsed.map((r) => r.arm).filter((a): a is string => a !== null))].sort()
  if (arms.length > 0 && seedCell === '') issues.push({ row: first.line, column: 'trial_seed', message: { fr: 'graine du tirage requise avec des bras', en: 'the seed of the draw is required with arms' } })
  if (arms.length === 0 && (seedCell !== '' || assignmentCell !== '')) issues.push({ row: first.line, column: 'arm', message: { fr: 'essai sans bras', en: 'trial without arms' } })
  if (issues.length > 0) {
    const lines = [...new Set(issues.map((i) => i.row))].join(', ')
    throw new AppError('csv_invalid', { fr: `Lignes invalides, rien n’a été importé : ${lines}`, en: `Bad rows, nothing imported: ${lines}` }, issues)
  }
  const eventDate = date!
  const trial = arms.length > 0 ? { assignment: assignment!, seed: seedCell, arms } : null

  const write = async (tx: Transaction<Database>): Promise<HistoryImportResult> => {
    const eventId = randomUUID()
    const result: HistoryImportResult = {
      eventId, dryRun: options.dryRun === true, replaced: null, encoding, digest, trial,
      predictors: predictorColumns.map((c) => c.slice(PREDICTOR_PREFIX.length)), covariates: covariateColumns, interestScale: layout.scale.label,
      organisations: { created: 0, reused: 0 }, meetings: 0, ratings: 0, partnerships: 0,
    }
    const earlier = await tx
      .selectFrom('history_imports')
      .innerJoin('events', 'events.id', 'history_imports.event_id')
      .select(['history_imports.event_id', 'events.title', 'events.date'])
      .where('history_imports.network_id', '=', by.networkId)
      .where('history_imports.digest', '=', digest)
      .executeTakeFirst()
    if (earlier) {
      if (!options.replace) {
        throw new AppError('conflict', {
          fr: `Fichier déjà importé (événement « ${earlier.title} » du ${formatDay(earlier.date, 'fr')}) ; ?replace=1 pour le remplacer`,
          en: `File already imported (event “${earlier.title}” of ${formatDay(earlier.date, 'en')}); ?replace=1 replaces it`,
        })
      }
      // everything of the event goes with it (foreign keys cascade); organisations stay
      await tx.deleteFrom('events').where('id', '=', earlier.event_id).where('network_id', '=', by.networkId).execute()
      await tx.deleteFrom('history_imports').where('network_id', '=', by.networkId).where('digest', '=', digest).execute()
      result.replaced = earlier.event_id
    }
    const held = parsed.filter((r) => r.round !== null)
    const rounds = Math.max(1, ...held.map((r) => r.round!))
    const perRound = new Map<number, number>()
    for (const r of held) perRound.set(r.round!, (perRound.get(r.round!) ?? 0) + 1)
    const tables = Math.max(1, ...perRound.values(), ...held.map((r) => r.table ?? 0))
    await tx
      .insertInto('events')
      .values({
        id: eventId, network_id: by.networkId, title, date: eventDate, venue: null, start_time: null, rounds, meeting_minutes: 7,
        transition_minutes: 1, breaks: '[]', tables, seated_side: 'company', status: 'closed', created_at: now, updated_at: now,
      })
      .execute()
    await tx.insertInto('history_imports').values({ network_id: by.networkId, digest, event_id: eventId, created_at: now }).execute()
    if (trial) await tx.insertInto('trials').values({ event_id: eventId, assignment: trial.assignment, seed: trial.seed, arms: JSON.stringify(trial.arms), created_at: now }).execute()

    const registrationOf = new Map<string, string>()
    const register = async (kind: Side, o: OrgCells): Promise<string> => {
      const key = `${kind}|${nameKey(o.name)}`
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
            // a placeholder when the file gave no score: pair_extras.score_known = 0 makes it null
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
              due_date: eventDate, reasons: '[]', note: null, status: 'accepted', created_at: now, updated_at: now,
            })
            .execute()
        }
        const id = randomUUID()
        const created = `${eventDate}T00:00:00.000Z`
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
          await setStatus(tx, current, status, status === 'abandoned' ? 'abandon repris de l’historique importé' : null, actor, reachedAt)
          current = { ...current, status }
        }
        result.partnerships++
      }
      await tx
        .insertInto('pair_extras')
        .values({
          event_id: eventId, association_registration_id: a, company_registration_id: c,
          score_known: r.score === null ? 0 : 1,
          predictors: JSON.stringify(r.predictors),
          covariates: JSON.stringify(r.covariates),
          interest_scale: layout.scale.label,
          a_interest_given: r.interestGiven.association ?? null,
          c_interest_given: r.interestGiven.company ?? null,
          outcome_known: r.outcomeKnown ? 1 : 0,
          outcome_dated: r.outcome !== null && r.outcomeDate === null ? 0 : 1,
          arm: r.arm,
        })
        .execute()
    }
    if (options.dryRun) throw new DryRun({ ...result, eventId: null })
    return result
  }

  try {
    return await db.transaction().execute(write)
  } catch (e) {
    if (e instanceof DryRun) return e.result
    // the same file imported at the same moment by another request: its digest row won the race
    if (!(e instanceof AppError)) {
      const raced = await db
        .selectFrom('history_imports')
        .innerJoin('events', 'events.id', 'history_imports.event_id')
        .select(['events.title'])
        .where('history_imports.network_id', '=', by.networkId)
        .where('history_imports.digest', '=', digest)
        .executeTakeFirst()
      if (raced) throw new AppError('conflict', { fr: `Fichier déjà importé (événement « ${raced.title} »)`, en: `File already imported (event “${raced.title}”)` })
    }
    throw e
  }
}
