/**
 * The edge of the app: body limits while reading, malformed bodies as 4xx,
 * security headers, the origin check of form posts, the login throttle, the
 * access log, and calendar dates.
 */
import { describe, expect } from 'vitest'
import { createApp } from '../../src/app.ts'
import { fixedNow, makeApi, type Api } from '../helpers/api.ts'
import { createEvent, eventBody } from '../helpers/builders.ts'
import { dbTest, dialects } from '../helpers/db.ts'

const MB = 1024 * 1024

/** A body of `total` bytes in `chunk`-byte pieces, counting what the app pulls. */
function countingStream(total: number, chunk = 64 * 1024, byte = 0x61) {
  const pulled = { bytes: 0, chunks: 0, done: false }
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (pulled.bytes >= total) {
        pulled.done = true
        controller.close()
        return
      }
      const size = Math.min(chunk, total - pulled.bytes)
      pulled.bytes += size
      pulled.chunks += 1
      controller.enqueue(new Uint8Array(size).fill(byte))
    },
  })
  return { stream, pulled }
}

async function streamed(api: Api, path: string, body: ReadableStream<Uint8Array>, headers: Record<string, string>) {
  const res = await api.app.request(path, { method: 'POST', body, headers, duplex: 'half' } as RequestInit)
  return { status: res.status, body: (await res.json().catch(() => null)) as any, headers: res.headers }
}

