/**
 * Conversion metrics for labs: pure statistics on pair-level records, no I/O.
 *
 * - Proportions carry a Wilson score 95 % interval.
 * - The ROC AUC (does a higher matching score predict a partnership?) carries a
 *   95 % interval from the Hanley–McNeil (1982) standard error.
 * - The funnel is nested: each pair stage counts the pairs of the previous stage
 *   that also reached this one, so every rate is a binomial proportion.
 */

/** z for a two-sided 95 % interval */
export const Z95 = 1.959963984540054

export interface Interval {
  low: number
  high: number
}

export interface Proportion {
  count: number
  of: number
  /** count / of, null when of = 0 */
  rate: number | null
  /** Wilson 95 % interval, null when of = 0 */
  ci: Interval | null
}

/** Wilson score interval for k successes out of n (z = 1.96 by default). */
export function wilson(k: number, n: number, z = Z95): Interval | null {
  if (n <= 0) return null
  if (k < 0 || k > n) throw new RangeError(`wilson: k=${k} outside 0..${n}`)
  const p = k / n
  const z2 = z * z
  const denominator = 1 + z2 / n
  const centre = (p + z2 / (2 * n)) / denominator
  const half = (z / denominator) * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n))
  // exact at the ends (k = 0 or k = n), where rounding would leave 1e-16 off
  return { low: k === 0 ? 0 : Math.max(0, centre - half), high: k === n ? 1 : Math.min(1, centre + half) }
}

export function proportion(count: number, of: number): Proportion {
  return { count, of, rate: of > 0 ? count / of : null, ci: wilson(count, of) }
}

export interface Auc {
  auc: number
  /** Hanley–McNeil standard error */
  se: number
  ci: Interval
  positives: number
  negatives: number
  method: 'hanley-mcneil'
}

/**
 * ROC AUC of `score` for predicting `positive`: the probability that a random
 * positive scores higher than a random negative, ties counting one half
 * (Mann–Whitney). Null without at least one positive and one negative.
 */
export function rocAuc(items: readonly { score: number; positive: boolean }[], z = Z95): Auc | null {
  const pos = items.filter((i) => i.positive).map((i) => i.score)
  const neg = items.filter((i) => !i.positive).map((i) => i.score)
  const n1 = pos.length
  const n0 = neg.length
  if (n1 === 0 || n0 === 0) return null
  // Rank-sum form: O((n1 + n0) log(n1 + n0)) with average ranks for ties.
  const all = [...pos.map((s) => ({ s, p: true })), ...neg.map((s) => ({ s, p: false }))].sort((a, b) => a.s - b.s)
  let rankSumPos = 0
  for (let i = 0; i < all.length; ) {
    let j = i
    while (j + 1 < all.length && all[j + 1]!.s === all[i]!.s) j++
    const averageRank = (i + j) / 2 + 1
    for (let k = i; k <= j; k++) if (all[k]!.p) rankSumPos += averageRank
    i = j + 1
  }
  const auc = (rankSumPos - (n1 * (n1 + 1)) / 2) / (n1 * n0)
  const q1 = auc / (2 - auc)
  const q2 = (2 * auc * auc) / (1 + auc)
  const variance = (auc * (1 - auc) + (n1 - 1) * (q1 - auc * auc) + (n0 - 1) * (q2 - auc * auc)) / (n1 * n0)
  const se = Math.sqrt(Math.max(0, variance))
  return {
    auc,
    se,
    ci: { low: Math.max(0, auc - z * se), high: Math.min(1, auc + z * se) },
    positives: n1,
    negatives: n0,
    method: 'hanley-mcneil',
  }
}

/** What the metrics read about one association–company pair of one event. */
export interface PairRecord {
  eventId: string
  associationId: string
  companyId: string
  /** in the published schedule */
  scheduled: boolean
  /** scheduled, nobody said it did not take place, and neither side marked absent */
  held: boolean
  round: number | null
  score: number | null
  /** at least one side rated it as held */
  rated: boolean
  /** both sides want a follow-up */
  mutual: boolean
  /** a proposal that was not dropped */
  proposed: boolean
  /** highest pipeline stage the pair's partnership ever reached (history), null = no partnership */
  reached: PipelineStage | null
  /** false: the outcome is unknown (history `unknown`): left out of conversion figures; absent = known */
  outcomeKnown?: boolean
  /** themes both organisations share */
  sharedThemes: string[]
  associationSize: string | null
  companySize: string | null
  companySector: string | null
}

