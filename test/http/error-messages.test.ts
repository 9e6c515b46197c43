/**
 * Every error message the API can give, collected from a table of requests
 * (one per error path: validation of each body, 404s, 409s of each state
 * machine, CSV imports, authentication…) in French and in English, on SQLite.
 * French answers carry no English, no bilingual " / " join, and French
 * spacing; English answers carry no French; no answer names an id or a raw
 * internal code. On failure the whole table of messages is printed.
 */
import { readFileSync } from 'node:fs'
import type { Kysely } from 'kysely'
import { beforeAll, describe, expect, test } from 'vitest'
import type { Database } from '../../src/db/schema.ts'
import { langOf } from '../../src/errors.ts'
import { callApi } from '../../src/web/api.ts'
import { freshDatabase } from '../helpers/db.ts'
import { buildWorld, type World } from '../security/world.ts'

type Lang = 'fr' | 'en'

interface Case {
  name: string
  method: string
  /** a path, or one computed from the world (and what earlier cases created) */
  path: string | ((w: World, made: Made) => string)
  token?: keyof World['tokens'] | 'other-admin' | 'bad-header' | ((w: World, made: Made) => string)
  json?: unknown | ((w: World, made: Made) => unknown)
  csv?: string
  raw?: string
  /** runs before the request in each language (e.g. to create what the case refuses twice) */
  before?: (w: World, made: Made, call: Caller) => Promise<void>
}

type Made = Record<string, string>
type Caller = (method: string, path: string, token: string | undefined, json?: unknown) => Promise<{ status: number; body: any }>

const historyCsv = readFileSync(new URL('../../data/csv/history-example.csv', import.meta.url), 'utf8')
const participantsCsv = readFileSync(new URL('../../data/csv/inscriptions-utf8.csv', import.meta.url), 'utf8')
const participantsHeader = participantsCsv.split('\n')[0]!
const historyHeader = historyCsv.split('\n')[0]!

const goodEvent = { title: 'Soirée test', date: '2027-03-11', rounds: 4, meetingMinutes: 8, transitionMinutes: 2, breaks: [], seatedSide: 'association' }

