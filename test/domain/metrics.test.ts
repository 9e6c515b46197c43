import { describe, expect, test } from 'vitest'
import { conversionReport, durations, funnel, rocAuc, scoreDeciles, wilson, type PairRecord } from '../../src/domain/metrics.ts'

// Expected values are computed by hand below with z = 1.959964 (z² = 3.841459):
//   Wilson(k, n): centre = (p + z²/2n) / (1 + z²/n), half = z/(1 + z²/n) * sqrt(p(1-p)/n + z²/4n²)
describe('wilson', () => {
  test.for([
    // 3/10: p = .3, d = 1.384146, centre = (.3 + .192073)/d = .355504, half = 1.416014 * sqrt(.021 + .009604) = .247716
    [3, 10, 0.10779, 0.60322],
    // 0/5: centre = .384146/1.768292 = .217243, half = 1.108394 * sqrt(.038415) = .217243 -> [0, .434486]
    [0, 5, 0, 0.43449],
    // 4/5: centre = 1.184146/1.768292 = .669657, half = 1.108394 * sqrt(.032 + .038415) = .294120
    [4, 5, 0.37554, 0.96378],
    // 2/3: centre = 1.306910/2.280486 = .573084, half = .859451 * sqrt(.074074 + .106707) = .365425
    [2, 3, 0.20766, 0.93851],
    // 1/2: centre = .5, half = .671053 * sqrt(.125 + .240091) = .405469
    [1, 2, 0.09453, 0.90547],
    // 3/3: centre = 1.640243/2.280486 = .719250, half = .859451 * sqrt(.106707) = .280749 -> [.438501, 1]
    [3, 3, 0.4385, 1],
  ] as const)('Wilson %i/%i = [%f, %f]', ([k, n, low, high]) => {
    const ci = wilson(k, n)!
    expect(ci.low).toBeCloseTo(low, 4)
    expect(ci.high).toBeCloseTo(high, 4)
  })

  test('no interval for an empty sample, an error for k > n', () => {
    expect(wilson(0, 0)).toBeNull()
    expect(() => wilson(4, 3)).toThrow(RangeError)
  })
})

describe('rocAuc (Hanley–McNeil interval)', () => {
  test('perfect separation gives 1, reversed gives 0', () => {
    expect(rocAuc([{ score: 2, positive: true }, { score: 1, positive: false }])!.auc).toBe(1)
    expect(rocAuc([{ score: 1, positive: true }, { score: 2, positive: false }])!.auc).toBe(0)
  })

  test('ties count one half; interval by hand', () => {
    // positives 8, 5; negatives 7, 5, 3. Pairs won: 8 beats all three (3); 5 ties 5 (0.5),
    // beats 3 (1), loses to 7 (0) -> 4.5 / (2 * 3) = 0.75.
    // Q1 = .75/1.25 = .6, Q2 = 2 * .5625/1.75 = .642857, A² = .5625
    // var = (.75 * .25 + (2-1)(.6 - .5625) + (3-1)(.642857 - .5625)) / 6 = (.1875 + .0375 + .160714)/6 = .0642857
    // se = .253546, ci = .75 ± 1.959964 * .253546 = [.253059, 1.246941 -> clamped 1]
    const auc = rocAuc([
      { score: 8, positive: true },
      { score: 5, positive: true },
      { score: 7, positive: false },
      { score: 5, positive: false },
      { score: 3, positive: false },
    ])!
    expect(auc.auc).toBeCloseTo(0.75, 10)
    expect(auc.se).toBeCloseTo(0.253546, 5)
    expect(auc.ci.low).toBeCloseTo(0.253059, 5)
    expect(auc.ci.high).toBe(1)
    expect(auc.method).toBe('hanley-mcneil')
  })

  test('no AUC without both classes', () => {
    expect(rocAuc([{ score: 1, positive: true }])).toBeNull()
    expect(rocAuc([])).toBeNull()
  })
})

function pair(over: Partial<PairRecord> & { id: string }): PairRecord {
  return {
    eventId: 'e1', associationId: `a-${over.id}`, companyId: `c-${over.id}`, scheduled: true, held: true,
    round: 1, score: 1, rated: false, mutual: false, proposed: false, reached: null, sharedThemes: [],
    associationSize: 'micro', companySize: 'grande', companySector: 'industrie', ...over,
  }
}

