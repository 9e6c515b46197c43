/**
 * The solver's public contract: the instance it reads and the result it returns.
 * Pure data; the zod schemas double as the documentation of the JSON format.
 */
import { z } from 'zod'

/**
 * What a real evening can be; anything beyond is refused by the schema with a message naming the
 * field (French, then English), and by solve() itself with status 'infeasible' (see solve.ts).
 */
export const LIMITS = {
  rounds: 100,
  /** participants per side */
  participants: 5_000,
  tables: 5_000,
  /** a pair's score, and each scoring weight */
  score: 1_000_000,
  weight: 10_000,
  maxDistanceKm: 40_000,
  effort: 10_000_000,
  /** forbidden, required and fixed lists */
  pairs: 1_000_000,
} as const

/** A finite number in [min, max]; every refusal says which field and why, French then English. */
const bounded = (field: string, min: number, max: number, integer = false) => {
  const base = z.number({ error: `${field} : nombre fini attendu / ${field}: a finite number is expected` })
  return (integer ? base.int({ error: `${field} : entier attendu / ${field}: an integer is expected` }) : base)
    .min(min, { error: `${field} : au moins ${min} / ${field}: at least ${min}` })
    .max(max, { error: `${field} : au plus ${max} / ${field}: at most ${max}` })
}

export const WishLevel = z.enum(['must', 'like', 'avoid'])
export type WishLevel = z.infer<typeof WishLevel>

/** What scoring reads about an organisation. Codes come from data/vocabularies. */
export const Profile = z.object({
  name: z.string().optional(),
  themes: z.array(z.string()).optional(),
  territories: z.array(z.string()).optional(),
  offers: z.array(z.string()).optional(),
  needs: z.array(z.string()).optional(),
  sector: z.string().optional(),
  size: z.string().optional(),
  latitude: bounded('latitude', -90, 90).optional(),
  longitude: bounded('longitude', -180, 180).optional(),
  /** This participant's wishes about participants of the other side, by their id. */
  wishes: z.record(z.string(), WishLevel).optional(),
})
export type Profile = z.infer<typeof Profile>

export const Participant = z.object({
  id: z.string().min(1),
  /** First round present, inclusive (default 1). */
  arrive: bounded('arrive', 1, LIMITS.rounds, true).optional(),
  /** Last round present, inclusive (default: the last round). */
  leave: bounded('leave', 1, LIMITS.rounds, true).optional(),
  minMeetings: bounded('minMeetings', 0, LIMITS.rounds, true).optional(),
  maxMeetings: bounded('maxMeetings', 0, LIMITS.rounds, true).optional(),
  profile: Profile.optional(),
})
export type Participant = z.infer<typeof Participant>

export const Pair = z.tuple([z.string(), z.string()])
export type Pair = z.infer<typeof Pair>

export const FixedMeeting = z.object({
  round: bounded('round', 1, LIMITS.rounds, true),
  association: z.string(),
  company: z.string(),
  table: bounded('table', 1, LIMITS.tables, true).optional(),
})
export type FixedMeeting = z.infer<typeof FixedMeeting>

export const Weights = z.object({
  /** one offer of one side that meets a need of the other */
  offerMeetsNeed: bounded('offerMeetsNeed', 0, LIMITS.weight).optional(),
  sharedTheme: bounded('sharedTheme', 0, LIMITS.weight).optional(),
  sharedTerritory: bounded('sharedTerritory', 0, LIMITS.weight).optional(),
  /** full weight at 0 km, none beyond maxDistanceKm */
  proximity: bounded('proximity', 0, LIMITS.weight).optional(),
  maxDistanceKm: bounded('maxDistanceKm', 0, LIMITS.maxDistanceKm)
    .positive({ error: 'maxDistanceKm : strictement positif / maxDistanceKm: must be positive' })
    .optional(),
  sizeFit: bounded('sizeFit', 0, LIMITS.weight).optional(),
  wishMust: bounded('wishMust', 0, LIMITS.weight).optional(),
  wishLike: bounded('wishLike', 0, LIMITS.weight).optional(),
  /** extra when both sides wish to meet each other */
  mutualBonus: bounded('mutualBonus', 0, LIMITS.weight).optional(),
})
export type Weights = z.infer<typeof Weights>

export const SolveOptions = z.object({
  weights: Weights.optional(),
  /** seed for every tie-break and local search; same seed, same output */
  seed: z.number().int().optional(),
  /** effort budget of the round-assignment search (iterations, not wall time, to stay deterministic) */
  effort: bounded('effort', 0, LIMITS.effort, true).optional(),
  /** language of the reasons */
  locale: z.enum(['fr', 'en']).optional(),
  /** human labels of vocabulary codes, for reasons in words */
  labels: z.record(z.string(), z.string()).optional(),
})
export type SolveOptions = z.infer<typeof SolveOptions>

