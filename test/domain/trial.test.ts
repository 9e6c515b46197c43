import { describe, expect, test } from 'vitest'
import { checkSchedule, solve } from '../../solver/index.ts'
import type { Instance, Participant } from '../../solver/types.ts'
import {
  ARMS, armOf, balancedAllocation, drawBlocks, drawTrial, eventArm, lateArm, percentileRanks, trialScoring, uniform, type Arm, type Trial,
} from '../../src/domain/trial.ts'

const ids = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `${prefix}${String(i).padStart(2, '0')}`)

describe('the draw', () => {
  const trial: Trial = { assignment: 'participant-block', seed: 'graine', arms: ['engine', 'random', 'rotation'] }

  test('blocks: every association gets one arm, block sizes differ by one at most, the same seed gives the same draw', () => {
    const associations = ids('A', 11)
    const blocks = drawBlocks(trial, associations)
    expect(Object.keys(blocks).sort()).toEqual(associations)
    const sizes = trial.arms.map((arm) => Object.values(blocks).filter((b) => b === arm).length)
    expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1)
    expect(sizes.reduce((a, b) => a + b, 0)).toBe(11)
    // the input order does not matter; another seed draws otherwise
    expect(drawBlocks(trial, [...associations].reverse())).toEqual(blocks)
    expect(drawBlocks({ ...trial, seed: 'autre' }, associations)).not.toEqual(blocks)
  })

  test('by event: each arm about equally often over many events, and the draw is the seed’s', () => {
    const counts = new Map<Arm, number>()
    for (const e of ids('E', 3000)) counts.set(eventArm(trial, e), (counts.get(eventArm(trial, e)) ?? 0) + 1)
    for (const arm of trial.arms) {
      // binomial(3000, 1/3): sd 25.8, so ±4 sd
      expect(Math.abs(counts.get(arm)! - 1000)).toBeLessThan(104)
    }
    const draw = drawTrial({ ...trial, assignment: 'event' }, 'E1', ['A1'])
    expect(draw.blocks).toBeNull()
    expect(armOf(draw, 'whoever')).toBe(eventArm(trial, 'E1'))
  })

  test('a walk-in draws its own arm from the seed and its id', () => {
    const draw = drawTrial(trial, 'E1', ['A1', 'A2'])
    expect(armOf(draw, 'A9')).toBe(lateArm(trial, 'A9'))
    expect(armOf(draw, 'A1')).toBe(draw.blocks!.A1)
  })

  test('balanced allocation over a series of events: each block of k events holds every arm once', () => {
    const list = balancedAllocation('serie', ['engine', 'random'], 9)
    expect(list).toHaveLength(9)
    for (let b = 0; b + 2 <= 9; b += 2) expect([...list.slice(b, b + 2)].sort()).toEqual(['engine', 'random'])
    expect(balancedAllocation('serie', ['engine', 'random'], 9)).toEqual(list)
  })

  test('uniform: in [0, 1), mean about 1/2', () => {
    const us = ids('x', 2000).map((x) => uniform('s', x))
    expect(Math.min(...us)).toBeGreaterThanOrEqual(0)
    expect(Math.max(...us)).toBeLessThan(1)
    expect(Math.abs(us.reduce((a, b) => a + b, 0) / us.length - 0.5)).toBeLessThan(0.03)
  })
})

