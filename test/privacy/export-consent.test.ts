/**
 * A participant who refuses research use (`PUT /api/me/consent`) is absent from
 * the pair-level export, through the lab's own route; the export is logged
 * for the network's admin.
 */
import { describe, expect, test } from 'vitest'
import { pseudonym } from '../../src/domain/export.ts'
import { dialects, freshDatabase } from '../helpers/db.ts'
import { buildWorld } from '../security/world.ts'

const key = 'cle-de-recherche'

describe.each(dialects)('research consent in the export on %s', (dialect) => {
  test('a refusal keeps every pair of the participant out of the pair-level export', async () => {
    const { db, drop } = await freshDatabase(dialect)
    try {
      const world = await buildWorld(db)
      const call = async (method: string, path: string, token: string, json?: unknown) => {
        const res = await world.app.request(path, {
          method,
          headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
          ...(json !== undefined ? { body: JSON.stringify(json) } : {}),
        })
        return { status: res.status, body: (await res.json()) as any }
      }
      const exportRows = async () =>
        (await call('GET', `/api/lab/export?format=json&key=${key}&event=${world.own.eventId}`, world.tokens.lab)).body.rows as { association: string }[]
      const refuser = pseudonym(key, 'A', world.own.organisationId)

      const before = await exportRows()
      const theirs = before.filter((r) => r.association === refuser).length
      expect(theirs).toBeGreaterThan(0)

      expect((await call('PUT', '/api/me/consent', world.tokens.participant, { research: false })).status).toBe(200)
      const after = await exportRows()
      expect(after.filter((r) => r.association === refuser)).toEqual([])
      expect(after.length).toBe(before.length - theirs)

      const audit = await call('GET', '/api/network/audit', world.tokens.admin)
      expect(audit.status).toBe(200)
      expect(JSON.stringify(audit.body)).toContain('export')
    } finally {
      await drop()
    }
  })

  test('an erased participant gets no personal link again, read or renewed', async () => {
    const { db, drop } = await freshDatabase(dialect)
    try {
      const world = await buildWorld(db)
      const base = `/api/events/${world.own.eventId}/participants/${world.own.registrationId}`
      const call = (method: string, path: string) => world.app.request(path, { method, headers: { authorization: `Bearer ${world.tokens.organiser}` } })
      expect((await call('DELETE', `${base}/personal-data`)).status).toBe(200)
      for (const method of ['GET', 'POST']) {
        const res = await call(method, `${base}/link`)
        expect(res.status, method).toBe(409)
        expect(((await res.json()) as { error: { message: string } }).error.message).toContain('effacées')
      }
    } finally {
      await drop()
    }
  })
})
