/**
 * Seeded generator of small random solver instances, for property tests and
 * the exact reference. Same seed and options, same instance.
 */
import { mulberry32 } from '../../solver/rounds/rng.ts'
import type { FixedMeeting, Instance, Pair, Participant, Profile } from '../../solver/types.ts'

/** mulberry32 (solver/rounds/rng.ts): floats in [0, 1), the same sequence for the same seed. */
export const rng = mulberry32

export const int = (random: () => number, lo: number, hi: number): number => lo + Math.floor(random() * (hi - lo + 1))

const pick = <T>(random: () => number, items: readonly T[]): T => items[Math.floor(random() * items.length)] as T

export function shuffle<T>(random: () => number, items: readonly T[]): T[] {
  const out = [...items]
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1))
    ;[out[i], out[j]] = [out[j] as T, out[i] as T]
  }
  return out
}

export interface RandomOptions {
  associations?: [number, number]
  companies?: [number, number]
  rounds?: [number, number]
  /** probability that the instance limits tables (to fewer than the smaller side) */
  tables?: number
  /** tables always limited, to this share of the smaller side (drawn in the range, at least 1, fewer than that side) */
  tableShare?: [number, number]
  /** probability that a participant arrives late or leaves early */
  windows?: number
  /** probability that a pair is forbidden */
  forbidden?: number
  /** how many required pairs at most */
  required?: number
  /** probability that a participant has a maxMeetings */
  maxMeetings?: number
  /** probability that a participant has a minMeetings */
  minMeetings?: number
  /** how many fixed meetings at most (valid ones: inside presence, no double booking, tables respected) */
  fixed?: number
  /** 'given': instance.scores with integer-ish values; 'profiles': computed from random profiles */
  scores?: 'given' | 'profiles'
}

const THEMES = ['handicap', 'emploi-jeunes', 'precarite', 'vieillissement', 'sante']
const RESOURCES = ['competences-numerique', 'locaux', 'visibilite', 'missions-benevolat', 'dons-materiel', 'stages-emplois']
const SIZES = ['micro', 'petite', 'moyenne', 'grande']

function randomProfile(random: () => number, others: string[]): Profile {
  const some = (items: readonly string[], p: number) => items.filter(() => random() < p)
  const wishes: Record<string, 'must' | 'like' | 'avoid'> = {}
  for (const id of others) {
    const x = random()
    if (x < 0.08) wishes[id] = 'like'
    else if (x < 0.12) wishes[id] = 'must'
    else if (x < 0.14) wishes[id] = 'avoid'
  }
  return {
    themes: some(THEMES, 0.3),
    territories: some(['qpv', 'rural'], 0.4),
    offers: some(RESOURCES, 0.25),
    needs: some(RESOURCES, 0.25),
    size: pick(random, SIZES),
    latitude: 48.5 + random() * 0.4,
    longitude: 7.5 + random() * 0.4,
    wishes,
  }
}

