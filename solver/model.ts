/**
 * The instance turned into flat arrays the algorithms work on, with the checks that make an
 * instance impossible whatever the schedule (contradictory required/forbidden pairs, fixed
 * meetings outside presence, too few rounds for the required meetings, ...).
 *
 * Participants are numbered p = 0..nA-1 for associations, nA..nA+nC-1 for companies.
 */
import { forbiddenByWishes, scorePairs, type PairScores } from './scoring.ts'
import { LIMITS, type Instance } from './types.ts'

/**
 * The schema's limits, checked again here for callers that build instances without parseInstance
 * (the service does): beyond them the solver answers 'infeasible' with the reason, quickly.
 */
export function beyondLimits(instance: Instance): string | undefined {
  const within = (x: unknown, min: number, max: number): boolean => typeof x === 'number' && Number.isFinite(x) && x >= min && x <= max
  const say = (field: string, limit: string): string => `hors limites / beyond limits: ${field} (${limit})`
  if (!within(instance.rounds, 1, LIMITS.rounds) || !Number.isInteger(instance.rounds)) return say('rounds', `1..${LIMITS.rounds}`)
  if (instance.tables !== undefined && (!within(instance.tables, 1, LIMITS.tables) || !Number.isInteger(instance.tables))) {
    return say('tables', `1..${LIMITS.tables}`)
  }
  if (instance.associations.length > LIMITS.participants) return say('associations', `<= ${LIMITS.participants}`)
  if (instance.companies.length > LIMITS.participants) return say('companies', `<= ${LIMITS.participants}`)
  for (const [a, row] of Object.entries(instance.scores ?? {})) {
    for (const [c, v] of Object.entries(row)) if (!within(v, 0, LIMITS.score)) return say(`scores.${a}.${c}`, `0..${LIMITS.score}`)
  }
  for (const [k, v] of Object.entries(instance.options?.weights ?? {})) {
    if (v !== undefined && !within(v, 0, k === 'maxDistanceKm' ? LIMITS.maxDistanceKm : LIMITS.weight)) return say(`options.weights.${k}`, 'weight')
  }
  const effort = instance.options?.effort
  if (effort !== undefined && !within(effort, 0, LIMITS.effort)) return say('options.effort', `0..${LIMITS.effort}`)
  return undefined
}

export interface FixedEdge {
  round: number
  a: number
  c: number
  table?: number
}

export interface Model {
  rounds: number
  /** Infinity when the instance sets no limit */
  tables: number
  seated: 'association' | 'company'
  nA: number
  nC: number
  ids: string[]
  /** first and last round present, inclusive, clipped to 1..rounds */
  arrive: Int32Array
  leave: Int32Array
  maxMeetings: Int32Array
  minMeetings: Int32Array
  /** score of (a, c) at a * nC + c */
  score: Float64Array
  /** 1 when the pair may meet: presence overlaps (after the frozen rounds), not forbidden, not fixed already */
  allowed: Uint8Array
  /** pairs that must meet and are not fixed */
  required: [number, number][]
  fixed: FixedEdge[]
  /** rounds < frozenBefore hold only the fixed meetings (re-planning) */
  frozenBefore: number
  scorer: PairScores
  seed: number
  effort: number | undefined
}

export type ModelResult = { ok: true; model: Model } | { ok: false; reason: string }

export interface ModelOptions {
  frozenBefore?: number
}

