/**
 * The access suite, generated from the app's route table: every route x every
 * caller (no token, a revoked token, admin, organiser, accueil, salle, lab,
 * participant of network A) x every target (network A's own ids, network B's
 * ids, and A's path with B's ids in the body). Each gets its expected status;
 * no answer given to A contains anything of B; and the requests that must be
 * refused change nothing in the database. A route missing from the table below
 * fails the suite: a new route gets its rows here.
 */
import { createHash } from 'node:crypto'
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Kysely } from 'kysely'
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { createApp } from '../../src/app.ts'
import { migrateToLatest, openDatabase } from '../../src/db/database.ts'
import type { Database } from '../../src/db/schema.ts'
import { freshDatabase, dialects } from '../helpers/db.ts'
import { buildWorld, callers, type Caller, type Target, type World } from './world.ts'

type Role = Exclude<Caller, 'none' | 'revoked'>
const M: Role[] = ['admin', 'organiser']
const S: Role[] = ['admin', 'organiser', 'accueil', 'salle']
const P: Role[] = ['participant']
const LAB: Role[] = ['lab', 'admin', 'organiser']

interface Rule {
  /** roles that may do it on their own network's ids */
  allow: Role[]
  /** a JSON body ({{id}} placeholders are filled from the target) */
  json?: unknown
  /** a raw text/csv body */
  csv?: string
  /** query string, with placeholders */
  query?: string
  /** statuses an allowed call on its own ids may give besides 2xx/3xx (e.g. 409 for the state the world is in) */
  alsoOk?: number[]
  /** public: answers anyone */
  public?: boolean
}

/** The router-level guard of each API prefix: roles outside it get 403 before any lookup. */
const guards: [RegExp, Role[]][] = [
  [/^\/api\/events/, S],
  [/^\/api\/network/, S],
  [/^\/api\/organisations/, M],
  [/^\/api\/me/, P],
  [/^\/api\/lab/, LAB],
  [/^\/api\/checkins/, M],
  [/^\/api\/history/, M],
]

const participantsCsv = 'type,nom,participant\nassociation,Nouvelle Asso,Jeanne Martin\n'
const ratingsCsv = 'code,side,took_place,interest,follow_up\n{{code}},association,oui,4,oui\n'
const historyCsv = 'event_title,event_date,round,association,company\nSoirée passée,2025-03-12,1,Asso Passée,Entreprise Passée\n'

