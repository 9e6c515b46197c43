import { describe, expect } from 'vitest'
import { dialects } from '../helpers/db.ts'
import { apiTest } from '../helpers/api.ts'

describe.each(dialects)('health and errors on %s', (dialect) => {
  const test = apiTest(dialect)

  test('GET /api/health answers ok without a token', async ({ api }) => {
    const r = await api.call('GET', '/api/health')
    expect(r.status).toBe(200)
    expect(r.body.status).toBe('ok')
  })

  test('an unknown route answers 404 in the envelope', async ({ api }) => {
    const r = await api.call('GET', '/api/nothing-here')
    expect(r.status).toBe(404)
    expect(r.body.error.code).toBe('not_found')
  })

  test('an unknown token answers 401', async ({ api }) => {
    const r = await api.call('GET', '/api/health', { token: 'org_nope' })
    expect(r.status).toBe(401)
    expect(r.body.error.code).toBe('unauthorized')
  })
})
