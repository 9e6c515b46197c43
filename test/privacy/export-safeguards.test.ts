/**
 * Safeguards of the pair-level export: one-time pseudonyms unless the network
 * granted the lab stable ones, and no size, sector or theme value held by
 * fewer than 5 organisations of the export (« autre » instead).
 */
import { describe, expect, test } from 'vitest'
import { MIN_CATEGORY_ORGANISATIONS, OTHER_CATEGORY } from '../../src/domain/export.ts'
import { createLab, grantLab } from '../../src/db/repositories/tokens.repository.ts'
import { dialects, freshDatabase } from '../helpers/db.ts'
import { buildWorld } from '../security/world.ts'

type Row = Record<string, string | number | boolean | null>

describe.each(dialects)('export safeguards on %s', (dialect) => {
  test('an export of a 10 x 10 evening has no category below 5 organisations', async () => {
    const { db, drop } = await freshDatabase(dialect)
    try {
      const world = await buildWorld(db)
      const res = await world.app.request(`/api/lab/export?format=json&event=${world.own.eventId}`, { headers: { authorization: `Bearer ${world.tokens.organiser}` } })
      expect(res.status).toBe(200)
      const { rows, pseudonyms } = (await res.json()) as { rows: Row[]; pseudonyms: string }
      expect(pseudonyms).toBe('fresh')
      expect(rows.length).toBeGreaterThan(0)
      const columns: [string, 'association' | 'company'][] = [
        ['association_size', 'association'], ['company_size', 'company'], ['company_sector', 'company'],
        ['association_themes', 'association'], ['company_themes', 'company'],
      ]
      let grouped = 0
      for (const [column, side] of columns) {
        const holders = new Map<string, Set<unknown>>()
        for (const row of rows) {
          const cell = row[column]
          if (typeof cell !== 'string' || cell === '') continue
          for (const value of cell.split('|')) holders.set(value, (holders.get(value) ?? new Set()).add(row[side]))
        }
        for (const [value, orgs] of holders) {
          if (value === OTHER_CATEGORY) grouped++
          else expect(orgs.size, `${column} = ${value}`).toBeGreaterThanOrEqual(MIN_CATEGORY_ORGANISATIONS)
        }
      }
      // the example's 10 + 10 organisations do have rare values: they were grouped, not dropped
      expect(grouped).toBeGreaterThan(0)
    } finally {
      await drop()
    }
  })

  test('a lab gets one-time pseudonyms unless the network granted it stable ones', async () => {
    const { db, drop } = await freshDatabase(dialect)
    try {
      const world = await buildWorld(db)
      const network = (await db.selectFrom('events').select('network_id').where('id', '=', world.own.eventId).executeTakeFirstOrThrow()).network_id
      const lab = await createLab(db, 'Observatoire régional', '2026-11-24T18:00:00.000Z')
      await grantLab(db, lab.labId, network, 'test', '2026-11-24T18:00:00.000Z')
      const exportAs = async (key?: string) => {
        const res = await world.app.request(`/api/lab/export?format=json&event=${world.own.eventId}${key ? `&key=${key}` : ''}`, { headers: { authorization: `Bearer ${lab.token}` } })
        return { status: res.status, header: res.headers.get('x-pseudonyms'), body: (await res.json()) as { rows: Row[]; pseudonyms: string; error?: { message: string } } }
      }
      const refused = await exportAs('cle-stable-du-labo')
      expect(refused.status).toBe(403)
      expect(refused.body.error!.message).toContain('«\u00a0Réseau Alsace Partenariats\u00a0»')
      const one = await exportAs()
      const two = await exportAs()
      expect([one.status, one.header, one.body.pseudonyms]).toEqual([200, 'fresh', 'fresh'])
      expect(one.body.rows.length).toBe(two.body.rows.length)
      // unlinkable: no pseudonym of one export appears in the other
      const names = (r: Row[]) => new Set(r.flatMap((x) => [x.event, x.association, x.company, x.pair]))
      const first = names(one.body.rows)
      expect([...names(two.body.rows)].filter((n) => first.has(n))).toEqual([])

      // the admin grants stable pseudonyms: the lab's key gives the same pseudonyms every time
      const patched = await world.app.request(`/api/network/labs/${lab.labId}`, {
        method: 'PATCH', headers: { authorization: `Bearer ${world.tokens.admin}`, 'content-type': 'application/json' }, body: JSON.stringify({ stablePseudonyms: true }),
      })
      expect(patched.status).toBe(200)
      const stable1 = await exportAs('cle-stable-du-labo')
      const stable2 = await exportAs('cle-stable-du-labo')
      expect(stable1.body.pseudonyms).toBe('stable')
      expect(stable1.body.rows).toEqual(stable2.body.rows)
    } finally {
      await drop()
    }
  })
})
