/**
 * Every route of the app, with random parameters, queries, bodies and
 * credentials: no answer is a 5xx. Seeded and bounded; the route list comes
 * from the app itself (`app.routes`), so a new route is fuzzed without a line
 * here. Ids are a mix of real ones (read from the database as it evolves)
 * and garbage.
 */
import { readFileSync } from 'node:fs'
import fc from 'fast-check'
import type { Kysely } from 'kysely'
import { describe, expect } from 'vitest'
import type { Database } from '../../src/db/schema.ts'
import { loadExampleEvent } from '../../src/domain/seed.ts'
import { makeApi } from '../helpers/api.ts'
import { dbTest, dialects } from '../helpers/db.ts'
import { organiserIdOf, seedEvent, threeByThree } from '../helpers/followup-fixture.ts'

const runs: Record<string, number> = { sqlite: Number(process.env.FUZZ_RUNS ?? 2500), postgres: 800 }
const seed = Number(process.env.FUZZ_SEED ?? 20261126)

const keys = [
  'title', 'date', 'venue', 'startTime', 'rounds', 'meetingMinutes', 'transitionMinutes', 'breaks', 'tables', 'seatedSide', 'status',
  'organisation', 'organisationId', 'personName', 'personEmail', 'arriveRound', 'leaveRound', 'minMeetings', 'maxMeetings', 'attendance',
  'from', 'to', 'level', 'wishes', 'associationId', 'companyId', 'reason', 'note', 'allEvents', 'fromRound', 'kind', 'name', 'siren', 'rna',
  'sector', 'size', 'themes', 'territories', 'offers', 'needs', 'description', 'contactName', 'contactEmail', 'town', 'postcode', 'latitude',
  'longitude', 'groupName', 'token', 'next', 'action', 'version', 'code', 'side', 'meetingId', 'proposalId', 'interest', 'followUp', 'kinds',
  'comment', 'tookPlace', 'evolution', 'dueDays', 'dueDate', 'startedOn', 'endedOn', 'associationRegistrationId', 'companyRegistrationId',
  'csv', 'text', 'person', 'afterRound', 'minutes', 'locale', 'format', 'key', 'on', 'q', 'view', 'publish', 'dryRun', 'event', 'afterRound',
]

const weirdText = fc.oneof(
  fc.string({ maxLength: 20 }),
  fc.constantFrom('', ' ', '0', '-1', '1e309', '99999999999999999999', 'NaN', 'Infinity', '%', '%00', '..', 'a'.repeat(300), 'p_x', 'org_x',
    'lab_x', 'ü', '1.5', 'null', 'undefined', '__proto__', 'constructor', 'toString', '2026-13-45', '2026-02-30', '2026-12-03', '0000-00-00',
    '9999-12-31', '24:00', '18:30', 'association', 'company', 'must', 'like', 'avoid', 'draft', 'open', 'scheduled', 'live', 'closed',
    'present', 'absent', 'walk-in', 'registered', 'start', 'pause', 'next', 'csv', 'json', 'round', 'table', 'participant'),
  fc.integer().map(String),
)
const weirdNumber = fc.oneof(
  fc.integer(),
  fc.double(),
  fc.constantFrom(1e308, -1e308, 2 ** 53 + 2, -(2 ** 53) - 2, 0, -0, 0.5, 1, 2, 3, 10, 60, 61, 1000, 1e21),
)
/** `$id:n` is replaced by the n-th real id at run time. */
const realIdRef = fc.nat().map((n) => `$id:${n}`)
const value: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 3, arbitrary: weirdText },
  { weight: 3, arbitrary: weirdNumber },
  { weight: 2, arbitrary: realIdRef },
  { weight: 1, arbitrary: fc.boolean() },
  { weight: 1, arbitrary: fc.constant(null) },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 2 }) },
  { weight: 1, arbitrary: fc.array(fc.oneof(weirdText, realIdRef, fc.dictionary(fc.constantFrom(...keys), fc.oneof(weirdText, weirdNumber, realIdRef), { maxKeys: 3 })), { maxLength: 3 }) },
)
const plausibleObject = fc.dictionary(fc.constantFrom(...keys), value, { maxKeys: 6 })

