import { describe, expect, test } from 'vitest'
import { z } from 'zod'
import { zodWords } from '../../src/domain/zod-messages.ts'
import { parseOrThrow } from '../../src/http/validate.ts'
import { AppError, type Msg } from '../../src/errors.ts'

const NBSP = '\u00a0'

function issuesOf(schema: z.ZodType, value: unknown): Record<string, Msg> {
  try {
    parseOrThrow(schema, value)
  } catch (err) {
    if (err instanceof AppError) return Object.fromEntries((err.issues ?? []).map((i) => [i.path ?? '', i.message]))
  }
  throw new Error('no error')
}

const cases: [string, z.ZodType, unknown, string, Msg][] = [
  ['type', z.object({ n: z.number() }), { n: 'x' }, 'n', { fr: 'un nombre attendu, du texte reçu', en: 'expected a number, received text' }],
  ['agreement', z.object({ n: z.array(z.number()) }), { n: 'x' }, 'n', { fr: 'une liste attendue, du texte reçu', en: 'expected a list, received text' }],
  ['required', z.object({ n: z.number() }), {}, 'n', { fr: 'valeur requise', en: 'required' }],
  ['max', z.object({ n: z.number().int().max(1500) }), { n: 2000 }, 'n', { fr: 'doit être au plus 1\u00a0500', en: 'must be at most 1,500' }],
  ['empty', z.object({ s: z.string().min(1) }), { s: '' }, 's', { fr: 'ne peut pas être vide', en: 'cannot be empty' }],
  ['long', z.object({ s: z.string().max(3) }), { s: 'abcd' }, 's', { fr: `au plus 3${NBSP}caractères`, en: 'at most 3 characters' }],
  ['enum', z.object({ e: z.enum(['oui', 'non']) }), { e: 'peut-être' }, 'e', { fr: `une valeur parmi${NBSP}: «${NBSP}oui${NBSP}», «${NBSP}non${NBSP}»`, en: 'one of “oui”, “non”' }],
  ['email', z.object({ m: z.email() }), { m: 'nope' }, 'm', { fr: 'adresse électronique invalide', en: 'invalid e-mail address' }],
  ['strict', z.object({}).strict(), { x: 1, y: 2 }, '', { fr: `champs inconnus${NBSP}: «${NBSP}x${NBSP}», «${NBSP}y${NBSP}»`, en: 'unknown fields: “x”, “y”' }],
  ['refine', z.object({ n: z.number().refine((n) => n > 1) }), { n: 0 }, 'n', { fr: 'valeur invalide', en: 'invalid value' }],
]

describe('zod messages at the edge, in both languages', () => {
  test.for(cases)('%s', ([, schema, value, path, message]) => {
    expect(issuesOf(schema, value)[path]).toEqual(message)
  })

  test("a schema's own message is kept, in both languages", () => {
    const schema = z.object({ d: z.string().regex(/^\d{4}$/, zodWords({ fr: 'année AAAA', en: 'year YYYY' })) })
    expect(issuesOf(schema, { d: '26' }).d).toEqual({ fr: 'année AAAA', en: 'year YYYY' })
  })
})
