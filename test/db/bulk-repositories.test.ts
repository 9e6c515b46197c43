/** The bulk functions of the CSV import against the one-row functions they stand for. */
import { describe, expect } from 'vitest'
import {
  createOrganisation, findCandidateOrganisations, findMatchingOrganisation, OrganisationMatcher, type OrganisationFields,
} from '../../src/db/repositories/organisations.repository.ts'
import { nameKey } from '../../src/domain/names.ts'
import { createOrganiser } from '../helpers/accounts.ts'
import { dbTest, dialects } from '../helpers/db.ts'
import { mulberry32 } from '../../solver/rounds/rng.ts'

/** A small seeded generator (mulberry32): the same cases on every run. */
function random(seed: number) {
  const next = mulberry32(seed)
  return <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!
}

// few values, so that identifiers and names collide often; the variants differ by case, accents and spaces
const names = ['Épicerie Solidaire', 'epicerie  solidaire', 'EPICERIE SOLIDAIRE', 'Entraide Neudorf', 'entraide neudorf ', 'Brasserie', 'Cœur de Quartier']
const sirens = [null, null, '412345678', '412345679', '412345680']
const rnas = [null, null, 'W672000001', 'W672000002']
const kinds = ['association', 'company'] as const

describe.each(dialects)('bulk organisation matching on %s', (dialect) => {
  const test = dbTest(dialect)

  test('OrganisationMatcher over the candidates finds what findMatchingOrganisation finds, in the network only', async ({ db }) => {
    const pick = random(8)
    const { networkId: mine } = await createOrganiser(db, { name: 'Réseau' }, '2026-11-24T18:00:00.000Z')
    const { networkId: other } = await createOrganiser(db, { name: 'Autre réseau' }, '2026-11-24T18:00:00.000Z')
    for (let i = 0; i < 60; i++) {
      // distinct creation times: "the oldest first" has one answer
      const at = new Date(Date.UTC(2026, 0, 1, 0, 0, i)).toISOString()
      const fields = { kind: pick(kinds), name: pick(names), siren: pick(sirens), rna: pick(rnas) }
      await createOrganisation(db, i % 3 === 0 ? other : mine, fields, at)
    }
    const queries: OrganisationFields[] = []
    // and names and identifiers no organisation has
    const unknown = <T,>(known: readonly T[], extra: T) => [...known, extra, extra]
    for (let i = 0; i < 200; i++) {
      queries.push({ kind: pick(kinds), name: pick(unknown(names, 'Nouvelle Structure')), siren: pick(unknown(sirens, '499999999')), rna: pick(unknown(rnas, 'W679999999')) })
    }
    const keys = queries.map((q) => ({ siren: q.siren ?? null, rna: q.rna ?? null, nameKey: nameKey(q.name) }))
    const candidates = await findCandidateOrganisations(db, mine, keys)
    expect(candidates.every((o) => o.network_id === mine)).toBe(true)
    const matcher = new OrganisationMatcher(candidates)
    let matched = 0
    for (const q of queries) {
      const expected = await findMatchingOrganisation(db, mine, q)
      expect(matcher.match(q)?.id, JSON.stringify(q)).toBe(expected?.id)
      if (expected) matched++
    }
    // the cases exercise both outcomes
    expect(matched).toBeGreaterThan(40)
    expect(matched).toBeLessThan(200)
  })
})
