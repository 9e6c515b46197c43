/**
 * Importing participants from the CSV that registration forms and spreadsheets
 * give organisers. Encoding (UTF-8 with or without BOM, else Windows-1252) and
 * delimiter (';' or ',') are detected. Every row is validated; one bad row
 * rejects the whole file with the spreadsheet's row numbers (header = row 1)
 * and nothing is written. A good file is written in one transaction: new
 * registrations, and updates of the ones the event has (a re-imported file).
 *
 * Files run to 50,000 rows: organisations and registrations are matched with
 * a few set-based queries and written with multi-row statements, and the work
 * gives the event loop back between chunks, so that the server keeps
 * answering (on SQLite the queries themselves are synchronous).
 */
import { deriveSecret } from './links.ts'
import type { Kysely } from 'kysely'
import { parse } from 'csv-parse/sync'
import { z } from 'zod'
import {
  findCandidateOrganisations, insertOrganisations, OrganisationMatcher, organisationRow, parseList, refreshOrganisations, type OrganisationFields,
} from '../db/repositories/organisations.repository.ts'
import {
  insertRegistrations, refreshRegistrations, registrationRow, registrationsOfOrganisations, type RegistrationFields,
} from '../db/repositories/registrations.repository.ts'
import type { Database, Event, Organisation, Registration } from '../db/schema.ts'
import { AppError, type Issue, type Msg } from '../errors.ts'
import { sideLabels } from './labels.ts'
import { plural } from './typography.ts'
import { nameKey } from './names.ts'
import { attendanceOnArrival } from './participants.ts'
import { fold, resolveTerm, type VocabularyName } from './vocabularies.ts'

/** Canonical column -> accepted headers (folded: lower case, no accents, punctuation as spaces). */
export const csvColumns = {
  type: ['type', 'kind', 'nature', 'type de structure'],
  nom: ['nom', 'name', 'organisation', 'organization', 'structure', 'raison sociale'],
  identifiant: ['siren rna', 'siren ou rna', 'identifiant', 'siren', 'rna', 'siret'],
  secteur: ['secteur', 'sector', 'secteur d activite'],
  taille: ['taille', 'size', 'effectif'],
  ville: ['ville', 'town', 'city', 'commune'],
  codePostal: ['code postal', 'cp', 'postcode', 'postal code', 'zip'],
  latitude: ['latitude', 'lat'],
  longitude: ['longitude', 'lon', 'lng', 'long'],
  themes: ['themes', 'theme', 'thematiques'],
  territoires: ['territoires', 'territoire', 'territories', 'territory'],
  offres: ['offres', 'offre', 'offers', 'offer', 'ce que nous offrons'],
  besoins: ['besoins', 'besoin', 'needs', 'need', 'ce que nous cherchons'],
  description: ['description', 'presentation'],
  contact: ['contact', 'contact name', 'nom du contact', 'contact person'],
  email: ['email', 'e mail', 'courriel', 'mail', 'adresse email', 'adresse mail', 'contact email'],
  participant: ['participant', 'participante', 'person', 'personne', 'participant name', 'nom du participant'],
  emailParticipant: ['email participant', 'participant email', 'courriel participant'],
  groupe: ['groupe', 'group'],
  arrivee: ['arrivee', 'arrival', 'arrive', 'arrival round', 'rencontre d arrivee', 'arrivee round'],
  depart: ['depart', 'departure', 'leave', 'departure round', 'rencontre de depart', 'depart round'],
  rencontresMin: ['rencontres min', 'min rencontres', 'min meetings', 'meetings min', 'minimum'],
  rencontresMax: ['rencontres max', 'max rencontres', 'max meetings', 'meetings max', 'maximum'],
} as const

export type CsvColumn = keyof typeof csvColumns
const requiredColumns: CsvColumn[] = ['type', 'nom', 'participant']

