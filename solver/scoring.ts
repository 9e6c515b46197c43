/**
 * Compatibility of each association–company pair, with its reasons in words.
 *
 * A computed score adds up, with the weights of `instance.options.weights`
 * (defaults in DEFAULT_WEIGHTS):
 * - offerMeetsNeed for every resource code found in one side's offers and the
 *   other side's needs, counted in both directions;
 * - sharedTheme per shared theme, sharedTerritory per shared territory;
 * - proximity x (1 - distance / maxDistanceKm), full at 0 km, none from maxDistanceKm on;
 * - sizeFit for the same size band, half of it for adjacent bands (micro < petite < moyenne < grande);
 * - wishMust or wishLike for each side's wish to meet the other, plus mutualBonus
 *   when both sides wish it (a mutual wish counts most). A wish 'avoid' adds
 *   nothing and forbids the pair (forbiddenByWishes).
 * Scores are >= 0 and rounded to 2 decimals. Pure: labels come in options.labels.
 */
import { distanceKm } from './geo.ts'
import type { Instance, Pair, Participant, Profile, Weights, WishLevel } from './types.ts'

/** Every weight, none missing. */
export type ResolvedWeights = { [K in keyof Weights]-?: number }

export const DEFAULT_WEIGHTS: Readonly<ResolvedWeights> = Object.freeze({
  offerMeetsNeed: 3,
  sharedTheme: 2,
  sharedTerritory: 1,
  proximity: 2,
  maxDistanceKm: 30,
  sizeFit: 1,
  wishMust: 6,
  wishLike: 3,
  /** a mutual 'like' (3 + 3 + 5) outweighs a one-sided 'must' (6) */
  mutualBonus: 5,
})

/** Size bands of data/vocabularies/sectors.json, smallest first. */
export const SIZE_ORDER: readonly string[] = ['micro', 'petite', 'moyenne', 'grande']

export interface PairScores {
  /** score of the pair, >= 0 (0 for unknown ids) */
  score(association: string, company: string): number
  /**
   * Reasons in words, French by default (options.locale 'en' for English).
   * Without `viewer` they name both sides (for the organiser and the meeting list);
   * with `viewer` they speak to that side ("their offer meets your need: …").
   */
  reasons(association: string, company: string, viewer?: 'association' | 'company'): string[]
}

type Side = 'association' | 'company'

/** The words of every reason, in one language. `x`/`y` are names; `you` tells which of them is the reader. */
interface Phrases {
  mutualWish: string
  wish(level: WishLevel, who: string, whom: string, reader: 'subject' | 'object' | undefined): string
  offerMeetsNeed(offerer: string, needer: string, labels: string, reader: 'subject' | 'object' | undefined): string
  sharedThemes(labels: string, reader: boolean): string
  sharedTerritories(labels: string, reader: boolean): string
  distance(km: number): string
  sameSize(label: string): string
  closeSizes(label1: string, label2: string): string
}

const FRENCH: Phrases = {
  mutualWish: 'souhait mutuel de se rencontrer',
  wish(level, who, whom, reader) {
    if (reader === 'subject') {
      return { must: 'vous tenez à les rencontrer', like: 'vous aimeriez les rencontrer', avoid: 'vous ne souhaitez pas les rencontrer' }[level]
    }
    if (reader === 'object') {
      return { must: 'ils tiennent à vous rencontrer', like: 'ils aimeraient vous rencontrer', avoid: 'ils ne souhaitent pas vous rencontrer' }[level]
    }
    return { must: `${who} tient à rencontrer ${whom}`, like: `${who} aimerait rencontrer ${whom}`, avoid: `${who} ne souhaite pas rencontrer ${whom}` }[level]
  },
  offerMeetsNeed(offerer, needer, labels, reader) {
    if (reader === 'subject') return `votre offre répond à leur besoin : ${labels}`
    if (reader === 'object') return `leur offre répond à votre besoin : ${labels}`
    return `${offerer} propose ce dont ${needer} a besoin : ${labels}`
  },
  sharedThemes: (labels, reader) => (reader ? `vous travaillez tous deux sur : ${labels}` : `tous deux travaillent sur : ${labels}`),
  sharedTerritories: (labels, reader) =>
    reader ? `vous êtes tous deux actifs sur le territoire : ${labels}` : `tous deux actifs sur le territoire : ${labels}`,
  distance: (km) => (km < 1 ? "à moins d'1 km l'un de l'autre" : `à ${Math.round(km)} km l'un de l'autre`),
  sameSize: (label) => `même taille : ${label}`,
  closeSizes: (label1, label2) => `tailles proches : ${label1} et ${label2}`,
}