const cases: Case[] = [
  // authentication and roles
  { name: 'no token', method: 'GET', path: '/api/events' },
  { name: 'malformed header', method: 'GET', path: '/api/events', token: 'bad-header' },
  { name: 'revoked token', method: 'GET', path: '/api/events', token: 'revoked' },
  { name: 'door on the lab API', method: 'GET', path: '/api/lab/events', token: 'accueil' },
  { name: 'lab on the events API', method: 'GET', path: '/api/events', token: 'lab' },
  { name: 'participant on the events API', method: 'GET', path: (w) => `/api/events/${w.own.eventId}`, token: 'participant' },
  { name: 'salle changes the event', method: 'PATCH', path: (w) => `/api/events/${w.own.eventId}`, token: 'salle', json: { title: 'x' } },
  { name: 'organiser creates an admin', method: 'POST', path: '/api/network/tokens', token: 'organiser', json: { role: 'admin', label: 'Chef' } },
  // not found
  { name: 'unknown route', method: 'GET', path: '/api/nulle-part', token: 'organiser' },
  { name: 'unknown event', method: 'GET', path: '/api/events/inconnu', token: 'organiser' },
  { name: "another network's event", method: 'GET', path: (w) => `/api/events/${w.other.eventId}`, token: 'organiser' },
  { name: 'unknown organisation', method: 'GET', path: '/api/organisations/inconnue', token: 'organiser' },
  { name: 'unknown participant', method: 'GET', path: (w) => `/api/events/${w.own.eventId}/participants/inconnu`, token: 'organiser' },
  { name: 'unknown exclusion', method: 'DELETE', path: (w) => `/api/events/${w.own.eventId}/exclusions/inconnue`, token: 'organiser' },
  { name: 'unknown version', method: 'GET', path: (w) => `/api/events/${w.own.eventId}/schedules/99`, token: 'organiser' },
  { name: 'unknown partnership', method: 'GET', path: (w) => `/api/events/${w.own.eventId}/partnerships/inconnu`, token: 'organiser' },
  { name: 'unknown proposal', method: 'GET', path: (w) => `/api/events/${w.own.eventId}/proposals/inconnue`, token: 'organiser' },
  { name: 'unknown check-in', method: 'POST', path: '/api/me/checkins/inconnu', token: 'participant', json: { evolution: 'in-progress' } },
  { name: 'unknown account', method: 'DELETE', path: '/api/network/tokens/inconnu', token: 'admin' },
  { name: 'unknown lab grant', method: 'PATCH', path: '/api/network/labs/inconnu', token: 'admin', json: { stablePseudonyms: true } },
  { name: 'unknown lab', method: 'POST', path: '/api/network/labs', token: 'admin', json: { labId: 'inconnu' } },
  { name: 'unknown meeting code', method: 'POST', path: (w) => `/api/events/${w.own.eventId}/ratings/slip`, token: 'organiser', json: { code: 'ZZZZ', side: 'association', tookPlace: true, interest: 4, followUp: true } },
  { name: 'unknown meeting rated', method: 'PUT', path: '/api/me/meetings/inconnue/rating', token: 'participant', json: { tookPlace: true, interest: 4, followUp: true } },
  { name: 'lab asks for an unknown event', method: 'GET', path: '/api/lab/metrics?event=inconnu', token: 'lab' },
  { name: 'schedule of an unknown participant', method: 'GET', path: (w) => `/api/events/${w.own.eventId}/schedule/participants/inconnu`, token: 'organiser' },
  // bodies
  { name: 'malformed JSON', method: 'POST', path: '/api/events', token: 'organiser', raw: '{"title": ' },
  { name: 'empty event', method: 'POST', path: '/api/events', token: 'organiser', json: {} },
  { name: 'event of wrong types', method: 'POST', path: '/api/events', token: 'organiser', json: { ...goodEvent, title: 12, rounds: 0, meetingMinutes: 500, breaks: 'x', seatedSide: 'personne', extra: 1 } },
  { name: 'event dates and times', method: 'POST', path: '/api/events', token: 'organiser', json: { ...goodEvent, date: '2027-02-30', startTime: '25:00' } },
  { name: 'event out of range', method: 'POST', path: '/api/events', token: 'organiser', json: { ...goodEvent, date: '1999-01-01', title: '' } },
  { name: 'break after the last round', method: 'POST', path: '/api/events', token: 'organiser', json: { ...goodEvent, breaks: [{ afterRound: 9, minutes: 10 }] } },
  { name: 'event patch', method: 'PATCH', path: (w) => `/api/events/${w.own.eventId}`, token: 'organiser', json: { rounds: 'dix', tables: -1 } },
  { name: 'unknown status', method: 'POST', path: (w) => `/api/events/${w.own.eventId}/status`, token: 'organiser', json: { status: 'fini' } },
  { name: 'empty participant', method: 'POST', path: (w) => `/api/events/${w.own.eventId}/participants`, token: 'organiser', json: {} },
  {
    name: 'participant with a bad organisation', method: 'POST', path: (w) => `/api/events/${w.own.eventId}/participants`, token: 'organiser',
    json: { personName: 'Anne', personEmail: 'pas-un-courriel', organisation: { kind: 'association', name: 'Asso', siren: '12', rna: 'X1', postcode: '6', contactEmail: 'non', themes: ['inconnu'], latitude: 200 } },
  },
  { name: 'participant with both', method: 'POST', path: (w) => `/api/events/${w.own.eventId}/participants`, token: 'organiser', json: (w: World) => ({ personName: 'Anne', organisationId: w.own.organisationId, organisation: { kind: 'association', name: 'Asso' } }) },
  { name: 'participant already registered', method: 'POST', path: (w) => `/api/events/${w.own.eventId}/participants`, token: 'organiser', json: (w: World) => ({ personName: 'Anne', organisationId: w.own.organisationId }) },
  { name: 'participant of an unknown organisation', method: 'POST', path: (w) => `/api/events/${w.own.eventId}/participants`, token: 'organiser', json: { personName: 'Anne', organisationId: 'inconnue' } },
  { name: 'participant rounds', method: 'PATCH', path: (w) => `/api/events/${w.own.eventId}/participants/${w.own.registrationId}`, token: 'organiser', json: { arriveRound: 9, leaveRound: 2, minMeetings: 5, maxMeetings: 1 } },
  { name: 'wish of wrong types', method: 'PUT', path: (w) => `/api/events/${w.own.eventId}/wishes`, token: 'organiser', json: { from: 1, to: [], level: 'beaucoup' } },
  { name: 'wish of unknown people', method: 'PUT', path: (w) => `/api/events/${w.own.eventId}/wishes`, token: 'organiser', json: { from: 'inconnu', to: 'inconnu', level: 'must' } },
  { name: 'wish on the same side', method: 'PUT', path: (w) => `/api/events/${w.own.eventId}/wishes`, token: 'organiser', json: (w: World) => ({ from: w.own.registrationId, to: w.own.registrationId, level: 'must' }) },
  { name: 'exclusion of unknown organisations', method: 'POST', path: (w) => `/api/events/${w.own.eventId}/exclusions`, token: 'organiser', json: { associationId: 'x', companyId: 'y', reason: 'conflict' } },
  { name: 'exclusion of wrong types', method: 'POST', path: (w) => `/api/events/${w.own.eventId}/exclusions`, token: 'organiser', json: { reason: 'parce que' } },
  { name: 'partnership without origin', method: 'POST', path: (w) => `/api/events/${w.own.eventId}/partnerships`, token: 'organiser', json: {} },
  { name: 'partnership pair incomplete', method: 'POST', path: (w) => `/api/events/${w.own.eventId}/partnerships`, token: 'organiser', json: (w: World) => ({ associationRegistrationId: w.own.registrationId }) },
  { name: 'partnership pair of the wrong sides', method: 'POST', path: (w) => `/api/events/${w.own.eventId}/partnerships`, token: 'organiser', json: (w: World) => ({ associationRegistrationId: w.own.companyRegistrationId, companyRegistrationId: w.own.registrationId }) },
  { name: 'partnership already there', method: 'POST', path: (w) => `/api/events/${w.own.eventId}/partnerships`, token: 'organiser', json: (w: World) => ({ meetingId: w.own.meetingId }) },
  { name: 'partnership of an unknown meeting', method: 'POST', path: (w) => `/api/events/${w.own.eventId}/partnerships`, token: 'organiser', json: { meetingId: 'inconnue' } },
  { name: 'partnership from a dropped proposal', method: 'POST', path: (w) => `/api/events/${w.own.eventId}/partnerships`, token: 'organiser', json: (w: World) => ({ proposalId: w.own.proposalId }), before: async (w, _made, call) => {
    await call('POST', `/api/events/${w.own.eventId}/proposals/${w.own.proposalId}/drop`, w.tokens.organiser, {})
  } },
  { name: 'partnership from an unknown proposal', method: 'POST', path: (w) => `/api/events/${w.own.eventId}/partnerships`, token: 'organiser', json: { proposalId: 'inconnue' } },
  { name: 'partnership skips a stage', method: 'POST', path: (w) => `/api/events/${w.own.eventId}/partnerships/${w.own.partnershipId}/status`, token: 'organiser', json: { status: 'carried_out' } },
  { name: 'partnership abandoned without reason', method: 'POST', path: (w) => `/api/events/${w.own.eventId}/partnerships/${w.own.partnershipId}/status`, token: 'organiser', json: { status: 'abandoned' } },
  { name: 'partnership patch of wrong types', method: 'PATCH', path: (w) => `/api/events/${w.own.eventId}/partnerships/${w.own.partnershipId}`, token: 'organiser', json: { valueMoneyEur: 'beaucoup', kinds: 'x' } },
  { name: 'rating of a meeting not held', method: 'POST', path: (w) => `/api/events/${w.own.eventId}/ratings/slip`, token: 'organiser', json: (w: World) => ({ code: w.own.code, side: 'association', tookPlace: false, interest: 5, followUp: true }) },
  { name: 'rating without interest', method: 'POST', path: (w) => `/api/events/${w.own.eventId}/ratings/slip`, token: 'organiser', json: (w: World) => ({ code: w.own.code, side: 'association', tookPlace: true }) },
  { name: 'rating of an unknown kind', method: 'POST', path: (w) => `/api/events/${w.own.eventId}/ratings/slip`, token: 'organiser', json: (w: World) => ({ code: w.own.code, side: 'association', tookPlace: true, interest: 4, followUp: true, kinds: ['inconnu'] }) },
  { name: 'duplicate wishes of a participant', method: 'PUT', path: '/api/me/wishes', token: 'participant', json: (w: World) => ({ wishes: [{ to: w.own.companyRegistrationId, level: 'must' }, { to: w.own.companyRegistrationId, level: 'want' }] }) },
  { name: 'accounts: door without its event', method: 'POST', path: '/api/network/tokens', token: 'admin', json: { role: 'accueil', label: 'Porte' } },
  { name: 'accounts: admin tied to an event', method: 'POST', path: '/api/network/tokens', token: 'admin', json: (w: World) => ({ role: 'admin', label: 'Chef', eventId: w.own.eventId }) },
  { name: 'accounts: unknown event', method: 'POST', path: '/api/network/tokens', token: 'admin', json: { role: 'salle', label: 'Écran 2', eventId: 'inconnu' } },
  { name: 'accounts: bad role', method: 'POST', path: '/api/network/tokens', token: 'admin', json: { role: 'chef', label: '' } },
  { name: 'lab already granted', method: 'POST', path: '/api/network/labs', token: 'admin', json: (w: World) => ({ labId: w.own.labId }) },
  { name: 'last admin revoked', method: 'DELETE', path: '/api/network/tokens/self', token: 'admin', before: async (w, made, call) => {
    const r = await call('GET', '/api/network/tokens', w.tokens.admin)
    made.adminTokenId = r.body.tokens.find((t: { role: string }) => t.role === 'admin').id
  } },
  { name: 'merge with itself', method: 'POST', path: (w) => `/api/organisations/${w.own.organisationId}/merge`, token: 'organiser', json: (w: World) => ({ from: w.own.organisationId }) },
  { name: 'merge of two kinds', method: 'POST', path: (w) => `/api/organisations/${w.own.organisationId}/merge`, token: 'organiser', json: (w: World) => ({ from: w.own.companyOrganisationId }) },
  { name: 'organisation patch', method: 'PATCH', path: (w) => `/api/organisations/${w.own.organisationId}`, token: 'organiser', json: { siren: 'abc', kind: 'company' } },
  { name: 'lab: unknown predictor', method: 'GET', path: '/api/lab/logistic?x=pointure', token: 'lab' },
  { name: 'lab: bad query', method: 'GET', path: '/api/lab/power?alpha=2', token: 'lab' },
  // CSV
  { name: 'participants: empty file', method: 'POST', path: (w) => `/api/events/${w.own.eventId}/participants/import?dryRun=1`, token: 'organiser', csv: '' },
  { name: 'participants: missing columns', method: 'POST', path: (w) => `/api/events/${w.own.eventId}/participants/import?dryRun=1`, token: 'organiser', csv: 'nom,ville\nAsso,Thann\n' },
  {
    name: 'participants: bad rows (dry run)', method: 'POST', path: (w) => `/api/events/${w.own.eventId}/participants/import?dryRun=1`, token: 'organiser',
    csv: `${participantsHeader}\nassoc,,123,inconnu,géante,Thann,6,abc,,,,,,,pas-un-courriel,,3,1,5,2\nentreprise,X,,,,,,,,,,,,,,,,,,\n`,
  },
  { name: 'participants: no row', method: 'POST', path: (w) => `/api/events/${w.own.eventId}/participants/import?dryRun=1`, token: 'organiser', csv: `${participantsHeader}\n` },
  { name: 'participants: import while scheduled', method: 'POST', path: (w) => `/api/events/${w.own.eventId}/participants/import`, token: 'organiser', csv: participantsCsv },
  { name: 'history: empty', method: 'POST', path: '/api/history/import?dryRun=1', token: 'organiser', csv: `${historyHeader}\n` },
  {
    name: 'history: bad rows', method: 'POST', path: '/api/history/import?dryRun=1', token: 'organiser',
    csv: `${historyHeader}\nSoirée,2019-13-45,x,1,,énorme,inconnu,inconnu,Entreprise,,,,,peut-être,9,,,,,,,bizarre,inconnue,hier,inconnu,-5,,\nAutre,2019-03-14,,,A,,,,B,,,,,,,,,,,,,,,,,,,\n`,
  },
  { name: 'history: already imported', method: 'POST', path: '/api/history/import', token: 'organiser', csv: historyCsv, before: async (w, _made, call) => {
    await callCsv(w, 'POST', '/api/history/import', w.tokens.organiser, historyCsv)
    void call
  } },
  { name: 'ratings: empty CSV', method: 'POST', path: (w) => `/api/events/${w.own.eventId}/ratings/import`, token: 'organiser', csv: '' },
  { name: 'ratings: missing columns', method: 'POST', path: (w) => `/api/events/${w.own.eventId}/ratings/import`, token: 'organiser', csv: 'code,side\nK7M4,association\n' },
  {
    name: 'ratings: bad rows', method: 'POST', path: (w) => `/api/events/${w.own.eventId}/ratings/import`, token: 'organiser',
    csv: 'code,side,took_place,interest,follow_up,kinds,note\nZZZZ,personne,peut-être,9,bof,inconnu,\nZZZZ,personne,non,4,oui,,\n',
  },
  { name: 'ratings: unreadable CSV', method: 'POST', path: (w) => `/api/events/${w.own.eventId}/ratings/import`, token: 'organiser', csv: 'code,side,took_place\n"K7M4,association\n' },
  // state machines
  { name: 'event back to draft', method: 'POST', path: (w) => `/api/events/${w.own.eventId}/status`, token: 'organiser', json: { status: 'draft' } },
  { name: 'delete a published event', method: 'DELETE', path: (w) => `/api/events/${w.own.eventId}`, token: 'organiser' },
  { name: 'a new draft event', method: 'POST', path: '/api/events', token: 'organiser', json: { ...goodEvent, title: '' }, before: async (w, made, call) => {
    if (made.draft) return
    const r = await call('POST', '/api/events', w.tokens.organiser, goodEvent)
    made.draft = r.body.event.id
  } },
  { name: 'draft: no published schedule', method: 'GET', path: (_w, made) => `/api/events/${made.draft}/schedule`, token: 'organiser' },
  { name: 'draft: straight to live', method: 'POST', path: (_w, made) => `/api/events/${made.draft}/status`, token: 'organiser', json: { status: 'live' } },
  { name: 'draft: schedule without participants', method: 'POST', path: (_w, made) => `/api/events/${made.draft}/schedule`, token: 'organiser', json: {} },
  { name: 'draft: re-plan without a schedule', method: 'POST', path: (_w, made) => `/api/events/${made.draft}/schedule/replan`, token: 'organiser', json: { fromRound: 2 } },
  { name: 'draft: scheduled without a schedule', method: 'POST', path: (_w, made) => `/api/events/${made.draft}/status`, token: 'organiser', json: { status: 'scheduled' }, before: async (w, made, call) => {
    await call('POST', `/api/events/${made.draft}/status`, w.tokens.organiser, { status: 'open' })
  } },
  { name: 'publish an infeasible version', method: 'POST', path: (_w, made) => `/api/events/${made.draft}/schedules/1/publish`, token: 'organiser', json: {}, before: async (w, made, call) => {
    if (made.infeasible) return
    const add = async (kind: string, name: string, extra: object) =>
      (await call('POST', `/api/events/${made.draft}/participants`, w.tokens.organiser, { personName: 'Camille', organisation: { kind, name }, ...extra })).body.participant.id
    const a = await add('association', 'Entraide du Neuhof', { arriveRound: 3 })
    const c = await add('company', 'Brasserie Schutzenberger', { leaveRound: 2 })
    await call('PUT', `/api/events/${made.draft}/wishes`, w.tokens.organiser, { from: a, to: c, level: 'must' })
    await call('POST', `/api/events/${made.draft}/schedule`, w.tokens.organiser, {})
    made.infeasible = '1'
  } },
  { name: 're-plan after the last round', method: 'POST', path: (w) => `/api/events/${w.own.eventId}/schedule/replan`, token: 'organiser', json: { fromRound: 40 } },
  { name: 'door adds a walk-in before the evening', method: 'POST', path: (w) => `/api/events/${w.own.eventId}/participants`, token: 'accueil', json: { personName: 'Anne', organisation: { kind: 'association', name: 'Venue sans inscription' } } },
  { name: 'archive a live event', method: 'POST', path: (w) => `/api/events/${w.own.eventId}/archive`, token: 'organiser', before: async (w, _made, call) => {
    await call('POST', `/api/events/${w.own.eventId}/status`, w.tokens.organiser, { status: 'live' })
  } },
  { name: 'full rotation while live', method: 'POST', path: (w) => `/api/events/${w.own.eventId}/schedules/1/publish`, token: 'organiser', json: {} },
  { name: 'remove a participant while live', method: 'DELETE', path: (w) => `/api/events/${w.own.eventId}/participants/${w.own.registrationId}`, token: 'organiser' },
  { name: 'profile while live', method: 'PATCH', path: '/api/me/profile', token: 'participant', json: { description: 'Nouveau' } },
  { name: 'wishes while live', method: 'PUT', path: '/api/me/wishes', token: 'participant', json: { wishes: [] } },
  { name: 'rating after the close', method: 'POST', path: (w) => `/api/events/${w.own.eventId}/ratings/slip`, token: 'organiser', json: (w: World) => ({ code: w.own.code, side: 'company', tookPlace: true, interest: 4, followUp: true }), before: async (w, _made, call) => {
    await call('POST', `/api/events/${w.own.eventId}/ratings/close`, w.tokens.organiser)
  } },
  { name: 'closed: change the event', method: 'PATCH', path: (w) => `/api/events/${w.own.eventId}`, token: 'organiser', json: { title: 'Autre titre' }, before: async (w, _made, call) => {
    await call('POST', `/api/events/${w.own.eventId}/status`, w.tokens.organiser, { status: 'closed' })
  } },
  { name: 'closed: back to draft', method: 'POST', path: (w) => `/api/events/${w.own.eventId}/status`, token: 'organiser', json: { status: 'draft' } },
  { name: 'closed: add a participant', method: 'POST', path: (w) => `/api/events/${w.own.eventId}/participants`, token: 'organiser', json: { personName: 'Anne', organisation: { kind: 'association', name: 'Trop tard' } } },
  { name: 'closed: a wish', method: 'PUT', path: (w) => `/api/events/${w.own.eventId}/wishes`, token: 'organiser', json: (w: World) => ({ from: w.own.registrationId, to: w.own.companyRegistrationId, level: 'must' }) },
  { name: 'closed: invitations', method: 'POST', path: (w) => `/api/events/${w.own.eventId}/messages`, token: 'organiser', json: { kind: 'invitation' } },
  { name: 'closed: new schedule', method: 'POST', path: (w) => `/api/events/${w.own.eventId}/schedule`, token: 'organiser', json: {} },
  // sizes
  { name: 'body too large', method: 'POST', path: '/api/events', token: 'organiser', raw: `{"title":"${'x'.repeat(1_100_000)}"}` },
]

