/**
 * An event run as a randomised comparison of matching strategies (issue 11).
 *
 * Arms:
 * - 'engine': the engine's scores (the event's weights, the network's
 *   penalties for pairs met before);
 * - 'engine-no-wishes': the same scores computed without the participants'
 *   wishes ('must' and 'like' add nothing; a wish 'avoid', exclusions, groups
 *   and the network's forbidden pairs stay forbidden, an organiser's 'must'
 *   stays required);
 * - 'random': a seeded uniform score per feasible pair;
 * - 'rotation': the classic cyclic rotation, association i (in id order)
 *   meeting company (i + r) mod n for r = 0 … rounds − 1; its pairs score
 *   100 and every other feasible pair 0, so the solver keeps the rotation's
 *   pairs wherever they are feasible and fills what they leave with others.
 * Every arm goes through the same solver, so every schedule passes its
 * validator (presence, tables, forbidden and required pairs, fairness).
 *
 * Assignment:
 * - 'event': the whole event gets one arm, arms[⌊u · k⌋] with u uniform from
 *   SHA-256(seed, event id). Balanced only on average: a lab that wants as
 *   many events in each arm draws a balanced list (balancedAllocation, or
 *   GET /api/lab/allocation) and sets each event up with its one arm.
 * - 'participant-block': associations are shuffled by SHA-256(seed, id) and
 *   dealt in turn into one block per arm (sizes differ by one at most); every
 *   pair of an association gets its block's arm. Each company then meets
 *   associations of every arm, so company effects fall evenly on the arms.
 *   Arms compete for the same companies' time: each arm's scores are turned
 *   into percentile ranks within each association's row (0–100), so no arm
 *   wins seats by the size of its numbers. An association that comes later
 *   (a walk-in at a re-plan) gets arms[⌊u · k⌋] from the seed and its id.
 *
 * Pure functions: the draw and the scores depend on the seed and the ids only.
 */
import { createHash, randomBytes } from 'node:crypto'
import { z } from 'zod'
import { scorePairs } from '../../solver/scoring.ts'
import type { Instance, Participant } from '../../solver/types.ts'

export const ARMS = ['engine', 'engine-no-wishes', 'random', 'rotation'] as const
export type Arm = (typeof ARMS)[number]
export type TrialAssignment = 'event' | 'participant-block'

export const TrialSetup = z
  .object({
    arms: z
      .array(z.enum(ARMS, { error: `bras inconnu : ${ARMS.join(', ')} / unknown arm: ${ARMS.join(', ')}` }))
      .min(1, { error: 'au moins un bras / at least one arm' })
      .refine((arms) => new Set(arms).size === arms.length, { error: 'chaque bras une seule fois / each arm once' }),
    assignment: z.enum(['event', 'participant-block'], { error: "« event » ou « participant-block » / 'event' or 'participant-block'" }),
    seed: z
      .union([
        z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, { error: 'graine : 1 à 64 lettres, chiffres, - ou _ / seed: 1 to 64 letters, digits, - or _' }),
        z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
      ])
      .optional(),
  })
  .strict()
  .refine((t) => t.assignment === 'event' || t.arms.length >= 2, {
    path: ['arms'],
    error: 'au moins deux bras pour des blocs de participants / at least two arms for participant blocks',
  })
export type TrialSetup = z.infer<typeof TrialSetup>

export interface Trial {
  assignment: TrialAssignment
  seed: string
  arms: Arm[]
}

/** What one schedule version was drawn with: the event's arm, or each association's (registration id -> arm). */
export interface TrialDraw extends Trial {
  arm: Arm | null
  blocks: Record<string, Arm> | null
}

/** A fresh seed, recorded with the trial: 12 hex digits. */
export function drawSeed(): string {
  return randomBytes(6).toString('hex')
}

/** Uniform in [0, 1) from the seed and the parts (48 bits of SHA-256). */
export function uniform(seed: string, ...parts: string[]): number {
  const h = createHash('sha256').update([seed, ...parts].join('\u0000')).digest()
  return h.readUIntBE(0, 6) / 2 ** 48
}

const pick = <T>(list: readonly T[], u: number): T => list[Math.min(list.length - 1, Math.floor(u * list.length))]!

export function isArm(value: unknown): value is Arm {
  return typeof value === 'string' && (ARMS as readonly string[]).includes(value)
}

/** The whole event's arm ('event' assignment). */
export function eventArm(trial: Trial, eventId: string): Arm {
  return pick(trial.arms, uniform(trial.seed, 'event', eventId))
}

/** Associations shuffled by the seed and dealt in turn into one block per arm ('participant-block'). */
export function drawBlocks(trial: Trial, associationIds: readonly string[]): Record<string, Arm> {
  const order = [...new Set(associationIds)]
    .map((id) => ({ id, u: uniform(trial.seed, 'block', id) }))
    .sort((x, y) => x.u - y.u || (x.id < y.id ? -1 : 1))
  const offset = Math.floor(uniform(trial.seed, 'offset') * trial.arms.length)
  return Object.fromEntries(order.map(({ id }, i) => [id, trial.arms[(i + offset) % trial.arms.length]!]))
}