/** The header as the file writes it, for messages. */
const displayName: Record<CsvColumn, string> = {
  type: 'type', nom: 'nom', identifiant: 'siren/rna', secteur: 'secteur', taille: 'taille', ville: 'ville',
  codePostal: 'code postal', latitude: 'latitude', longitude: 'longitude', themes: 'thèmes', territoires: 'territoires',
  offres: 'offres', besoins: 'besoins', description: 'description', contact: 'contact', email: 'email',
  participant: 'participant', emailParticipant: 'email participant', groupe: 'groupe', arrivee: 'arrivée',
  depart: 'départ', rencontresMin: 'rencontres min', rencontresMax: 'rencontres max',
}

export interface ParsedRow {
  /** the spreadsheet's row number (header = 1) */
  row: number
  organisation: OrganisationFields
  registration: RegistrationFields
}

export interface CsvReport {
  dryRun: boolean
  valid: boolean
  encoding: 'utf-8' | 'windows-1252'
  delimiter: ';' | ','
  /** data rows read (empty rows skipped) */
  rows: number
  columns: string[]
  ignoredColumns: string[]
  /** dry run: each valid row and what the import would do with it (empty once imported) */
  preview: PreviewRow[]
  issues: Issue[]
  counts: Record<'created' | 'updated' | 'unchanged', number>
  /** new registrations, with their personal secrets (shown once) */
  created: { registrationId: string; organisationId: string; organisation: string; personName: string; token: string }[]
  /** registrations the event had, changed by the file (their links stay) */
  updated: { registrationId: string; organisationId: string; organisation: string; personName: string; changes: FieldChange[] }[]
}

// Windows-1252 differs from Latin-1 in 0x80-0x9F; Node's TextDecoder maps them as Latin-1.
const cp1252: Record<number, string> = {
  0x80: '€', 0x82: '‚', 0x83: 'ƒ', 0x84: '„', 0x85: '…', 0x86: '†', 0x87: '‡', 0x88: 'ˆ', 0x89: '‰', 0x8a: 'Š', 0x8b: '‹',
  0x8c: 'Œ', 0x8e: 'Ž', 0x91: '‘', 0x92: '’', 0x93: '“', 0x94: '”', 0x95: '•', 0x96: '–', 0x97: '—', 0x98: '˜', 0x99: '™',
  0x9a: 'š', 0x9b: '›', 0x9c: 'œ', 0x9e: 'ž', 0x9f: 'Ÿ',
}

/** UTF-8 (a BOM is dropped) when the bytes are valid UTF-8, else Windows-1252. */
export function decodeCsv(bytes: Uint8Array): { text: string; encoding: 'utf-8' | 'windows-1252' } {
  let body = bytes
  if (body[0] === 0xef && body[1] === 0xbb && body[2] === 0xbf) body = body.subarray(3)
  try {
    return { text: new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(body), encoding: 'utf-8' }
  } catch {
    // byte by byte as Latin-1, then the 0x80-0x9F that Windows-1252 uses otherwise (one pass, for megabytes)
    const latin1 = Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString('latin1')
    return { text: latin1.replace(/[\x80-\x9f]/g, (ch) => cp1252[ch.charCodeAt(0)] ?? ch), encoding: 'windows-1252' }
  }
}

/** ';' or ',': whichever appears more often outside quotes in the header line. */
export function detectDelimiter(text: string): ';' | ',' {
  let semicolons = 0
  let commas = 0
  let quoted = false
  for (const ch of text) {
    if (ch === '"') quoted = !quoted
    else if (!quoted && (ch === '\n' || ch === '\r')) break
    else if (!quoted && ch === ';') semicolons++
    else if (!quoted && ch === ',') commas++
  }
  return semicolons > commas ? ';' : ','
}

function columnFor(header: string): CsvColumn | null {
  const folded = fold(header)
  for (const [column, aliases] of Object.entries(csvColumns) as [CsvColumn, readonly string[]][]) {
    if ((aliases as readonly string[]).includes(folded)) return column
  }
  return null
}

const Email = z.email()