const api: Record<string, Rule> = {
  'GET /api/health': { allow: [], public: true },
  'GET /api/events': { allow: S },
  'POST /api/events': { allow: M, json: { title: 'Nouvelle soirée', date: '2027-01-14', rounds: 6 , seatedSide: 'company' } },
  'GET /api/events/:eventId': { allow: S },
  'PATCH /api/events/:eventId': { allow: M, json: { venue: 'Salle des fêtes' } },
  'POST /api/events/:eventId/status': { allow: M, json: { status: 'open' } },
  'POST /api/events/:eventId/duplicate': { allow: M, json: { date: '2027-03-11', title: 'Soirée de printemps' } },
  'POST /api/events/:eventId/archive': { allow: M },
  'POST /api/events/:eventId/unarchive': { allow: M },
  // the world's event has a published rotation: only a draft may be deleted
  'DELETE /api/events/:eventId': { allow: M, alsoOk: [409] },
  'GET /api/events/:eventId/participants': { allow: [...M, 'accueil'] },
  'POST /api/events/:eventId/participants': { allow: M, json: { organisationId: '{{organisationId}}', personName: 'Jeanne Martin' }, alsoOk: [409] },
  'POST /api/events/:eventId/participants/import': { allow: M, csv: participantsCsv },
  'GET /api/events/:eventId/participants/:registrationId': { allow: [...M, 'accueil'] },
  'PATCH /api/events/:eventId/participants/:registrationId': { allow: M, json: { personName: 'Jeanne Martin' } },
  // the world's participant has meetings in the published rotation: refused in words (409)
  'DELETE /api/events/:eventId/participants/:registrationId': { allow: M, alsoOk: [409] },
  'POST /api/events/:eventId/participants/:registrationId/attendance': { allow: [...M, 'accueil'], json: { attendance: 'present' } },
  'POST /api/events/:eventId/participants/:registrationId/link': { allow: M },
  'GET /api/events/:eventId/participants/:registrationId/link': { allow: M, alsoOk: [409] },
  'DELETE /api/events/:eventId/participants/:registrationId/link': { allow: M },
  'GET /api/events/:eventId/participants/links.csv': { allow: M },
  'POST /api/events/:eventId/messages': { allow: M, json: { kind: 'invitation' } },
  'GET /api/events/:eventId/messages': { allow: M },
  'GET /api/events/:eventId/wishes': { allow: M },
  'PUT /api/events/:eventId/wishes': { allow: M, json: { from: '{{registrationId}}', to: '{{companyRegistrationId}}', level: 'like' } },
  'GET /api/events/:eventId/exclusions': { allow: M },
  'POST /api/events/:eventId/exclusions': {
    allow: M,
    json: { associationId: '{{organisationId}}', companyId: '{{companyOrganisationId}}', reason: 'conflict', allEvents: true },
  },
  'DELETE /api/events/:eventId/exclusions/:exclusionId': { allow: M },
  'POST /api/events/:eventId/schedule': { allow: M },
  'POST /api/events/:eventId/schedule/replan': { allow: M, json: { fromRound: 2 }, alsoOk: [409] },
  'GET /api/events/:eventId/schedule': { allow: S },
  'GET /api/events/:eventId/schedule.csv': { allow: M },
  'GET /api/events/:eventId/schedule/participants/:registrationId': { allow: S },
  'GET /api/events/:eventId/schedules': { allow: M },
  'GET /api/events/:eventId/schedules/progress': { allow: M },
  'GET /api/events/:eventId/schedules/:version': { allow: M },
  'POST /api/events/:eventId/schedules/:version/publish': { allow: M },
  'POST /api/events/:eventId/schedules/:version/unpublish': { allow: M, alsoOk: [409] },
  'GET /api/events/:eventId/schedules/:version/diff': { allow: M },
  // the world's event has a published rotation: its trial can no longer change (409)
  'GET /api/events/:eventId/trial': { allow: M },
  'PUT /api/events/:eventId/trial': { allow: M, json: { arms: ['engine', 'random'], assignment: 'participant-block' }, alsoOk: [409] },
  'DELETE /api/events/:eventId/trial': { allow: M, alsoOk: [409] },
  'GET /api/events/:eventId/weights': { allow: M, query: 'suggest=1' },
  'PUT /api/events/:eventId/weights': { allow: M, json: { source: 'manual', weights: { offerMeetsNeed: 4 } } },
  'DELETE /api/events/:eventId/weights': { allow: M },
  'GET /api/organisations': { allow: M, query: 'q=a' },
  'GET /api/organisations/:organisationId': { allow: M },
  'PATCH /api/organisations/:organisationId': { allow: M, json: { description: 'Épicerie solidaire du quartier' } },
  'GET /api/organisations/:organisationId/history': { allow: M },
  // an association and a company: not the same organisation (409)
  'POST /api/organisations/:organisationId/merge': { allow: M, json: { from: '{{companyOrganisationId}}' }, alsoOk: [409] },
  'GET /api/me': { allow: P },
  'GET /api/me/participants': { allow: P },
  'GET /api/me/wishes': { allow: P },
  'PUT /api/me/wishes': { allow: P, json: { wishes: [{ to: '{{companyRegistrationId}}', level: 'like' }] } },
  'GET /api/me/profile': { allow: P },
  'PATCH /api/me/profile': { allow: P, json: { description: 'Une association de quartier' } },
  'PATCH /api/me': { allow: P, json: { locale: 'en' } },
  'GET /api/events/:eventId/ratings': { allow: M },
  'POST /api/events/:eventId/ratings/close': { allow: M },
  'POST /api/events/:eventId/ratings/reopen': { allow: M },
  'POST /api/events/:eventId/ratings/slip': { allow: M, json: { code: '{{code}}', side: 'association', interest: 4, followUp: true } },
  'POST /api/events/:eventId/ratings/import': { allow: M, csv: ratingsCsv },
  'POST /api/events/:eventId/proposals': { allow: M, json: {} },
  'GET /api/events/:eventId/proposals': { allow: M },
  'PATCH /api/events/:eventId/proposals/:proposalId': { allow: M, json: { note: 'Rappeler en janvier' } },
  'POST /api/events/:eventId/proposals/:proposalId/accept': { allow: M },
  'POST /api/events/:eventId/proposals/:proposalId/drop': { allow: M },
  'GET /api/events/:eventId/proposals/:proposalId': { allow: M },
  'GET /api/events/:eventId/partnerships': { allow: M },
  'POST /api/events/:eventId/partnerships': {
    allow: M,
    json: { associationRegistrationId: '{{companyRegistrationId}}', companyRegistrationId: '{{registrationId}}' },
    alsoOk: [409, 422],
  },
  'GET /api/events/:eventId/partnerships/:partnershipId': { allow: M },
  'PATCH /api/events/:eventId/partnerships/:partnershipId': { allow: M, json: { note: 'Premier rendez-vous pris' } },
  'POST /api/events/:eventId/partnerships/:partnershipId/status': { allow: M, json: { status: 'contacted' } },
  'GET /api/checkins/due': { allow: M, query: 'on=2027-12-31' },
  'GET /api/me/data': { allow: P },
  'PUT /api/me/consent': { allow: P, json: { research: false } },
  'DELETE /api/me': { allow: P },
  'GET /api/events/:eventId/participants/:registrationId/data': { allow: M },
  'DELETE /api/events/:eventId/participants/:registrationId/personal-data': { allow: M },
  'GET /api/network/privacy': { allow: M },
  'PATCH /api/network': { allow: ['admin'], json: { dpoName: 'Camille Lefèvre', retentionMonths: 18 } },
  'GET /api/network/retention': { allow: M },
  'GET /api/network/audit': { allow: ['admin'] },
  'GET /api/me/meetings': { allow: P },
  'GET /api/me/agenda.ics': { allow: P },
  'PUT /api/me/meetings/:meetingId/rating': { allow: P, json: { tookPlace: true, interest: 4, followUp: true } },
  'GET /api/me/matches': { allow: P },
  'GET /api/me/checkins': { allow: P },
  'POST /api/me/checkins/:checkinId': { allow: P, json: { evolution: 'in-progress' } },
  'GET /api/lab/events': { allow: LAB },
  'GET /api/lab/access': { allow: LAB },
  'GET /api/lab/metrics': { allow: LAB, query: 'event={{eventId}}' },
  'GET /api/lab/events/:eventId/metrics': { allow: LAB },
  'GET /api/lab/compare': { allow: LAB, query: 'a=score&b=shared_themes&event={{eventId}}' },
  'GET /api/lab/logistic': { allow: LAB, query: 'x=score&event={{eventId}}' },
  'GET /api/lab/power': { allow: LAB, query: 'target=0.3&event={{eventId}}' },
  'GET /api/lab/weights': { allow: LAB, query: 'event={{eventId}}' },
  'GET /api/lab/allocation': { allow: LAB, query: 'arm=engine,random&events=6&seed=serie' },
  'GET /api/lab/export': { allow: LAB, query: 'format=json&key=cle-de-test&event={{eventId}}' },
  'GET /api/lab/codebook': { allow: LAB },
  'POST /api/history/import': { allow: M, csv: historyCsv },
  'GET /api/network': { allow: S },
  'GET /api/network/tokens': { allow: S },
  'POST /api/network/tokens': { allow: M, json: { role: 'salle', label: 'Écran 2', eventId: '{{eventId}}' } },
  'DELETE /api/network/tokens/:tokenId': { allow: ['admin'] },
  'GET /api/network/labs': { allow: ['admin'] },
  'POST /api/network/labs': { allow: ['admin'], json: { labId: '{{freeLabId}}' } },
  'PATCH /api/network/labs/:labId': { allow: ['admin'], json: { stablePseudonyms: true } },
  'DELETE /api/network/labs/:labId': { allow: ['admin'] },
}

