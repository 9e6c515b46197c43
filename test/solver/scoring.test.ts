import { describe, expect, test } from 'vitest'
import { distanceKm } from '../../solver/geo.ts'
import { DEFAULT_WEIGHTS, forbiddenByWishes, scorePairs } from '../../solver/scoring.ts'
import type { Instance, Participant, Profile } from '../../solver/types.ts'
import { randomInstance } from '../helpers/random-instance.ts'

const labels = {
  'competences-numerique': 'compétences numériques',
  locaux: 'prêt de locaux',
  visibilite: 'visibilité',
  'emploi-jeunes': 'Emploi des jeunes',
  qpv: 'Quartiers prioritaires',
  petite: '10 à 49 salariés',
  moyenne: '50 à 249 salariés',
}

const restos: Profile = {
  name: 'Restos',
  offers: ['visibilite', 'missions-benevolat'],
  needs: ['competences-numerique', 'locaux'],
  themes: ['emploi-jeunes', 'handicap'],
  territories: ['qpv'],
  latitude: 48.5734,
  longitude: 7.7521,
  size: 'petite',
  wishes: { acme: 'like' },
}
const acme: Profile = {
  name: 'Acme',
  offers: ['competences-numerique', 'locaux', 'dons-materiel'],
  needs: ['visibilite'],
  themes: ['emploi-jeunes'],
  territories: ['qpv', 'rural'],
  latitude: 48.6,
  longitude: 7.75,
  size: 'moyenne',
  wishes: { restos: 'must' },
}

function instance(associations: Participant[], companies: Participant[], extra: Partial<Instance> = {}): Instance {
  return { rounds: 3, associations, companies, ...extra }
}

describe('distanceKm', () => {
  test('Strasbourg centre to Schiltigheim is about 3 km; Paris–Strasbourg about 397 km', () => {
    expect(distanceKm(48.5734, 7.7521, 48.6, 7.75)).toBeCloseTo(2.962, 2)
    expect(distanceKm(48.8566, 2.3522, 48.5734, 7.7521)).toBeGreaterThan(395)
    expect(distanceKm(48.8566, 2.3522, 48.5734, 7.7521)).toBeLessThan(400)
    expect(distanceKm(10, 20, 10, 20)).toBe(0)
  })
})

