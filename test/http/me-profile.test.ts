import { describe, expect } from 'vitest'
import { apiTest } from '../helpers/api.ts'
import { smallEvent } from '../helpers/builders.ts'
import { dialects } from '../helpers/db.ts'

describe.each(dialects)('the participant profile (/api/me/profile) on %s', (dialect) => {
  const test = apiTest(dialect)

  test('a participant reads and changes its profile before the event', async ({ api }) => {
    const { associations } = await smallEvent(api)
    const me = associations[0]!
    const read = await api.call('GET', '/api/me/profile', { token: me.token })
    expect(read.status).toBe(200)
    expect(read.body.profile).toMatchObject({
      organisation: { id: me.organisationId, kind: 'association', name: 'Les Jardins de la Montagne Verte', offers: ['visibilite'] },
      personName: 'Personne Les Jardins de la Montagne Verte',
      editable: true,
    })
    const patch = await api.call('PATCH', '/api/me/profile', {
      token: me.token,
      json: {
        description: 'Jardins partagés au pied des tours',
        themes: ['insertion-jeunes', 'environnement'],
        needs: ['competences-numerique', 'financement-projet'],
        town: 'Strasbourg',
        postcode: '67100',
        contactEmail: 'contact@jardins.example',
        personName: 'Aïcha Benali',
        personEmail: 'aicha@jardins.example',
      },
    })
    expect(patch.status).toBe(200)
    expect(patch.body.profile.organisation).toMatchObject({
      description: 'Jardins partagés au pied des tours',
      themes: ['insertion-jeunes', 'environnement'],
      offers: ['visibilite'],
      postcode: '67100',
      contactEmail: 'contact@jardins.example',
    })
    expect(patch.body.profile).toMatchObject({ personName: 'Aïcha Benali', personEmail: 'aicha@jardins.example' })
    // the organiser sees the same organisation and person
    const org = await api.call('GET', `/api/organisations/${me.organisationId}`, { token: api.org })
    expect(org.body.organisation.needs).toEqual(['competences-numerique', 'financement-projet'])
    const again = await api.call('GET', '/api/me', { token: me.token })
    expect(again.body.participant.personName).toBe('Aïcha Benali')
  })

  test('a code outside the vocabularies is refused, naming the field', async ({ api }) => {
    const { associations } = await smallEvent(api)
    const me = associations[0]!
    const r = await api.call('PATCH', '/api/me/profile', { token: me.token, json: { themes: ['environnement', 'astrologie'], postcode: '67' } })
    expect(r.status).toBe(422)
    expect(r.body.error.code).toBe('validation_failed')
    const paths = r.body.error.issues.map((i: { path: string }) => i.path)
    expect(paths).toContain('themes.1')
    expect(paths).toContain('postcode')
    const unchanged = await api.call('GET', '/api/me/profile', { token: me.token })
    expect(unchanged.body.profile.organisation.themes).toEqual(['insertion-jeunes'])
  })

  test('kind, name and SIREN/RNA are not the participant’s to change', async ({ api }) => {
    const { companies } = await smallEvent(api)
    const me = companies[0]!
    for (const json of [{ name: 'Autre nom' }, { kind: 'association' }, { siren: '123456789' }, { rna: 'W123456789' }]) {
      const r = await api.call('PATCH', '/api/me/profile', { token: me.token, json: { ...json, town: 'Colmar' } })
      expect(r.status).toBe(422)
      expect(JSON.stringify(r.body.error.issues)).toContain(Object.keys(json)[0]!)
    }
    const profile = (await api.call('GET', '/api/me/profile', { token: me.token })).body.profile
    expect(profile.organisation).toMatchObject({ kind: 'company', name: 'Numérique Rhénan SAS', town: null })
  })

  test('a participant changes only its own profile', async ({ api }) => {
    const { associations } = await smallEvent(api)
    const [me, other] = [associations[0]!, associations[1]!]
    await api.call('PATCH', '/api/me/profile', { token: me.token, json: { description: 'la mienne' } })
    const theirs = (await api.call('GET', '/api/me/profile', { token: other.token })).body.profile
    expect(theirs.organisation.id).toBe(other.organisationId)
    expect(theirs.organisation.description).toBeNull()
    // no way to name another organisation or registration in the body
    const aimed = await api.call('PATCH', '/api/me/profile', { token: me.token, json: { organisationId: other.organisationId, description: 'piratée' } })
    expect(aimed.status).toBe(422)
    expect((await api.call('GET', '/api/me/profile', { token: other.token })).body.profile.organisation.description).toBeNull()
    expect((await api.call('PATCH', '/api/me/profile', { token: api.org, json: { description: 'x' } })).status).toBe(403)
    expect((await api.call('PATCH', '/api/me/profile', { json: { description: 'x' } })).status).toBe(401)
  })

  test('the profile is read-only once the event is live', async ({ api }) => {
    const { eventId, associations } = await smallEvent(api)
    const me = associations[0]!
    await api.call('POST', `/api/events/${eventId}/schedule?publish=1`, { token: api.org })
    await api.call('POST', `/api/events/${eventId}/status`, { token: api.org, json: { status: 'live' } })
    const r = await api.call('PATCH', '/api/me/profile', { token: me.token, json: { description: 'trop tard' } })
    expect(r.status).toBe(409)
    expect(r.body.error.code).toBe('event_closed')
    const read = await api.call('GET', '/api/me/profile', { token: me.token })
    expect(read.body.profile).toMatchObject({ editable: false, organisation: { description: null } })
  })
})