/** Rows validated, or CSV tokenised, between two yields to the event loop. */
const rowsPerStep = 250
const charsPerStep = 64 * 1024
const linesPerStep = 500
const cellsPerStep = 20_000
/** Cells of one line: the format has 23 columns; thousands are an attack on the parser, not a file. */
const maxCellsPerLine = 1000

/** Lets other requests run: a 50,000-row file must not freeze the server. */
export const yieldToEventLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve))

/** Runs a stepwise job to its end without yielding. */
function runSync<T>(steps: Generator<void, T>): T {
  let next = steps.next()
  while (!next.done) next = steps.next()
  return next.value
}

/** Runs a stepwise job, giving the event loop back between steps. */
async function runYielding<T>(steps: Generator<void, T>): Promise<T> {
  let next = steps.next()
  while (!next.done) {
    await yieldToEventLoop()
    next = steps.next()
  }
  return next.value
}

/**
 * The CSV records, tokenised a piece at a time. A piece ends at a line break
 * outside quotes (an even number of '"' since the piece began: an escaped
 * quote "" counts twice), so the pieces' records are the file's records. A
 * piece holds at most ~64 KB, 500 lines or 20,000 cells: csv-parse spends
 * ~50 µs on a ragged row and a few µs on a cell, so no piece holds the event
 * loop for long, whatever the file; a line of more than 1,000 cells is refused.
 */
function* readRecords(text: string, delimiter: ';' | ','): Generator<void, string[][]> {
  const records: string[][] = []
  const separator = delimiter.charCodeAt(0)
  let start = 0
  let linesBefore = 0
  while (start < text.length) {
    let end = text.length
    let quotes = 0
    let lines = 0
    let newlines = 0
    let cells = 0
    let lineCells = 0
    for (let i = start; i < text.length; i++) {
      const ch = text.charCodeAt(i)
      if (ch === 34) quotes++
      else if (ch === 10) {
        newlines++
        if (quotes % 2 !== 0) continue
        lines++
        lineCells = 0
        if (i - start >= charsPerStep || lines >= linesPerStep || cells >= cellsPerStep) {
          end = i + 1
          break
        }
      } else if (ch === separator && quotes % 2 === 0 && ++lineCells > maxCellsPerLine) {
        const row = linesBefore + newlines + 1
        throw new AppError('csv_invalid', { fr: 'Fichier CSV illisible', en: 'Unreadable CSV file' }, [
          { row, message: { fr: `plus de ${maxCellsPerLine} cellules sur la ligne`, en: `more than ${maxCellsPerLine} cells on the line` } },
        ])
      } else if (ch === separator && quotes % 2 === 0) cells++
    }
    const piece = text.slice(start, end)
    try {
      for (const record of parse(piece, { delimiter, relax_column_count: true, skip_empty_lines: false, bom: true }) as string[][]) {
        records.push(record)
      }
    } catch (err) {
      const line = (err as { lines?: number }).lines
      throw new AppError('csv_invalid', { fr: 'Fichier CSV illisible', en: 'Unreadable CSV file' }, [
        { row: line === undefined ? 1 : line + linesBefore, message: { fr: 'CSV mal formé (guillemets ou séparateurs mal placés)', en: `malformed CSV: ${(err as Error).message}` } },
      ])
    }
    linesBefore += newlines
    start = end
    if (start < text.length) yield
  }
  return records
}

/** A file parsed and validated, before it is matched to the database. */
export type ParsedCsv = Omit<CsvReport, 'dryRun' | 'valid' | 'created' | 'updated' | 'counts' | 'preview'> & { preview: ParsedRow[] }

/** Parses and validates the whole file against the event; pure. */
export function parseParticipantsCsv(bytes: Uint8Array, event: Pick<Event, 'rounds'>): ParsedCsv {
  return runSync(parseSteps(bytes, event))
}