export const Instance = z.object({
  rounds: bounded('rounds', 1, LIMITS.rounds, true),
  tables: bounded('tables', 1, LIMITS.tables, true).optional(),
  /** which side stays seated at its table (default: company) */
  seated: z.enum(['association', 'company']).optional(),
  associations: z
    .array(Participant)
    .max(LIMITS.participants, { error: `associations : au plus ${LIMITS.participants} / associations: at most ${LIMITS.participants}` }),
  companies: z
    .array(Participant)
    .max(LIMITS.participants, { error: `companies : au plus ${LIMITS.participants} / companies: at most ${LIMITS.participants}` }),
  /** scores[associationId][companyId] in [0, 1e6]; a pair not listed scores 0; absent: computed from profiles */
  scores: z.record(z.string(), z.record(z.string(), bounded('score', 0, LIMITS.score))).optional(),
  forbidden: z.array(Pair).max(LIMITS.pairs, { error: `forbidden : au plus ${LIMITS.pairs} paires / forbidden: at most ${LIMITS.pairs} pairs` }).optional(),
  required: z.array(Pair).max(LIMITS.pairs, { error: `required : au plus ${LIMITS.pairs} paires / required: at most ${LIMITS.pairs} pairs` }).optional(),
  fixed: z.array(FixedMeeting).max(LIMITS.pairs, { error: `fixed : au plus ${LIMITS.pairs} rencontres / fixed: at most ${LIMITS.pairs} meetings` }).optional(),
  options: SolveOptions.optional(),
})
export type Instance = z.infer<typeof Instance>

export type SolveStatus = 'optimal' | 'feasible' | 'infeasible'

export interface Meeting {
  round: number
  table: number
  association: string
  company: string
  score: number
  reasons?: string[]
}

export interface SolveStats {
  /** the level L of objective 1 */
  fairnessLevel: number
  meetings: number
  /** idle rounds between a participant's first and last meeting, summed */
  idleRounds: number
  /** participants who got fewer meetings than the fairness level or than their minimum, to be told */
  shortfalls: { id: string; side: 'association' | 'company'; meetings: number; target: number }[]
  solveMs: number
  method: string
  [key: string]: unknown
}

/** Where a solve is: its phase, and the share of the whole solve done (0..1, growing). */
export type SolvePhase = 'model' | 'selection' | 'rounds' | 'reoptimisation' | 'exact' | 'idle' | 'tables' | 'done'

export interface SolveProgress {
  phase: SolvePhase
  fraction: number
}

/** What a caller may ask of a solve besides the instance (none of it changes the result). */
export interface SolveHooks {
  /** called as the solve goes on (a few hundred times at most), on the solving thread */
  onProgress?: (progress: SolveProgress) => void
}

export interface SolveResult {
  status: SolveStatus
  /** sum of the scores of the meetings */
  objective: number
  /** proven upper bound on the objective */
  bound: number
  meetings: Meeting[]
  stats: SolveStats
  /** why, when infeasible (or anything worth saying) */
  reason?: string
}

/** Re-planning on the night: rounds < fromRound are played and kept as they were. */
export interface ReplanSituation {
  /** first round still to plan */
  fromRound: number
  /** meetings that took place in rounds before fromRound */
  played: FixedMeeting[]
  /** ids of participants who are not (or no longer) there */
  absent?: string[]
  /** participants who came without being expected */
  walkIns?: { associations?: Participant[]; companies?: Participant[] }
}

export interface FollowUpRating {
  association: string
  company: string
  /** who rated */
  side: 'association' | 'company'
  /** 1 to 5 */
  interest: number
  followUp: boolean
}

export interface FollowUpInput {
  /** pairs that met */
  meetings: { association: string; company: string; score?: number; reasons?: string[] }[]
  ratings: FollowUpRating[]
  /** how many follow-ups an organisation can take on (default 3) */
  capacity?: { default?: number; byId?: Record<string, number> }
  /** compatibility scores of all pairs, for missed connections */
  scores?: Record<string, Record<string, number>>
  /** how many missed connections to list (default 10) */
  missedLimit?: number
  /** reasons in words of the scores, same keys as `scores`, shown with missed connections */
  reasons?: Record<string, Record<string, string[]>>
  /** pairs never listed as missed connections (forbidden pairs, wishes 'avoid') */
  forbidden?: Pair[]
  locale?: 'fr' | 'en'
}

export interface FollowUpProposal {
  rank: number
  association: string
  company: string
  /** the two interests added, 2 to 10 */
  mutualInterest: number
  /** who calls whom: the side that rated lower calls, or the association on a tie */
  caller: 'association' | 'company'
  reasons: string[]
}

export interface FollowUpResult {
  proposals: FollowUpProposal[]
  missed: { association: string; company: string; score: number; reasons: string[] }[]
}

export interface Violation {
  /** e.g. 'double-booking', 'repeated-pair', 'outside-presence', 'table', 'forbidden', 'required', 'fixed', 'max-meetings', 'unknown-id' */
  rule: string
  message: string
}
