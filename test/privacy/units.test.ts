/** Small pieces of the personal-data code: month arithmetic, the RGAA figures, the audit log's own retention, the consent body. */
import { eraseRegistration } from '../../src/domain/privacy/erasure.ts'
import { sql } from 'kysely'
import { describe, expect, test as plain } from 'vitest'
import { collectPersonalData } from '../../src/domain/privacy/personal-data.ts'
import { buildWorld } from '../security/world.ts'
import { createNetwork } from '../../src/db/repositories/tokens.repository.ts'
import { listAudit, purgeAudit, writeAudit } from '../../src/domain/privacy/audit.ts'
import { addMonths } from '../../src/domain/privacy/dates.ts'
import { privacyDb } from '../../src/domain/privacy/db.ts'
import { rgaaAudit, rgaaSummary } from '../../src/web/rgaa.ts'
import { dbTest, dialects } from '../helpers/db.ts'

plain.for([
  ['2026-12-08', 12, '2027-12-08'],
  ['2026-01-31', 1, '2026-02-28'],
  ['2028-01-31', 1, '2028-02-29'],
  ['2026-11-30', -12, '2025-11-30'],
  ['2026-03-31', -1, '2026-02-28'],
] as const)('%s plus %i months is %s', ([date, months, expected]) => {
  expect(addMonths(date, months)).toBe(expected)
})

plain('the RGAA figures come from the checklist: a failed criterion makes it partial', () => {
  const s = rgaaSummary()
  expect(s.c + s.nc + s.na).toBe(rgaaAudit.criteria.length)
  expect(s.level).toBe(s.nc === 0 ? 'full' : s.rate >= 50 ? 'partial' : 'none')
  const allGood = { ...rgaaAudit, criteria: rgaaAudit.criteria.map((c) => ({ ...c, status: c.status === 'NC' ? ('C' as const) : c.status })) }
  expect(rgaaSummary(allGood)).toMatchObject({ nc: 0, rate: 100, level: 'full' })
  // every criterion is worded in both languages
  expect(rgaaAudit.criteria.every((c) => c.fr.length > 0 && c.en.length > 0 && ['C', 'NC', 'NA'].includes(c.status))).toBe(true)
})

describe.each(dialects)('the audit log on %s', (dialect) => {
  const test = dbTest(dialect)
  test("entries older than the network's policy go", async ({ db }) => {
    const { networkId } = await createNetwork(db, { name: 'Réseau Alsace Partenariats' }, '2025-01-01T00:00:00.000Z')
    await privacyDb(db).updateTable('networks').set({ retention_months: 6 }).where('id', '=', networkId).execute()
    await writeAudit(db, { networkId, actor: 'organiser:t1', action: 'erasure', target: 'registration:r1' }, '2026-01-10T10:00:00.000Z')
    await writeAudit(db, { networkId, actor: 'organiser:t1', action: 'data-download', target: 'registration:r2', details: { event: 'e1' } }, '2026-06-10T10:00:00.000Z')
    expect(await purgeAudit(db, new Date('2026-08-01T00:00:00.000Z'))).toBe(1)
    const left = await listAudit(db, networkId)
    expect(left.map((e) => [e.action, e.details])).toEqual([['data-download', { event: 'e1' }]])
    expect(await purgeAudit(db, new Date('2026-08-01T00:00:00.000Z'))).toBe(0)
  })
  test('the download lists the e-mails written to the person, and an erasure removes them', async ({ db }) => {
    const world = await buildWorld(db)
    const at = '2026-11-24T18:00:00.000Z'
    const message = (id: string, registrationId: string, subject: string) => ({
      id, network_id: 'n', event_id: world.own.eventId, registration_id: registrationId, kind: 'invitation', to_address: `${id}@example.org`,
      to_name: 'Odile', subject, body_text: 'Bonjour', body_html: null, ics: null, status: 'sent' as const, attempts: 1, next_attempt_at: at,
      last_error: null, created_at: at, sent_at: at, claimed_at: null, dedupe_key: id, programme_digest: null,
    })
    const network = (await db.selectFrom('events').select('network_id').where('id', '=', world.own.eventId).executeTakeFirstOrThrow()).network_id
    await db.insertInto('outbox').values([message('m1', world.own.registrationId, 'Votre programme'), message('m2', world.own.companyRegistrationId, 'Autre')].map((m) => ({ ...m, network_id: network }))).execute()
    const data = await collectPersonalData(db, world.own.eventId, world.own.registrationId, at)
    expect(data.messages).toEqual([{ kind: 'invitation', to: 'm1@example.org', toName: 'Odile', subject: 'Votre programme', status: 'sent', createdAt: at, sentAt: at }])
    await db.transaction().execute((trx) => eraseRegistration(trx as never, world.own.registrationId, at))
    expect((await db.selectFrom('outbox').select('id').execute()).map((m) => m.id)).toEqual(['m2'])
  })
})
