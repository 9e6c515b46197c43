/**
 * Lab metrics, read-only: funnel and conversion per event and across events,
 * predictors, their paired comparison, a logistic model, trial arms, learned
 * weights and a power calculator (src/domain/lab-predictors.ts), the
 * pseudonymised pair-level export and its codebook. Lab tokens see every
 * event; an organiser token sees its own events only; participants are refused.
 */
import { randomBytes } from 'node:crypto'
import { Hono, type Context } from 'hono'
import { createMiddleware } from 'hono/factory'
import { z } from 'zod'
import type { AppEnv } from './env.ts'
import { codebook, codebookCsv, codebookFor, exportRows, toCsv } from '../domain/export.ts'
import { conversionReport, durations, funnel } from '../domain/metrics.ts'
import { loadEventData, type EventData } from '../domain/pair-records.ts'
import { armComparison, comparePredictors, learnWeights, logisticModel, predictorsOf, predictorTable, scoreCalibration, trialPlan } from '../domain/lab-predictors.ts'
import { actorOf, authAs } from '../auth/middleware.ts'
import { auditLabExport } from '../domain/privacy/audit.ts'
import { excludedRegistrations, keepConsentedPairs } from '../domain/privacy/consent.ts'
import { nowIso } from './env.ts'
import { getLab, grantedNetworkIds, listGrants, stablePseudonymNetworks } from '../db/repositories/tokens.repository.ts'
import { AppError, notFound } from '../errors.ts'
import { validate } from './validate.ts'
import { ARMS, balancedAllocation, drawSeed } from '../domain/trial.ts'
import { zodWords } from '../domain/zod-messages.ts'

const requireLabOrOrganiser = createMiddleware<AppEnv>(async (c, next) => {
  authAs(c, ['lab', 'admin', 'organiser'])
  await next()
})

/**
 * Events the caller may read, optionally narrowed to `wanted` (an unknown or
 * foreign id is 404): a lab, the events of the networks that granted it
 * access (withdrawn grants no longer count); an organiser, its network's.
 */
async function visibleEvents(c: Context<AppEnv>, wanted: string[]): Promise<{ id: string; title: string; date: string; network_id: string }[]> {
  const auth = authAs(c, ['lab', 'admin', 'organiser'])
  const db = c.get('db')
  const networks = auth.role === 'lab' ? await grantedNetworkIds(db, auth.labId) : auth.role === 'participant' ? [] : [auth.networkId]
  if (networks.length === 0) {
    if (wanted.length > 0) throw notFound({ fr: 'Événement', en: 'Event' })
    return []
  }
  const rows = await db
    .selectFrom('events')
    .select(['id', 'title', 'date', 'network_id'])
    .where('network_id', 'in', networks)
    .orderBy('date')
    .orderBy('id')
    .execute()
  if (wanted.length === 0) return rows
  const missing = wanted.filter((id) => !rows.some((r) => r.id === id))
  if (missing.length > 0) throw notFound({ fr: 'Événement', en: 'Event' })
  return rows.filter((r) => wanted.includes(r.id))
}

const eventIdsOf = (c: Context<AppEnv>): string[] => c.req.queries('event') ?? []

/**
 * The key pseudonyms are made with. Without a key, a fresh random salt: two
 * exports cannot be linked. A lab's own stable key only where every network
 * exported granted it stable pseudonyms; an organiser may use one for its own
 * network's events.
 */
async function exportKey(
  c: Context<AppEnv>,
  events: readonly { network_id: string }[],
  asked: string | undefined,
): Promise<{ key: string; pseudonyms: 'stable' | 'fresh' }> {
  if (!asked) return { key: randomBytes(32).toString('hex'), pseudonyms: 'fresh' }
  const auth = authAs(c, ['lab', 'admin', 'organiser'])
  if (auth.role === 'lab') {
    const db = c.get('db')
    const networks = [...new Set(events.map((e) => e.network_id))]
    const stable = await stablePseudonymNetworks(db, auth.labId, networks)
    const refused = networks.filter((n) => !stable.has(n))
    if (refused.length > 0) {
      const names = (await db.selectFrom('networks').select('name').where('id', 'in', refused).orderBy('name').execute()).map((n) => `« ${n.name} »`)
      throw new AppError(
        'forbidden',
        { fr: `Pseudonymes stables non accordés par ${names.join(', ')} : exportez sans clé (pseudonymes à usage unique)`, en: `Stable pseudonyms not granted by ${names.join(', ')}: export without a key (one-time pseudonyms)` },
      )
    }
  }
  return { key: asked, pseudonyms: 'stable' }
}

