/**
 * The round-aware bounds of issue 13: the selection solved from the other side (transposed model) and
 * the Lagrangian bound on meetings. Both must hold every schedule: checked against the exact MIP.
 */
import { describe, expect, test } from 'vitest'
import { buildModel, type Model } from '../../solver/model.ts'
import { lagrangianApplies, meetingsBound } from '../../solver/selection/lagrangian.ts'
import { selectPairs } from '../../solver/selection/select.ts'
import { transposeBack, transposeModel } from '../../solver/selection/transpose.ts'
import type { Instance } from '../../solver/types.ts'
import { exactOptimum } from '../helpers/exact-reference.ts'
import { randomInstance } from '../helpers/random-instance.ts'

function model(instance: Instance): Model {
  const built = buildModel(instance)
  if (!built.ok) throw new Error(built.reason)
  return built.model
}

const family = (seed: number): Instance =>
  randomInstance(seed, {
    associations: [7, 10],
    companies: [7, 10],
    rounds: [5, 8],
    windows: 0.2 + 0.1 * (seed % 4),
    tableShare: [0.6, 0.9],
    forbidden: 0.1,
    maxMeetings: 0.1,
  })

describe('the selection from the other side', () => {
  test('transposing twice gives the model back', () => {
    const m = model(family(505))
    const back = transposeModel(transposeModel(m))
    expect(back.nA).toBe(m.nA)
    expect(Array.from(back.score)).toEqual(Array.from(m.score))
    expect(Array.from(back.allowed)).toEqual(Array.from(m.allowed))
    expect(back.ids).toEqual(m.ids)
    expect(Array.from(back.arrive)).toEqual(Array.from(m.arrive))
  })

  test.for([503, 514, 515, 517])('seed %i: a valid selection in the model numbering, bounds at least the MIP', async (seed) => {
    const instance = family(seed)
    const m = model(instance)
    const mirror = transposeBack(m, selectPairs(transposeModel(m)))
    const degree = new Int32Array(m.nA + m.nC)
    let score = 0
    for (const k of mirror.pairs) {
      expect(m.allowed[k], `pair ${k} allowed`).toBe(1)
      const a = Math.floor(k / m.nC)
      degree[a]!++
      degree[m.nA + k - a * m.nC]!++
      score += m.score[k]!
    }
    expect(Array.from(degree)).toEqual(Array.from(mirror.degree))
    expect(mirror.optimum).toBeCloseTo(score, 6)
    const exact = await exactOptimum(instance)
    expect(exact.status).toBe('optimal')
    // lexicographically at least the MIP's figures, like the selection itself
    const primary = selectPairs(m)
    for (const s of [primary, mirror]) {
      expect(s.fairnessLevel).toBeGreaterThanOrEqual(exact.fairnessLevel)
      if (s.fairnessLevel === exact.fairnessLevel) expect(s.meetings).toBeGreaterThanOrEqual(exact.meetings)
    }
  })
})

describe('the Lagrangian bound on meetings', () => {
  test.for([503, 514, 515, 517, 521])('seed %i: never below the most meetings of a schedule', async (seed) => {
    const instance = family(seed)
    const m = model(instance)
    expect(lagrangianApplies(m)).toBe(true)
    const exact = await exactOptimum(instance)
    // the MIP maximises meetings after fairness: the bound on all schedules is at least that
    for (const side of [m, transposeModel(m)]) expect(meetingsBound(side, exact.meetings)).toBeGreaterThanOrEqual(exact.meetings - 1e-6)
  })

  test('proves 23 meetings on seed 515, where both selections allow 25', () => {
    const m = model(family(515))
    expect(selectPairs(m).meetings).toBe(25)
    expect(Math.min(meetingsBound(m, 23), meetingsBound(transposeModel(m), 23))).toBeLessThan(24)
  })
})