let world: World
let db: Kysely<Database>
const made: Made = {}

async function send(w: World, method: string, path: string, token: string | undefined, lang: Lang, body?: { json?: unknown; csv?: string; raw?: string }) {
  const headers: Record<string, string> = { 'accept-language': lang === 'en' ? 'en-GB,en;q=0.9,fr;q=0.5' : 'fr-FR,fr;q=0.9,en;q=0.5' }
  if (token) headers.authorization = token
  const init: RequestInit = { method, headers }
  if (body?.json !== undefined) {
    headers['content-type'] = 'application/json'
    init.body = JSON.stringify(body.json)
  } else if (body?.csv !== undefined) {
    headers['content-type'] = 'text/csv; charset=utf-8'
    init.body = body.csv
  } else if (body?.raw !== undefined) {
    headers['content-type'] = 'application/json'
    init.body = body.raw
  }
  const res = await w.app.request(path, init)
  const text = await res.text()
  let parsed: any = null
  try {
    parsed = JSON.parse(text)
  } catch {
    parsed = null
  }
  return { status: res.status, body: parsed }
}

function callCsv(w: World, method: string, path: string, token: string, csv: string) {
  return send(w, method, path, `Bearer ${token}`, 'fr', { csv })
}

const caller: Caller = (method, path, token, json) => send(world, method, path, token ? `Bearer ${token}` : undefined, 'fr', json === undefined ? undefined : { json })

