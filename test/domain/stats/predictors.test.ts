import { describe, expect, test } from 'vitest'
import { rocAuc, type PipelineStage } from '../../../src/domain/metrics.ts'
import { emptyExtras, type PairData } from '../../../src/domain/pair-records.ts'
import { aucValue, delongCompare } from '../../../src/domain/stats/auc.ts'
import { bootstrapAuc, bootstrapAucDifference, mulberry32 } from '../../../src/domain/stats/bootstrap.ts'
import { clusteredAuc, clusteredAucCompare } from '../../../src/domain/stats/clustered-auc.ts'
import { eventsPerArm, iccAnova } from '../../../src/domain/stats/power.ts'
import { compare, eventDesign, outcomeOf, pairDesign, pairPredictors, planTrial, predictorAuc, predictorReport, type Predictor, type PredictorRow } from '../../../src/domain/stats/predictors.ts'

interface Row extends PredictorRow {
  score: number | null
  noise: number
}

/** 8 events × 3 associations × 3 companies; conversion more likely with a higher score. */
function rows(seed: number): Row[] {
  const rng = mulberry32(seed)
  const out: Row[] = []
  for (let e = 0; e < 8; e++)
    for (let a = 0; a < 3; a++)
      for (let c = 0; c < 3; c++) {
        const score = Math.round(rng() * 20) / 2
        const converts = rng() < 0.05 + score / 14
        const reached: PipelineStage | null = converts ? (rng() < 0.5 ? 'agreement' : 'carried_out') : rng() < 0.3 ? 'contacted' : null
        out.push({
          eventId: `E${e}`,
          associationId: `A${a}`, // the same organisations come back to several events
          companyId: `C${e}-${c}`,
          held: rng() < 0.9,
          mutual: rng() < 0.2 + score / 20,
          reached,
          score: rng() < 0.1 ? null : score,
          noise: rng(),
        })
      }
  return out
}

const score: Predictor<Row> = { name: 'score', value: (r) => r.score }
const noise: Predictor<Row> = { name: 'noise', value: (r) => r.noise }

describe('predictor AUCs', () => {
  test('outcomes: conversion = agreement or later; mutual = both want a follow-up', () => {
    const base = { eventId: 'E', associationId: 'A', companyId: 'C', held: true, mutual: false }
    expect(outcomeOf({ ...base, reached: 'agreement' }, 'conversion')).toBe(true)
    expect(outcomeOf({ ...base, reached: 'renewed' }, 'conversion')).toBe(true)
    expect(outcomeOf({ ...base, reached: 'in_discussion' }, 'conversion')).toBe(false)
    expect(outcomeOf({ ...base, reached: null }, 'conversion')).toBe(false)
    expect(outcomeOf({ ...base, reached: null, mutual: true }, 'mutual')).toBe(true)
  })

  test('held pairs only, missing left out, intervals from auc.ts and bootstrap.ts', () => {
    const rs = rows(1)
    const held = rs.filter((r) => r.held)
    const r = predictorAuc(rs, score, 'conversion', { seed: 5, replicates: 300 })
    const present = held.filter((x) => x.score !== null)
    expect(r.n).toBe(present.length)
    expect(r.missing).toBe(held.length - present.length)
    expect(r.positives).toBe(present.filter((x) => outcomeOf(x, 'conversion')).length)
    const items = present.map((x) => ({ score: x.score!, positive: outcomeOf(x, 'conversion') }))
    expect(r.auc).toBeCloseTo(aucValue(items)!, 14)
    const hm = rocAuc(items)!
    expect(r.hanleyMcNeil).toEqual([hm.ci.low, hm.ci.high])
    const boot = bootstrapAuc(held, (x) => x.score, (x) => outcomeOf(x, 'conversion'), pairDesign, { seed: 5, replicates: 300 })
    expect(r.ci95).toEqual([boot.ci!.low, boot.ci!.high])
    expect(r.ciMethod).toBe('cluster-bootstrap')
    const ob = clusteredAuc(present.map((x) => ({ score: x.score, positive: outcomeOf(x, 'conversion'), clusters: [x.eventId] })))!
    expect(r.obuchowski).toEqual([ob.ci.low, ob.ci.high])
    expect(r.bootstrap).toEqual({ seed: 5, replicates: 300, valid: 300, levels: 'events+participants' })
    const byEvents = predictorAuc(rs, score, 'conversion', { seed: 5, replicates: 300, levels: 'events' })
    const eventBoot = bootstrapAuc(held, (x) => x.score, (x) => outcomeOf(x, 'conversion'), eventDesign, { seed: 5, replicates: 300 })
    expect(byEvents.ci95).toEqual([eventBoot.ci!.low, eventBoot.ci!.high])
    expect(byEvents.bootstrap.levels).toBe('events')
    expect(r.auc!).toBeGreaterThan(0.6)
  })

  test('the report covers both outcomes and is deterministic', () => {
    const rs = rows(2)
    const opts = { replicates: 200 }
    const one = predictorReport(rs, [score, noise], opts)
    expect(predictorReport(rs, [score, noise], opts)).toEqual(one)
    expect(one.heldPairs).toBe(rs.filter((r) => r.held).length)
    expect(one.events).toBe(8)
    expect(one.conversion.map((p) => p.name)).toEqual(['score', 'noise'])
    expect(one.mutual.map((p) => p.outcome)).toEqual(['mutual', 'mutual'])
    expect(one.mutual[0]!.auc).toBeCloseTo(aucValue(rs.filter((r) => r.held).map((r) => ({ score: r.score, positive: r.mutual })))!, 14)
  })

  test('one class only: no AUC, no interval', () => {
    const rs = rows(3).map((r) => ({ ...r, reached: null }))
    const r = predictorAuc(rs, score, 'conversion', { replicates: 50 })
    expect(r.auc).toBeNull()
    expect(r.ci95).toBeNull()
    expect(r.hanleyMcNeil).toBeNull()
  })
})