function metricsOf(data: EventData[]) {
  const pairs = data.flatMap((e) => e.pairs)
  const participants = data.reduce((t, e) => ({ registered: t.registered + e.participants.registered, present: t.present + e.participants.present }), { registered: 0, present: 0 })
  return {
    funnel: funnel(participants, pairs),
    conversion: conversionReport(pairs),
    // days from the partnership record to the first time it reached the stage (every partnership, baselines included)
    daysTo: {
      contacted: durations(pairs.map((p) => p.daysToContacted)),
      agreement: durations(pairs.map((p) => p.daysToAgreement)),
      carriedOut: durations(pairs.map((p) => p.daysToCarriedOut)),
    },
  }
}

const ExportQuery = z.object({
  format: z.enum(['csv', 'json']).default('json'),
  key: z.string().min(8, zodWords({ fr: 'clé d’export de 8 caractères au moins', en: 'export key of at least 8 characters' })).max(200).optional(),
  event: z.union([z.string(), z.array(z.string())]).optional(),
})

const CodebookQuery = z.object({ format: z.enum(['csv', 'json']).default('json') })

const CompareQuery = z.object({
  a: z.string().min(1).max(200),
  b: z.string().min(1).max(200),
  outcome: z.enum(['conversion', 'mutual']).default('conversion'),
  event: z.union([z.string(), z.array(z.string())]).optional(),
})

const LogisticQuery = z.object({
  x: z.union([z.string().min(1).max(200), z.array(z.string().min(1).max(200)).min(1).max(20)]),
  outcome: z.enum(['conversion', 'mutual']).default('conversion'),
  event: z.union([z.string(), z.array(z.string())]).optional(),
})

const PowerQuery = z.object({
  /** only this network's events (a lab granted several): the ICC of the network the trial will run in */
  network: z.string().min(1).max(100).optional(),
  target: z.coerce.number().gt(0).lt(1),
  outcome: z.enum(['conversion', 'mutual']).default('conversion'),
  alpha: z.coerce.number().gt(0).lt(1).default(0.05),
  power: z.coerce.number().gt(0).lt(1).default(0.8),
  event: z.union([z.string(), z.array(z.string())]).optional(),
})

const WeightsQuery = z.object({
  outcome: z.enum(['conversion', 'mutual']).default('conversion'),
  l2: z.coerce.number().min(0).max(1000).default(1),
  event: z.union([z.string(), z.array(z.string())]).optional(),
})

const AllocationQuery = z.object({
  arm: z.union([z.string(), z.array(z.string())]).optional(),
  events: z.coerce.number().int().min(1).max(1000),
  seed: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, { error: 'graine : 1 à 64 lettres, chiffres, - ou _ / seed: 1 to 64 letters, digits, - or _' }).optional(),
})
const AllocationArms = z.array(z.enum(ARMS)).min(1)

const unknownPredictor = (names: string[], wrong: { path: string; name: string }[]) =>
  new AppError('validation_failed', { fr: `Prédicteur inconnu (${names.join(', ')})`, en: `Unknown predictor (${names.join(', ')})` }, wrong.map(({ path }) => ({ path, message: { fr: 'prédicteur inconnu', en: 'unknown predictor' } })))

/** Over every pair read: the predictors (each with its n), the score's calibration by decile, the trial arms. */
function predictorFigures(data: EventData[]) {
  const pairs = data.flatMap((e) => e.pairs)
  return { predictors: predictorTable(pairs), calibration: { score: scoreCalibration(pairs) }, arms: armComparison(pairs) }
}