/** Valid-looking bodies per route, mutated by the fuzzer; `$name` is a real id of that kind. */
const R = '$registrationId'
const templates: Record<string, Record<string, unknown>> = {
  'POST /api/events': { title: 'Soirée', date: '2026-12-03', rounds: 4, startTime: '18:30', breaks: [{ afterRound: 2, minutes: 10 }], tables: 3 },
  'PATCH /api/events/:eventId': { date: '2026-12-04', rounds: 5, breaks: [], meetingMinutes: 8, tables: 4 },
  'POST /api/events/:eventId/status': { status: 'open' },
  'POST /api/events/:eventId/participants': { organisation: { kind: 'company', name: 'Imprimerie Graff', siren: '412345678', themes: ['insertion-jeunes'] }, personName: 'Anne', arriveRound: 2 },
  'PATCH /api/events/:eventId/participants/:registrationId': { personName: 'Anne', arriveRound: 1, leaveRound: 3, minMeetings: 1, maxMeetings: 3 },
  'POST /api/events/:eventId/participants/:registrationId/attendance': { attendance: 'present' },
  'PUT /api/events/:eventId/wishes': { from: R, to: R, level: 'must' },
  'POST /api/events/:eventId/exclusions': { associationId: '$organisationId', companyId: '$organisationId', reason: 'conflict', allEvents: true },
  'POST /api/events/:eventId/schedule/replan': { fromRound: 2 },
  'PATCH /api/organisations/:organisationId': { description: 'x', themes: ['insertion-jeunes'], postcode: '67000', latitude: 48.5, longitude: 7.7 },
  'PUT /api/me/wishes': { wishes: [{ to: R, level: 'like' }] },
  'PATCH /api/me/profile': { description: 'x', postcode: '67000', personName: 'Odile' },
  'PATCH /api/me': { locale: 'en' },
  'POST /api/events/:eventId/ratings/slip': { code: '$code', side: 'association', interest: 4, followUp: true, kinds: [] },
  'PUT /api/me/meetings/:meetingId/rating': { tookPlace: true, interest: 5, followUp: true, kinds: [], note: 'x' },
  'POST /api/events/:eventId/proposals': { capacity: 3, dueDays: 14, missedLimit: 10, locale: 'fr' },
  'PATCH /api/events/:eventId/proposals/:proposalId': { caller: 'association', dueDate: '2026-12-20', note: 'x', status: 'accepted' },
  'POST /api/events/:eventId/partnerships': { associationRegistrationId: R, companyRegistrationId: R, kinds: [], valueMoneyEur: 100, startedOn: '2026-12-10' },
  'PATCH /api/events/:eventId/partnerships/:partnershipId': { valueMoneyEur: 100, startedOn: '2026-12-10', endedOn: '2027-01-10', note: 'x' },
  'POST /api/events/:eventId/partnerships/:partnershipId/status': { status: 'contacted', reason: 'x' },
  'POST /api/me/checkins/:checkinId': { evolution: 'in-progress', comment: 'x' },
}
const formTemplates: Record<string, Record<string, string>> = {
  'POST /connexion': { token: '$token', next: '/evenements' },
  'POST /evenements': { title: 'Soirée', date: '2026-12-03', rounds: '4', meetingMinutes: '7', transitionMinutes: '1', tables: '3', seatedSide: 'company', breakAfter: '2', breakMinutes: '10' },
  'POST /evenements/:eventId/etat': { status: 'open' },
  'POST /evenements/:eventId/voeux': { from: R, to: R, level: 'must' },
  'POST /evenements/:eventId/rotation/publier': { version: '$version' },
  'POST /evenements/:eventId/replanifier': { fromRound: '2' },
  'POST /evenements/:eventId/accueil/:registrationId': { attendance: 'present' },
  'POST /evenements/:eventId/accueil': { code: '$code', side: 'association', tookPlace: '1', interest: '4' },
  'POST /evenements/:eventId/import': { text: 'type,nom,participant\nassociation,Entraide,Odile\n' },
  'POST /evenements/:eventId/salle/etat': { action: 'start' },
  'POST /evenements/:eventId/suivi/propositions/:proposalId': { status: 'accepted', caller: 'association' },
  'POST /evenements/:eventId/suivi/partenariats/:partnershipId': { status: 'contacted' },
  'POST /p/:secret/voeux': { to: R, level: 'like' },
  'POST /p/:secret/profil': { description: 'x', postcode: '67000' },
  'POST /p/:secret/langue': { locale: 'en' },
  'POST /p/:secret/suivis/:checkinId': { evolution: 'in-progress' },
  'POST /p/:secret/rencontres/:meetingId': { tookPlace: '1', interest: '4', followUp: '1' },
}

const dates = ['2026-13-45', '2026-02-30', '2026-13-45', '2027-99-99', '2025-02-29', '2028-02-29', '0000-01-01', '9999-12-31', '2026-00-10', '1970-01-01', '2026-12-03T18:00', ' 2026-12-03']