describe('compare', () => {
  test('on the pairs where both are present: AUCs, difference, bootstrap interval and p, DeLong for reference', () => {
    const rs = rows(4).map((r, i) => ({ ...r, noise: i % 7 === 0 ? Number.NaN : r.noise }))
    const c = compare(rs, score, noise, 'conversion', { seed: 3, replicates: 400 })
    const held = rs.filter((r) => r.held)
    const both = held.filter((r) => r.score !== null && Number.isFinite(r.noise))
    expect(c.n).toBe(both.length)
    const items = both.map((r) => ({ a: r.score, b: r.noise, positive: outcomeOf(r, 'conversion') }))
    expect(c.aucA).toBeCloseTo(aucValue(items.map((x) => ({ score: x.a, positive: x.positive })))!, 14)
    expect(c.aucB).toBeCloseTo(aucValue(items.map((x) => ({ score: x.b, positive: x.positive })))!, 14)
    expect(c.diff).toBeCloseTo(c.aucA! - c.aucB!, 14)
    const boot = bootstrapAucDifference(held, (r) => r.score, (r) => r.noise, (r) => outcomeOf(r, 'conversion'), pairDesign, { seed: 3, replicates: 400 })
    expect(c.ci95).toEqual([boot.ci!.low, boot.ci!.high])
    expect(c.p).toBe(boot.pZero)
    const d = delongCompare(items)!
    expect(c.delong).toEqual({ ci95: [d.ci.low, d.ci.high], p: d.p })
    const ob = clusteredAucCompare(both.map((r) => ({ a: r.score, b: r.noise, positive: outcomeOf(r, 'conversion'), clusters: [r.eventId] })))!
    expect(c.obuchowski).toEqual({ ci95: [ob.ci.low, ob.ci.high], p: ob.p })
    // the bootstrap p agrees with its interval
    expect(c.p! < 0.05).toBe(c.ci95![0] > 0 || c.ci95![1] < 0)
  })

  test('a predictor against itself: difference 0, p = 1', () => {
    const c = compare(rows(5), score, { name: 'score again', value: (r) => r.score }, 'mutual', { replicates: 100 })
    expect(c.diff).toBe(0)
    expect(c.ci95).toEqual([0, 0])
    expect(c.p).toBe(1)
  })
})

