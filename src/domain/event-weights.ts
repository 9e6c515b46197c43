/**
 * Scoring weights adopted for an event: learned from the network's outcomes
 * (GET /api/lab/weights, penalised logistic regression on the engine's parts)
 * or given by hand; no adoption = the default weights (solver/scoring.ts).
 * The solve of the event reads them; every schedule version keeps the weights
 * it was solved with and their version.
 */
import type { Kysely } from 'kysely'
import { z } from 'zod'
import { DEFAULT_WEIGHTS, type ResolvedWeights } from '../../solver/scoring.ts'
import { Weights } from '../../solver/types.ts'
import { lockEvent } from '../db/repositories/events.repository.ts'
import { deleteEventWeights, findEventWeights, saveEventWeights } from '../db/repositories/trials.repository.ts'
import type { Database, Event } from '../db/schema.ts'
import { zodWords } from './zod-messages.ts'
import { AppError } from '../errors.ts'
import { digest } from './instance.ts'
import { learnWeights } from './lab-predictors.ts'
import { loadEventData } from './pair-records.ts'

export type WeightsSource = 'default' | 'learned' | 'manual'

export const WeightsAdoption = z
  .object({
    source: z.enum(['learned', 'manual', 'default'], { error: "« learned », « manual » ou « default » / 'learned', 'manual' or 'default'" }),
    weights: Weights.strict().optional(),
  })
  .strict()
  .superRefine((body, ctx) => {
    if (body.source === 'manual' && !body.weights) ctx.addIssue({ code: 'custom', path: ['weights'], message: zodWords({ fr: 'poids requis avec « manual »', en: 'weights are required with "manual"' }) })
    if (body.source === 'default' && body.weights) {
      ctx.addIssue({ code: 'custom', path: ['weights'], message: zodWords({ fr: 'les poids par défaut ne se donnent pas : omettez « weights »', en: 'default weights are not given: leave "weights" out' }) })
    }
  })
export type WeightsAdoption = z.infer<typeof WeightsAdoption>

export interface EventWeights {
  source: WeightsSource
  /** every weight, none missing */
  weights: ResolvedWeights
  /** 'default', or `<source>-<10 hex of the SHA-256 of the weights>` */
  version: string
  adoptedAt: string | null
  adoptedBy: string | null
}

/** Every weight: the defaults with `given` over them. */
export function resolveWeights(given: Weights | undefined): ResolvedWeights {
  const out: ResolvedWeights = { ...DEFAULT_WEIGHTS }
  for (const key of Object.keys(DEFAULT_WEIGHTS) as (keyof ResolvedWeights)[]) {
    const v = given?.[key]
    if (v !== undefined) out[key] = v
  }
  return out
}

export function weightsVersion(source: WeightsSource, weights: ResolvedWeights): string {
  return source === 'default' ? 'default' : `${source}-${digest(weights).slice(0, 10)}`
}

export const defaultEventWeights = (): EventWeights => ({ source: 'default', weights: { ...DEFAULT_WEIGHTS }, version: 'default', adoptedAt: null, adoptedBy: null })

export async function eventWeights(db: Kysely<Database>, eventId: string): Promise<EventWeights> {
  const row = await findEventWeights(db, eventId)
  if (!row) return defaultEventWeights()
  let parsed: Weights = {}
  try {
    const r = Weights.safeParse(JSON.parse(row.weights))
    if (r.success) parsed = r.data
  } catch {
    parsed = {}
  }
  return { source: row.source, weights: resolveWeights(parsed), version: row.version, adoptedAt: row.created_at, adoptedBy: row.created_by }
}

/**
 * The weights learned from the network's other events (conversion, ridge 1),
 * or null when the fit gives none (no outcome of both kinds, or every part
 * predicts against conversion).
 */
export async function learnedForEvent(db: Kysely<Database>, event: Pick<Event, 'id' | 'network_id'>): Promise<{ weights: Weights | null; events: number; n: number }> {
  const ids = (await db.selectFrom('events').select('id').where('network_id', '=', event.network_id).where('id', '!=', event.id).execute()).map((e) => e.id)
  const pairs = (await loadEventData(db, ids)).flatMap((e) => e.pairs)
  const fit = learnWeights(pairs, 'conversion', { validate: false })
  return { weights: fit.weights as Weights | null, events: fit.events, n: fit.n }
}

/** Adopts weights for the event (or goes back to the defaults); refused once the event is closed. */
export async function adoptWeights(
  db: Kysely<Database>,
  event: Event,
  body: WeightsAdoption,
  by: { createdBy: string; now: string },
): Promise<EventWeights> {
  let given = body.weights
  if (body.source === 'learned' && !given) {
    const learned = await learnedForEvent(db, event)
    if (!learned.weights) {
      throw new AppError(
        'conflict',
        { fr: `Pas de poids appris : les ${learned.n} rencontres suivies des ${learned.events} autres événements du réseau ne suffisent pas (il faut des partenariats conclus et d’autres non)`, en: `No learned weights: the network's other events do not have enough outcomes` },
      )
    }
    given = learned.weights
  }
  const result = await db.transaction().execute(async (trx) => {
    if (!(await lockEvent(trx, event.id, ['draft', 'open', 'scheduled', 'live']))) {
      throw new AppError('event_closed', { fr: 'Événement clos : ses poids ne changent plus', en: 'The event is closed' })
    }
    if (body.source === 'default') {
      await deleteEventWeights(trx, event.id)
      return defaultEventWeights()
    }
    const weights = resolveWeights(given)
    const version = weightsVersion(body.source, weights)
    await saveEventWeights(trx, { event_id: event.id, weights: JSON.stringify(weights), source: body.source, version, created_at: by.now, created_by: by.createdBy })
    return { source: body.source, weights, version, adoptedAt: by.now, adoptedBy: by.createdBy }
  })
  return result
}
