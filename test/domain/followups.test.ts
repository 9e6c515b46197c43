import { describe, expect, test } from 'vitest'
import { addDays, addMonths, checkinRows, pipelinePath, pipelineTransitions } from '../../src/domain/followups.ts'
import { partnershipKindCodes, ratingProgress, ratingValues, readBoolean, readSide } from '../../src/domain/ratings.ts'
import { AppError } from '../../src/errors.ts'

describe('dates', () => {
  test.for([
    ['2026-11-24', 14, '2026-12-08'],
    ['2026-12-25', 14, '2027-01-08'],
    ['2028-02-20', 10, '2028-03-01'],
  ] as const)('%s + %i days = %s', ([day, n, expected]) => {
    expect(addDays(day, n)).toBe(expected)
  })

  test.for([
    ['2026-11-24', 3, '2027-02-24'],
    ['2026-11-30', 3, '2027-02-28'], // clamped to the last day of February
    ['2027-11-30', 3, '2028-02-29'], // leap year
    ['2026-08-31', 6, '2027-02-28'],
    ['2026-01-31', 12, '2027-01-31'],
  ] as const)('%s + %i months = %s', ([day, n, expected]) => {
    expect(addMonths(day, n)).toBe(expected)
  })

  test('check-ins: four milestones for each side', () => {
    const rows = checkinRows('p1', '2026-11-30')
    expect(rows.map((r) => `${r.milestone}/${r.side}/${r.due_on}`)).toEqual([
      '2w/association/2026-12-14', '2w/company/2026-12-14', '3m/association/2027-02-28', '3m/company/2027-02-28',
      '6m/association/2027-05-30', '6m/company/2027-05-30', '12m/association/2027-11-30', '12m/company/2027-11-30',
    ])
    expect(new Set(rows.map((r) => r.id)).size).toBe(8)
  })
})

describe('pipeline', () => {
  test('only the next step or abandoning; renewed and abandoned are final', () => {
    expect(pipelineTransitions.proposed).toEqual(['contacted', 'abandoned'])
    expect(pipelineTransitions.carried_out).toEqual(['renewed'])
    expect(pipelineTransitions.renewed).toEqual([])
    expect(pipelineTransitions.abandoned).toEqual([])
  })

  test('paths walk every step, so a history import never skips one', () => {
    expect(pipelinePath('agreement')).toEqual(['proposed', 'contacted', 'in_discussion', 'agreement'])
    expect(pipelinePath('abandoned', 'contacted')).toEqual(['proposed', 'contacted', 'abandoned'])
    expect(pipelinePath('proposed')).toEqual(['proposed'])
    for (const to of ['renewed', 'abandoned'] as const) {
      const path = pipelinePath(to, 'agreement')
      for (let i = 1; i < path.length; i++) expect(pipelineTransitions[path[i - 1]!]).toContain(path[i])
    }
  })
})

describe('ratings', () => {
  test('kind codes: the four families and their sub-kinds', () => {
    expect(partnershipKindCodes.has('mecenat')).toBe(true)
    expect(partnershipKindCodes.has('mecenat/competences')).toBe(true)
    expect(partnershipKindCodes.has('innovation-societale/essaimage')).toBe(true)
    expect(partnershipKindCodes.has('mecenat/bidon')).toBe(false)
    expect(partnershipKindCodes.size).toBe(4 + 12)
  })

  test('a meeting that did not take place carries no interest', () => {
    expect(() => ratingValues({ tookPlace: false, interest: 2, kinds: [] })).toThrow(AppError)
    const error = (() => {
      try {
        ratingValues({ tookPlace: false, followUp: false, kinds: ['mecenat'] })
        return null
      } catch (e) {
        return e as AppError
      }
    })()
    expect(error?.code).toBe('meeting_not_held')
    expect(error?.issues?.map((i) => i.path)).toEqual(['followUp', 'kinds'])
    expect(ratingValues({ tookPlace: false, kinds: [], note: 'absent' })).toEqual({ took_place: 0, interest: null, follow_up: null, kinds: '[]', note: 'absent' })
    expect(ratingValues({ tookPlace: true, interest: 4, followUp: false, kinds: ['mecenat', 'mecenat'] })).toMatchObject({ took_place: 1, follow_up: 0, kinds: '["mecenat"]' })
  })

  test('spreadsheet cells: yes/no in French or English, sides', () => {
    expect([readBoolean('Oui'), readBoolean('non'), readBoolean(''), readBoolean('peut-être')]).toEqual([true, false, undefined, null])
    expect([readSide('Entreprise'), readSide('asso'), readSide('x')]).toEqual(['company', 'association', null])
  })

  test('progress counts', () => {
    const meeting = (id: string) => ({ id, event_id: 'e', schedule_id: 's', round: 1, table_no: 1, association_registration_id: 'a', company_registration_id: 'c', score: 0, reasons: '[]', short_code: id, arm: null })
    const rating = (meeting_id: string, side: 'association' | 'company', took: number, follow: number | null) => ({
      id: `${meeting_id}${side}`, meeting_id, side, registration_id: side, took_place: took, interest: took ? 3 : null, follow_up: follow,
      kinds: '[]', note: null, source: 'participant' as const, created_at: '', updated_at: '',
    })
    const p = ratingProgress([meeting('m1'), meeting('m2'), meeting('m3')], [
      rating('m1', 'association', 1, 1), rating('m1', 'company', 1, 1), rating('m2', 'association', 0, null), rating('m2', 'company', 1, 0),
    ])
    expect(p).toEqual({
      meetings: 3, ratedByBoth: 2, ratedByOne: 0, ratedByNone: 1, associationRatings: 2, companyRatings: 2,
      reportedNotHeld: 1, conflicts: ['m2'], mutualInterest: 1,
    })
  })
})