function tokenOf(c: Case): string | undefined {
  if (!c.token) return undefined
  if (c.token === 'bad-header') return 'Basic dXNlcjpwYXNz'
  if (typeof c.token === 'function') return `Bearer ${c.token(world, made)}`
  if (c.token === 'other-admin') return undefined
  return `Bearer ${world.tokens[c.token]}`
}

interface Collected {
  case: string
  lang: Lang
  status: number
  where: string
  message: string
}

const collected: Collected[] = []

/** Names of people, organisations, events and networks: they keep their accents in English. */
let properNames: string[] = []

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i
const HEX = /[0-9a-f]{32,}/i
const ENGLISH = /\b(not found|invalid|expected|must|cannot|can't|required|unknown|missing|already|the|is|are|of|with|without|and|only|error|failed|please|reload|try again|no longer|allowed|duplicate|empty|malformed|too many|too large|refused)\b/i
const FRENCH = /[àâäçéèêëîïôöûùüÿœæ«»]|\b(introuvable|invalide|requis|requise|attendu|attendue|déjà|inconnu|inconnue|le|la|les|des|du|est|pas|une|avec|sans|ou|et|rechargez|réessayez)\b/i
const RAW_CODES_FR = /\b(in_discussion|carried_out|draft|scheduled|proposed|contacted|agreement|renewed|abandoned|registered|walk-in|live|closed|open|company)\b/
const RAW_CODES = /\b(in_discussion|carried_out)\b/

/** What a message says outside quoted values (« … », “…”, '…') and proper names. */
function prose(message: string): string {
  let out = message
  for (const name of properNames) out = out.split(name).join(' ')
  return out.replace(/«[^»]*»/g, ' ').replace(/“[^”]*”/g, ' ').replace(/'[^']*'/g, ' ')
}

function problemsOf(m: Collected, ids: string[]): string[] {
  const problems: string[] = []
  const text = m.message
  if (UUID.test(text)) problems.push('UUID')
  if (HEX.test(text)) problems.push('hex token')
  for (const id of ids) if (text.includes(id)) problems.push(`id ${id}`)
  if (RAW_CODES.test(prose(text))) problems.push('raw code')
  if (m.lang === 'fr') {
    const p = prose(text)
    if (/\s\/\s/.test(text)) problems.push('bilingual " / "')
    if (ENGLISH.test(p)) problems.push(`English word "${ENGLISH.exec(p)![0]}"`)
    if (/[“”]/.test(text)) problems.push('English quotes')
    if (RAW_CODES_FR.test(p)) problems.push(`code "${RAW_CODES_FR.exec(p)![0]}"`)
    if (/[^\u00a0\u202f][;!?](\s|$)/.test(text)) problems.push('no no-break space before ; ! ?')
    if (/[^\u00a0\u202f]:(\s|$)/.test(text)) problems.push('no no-break space before :')
    if (/[^\u00a0\u202f]»/.test(text) || /«[^\u00a0\u202f]/.test(text)) problems.push('no no-break space inside « »')
    if (/\(s\)/.test(text)) problems.push('"(s)" plural')
    if (/\d\.\d/.test(p)) problems.push('decimal point')
  } else {
    const p = prose(text)
    if (FRENCH.test(p)) problems.push(`French "${FRENCH.exec(p)![0]}"`)
    if (/\s\/\s/.test(text)) problems.push('bilingual " / "')
  }
  return problems
}

function table(rows: Collected[], problems?: Map<Collected, string[]>): string {
  return rows
    .map((r) => `${r.lang} ${r.status} ${r.case}${r.where ? ` [${r.where}]` : ''}: ${JSON.stringify(r.message)}${problems?.get(r)?.length ? `   <-- ${problems.get(r)!.join(', ')}` : ''}`)
    .join('\n')
}

describe('every error message of the API, in French and in English (sqlite)', () => {
  beforeAll(async () => {
    const fresh = await freshDatabase('sqlite')
    db = fresh.db
    world = await buildWorld(db)
    const orgs = await db.selectFrom('organisations').select('name').execute()
    const events = await db.selectFrom('events').select('title').execute()
    const people = await db.selectFrom('registrations').select('person_name').execute()
    const networks = await db.selectFrom('networks').select('name').execute()
    const labs = await db.selectFrom('labs').select('name').execute()
    properNames = [...orgs.map((o) => o.name), ...events.map((e) => e.title), ...people.map((p) => p.person_name), ...networks.map((n) => n.name), ...labs.map((l) => l.name), 'Soirée test', 'Organisatrice', 'Accueil', 'Écran', 'Entraide du Neuhof', 'Brasserie Schutzenberger', 'Camille']
      .filter((n): n is string => !!n)
      .sort((a, b) => b.length - a.length)
    for (const c of cases) {
      if (c.before) await c.before(world, made, caller)
      for (const lang of ['fr', 'en'] as const) {
        let path = typeof c.path === 'function' ? c.path(world, made) : c.path
        if (path.endsWith('/tokens/self')) path = path.replace('self', made.adminTokenId ?? 'x')
        const json = typeof c.json === 'function' ? (c.json as (w: World, m: Made) => unknown)(world, made) : c.json
        const body = c.csv !== undefined ? { csv: c.csv } : c.raw !== undefined ? { raw: c.raw } : json !== undefined ? { json } : undefined
        const r = await send(world, c.method, path, tokenOf(c), lang, body)
        const error = r.body?.error
        if (error) {
          collected.push({ case: c.name, lang, status: r.status, where: '', message: error.message })
          for (const i of error.issues ?? []) collected.push({ case: c.name, lang, status: r.status, where: [i.row, i.column ?? i.path].filter((x) => x !== undefined).join(' '), message: i.message })
        } else if (Array.isArray(r.body?.issues)) {
          for (const i of r.body.issues) collected.push({ case: c.name, lang, status: r.status, where: [i.row, i.column ?? i.path].filter((x) => x !== undefined).join(' '), message: i.message })
        } else {
          collected.push({ case: c.name, lang, status: r.status, where: '(no error)', message: '' })
        }
      }
    }
  }, 120_000)

  test('every case reaches an error', () => {
    const missed = collected.filter((m) => m.where === '(no error)')
    expect(missed, `cases that gave no error:\n${table(missed)}\n\nall messages:\n${table(collected)}`).toEqual([])
  })

  test('at least 120 distinct messages in each language (top-level and per field)', () => {
    for (const lang of ['fr', 'en'] as const) {
      const distinct = new Set(collected.filter((m) => m.lang === lang && m.message).map((m) => m.message))
      expect(distinct.size, table(collected.filter((m) => m.lang === lang))).toBeGreaterThanOrEqual(120)
    }
  })

  test('French in French, English in English, no id, no code', () => {
    const ids = [world.own, world.other].flatMap((t) => Object.values(t).filter((v) => v.length > 8))
    const problems = new Map<Collected, string[]>()
    for (const m of collected) {
      const found = problemsOf(m, ids)
      if (found.length > 0) problems.set(m, found)
    }
    expect(problems.size, `messages with problems:\n${table([...problems.keys()], problems)}\n\nall messages:\n${table(collected)}`).toBe(0)
  })

  test('the two languages differ', () => {
    const byCase = new Map<string, { fr: string[]; en: string[] }>()
    for (const m of collected) {
      const entry = byCase.get(m.case) ?? { fr: [], en: [] }
      entry[m.lang].push(m.message)
      byCase.set(m.case, entry)
    }
    const same = [...byCase].filter(([, v]) => v.fr[0] && v.fr[0] === v.en[0]).map(([k, v]) => `${k}: ${v.fr[0]}`)
    expect(same).toEqual([])
  })

  test('the pages get the API\'s messages in their language (callApi lang)', async () => {
    const en = await callApi(world.app, world.tokens.organiser, '/api/events/inconnu', { lang: 'en' })
    const fr = await callApi(world.app, world.tokens.organiser, '/api/events/inconnu', { lang: 'fr' })
    const none = await callApi(world.app, world.tokens.organiser, '/api/events/inconnu')
    expect([en.ok ? '' : en.message, fr.ok ? '' : fr.message, none.ok ? '' : none.message]).toEqual(['Event not found', 'Événement introuvable', 'Événement introuvable'])
  })
})

describe('Accept-Language', () => {
  test.for([
    [undefined, 'fr'],
    ['', 'fr'],
    ['en', 'en'],
    ['en-GB,en;q=0.9', 'en'],
    ['fr-FR,fr;q=0.9,en;q=0.8', 'fr'],
    ['de-DE,en;q=0.5,fr;q=0.3', 'en'],
    ['de-DE', 'fr'],
    ['en;q=0.2,fr;q=0.8', 'fr'],
    ['en;q=0', 'fr'],
    ['*', 'fr'],
  ] as [string | undefined, 'fr' | 'en'][])('%s -> %s', ([header, lang]) => {
    expect(langOf(header)).toBe(lang)
  })
})
