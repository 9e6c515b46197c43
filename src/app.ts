/**
 * The Hono application. Dependencies enter here and nowhere else: a test builds
 * its own app on its own database.
 *
 *   const app = createApp({ db })
 *   const res = await app.request('/api/health')
 */
import { randomBytes } from 'node:crypto'
import { Hono } from 'hono'
import type { Kysely } from 'kysely'
import { authenticate } from './auth/middleware.ts'
import type { Database } from './db/schema.ts'
import { inlineSolver, type SolverRunner } from './domain/solver-runner.ts'
import { onError, onNotFound } from './errors.ts'
import type { AppEnv, Clock } from './http/env.ts'
import { events } from './http/events.ts'
import { eventAdmin } from './http/event-admin.ts'
import { exclusions } from './http/exclusions.ts'
import { me } from './http/me.ts'
import { network } from './http/network.ts'
import { messages } from './http/messages.ts'
import { organisations } from './http/organisations.ts'
import { participantLinks } from './http/participant-links.ts'
import { organisationHistoryRoutes } from './http/organisation-history.ts'
import { participants } from './http/participants.ts'
import { schedules } from './http/schedules.ts'
import { trial } from './http/trial.ts'
import { wishes } from './http/wishes.ts'
import { history } from './http/history.ts'
import { lab } from './http/lab.ts'
import { meAgenda } from './http/me-agenda.ts'
import { meCheckins } from './http/me-checkins.ts'
import { meMeetings } from './http/me-meetings.ts'
import { checkins, partnerships } from './http/partnerships.ts'
import { proposals } from './http/proposals.ts'
import { ratings } from './http/ratings.ts'
import { eventPrivacy, mePrivacy, networkPrivacy, personalDataAudit } from './http/privacy.ts'
import { createWeb } from './web/index.tsx'
import { edge, type AccessLog } from './http/middleware/edge.ts'

export interface CreateAppOptions {
  db: Kysely<Database>
  /** time source (default: the system clock) */
  clock?: Clock
  /** absolute base of personal links, e.g. https://rencontres.example.org (default: relative links) */
  publicUrl?: string
  /** where the solver runs (default: inline, in the request; the server uses a worker thread) */
  solver?: SolverRunner
  /** receives one JSON access-log line per request (default: no logging; the server passes console.log) */
  log?: AccessLog
  /** server secret personal links are derived from (default: a random one, links then die with the app) */
  linkSecret?: string
  /** called after messages are queued (the server sends them at once; default: nothing, the timer or a test sends) */
  wakeMailer?: () => void
}

/** Builds the API on `db`. Routers are mounted under /api, one per resource. */
export function createApp(options: CreateAppOptions) {
  const deps = {
    db: options.db,
    clock: options.clock ?? (() => new Date()),
    publicUrl: (options.publicUrl ?? '').replace(/\/+$/, ''),
    solver: options.solver ?? inlineSolver,
    linkKey: options.linkSecret ?? randomBytes(32).toString('base64url'),
    wakeMailer: options.wakeMailer ?? (() => {}),
  }

  const api = new Hono<AppEnv>()
    .use(async (c, next) => {
      c.set('db', deps.db)
      c.set('clock', deps.clock)
      c.set('publicUrl', deps.publicUrl)
      c.set('solver', deps.solver)
      c.set('linkKey', deps.linkKey)
      c.set('wakeMailer', deps.wakeMailer)
      await next()
    })
    .use(authenticate)
    .use(personalDataAudit)
    .get('/health', (c) => c.json({ status: 'ok' as const, time: deps.clock().toISOString() }, 200))
    // Routers mounted at one path share their middleware: a guard used by one /events router
    // applies to every /events route. So they all guard staff (requireStaff) and each route
    // checks its role and event with eventFor / ownedEvent.
    .route('/events', events)
    .route('/events', participantLinks)
    .route('/events', eventAdmin)
    .route('/events', participants)
    .route('/events', wishes)
    .route('/events', exclusions)
    .route('/events', schedules)
    .route('/events', trial)
    .route('/organisations', organisations)
    .route('/organisations', organisationHistoryRoutes)
    .route('/me', me)
    .route('/events', ratings)
    .route('/events', proposals)
    .route('/events', partnerships)
    .route('/checkins', checkins)
    .route('/me', meMeetings)
    .route('/me', meCheckins)
    .route('/me', meAgenda)
    .route('/lab', lab)
    .route('/history', history)
    .route('/network', network)
    .route('/events', messages)
    .route('/me', mePrivacy)
    .route('/events', eventPrivacy)
    .route('/network', networkPrivacy)

  const app = new Hono<AppEnv>()
    .use(...edge({ db: deps.db, log: options.log, clock: deps.clock, publicUrl: deps.publicUrl }))
    .route('/api', api)
  app.route('/', createWeb({ db: deps.db, clock: deps.clock, api: app }))
  app.onError(onError)
  app.notFound(onNotFound)
  return app
}

export type AppType = ReturnType<typeof createApp>