/** Page routes: `staff` pages take the org_token cookie, `lab` pages lab or organiser, `participant` pages a secret in the path. */
interface PageRule {
  kind: 'public' | 'staff' | 'lab' | 'participant'
  allow: Role[]
  form?: Record<string, string>
  query?: string
  /** answers JSON to the room screen's script: refused callers get 404, not a redirect */
  json?: boolean
}
const CHECKIN: Role[] = [...M, 'accueil']
const ROOM: Role[] = [...M, 'salle']
const pages: Record<string, PageRule> = {
  'GET /static/:file': { kind: 'public', allow: [] },
  'GET /': { kind: 'public', allow: [] },
  'GET /connexion': { kind: 'public', allow: [] },
  'POST /connexion': { kind: 'public', allow: [], form: { token: 'org_not-a-token' } },
  'POST /deconnexion': { kind: 'public', allow: [] },
  'GET /evenements': { kind: 'staff', allow: S },
  'POST /evenements': { kind: 'staff', allow: M, form: { title: 'Soirée', date: '2027-01-14', rounds: '6' } },
  'POST /evenements/:eventId/etat': { kind: 'staff', allow: M, form: { status: 'open' } },
  'GET /evenements/:eventId': { kind: 'staff', allow: M },
  'POST /evenements/:eventId/participants/:registrationId/lien': { kind: 'staff', allow: M },
  'POST /evenements/:eventId/participants/:registrationId/retirer': { kind: 'staff', allow: M },
  'POST /evenements/:eventId/import': { kind: 'staff', allow: M, form: { csv: participantsCsv } },
  'POST /evenements/:eventId/import/confirmer': { kind: 'staff', allow: M, form: { csv: participantsCsv } },
  'GET /evenements/:eventId/voeux': { kind: 'staff', allow: M },
  'POST /evenements/:eventId/voeux': { kind: 'staff', allow: M, form: { from: '{{registrationId}}', to: '{{companyRegistrationId}}', level: 'like' } },
  'GET /evenements/:eventId/rotation': { kind: 'staff', allow: M },
  'POST /evenements/:eventId/rotation': { kind: 'staff', allow: M },
  'POST /evenements/:eventId/rotation/publier': { kind: 'staff', allow: M, form: { version: '{{version}}' } },
  'GET /evenements/:eventId/rotation/progres': { kind: 'staff', allow: M },
  'GET /evenements/:eventId/essai': { kind: 'staff', allow: M },
  // the world's event is published: its trial can no longer change (409 shown on the page)
  'POST /evenements/:eventId/essai': { kind: 'staff', allow: M, form: { arms: 'engine', assignment: 'event' } },
  'POST /evenements/:eventId/essai/retirer': { kind: 'staff', allow: M },
  'POST /evenements/:eventId/poids': { kind: 'staff', allow: M, form: { source: 'default' } },
  'POST /evenements/:eventId/rotation/depublier': { kind: 'staff', allow: M, form: { version: '{{version}}' } },
  'GET /evenements/:eventId/impression': { kind: 'staff', allow: M },
  'GET /evenements/:eventId/impression.pdf': { kind: 'staff', allow: M, query: 'parts=cards,plates,slips' },
  'POST /evenements/:eventId/impression/liens': { kind: 'staff', allow: M },
  'GET /evenements/:eventId/accueil': { kind: 'staff', allow: CHECKIN },
  'POST /evenements/:eventId/accueil/:registrationId': { kind: 'staff', allow: CHECKIN, form: { attendance: 'present' } },
  'POST /evenements/:eventId/accueil': { kind: 'staff', allow: CHECKIN, form: { kind: 'association', name: 'Asso du soir', person: 'Léa' } },
  'POST /evenements/:eventId/replanifier': { kind: 'staff', allow: M, form: { fromRound: '2' } },
  'GET /evenements/:eventId/suivi': { kind: 'staff', allow: M },
  'POST /evenements/:eventId/suivi/bulletin': { kind: 'staff', allow: M, form: { code: '{{code}}', side: 'association', interest: '4', followUp: 'yes' } },
  'POST /evenements/:eventId/suivi/clore': { kind: 'staff', allow: M },
  'POST /evenements/:eventId/suivi/rouvrir': { kind: 'staff', allow: M },
  'POST /evenements/:eventId/suivi/propositions': { kind: 'staff', allow: M },
  'POST /evenements/:eventId/suivi/propositions/:proposalId': { kind: 'staff', allow: M, form: { action: 'accept' } },
  'POST /evenements/:eventId/suivi/partenariats': { kind: 'staff', allow: M, form: { proposalId: '{{proposalId}}' } },
  'POST /evenements/:eventId/suivi/partenariats/:partnershipId': { kind: 'staff', allow: M, form: { status: 'contacted' } },
  'GET /evenements/:eventId/courriels': { kind: 'staff', allow: M },
  'POST /evenements/:eventId/courriels': { kind: 'staff', allow: M, form: { kind: 'invitation' } },
  'GET /evenements/:eventId/courriels/liens.csv': { kind: 'staff', allow: M },
  'GET /evenements/:eventId/participants/:registrationId/lien': { kind: 'staff', allow: M },
  'GET /evenements/:eventId/gestion': { kind: 'staff', allow: M },
  'POST /evenements/:eventId/modifier': { kind: 'staff', allow: M, form: { venue: 'Salle des fêtes' } },
  'POST /evenements/:eventId/dupliquer': { kind: 'staff', allow: M, form: { date: '2027-03-11' } },
  'POST /evenements/:eventId/archiver': { kind: 'staff', allow: M },
  'POST /evenements/:eventId/desarchiver': { kind: 'staff', allow: M },
  'POST /evenements/:eventId/supprimer': { kind: 'staff', allow: M },
  'GET /archives': { kind: 'staff', allow: M },
  'GET /organisations/:organisationId': { kind: 'staff', allow: M },
  'POST /organisations/:organisationId/fusion': { kind: 'staff', allow: M, form: { from: '{{companyOrganisationId}}' } },
  'GET /evenements/:eventId/salle': { kind: 'staff', allow: ROOM },
  'GET /evenements/:eventId/salle/etat': { kind: 'staff', allow: ROOM, json: true },
  'POST /evenements/:eventId/salle/etat': { kind: 'staff', allow: ROOM, form: { action: 'next' }, json: true },
  // live updates: server-sent events, or the same state as JSON (the polling fallback)
  'GET /evenements/:eventId/salle/flux': { kind: 'staff', allow: ROOM, json: true },
  'GET /p/:secret': { kind: 'participant', allow: P },
  'GET /p/:secret/tour': { kind: 'participant', allow: P },
  'GET /p/:secret/flux': { kind: 'participant', allow: P },
  'POST /p/:secret/langue': { kind: 'participant', allow: P, form: { locale: 'en' } },
  'GET /p/:secret/agenda.ics': { kind: 'participant', allow: P },
  'POST /p/:secret/voeux': { kind: 'participant', allow: P, form: { to: '{{companyRegistrationId}}', ['level-{{companyRegistrationId}}']: 'like' } },
  'POST /p/:secret/profil': { kind: 'participant', allow: P, form: { description: 'Une association' } },
  'POST /p/:secret/suivis/:checkinId': { kind: 'participant', allow: P, form: { evolution: 'in-progress' } },
  'GET /p/:secret/rencontres/:meetingId': { kind: 'participant', allow: P },
  'GET /p/:secret/confidentialite': { kind: 'participant', allow: P },
  'GET /p/:secret/mes-donnees': { kind: 'participant', allow: P },
  'POST /p/:secret/consentement': { kind: 'participant', allow: P, form: { research: 'no' } },
  'POST /p/:secret/effacer': { kind: 'participant', allow: P, form: { confirm: 'yes' } },
  'GET /confidentialite': { kind: 'public', allow: [] },
  'GET /accessibilite': { kind: 'public', allow: [] },
  'POST /p/:secret/rencontres/:meetingId': { kind: 'participant', allow: P, form: { tookPlace: 'yes', interest: '4', followUp: 'yes' } },
  'GET /reseau': { kind: 'staff', allow: S },
  'POST /reseau/comptes': { kind: 'staff', allow: M, form: { label: 'Écran 2', role: 'salle', eventId: '{{eventId}}' } },
  'POST /reseau/comptes/:tokenId/revoquer': { kind: 'staff', allow: ['admin'] },
  'POST /reseau/laboratoires': { kind: 'staff', allow: ['admin'], form: { labId: '{{freeLabId}}' } },
  'POST /reseau/laboratoires/:labId/retirer': { kind: 'staff', allow: ['admin'] },
  'GET /labo': { kind: 'lab', allow: LAB, query: 'event={{eventId}}' },
  'GET /labo/export': { kind: 'lab', allow: LAB, query: 'format=csv&key=cle-de-test' },
  'GET /labo/codebook': { kind: 'lab', allow: LAB },
}