describe('pair-records predictors', () => {
  const pair = (over: Partial<PairData>): PairData => ({
    eventId: 'E', eventDate: '2026-01-01', associationId: 'A', companyId: 'C',
    associationRegistrationId: 'ra', companyRegistrationId: 'rc', associationOrganisationId: 'A', companyOrganisationId: 'C',
    scheduled: true, held: true, round: 1, table: 1, score: null, meetingId: 'm', rated: true, mutual: false, proposed: false, reached: null,
    sharedThemes: [], associationThemes: [], companyThemes: [], associationSize: null, companySize: null, companySector: null, associationSector: null,
    rating: { association: null, company: null }, proposalKind: null, proposalStatus: null,
    partnershipId: null, partnershipOrigin: null, partnershipStatus: null, partnershipKinds: [],
    valueMoneyEur: null, valueStaffHours: null, valueInKindEur: null, daysToContacted: null, daysToAgreement: null, daysToCarriedOut: null, extras: emptyExtras(),
    ...over,
  })
  const value = (name: string, p: PairData) => pairPredictors.find((x) => x.name === name)!.value(p)

  test('values, with missing ratings missing (not 0) and no shared theme = 0', () => {
    const rated = pair({
      score: 0,
      sharedThemes: ['env', 'edu'],
      rating: { association: { tookPlace: true, interest: 4, followUp: true, kinds: [] }, company: { tookPlace: true, interest: 2, followUp: false, kinds: [] } },
    })
    expect(value('score', rated)).toBe(0)
    expect(value('shared_themes', rated)).toBe(2)
    expect(value('interest_sum', rated)).toBe(6)
    expect(value('interest_min', rated)).toBe(2)
    const unrated = pair({ rating: { association: { tookPlace: true, interest: 5, followUp: true, kinds: [] }, company: null } })
    expect(value('score', unrated)).toBeNull()
    expect(value('shared_themes', unrated)).toBe(0)
    expect(value('interest_sum', unrated)).toBeNull()
    expect(value('interest_min', unrated)).toBeNull()
  })
})

describe('planTrial', () => {
  const row = (eventId: string, converted: boolean, held = true): PredictorRow => ({
    eventId, associationId: 'a', companyId: 'c', held, mutual: false, reached: converted ? 'agreement' : 'contacted',
  })

  test('baseline, event sizes, ICC and events per arm from past events, by hand', () => {
    // E1: 4 held pairs, 0 converted; E2: 4 held, 4 converted; E3: 4 held, 2 converted (+ 1 not held)
    // baseline 6/12 = 0.5, m = 4, cv = 0, ICC = 2/3 (power.test.ts)
    const rows = [
      ...[0, 0, 0, 0].map(() => row('E1', false)),
      ...[1, 1, 1, 1].map(() => row('E2', true)),
      ...[1, 1, 0, 0].map((v) => row('E3', v === 1)),
      row('E3', true, false),
    ]
    const plan = planTrial(rows, 0.7)
    expect(plan).toMatchObject({ events: 3, heldPairs: 12, pairsPerEvent: 4, cv: 0, baseline: 0.5, target: 0.7 })
    expect(plan.icc).toBeCloseTo(2 / 3, 12)
    expect(plan.sampleSize).toEqual(eventsPerArm({ p1: 0.5, p2: 0.7, pairsPerEvent: 4, icc: plan.icc!, cv: 0, alpha: 0.05, power: 0.8 }))
    // DE = 1 + 3 × 2/3 = 3
    expect(plan.sampleSize!.designEffect).toBeCloseTo(3, 12)
  })

  test('a negative ICC is planned as 0; no plan without a usable baseline', () => {
    const rows = ['E1', 'E1', 'E2', 'E2'].map((e, i) => row(e, i % 2 === 0))
    const plan = planTrial(rows, 0.8)
    expect(plan.icc).toBe(iccAnova([{ n: 2, positives: 1 }, { n: 2, positives: 1 }])!.icc)
    expect(plan.icc!).toBeLessThan(0)
    expect(plan.iccUsed).toBe(0)
    expect(plan.sampleSize!.designEffect).toBe(1)
    expect(planTrial(rows.map((r) => ({ ...r, reached: null })), 0.2).sampleSize).toBeNull()
  })
})