const ENGLISH: Phrases = {
  mutualWish: 'both wish to meet',
  wish(level, who, whom, reader) {
    if (reader === 'subject') {
      return { must: 'you are keen to meet them', like: 'you would like to meet them', avoid: 'you do not wish to meet them' }[level]
    }
    if (reader === 'object') {
      return { must: 'they are keen to meet you', like: 'they would like to meet you', avoid: 'they do not wish to meet you' }[level]
    }
    return { must: `${who} is keen to meet ${whom}`, like: `${who} would like to meet ${whom}`, avoid: `${who} does not wish to meet ${whom}` }[level]
  },
  offerMeetsNeed(offerer, needer, labels, reader) {
    if (reader === 'subject') return `your offer meets their need: ${labels}`
    if (reader === 'object') return `their offer meets your need: ${labels}`
    return `${offerer} offers what ${needer} needs: ${labels}`
  },
  sharedThemes: (labels, reader) => (reader ? `you both work on: ${labels}` : `both work on: ${labels}`),
  sharedTerritories: (labels, reader) => (reader ? `you are both active in: ${labels}` : `both active in: ${labels}`),
  distance: (km) => (km < 1 ? 'less than 1 km apart' : `${Math.round(km)} km apart`),
  sameSize: (label) => `same size: ${label}`,
  closeSizes: (label1, label2) => `similar sizes: ${label1} and ${label2}`,
}

function own<T>(record: Readonly<Record<string, T>> | undefined, key: string): T | undefined {
  return record !== undefined && Object.hasOwn(record, key) ? record[key] : undefined
}

/** A profile's code lists without repeats, and as sets, computed once per profile. */
interface Lists {
  offers: string[]
  needs: Set<string>
  themes: string[]
  themeSet: Set<string>
  territories: string[]
  territorySet: Set<string>
}
const EMPTY: Lists = { offers: [], needs: new Set(), themes: [], themeSet: new Set(), territories: [], territorySet: new Set() }
const listsCache = new WeakMap<Profile, Lists>()

function listsOf(profile: Profile | undefined): Lists {
  if (!profile) return EMPTY
  let lists = listsCache.get(profile)
  if (!lists) {
    const themes = [...new Set(profile.themes ?? [])]
    const territories = [...new Set(profile.territories ?? [])]
    lists = {
      offers: [...new Set(profile.offers ?? [])],
      needs: new Set(profile.needs ?? []),
      themes,
      themeSet: new Set(themes),
      territories,
      territorySet: new Set(territories),
    }
    listsCache.set(profile, lists)
  }
  return lists
}

const roundTo2 = (x: number): number => Math.round(x * 100) / 100

const isWishToMeet = (level: WishLevel | undefined): boolean => level === 'must' || level === 'like'

/** What the score of one pair is made of: the numbers and what the reasons need. */
interface Breakdown {
  total: number
  wishA: WishLevel | undefined
  wishC: WishLevel | undefined
  /** codes of A's offers that meet C's needs, and the other way */
  aMeetsC: string[]
  cMeetsA: string[]
  themes: string[]
  territories: string[]
  /** set when the proximity term is positive */
  km: number | undefined
  /** 1 same band, 0.5 adjacent bands, 0 otherwise */
  sizeFit: number
}

