/**
 * A small event written straight into the database for the follow-up tests:
 * organisations, registrations with known personal secrets, and a published
 * schedule of meetings with short codes. Independent of the scheduling routes.
 *
 *   const ev = await seedEvent(api.db, await organiserIdOf(api.db, api.org), spec)
 *   await api.call('GET', '/api/me/meetings', { token: ev.token.A1 })
 */
import { nameKey } from '../../src/domain/names.ts'
import type { Kysely } from 'kysely'
import { hashToken } from '../../src/auth/tokens.ts'
import type { Attendance, Database } from '../../src/db/schema.ts'

export interface OrgSpec {
  key: string
  name?: string
  size?: string | null
  sector?: string | null
  themes?: string[]
  attendance?: Attendance
}

export interface EventSpec {
  id?: string
  date?: string
  associations: OrgSpec[]
  companies: OrgSpec[]
  /** [association key, company key, round, score] */
  meetings: [string, string, number, number][]
}

export interface SeededEvent {
  eventId: string
  /** registration id by key */
  reg: Record<string, string>
  /** personal secret (p_…) by key */
  token: Record<string, string>
  /** meeting id and short code by 'A1-C1' */
  meeting: Record<string, { id: string; code: string; round: number; score: number }>
}

export async function organiserIdOf(db: Kysely<Database>, token: string): Promise<string> {
  const row = await db.selectFrom('tokens').select('network_id').where('token_hash', '=', hashToken(token)).executeTakeFirstOrThrow()
  return row.network_id!
}

/** The default: 3 associations x 3 companies, everyone meets everyone over 3 rounds. */
export const threeByThree: EventSpec = {
  associations: [
    { key: 'A1', size: 'micro', themes: ['handicap', 'sante'] },
    { key: 'A2', size: 'petite', themes: ['precarite'] },
    { key: 'A3', size: 'micro', themes: ['handicap'] },
  ],
  companies: [
    { key: 'C1', size: 'grande', sector: 'industrie', themes: ['handicap'] },
    { key: 'C2', size: 'petite', sector: 'numerique', themes: ['precarite', 'sante'] },
    { key: 'C3', size: 'grande', sector: 'commerce', themes: [] },
  ],
  meetings: [
    ['A1', 'C1', 1, 9], ['A2', 'C2', 1, 8], ['A3', 'C3', 1, 2],
    ['A1', 'C2', 2, 7], ['A2', 'C3', 2, 3], ['A3', 'C1', 2, 6],
    ['A1', 'C3', 3, 1], ['A2', 'C1', 3, 4], ['A3', 'C2', 3, 5],
  ],
}

let counter = 0

export async function seedEvent(db: Kysely<Database>, organiserId: string, spec: EventSpec = threeByThree): Promise<SeededEvent> {
  const n = ++counter
  const now = '2026-11-24T17:00:00.000Z'
  const eventId = spec.id ?? `ev${n}`
  const rounds = Math.max(1, ...spec.meetings.map((m) => m[2]))
  await db
    .insertInto('events')
    .values({
      id: eventId, network_id: organiserId, title: `Soirée ${n}`, date: spec.date ?? '2026-11-24', venue: null, start_time: '18:30',
      rounds, meeting_minutes: 7, transition_minutes: 1, breaks: '[]', tables: null, seated_side: 'company', status: 'closed',
      created_at: now, updated_at: now,
    })
    .execute()
  const out: SeededEvent = { eventId, reg: {}, token: {}, meeting: {} }
  for (const [kind, list] of [['association', spec.associations], ['company', spec.companies]] as const) {
    for (const o of list) {
      const orgId = `${eventId}-org-${o.key}`
      await db
        .insertInto('organisations')
        .values({
          id: orgId, network_id: organiserId, kind, name: o.name ?? `Organisation ${o.key}`, name_key: nameKey(o.name ?? `Organisation ${o.key}`), siren: null, rna: null, sector: o.sector ?? null, size: o.size ?? null,
          town: null, postcode: null, latitude: null, longitude: null, themes: JSON.stringify(o.themes ?? []), territories: '[]',
          offers: '[]', needs: '[]', description: null, contact_name: null, contact_email: null, group_name: null, created_at: now, updated_at: now,
        })
        .execute()
      const regId = `${eventId}-reg-${o.key}`
      const secret = `p_${eventId}_${o.key}_secret`
      await db
        .insertInto('registrations')
        .values({
          id: regId, event_id: eventId, organisation_id: orgId, person_name: `Personne ${o.key}`, person_email: `${o.key.toLowerCase()}@example.org`,
          arrive_round: null, leave_round: null, min_meetings: null, max_meetings: null, attendance: o.attendance ?? 'present',
          secret_hash: hashToken(secret), created_at: now,
        })
        .execute()
      out.reg[o.key] = regId
      out.token[o.key] = secret
    }
  }
  const scheduleId = `${eventId}-s1`
  await db
    .insertInto('schedules')
    .values({
      id: scheduleId, event_id: eventId, version: 1, kind: 'full', from_round: null, input_digest: 'x', status: 'optimal', objective: 0,
      bound: 0, fairness_level: 0, meeting_count: spec.meetings.length, idle_rounds: 0, solve_ms: 1, stats: '{}', created_by: organiserId,
      created_at: now, published: 1,
    })
    .execute()
  const tableOf = new Map<number, number>()
  for (const [i, [a, c, round, score]] of spec.meetings.entries()) {
    const table = (tableOf.get(round) ?? 0) + 1
    tableOf.set(round, table)
    const id = `${eventId}-m${i + 1}`
    const code = `K${n}X${i + 1}`.toUpperCase()
    await db
      .insertInto('meetings')
      .values({
        id, schedule_id: scheduleId, round, table_no: table, association_registration_id: out.reg[a]!, company_registration_id: out.reg[c]!,
        score, reasons: JSON.stringify([`raison ${a}-${c}`]), short_code: code,
      })
      .execute()
    out.meeting[`${a}-${c}`] = { id, code, round, score }
  }
  return out
}