export const PIPELINE = ['proposed', 'contacted', 'in_discussion', 'agreement', 'carried_out', 'renewed'] as const
export type PipelineStage = (typeof PIPELINE)[number]

export function stageIndex(stage: PipelineStage | null): number {
  return stage === null ? -1 : PIPELINE.indexOf(stage)
}

export function reachedAtLeast(record: Pick<PairRecord, 'reached'>, stage: PipelineStage): boolean {
  return stageIndex(record.reached) >= stageIndex(stage)
}

/** Held, with a known outcome: the pairs conversion rates are taken over. */
export function conversionBase(record: PairRecord): boolean {
  return record.held && record.outcomeKnown !== false
}

/** A held pair converted when its partnership reached 'agreement' (or later) at some point. */
export function converted(record: PairRecord): boolean {
  return record.held && reachedAtLeast(record, 'agreement')
}

export type FunnelStageName =
  | 'registered'
  | 'present'
  | 'meetings_held'
  | 'rated'
  | 'mutual_interest'
  | 'proposed'
  | 'contacted'
  | 'agreement'
  | 'carried_out'

export interface FunnelStage {
  stage: FunnelStageName
  unit: 'participants' | 'pairs'
  count: number
  /** from the previous stage; null for the first stage and where the unit changes (present -> meetings held) */
  fromPrevious: Proportion | null
  /** pair stages only: share of meetings held */
  fromHeld: Proportion | null
}

export interface ParticipantCounts {
  registered: number
  present: number
}

const PAIR_STAGES: { stage: FunnelStageName; passes: (r: PairRecord) => boolean }[] = [
  { stage: 'meetings_held', passes: (r) => r.held },
  { stage: 'rated', passes: (r) => r.rated },
  { stage: 'mutual_interest', passes: (r) => r.mutual },
  { stage: 'proposed', passes: (r) => r.proposed },
  { stage: 'contacted', passes: (r) => reachedAtLeast(r, 'contacted') },
  { stage: 'agreement', passes: (r) => reachedAtLeast(r, 'agreement') },
  { stage: 'carried_out', passes: (r) => reachedAtLeast(r, 'carried_out') },
]

/**
 * The funnel. Participant stages count registrations; pair stages count
 * association–company pairs, each pair stage keeping only the pairs of the
 * previous stage (a partnership created without a proposal is not in the
 * 'contacted' stage: it shows in the conversion tables instead).
 */
export function funnel(participants: ParticipantCounts, pairs: readonly PairRecord[]): FunnelStage[] {
  const stages: FunnelStage[] = [
    { stage: 'registered', unit: 'participants', count: participants.registered, fromPrevious: null, fromHeld: null },
    {
      stage: 'present',
      unit: 'participants',
      count: participants.present,
      fromPrevious: proportion(participants.present, participants.registered),
      fromHeld: null,
    },
  ]
  let remaining = pairs.slice()
  let previous = 0
  let held = 0
  for (const [i, { stage, passes }] of PAIR_STAGES.entries()) {
    remaining = remaining.filter(passes)
    const count = remaining.length
    if (i === 0) held = count
    stages.push({
      stage,
      unit: 'pairs',
      count,
      fromPrevious: i === 0 ? null : proportion(count, previous),
      fromHeld: i === 0 ? null : proportion(count, held),
    })
    previous = count
  }
  return stages
}

export interface GroupConversion {
  key: string
  pairs: number
  converted: number
  conversion: Proportion
}