function breakdown(
  weights: ResolvedWeights,
  associationId: string,
  a: Profile | undefined,
  companyId: string,
  c: Profile | undefined,
): Breakdown {
  const wishA = own(a?.wishes, companyId)
  const wishC = own(c?.wishes, associationId)
  const la = listsOf(a)
  const lc = listsOf(c)
  const aMeetsC = la.offers.filter((code) => lc.needs.has(code))
  const cMeetsA = lc.offers.filter((code) => la.needs.has(code))
  const themes = la.themes.filter((code) => lc.themeSet.has(code))
  const territories = la.territories.filter((code) => lc.territorySet.has(code))

  let km: number | undefined
  let proximity = 0
  if (a?.latitude !== undefined && a.longitude !== undefined && c?.latitude !== undefined && c.longitude !== undefined) {
    const d = distanceKm(a.latitude, a.longitude, c.latitude, c.longitude)
    proximity = Math.max(0, 1 - d / weights.maxDistanceKm)
    if (proximity > 0) km = d
  }

  let sizeFit = 0
  const sizeA = a?.size === undefined ? -1 : SIZE_ORDER.indexOf(a.size)
  const sizeC = c?.size === undefined ? -1 : SIZE_ORDER.indexOf(c.size)
  if (sizeA >= 0 && sizeC >= 0) sizeFit = sizeA === sizeC ? 1 : Math.abs(sizeA - sizeC) === 1 ? 0.5 : 0

  const wishWeight = (level: WishLevel | undefined): number =>
    level === 'must' ? weights.wishMust : level === 'like' ? weights.wishLike : 0

  const total =
    weights.offerMeetsNeed * (aMeetsC.length + cMeetsA.length) +
    weights.sharedTheme * themes.length +
    weights.sharedTerritory * territories.length +
    weights.proximity * proximity +
    weights.sizeFit * sizeFit +
    wishWeight(wishA) +
    wishWeight(wishC) +
    (isWishToMeet(wishA) && isWishToMeet(wishC) ? weights.mutualBonus : 0)

  return { total: roundTo2(total), wishA, wishC, aMeetsC, cMeetsA, themes, territories, km, sizeFit }
}

function resolveWeights(instance: Instance): ResolvedWeights {
  const given = instance.options?.weights ?? {}
  const weights: ResolvedWeights = { ...DEFAULT_WEIGHTS }
  for (const key of Object.keys(DEFAULT_WEIGHTS) as (keyof Weights)[]) {
    const value = given[key]
    if (value !== undefined) weights[key] = value
  }
  return weights
}

/**
 * Scores and reasons of every pair of the instance. With `instance.scores`
 * those numbers are used as given (0 for a pair not listed) and there are no
 * computed reasons; otherwise they come from profiles and wishes. Scores are
 * computed once per pair, when first asked.
 */
