/**
 * zod's messages, French first as the French write them (non-breaking space
 * before the colon, « guillemets », real plurals, decimal commas), then
 * English: "nombre entier attendu, texte reçu / expected an integer, received
 * text". Given to each parse at the edge (src/http/validate.ts); a schema's
 * own message (already "français / English") is kept as it is.
 */
import { z } from 'zod'

const NBSP = '\u00a0'

const frType: Record<string, string> = {
  string: 'du texte', number: 'un nombre', int: 'un nombre entier', boolean: 'vrai ou faux', bigint: 'un nombre entier',
  undefined: 'rien', null: 'null', array: 'une liste', object: 'un objet', date: 'une date', nan: 'un nombre valide',
}
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

/** French then English for one issue; null to keep zod's own. */
export function frenchMessage(issue: z.core.$ZodRawIssue): string | null {
  switch (issue.code) {
    case 'invalid_type': {
      const got = received(issue.input)
      if (issue.input === undefined) return `valeur requise / required`
      return `${frType[issue.expected] ?? issue.expected} attendu, ${frType[got] ?? got} reçu / expected ${enType[issue.expected] ?? issue.expected}, received ${enType[got] ?? got}`
    }
    case 'invalid_value': {
      const values = issue.values
      if (values.length === 1) return `valeur attendue${NBSP}: ${quoteFr(values[0])} / expected ${quoteEn(values[0])}`
      return `une valeur parmi${NBSP}: ${values.map(quoteFr).join(', ')} / one of ${values.map(quoteEn).join(', ')}`
    }
    case 'too_small': {
      const n = issue.minimum as number | bigint
      const strict = issue.inclusive === false
      switch (issue.origin) {
        case 'string':
          return Number(n) <= 1
            ? 'ne peut pas être vide / cannot be empty'
            : `au moins ${frNumber(n)}${NBSP}caractères / at least ${enNumber(n)} characters`
        case 'array':
        case 'set':
          return Number(n) <= 1
            ? 'au moins un élément / at least one item'
            : `au moins ${frNumber(n)}${NBSP}éléments / at least ${enNumber(n)} items`
        default:
          return strict
            ? `doit être supérieur à ${frNumber(n)} / must be greater than ${enNumber(n)}`
            : `doit être au moins ${frNumber(n)} / must be at least ${enNumber(n)}`
      }
    }
    case 'too_big': {
      const n = issue.maximum as number | bigint
      const strict = issue.inclusive === false
      switch (issue.origin) {
        case 'string':
          return `au plus ${frNumber(n)}${NBSP}caractère${Number(n) > 1 ? 's' : ''} / at most ${enNumber(n)} character${Number(n) > 1 ? 's' : ''}`
        case 'array':
        case 'set':
          return `au plus ${frNumber(n)}${NBSP}élément${Number(n) > 1 ? 's' : ''} / at most ${enNumber(n)} item${Number(n) > 1 ? 's' : ''}`
        default:
          return strict
            ? `doit être inférieur à ${frNumber(n)} / must be less than ${enNumber(n)}`
            : `doit être au plus ${frNumber(n)} / must be at most ${enNumber(n)}`
      }
    }
    case 'invalid_format': {
      const format = issue.format
      return `${frFormat[format] ?? 'format'} invalide / invalid ${enFormat[format] ?? 'format'}`
    }
    case 'not_multiple_of':
      return `doit être un multiple de ${frNumber(issue.divisor as number)} / must be a multiple of ${enNumber(issue.divisor as number)}`
    case 'unrecognized_keys': {
      const many = issue.keys.length > 1
      return `champ${many ? 's' : ''} inconnu${many ? 's' : ''}${NBSP}: ${issue.keys.map(quoteFr).join(', ')} / unknown field${many ? 's' : ''}: ${issue.keys.map(quoteEn).join(', ')}`
    }
    case 'invalid_union':
      return 'valeur invalide / invalid value'
    case 'invalid_key':
    case 'invalid_element':
      return 'valeur invalide dans la liste / invalid value in the list'
    default:
      return null
  }
}