function* parseSteps(bytes: Uint8Array, event: Pick<Event, 'rounds'>): Generator<void, ParsedCsv> {
  const { text, encoding } = decodeCsv(bytes)
  const delimiter = detectDelimiter(text)
  const issues: Issue[] = []
  const records = yield* readRecords(text, delimiter)
  const header = records[0] ?? []
  const index = new Map<CsvColumn, number>()
  const ignoredColumns: string[] = []
  header.forEach((name, i) => {
    const column = columnFor(name)
    if (!column) {
      if (name.trim()) ignoredColumns.push(name.trim())
    } else if (index.has(column)) {
      issues.push({ row: 1, column: name, message: { fr: `colonne en double (${displayName[column]})`, en: `duplicate column (${displayName[column]})` } })
    } else index.set(column, i)
  })
  for (const column of requiredColumns) {
    if (!index.has(column)) {
      issues.push({ row: 1, column: displayName[column], message: { fr: `colonne obligatoire absente : « ${displayName[column]} »`, en: `missing required column “${displayName[column]}”` } })
    }
  }
  const base = { encoding, delimiter, columns: header.map((h) => h.trim()), ignoredColumns }
  if (issues.length > 0) return { ...base, rows: 0, preview: [], issues }

  const preview: ParsedRow[] = []
  const seen = new Map<string, number>()
  // a file repeats the same few codes: resolve each text once
  const resolved = new Map<string, string | null>()
  const resolve = (vocabulary: VocabularyName, text: string): string | null => {
    const key = `${vocabulary}\u0000${text}`
    let code = resolved.get(key)
    if (code === undefined) {
      code = resolveTerm(vocabulary, text)
      resolved.set(key, code)
    }
    return code
  }
  for (let i = 1; i < records.length; i++) {
    if (i % rowsPerStep === 0) yield
    const record = records[i]!
    const row = i + 1
    if (record.every((cell) => cell.trim() === '')) continue
    const rowIssues: Issue[] = []
    const cell = (column: CsvColumn): string => {
      const at = index.get(column)
      return at === undefined ? '' : (record[at] ?? '').trim()
    }
    const fail = (column: CsvColumn, message: Msg) => rowIssues.push({ row, column: displayName[column], message })

    const kindText = fold(cell('type'))
    const kind = ['association', 'asso', 'associations'].includes(kindText)
      ? 'association'
      : ['entreprise', 'company', 'societe', 'entreprises'].includes(kindText)
        ? 'company'
        : null
    if (!kind) fail('type', { fr: `« ${cell('type')} » : association ou entreprise attendue`, en: `“${cell('type')}”: association or entreprise (company) expected` })
    const name = cell('nom')
    if (!name) fail('nom', { fr: 'nom obligatoire', en: 'name required' })
    const person = cell('participant')
    if (!person) fail('participant', { fr: 'nom du participant obligatoire', en: 'participant name required' })

    let siren: string | null = null
    let rna: string | null = null
    const ident = cell('identifiant').replace(/[\s.]/g, '').toUpperCase()
    if (ident) {
      if (/^\d{9}$/.test(ident)) siren = ident
      else if (/^\d{14}$/.test(ident)) siren = ident.slice(0, 9) // a SIRET starts with the SIREN
      else if (/^W\d{9}$/.test(ident)) rna = ident
      else fail('identifiant', { fr: `« ${cell('identifiant')} » : un SIREN a 9 chiffres, un RNA un W et 9 chiffres`, en: `“${cell('identifiant')}”: a SIREN is 9 digits, an RNA is W and 9 digits` })
    }

    const term = (column: CsvColumn, vocabulary: VocabularyName): string | null => {
      const value = cell(column)
      if (!value) return null
      const code = resolve(vocabulary, value)
      if (!code) fail(column, { fr: `« ${value} » : code inconnu (voir data/vocabularies)`, en: `“${value}”: unknown code (see data/vocabularies)` })
      return code
    }
    const terms = (column: CsvColumn, vocabulary: VocabularyName): string[] => {
      const out: string[] = []
      for (const piece of cell(column).split('|')) {
        // ',' separates terms too, but some labels hold a comma: take the longest run that is a term
        const parts = piece.split(',')
        for (let i = 0; i < parts.length; ) {
          let j = parts.length
          let code: string | null = null
          for (; j > i; j--) {
            const candidate = parts.slice(i, j).join(',').trim()
            code = candidate ? resolve(vocabulary, candidate) : null
            if (code) break
          }
          if (code) {
            if (!out.includes(code)) out.push(code)
            i = j
          } else {
            const part = (parts[i] ?? '').trim()
            if (part) fail(column, { fr: `« ${part} » : code inconnu (voir data/vocabularies)`, en: `“${part}”: unknown code (see data/vocabularies)` })
            i++
          }
        }
      }
      return out
    }
    const number = (column: CsvColumn, min: number, max: number): number | null => {
      const value = cell(column).replace(',', '.')
      if (!value) return null
      const n = Number(value)
      if (!Number.isFinite(n) || n < min || n > max) {
        fail(column, { fr: `« ${cell(column)} » : nombre entre ${min} et ${max} attendu`, en: `“${cell(column)}”: number between ${min} and ${max} expected` })
        return null
      }
      return n
    }
    const integer = (column: CsvColumn, min: number, max: number): number | null => {
      const value = cell(column)
      if (!value) return null
      if (!/^\d+$/.test(value) || Number(value) < min || Number(value) > max) {
        fail(column, { fr: `« ${value} » : entier entre ${min} et ${max} attendu`, en: `“${value}”: whole number between ${min} and ${max} expected` })
        return null
      }
      return Number(value)
    }
    const email = (column: CsvColumn): string | null => {
      const value = cell(column)
      if (!value) return null
      if (!Email.safeParse(value).success) fail(column, { fr: `« ${value} » : adresse électronique invalide`, en: `“${value}”: invalid e-mail address` })
      return value
    }

    const sector = term('secteur', 'sectors')
    const size = term('taille', 'sizes')
    let postcode: string | null = cell('codePostal').replace(/\s/g, '') || null
    if (postcode && /^\d{4}$/.test(postcode)) postcode = `0${postcode}` // a spreadsheet dropped the leading zero
    if (postcode && !/^\d{5}$/.test(postcode)) fail('codePostal', { fr: `« ${postcode} » : 5 chiffres attendus`, en: `“${postcode}”: 5 digits expected` })
    const latitude = number('latitude', -90, 90)
    const longitude = number('longitude', -180, 180)
    const themes = terms('themes', 'themes')
    const territories = terms('territoires', 'territories')
    const offers = terms('offres', 'resources')
    const needs = terms('besoins', 'resources')
    const contactEmail = email('email')
    const personEmail = email('emailParticipant') ?? contactEmail
    const arriveRound = integer('arrivee', 1, event.rounds)
    const leaveRound = integer('depart', 1, event.rounds)
    if (arriveRound !== null && leaveRound !== null && arriveRound > leaveRound) fail('depart', { fr: "départ avant l'arrivée", en: "leaves before arriving" })
    const minMeetings = integer('rencontresMin', 0, event.rounds)
    const maxMeetings = integer('rencontresMax', 0, event.rounds)
    if (minMeetings !== null && maxMeetings !== null && minMeetings > maxMeetings) {
      fail('rencontresMax', { fr: 'maximum inférieur au minimum', en: 'max below min' })
    }

    if (kind && name) {
      // the same organisation twice: same SIREN/RNA, or same kind and name
      const keys = [siren && `siren:${siren}`, rna && `rna:${rna}`, `${kind}:${fold(name)}`].filter((k): k is string => !!k)
      const first = keys.map((k) => seen.get(k)).find((r) => r !== undefined)
      if (first !== undefined) fail('nom', { fr: `« ${name} » déjà présente ligne ${first}`, en: `“${name}” already on row ${first}` })
      else for (const k of keys) seen.set(k, row)
    }

    issues.push(...rowIssues)
    if (rowIssues.length > 0 || !kind) continue
    preview.push({
      row,
      organisation: {
        kind, name, siren, rna, sector, size, town: cell('ville') || null, postcode, latitude, longitude, themes, territories,
        offers, needs, description: cell('description') || null, contactName: cell('contact') || null, contactEmail,
        groupName: cell('groupe') || null,
      },
      registration: { personName: person, personEmail, arriveRound, leaveRound, minMeetings, maxMeetings },
    })
  }
  if (records.length <= 1 || (preview.length === 0 && issues.length === 0)) {
    issues.push({ row: 2, message: { fr: 'aucune ligne de participant', en: 'no participant row' } })
  }
  return { ...base, rows: preview.length + new Set(issues.map((i) => i.row)).size, preview, issues }
}