describe.each(dialects)('edge on %s', (dialect) => {
  const test = dbTest(dialect).extend<{ api: Api; lines: string[] }>({
    lines: async ({}, use) => use([]),
    api: async ({ db, lines }, use) => use(await makeApi(db, { log: (line) => lines.push(line) })),
  })

  test('an oversized chunked JSON body is refused with 413 after reading at most the limit', async ({ api }) => {
    const { stream, pulled } = countingStream(200 * MB)
    const before = process.memoryUsage().rss
    const r = await streamed(api, '/api/events', stream, { authorization: `Bearer ${api.org}`, 'content-type': 'application/json' })
    expect(r.status).toBe(413)
    expect(r.body.error.code).toBe('payload_too_large')
    expect(r.body.error.message).toMatch(/^Requête trop grosse \(/)
    expect(pulled.done).toBe(false)
    // 1 MB and the chunk that crossed it, plus what the stream queued ahead
    expect(pulled.bytes).toBeLessThanOrEqual(1 * MB + 4 * 64 * 1024)
    expect(process.memoryUsage().rss - before).toBeLessThan(64 * MB)
  })

  test('CSV routes take up to 5 MB and refuse a larger chunked body without reading it all', async ({ api }) => {
    const eventId = await createEvent(api)
    const routes = [`/api/events/${eventId}/participants/import`, `/api/events/${eventId}/ratings/import`, '/api/history/import']
    for (const path of routes) {
      const { stream, pulled } = countingStream(100 * MB)
      const r = await streamed(api, path, stream, { authorization: `Bearer ${api.org}`, 'content-type': 'text/csv' })
      expect(r.status, path).toBe(413)
      expect(r.body.error.code).toBe('payload_too_large')
      expect(pulled.bytes).toBeLessThanOrEqual(5 * MB + 4 * 64 * 1024)
    }
    // 2 MB is over the JSON limit but within the CSV one: it reaches the CSV reader (422 for a bad file, not 413)
    const { stream } = countingStream(2 * MB, 64 * 1024, 0x78)
    const r = await streamed(api, routes[0]!, stream, { authorization: `Bearer ${api.org}`, 'content-type': 'text/csv' })
    expect(r.status).toBe(422)
    // a file of short lines is refused before parsing: csv-parse is slow on ragged rows
    for (const path of routes) {
      const started = performance.now()
      const lines = await api.call('POST', path, { token: api.org, body: `type,nom,participant\n${'x\n'.repeat(100_000)}`, headers: { 'content-type': 'text/csv' } })
      expect(lines.status, path).toBe(413)
      // the participant import parses in steps (50,000 rows must import): higher caps, the same refusal
      expect(lines.body.error.message).toMatch(path === routes[0] ? /60\u202f000 lignes au plus/ : /20\u202f000 lignes au plus/)
      expect(performance.now() - started).toBeLessThan(2000)
      const cells = await api.call('POST', path, { token: api.org, body: `type,nom,participant\n${';'.repeat(600_000)}`, headers: { 'content-type': 'text/csv' } })
      // …where a line of 600,000 cells is refused before it is parsed
      expect(cells.status, path).toBe(path === routes[0] ? 422 : 413)
    }
    // a declared Content-Length over the limit is refused before reading
    const big = await api.call('POST', '/api/events', { token: api.org, body: 'x', headers: { 'content-length': String(2 * MB), 'content-type': 'application/json' } })
    expect(big.status).toBe(413)
  })

  test('the import page takes a multipart CSV over 1 MB; other pages refuse it', async ({ api }) => {
    const eventId = await createEvent(api)
    const cookie = `org_token=${api.org}`
    // one long description: over 1 MB in a few lines
    const rows = `type,nom,participant,description\nassociation,Entraide Neudorf,Odile Graff,${'x'.repeat(1.2 * MB)}\n`
    expect(rows.length).toBeGreaterThan(1 * MB)
    const form = () => {
      const f = new FormData()
      f.set('file', new File([rows], 'big.csv', { type: 'text/csv' }))
      return f
    }
    const ok = await api.call('POST', `/evenements/${eventId}/import`, { body: form(), headers: { cookie } })
    expect(ok.status, ok.text.slice(0, 300)).toBe(200)
    expect(ok.text).toContain('Entraide Neudorf')
    const refused = await api.call('POST', `/evenements/${eventId}/voeux`, { body: form(), headers: { cookie } })
    expect(refused.status).toBe(413)
  })

  test('malformed bodies are 4xx in the envelope, never 500', async ({ api }) => {
    const eventId = await createEvent(api)
    const cookie = `org_token=${api.org}`
    const broken = { 'content-type': 'multipart/form-data; boundary=xyz' }
    const cases: [string, string, { body?: string; headers?: Record<string, string>; token?: string }][] = [
      ['POST', '/api/events', { body: '{"title":', headers: { 'content-type': 'application/json' }, token: api.org }],
      ['POST', '/api/events', { body: 'null', headers: { 'content-type': 'application/json' }, token: api.org }],
      ['POST', '/api/events', { body: '"a"', headers: { 'content-type': 'text/plain' }, token: api.org }],
      ['POST', `/api/events/${eventId}/participants/import`, { body: '--xyz\r\nbroken', headers: broken, token: api.org }],
      ['POST', '/connexion', { body: '--xyz\r\nbroken', headers: broken }],
      ['POST', '/evenements', { body: '--xyz\r\nbroken', headers: { ...broken, cookie } }],
      ['POST', `/evenements/${eventId}/import`, { body: 'not a form', headers: { 'content-type': 'multipart/form-data', cookie } }],
      ['POST', `/evenements/${eventId}/salle/etat`, { body: 'null', headers: { 'content-type': 'application/json', cookie } }],
    ]
    for (const [method, path, options] of cases) {
      const r = await api.call(method, path, options)
      expect(r.status, `${method} ${path} ${options.body}`).toBeGreaterThanOrEqual(400)
      expect(r.status, `${method} ${path} ${options.body}: ${r.text}`).toBeLessThan(500)
    }
    const malformed = await api.call('POST', '/connexion', { body: '--xyz\r\nbroken', headers: broken })
    expect(malformed.status).toBe(400)
    expect(malformed.body.error.code).toBe('bad_request')
  })

  test.for(['2026-13-45', '2026-02-30', '2025-02-29', '2026-04-31', '9999-12-31', '0000-01-01'])('the impossible date %s is refused with 422 naming the field', async (date, { api }) => {
    const r = await api.call('POST', '/api/events', { token: api.org, json: { ...eventBody, date } })
    expect(r.status).toBe(422)
    expect(r.body.error.issues.map((i: { path: string }) => i.path)).toContain('date')
    const leap = await api.call('POST', '/api/events', { token: api.org, json: { ...eventBody, date: '2028-02-29' } })
    expect(leap.status).toBe(201)
  })

  test('pages and API carry the security headers; tokens and personal pages are not cached', async ({ api }) => {
    const eventId = await createEvent(api)
    const added = await api.call('POST', `/api/events/${eventId}/participants`, {
      token: api.org,
      json: { organisation: { kind: 'company', name: 'Imprimerie Graff' }, personName: 'Anne Graff' },
    })
    expect(added.body.token).toMatch(/^p_/)
    const responses = {
      login: await api.call('GET', '/connexion'),
      organiser: await api.call('GET', `/evenements/${eventId}`, { headers: { cookie: `org_token=${api.org}` } }),
      participant: await api.call('GET', `/p/${added.body.token}`),
      token: added,
      api: await api.call('GET', '/api/events', { token: api.org }),
      notFound: await api.call('GET', '/nowhere'),
    }
    for (const [name, r] of Object.entries(responses)) {
      const csp = r.headers.get('content-security-policy') ?? ''
      expect(csp, name).toContain("default-src 'self'")
      expect(csp, name).toContain("script-src 'self'")
      expect(csp, name).not.toMatch(/script-src[^;]*unsafe-inline/)
      expect(csp, name).toContain("frame-ancestors 'none'")
      expect(csp, name).toContain("base-uri 'self'")
      expect(csp, name).toContain("form-action 'self'")
      expect(r.headers.get('x-content-type-options'), name).toBe('nosniff')
      expect(r.headers.get('x-frame-options'), name).toBe('DENY')
      expect(r.headers.get('referrer-policy'), name).toBe('same-origin')
      expect(r.headers.get('cache-control'), name).toBe('no-store')
    }
    const style = await api.call('GET', '/static/style.css')
    expect(style.headers.get('cache-control')).toMatch(/max-age/)
    expect(style.headers.get('x-content-type-options')).toBe('nosniff')
  })

  test('pages have no inline script, event-handler attribute nor inline style', async ({ api }) => {
    const eventId = await createEvent(api)
    const cookie = `org_token=${api.org}`
    for (const path of ['/connexion', '/evenements', `/evenements/${eventId}`, `/evenements/${eventId}/voeux`, `/evenements/${eventId}/rotation`, `/evenements/${eventId}/salle`]) {
      const r = await api.call('GET', path, { headers: { cookie } })
      expect(r.status, path).toBe(200)
      // every <script> either loads a file or is a JSON data block
      for (const tag of r.text.match(/<script\b[^>]*>/g) ?? []) expect(tag, path).toMatch(/\bsrc="\/static\/|type="application\/json"/)
      expect(r.text, path).not.toMatch(/\son[a-z]+=/i)
      expect(r.text, path).not.toMatch(/<style\b|\sstyle="/)
    }
  })

  test('form posts from another site are refused; same site, no header and the API pass', async ({ api }) => {
    const form = (token: string) => new URLSearchParams({ token }).toString()
    const urlencoded = { 'content-type': 'application/x-www-form-urlencoded' }
    const post = (headers: Record<string, string>) => api.call('POST', '/connexion', { body: form(api.org), headers: { ...urlencoded, ...headers } })
    expect((await post({ origin: 'https://evil.example' })).status).toBe(403)
    expect((await post({ origin: 'null' })).status).toBe(403)
    expect((await post({ referer: 'https://evil.example/page' })).status).toBe(403)
    const refused = await api.call('POST', '/deconnexion', { headers: { origin: 'http://evil.example' } })
    expect(refused.status).toBe(403)
    expect(refused.body.error.code).toBe('forbidden')
    expect((await post({ origin: 'http://localhost' })).status).toBe(303)
    expect((await post({ referer: 'http://localhost/connexion' })).status).toBe(303)
    expect((await post({})).status).toBe(303)
    // the API takes bearer tokens, not cookies: an Origin does not matter there
    const created = await api.call('POST', '/api/events', { token: api.org, json: eventBody, headers: { origin: 'https://elsewhere.example' } })
    expect(created.status).toBe(201)
  })

  test('every form post of the pages refuses another origin', async ({ api }) => {
    const eventId = await createEvent(api)
    const posts = [...new Set(api.app.routes.filter((r) => r.method === 'POST' && !r.path.startsWith('/api/')).map((r) => r.path))]
    expect(posts.length).toBeGreaterThanOrEqual(19)
    for (const route of posts) {
      const path = route.replace(':eventId', eventId).replace(/:\w+/g, 'x')
      const r = await api.call('POST', path, {
        body: 'status=open',
        headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'https://evil.example', cookie: `org_token=${api.org}` },
      })
      expect(r.status, route).toBe(403)
    }
  })

  test('10 failed logins from one address within 15 minutes: the 11th try is 429', async ({ api }) => {
    const from = (address: string, token: string) =>
      api.app.request(
        '/connexion',
        { method: 'POST', body: new URLSearchParams({ token }), headers: { 'content-type': 'application/x-www-form-urlencoded' } },
        { incoming: { socket: { remoteAddress: address } } },
      )
    for (let i = 0; i < 10; i++) expect((await from('203.0.113.7', 'org_wrong')).status).toBe(401)
    const blocked = await from('203.0.113.7', api.org)
    expect(blocked.status).toBe(429)
    expect(blocked.headers.get('retry-after')).toMatch(/^\d+$/)
    const body = (await blocked.json()) as { error: { code: string; message: string } }
    expect(body.error.code).toBe('too_many_requests')
    expect(body.error.message).toMatch(/^Trop d’essais de connexion/)
    // another address is not concerned, and its success clears nothing of the first
    expect((await from('198.51.100.2', api.org)).status).toBe(303)
    expect((await from('203.0.113.7', api.org)).status).toBe(429)
  })

  test('two service processes on one database count failed logins together', async ({ api }) => {
    const other = createApp({ db: api.db, clock: () => fixedNow })
    const from = (app: { request: typeof api.app.request }, token: string) =>
      app.request(
        '/connexion',
        { method: 'POST', body: new URLSearchParams({ token }), headers: { 'content-type': 'application/x-www-form-urlencoded' } },
        { incoming: { socket: { remoteAddress: '192.0.2.9' } } },
      )
    for (let i = 0; i < 5; i++) expect((await from(api.app, 'org_wrong')).status).toBe(401)
    for (let i = 0; i < 5; i++) expect((await from(other, 'org_wrong')).status).toBe(401)
    expect((await from(api.app, api.org)).status).toBe(429)
    expect((await from(other, api.org)).status).toBe(429)
  })

  test('one access-log line per request, with the route pattern and never a secret', async ({ api, lines }) => {
    const eventId = await createEvent(api)
    const added = await api.call('POST', `/api/events/${eventId}/participants`, {
      token: api.org,
      json: { organisation: { kind: 'company', name: 'Imprimerie Graff' }, personName: 'Anne Graff' },
    })
    lines.length = 0
    await api.call('GET', `/p/${added.body.token}`)
    await api.call('GET', `/api/events/${eventId}`, { token: api.org })
    await api.call('GET', '/api/me', { token: added.body.token })
    await api.call('GET', '/nowhere')
    const parsed = lines.map((l) => JSON.parse(l) as { method: string; route: string; status: number; ms: number; role: string | null })
    // the participant page reads through the API in-process: those calls are logged too
    expect(parsed.filter((l) => !l.route.startsWith('/api/me/')).map((l) => [l.method, l.route, l.status, l.role])).toEqual([
      ['GET', '/p/:secret', 200, null],
      ['GET', '/api/events/:eventId', 200, 'organiser'],
      ['GET', '/api/me', 200, 'participant'],
      ['GET', '(no route)', 404, null],
    ])
    expect(parsed.filter((l) => l.route.startsWith('/api/me/')).length).toBeGreaterThan(0)
    for (const l of parsed) expect(l.ms).toBeGreaterThanOrEqual(0)
    for (const line of lines) {
      expect(line).not.toContain(added.body.token)
      expect(line).not.toContain(api.org)
      expect(line).not.toContain(eventId)
    }
  })
})