export const lab = new Hono<AppEnv>()
  .use(requireLabOrOrganiser)
  .get('/events', async (c) => {
    const events = await visibleEvents(c, [])
    return c.json({ events }, 200)
  })
  .get('/access', async (c) => {
    // a lab: who it is and which networks granted it access (an organiser reads its own network)
    const auth = authAs(c, ['lab', 'admin', 'organiser'])
    const db = c.get('db')
    if (auth.role !== 'lab') return c.json({ lab: null, grants: [] }, 200)
    const lab = await getLab(db, auth.labId)
    const grants = (await listGrants(db, { labId: auth.labId })).filter((g) => g.withdrawnAt === null)
    return c.json({ lab: lab ? { id: lab.id, name: lab.name } : null, grants }, 200)
  })
  .get('/metrics', async (c) => {
    const events = await visibleEvents(c, eventIdsOf(c))
    const data = await loadEventData(c.get('db'), events.map((e) => e.id))
    return c.json(
      {
        events: data.map((e) => ({ eventId: e.eventId, title: e.title, date: e.date, ...metricsOf([e]) })),
        overall: { events: data.length, ...metricsOf(data) },
        // over the pairs of every event read: cluster bootstrap over events and participants
        ...predictorFigures(data),
      },
      200,
    )
  })
  .get('/events/:eventId/metrics', async (c) => {
    const [event] = await visibleEvents(c, [c.req.param('eventId')])
    const data = await loadEventData(c.get('db'), [event!.id])
    return c.json({ eventId: event!.id, title: event!.title, date: event!.date, ...metricsOf(data), ...predictorFigures(data) }, 200)
  })
  .get('/compare', validate('query', CompareQuery), async (c) => {
    const { a, b, outcome } = c.req.valid('query')
    const events = await visibleEvents(c, eventIdsOf(c))
    const pairs = (await loadEventData(c.get('db'), events.map((e) => e.id))).flatMap((e) => e.pairs)
    const result = comparePredictors(pairs, a, b, outcome)
    if (!result) {
      const names = predictorsOf(pairs).map((p) => p.name)
      throw unknownPredictor(names, [{ path: 'a', name: a }, { path: 'b', name: b }].filter((w) => !names.includes(w.name)))
    }
    return c.json(result, 200)
  })
  .get('/logistic', validate('query', LogisticQuery), async (c) => {
    const { outcome } = c.req.valid('query')
    const names = c.req.queries('x') ?? []
    const events = await visibleEvents(c, eventIdsOf(c))
    const pairs = (await loadEventData(c.get('db'), events.map((e) => e.id))).flatMap((e) => e.pairs)
    const result = logisticModel(pairs, names, outcome)
    if (!result) {
      const known = predictorsOf(pairs).map((p) => p.name)
      throw unknownPredictor(known, names.filter((n) => !known.includes(n) && !n.startsWith('covariate:')).map((name) => ({ path: 'x', name })))
    }
    return c.json(result, 200)
  })
  .get('/weights', validate('query', WeightsQuery), async (c) => {
    const { outcome, l2 } = c.req.valid('query')
    const events = await visibleEvents(c, eventIdsOf(c))
    const pairs = (await loadEventData(c.get('db'), events.map((e) => e.id))).flatMap((e) => e.pairs)
    return c.json(learnWeights(pairs, outcome, { l2 }), 200)
  })
  .get('/power', validate('query', PowerQuery), async (c) => {
    const { target, outcome, alpha, power, network } = c.req.valid('query')
    let events = await visibleEvents(c, eventIdsOf(c))
    if (network !== undefined) {
      events = events.filter((e) => e.network_id === network)
      if (events.length === 0) throw notFound({ fr: 'Réseau', en: 'Network' })
    }
    const pairs = (await loadEventData(c.get('db'), events.map((e) => e.id))).flatMap((e) => e.pairs)
    return c.json(trialPlan(pairs, target, outcome, { alpha, power }), 200)
  })
  .get('/allocation', validate('query', AllocationQuery), async (c) => {
    // a balanced list of arms for a series of events assigned 'event' by event (README "Running an event as a trial")
    const { events, seed } = c.req.valid('query')
    const arms = [...new Set((c.req.queries('arm') ?? []).flatMap((a) => a.split(',')).map((a) => a.trim()).filter((a) => a !== ''))]
    const parsed = AllocationArms.safeParse(arms)
    if (!parsed.success) {
      throw new AppError('validation_failed', { fr: 'Données invalides', en: 'Invalid query' }, [{ path: 'arm', message: { fr: `au moins un bras parmi ${ARMS.join(', ')}`, en: `at least one arm among ${ARMS.join(', ')}` } }])
    }
    const used = seed ?? drawSeed()
    return c.json({ seed: used, arms: parsed.data, allocation: balancedAllocation(used, parsed.data, events) }, 200)
  })
  .get('/export', validate('query', ExportQuery), async (c) => {
    const { format, key: asked } = c.req.valid('query')
    const events = await visibleEvents(c, eventIdsOf(c))
    const ids = events.map((e) => e.id)
    const db = c.get('db')
    const { key, pseudonyms } = await exportKey(c, events, asked)
    // pairs of a participant who refused research use stay out; every export is logged for the network's admin
    const data = keepConsentedPairs(await loadEventData(db, ids), await excludedRegistrations(db, ids))
    const rows = exportRows(data, key)
    const entries = codebookFor(data)
    await auditLabExport(db, { actor: actorOf(authAs(c, ['lab', 'admin', 'organiser'])), eventIds: ids, format, rows: rows.length }, nowIso(c.get('clock')))
    c.header('x-pseudonyms', pseudonyms)
    if (format === 'csv') {
      return c.body(toCsv(rows, entries), 200, {
        'content-type': 'text/csv; charset=utf-8',
        'content-disposition': 'attachment; filename="pairs.csv"',
      })
    }
    return c.json({ pseudonyms, codebook: entries, rows }, 200)
  })
  .get('/codebook', validate('query', CodebookQuery), async (c) => {
    if (c.req.valid('query').format === 'csv') {
      return c.body(codebookCsv(), 200, { 'content-type': 'text/csv; charset=utf-8' })
    }
    return c.json({ codebook }, 200)
  })
