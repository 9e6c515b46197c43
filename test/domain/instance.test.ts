import { describe, expect, test } from 'vitest'
import { checkSchedule, parseInstance, solve } from '../../solver/index.ts'
import type { RegistrationWithOrganisation } from '../../src/db/repositories/registrations.repository.ts'
import type { Attendance, Side } from '../../src/db/schema.ts'
import { buildInstance, buildReplan, canonicalJson, digest, type InstanceRows } from '../../src/domain/instance.ts'

function reg(id: string, kind: Side, extra: Partial<RegistrationWithOrganisation> = {}, org: Partial<RegistrationWithOrganisation['organisation']> = {}): RegistrationWithOrganisation {
  return {
    id, event_id: 'e', organisation_id: `o-${id}`, person_name: `P ${id}`, person_email: null, arrive_round: null, leave_round: null,
    min_meetings: null, max_meetings: null, attendance: 'registered' as Attendance, secret_hash: `h-${id}`, created_at: '2026-11-24T00:00:00Z',
    organisation: {
      id: `o-${id}`, network_id: 'n', kind, name: `Org ${id}`, name_key: `org ${id}`, siren: null, rna: null, sector: null, size: null, town: null, postcode: null,
      latitude: null, longitude: null, themes: '[]', territories: '[]', offers: '[]', needs: '[]', description: null,
      contact_name: null, contact_email: null, group_name: null, created_at: '', updated_at: '', ...org,
    },
    ...extra,
  }
}

const base = (): InstanceRows => ({
  event: { rounds: 5, tables: 3, seated_side: 'company' },
  registrations: [
    reg('a1', 'association', {}, { themes: '["handicap"]', offers: '["visibilite"]', needs: '["locaux"]', latitude: 48.5, longitude: 7.7, sector: 'autre' }),
    reg('a2', 'association', { arrive_round: 2, leave_round: 4, min_meetings: 2, max_meetings: 3 }),
    reg('a3', 'association', { attendance: 'absent' }),
    reg('c1', 'company', {}, { offers: '["locaux"]', size: 'petite', group_name: 'Groupe Z' }),
    reg('c2', 'company', {}, { group_name: null }),
    reg('f1', 'association', {}, { group_name: 'groupe z' }),
  ],
  wishes: [
    { from_registration_id: 'a1', to_registration_id: 'c1', level: 'must', set_by: 'participant' },
    { from_registration_id: 'c2', to_registration_id: 'a1', level: 'avoid', set_by: 'participant' },
    { from_registration_id: 'a2', to_registration_id: 'c1', level: 'must', set_by: 'organiser' },
    { from_registration_id: 'a1', to_registration_id: 'a3', level: 'like', set_by: 'participant' },
  ],
  exclusions: [{ association_id: 'o-a2', company_id: 'o-c2' }],
})

describe('buildInstance', () => {
  test('participants with windows, limits and profiles; absentees left out', () => {
    const instance = buildInstance(base())
    expect(instance).toMatchObject({ rounds: 5, tables: 3, seated: 'company' })
    expect(instance.associations.map((p) => p.id)).toEqual(['a1', 'a2', 'f1'])
    expect(instance.companies.map((p) => p.id)).toEqual(['c1', 'c2'])
    const a2 = instance.associations[1]!
    expect(a2).toMatchObject({ arrive: 2, leave: 4, minMeetings: 2, maxMeetings: 3 })
    const a1 = instance.associations[0]!
    expect(a1.arrive).toBeUndefined()
    expect(a1.profile).toMatchObject({ name: 'Org a1', themes: ['handicap'], offers: ['visibilite'], needs: ['locaux'], latitude: 48.5, longitude: 7.7, sector: 'autre' })
    expect(a1.profile?.wishes).toEqual({ c1: 'must' })
    expect(parseInstance(instance).ok).toBe(true)
  })

  test('forbidden: exclusions, "do not want" in either direction, same group; required: organiser "must"', () => {
    const instance = buildInstance(base())
    expect(instance.forbidden).toEqual([
      ['a1', 'c2'],
      ['a2', 'c2'],
      ['f1', 'c1'],
    ])
    expect(instance.required).toEqual([['a2', 'c1']])
  })

  test('the same rows in another order give the same instance and digest', () => {
    const rows = base()
    const shuffled: InstanceRows = { ...rows, registrations: [...rows.registrations].reverse(), wishes: [...rows.wishes].reverse(), exclusions: [...rows.exclusions] }
    expect(canonicalJson(buildInstance(shuffled))).toBe(canonicalJson(buildInstance(rows)))
    expect(digest(buildInstance(shuffled))).toBe(digest(buildInstance(rows)))
    const changed = base()
    changed.registrations[0]!.arrive_round = 3
    expect(digest(buildInstance(changed))).not.toBe(digest(buildInstance(rows)))
  })

  test('canonical JSON sorts keys and drops undefined', () => {
    expect(canonicalJson({ b: 1, a: [{ d: undefined, c: 'x' }] })).toBe('{"a":[{"c":"x"}],"b":1}')
  })

  test('the solver accepts it and respects its constraints', () => {
    const instance = buildInstance(base())
    const result = solve(instance)
    expect(result.status).not.toBe('infeasible')
    expect(checkSchedule(instance, result)).toEqual([])
  })
})

describe('buildReplan', () => {
  test('played rounds become fixed meetings, absentees and walk-ins go to the situation', () => {
    const rows = base()
    rows.registrations.push(reg('w1', 'company', { attendance: 'walk-in' }))
    const published = [
      { round: 1, table_no: 1, association_registration_id: 'a1', company_registration_id: 'c1' },
      { round: 1, table_no: 2, association_registration_id: 'a3', company_registration_id: 'c2' },
      { round: 3, table_no: 1, association_registration_id: 'a2', company_registration_id: 'c1' },
    ]
    const { instance, situation } = buildReplan(rows, published, 2)
    expect(instance.associations.map((p) => p.id)).toEqual(['a1', 'a2', 'a3', 'f1'])
    expect(instance.companies.map((p) => p.id)).toEqual(['c1', 'c2'])
    expect(situation.fromRound).toBe(2)
    expect(situation.played).toEqual([
      { round: 1, association: 'a1', company: 'c1', table: 1 },
      { round: 1, association: 'a3', company: 'c2', table: 2 },
    ])
    expect(situation.absent).toEqual(['a3'])
    expect(situation.walkIns?.companies?.map((p) => [p.id, p.arrive])).toEqual([['w1', 2]])
  })
})