const statusValues = ['draft', 'open', 'scheduled', 'live', 'closed', 'contacted', 'in_discussion', 'agreement', 'carried_out', 'abandoned', 'accepted', 'dropped']

type Mutation = { op: 'drop' | 'set' | 'add'; key: number; value: unknown }
const mutation: fc.Arbitrary<Mutation> = fc.record({ op: fc.constantFrom('drop' as const, 'set' as const, 'add' as const), key: fc.nat(), value })

function mutate<T>(template: Record<string, T>, mutations: Mutation[], extraKey: (n: number) => string): Record<string, unknown> {
  const out: Record<string, unknown> = { ...template }
  for (const m of mutations) {
    const present = Object.keys(out)
    const key = m.op === 'add' ? extraKey(m.key) : present[m.key % Math.max(1, present.length)]
    if (key === undefined) continue
    if (m.op === 'drop') delete out[key]
    // dates get date-shaped values half of the time: impossible ones reach deeper than garbage
    else if (/date|On$/i.test(key) && m.key % 2 === 0) out[key] = dates[m.key % dates.length]
    else out[key] = m.value
  }
  return out
}

type Body =
  | { kind: 'none' }
  | { kind: 'raw'; text: string; type: string | null }
  | { kind: 'form'; fields: Record<string, string>; file: string | null }
  | { kind: 'urlencoded'; fields: Record<string, string> }

const contentType = fc.constantFrom(
  'application/json', 'text/plain', 'text/csv', 'application/x-www-form-urlencoded', 'multipart/form-data',
  'multipart/form-data; boundary=xyz', 'application/octet-stream', 'application/json; charset=latin1', null,
)
const body: fc.Arbitrary<Body> = fc.oneof(
  { weight: 2, arbitrary: fc.constant({ kind: 'none' as const }) },
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('raw' as const), text: plausibleObject.map((o) => JSON.stringify(o)), type: fc.constantFrom('application/json', null, 'text/plain') }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('raw' as const), text: fc.jsonValue().map((v) => JSON.stringify(v) ?? 'null'), type: fc.constantFrom('application/json', null) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('raw' as const), text: fc.constantFrom('null', '{"title":', '[', '"x"', '1e999', '{"__proto__":{"x":1}}', '--xyz\r\nbroken', '--xyz--', ''), type: contentType }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('raw' as const), text: fc.string({ maxLength: 200 }), type: contentType }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('raw' as const), text: fc.tuple(fc.constantFrom(',', ';'), fc.array(fc.array(weirdText, { maxLength: 6 }), { maxLength: 6 })).map(([d, lines]) => lines.map((cells) => cells.join(d)).join('\n')), type: fc.constantFrom('text/csv', null) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('form' as const), fields: fc.dictionary(fc.constantFrom(...keys), fc.oneof(weirdText, realIdRef), { maxKeys: 6 }), file: fc.option(fc.string({ maxLength: 100 })) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('urlencoded' as const), fields: fc.dictionary(fc.constantFrom(...keys), fc.oneof(weirdText, realIdRef), { maxKeys: 6 }) }) },
)

const credential = fc.constantFrom('right', 'right', 'right', 'right', 'organiser', 'organiser2', 'lab', 'participant', 'none', 'garbage', 'organiserCookie', 'labCookie')

const request = fc.record({
  route: fc.nat(),
  params: fc.array(fc.oneof({ weight: 4, arbitrary: realIdRef }, { weight: 1, arbitrary: weirdText }), { minLength: 3, maxLength: 3 }),
  query: fc.dictionary(fc.constantFrom(...keys), fc.oneof(weirdText, realIdRef), { maxKeys: 3 }),
  rawQuery: fc.option(fc.constantFrom('%zz', '&&', '=', 'a=%', 'publish=1&publish=0', 'view[]=x'), { freq: 8 }),
  body,
  credential,
  templated: fc.boolean(),
  mutations: fc.array(mutation, { maxLength: 2 }),
  dateMutation: fc.option(fc.nat(), { freq: 2 }),
  pickIds: fc.array(fc.nat(), { minLength: 4, maxLength: 4 }),
})
type Fuzzed = typeof request extends fc.Arbitrary<infer T> ? T : never

interface Ids {
  byParam: Record<string, string[]>
  all: string[]
}