/** One field a re-import changes, old → new, named as the API names it. */
export interface FieldChange {
  field: string
  from: unknown
  to: unknown
}

/** What the import does with a row: a new registration, a change to the one the organisation has, or nothing. */
export type RowAction = 'create' | 'update' | 'unchanged'

export interface PreviewRow extends ParsedRow {
  action: RowAction
  /** the existing organisation the row is matched to (null: a new one) */
  organisationId: string | null
  /** the organisation's registration in this event (null: a new one) */
  registrationId: string | null
  /** organisation profile and registration fields the row changes */
  changes: FieldChange[]
}

const organisationChanges: [string, keyof Organisation, boolean][] = [
  ['name', 'name', false], ['siren', 'siren', false], ['rna', 'rna', false], ['sector', 'sector', false], ['size', 'size', false],
  ['town', 'town', false], ['postcode', 'postcode', false], ['latitude', 'latitude', false], ['longitude', 'longitude', false],
  ['themes', 'themes', true], ['territories', 'territories', true], ['offers', 'offers', true], ['needs', 'needs', true],
  ['description', 'description', false], ['contactName', 'contact_name', false], ['contactEmail', 'contact_email', false],
  ['groupName', 'group_name', false],
]
const registrationChanges: [string, keyof Registration][] = [
  ['personName', 'person_name'], ['personEmail', 'person_email'], ['arriveRound', 'arrive_round'], ['leaveRound', 'leave_round'],
  ['minMeetings', 'min_meetings'], ['maxMeetings', 'max_meetings'],
]

