/** The network's memory in the instance, as a pure function: decisions, scores, reasons. */
import { describe, expect, test } from 'vitest'
import { parseInstance, solve } from '../../solver/index.ts'
import { scorePairs } from '../../solver/scoring.ts'
import type { RegistrationWithOrganisation } from '../../src/db/repositories/registrations.repository.ts'
import type { Side } from '../../src/db/schema.ts'
import { buildInstanceWithMemory, buildReplan, meetingReasons, type InstanceRows } from '../../src/domain/instance.ts'
import { metPhrase, sideKey, type Memory } from '../../src/domain/met-before.ts'

function reg(id: string, kind: Side, org: Partial<RegistrationWithOrganisation['organisation']> = {}): RegistrationWithOrganisation {
  return {
    id, event_id: 'e', organisation_id: `o-${id}`, person_name: `P ${id}`, person_email: null, arrive_round: null, leave_round: null,
    min_meetings: null, max_meetings: null, attendance: 'registered', secret_hash: `h-${id}`, created_at: '2026-11-24T00:00:00Z',
    organisation: {
      id: `o-${id}`, network_id: 'n', kind, name: `Org ${id}`, name_key: `org ${id}`, siren: null, rna: null, sector: null, size: null, town: null, postcode: null,
      latitude: null, longitude: null, themes: '["handicap"]', territories: '[]', offers: '[]', needs: '[]', description: null,
      contact_name: null, contact_email: null, group_name: null, created_at: '', updated_at: '', ...org,
    },
  }
}

const met = (a: string, c: string, interest: [number | null, number | null] = [null, null]) => ({
  associationKey: `org:o-${a}`, companyKey: `org:o-${c}`, eventTitle: 'Soirée de mars', eventDate: '2025-03-12', round: 1,
  interest: { association: interest[0], company: interest[1] },
})

function rows(memory: Partial<Memory>): InstanceRows {
  return {
    event: { rounds: 2, tables: null, seated_side: 'company' },
    registrations: [reg('a1', 'association'), reg('a2', 'association'), reg('c1', 'company', { themes: '["handicap"]' }), reg('c2', 'company')],
    wishes: [],
    exclusions: [],
    memory: { metBefore: 'forbid', penalty: 5, activePartnerships: 'forbid', met: [], partnerships: [], keyOf: {}, ...memory },
  }
}

describe('met before, in the instance', () => {
  test('sides: an organisation, or its group (case and accents ignored)', () => {
    expect(sideKey({ id: 'x', group_name: null })).toBe('org:x')
    expect(sideKey({ id: 'x', group_name: ' Groupe  Électrique ' })).toBe(sideKey({ id: 'y', group_name: 'groupe electrique' }))
  })

  test('the phrase, French and English, one or both ratings', () => {
    const names = { association: 'Entraide', company: 'Kuntz' }
    expect(metPhrase(met('a', 'c', [4, 4]), names, 'fr')).toBe('rencontrés en mars 2025 (Soirée de mars), intérêt 4/5 des deux côtés')
    expect(metPhrase(met('a', 'c', [null, 3]), names, 'fr')).toBe('rencontrés en mars 2025 (Soirée de mars), intérêt 3/5 pour Kuntz')
    expect(metPhrase(met('a', 'c'), names, 'en')).toBe('met in March 2025 (Soirée de mars)')
  })

  test('penalised pairs: every score given, theirs lowered and never below 0; the reasons come back in words', () => {
    const { instance, memory } = buildInstanceWithMemory(rows({ metBefore: 'penalise', penalty: 100, met: [met('a1', 'c1', [4, 4])] }))
    expect(parseInstance(instance).ok).toBe(true)
    expect(instance.forbidden).toBeUndefined()
    const { scores, ...plain } = instance
    expect(scorePairs(plain).score('a1', 'c1')).toBeGreaterThan(0)
    expect(scores?.a1?.c1).toBe(0)
    expect(scores?.a2?.c1).toBe(scorePairs(plain).score('a2', 'c1'))
    expect(memory).toEqual([{ association: 'a1', company: 'c1', decision: 'penalise', penalty: 100, reasons: [expect.stringContaining('score réduit de 100')] }])
    const reasons = meetingReasons(instance, memory)
    expect(reasons('a1', 'c1', undefined)).toEqual([expect.stringContaining('handicap'), expect.stringMatching(/^rencontrés en mars 2025/)])
    // two rounds, four pairs: the penalised pair still meets (fairness first), only its score is lower
    const result = solve(instance)
    expect(result.meetings).toHaveLength(4)
  })

  test('forbidden stays forbidden with a mutual wish; an organiser\'s "must meet" is kept; allow only says it', () => {
    const wishes: InstanceRows['wishes'] = [
      { from_registration_id: 'a1', to_registration_id: 'c1', level: 'like', set_by: 'participant' },
      { from_registration_id: 'c1', to_registration_id: 'a1', level: 'must', set_by: 'participant' },
      { from_registration_id: 'a2', to_registration_id: 'c2', level: 'must', set_by: 'organiser' },
    ]
    const forbid = buildInstanceWithMemory({ ...rows({ met: [met('a1', 'c1'), met('a2', 'c2')] }), wishes })
    expect(forbid.instance.forbidden).toEqual([['a1', 'c1']])
    expect(forbid.instance.required).toEqual([['a2', 'c2']])
    expect(forbid.memory.find((m) => m.association === 'a2')?.reasons[0]).toContain('rencontre imposée par l’organisation')
    const allow = buildInstanceWithMemory({ ...rows({ metBefore: 'allow', met: [met('a1', 'c1')] }), wishes })
    expect(allow.instance.forbidden).toBeUndefined()
    expect(allow.instance.scores).toBeUndefined()
    expect(allow.memory[0]).toMatchObject({ decision: 'allow', reasons: ['rencontrés en mars 2025 (Soirée de mars)'] })
  })

  test('re-planning: a pair that met tonight before its past was set to forbid stays as played; the others stay forbidden', () => {
    const r = rows({ met: [met('a1', 'c1'), met('a2', 'c2')] })
    const played = [{ round: 1, table_no: 1, association_registration_id: 'a1', company_registration_id: 'c1' }]
    const { instance, situation } = buildReplan(r, played, 2)
    expect(instance.forbidden).toEqual([['a2', 'c2']])
    expect(situation.played).toEqual([{ round: 1, table: 1, association: 'a1', company: 'c1' }])
    expect(parseInstance(instance).ok).toBe(true)
  })
})
