/**
 * The trial and weights panel (src/web/organiser/trial.tsx), mounted on its
 * own beside the app as the integrator will mount it: forms write through
 * the API, refusals are shown in words, another network's event is not found.
 */
import { Hono } from 'hono'
import { describe, expect } from 'vitest'
import { trialPages } from '../../src/web/organiser/trial.tsx'
import { apiTest, type Api } from '../helpers/api.ts'
import { smallEvent } from '../helpers/builders.ts'

function web(api: Api) {
  const pages = new Hono().route('/', trialPages({ db: api.db, clock: () => new Date('2026-11-24T18:00:00Z'), api: api.app }))
  return async (method: 'GET' | 'POST', path: string, options: { token?: string; form?: Record<string, string | string[]> } = {}) => {
    const headers: Record<string, string> = {}
    if (options.token) headers.cookie = `org_token=${options.token}`
    let body: string | undefined
    if (options.form) {
      const params = new URLSearchParams()
      for (const [k, v] of Object.entries(options.form)) for (const x of Array.isArray(v) ? v : [v]) params.append(k, x)
      body = params.toString()
      headers['content-type'] = 'application/x-www-form-urlencoded'
    }
    const res = await pages.request(path, { method, headers, ...(body !== undefined ? { body } : {}), redirect: 'manual' })
    return { status: res.status, text: await res.text(), location: res.headers.get('location') }
  }
}

describe('trial and weights panel', () => {
  const test = apiTest('sqlite')

  test('set a trial up, see the draw, adopt weights by hand with decimal commas, go back to the defaults', async ({ api }) => {
    const { eventId } = await smallEvent(api)
    const call = web(api)
    const empty = await call('GET', `/evenements/${eventId}/essai`, { token: api.org })
    expect(empty.status).toBe(200)
    expect(empty.text).toContain('Cet événement n’est pas un essai.')
    expect(empty.text).toContain('Pas encore de poids appris')

    const put = await call('POST', `/evenements/${eventId}/essai`, { token: api.org, form: { arms: ['engine', 'engine-no-wishes'], assignment: 'participant-block', seed: 'essai-2027' } })
    expect(put.status).toBe(303)
    expect(put.location).toBe(`/evenements/${eventId}/essai?ok=trial`)
    const shown = await call('GET', put.location!, { token: api.org })
    expect(shown.text).toContain('Essai enregistré.')
    expect(shown.text).toContain('graine «\u00a0essai-2027\u00a0»')
    expect(shown.text).toContain('Tirage si le planning était calculé maintenant')
    expect(shown.text).toContain('Les Jardins de la Montagne Verte')

    const weights = await call('POST', `/evenements/${eventId}/poids`, { token: api.org, form: { source: 'manual', offerMeetsNeed: '4,5', wishMust: '8' } })
    expect(weights.status).toBe(303)
    const after = await api.call('GET', `/api/events/${eventId}/weights`, { token: api.org })
    expect(after.body).toMatchObject({ source: 'manual', weights: { offerMeetsNeed: 4.5, wishMust: 8 } })
    const page = await call('GET', `/evenements/${eventId}/essai?ok=weights`, { token: api.org })
    expect(page.text).toContain(`data-weights-version="${after.body.version}"`)
    expect(page.text).toContain('value="4,5"')

    const refused = await call('POST', `/evenements/${eventId}/poids`, { token: api.org, form: { source: 'manual', sizeFit: 'beaucoup' } })
    expect(refused.status).toBe(422)
    expect(refused.text).toContain('Le service a répondu')

    expect((await call('POST', `/evenements/${eventId}/poids`, { token: api.org, form: { source: 'default' } })).status).toBe(303)
    expect((await api.call('GET', `/api/events/${eventId}/weights`, { token: api.org })).body.version).toBe('default')

    // once a version is published the trial is locked: the refusal is said in words
    await api.call('POST', `/api/events/${eventId}/schedule?publish=1`, { token: api.org })
    const locked = await call('POST', `/evenements/${eventId}/essai/retirer`, { token: api.org })
    expect(locked.status).toBe(409)
    expect(locked.text).toContain('l’essai ne peut plus changer')
    expect(locked.text).toContain('Tirage de la version 1 publiée')
  })

  test('signed out: to the login page; another network’s event: not found', async ({ api }) => {
    const { eventId } = await smallEvent(api)
    const call = web(api)
    const out = await call('POST', `/evenements/${eventId}/essai`, { form: { arms: 'engine', assignment: 'event' } })
    expect(out.status).toBe(303)
    expect(out.location).toMatch(/^\/connexion\?next=/)
    expect((await call('GET', `/evenements/${eventId}/essai`, { token: api.org2 })).status).toBe(404)
    expect((await call('POST', `/evenements/${eventId}/essai`, { token: api.org2, form: { arms: 'engine', assignment: 'event' } })).status).toBe(404)
    expect((await call('POST', `/evenements/${eventId}/poids`, { token: api.org2, form: { source: 'default' } })).status).toBe(404)
    expect((await api.call('GET', `/api/events/${eventId}/trial`, { token: api.org })).body.trial).toBeNull()
  })
})