interface Plan {
  preview: PreviewRow[]
  issues: Issue[]
  newOrganisations: Organisation[]
  refreshedOrganisations: Organisation[]
  /** registrations to create: the organisation (new or existing) and the row */
  toRegister: { organisation: Organisation; row: ParsedRow }[]
  /** registrations to rewrite, as they will read */
  toUpdate: { registration: Registration; organisation: Organisation; changes: FieldChange[] }[]
}

/**
 * Matches every row to the network's organisations and the event's
 * registrations with a few set-based queries, then decides row by row in
 * memory (the rules of findMatchingOrganisation).
 */
async function planImport(db: Kysely<Database>, event: Event, rows: ParsedRow[], now: string): Promise<Plan> {
  const keys: { siren: string | null; rna: string | null; nameKey: string }[] = []
  for (const [i, p] of rows.entries()) {
    if (i > 0 && i % rowsPerStep === 0) await yieldToEventLoop()
    keys.push({ siren: p.organisation.siren ?? null, rna: p.organisation.rna ?? null, nameKey: nameKey(p.organisation.name) })
  }
  // better-sqlite3 answers synchronously: without a yield after each query, awaiting them would not let other requests in
  const candidates = await findCandidateOrganisations(db, event.network_id, keys, yieldToEventLoop)
  const matcher = new OrganisationMatcher<Organisation>()
  for (const [i, o] of candidates.entries()) {
    if (i > 0 && i % rowsPerStep === 0) await yieldToEventLoop()
    matcher.add(o)
  }
  const matches: (Organisation | undefined)[] = []
  for (const [i, p] of rows.entries()) {
    if (i > 0 && i % rowsPerStep === 0) await yieldToEventLoop()
    matches.push(matcher.match(p.organisation, keys[i]!.nameKey))
  }
  const matchedIds = [...new Set(matches.flatMap((o) => (o ? [o.id] : [])))]
  const registered = await registrationsOfOrganisations(db, event.id, matchedIds, yieldToEventLoop)
  const claimedBy = new Map<string, number>()
  const plan: Plan = { preview: [], issues: [], newOrganisations: [], refreshedOrganisations: [], toRegister: [], toUpdate: [] }
  for (const [i, p] of rows.entries()) {
    if (i > 0 && i % rowsPerStep === 0) await yieldToEventLoop()
    // a row matching an organisation that an earlier row of the file created is the same organisation twice
    const existing = matches[i] ?? matcher.match(p.organisation, keys[i]!.nameKey)
    if (existing && existing.kind !== p.organisation.kind) {
      plan.issues.push({ row: p.row, column: 'type', message: { fr: `« ${existing.name} » est connue comme ${sideLabels[existing.kind].fr}`, en: `“${existing.name}” is known as ${sideLabels[existing.kind].en === 'association' ? 'an association' : 'a company'}` } })
      continue
    }
    const earlier = existing && claimedBy.get(existing.id)
    if (existing && earlier !== undefined) {
      plan.issues.push({ row: p.row, column: 'nom', message: { fr: `« ${existing.name} » : même organisation que la ligne ${earlier}`, en: `“${existing.name}”: same organisation as row ${earlier}` } })
      continue
    }
    if (!existing) {
      const organisation = organisationRow(event.network_id, p.organisation, now)
      matcher.add(organisation)
      claimedBy.set(organisation.id, p.row)
      plan.newOrganisations.push(organisation)
      plan.toRegister.push({ organisation, row: p })
      plan.preview.push({ ...p, action: 'create', organisationId: null, registrationId: null, changes: [] })
      continue
    }
    claimedBy.set(existing.id, p.row)
    // the profile refreshed from the row: the same name in another spelling keeps the spelling on record (a new
    // name, same SIREN/RNA, replaces it); a cell left empty, or a column the file does not have, keeps what the
    // network knows (a spreadsheet of next year's registrations need not repeat every profile)
    const fresh = organisationRow(event.network_id, p.organisation, now)
    const sameName = fresh.name_key === existing.name_key
    const organisation: Organisation = { ...existing, updated_at: fresh.updated_at }
    for (const [, column] of organisationChanges) {
      if (column === 'name') continue
      const value = fresh[column]
      if (value !== null && value !== '' && value !== '[]') (organisation as Record<string, unknown>)[column] = value
    }
    if (!sameName) Object.assign(organisation, { name: fresh.name, name_key: fresh.name_key })
    const changes: FieldChange[] = []
    for (const [field, column, list] of organisationChanges) {
      if (existing[column] === organisation[column]) continue
      const value = (o: Organisation) => (list ? parseList(o[column] as string) : o[column])
      changes.push({ field: `organisation.${field}`, from: value(existing), to: value(organisation) })
    }
    if (changes.length > 0) plan.refreshedOrganisations.push(organisation)
    const registration = registered.get(existing.id)
    if (!registration) {
      plan.toRegister.push({ organisation, row: p })
      plan.preview.push({ ...p, action: 'create', organisationId: existing.id, registrationId: null, changes })
      continue
    }
    const f = p.registration
    // as for the profile, an empty cell keeps what the registration has; but another person never keeps the
    // previous one's e-mail
    const samePerson = nameKey(f.personName) === nameKey(registration.person_name)
    const next: Registration = {
      ...registration, person_name: f.personName.trim(), person_email: f.personEmail ?? (samePerson ? registration.person_email : null),
      arrive_round: f.arriveRound ?? registration.arrive_round, leave_round: f.leaveRound ?? registration.leave_round,
      min_meetings: f.minMeetings ?? registration.min_meetings, max_meetings: f.maxMeetings ?? registration.max_meetings,
    }
    for (const [field, column] of registrationChanges) {
      if (registration[column] !== next[column]) changes.push({ field, from: registration[column], to: next[column] })
    }
    if (changes.length > 0) plan.toUpdate.push({ registration: next, organisation, changes })
    plan.preview.push({ ...p, action: changes.length > 0 ? 'update' : 'unchanged', organisationId: existing.id, registrationId: registration.id, changes })
  }
  return plan
}

