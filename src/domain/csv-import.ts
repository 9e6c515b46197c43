/**
 * Importing participants from the CSV that registration forms and spreadsheets
 * give organisers. Encoding (UTF-8 with or without BOM, else Windows-1252) and
 * delimiter (';' or ',') are detected. Every row is validated; one bad row
 * rejects the whole file with the spreadsheet's row numbers (header = row 1)
 * and nothing is written. A good file is written in one transaction.
 */
import type { Kysely } from 'kysely'
import { parse } from 'csv-parse/sync'
import { z } from 'zod'
import type { OrganisationFields } from '../db/repositories/organisations.repository.ts'
import { findMatchingOrganisation } from '../db/repositories/organisations.repository.ts'
import { isRegistered, type RegistrationFields } from '../db/repositories/registrations.repository.ts'
import type { Database, Event } from '../db/schema.ts'
import { AppError, type Issue } from '../errors.ts'
import { registerParticipant } from './participants.ts'
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
  preview: ParsedRow[]
  issues: Issue[]
  created: { registrationId: string; organisationId: string; organisation: string; personName: string; token: string }[]
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
    let text = ''
    for (const byte of body) text += cp1252[byte] ?? String.fromCharCode(byte)
    return { text, encoding: 'windows-1252' }
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

/** Parses and validates the whole file against the event; pure but for `known` lookups. */
export function parseParticipantsCsv(
  bytes: Uint8Array,
  event: Pick<Event, 'rounds'>,
): Omit<CsvReport, 'dryRun' | 'valid' | 'created'> {
  const { text, encoding } = decodeCsv(bytes)
  const delimiter = detectDelimiter(text)
  const issues: Issue[] = []
  let records: string[][]
  try {
    records = parse(text, { delimiter, relax_column_count: true, skip_empty_lines: false, bom: true }) as string[][]
  } catch (err) {
    const line = (err as { lines?: number }).lines
    throw new AppError('csv_invalid', 'Fichier CSV illisible / Unreadable CSV file', [
      { row: line ?? 1, message: `CSV mal formé / malformed CSV: ${(err as Error).message}` },
    ])
  }
  const header = records[0] ?? []
  const index = new Map<CsvColumn, number>()
  const ignoredColumns: string[] = []
  header.forEach((name, i) => {
    const column = columnFor(name)
    if (!column) {
      if (name.trim()) ignoredColumns.push(name.trim())
    } else if (index.has(column)) {
      issues.push({ row: 1, column: name, message: `colonne en double (${displayName[column]}) / duplicate column` })
    } else index.set(column, i)
  })
  for (const column of requiredColumns) {
    if (!index.has(column)) {
      issues.push({ row: 1, column: displayName[column], message: `colonne obligatoire absente / missing required column « ${displayName[column]} »` })
    }
  }
  const base = { encoding, delimiter, columns: header.map((h) => h.trim()), ignoredColumns }
  if (issues.length > 0) return { ...base, rows: 0, preview: [], issues }

  const preview: ParsedRow[] = []
  const seen = new Map<string, number>()
  records.slice(1).forEach((record, i) => {
    const row = i + 2
    if (record.every((cell) => cell.trim() === '')) return
    const rowIssues: Issue[] = []
    const cell = (column: CsvColumn): string => {
      const at = index.get(column)
      return at === undefined ? '' : (record[at] ?? '').trim()
    }
    const fail = (column: CsvColumn, message: string) => rowIssues.push({ row, column: displayName[column], message })

    const kindText = fold(cell('type'))
    const kind = ['association', 'asso', 'associations'].includes(kindText)
      ? 'association'
      : ['entreprise', 'company', 'societe', 'entreprises'].includes(kindText)
        ? 'company'
        : null
    if (!kind) fail('type', `« ${cell('type')} » : attendu association ou entreprise / expected association or entreprise`)
    const name = cell('nom')
    if (!name) fail('nom', 'nom obligatoire / name required')
    const person = cell('participant')
    if (!person) fail('participant', 'nom du participant obligatoire / participant name required')

    let siren: string | null = null
    let rna: string | null = null
    const ident = cell('identifiant').replace(/[\s.]/g, '').toUpperCase()
    if (ident) {
      if (/^\d{9}$/.test(ident)) siren = ident
      else if (/^\d{14}$/.test(ident)) siren = ident.slice(0, 9) // a SIRET starts with the SIREN
      else if (/^W\d{9}$/.test(ident)) rna = ident
      else fail('identifiant', `« ${cell('identifiant')} » : SIREN = 9 chiffres, RNA = W + 9 chiffres / SIREN is 9 digits, RNA is W + 9 digits`)
    }

    const term = (column: CsvColumn, vocabulary: VocabularyName): string | null => {
      const value = cell(column)
      if (!value) return null
      const code = resolveTerm(vocabulary, value)
      if (!code) fail(column, `« ${value} » : code inconnu / unknown code (voir data/vocabularies)`)
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
            code = candidate ? resolveTerm(vocabulary, candidate) : null
            if (code) break
          }
          if (code) {
            if (!out.includes(code)) out.push(code)
            i = j
          } else {
            const part = (parts[i] ?? '').trim()
            if (part) fail(column, `« ${part} » : code inconnu / unknown code (voir data/vocabularies)`)
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
        fail(column, `« ${cell(column)} » : nombre entre ${min} et ${max} attendu / number between ${min} and ${max} expected`)
        return null
      }
      return n
    }
    const integer = (column: CsvColumn, min: number, max: number): number | null => {
      const value = cell(column)
      if (!value) return null
      if (!/^\d+$/.test(value) || Number(value) < min || Number(value) > max) {
        fail(column, `« ${value} » : entier entre ${min} et ${max} attendu / whole number between ${min} and ${max} expected`)
        return null
      }
      return Number(value)
    }
    const email = (column: CsvColumn): string | null => {
      const value = cell(column)
      if (!value) return null
      if (!Email.safeParse(value).success) fail(column, `« ${value} » : adresse email invalide / invalid email address`)
      return value
    }

    const sector = term('secteur', 'sectors')
    const size = term('taille', 'sizes')
    let postcode: string | null = cell('codePostal').replace(/\s/g, '') || null
    if (postcode && /^\d{4}$/.test(postcode)) postcode = `0${postcode}` // a spreadsheet dropped the leading zero
    if (postcode && !/^\d{5}$/.test(postcode)) fail('codePostal', `« ${postcode} » : 5 chiffres attendus / 5 digits expected`)
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
    if (arriveRound !== null && leaveRound !== null && arriveRound > leaveRound) fail('depart', "départ avant l'arrivée / leaves before arriving")
    const minMeetings = integer('rencontresMin', 0, event.rounds)
    const maxMeetings = integer('rencontresMax', 0, event.rounds)
    if (minMeetings !== null && maxMeetings !== null && minMeetings > maxMeetings) {
      fail('rencontresMax', 'maximum inférieur au minimum / max below min')
    }

    if (kind && name) {
      // the same organisation twice: same SIREN/RNA, or same kind and name
      const keys = [siren && `siren:${siren}`, rna && `rna:${rna}`, `${kind}:${fold(name)}`].filter((k): k is string => !!k)
      const first = keys.map((k) => seen.get(k)).find((r) => r !== undefined)
      if (first !== undefined) fail('nom', `« ${name} » déjà présente ligne ${first} / duplicate of row ${first}`)
      else for (const k of keys) seen.set(k, row)
    }

    issues.push(...rowIssues)
    if (rowIssues.length > 0 || !kind) return
    preview.push({
      row,
      organisation: {
        kind, name, siren, rna, sector, size, town: cell('ville') || null, postcode, latitude, longitude, themes, territories,
        offers, needs, description: cell('description') || null, contactName: cell('contact') || null, contactEmail,
        groupName: cell('groupe') || null,
      },
      registration: { personName: person, personEmail, arriveRound, leaveRound, minMeetings, maxMeetings },
    })
  })
  if (records.length <= 1 || (preview.length === 0 && issues.length === 0)) {
    issues.push({ row: 2, message: 'aucune ligne de participant / no participant row' })
  }
  return { ...base, rows: preview.length + new Set(issues.map((i) => i.row)).size, preview, issues }
}