async function readIds(db: Kysely<Database>, secrets: string[], tokens: string[]): Promise<Ids> {
  const ids = async (table: keyof Database & string, column = 'id') =>
    (await db.selectFrom(table as 'events').select(`${column} as id` as 'id').execute()).map((r) => String(r.id))
  const byParam: Record<string, string[]> = {
    eventId: await ids('events'),
    registrationId: await ids('registrations'),
    organisationId: await ids('organisations'),
    exclusionId: await ids('exclusions'),
    partnershipId: await ids('partnerships'),
    proposalId: await ids('proposals'),
    checkinId: await ids('checkins'),
    meetingId: await ids('meetings'),
    version: [...new Set(await ids('schedules', 'version'))],
    secret: secrets,
    file: ['style.css', 'room.js', 'enhance.js', 'missing.js'],
    code: await ids('meetings', 'short_code'),
    token: tokens,
  }
  const { code: _c, token: _t, ...params } = byParam
  return { byParam, all: Object.values(params).flat() }
}

/** The credential a route expects: what a real client would send. */
function rightCredential(path: string): string {
  if (path.startsWith('/api/me')) return 'participant'
  if (path.startsWith('/api/lab')) return 'lab'
  if (path.startsWith('/api/')) return 'organiser'
  if (path.startsWith('/labo')) return 'labCookie'
  if (path.startsWith('/p/') || path.startsWith('/static/') || path === '/connexion') return 'none'
  return 'organiserCookie'
}

function pick<T>(list: readonly T[], n: number): T | undefined {
  return list.length === 0 ? undefined : list[n % list.length]
}