/** Builds the model; the instance must already have passed parseInstance (ids known and unique). */
export function buildModel(instance: Instance, options: ModelOptions = {}): ModelResult {
  const beyond = beyondLimits(instance)
  if (beyond) return { ok: false, reason: beyond }
  const R = instance.rounds
  const nA = instance.associations.length
  const nC = instance.companies.length
  const participants = [...instance.associations, ...instance.companies]
  const ids = participants.map((p) => p.id)
  const aIndex = new Map(instance.associations.map((p, i) => [p.id, i]))
  const cIndex = new Map(instance.companies.map((p, i) => [p.id, i]))
  const frozenBefore = Math.max(1, options.frozenBefore ?? 1)
  const P = nA + nC
  const arrive = new Int32Array(P)
  const leave = new Int32Array(P)
  const maxMeetings = new Int32Array(P)
  const minMeetings = new Int32Array(P)
  participants.forEach((p, i) => {
    arrive[i] = Math.max(1, p.arrive ?? 1)
    leave[i] = Math.min(R, p.leave ?? R)
    maxMeetings[i] = p.maxMeetings ?? R
    minMeetings[i] = p.minMeetings ?? 0
  })
  const name = (p: number): string => ids[p] ?? String(p)
  const pairName = (a: number, c: number): string => `${name(a)} – ${name(nA + c)}`

  const scorer = scorePairs(instance)
  const score = new Float64Array(nA * nC)
  for (let a = 0; a < nA; a++) {
    const aid = ids[a]!
    for (let c = 0; c < nC; c++) {
      const s = scorer.score(aid, ids[nA + c]!)
      score[a * nC + c] = Number.isFinite(s) && s > 0 ? s : 0
    }
  }

  const forbidden = new Uint8Array(nA * nC)
  for (const [x, y] of [...(instance.forbidden ?? []), ...forbiddenByWishes(instance)]) {
    const a = aIndex.get(x)
    const c = cIndex.get(y)
    if (a !== undefined && c !== undefined) forbidden[a * nC + c] = 1
  }

  const tables = instance.tables ?? Infinity
  const fixed: FixedEdge[] = []
  const fixedPair = new Uint8Array(nA * nC)
  const busy = new Set<number>()
  const perRound = new Int32Array(R + 2)
  const tableUsed = new Set<number>()
  for (const f of instance.fixed ?? []) {
    const a = aIndex.get(f.association)
    const c = cIndex.get(f.company)
    if (a === undefined || c === undefined) return { ok: false, reason: `rencontre fixée inconnue / unknown fixed meeting ${f.association} – ${f.company}` }
    const label = `${pairName(a, c)} (tour / round ${f.round})`
    if (f.round > R) return { ok: false, reason: `rencontre fixée après le dernier tour / fixed meeting after the last round: ${label}` }
    if (forbidden[a * nC + c]) return { ok: false, reason: `rencontre fixée sur une paire interdite / fixed meeting on a forbidden pair: ${label}` }
    if (fixedPair[a * nC + c]) return { ok: false, reason: `paire fixée deux fois / pair fixed twice: ${label}` }
    for (const p of [a, nA + c]) {
      if (f.round < arrive[p]! || f.round > leave[p]!) {
        return { ok: false, reason: `rencontre fixée hors de la présence de ${name(p)} / fixed meeting outside the presence of ${name(p)}: ${label}` }
      }
      if (busy.has(p * (R + 1) + f.round)) {
        return { ok: false, reason: `${name(p)} a deux rencontres fixées au même tour / has two fixed meetings in the same round: ${label}` }
      }
      busy.add(p * (R + 1) + f.round)
    }
    if (f.table !== undefined) {
      if (f.table > tables) return { ok: false, reason: `table ${f.table} au-delà des ${tables} tables / beyond the ${tables} tables: ${label}` }
      if (tableUsed.has(f.round * 1_000_000 + f.table)) return { ok: false, reason: `deux rencontres fixées à la même table / two fixed meetings at the same table: ${label}` }
      tableUsed.add(f.round * 1_000_000 + f.table)
    }
    if (++perRound[f.round]! > tables) return { ok: false, reason: `plus de rencontres fixées que de tables au tour ${f.round} / more fixed meetings than tables in round ${f.round}` }
    fixedPair[a * nC + c] = 1
    fixed.push(f.table === undefined ? { round: f.round, a, c } : { round: f.round, a, c, table: f.table })
  }

  const required: [number, number][] = []
  const requiredSeen = new Uint8Array(nA * nC)
  for (const [x, y] of instance.required ?? []) {
    const a = aIndex.get(x)
    const c = cIndex.get(y)
    if (a === undefined || c === undefined) return { ok: false, reason: `paire obligatoire inconnue / unknown required pair ${x} – ${y}` }
    const k = a * nC + c
    if (forbidden[k]) {
      return { ok: false, reason: `la paire ${pairName(a, c)} est à la fois obligatoire et interdite (ou refusée par un vœu) / is both required and forbidden (or avoided by a wish)` }
    }
    if (fixedPair[k] || requiredSeen[k]) continue
    requiredSeen[k] = 1
    const lo = Math.max(arrive[a]!, arrive[nA + c]!, frozenBefore)
    const hi = Math.min(leave[a]!, leave[nA + c]!)
    if (lo > hi) {
      return { ok: false, reason: `la paire obligatoire ${pairName(a, c)} n'est jamais présente en même temps / required pair never present at the same time` }
    }
    required.push([a, c])
  }

  // required meetings per participant against its free rounds and its maximum
  const requiredCount = new Int32Array(P)
  const fixedCount = new Int32Array(P)
  for (const [a, c] of required) {
    requiredCount[a]!++
    requiredCount[nA + c]!++
  }
  for (const f of fixed) {
    fixedCount[f.a]!++
    fixedCount[nA + f.c]!++
  }
  for (let p = 0; p < P; p++) {
    let free = 0
    for (let r = Math.max(arrive[p]!, frozenBefore); r <= leave[p]!; r++) if (!busy.has(p * (R + 1) + r)) free++
    if (requiredCount[p]! > free) {
      return { ok: false, reason: `${name(p)} a ${requiredCount[p]} rencontres obligatoires pour ${free} tours libres / has ${requiredCount[p]} required meetings for ${free} free rounds` }
    }
    if (requiredCount[p]! + fixedCount[p]! > maxMeetings[p]!) {
      return { ok: false, reason: `${name(p)} a plus de rencontres obligatoires ou fixées que son maximum (${maxMeetings[p]}) / has more required or fixed meetings than its maximum` }
    }
  }
  let freeTableSlots = 0
  for (let r = frozenBefore; r <= R; r++) freeTableSlots += Math.max(0, tables - perRound[r]!)
  if (required.length > freeTableSlots) {
    return { ok: false, reason: `${required.length} rencontres obligatoires pour ${freeTableSlots} places aux tables / required meetings for that many table places` }
  }

  const allowed = new Uint8Array(nA * nC)
  for (let a = 0; a < nA; a++) {
    for (let c = 0; c < nC; c++) {
      const k = a * nC + c
      if (forbidden[k] || fixedPair[k]) continue
      const lo = Math.max(arrive[a]!, arrive[nA + c]!, frozenBefore)
      const hi = Math.min(leave[a]!, leave[nA + c]!)
      if (lo <= hi) allowed[k] = 1
    }
  }

  return {
    ok: true,
    model: {
      rounds: R,
      tables,
      seated: instance.seated ?? 'company',
      nA,
      nC,
      ids,
      arrive,
      leave,
      maxMeetings,
      minMeetings,
      score,
      allowed,
      required,
      fixed,
      frozenBefore,
      scorer,
      seed: instance.options?.seed ?? 1,
      effort: instance.options?.effort,
    },
  }
}