/**
 * Validates the file, checks against the event's registrations, and (unless
 * dryRun) writes every row in one transaction. Throws 'csv_invalid' with every
 * issue on any bad row, unless dryRun, which reports them.
 */
export async function importParticipantsCsv(
  db: Kysely<Database>,
  event: Event,
  bytes: Uint8Array,
  options: { dryRun: boolean; now: string },
): Promise<CsvReport> {
  const parsed = parseParticipantsCsv(bytes, event)
  const issues = [...parsed.issues]
  for (const p of parsed.preview) {
    const existing = await findMatchingOrganisation(db, event.network_id, p.organisation)
    if (existing && existing.kind !== p.organisation.kind) {
      issues.push({ row: p.row, column: 'type', message: `« ${existing.name} » est connue comme ${existing.kind} / is known as ${existing.kind}` })
    } else if (existing && (await isRegistered(db, event.id, existing.id))) {
      issues.push({ row: p.row, column: 'nom', message: `« ${existing.name} » est déjà inscrite à l'événement / is already registered` })
    }
  }
  issues.sort((a, b) => (a.row ?? 0) - (b.row ?? 0))
  const report: CsvReport = { ...parsed, issues, dryRun: options.dryRun, valid: issues.length === 0, created: [] }
  if (options.dryRun) return report
  if (issues.length > 0) {
    const rows = [...new Set(issues.map((i) => i.row))]
    throw new AppError('csv_invalid', `Fichier refusé, rien n'a été importé : ${rows.length} ligne(s) en erreur / File rejected, nothing imported`, issues)
  }
  report.created = await db.transaction().execute(async (trx) => {
    const out: CsvReport['created'] = []
    for (const p of parsed.preview) {
      const { registration, organisation, secret } = await registerParticipant(trx, event, p.organisation, p.registration, options.now).catch(
        (err: unknown) => {
          if (err instanceof AppError) throw new AppError('csv_invalid', err.message, [{ row: p.row, message: err.message }])
          throw err
        },
      )
      out.push({ registrationId: registration.id, organisationId: organisation.id, organisation: organisation.name, personName: registration.person_name, token: secret })
    }
    return out
  })
  return report
}
