/**
 * Writing CSV cells that a spreadsheet cannot run (OWASP "CSV injection"):
 * a text cell starting with `=`, `+`, `-`, `@`, a tab or a carriage return is
 * prefixed with a single quote, so that Excel or LibreOffice shows it as text
 * instead of evaluating a formula. Every CSV export goes through `csvRow`.
 *
 * Numbers are written as numbers, unprefixed, negative ones included: they
 * come from numeric columns computed by the service (rounds, tables, scores,
 * amounts), never from a participant's text, and a quote would turn them into
 * text. Only values of type `number` get that treatment; a string that looks
 * like a number is still text and is neutralised if it starts with `-`.
 */

export type CsvValue = string | number | boolean | null

const formulaStart = /^[=+\-@\t\r]/

/** A text value safe to open in a spreadsheet. */
export function neutraliseText(text: string): string {
  return formulaStart.test(text) ? `'${text}` : text
}

export interface CsvFormat {
  delimiter: ';' | ','
  /** write 2.5 as "2,5" (French spreadsheets) */
  decimalComma?: boolean
}

/** One cell: null empty, booleans 1/0, numbers as numbers, text neutralised; quoted when needed. */
export function csvCell(value: CsvValue, format: CsvFormat): string {
  let text: string
  if (value === null) text = ''
  else if (typeof value === 'boolean') text = value ? '1' : '0'
  else if (typeof value === 'number') text = format.decimalComma ? String(value).replace('.', ',') : String(value)
  else text = neutraliseText(value)
  const special = new RegExp(`["${format.delimiter}\\n\\r]`)
  return special.test(text) ? `"${text.replace(/"/g, '""')}"` : text
}

export function csvRow(values: readonly CsvValue[], format: CsvFormat): string {
  return values.map((v) => csvCell(v, format)).join(format.delimiter)
}
