import { describe, expect, test } from 'vitest'
import { z } from 'zod'
import { parseOrThrow } from '../../src/http/validate.ts'
import { AppError } from '../../src/errors.ts'

const NBSP = '\u00a0'

function issuesOf(schema: z.ZodType, value: unknown): Record<string, string> {
  try {
    parseOrThrow(schema, value)
  } catch (err) {
    if (err instanceof AppError) return Object.fromEntries((err.issues ?? []).map((i) => [i.path, i.message]))
  }
  throw new Error('no error')
}

describe('zod messages at the edge, French then English', () => {
  test.for([
    [z.object({ n: z.number() }), { n: 'x' }, 'n', 'un nombre attendu, du texte reçu / expected a number, received text'],
    [z.object({ n: z.number() }), {}, 'n', 'valeur requise / required'],
    [z.object({ n: z.number().int().max(1500) }), { n: 2000 }, 'n', 'doit être au plus 1\u00a0500 / must be at most 1,500'],
    [z.object({ s: z.string().min(1) }), { s: '' }, 's', 'ne peut pas être vide / cannot be empty'],
    [z.object({ s: z.string().max(3) }), { s: 'abcd' }, 's', `au plus 3${NBSP}caractères / at most 3 characters`],
    [z.object({ e: z.enum(['oui', 'non']) }), { e: 'peut-être' }, 'e', `une valeur parmi${NBSP}: «${NBSP}oui${NBSP}», «${NBSP}non${NBSP}» / one of “oui”, “non”`],
    [z.object({ m: z.email() }), { m: 'nope' }, 'm', 'adresse électronique invalide / invalid e-mail address'],
    [z.object({}).strict(), { x: 1, y: 2 }, '(racine)', `champs inconnus${NBSP}: «${NBSP}x${NBSP}», «${NBSP}y${NBSP}» / unknown fields: “x”, “y”`],
  ] as const)('%#: %s', ([schema, value, path, message]) => {
    expect(issuesOf(schema, value)[path]).toBe(message)
  })

  test("a schema's own message is kept", () => {
    const schema = z.object({ d: z.string().regex(/^\d{4}$/, 'année AAAA / year YYYY') })
    expect(issuesOf(schema, { d: '26' }).d).toBe('année AAAA / year YYYY')
  })
})
