/**
 * `validate(target, Schema)`: hono's validator with a zod schema that throws an
 * AppError, so every error leaves through app.onError in the one envelope.
 * A JSON body is read whatever its Content-Type (curl -d sends form-urlencoded).
 */
import type { Context, Env, MiddlewareHandler, ValidationTargets } from 'hono'
import { validator } from 'hono/validator'
import { z } from 'zod'
import { frenchMessage } from '../domain/zod-messages.ts'
import { AppError, type Issue } from '../errors.ts'

type Target = 'json' | 'query' | 'param'

export function zodIssues(error: z.ZodError): Issue[] {
  return error.issues.map((i) => ({ path: i.path.map(String).join('.') || '(racine)', message: i.message }))
}

/** French then English for every issue zod words itself; a schema's own « français / English » message is kept. */
const bilingual = { error: (issue: z.core.$ZodRawIssue) => frenchMessage(issue) ?? undefined }

/** Parse `value` with `schema` or throw 'validation_failed' naming each field. */
export function parseOrThrow<S extends z.ZodType>(schema: S, value: unknown, what = 'body'): z.output<S> {
  const result = schema.safeParse(value, bilingual)
  if (!result.success) {
    throw new AppError('validation_failed', `Données invalides / Invalid ${what}`, zodIssues(result.error))
  }
  return result.data
}

async function readJson(c: Context): Promise<unknown> {
  const text = await c.req.text()
  if (text.trim() === '') return undefined
  try {
    return JSON.parse(text)
  } catch {
    throw new AppError('invalid_json', 'JSON mal formé / Malformed JSON in request body')
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