/** The arm of an association the draw did not know (a walk-in at a re-plan). */
export function lateArm(trial: Trial, associationId: string): Arm {
  return pick(trial.arms, uniform(trial.seed, 'late', associationId))
}

/** The draw for a full solve of the event with these associations. */
export function drawTrial(trial: Trial, eventId: string, associationIds: readonly string[]): TrialDraw {
  if (trial.assignment === 'event') return { ...trial, arm: eventArm(trial, eventId), blocks: null }
  return { ...trial, arm: null, blocks: drawBlocks(trial, associationIds) }
}

/** The arm of a pair under a draw (by its association). */
export function armOf(draw: TrialDraw, associationId: string): Arm {
  return draw.arm ?? draw.blocks?.[associationId] ?? lateArm(draw, associationId)
}

/**
 * A balanced allocation of `events` events to the arms: permuted blocks of
 * k = arms.length, each block a seeded shuffle of the arms, so that after
 * every k events each arm has had one.
 */
export function balancedAllocation(seed: string, arms: readonly Arm[], events: number): Arm[] {
  const out: Arm[] = []
  for (let block = 0; out.length < events; block++) {
    const shuffled = arms
      .map((arm) => ({ arm, u: uniform(seed, 'allocation', String(block), arm) }))
      .sort((x, y) => x.u - y.u)
      .map((x) => x.arm)
    out.push(...shuffled.slice(0, events - out.length))
  }
  return out
}

const round2 = (x: number): number => Math.round(x * 100) / 100
const withoutWishes = (p: Participant): Participant => {
  if (!p.profile?.wishes) return p
  const { wishes: _wishes, ...profile } = p.profile
  return { ...p, profile }
}

export interface TrialScoring {
  /** scores for the solver (instance.scores): each association's row by its arm's strategy */
  scores: Record<string, Record<string, number>>
  /** the engine's score of a pair (what the meeting keeps, whatever its arm) */
  engineScore: (association: string, company: string) => number
}

/**
 * Scores of every pair of `associations` × `companies` by the arm of its
 * association. `instance` gives the rounds and the weights (its own given
 * scores are ignored); `penalties` lowers the engine arms' scores of pairs met
 * before (key `association company`); with `normalise`, each association's
 * row becomes percentile ranks 0–100 (ties share the mean rank).
 */
export function trialScoring(
  instance: Instance,
  participants: { associations: readonly Participant[]; companies: readonly Participant[] },
  armOfAssociation: (id: string) => Arm,
  options: { seed: string; penalties?: ReadonlyMap<string, number>; normalise: boolean },
): TrialScoring {
  const { scores: _given, ...rest } = instance
  const base: Instance = { ...rest, associations: [...participants.associations], companies: [...participants.companies] }
  const engine = scorePairs(base)
  let noWishes: ReturnType<typeof scorePairs> | null = null
  const penalty = (a: string, c: string) => options.penalties?.get(`${a} ${c}`) ?? 0
  const engineScore = (a: string, c: string) => Math.max(0, round2(engine.score(a, c) - penalty(a, c)))
  const associations = [...participants.associations].map((p) => p.id).sort()
  const companies = [...participants.companies].map((p) => p.id).sort()
  const index = new Map(associations.map((id, i) => [id, i]))
  const nC = companies.length
  const strategy = (arm: Arm, a: string, c: string, j: number): number => {
    switch (arm) {
      case 'engine':
        return engineScore(a, c)
      case 'engine-no-wishes':
        noWishes ??= scorePairs({ ...base, associations: base.associations.map(withoutWishes), companies: base.companies.map(withoutWishes) })
        return Math.max(0, round2(noWishes.score(a, c) - penalty(a, c)))
      case 'random':
        return round2(100 * uniform(options.seed, 'random', a, c))
      case 'rotation': {
        const i = index.get(a) ?? 0
        return (((j - i) % nC) + nC) % nC < instance.rounds ? 100 : 0
      }
    }
  }
  const scores: Record<string, Record<string, number>> = {}
  for (const a of associations) {
    const arm = armOfAssociation(a)
    const row = companies.map((c, j) => strategy(arm, a, c, j))
    const values = options.normalise ? percentileRanks(row) : row
    scores[a] = Object.fromEntries(companies.map((c, j) => [c, values[j]!]))
  }
  return { scores, engineScore }
}

/** Percentile ranks 0–100 of the values (ties share their mean rank); one value ranks 100. */
export function percentileRanks(values: readonly number[]): number[] {
  const n = values.length
  if (n <= 1) return values.map(() => 100)
  const order = values.map((v, i) => ({ v, i })).sort((x, y) => x.v - y.v)
  const ranks = new Array<number>(n)
  for (let s = 0; s < n; ) {
    let e = s
    while (e + 1 < n && order[e + 1]!.v === order[s]!.v) e++
    const mean = (s + e) / 2
    for (let t = s; t <= e; t++) ranks[order[t]!.i] = round2((100 * mean) / (n - 1))
    s = e + 1
  }
  return ranks
}
