import { describe, expect, test } from 'vitest'
import { proposeFollowUps } from '../../solver/proposals.ts'
import type { FollowUpInput, FollowUpRating } from '../../solver/types.ts'
import { int, rng } from '../helpers/random-instance.ts'

const rate = (association: string, company: string, a: [number, boolean], c: [number, boolean]): FollowUpRating[] => [
  { association, company, side: 'association', interest: a[0], followUp: a[1] },
  { association, company, side: 'company', interest: c[0], followUp: c[1] },
]

describe('proposeFollowUps', () => {
  test('one-sided interest is never proposed, nor a pair that did not meet, nor one rated by one side only', () => {
    const input: FollowUpInput = {
      meetings: [
        { association: 'a1', company: 'c1' },
        { association: 'a2', company: 'c2' },
        { association: 'a3', company: 'c3' },
      ],
      ratings: [
        ...rate('a1', 'c1', [5, true], [5, false]),
        ...rate('a2', 'c2', [3, true], [2, true]),
        { association: 'a3', company: 'c3', side: 'association', interest: 5, followUp: true },
        ...rate('a4', 'c4', [5, true], [5, true]),
      ],
    }
    const { proposals } = proposeFollowUps(input)
    expect(proposals.map((p) => [p.association, p.company])).toEqual([['a2', 'c2']])
    expect(proposals[0]?.mutualInterest).toBe(5)
  })

  test("a side's last rating counts", () => {
    const input: FollowUpInput = {
      meetings: [{ association: 'a1', company: 'c1' }],
      ratings: [...rate('a1', 'c1', [5, true], [5, true]), { association: 'a1', company: 'c1', side: 'company', interest: 1, followUp: false }],
    }
    expect(proposeFollowUps(input).proposals).toEqual([])
  })

  test('capacity is respected and the best pairs are kept', () => {
    // c1 is wanted by three associations but can take on two follow-ups
    const input: FollowUpInput = {
      meetings: [
        { association: 'a1', company: 'c1' },
        { association: 'a2', company: 'c1' },
        { association: 'a3', company: 'c1' },
        { association: 'a3', company: 'c2' },
      ],
      ratings: [
        ...rate('a1', 'c1', [5, true], [5, true]),
        ...rate('a2', 'c1', [4, true], [4, true]),
        ...rate('a3', 'c1', [5, true], [4, true]),
        ...rate('a3', 'c2', [2, true], [2, true]),
      ],
      capacity: { default: 3, byId: { c1: 2, a3: 1 } },
    }
    const { proposals } = proposeFollowUps(input)
    // a3 can take one: taking (a3, c1) 9 forces c1 to drop a2 (8): 10 + 9 + 0 ... vs 10 + 8 + 4 (a3, c2): the latter wins
    expect(proposals.map((p) => `${p.association}-${p.company}:${p.mutualInterest}`)).toEqual(['a1-c1:10', 'a2-c1:8', 'a3-c2:4'])
    expect(proposals.map((p) => p.rank)).toEqual([1, 2, 3])
  })

  test('capacity 0 takes an organisation out', () => {
    const input: FollowUpInput = {
      meetings: [{ association: 'a1', company: 'c1' }],
      ratings: rate('a1', 'c1', [5, true], [5, true]),
      capacity: { byId: { a1: 0 } },
    }
    expect(proposeFollowUps(input).proposals).toEqual([])
  })

  test('ranked by mutual interest, then score; the lower-rating side calls, the association on a tie; reasons in French then English', () => {
    const input: FollowUpInput = {
      meetings: [
        { association: 'a1', company: 'c1', score: 3, reasons: ['tous deux travaillent sur : Handicap'] },
        { association: 'a2', company: 'c2', score: 9 },
        { association: 'a3', company: 'c3', score: 1 },
      ],
      ratings: [...rate('a1', 'c1', [4, true], [4, true]), ...rate('a2', 'c2', [5, true], [3, true]), ...rate('a3', 'c3', [2, true], [5, true])],
    }
    const { proposals } = proposeFollowUps(input)
    expect(proposals.map((p) => [p.rank, p.association, p.caller])).toEqual([
      [1, 'a2', 'company'],
      [2, 'a1', 'association'],
      [3, 'a3', 'association'],
    ])
    expect(proposals[1]?.reasons).toEqual([
      'tous deux souhaitent donner suite',
      'intérêt déclaré : 4/5 pour a1, 4/5 pour c1',
      'a1 prend contact en premier',
      'tous deux travaillent sur : Handicap',
    ])
    const english = proposeFollowUps({ ...input, locale: 'en' }).proposals
    expect(english[0]?.reasons.slice(0, 3)).toEqual(['both want a follow-up', 'interest stated: 5/5 for a2, 3/5 for c2', 'c2 makes the first call'])
  })

  test('optimal against brute force on small random cases', () => {
    for (let seed = 1; seed <= 60; seed++) {
      const random = rng(seed)
      const nA = int(random, 2, 4)
      const nC = int(random, 2, 4)
      const input: FollowUpInput = { meetings: [], ratings: [], capacity: { default: int(random, 1, 2), byId: {} } }
      for (let a = 1; a <= nA; a++) {
        if (random() < 0.4) input.capacity!.byId![`a${a}`] = int(random, 0, 3)
        for (let c = 1; c <= nC; c++) {
          if (random() < 0.3) continue
          input.meetings.push({ association: `a${a}`, company: `c${c}`, score: int(random, 0, 10) })
          input.ratings.push(...rate(`a${a}`, `c${c}`, [int(random, 1, 5), random() < 0.8], [int(random, 1, 5), random() < 0.8]))
        }
      }
      for (let c = 1; c <= nC; c++) if (random() < 0.4) input.capacity!.byId![`c${c}`] = int(random, 0, 3)

      const got = proposeFollowUps(input).proposals
      const capacity = (id: string) => input.capacity?.byId?.[id] ?? input.capacity?.default ?? 3
      const load = new Map<string, number>()
      for (const p of got) for (const id of [p.association, p.company]) load.set(id, (load.get(id) ?? 0) + 1)
      for (const [id, n] of load) expect(n, `seed ${seed}: ${id}`).toBeLessThanOrEqual(capacity(id))

      // brute force over every subset of eligible pairs
      const eligible = input.meetings.flatMap((m) => {
        const ra = input.ratings.find((r) => r.association === m.association && r.company === m.company && r.side === 'association')
        const rc = input.ratings.find((r) => r.association === m.association && r.company === m.company && r.side === 'company')
        return ra?.followUp && rc?.followUp ? [{ ...m, interest: ra.interest + rc.interest, score: m.score ?? 0 }] : []
      })
      let best = [-1, -1]
      for (let mask = 0; mask < 1 << eligible.length; mask++) {
        const used = new Map<string, number>()
        let ok = true
        let interest = 0
        let score = 0
        eligible.forEach((e, i) => {
          if (!(mask & (1 << i))) return
          for (const id of [e.association, e.company]) {
            used.set(id, (used.get(id) ?? 0) + 1)
            if ((used.get(id) ?? 0) > capacity(id)) ok = false
          }
          interest += e.interest
          score += e.score
        })
        if (ok && (interest > best[0]! || (interest === best[0] && score > best[1]!))) best = [interest, score]
      }
      const interest = got.reduce((s, p) => s + p.mutualInterest, 0)
      const score = got.reduce((s, p) => s + (eligible.find((e) => e.association === p.association && e.company === p.company)?.score ?? 0), 0)
      expect([interest, score], `seed ${seed}`).toEqual(best)
      // ranking: mutual interest never increases down the list
      for (let i = 1; i < got.length; i++) expect(got[i]!.mutualInterest).toBeLessThanOrEqual(got[i - 1]!.mutualInterest)
    }
  })

  test('missed connections: highest scores that did not meet, not forbidden, with reasons, up to the limit', () => {
    const input: FollowUpInput = {
      meetings: [{ association: 'a1', company: 'c1' }],
      ratings: [],
      scores: { a1: { c1: 20, c2: 15, c3: 0 }, a2: { c1: 12, c2: 18, c3: 15 } },
      reasons: { a2: { c2: ['souhait mutuel de se rencontrer'] } },
      forbidden: [['a2', 'c2']],
      missedLimit: 2,
    }
    const { missed } = proposeFollowUps(input)
    expect(missed).toEqual([
      { association: 'a1', company: 'c2', score: 15, reasons: ['compatibilité 15 : ils ne se sont pas rencontrés'] },
      { association: 'a2', company: 'c3', score: 15, reasons: ['compatibilité 15 : ils ne se sont pas rencontrés'] },
    ])
    const all = proposeFollowUps({ ...input, forbidden: [], missedLimit: 10, locale: 'en' }).missed
    expect(all.map((m) => `${m.association}-${m.company}`)).toEqual(['a2-c2', 'a1-c2', 'a2-c3', 'a2-c1'])
    expect(all[0]?.reasons).toEqual(['compatibility 18: they did not meet', 'souhait mutuel de se rencontrer'])
    expect(proposeFollowUps({ ...input, missedLimit: 0 }).missed).toEqual([])
  })
})