let freeLabId = ''
const fill = (text: string, t: Target) => text.replace(/\{\{(\w+)\}\}/g, (_, k: string) => (k === 'freeLabId' ? freeLabId : (t as unknown as Record<string, string>)[k]!))
const fillJson = (value: unknown, t: Target): unknown => JSON.parse(fill(JSON.stringify(value), t))

/** The path with its parameters taken from `t` (the secret from `secret`). */
function pathOf(pattern: string, t: Target, secret: string): string {
  return pattern.replace(/:(\w+)/g, (_, name: string) => {
    if (name === 'secret') return secret
    if (name === 'file') return 'style.css'
    if (name === 'version') return t.version
    const value = (t as unknown as Record<string, string>)[name]
    if (value === undefined) throw new Error(`no id for :${name}`)
    return value
  })
}

/** Every table's rows, hashed; `tokens.last_used_at` left out (reading with a token records its use). */
async function digestOf(db: Kysely<Database>): Promise<string> {
  const hash = createHash('sha256')
  const tables = ['networks', 'tokens', 'labs', 'lab_grants', 'organisations', 'events', 'registrations', 'wishes', 'exclusions', 'schedules',
    'meetings', 'event_settings', 'ratings', 'proposals', 'partnerships', 'partnership_history', 'checkins', 'room_states', 'audit_log', 'retention_runs', 'trials', 'event_weights'] as const
  for (const table of tables) {
    const { rows } = await sql<Record<string, unknown>>`select * from ${sql.table(table)}`.execute(db)
    const lines = rows.map((r) => JSON.stringify(Object.entries(r).filter(([k]) => k !== 'last_used_at').sort())).sort()
    hash.update(`${table}:${lines.join('\n')}`)
  }
  return hash.digest('hex')
}

