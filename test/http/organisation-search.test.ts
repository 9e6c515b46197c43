/** Organisation search ignores case, accents and punctuation, on the name and the town, on both dialects. */
import { describe, expect } from 'vitest'
import { apiTest, type Api } from '../helpers/api.ts'
import { dialects } from '../helpers/db.ts'

async function register(api: Api, eventId: string, kind: 'association' | 'company', name: string, town: string) {
  const r = await api.call('POST', `/api/events/${eventId}/participants`, { token: api.org, json: { organisation: { kind, name, town }, personName: 'Camille' } })
  expect(r.status, JSON.stringify(r.body)).toBe(201)
}

describe.each(dialects)('organisation search on %s', (dialect) => {
  const test = apiTest(dialect)

  test('« selestat » finds Sélestat, « équilibre » finds Equilibre, whatever the case, accents and apostrophes', async ({ api }) => {
    const event = await api.call('POST', '/api/events', {
      token: api.org,
      json: { title: 'Forum', date: '2027-01-14', rounds: 4, meetingMinutes: 7, transitionMinutes: 1, breaks: [], seatedSide: 'company' },
    })
    const eventId = event.body.event.id
    await register(api, eventId, 'association', 'Equilibre Handisport', 'Sélestat')
    await register(api, eventId, 'association', 'Épicerie solidaire', 'Colmar')
    await register(api, eventId, 'company', 'Énergies de l’Ill', 'Strasbourg')
    await register(api, eventId, 'company', 'Brasserie Meteor', 'Hochfelden')
    const search = async (q: string) =>
      ((await api.call('GET', `/api/organisations?q=${encodeURIComponent(q)}`, { token: api.org })).body.organisations as { name: string }[]).map((o) => o.name)
    expect(await search('selestat')).toEqual(['Equilibre Handisport'])
    expect(await search('SÉLESTAT')).toEqual(['Equilibre Handisport'])
    expect(await search('équilibre')).toEqual(['Equilibre Handisport'])
    expect(await search('handi-sport')).toEqual(['Equilibre Handisport'])
    expect(await search('handisport selestat')).toEqual(['Equilibre Handisport'])
    expect(await search("energies de l'ill")).toEqual(['Énergies de l’Ill'])
    expect(await search('EPICERIE')).toEqual(['Épicerie solidaire'])
    expect(await search('colmar')).toEqual(['Épicerie solidaire'])
    expect(await search('zzz')).toEqual([])
    expect((await search('')).length).toBe(4)
    // another network's directory is never searched
    const other = await api.call('GET', '/api/organisations?q=selestat', { token: api.org2 })
    expect(other.body.organisations).toEqual([])
  })
})
