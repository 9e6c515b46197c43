/** The organiser's import preview (no browser): a re-imported file shows, row by row, what will change. */
import { describe, expect } from 'vitest'
import { createApp } from '../../src/app.ts'
import { createOrganiser } from '../helpers/accounts.ts'
import { dbTest } from '../helpers/db.ts'

const test = dbTest('sqlite')

describe('import preview page', () => {
  test('new, updated (old → new) and unchanged rows', async ({ db }) => {
    const now = new Date('2026-11-24T18:00:00.000Z')
    const owner = await createOrganiser(db, { name: 'Réseau' }, now.toISOString())
    const app = createApp({ db, clock: () => now })
    const headers = { authorization: `Bearer ${owner.token}`, cookie: `org_token=${owner.token}` }
    const created = await app.request('/api/events', {
      method: 'POST', headers: { ...headers, 'content-type': 'application/json' },
      body: JSON.stringify({ title: 'Soirée', date: '2026-12-03', rounds: 6, tables: 3, seatedSide: 'company' }),
    })
    const eventId = ((await created.json()) as { event: { id: string } }).event.id
    const header = 'type,nom,participant'
    const first = await app.request(`/api/events/${eventId}/participants/import`, {
      method: 'POST', headers: { ...headers, 'content-type': 'text/csv' },
      body: `${header}\nassociation,Entraide Neudorf,Odile Graff\nentreprise,Brasserie,Thomas Weber\n`,
    })
    expect(first.status).toBe(201)
    const form = new URLSearchParams({ text: `${header}\nassociation,Entraide Neudorf,Marie Graff\nentreprise,Brasserie,Thomas Weber\nassociation,Cœur de Quartier,Anne\n` })
    const page = await app.request(`/evenements/${eventId}/import`, { method: 'POST', headers: { cookie: headers.cookie, 'content-type': 'application/x-www-form-urlencoded' }, body: form.toString() })
    const html = await page.text()
    expect(page.status, html).toBe(200)
    expect(html).toMatch(/data-action="update"[^]*inscription mise à jour[^]*personName : &quot;Odile Graff&quot; → &quot;Marie Graff&quot;/)
    expect(html).toMatch(/data-action="unchanged"/)
    expect(html).toMatch(/data-action="create"/)
  })
})