describe('scorePairs', () => {
  const both = instance([{ id: 'restos', profile: restos }], [{ id: 'acme', profile: acme }], { options: { labels } })

  test('hand-computed score with every criterion', () => {
    // offers meet needs: acme -> restos 2 codes, restos -> acme 1 code: 3 x 3 = 9
    // shared theme 2, shared territory 1, proximity 2 x (1 - 2.9618 / 30) = 1.8025
    // sizes petite/moyenne adjacent: 0.5; wishes like 3 + must 6 + mutual 5 = 14
    expect(scorePairs(both).score('restos', 'acme')).toBe(28.3)
  })

  test('reasons in French, naming both sides, with labels', () => {
    expect(scorePairs(both).reasons('restos', 'acme')).toEqual([
      'souhait mutuel de se rencontrer',
      'Acme propose ce dont Restos a besoin : compétences numériques, prêt de locaux',
      'Restos propose ce dont Acme a besoin : visibilité',
      'tous deux travaillent sur : Emploi des jeunes',
      'tous deux actifs sur le territoire : Quartiers prioritaires',
      "à 3 km l'un de l'autre",
      'tailles proches : 10 à 49 salariés et 50 à 249 salariés',
    ])
  })

  test('reasons spoken to one side ("leur offre répond à votre besoin")', () => {
    const toRestos = scorePairs(both).reasons('restos', 'acme', 'association')
    expect(toRestos).toContain('leur offre répond à votre besoin : compétences numériques, prêt de locaux')
    expect(toRestos).toContain('votre offre répond à leur besoin : visibilité')
    expect(toRestos).toContain('vous travaillez tous deux sur : Emploi des jeunes')
    const toAcme = scorePairs(both).reasons('restos', 'acme', 'company')
    expect(toAcme).toContain('votre offre répond à leur besoin : compétences numériques, prêt de locaux')
    expect(toAcme).toContain('leur offre répond à votre besoin : visibilité')
  })

  test('reasons in English, codes when no label is given', () => {
    const english = scorePairs({ ...both, options: { locale: 'en' } })
    expect(english.reasons('restos', 'acme')).toEqual([
      'both wish to meet',
      'Acme offers what Restos needs: competences-numerique, locaux',
      'Restos offers what Acme needs: visibilite',
      'both work on: emploi-jeunes',
      'both active in: qpv',
      '3 km apart',
      'similar sizes: petite and moyenne',
    ])
    expect(english.reasons('restos', 'acme', 'association')).toContain('their offer meets your need: competences-numerique, locaux')
  })

  test('offer/need counts the same in both directions', () => {
    const aNeeds = instance([{ id: 'a', profile: { needs: ['locaux'] } }], [{ id: 'c', profile: { offers: ['locaux'] } }])
    const cNeeds = instance([{ id: 'a', profile: { offers: ['locaux'] } }], [{ id: 'c', profile: { needs: ['locaux'] } }])
    expect(scorePairs(aNeeds).score('a', 'c')).toBe(DEFAULT_WEIGHTS.offerMeetsNeed)
    expect(scorePairs(cNeeds).score('a', 'c')).toBe(DEFAULT_WEIGHTS.offerMeetsNeed)
    // a code offered by both and needed by nobody is no match
    const noNeed = instance([{ id: 'a', profile: { offers: ['locaux'] } }], [{ id: 'c', profile: { offers: ['locaux'] } }])
    expect(scorePairs(noNeed).score('a', 'c')).toBe(0)
  })

  test('a mutual wish counts more than two one-sided wishes of the same level', () => {
    const x = instance(
      [
        { id: 'a1', profile: { wishes: { c1: 'like' } } },
        { id: 'a2', profile: { wishes: { c2: 'like' } } },
        { id: 'a3', profile: {} },
      ],
      [
        { id: 'c1', profile: { wishes: { a1: 'like' } } },
        { id: 'c2', profile: {} },
        { id: 'c3', profile: { wishes: { a3: 'must' } } },
      ],
    )
    const s = scorePairs(x)
    expect(s.score('a1', 'c1')).toBe(2 * DEFAULT_WEIGHTS.wishLike + DEFAULT_WEIGHTS.mutualBonus)
    expect(s.score('a2', 'c2')).toBe(DEFAULT_WEIGHTS.wishLike)
    expect(s.score('a3', 'c3')).toBe(DEFAULT_WEIGHTS.wishMust)
    expect(s.score('a1', 'c1')).toBeGreaterThan(s.score('a3', 'c3'))
    expect(s.reasons('a1', 'c1')).toEqual(['souhait mutuel de se rencontrer'])
    expect(s.reasons('a3', 'c3')).toEqual(['c3 tient à rencontrer a3'])
    expect(s.reasons('a2', 'c2', 'company')).toEqual(['ils aimeraient vous rencontrer'])
  })

  test('proximity: full at 0 km, none beyond maxDistanceKm, linear between', () => {
    const here = { latitude: 45, longitude: 5 }
    const x = (lat: number, maxDistanceKm?: number) =>
      scorePairs(
        instance([{ id: 'a', profile: here }], [{ id: 'c', profile: { latitude: lat, longitude: 5 } }], {
          options: { weights: maxDistanceKm === undefined ? { proximity: 10 } : { proximity: 10, maxDistanceKm } },
        }),
      )
    expect(x(45).score('a', 'c')).toBe(10)
    expect(x(45).reasons('a', 'c')).toEqual(["à moins d'1 km l'un de l'autre"])
    // 1 degree of latitude is about 111 km
    expect(x(46).score('a', 'c')).toBe(0)
    expect(x(46).reasons('a', 'c')).toEqual([])
    expect(x(46, 222).score('a', 'c')).toBeCloseTo(5, 1)
  })

  test('size fit: same band full weight, adjacent half, further none, unknown codes none', () => {
    const s = (sa: string, sc: string) =>
      scorePairs(instance([{ id: 'a', profile: { size: sa } }], [{ id: 'c', profile: { size: sc } }])).score('a', 'c')
    expect(s('micro', 'micro')).toBe(DEFAULT_WEIGHTS.sizeFit)
    expect(s('micro', 'petite')).toBe(DEFAULT_WEIGHTS.sizeFit / 2)
    expect(s('micro', 'grande')).toBe(0)
    expect(s('micro', 'géante')).toBe(0)
  })

  test('weights are options; a zero weight removes the criterion and its reason', () => {
    const x = { ...both, options: { labels, weights: { sharedTheme: 10, proximity: 0 } } }
    const s = scorePairs(x)
    // 9 offers/needs + 10 theme + 1 territory + 0 proximity + 0.5 size + 14 wishes
    expect(s.score('restos', 'acme')).toBe(34.5)
    expect(s.reasons('restos', 'acme').some((r) => r.includes('km'))).toBe(false)
  })

  test('scores are >= 0, rounded to 2 decimals, 0 for unknown ids', () => {
    const x = instance([{ id: 'a', profile: { latitude: 45, longitude: 5 } }], [{ id: 'c', profile: { latitude: 45.1, longitude: 5.1 } }], {
      options: { weights: { proximity: 1, maxDistanceKm: 100 } },
    })
    const v = scorePairs(x).score('a', 'c')
    expect(v).toBeGreaterThan(0)
    expect(Math.round(v * 100) / 100).toBe(v)
    expect(scorePairs(x).score('a', 'nobody')).toBe(0)
    expect(scorePairs(x).reasons('nobody', 'c')).toEqual([])
  })

  test('given scores override profiles, a pair not listed scores 0, no computed reasons', () => {
    const x = { ...both, scores: { restos: { acme: 4.5 } } }
    x.associations = [...both.associations, { id: 'other' }]
    const s = scorePairs(x)
    expect(s.score('restos', 'acme')).toBe(4.5)
    expect(s.score('other', 'acme')).toBe(0)
    expect(s.reasons('restos', 'acme')).toEqual([])
  })

  test('ids that look like Object.prototype keys are plain ids', () => {
    const x = instance([{ id: 'constructor' }], [{ id: 'toString' }], { scores: { constructor: {} } })
    expect(scorePairs(x).score('constructor', 'toString')).toBe(0)
  })
})