describe('scores by arm', () => {
  const participant = (id: string, profile: Participant['profile'] = {}): Participant => ({ id, profile })
  const instance: Instance = {
    rounds: 2,
    associations: [
      participant('a0', { themes: ['sport'], wishes: { c1: 'must' } }),
      participant('a1', { themes: ['culture'] }),
      participant('a2', { themes: ['sport'] }),
    ],
    companies: [participant('c0', { themes: ['sport'] }), participant('c1', { themes: ['culture'], wishes: { a0: 'like' } }), participant('c2')],
  }
  const all = { associations: instance.associations, companies: instance.companies }

  test('engine and engine without wishes: the wishes weigh only in the first', () => {
    const engine = trialScoring(instance, all, () => 'engine', { seed: 's', normalise: false })
    const plain = trialScoring(instance, all, () => 'engine-no-wishes', { seed: 's', normalise: false })
    // a0–c1: must 6 + like 3 + mutual 5, no shared theme
    expect(engine.scores.a0!.c1).toBe(14)
    expect(plain.scores.a0!.c1).toBe(0)
    expect(plain.scores.a0!.c0).toBe(2)
    expect(plain.engineScore('a0', 'c1')).toBe(14)
  })

  test('penalties of pairs met before lower the engine arms only', () => {
    const penalties = new Map([['a0 c0', 1.5]])
    expect(trialScoring(instance, all, () => 'engine', { seed: 's', penalties, normalise: false }).scores.a0!.c0).toBe(0.5)
    expect(trialScoring(instance, all, () => 'engine-no-wishes', { seed: 's', penalties, normalise: false }).scores.a0!.c0).toBe(0.5)
    const random = trialScoring(instance, all, () => 'random', { seed: 's', penalties, normalise: false })
    expect(random.scores.a0!.c0).toBe(Math.round(10000 * uniform('s', 'random', 'a0', 'c0')) / 100)
  })

  test('rotation: association i scores 100 with companies i + r (r < rounds), 0 elsewhere', () => {
    const s = trialScoring(instance, all, () => 'rotation', { seed: 's', normalise: false }).scores
    expect(s).toEqual({ a0: { c0: 100, c1: 100, c2: 0 }, a1: { c0: 0, c1: 100, c2: 100 }, a2: { c0: 100, c1: 0, c2: 100 } })
  })

  test('blocks: each row becomes percentile ranks, so no arm wins seats by the size of its numbers', () => {
    const arms: Record<string, Arm> = { a0: 'engine', a1: 'random', a2: 'rotation' }
    const s = trialScoring(instance, all, (a) => arms[a]!, { seed: 's', normalise: true }).scores
    for (const row of Object.values(s)) expect(Object.values(row).reduce((a, b) => a + b, 0)).toBeCloseTo(150, 9)
    expect(percentileRanks([3, 1, 3, 0])).toEqual([83.33, 33.33, 83.33, 0])
    expect(percentileRanks([7])).toEqual([100])
  })

  test('the solver on rotation scores meets the cyclic rotation, and its schedule passes the checker', () => {
    const n = 6
    const big: Instance = { rounds: 3, tables: n, associations: ids('a', n).map((id) => participant(id)), companies: ids('c', n).map((id) => participant(id)), forbidden: [['a00', 'c01']] }
    const scoring = trialScoring(big, big, () => 'rotation', { seed: 's', normalise: false })
    const result = solve({ ...big, scores: scoring.scores })
    expect(checkSchedule({ ...big, scores: scoring.scores }, result)).toEqual([])
    const pairs = new Set(result.meetings.map((m) => `${m.association} ${m.company}`))
    const a = ids('a', n)
    const c = ids('c', n)
    const rotation = a.flatMap((id, i) => [0, 1, 2].map((r) => `${id} ${c[(i + r) % n]}`))
    // without the forbidden pair, a00 and c01 each need a partner outside the rotation (they may not meet):
    // 18 meetings, 16 of them the rotation's (the most the solver can keep)
    expect(result.meetings).toHaveLength(18)
    expect(rotation.filter((p) => pairs.has(p))).toHaveLength(16)
    expect(pairs.has('a00 c01')).toBe(false)
    // without a forbidden pair the rotation is met whole
    const { forbidden: _f, ...open } = big
    const whole = solve({ ...open, scores: trialScoring(open, open, () => 'rotation', { seed: 's', normalise: false }).scores })
    expect(new Set(whole.meetings.map((m) => `${m.association} ${m.company}`))).toEqual(new Set(rotation))
    expect(result.meetings.filter((m) => m.association === 'a00')).toHaveLength(3)
  })

  test('every arm is one of the four', () => {
    expect(ARMS).toEqual(['engine', 'engine-no-wishes', 'random', 'rotation'])
  })
})