describe.each(dialects)('fuzzing every route on %s', (dialect) => {
  const test = dbTest(dialect)

  test('no request gets a 5xx', { timeout: 240_000 }, async ({ db }) => {
    const api = await makeApi(db)
    const organiserId = await organiserIdOf(db, api.org)
    const now = '2026-11-24T18:00:00.000Z'
    await loadExampleEvent(db, organiserId, JSON.parse(readFileSync(new URL('../../data/events/strasbourg-10x10.json', import.meta.url), 'utf8')), now)
    const seeded = await seedEvent(db, organiserId, threeByThree)
    const secrets = Object.values(seeded.token)
    // the follow-up state: ratings, proposals, a partnership and its check-ins, so their routes get real ids
    const e = seeded.eventId
    for (const [pair, m] of Object.entries(seeded.meeting)) {
      for (const side of pair.split('-')) {
        await api.call('PUT', `/api/me/meetings/${m.id}/rating`, { token: seeded.token[side]!, json: { interest: 5, followUp: true } })
      }
    }
    await api.call('POST', `/api/events/${e}/ratings/close`, { token: api.org })
    const proposals = await api.call('POST', `/api/events/${e}/proposals`, { token: api.org, json: { capacity: 2 } })
    const partnership = await api.call('POST', `/api/events/${e}/partnerships`, { token: api.org, json: { proposalId: proposals.body.proposals[0].id } })
    await api.call('POST', `/api/events/${e}/partnerships/${partnership.body.partnership.id}/status`, { token: api.org, json: { status: 'contacted' } })
    const routes = [...new Map(api.app.routes.filter((r) => r.method !== 'ALL').map((r) => [`${r.method} ${r.path}`, r])).values()]
    expect(routes.length).toBeGreaterThan(90)

    let ids = await readIds(db, secrets, [api.org, api.lab, 'org_wrong'])
    for (const kind of ['proposalId', 'partnershipId', 'checkinId', 'meetingId']) expect(ids.byParam[kind]?.length, kind).toBeGreaterThan(0)
    let picks: number[] = [0]
    let pickCount = 0
    const resolve = (text: string, param?: string): string =>
      text
        .replace(/^\$id:(\d+)$/, (_, n: string) => {
          const own = param ? ids.byParam[param] : undefined
          // half of the time one of the 3 newest: what the fuzzer just created gets used
          if (own && own.length > 0) return (Number(n) % 2 === 0 ? pick(own.slice(-3), Number(n) >> 1) : pick(own, Number(n))) ?? 'none'
          return pick(ids.all, Number(n)) ?? 'none'
        })
        .replace(/^\$([a-zA-Z]+)$/, (whole, name: string) => pick(ids.byParam[name] ?? [], picks[pickCount++ % picks.length]!) ?? whole)
    const deep = (v: unknown): unknown =>
      typeof v === 'string' ? resolve(v) : Array.isArray(v) ? v.map(deep) : v && typeof v === 'object' ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, deep(x)])) : v

    const failures: string[] = []
    const seenRoutes = new Set<string>()
    const statuses = new Map<number, number>()
    const ok = new Set<string>()
    const samples = fc.sample(request, { numRuns: runs[dialect] ?? 500, seed })
    for (const [i, r] of samples.entries()) {
      if (i % 100 === 0) ids = await readIds(db, secrets, [api.org, api.lab, 'org_wrong'])
      picks = r.pickIds
      // every route twice in turn first (the route list grows), then at random
      const route = routes[i < routes.length * 2 ? i % routes.length : r.route % routes.length]!
      const key = `${route.method} ${route.path}`
      let p = 0
      const path = route.path.replace(/:(\w+)/g, (_, name: string) => {
        const raw = r.params[p++ % r.params.length]!
        const real = resolve(raw, name)
        return encodeURIComponent(real === raw && raw.startsWith('$id:') ? 'none' : real)
      })
      const search = new URLSearchParams(Object.entries(r.query).map(([k, v]): [string, string] => [k, resolve(v)])).toString()
      const url = `${path}${search || r.rawQuery ? '?' : ''}${[search, r.rawQuery].filter(Boolean).join('&')}`
      const headers: Record<string, string> = {}
      const credential = r.credential === 'right' ? rightCredential(route.path) : r.credential
      const token = { organiser: api.org, organiser2: api.org2, lab: api.lab, participant: secrets[r.pickIds[0]! % secrets.length]!, garbage: 'x y z' }[credential as 'organiser']
      if (token && credential === 'garbage') headers.authorization = token
      else if (token) headers.authorization = `Bearer ${token}`
      if (credential === 'organiserCookie') headers.cookie = `org_token=${api.org}`
      if (credential === 'labCookie') headers.cookie = `lab_token=${api.lab}`
      const init: RequestInit = { method: route.method, headers }
      const b = r.body
      const json = templates[key]
      const form = formTemplates[key]
      if (r.templated && json) {
        const mutated = mutate(json, r.mutations, (n) => keys[n % keys.length]!)
        const dateKey = Object.keys(mutated).find((k) => /date|On$/i.test(k))
        if (r.dateMutation !== null && dateKey) mutated[dateKey] = dates[r.dateMutation % dates.length]
        // walk the state machines: any status of the enum, not only the template's
        if (typeof mutated.status === 'string' && r.pickIds[2]! % 4 !== 0) mutated.status = statusValues[r.pickIds[2]! % statusValues.length]
        init.body = JSON.stringify(deep(mutated))
        headers['content-type'] = 'application/json'
      } else if (r.templated && form) {
        const fields = Object.entries(mutate(form, r.mutations, (n) => keys[n % keys.length]!)).map(([k, v]): [string, string] => [k, resolve(typeof v === 'string' ? v : (JSON.stringify(v) ?? ''))])
        if (r.pickIds[1]! % 2 === 0) init.body = new URLSearchParams(fields)
        else {
          const data = new FormData()
          for (const [k, v] of fields) data.append(k, v)
          init.body = data
        }
      } else if (route.method !== 'GET' && b.kind !== 'none') {
        if (b.kind === 'raw') {
          init.body = resolveJsonText(b.text, deep)
          if (b.type) headers['content-type'] = b.type
        } else if (b.kind === 'form') {
          const form = new FormData()
          for (const [k, v] of Object.entries(b.fields)) form.set(k, resolve(v))
          if (b.file !== null) form.set('file', new File([b.file], 'x.csv', { type: 'text/csv' }))
          init.body = form
        } else {
          init.body = new URLSearchParams(Object.entries(b.fields).map(([k, v]): [string, string] => [k, resolve(v)]))
        }
      }
      const res = await api.app.request(url, init)
      const text = await res.text()
      seenRoutes.add(key)
      statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1)
      if (res.status < 300) ok.add(`${route.method} ${route.path}`)
      if (res.status >= 500) failures.push(`${res.status} ${route.method} ${url} [${credential}] ${String(init.body ?? '').slice(0, 300)} -> ${text.slice(0, 300)}`)
    }
    if (process.env.FUZZ_STATS) console.log((await db.selectFrom('events').select('date').execute()).map((e) => e.date).join(' '), [...statuses].sort((a, b) => a[0] - b[0]), ok.size, routes.filter((r) => !ok.has(`${r.method} ${r.path}`)).map((r) => `${r.method} ${r.path}`))
    expect(failures).toEqual([])
    // every route was tried
    expect(routes.filter((r) => !seenRoutes.has(`${r.method} ${r.path}`)).map((r) => `${r.method} ${r.path}`)).toEqual([])
  })
})

/** The body text, with `$id:n` strings of a JSON body replaced by real ids (other texts as they are). */
function resolveJsonText(text: string, deep: (v: unknown) => unknown): string {
  try {
    return JSON.stringify(deep(JSON.parse(text)))
  } catch {
    return text
  }
}