function routeTable(world: World): { method: string; path: string }[] {
  const seen = new Map<string, { method: string; path: string }>()
  for (const r of world.app.routes) {
    if (r.method === 'ALL') continue
    seen.set(`${r.method} ${r.path}`, { method: r.method, path: r.path })
  }
  return [...seen.values()]
}

interface Answer {
  status: number
  text: string
  location: string | null
}

async function send(world: World, method: string, path: string, init: { token?: string; cookie?: string; json?: unknown; csv?: string; form?: Record<string, string> }): Promise<Answer> {
  const headers: Record<string, string> = {}
  let body: string | undefined
  if (init.token) headers.authorization = `Bearer ${init.token}`
  if (init.cookie) headers.cookie = init.cookie
  if (init.json !== undefined) {
    body = JSON.stringify(init.json)
    headers['content-type'] = 'application/json'
  } else if (init.csv !== undefined) {
    body = init.csv
    headers['content-type'] = 'text/csv'
  } else if (init.form !== undefined) {
    body = new URLSearchParams(init.form).toString()
    headers['content-type'] = 'application/x-www-form-urlencoded'
  }
  const res = await world.app.request(path, { method, headers, ...(body !== undefined ? { body } : {}), redirect: 'manual' })
  return { status: res.status, text: await res.text(), location: res.headers.get('location') }
}

