/**
 * zod's messages in both languages, the French as the French write them
 * (non-breaking space before the colon, « guillemets », real plurals, decimal
 * commas): « nombre entier attendu, texte reçu » and "expected an integer,
 * received text". Given to each parse at the edge (src/http/validate.ts).
 *
 * zod carries one string per issue: both languages travel in it joined by a
 * control character (`zodWords`), and the edge splits them (`zodMessageOf`).
 * A schema's own message is written `zodWords({ fr, en })` too.
 */
import { z } from 'zod'
import type { Msg } from '../errors.ts'

const SEPARATOR = '\u001f'

/** Both languages in the one string zod keeps for a schema's own message. */
export const zodWords = (message: Msg): string => `${message.fr}${SEPARATOR}${message.en}`

/** The two languages of an issue's message (a plain string, written in one language only, serves both). */
export function zodMessageOf(text: string): Msg {
  const at = text.indexOf(SEPARATOR)
  if (at >= 0) return { fr: text.slice(0, at), en: text.slice(at + SEPARATOR.length) }
  // the solver's own schemas (solver/, no dependency on the service) write "français / English"
  const parts = text.split(' / ')
  if (parts.length === 2) return { fr: parts[0]!, en: parts[1]! }
  return { fr: text, en: text }
}

const NBSP = '\u00a0'

const frType: Record<string, string> = {
  string: 'du texte', number: 'un nombre', int: 'un nombre entier', boolean: 'vrai ou faux', bigint: 'un nombre entier',
  undefined: 'rien', null: 'une valeur nulle', array: 'une liste', object: 'un objet', date: 'une date', nan: 'un nombre valide',
}
const frFeminine = new Set(['array', 'date', 'null'])
/** « une liste attendue », « un nombre attendu »: the participle agrees with the type. */
const agreed = (type: string, participle: string) => `${frType[type] ?? 'une valeur'} ${participle}${frFeminine.has(type) || !frType[type] ? 'e' : ''}`
const enType: Record<string, string> = {
  string: 'text', number: 'a number', int: 'an integer', boolean: 'true or false', bigint: 'an integer',
  undefined: 'nothing', null: 'null', array: 'a list', object: 'an object', date: 'a date', nan: 'a valid number',
}

const frFormat: Record<string, string> = {
  email: 'adresse électronique', url: 'adresse web', date: 'date AAAA-MM-JJ', datetime: 'date et heure ISO 8601', time: 'heure HH:MM',
  uuid: 'identifiant', regex: 'format',
}
const enFormat: Record<string, string> = {
  email: 'e-mail address', url: 'web address', date: 'date YYYY-MM-DD', datetime: 'ISO 8601 date and time', time: 'time HH:MM',
  uuid: 'identifier', regex: 'format',
}

function received(input: unknown): string {
  if (input === null) return 'null'
  if (Array.isArray(input)) return 'array'
  if (typeof input === 'number' && Number.isNaN(input)) return 'nan'
  return typeof input
}

const frNumber = (n: number | bigint) => new Intl.NumberFormat('fr-FR').format(n).replace(/\u202f/g, NBSP)
const enNumber = (n: number | bigint) => new Intl.NumberFormat('en-GB').format(n)
const quoteFr = (v: unknown) => `«${NBSP}${String(v)}${NBSP}»`
const quoteEn = (v: unknown) => `“${String(v)}”`

/** Both languages for one issue zod words itself. */
export function zodMessage(issue: z.core.$ZodRawIssue): Msg {
  switch (issue.code) {
    case 'invalid_type': {
      const got = received(issue.input)
      if (issue.input === undefined) return { fr: `valeur requise`, en: `required` }
      return { fr: `${agreed(issue.expected, 'attendu')}, ${agreed(got, 'reçu')}`, en: `expected ${enType[issue.expected] ?? issue.expected}, received ${enType[got] ?? got}` }
    }
    case 'invalid_value': {
      const values = issue.values
      if (values.length === 1) return { fr: `valeur attendue${NBSP}: ${quoteFr(values[0])}`, en: `expected ${quoteEn(values[0])}` }
      return { fr: `une valeur parmi${NBSP}: ${values.map(quoteFr).join(', ')}`, en: `one of ${values.map(quoteEn).join(', ')}` }
    }
    case 'too_small': {
      const n = issue.minimum as number | bigint
      const strict = issue.inclusive === false
      switch (issue.origin) {
        case 'string':
          return Number(n) <= 1
            ? { fr: 'ne peut pas être vide', en: 'cannot be empty' }
            : { fr: `au moins ${frNumber(n)}${NBSP}caractères`, en: `at least ${enNumber(n)} characters` }
        case 'array':
        case 'set':
          return Number(n) <= 1
            ? { fr: 'au moins un élément', en: 'at least one item' }
            : { fr: `au moins ${frNumber(n)}${NBSP}éléments`, en: `at least ${enNumber(n)} items` }
        default:
          return strict
            ? { fr: `doit être supérieur à ${frNumber(n)}`, en: `must be greater than ${enNumber(n)}` }
            : { fr: `doit être au moins ${frNumber(n)}`, en: `must be at least ${enNumber(n)}` }
      }
    }
    case 'too_big': {
      const n = issue.maximum as number | bigint
      const strict = issue.inclusive === false
      switch (issue.origin) {
        case 'string':
          return { fr: `au plus ${frNumber(n)}${NBSP}caractère${Number(n) > 1 ? 's' : ''}`, en: `at most ${enNumber(n)} character${Number(n) > 1 ? 's' : ''}` }
        case 'array':
        case 'set':
          return { fr: `au plus ${frNumber(n)}${NBSP}élément${Number(n) > 1 ? 's' : ''}`, en: `at most ${enNumber(n)} item${Number(n) > 1 ? 's' : ''}` }
        default:
          return strict
            ? { fr: `doit être inférieur à ${frNumber(n)}`, en: `must be less than ${enNumber(n)}` }
            : { fr: `doit être au plus ${frNumber(n)}`, en: `must be at most ${enNumber(n)}` }
      }
    }
    case 'invalid_format': {
      const format = issue.format
      return { fr: `${frFormat[format] ?? 'format'} invalide`, en: `invalid ${enFormat[format] ?? 'format'}` }
    }
    case 'not_multiple_of':
      return { fr: `doit être un multiple de ${frNumber(issue.divisor as number)}`, en: `must be a multiple of ${enNumber(issue.divisor as number)}` }
    case 'unrecognized_keys': {
      const many = issue.keys.length > 1
      return { fr: `champ${many ? 's' : ''} inconnu${many ? 's' : ''}${NBSP}: ${issue.keys.map(quoteFr).join(', ')}`, en: `unknown field${many ? 's' : ''}: ${issue.keys.map(quoteEn).join(', ')}` }
    }
    case 'invalid_union':
      return { fr: 'valeur invalide', en: 'invalid value' }
    case 'invalid_key':
    case 'invalid_element':
      return { fr: 'valeur invalide dans la liste', en: 'invalid value in the list' }
    default:
      return { fr: 'valeur invalide', en: 'invalid value' }
  }
}
