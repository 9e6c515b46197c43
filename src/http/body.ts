/**
 * Reading request bodies, at the edge: forms of the pages and CSV files of
 * the import routes. A body that cannot be parsed is a 400 in the error
 * envelope, never a 500. Sizes are limited before, while reading, by
 * `bodyLimits` (./middleware/body-limit.ts).
 */
import type { Context } from 'hono'
import { AppError } from '../errors.ts'
import { formatNumber } from '../domain/typography.ts'
import { csvBodyMax } from './middleware/body-limit.ts'

/** Lines of a CSV file, blank ones included: an import is one event (participants, ratings or a past evening's meetings). */
export const csvMaxLines = 20_000
/** Separators (`,` or `;`) of a CSV file: 20,000 rows of 11 columns. */
export const csvMaxCells = 200_000

/**
 * The participant import (issue 8: 50,000 rows must import) reads its records
 * in pieces of a few hundred lines and 1,000 cells a line at most, giving the
 * event loop back between them (src/domain/csv-import.ts): ragged rows cost
 * CPU there, not a frozen server, so its caps only bound the total.
 */
export const participantCsvLimits = { lines: 60_000, cells: 1_500_000 }

export type Form = Record<string, string | File | (string | File)[]>

/**
 * `c.req.parseBody()` that answers 400 on a malformed multipart or
 * urlencoded body. Another content type (JSON, text) gives an empty form, as
 * parseBody does, so that a missing field is reported by the route's own checks.
 */
export async function readForm(c: Context, options: { all?: boolean } = {}): Promise<Form> {
  try {
    return (await c.req.parseBody({ all: options.all ?? false })) as Form
  } catch {
    throw new AppError('bad_request', { fr: 'Formulaire illisible', en: 'Malformed form body' })
  }
}

/** The file's bytes: a raw text/csv body, or the `file` field of a multipart form (5 MB at most). */
export async function readCsvBody(c: Context, limits = { lines: csvMaxLines, cells: csvMaxCells }): Promise<Uint8Array> {
  const type = c.req.header('content-type') ?? ''
  let bytes: Uint8Array
  if (/multipart\/form-data/i.test(type)) {
    const form = await readForm(c)
    const file = form.file
    if (!(file instanceof File)) {
      throw new AppError('validation_failed', { fr: 'Champ « file » absent', en: 'Missing “file” field' }, [{ path: 'file', message: { fr: 'fichier CSV attendu', en: 'CSV file expected' } }])
    }
    bytes = new Uint8Array(await file.arrayBuffer())
  } else {
    bytes = new Uint8Array(await c.req.arrayBuffer())
  }
  // bodyLimits already stopped anything over the limit; this holds when the route is mounted elsewhere
  if (bytes.length > csvBodyMax) throw new AppError('payload_too_large', { fr: 'Fichier trop gros (5 Mo au plus)', en: 'File too large (5 MB max)' })
  if (bytes.length === 0) throw new AppError('csv_invalid', { fr: 'Fichier vide', en: 'Empty file' }, [{ row: 1, message: { fr: 'fichier vide', en: 'empty file' } }])
  // Counted before parsing: csv-parse spends ~50 µs on each row whose length
  // differs from the header's and a few µs on each cell, so 5 MB of one-character
  // lines, or of commas, would hold the process for minutes.
  let lines = 1
  let separators = 0
  for (const byte of bytes) {
    if (byte === 0x0a) lines += 1
    else if (byte === 0x2c || byte === 0x3b) separators += 1
  }
  if (lines > limits.lines) {
    throw new AppError('payload_too_large', { fr: `Fichier trop long (${formatNumber(limits.lines, 'fr')} lignes au plus)`, en: `File too long (${formatNumber(limits.lines, 'en')} lines max)` })
  }
  if (separators > limits.cells) {
    throw new AppError('payload_too_large', { fr: `Fichier trop grand (${formatNumber(limits.cells, 'fr')} cellules au plus)`, en: `File too big (${formatNumber(limits.cells, 'en')} cells max)` })
  }
  return bytes
}

/** A JSON object body (anything else, null included, gives {}), or a form: for routes that take either. */
export async function readJsonOrForm(c: Context): Promise<Record<string, unknown>> {
  if (!/json/i.test(c.req.header('content-type') ?? '')) return readForm(c)
  const value: unknown = await c.req.json().catch(() => null)
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {}
}