/**
 * Validates the file, matches each row to the network's organisations and the
 * event's registrations, and (unless dryRun) writes every row in one
 * transaction: new registrations, and changes to the registrations and
 * organisation profiles the event already has. Throws 'csv_invalid' with every
 * issue on any bad row, unless dryRun, which reports them. The event loop is
 * given back between chunks, so that other requests are answered meanwhile.
 */
export async function importParticipantsCsv(
  db: Kysely<Database>,
  event: Event,
  bytes: Uint8Array,
  options: { dryRun: boolean; now: string; /** server secret the personal links are derived from (src/domain/links.ts) */ linkKey?: string },
): Promise<CsvReport> {
  const parsed = await runYielding(parseSteps(bytes, event))
  const prepare = async (q: Kysely<Database>) => {
    const plan = await planImport(q, event, parsed.preview, options.now)
    const issues = [...parsed.issues, ...plan.issues].sort((a, b) => (a.row ?? 0) - (b.row ?? 0))
    const count = (action: RowAction) => plan.preview.filter((p) => p.action === action).length
    const report: CsvReport = {
      ...parsed, preview: plan.preview, issues, dryRun: options.dryRun, valid: issues.length === 0,
      counts: { created: count('create'), updated: count('update'), unchanged: count('unchanged') }, created: [], updated: [],
    }
    return { plan, report }
  }
  if (options.dryRun) return (await prepare(db)).report
  // on SQLite the planning reads run in the transaction too: nothing changes between the check and the write
  return db.transaction().execute(async (trx) => {
    const { plan, report } = await prepare(trx)
    if (report.issues.length > 0) {
      const rows = new Set(report.issues.map((i) => i.row))
      throw new AppError('csv_invalid', {
        fr: `Fichier refusé, rien n’a été importé : ${plural(rows.size, 'fr', { one: '# ligne en erreur', other: '# lignes en erreur' })}`,
        en: `File rejected, nothing imported: ${plural(rows.size, 'en', { one: '# row in error', other: '# rows in error' })}`,
      }, report.issues)
    }
    await insertOrganisations(trx, plan.newOrganisations, yieldToEventLoop)
    await refreshOrganisations(trx, plan.refreshedOrganisations, yieldToEventLoop)
    const attendance = attendanceOnArrival(event, undefined)
    // links derived from the server secret (version 0): given again later without a write per row
    const linkKey = options.linkKey
    const secretFor = linkKey ? (id: string) => deriveSecret(linkKey, id, 0) : undefined
    const registrations: Registration[] = []
    for (const [i, { organisation, row }] of plan.toRegister.entries()) {
      if (i > 0 && i % rowsPerStep === 0) await yieldToEventLoop()
      const { registration, secret } = registrationRow(event.id, organisation.id, { ...row.registration, attendance }, options.now, secretFor)
      registrations.push(registration)
      report.created.push({ registrationId: registration.id, organisationId: organisation.id, organisation: organisation.name, personName: registration.person_name, token: secret })
    }
    await insertRegistrations(trx, registrations, yieldToEventLoop)
    await refreshRegistrations(trx, plan.toUpdate.map((u) => u.registration), yieldToEventLoop)
    // the answer of a real import: what was done, with the new links; the preview is the dry run's
    report.preview = []
    report.updated = plan.toUpdate.map(({ registration, organisation, changes }) => ({
      registrationId: registration.id, organisationId: organisation.id, organisation: organisation.name, personName: registration.person_name, changes,
    }))
    return report
  })
}