describe('scorePairs on random profiles', () => {
  test.for([1, 2, 3, 4, 5])('seed %i: scores >= 0 with 2 decimals, every positive score has reasons, in both languages', (seed) => {
    const instance = randomInstance(seed, { associations: [6, 8], companies: [6, 8], scores: 'profiles' })
    const fr = scorePairs(instance)
    const en = scorePairs({ ...instance, options: { locale: 'en' } })
    let positive = 0
    for (const a of instance.associations) {
      for (const c of instance.companies) {
        const score = fr.score(a.id, c.id)
        expect(score).toBeGreaterThanOrEqual(0)
        expect(Math.round(score * 100) / 100).toBe(score)
        expect(en.score(a.id, c.id)).toBe(score)
        if (score > 0) {
          positive++
          expect(fr.reasons(a.id, c.id).length, `${a.id}-${c.id}`).toBeGreaterThan(0)
          expect(en.reasons(a.id, c.id)).toHaveLength(fr.reasons(a.id, c.id).length)
          expect(fr.reasons(a.id, c.id, 'company')).toHaveLength(fr.reasons(a.id, c.id).length)
        }
      }
    }
    expect(positive).toBeGreaterThan(0)
  })
})

describe('forbiddenByWishes', () => {
  test("a wish 'avoid' from either side forbids the pair, once, in instance order", () => {
    const x = instance(
      [
        { id: 'a1', profile: { wishes: { c2: 'avoid', c1: 'like', ghost: 'avoid' } } },
        { id: 'a2', profile: { wishes: { c1: 'avoid' } } },
      ],
      [
        { id: 'c1', profile: { wishes: { a2: 'avoid' } } },
        { id: 'c2', profile: { wishes: { a1: 'avoid' } } },
        { id: 'c3', profile: { wishes: { a1: 'avoid' } } },
      ],
    )
    expect(forbiddenByWishes(x)).toEqual([
      ['a1', 'c2'],
      ['a1', 'c3'],
      ['a2', 'c1'],
    ])
  })

  test('avoid adds nothing to the score and is said in the reasons', () => {
    const x = instance([{ id: 'a', profile: { wishes: { c: 'avoid' } } }], [{ id: 'c', profile: { wishes: { a: 'must' } } }])
    const s = scorePairs(x)
    expect(s.score('a', 'c')).toBe(DEFAULT_WEIGHTS.wishMust)
    expect(s.reasons('a', 'c')).toEqual(['c tient à rencontrer a', 'a ne souhaite pas rencontrer c'])
    expect(s.reasons('a', 'c', 'association')).toContain('vous ne souhaitez pas les rencontrer')
  })
})