describe('a small hand-made event', () => {
  // 6 registered, 5 present. Pairs:
  //   r1 score 8 round 1: rated, mutual, proposed, carried out   -> converted
  //   r2 score 5 round 2: rated, mutual, proposed, agreement     -> converted
  //   r3 score 7 round 1: rated, mutual, proposed, contacted
  //   r4 score 5 round 2: rated, one-sided
  //   r5 score 3 round 3: held, nobody rated
  //   r6 score 9 round 3: scheduled, not held (someone absent)   -> outside every pair stage
  const pairs = [
    pair({ id: 'r1', score: 8, round: 1, rated: true, mutual: true, proposed: true, reached: 'carried_out', sharedThemes: ['handicap'] }),
    pair({ id: 'r2', score: 5, round: 2, rated: true, mutual: true, proposed: true, reached: 'agreement', sharedThemes: ['handicap', 'sante'], companySize: 'micro' }),
    pair({ id: 'r3', score: 7, round: 1, rated: true, mutual: true, proposed: true, reached: 'contacted', sharedThemes: ['sante'] }),
    pair({ id: 'r4', score: 5, round: 2, rated: true }),
    pair({ id: 'r5', score: 3, round: 3 }),
    pair({ id: 'r6', score: 9, round: 3, held: false }),
  ]

  test('funnel counts, rates and Wilson intervals', () => {
    const f = funnel({ registered: 6, present: 5 }, pairs)
    expect(f.map((s) => [s.stage, s.count])).toEqual([
      ['registered', 6], ['present', 5], ['meetings_held', 5], ['rated', 4], ['mutual_interest', 3],
      ['proposed', 3], ['contacted', 3], ['agreement', 2], ['carried_out', 1],
    ])
    const by = Object.fromEntries(f.map((s) => [s.stage, s]))
    // present 5/6: Wilson [.436498, .969946]
    expect(by.present!.fromPrevious!.rate).toBeCloseTo(5 / 6, 10)
    expect(by.present!.fromPrevious!.ci!.low).toBeCloseTo(0.436498, 5)
    expect(by.present!.fromPrevious!.ci!.high).toBeCloseTo(0.969946, 5)
    // units change: no rate from present to meetings held
    expect(by.meetings_held!.fromPrevious).toBeNull()
    // rated 4/5: [.375537, .963777]
    expect(by.rated!.fromPrevious!.ci!.low).toBeCloseTo(0.375537, 5)
    // mutual 3/4: p = .75, d = 1.960365, centre = 1.230182/d = .627527, half = .999795 * sqrt(.046875 + .060023) = .326886
    expect(by.mutual_interest!.fromPrevious!.ci!.low).toBeCloseTo(0.300641, 5)
    expect(by.mutual_interest!.fromPrevious!.ci!.high).toBeCloseTo(0.954413, 5)
    // agreement 2/3 of contacted: [.207659, .938509]; 2/5 of held
    expect(by.agreement!.fromPrevious!.ci!.low).toBeCloseTo(0.207659, 5)
    expect(by.agreement!.fromHeld!.rate).toBeCloseTo(0.4, 10)
    // carried out 1/2: [.094531, .905469]
    expect(by.carried_out!.fromPrevious!.ci!.high).toBeCloseTo(0.905469, 5)
  })

  test('conversion tables, deciles and AUC', () => {
    const report = conversionReport(pairs)
    expect(report.pairsHeld).toBe(5)
    expect(report.converted.count).toBe(2)
    // Held scores sorted 3, 5, 5, 7, 8 (n = 5): first ranks 0, 1, 1, 3, 4 -> deciles 1, 3, 3, 7, 9
    expect(report.byScoreDecile.map((g) => [g.key, g.converted, g.pairs])).toEqual([
      ['1', 0, 1], ['3', 1, 2], ['7', 0, 1], ['9', 1, 1],
    ])
    // AUC: positives 8, 5 vs negatives 7, 5, 3 = 0.75 (same as the hand computation above)
    expect(report.scoreAuc!.auc).toBeCloseTo(0.75, 10)
    expect(report.scoreAuc!.ci.low).toBeCloseTo(0.253059, 5)
    // themes: handicap r1, r2 -> 2/2; sante r2, r3 -> 1/2; none r4, r5 -> 0/2
    expect(report.byTheme.map((g) => [g.key, g.converted, g.pairs])).toEqual([
      ['(none)', 0, 2], ['handicap', 2, 2], ['sante', 1, 2],
    ])
    expect(report.byRound.map((g) => [g.key, g.converted, g.pairs])).toEqual([['1', 1, 2], ['2', 1, 2], ['3', 0, 1]])
    expect(report.byPairSize.map((g) => [g.key, g.converted, g.pairs])).toEqual([['microxgrande', 1, 4], ['microxmicro', 1, 1]])
    expect(report.byEvent).toHaveLength(1)
    expect(report.byEvent[0]!.conversion.ci!.low).toBeCloseTo(wilson(2, 5)!.low, 12)
  })

  test('equal scores share a decile', () => {
    const same = [pair({ id: 'x', score: 4 }), pair({ id: 'y', score: 4 }), pair({ id: 'z', score: 4 })]
    expect([...scoreDeciles(same).values()]).toEqual([1, 1, 1])
  })
})

describe('durations', () => {
  test('median and quartiles by linear interpolation, nulls left out', () => {
    // sorted 2, 4, 10, 30: median at position 1.5 = (4 + 10)/2 = 7; q1 at .75 = 2 + .75 * 2 = 3.5; q3 at 2.25 = 10 + .25 * 20 = 15
    expect(durations([30, null, 2, 10, 4])).toEqual({ n: 4, median: 7, q1: 3.5, q3: 15 })
    expect(durations([null])).toEqual({ n: 0, median: null, q1: null, q3: null })
  })
})
