import { Hono } from 'hono'
import { describe, expect, test, vi } from 'vitest'
import { AppError, errorStatus, onError, type ErrorBody } from '../../src/errors.ts'
import { dialects } from '../helpers/db.ts'
import { apiTest } from '../helpers/api.ts'

describe.each(dialects)('health and errors on %s', (dialect) => {
  const apiTestFor = apiTest(dialect)

  apiTestFor('GET /api/health answers ok without a token', async ({ api }) => {
    const r = await api.call('GET', '/api/health')
    expect(r.status).toBe(200)
    expect(r.body.status).toBe('ok')
  })

  apiTestFor('an unknown route answers 404 in the envelope', async ({ api }) => {
    const r = await api.call('GET', '/api/nothing-here')
    expect(r.status).toBe(404)
    expect(r.body.error.code).toBe('not_found')
  })

  apiTestFor('an unknown token answers 401', async ({ api }) => {
    const r = await api.call('GET', '/api/health', { token: 'org_nope' })
    expect(r.status).toBe(401)
    expect(r.body.error.code).toBe('unauthorized')
  })
})

describe('the error handler', () => {
  const app = new Hono()
    .get('/unique', () => {
      throw Object.assign(new Error('UNIQUE constraint failed'), { code: 'SQLITE_CONSTRAINT_UNIQUE' })
    })
    .get('/fk', () => {
      throw Object.assign(new Error('violates foreign key constraint'), { code: '23503' })
    })
    .get('/boom', () => {
      throw new Error('secret detail')
    })
    .get('/app', () => {
      throw new AppError('event_closed', { fr: 'Événement clos', en: 'The event is closed' })
    })
  app.onError(onError)

  test.for([
    ['/unique', 409, 'conflict'],
    ['/fk', 409, 'conflict'],
    ['/app', 409, 'event_closed'],
  ] as const)('%s answers %i %s', async ([path, status, code]) => {
    const res = await app.request(path)
    expect(res.status).toBe(status)
    expect(((await res.json()) as ErrorBody).error.code).toBe(code)
  })

  test('an unexpected error answers 500 without its details', async () => {
    const spy = vi.spyOn(console, 'error').mockImplementation(() => {})
    const res = await app.request('/boom')
    expect(res.status).toBe(500)
    expect(await res.text()).not.toContain('secret detail')
    spy.mockRestore()
  })

  test('every code has a status', () => {
    for (const status of Object.values(errorStatus)) expect(status).toBeGreaterThanOrEqual(400)
  })
})