/** A small random instance; every option has a default suited to an exact MIP in well under a second. */
export function randomInstance(seed: number, options: RandomOptions = {}): Instance {
  const random = rng(seed)
  const nA = int(random, ...(options.associations ?? [3, 6]))
  const nC = int(random, ...(options.companies ?? [3, 6]))
  const rounds = int(random, ...(options.rounds ?? [3, 5]))
  const aIds = Array.from({ length: nA }, (_, i) => `a${i + 1}`)
  const cIds = Array.from({ length: nC }, (_, i) => `c${i + 1}`)
  const participant = (id: string, others: string[]): Participant => {
    const p: Participant = { id }
    if (random() < (options.windows ?? 0)) {
      const arrive = int(random, 1, rounds)
      const leave = int(random, arrive, rounds)
      if (arrive > 1) p.arrive = arrive
      if (leave < rounds) p.leave = leave
    }
    if (random() < (options.maxMeetings ?? 0)) p.maxMeetings = int(random, 1, rounds)
    if (options.minMeetings && random() < options.minMeetings) p.minMeetings = int(random, 1, rounds)
    if (options.scores === 'profiles') p.profile = randomProfile(random, others)
    return p
  }
  const instance: Instance = {
    rounds,
    associations: aIds.map((id) => participant(id, cIds)),
    companies: cIds.map((id) => participant(id, aIds)),
  }
  if (options.tableShare) {
    const [lo, hi] = options.tableShare
    const side = Math.min(nA, nC)
    instance.tables = Math.max(1, Math.min(side - 1, Math.round(side * (lo + random() * (hi - lo)))))
  } else if (random() < (options.tables ?? 0)) instance.tables = int(random, 1, Math.max(1, Math.min(nA, nC) - 1))
  if (options.scores !== 'profiles') {
    const scores: Record<string, Record<string, number>> = {}
    for (const a of aIds) {
      const row: Record<string, number> = {}
      for (const c of cIds) if (random() < 0.85) row[c] = int(random, 0, 20) / 2
      scores[a] = row
    }
    instance.scores = scores
  }
  const forbidden: Pair[] = []
  for (const a of aIds) for (const c of cIds) if (random() < (options.forbidden ?? 0)) forbidden.push([a, c])
  if (forbidden.length > 0) instance.forbidden = forbidden
  const required: Pair[] = []
  const nRequired = int(random, 0, options.required ?? 0)
  for (let k = 0; k < nRequired; k++) {
    const pair: Pair = [pick(random, aIds), pick(random, cIds)]
    const isForbidden = forbidden.some(([a, c]) => a === pair[0] && c === pair[1])
    if (!isForbidden && !required.some(([a, c]) => a === pair[0] && c === pair[1])) required.push(pair)
  }
  if (required.length > 0) instance.required = required
  const fixed: FixedMeeting[] = []
  const nFixed = int(random, 0, options.fixed ?? 0)
  const taken = new Set<string>()
  for (let k = 0; k < nFixed; k++) {
    const a = pick(random, instance.associations)
    const c = pick(random, instance.companies)
    const lo = Math.max(a.arrive ?? 1, c.arrive ?? 1)
    const hi = Math.min(a.leave ?? rounds, c.leave ?? rounds)
    if (lo > hi) continue
    const round = int(random, lo, hi)
    const inRound = fixed.filter((f) => f.round === round)
    if (forbidden.some(([x, y]) => x === a.id && y === c.id) || fixed.some((f) => f.association === a.id && f.company === c.id)) continue
    if (taken.has(`${a.id}@${round}`) || taken.has(`${c.id}@${round}`)) continue
    if (instance.tables !== undefined && inRound.length >= instance.tables) continue
    if (a.maxMeetings !== undefined && fixed.filter((f) => f.association === a.id).length >= a.maxMeetings) continue
    if (c.maxMeetings !== undefined && fixed.filter((f) => f.company === c.id).length >= c.maxMeetings) continue
    const meeting: FixedMeeting = { round, association: a.id, company: c.id }
    if (random() < 0.5) {
      const free = Array.from({ length: instance.tables ?? inRound.length + 2 }, (_, i) => i + 1).filter((t) => !inRound.some((f) => f.table === t))
      if (free.length > 0) meeting.table = pick(random, free)
    }
    taken.add(`${a.id}@${round}`).add(`${c.id}@${round}`)
    fixed.push(meeting)
  }
  if (fixed.length > 0) instance.fixed = fixed
  return instance
}

/** The same instance with its participants and pair lists in another order (ids unchanged). */
export function shuffledInstance(instance: Instance, seed: number): Instance {
  const random = rng(seed)
  const out: Instance = { ...instance, associations: shuffle(random, instance.associations), companies: shuffle(random, instance.companies) }
  if (instance.forbidden) out.forbidden = shuffle(random, instance.forbidden)
  if (instance.required) out.required = shuffle(random, instance.required)
  if (instance.fixed) out.fixed = shuffle(random, instance.fixed)
  return out
}