function guardOf(path: string): Role[] {
  return guards.find(([re]) => re.test(path))?.[1] ?? []
}

const pathTarget = (path: string) => /:(?!file\b)(?!secret\b)\w+/.test(path)
const hasTarget = (path: string, rule: { query?: string; json?: unknown; form?: Record<string, string> }) =>
  pathTarget(path) || /\{\{(?!freeLabId)/.test(`${rule.query ?? ''}${JSON.stringify(rule.json ?? '')}${JSON.stringify(rule.form ?? '')}`)

const hasBodyIds = (rule: { json?: unknown; form?: Record<string, string> }) => /\{\{/.test(JSON.stringify(rule.json ?? rule.form ?? ''))

for (const dialect of dialects) {
  describe(`access to every route on ${dialect}`, () => {
    let db: Kysely<Database>
    let drop: () => Promise<void>
    let world: World
    beforeAll(async () => {
      ;({ db, drop } = await freshDatabase(dialect))
      world = await buildWorld(db)
      freeLabId = world.freeLabId
    })
    afterAll(async () => drop())

    test('every route of the app has its row in this suite', () => {
      const missing = routeTable(world)
        .map((r) => `${r.method} ${r.path}`)
        .filter((key) => !(key in api) && !(key in pages))
      expect(missing).toEqual([])
    })

    test('API: refused callers and other networks get 401, 403 or 404, see nothing of network B, and change nothing', async () => {
      const before = await digestOf(db)
      const problems: string[] = []
      for (const [key, rule] of Object.entries(api)) {
        const [method, pattern] = key.split(' ') as [string, string]
        const guard = guardOf(pattern)
        for (const caller of callers) {
          const variants: ['other' | 'mixed' | 'own', Target, Target][] = [['own', world.own, world.own]]
          if (hasTarget(pattern, rule)) variants.push(['other', world.other, world.other])
          if (hasBodyIds(rule) && /:eventId/.test(pattern)) variants.push(['mixed', world.own, world.other])
          for (const [variant, pathIds, bodyIds] of variants) {
            const allowed = caller !== 'none' && caller !== 'revoked' && rule.allow.includes(caller)
            if (variant === 'own' && (allowed || rule.public)) continue // allowed calls change things: below, each on a fresh world
            const expected: number[] =
              caller === 'none' ? (rule.public ? [200] : [401])
              : caller === 'revoked' ? [401]
              : rule.public ? [200]
              : !guard.includes(caller) ? [403]
              : variant === 'own' ? [403]
              // another network's ids: not found, whatever the role; accueil and salle may also be refused first
              : variant === 'other' && !pathTarget(pattern) ? (rule.allow.includes(caller) ? [404, 422] : [403, 404, 422])
              : variant === 'other' ? (rule.allow.includes(caller) ? [404] : [403, 404])
              : rule.allow.includes(caller) ? [404, 422] : [403, 404, 422]
            const path = pathOf(pattern, pathIds, world.tokens.participant) + (rule.query ? `?${fill(rule.query, bodyIds)}` : '')
            const answer = await send(world, method, path, {
              ...(caller === 'none' ? {} : { token: world.tokens[caller] }),
              ...(rule.json !== undefined ? { json: fillJson(rule.json, bodyIds) } : {}),
              ...(rule.csv !== undefined ? { csv: fill(rule.csv, bodyIds) } : {}),
            })
            if (!expected.includes(answer.status)) problems.push(`${key} as ${caller} (${variant}): ${answer.status}, expected ${expected.join(' or ')} ${answer.text.slice(0, 160)}`)
            // an id the request itself carried may be named back (« Événement … introuvable »): anything else of B is a leak
            const sent = path + JSON.stringify(rule.json ?? '') + (rule.csv ?? '')
            const leak = world.foreignMarkers.find((m) => answer.text.includes(m) && !fill(sent, bodyIds).includes(m))
            if (leak) problems.push(`${key} as ${caller} (${variant}): answer contains ${leak}`)
          }
        }
      }
      expect(problems).toEqual([])
      expect(await digestOf(db)).toBe(before)
    })

    test('pages: refused callers and other networks are sent to the login page or get 404, and change nothing', async () => {
      const before = await digestOf(db)
      const problems: string[] = []
      for (const [key, rule] of Object.entries(pages)) {
        if (rule.kind === 'public') continue
        const [method, pattern] = key.split(' ') as [string, string]
        for (const caller of callers) {
          const variants: ['own' | 'other', Target][] = [['own', world.own]]
          if (hasTarget(pattern, rule)) variants.push(['other', world.other])
          for (const [variant, ids] of variants) {
            const allowed = caller !== 'none' && caller !== 'revoked' && rule.allow.includes(caller)
            if (variant === 'own' && allowed) continue
            let cookie: string | undefined
            let secret = world.tokens.participant
            if (rule.kind === 'participant') {
              if (caller !== 'participant') secret = 'p_not-a-secret-at-all'
            } else if (caller === 'lab') cookie = `lab_token=${world.tokens.lab}`
            else if (caller !== 'none' && caller !== 'participant') cookie = `org_token=${world.tokens[caller]}`
            const expected: number[] =
              rule.json ? [404]
              // the page shows the API's refusal of another network's id: 404, or 422 for a form it will not take
              : rule.kind === 'participant' ? (caller === 'participant' && method === 'POST' ? [404, 422] : [404])
              : caller === 'none' || caller === 'revoked' || caller === 'participant' ? [303]
              : rule.kind === 'lab' && !rule.allow.includes(caller) ? [303]
              : rule.kind === 'staff' && caller === 'lab' ? [303]
              // a page without an event shows the API's refusal (403, or the form again with it)
              : !pathTarget(pattern) ? [403, 404, 422]
              // a role that may not do it: the page is not found, or shows the API's 403
              : !rule.allow.includes(caller) ? [403, 404]
              : [404]
            // an accueil or salle account asking for a page of its event it may not open: 404 too; the network's pages without an event: its own list
            const path = pathOf(pattern, ids, secret) + (rule.query ? `?${fill(rule.query, ids)}` : '')
            const answer = await send(world, method, path, { ...(cookie ? { cookie } : {}), ...(rule.form ? { form: Object.fromEntries(Object.entries(rule.form).map(([k, v]) => [fill(k, ids), fill(v, ids)])) } : {}) })
            const ok = expected.includes(answer.status) && (answer.status !== 303 || (answer.location ?? '').startsWith('/connexion'))
            if (!ok && !(pattern === '/evenements' && answer.status < 400 && method === 'GET')) {
              problems.push(`${key} as ${caller} (${variant}): ${answer.status} ${answer.location ?? ''}, expected ${expected.join(' or ')}`)
            }
            const leak = world.foreignMarkers.find((m) => answer.text.includes(m) && !path.includes(m))
            if (leak) problems.push(`${key} as ${caller} (${variant}): page contains ${leak}`)
          }
        }
      }
      expect(problems).toEqual([])
      expect(await digestOf(db)).toBe(before)
    })

    test('allowed callers on their own ids are served, without a word of network B', async () => {
      const problems: string[] = []
      const cases = Object.entries(api).flatMap(([key, rule]) => (rule.public ? [] : rule.allow.map((role) => ({ key, rule, role }))))
      // Each call that may write runs on its own copy of the world (a call may delete or close what the next one needs):
      // a copy of a SQLite file. On PostgreSQL the reads run on the shared world (the writes are the HTTP suites' work there).
      let base: string | null = null
      if (dialect === 'sqlite') {
        base = join(mkdtempSync(join(tmpdir(), 'access-')), 'world.sqlite')
        const file = openDatabase(base)
        await migrateToLatest(file.db)
        const w = await buildWorld(file.db)
        await file.db.destroy()
        Object.assign(world, { tokens: w.tokens, own: w.own, other: w.other, foreignMarkers: w.foreignMarkers, freeLabId: w.freeLabId })
        freeLabId = w.freeLabId
      }
      for (const { key, rule, role } of cases) {
        const [method, pattern] = key.split(' ') as [string, string]
        if (!base && method !== 'GET') continue
        let copy: { db: Kysely<Database>; file: string } | null = null
        if (base) {
          const file = `${base}.${problems.length}-${Math.random().toString(36).slice(2)}.sqlite`
          copyFileSync(base, file)
          copy = { db: openDatabase(file).db, file }
        }
        try {
          // a check-in is answered from its due date (2026-12-08 in the world): its write runs on that day
          const at = key === 'POST /api/me/checkins/:checkinId' ? '2026-12-08T18:00:00.000Z' : '2026-11-24T18:00:00.000Z'
          const w: World = copy ? { ...world, app: createApp({ db: copy.db, clock: () => new Date(at) }) } : world
          const path = pathOf(pattern, w.own, w.tokens.participant) + (rule.query ? `?${fill(rule.query, w.own)}` : '')
          const answer = await send(w, method, path, {
            token: w.tokens[role],
            ...(rule.json !== undefined ? { json: fillJson(rule.json, w.own) } : {}),
            ...(rule.csv !== undefined ? { csv: fill(rule.csv, w.own) } : {}),
          })
          if (answer.status >= 400 && !(rule.alsoOk ?? []).includes(answer.status)) problems.push(`${key} as ${role}: ${answer.status} ${answer.text.slice(0, 200)}`)
          const leak = w.foreignMarkers.find((m) => answer.text.includes(m))
          if (leak) problems.push(`${key} as ${role}: answer contains ${leak}`)
        } finally {
          if (copy) {
            await copy.db.destroy()
            rmSync(copy.file, { force: true })
          }
        }
      }
      expect(problems).toEqual([])
    }, 300_000)
  })
}