export function scorePairs(instance: Instance): PairScores {
  const given = instance.scores
  const weights = resolveWeights(instance)
  const phrases = instance.options?.locale === 'en' ? ENGLISH : FRENCH
  const labels = instance.options?.labels
  const label = (code: string): string => own(labels, code) ?? code

  const associationIndex = new Map<string, number>()
  instance.associations.forEach((p, i) => associationIndex.has(p.id) || associationIndex.set(p.id, i))
  const companyIndex = new Map<string, number>()
  instance.companies.forEach((p, i) => companyIndex.has(p.id) || companyIndex.set(p.id, i))
  const profileOf = (participants: readonly Participant[], index: Map<string, number>, id: string): Profile | undefined => {
    const i = index.get(id)
    return i === undefined ? undefined : participants[i]?.profile
  }
  const nameOf = (profile: Profile | undefined, id: string): string => profile?.name ?? id

  const m = instance.companies.length
  const cache = new Float64Array(instance.associations.length * m).fill(Number.NaN)

  const details = (association: string, company: string): Breakdown =>
    breakdown(
      weights,
      association,
      profileOf(instance.associations, associationIndex, association),
      company,
      profileOf(instance.companies, companyIndex, company),
    )

  return {
    score(association, company) {
      if (given) return own(own(given, association), company) ?? 0
      const i = associationIndex.get(association)
      const j = companyIndex.get(company)
      if (i === undefined || j === undefined) return 0
      const k = i * m + j
      const cached = cache[k] ?? Number.NaN
      if (!Number.isNaN(cached)) return cached
      const value = details(association, company).total
      cache[k] = value
      return value
    },

    reasons(association, company, viewer) {
      if (given) return []
      const a = profileOf(instance.associations, associationIndex, association)
      const c = profileOf(instance.companies, companyIndex, company)
      const b = breakdown(weights, association, a, company, c)
      const nameA = nameOf(a, association)
      const nameC = nameOf(c, company)
      /** how the reader relates to the subject of a sentence about `subject` */
      const role = (subject: Side): 'subject' | 'object' | undefined =>
        viewer === undefined ? undefined : viewer === subject ? 'subject' : 'object'
      const list = (codes: string[]): string => codes.map(label).join(', ')
      const out: string[] = []

      const mutual = isWishToMeet(b.wishA) && isWishToMeet(b.wishC)
      if (mutual) out.push(phrases.mutualWish)
      else {
        if (b.wishA === 'must' || b.wishA === 'like') out.push(phrases.wish(b.wishA, nameA, nameC, role('association')))
        if (b.wishC === 'must' || b.wishC === 'like') out.push(phrases.wish(b.wishC, nameC, nameA, role('company')))
      }
      if (weights.offerMeetsNeed > 0) {
        if (b.cMeetsA.length > 0) out.push(phrases.offerMeetsNeed(nameC, nameA, list(b.cMeetsA), role('company')))
        if (b.aMeetsC.length > 0) out.push(phrases.offerMeetsNeed(nameA, nameC, list(b.aMeetsC), role('association')))
      }
      if (weights.sharedTheme > 0 && b.themes.length > 0) out.push(phrases.sharedThemes(list(b.themes), viewer !== undefined))
      if (weights.sharedTerritory > 0 && b.territories.length > 0) {
        out.push(phrases.sharedTerritories(list(b.territories), viewer !== undefined))
      }
      if (weights.proximity > 0 && b.km !== undefined) out.push(phrases.distance(b.km))
      if (weights.sizeFit > 0 && b.sizeFit > 0 && a?.size !== undefined && c?.size !== undefined) {
        out.push(b.sizeFit === 1 ? phrases.sameSize(label(a.size)) : phrases.closeSizes(label(a.size), label(c.size)))
      }
      // An 'avoid' adds nothing to the score but is worth saying: the pair is forbidden.
      if (b.wishA === 'avoid') out.push(phrases.wish('avoid', nameA, nameC, role('association')))
      if (b.wishC === 'avoid') out.push(phrases.wish('avoid', nameC, nameA, role('company')))
      return out
    },
  }
}

/**
 * Pairs that a wish 'avoid' of either side forbids, associations in instance
 * order then companies in instance order, without repeats. Wishes about ids
 * that are not on the other side are ignored.
 */
export function forbiddenByWishes(instance: Instance): Pair[] {
  const associations = new Set(instance.associations.map((p) => p.id))
  const companies = new Set(instance.companies.map((p) => p.id))
  const avoided = new Set<string>()
  const key = (a: string, c: string): string => JSON.stringify([a, c])
  for (const a of instance.associations) {
    for (const [c, level] of Object.entries(a.profile?.wishes ?? {})) {
      if (level === 'avoid' && companies.has(c)) avoided.add(key(a.id, c))
    }
  }
  for (const c of instance.companies) {
    for (const [a, level] of Object.entries(c.profile?.wishes ?? {})) {
      if (level === 'avoid' && associations.has(a)) avoided.add(key(a, c.id))
    }
  }
  const out: Pair[] = []
  const seen = new Set<string>()
  for (const a of instance.associations) {
    for (const c of instance.companies) {
      const k = key(a.id, c.id)
      if (avoided.has(k) && !seen.has(k)) {
        seen.add(k)
        out.push([a.id, c.id])
      }
    }
  }
  return out
}