/** Conversion (agreement reached) of held pairs, grouped; a pair may fall in several groups (themes). */
export function conversionBy(pairs: readonly PairRecord[], keys: (r: PairRecord) => string[]): GroupConversion[] {
  const groups = new Map<string, { pairs: number; converted: number }>()
  for (const r of pairs) {
    if (!conversionBase(r)) continue
    for (const key of keys(r)) {
      const g = groups.get(key) ?? { pairs: 0, converted: 0 }
      g.pairs++
      if (converted(r)) g.converted++
      groups.set(key, g)
    }
  }
  return [...groups.entries()]
    .map(([key, g]) => ({ key, pairs: g.pairs, converted: g.converted, conversion: proportion(g.converted, g.pairs) }))
    .sort((a, b) => compareKeys(a.key, b.key))
}

function compareKeys(a: string, b: string): number {
  const na = Number(a)
  const nb = Number(b)
  if (Number.isFinite(na) && Number.isFinite(nb)) return na - nb
  return a < b ? -1 : a > b ? 1 : 0
}

/**
 * Score decile (1 = lowest scores, 10 = highest) of each held pair with a score:
 * pairs sorted by score, decile = floor(10 * rank / n) + 1 with rank the 0-based
 * position of the first pair of equal score, so equal scores share a decile.
 */
export function scoreDeciles(pairs: readonly PairRecord[]): Map<PairRecord, number> {
  const scored = pairs.filter((r) => r.held && r.score !== null).sort((a, b) => a.score! - b.score!)
  const n = scored.length
  const deciles = new Map<PairRecord, number>()
  let firstRank = 0
  for (let i = 0; i < n; i++) {
    if (i > 0 && scored[i]!.score !== scored[i - 1]!.score) firstRank = i
    deciles.set(scored[i]!, Math.floor((10 * firstRank) / n) + 1)
  }
  return deciles
}

export interface ConversionReport {
  pairsHeld: number
  /** held pairs whose outcome is unknown (left out of every conversion figure) */
  outcomeUnknown: number
  converted: Proportion
  byTheme: GroupConversion[]
  byPairSize: GroupConversion[]
  byCompanySector: GroupConversion[]
  byScoreDecile: GroupConversion[]
  scoreAuc: Auc | null
  byRound: GroupConversion[]
  byEvent: GroupConversion[]
}

export function conversionReport(pairs: readonly PairRecord[]): ConversionReport {
  const all = pairs.filter((r) => r.held)
  const held = all.filter(conversionBase)
  const deciles = scoreDeciles(held)
  return {
    pairsHeld: all.length,
    outcomeUnknown: all.length - held.length,
    converted: proportion(held.filter(converted).length, held.length),
    byTheme: conversionBy(held, (r) => (r.sharedThemes.length > 0 ? r.sharedThemes : ['(none)'])),
    byPairSize: conversionBy(held, (r) => [`${r.associationSize ?? '?'}x${r.companySize ?? '?'}`]),
    byCompanySector: conversionBy(held, (r) => [r.companySector ?? '?']),
    byScoreDecile: conversionBy(held, (r) => {
      const d = deciles.get(r)
      return d === undefined ? [] : [String(d)]
    }),
    scoreAuc: rocAuc(held.filter((r) => r.score !== null).map((r) => ({ score: r.score!, positive: converted(r) }))),
    byRound: conversionBy(held, (r) => (r.round === null ? [] : [String(r.round)])),
    byEvent: conversionBy(held, (r) => [r.eventId]),
  }
}

export interface Durations {
  /** pairs with a value */
  n: number
  median: number | null
  /** 25th and 75th percentiles (linear interpolation) */
  q1: number | null
  q3: number | null
}

/** Median and quartiles of durations (e.g. days to agreement), nulls left out. */
export function durations(values: readonly (number | null)[]): Durations {
  const xs = values.filter((v): v is number => v !== null).sort((a, b) => a - b)
  const q = (p: number): number | null => {
    if (xs.length === 0) return null
    const pos = (xs.length - 1) * p
    const lo = Math.floor(pos)
    const hi = Math.ceil(pos)
    return xs[lo]! + (xs[hi]! - xs[lo]!) * (pos - lo)
  }
  return { n: xs.length, median: q(0.5), q1: q(0.25), q3: q(0.75) }
}
