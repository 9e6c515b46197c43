/**
 * `validate(target, Schema)`: hono's validator with a zod schema that throws an
 * AppError, so every error leaves through app.onError in the one envelope.
 * A JSON body is read whatever its Content-Type (curl -d sends form-urlencoded).
 */
import type { Context, Env, MiddlewareHandler, ValidationTargets } from 'hono'
import { validator } from 'hono/validator'
import { z } from 'zod'
import { zodMessage, zodMessageOf, zodWords } from '../domain/zod-messages.ts'
import { AppError, type Issue, type Msg } from '../errors.ts'

type Target = 'json' | 'query' | 'param'

/** Each issue in both languages; an issue of the whole value has no path. */
export function zodIssues(error: z.ZodError): Issue[] {
  return error.issues.map((i) => {
    const path = i.path.map(String).join('.')
    return path ? { path, message: zodMessageOf(i.message) } : { message: zodMessageOf(i.message) }
  })
}

/** Our words for every issue zod words itself; a schema's own message (`zodWords`) is kept. */
const bilingual = { error: (issue: z.core.$ZodRawIssue) => zodWords(zodMessage(issue)) }

/** Parse `value` with `schema` or throw 'validation_failed' naming each field. */
const invalid: Record<string, Msg> = {
  body: { fr: 'Données invalides', en: 'Invalid data' },
  query: { fr: 'Paramètres de la requête invalides', en: 'Invalid query parameters' },
  param: { fr: 'Adresse invalide', en: 'Invalid address' },
}

export function parseOrThrow<S extends z.ZodType>(schema: S, value: unknown, what = 'body'): z.output<S> {
  const result = schema.safeParse(value, bilingual)
  if (!result.success) {
    throw new AppError('validation_failed', invalid[what] ?? invalid.body!, zodIssues(result.error))
  }
  return result.data
}

async function readJson(c: Context): Promise<unknown> {
  const text = await c.req.text()
  if (text.trim() === '') return undefined
  try {
    return JSON.parse(text)
  } catch {
    throw new AppError('invalid_json', { fr: 'JSON mal formé', en: 'Malformed JSON in request body' })
  }
}

export function validate<T extends Target, S extends z.ZodType, E extends Env = Env, P extends string = string>(
  target: T,
  schema: S,
): MiddlewareHandler<
  E,
  P,
  {
    in: { [K in T]: z.input<S> extends ValidationTargets[K] ? z.input<S> : ValidationTargets[K] }
    out: { [K in T]: z.output<S> }
  }
> {
  return validator(target, async (value: unknown, c: Context) => {
    let input = value
    if (target === 'json') {
      const type = c.req.header('content-type') ?? ''
      if (!/json/i.test(type)) input = await readJson(c)
    }
    return parseOrThrow(schema, input, target === 'json' ? 'body' : target)
  }) as never
}
