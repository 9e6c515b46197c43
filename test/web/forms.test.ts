/**
 * Page handlers read forms through readForm (src/http/body.ts), which answers
 * 400 on a malformed body: a bare c.req.parseBody() throws a 500 instead.
 */
import { readdirSync, readFileSync } from 'node:fs'
import { expect, test } from 'vitest'

test('no page reads a form with c.req.parseBody directly', () => {
  const folder = new URL('../../src/web/', import.meta.url)
  const offenders = readdirSync(folder)
    .filter((f) => f.endsWith('.tsx') || f.endsWith('.ts'))
    .filter((f) => readFileSync(new URL(f, folder), 'utf8').includes('c.req.parseBody('))
  expect(offenders).toEqual([])
})
