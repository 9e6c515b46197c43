/**
 * Retention: some months (the network's policy, default 12) after an event's
 * last check-in (or its date, without partnerships), the personal data of its
 * participants are erased (src/domain/privacy/erasure.ts), and organisations
 * no longer in any event still kept are anonymised. Counts, funnel figures
 * and pseudonymised pairs stay.
 *
 * Idempotent and safe after a crash: each event is done in one transaction
 * that also writes its `retention_runs` row, so an event is either done and
 * recorded or untouched; a run skips the events already recorded and the
 * organisations already anonymised.
 */
import type { Kysely } from 'kysely'
import { newId } from '../../db/ids.ts'
import type { Database } from '../../db/schema.ts'
import { isConstraintViolation } from '../../errors.ts'
import { nameKey } from '../names.ts'
import { purgeAudit } from './audit.ts'
import { addMonths } from './dates.ts'
import { DEFAULT_RETENTION_MONTHS, privacyDb } from './db.ts'
import { eraseRegistration } from './erasure.ts'

export const RETENTION_ACTOR = 'system:retention'
/** Organisers are told this many days before an event's purge. */
export const NOTICE_DAYS = 31

export interface PurgePlan {
  eventId: string
  title: string
  date: string
  /** the latest check-in due date of the event's partnerships, null without any */
  lastCheckin: string | null
  /** the day its participants' personal data go */
  purgeOn: string
  /** when it was done, null if not yet */
  purgedAt: string | null
  /** 'purged'; 'due' (today or past, the next run does it); 'soon' (within a month); 'later' */
  state: 'purged' | 'due' | 'soon' | 'later'
}

export interface RetentionReport {
  events: { eventId: string; erased: number }[]
  organisations: number
  auditEntriesRemoved: number
}

const day = (d: Date) => d.toISOString().slice(0, 10)

/** Every event of `networkId` (or of every network) with its purge date. */
export async function purgePlan(db: Kysely<Database>, now: Date, networkId?: string): Promise<PurgePlan[]> {
  const pdb = privacyDb(db)
  let networksQuery = pdb.selectFrom('networks').select(['id', 'retention_months'])
  if (networkId) networksQuery = networksQuery.where('id', '=', networkId)
  const months = new Map((await networksQuery.execute()).map((n) => [n.id, n.retention_months ?? DEFAULT_RETENTION_MONTHS]))
  let eventsQuery = db.selectFrom('events').select(['id', 'title', 'date', 'network_id']).orderBy('date').orderBy('id')
  if (networkId) eventsQuery = eventsQuery.where('network_id', '=', networkId)
  const events = await eventsQuery.execute()
  if (events.length === 0) return []
  const ids = events.map((e) => e.id)
  const last = await db
    .selectFrom('checkins')
    .innerJoin('partnerships', 'partnerships.id', 'checkins.partnership_id')
    .select(['partnerships.event_id', (eb) => eb.fn.max('checkins.due_on').as('last')])
    .where('partnerships.event_id', 'in', ids)
    .groupBy('partnerships.event_id')
    .execute()
  const lastOf = new Map(last.map((r) => [r.event_id, r.last as string | null]))
  const runs = new Map((await db.selectFrom('retention_runs').select(['event_id', 'done_at']).where('event_id', 'in', ids).execute()).map((r) => [r.event_id, r.done_at]))
  const today = day(now)
  const soon = day(new Date(now.getTime() + NOTICE_DAYS * 86_400_000))
  return events.map((e) => {
    const lastCheckin = lastOf.get(e.id) ?? null
    const purgeOn = addMonths(lastCheckin && lastCheckin > e.date ? lastCheckin : e.date, months.get(e.network_id) ?? DEFAULT_RETENTION_MONTHS)
    const purgedAt = runs.get(e.id) ?? null
    const state = purgedAt ? 'purged' : purgeOn <= today ? 'due' : purgeOn <= soon ? 'soon' : 'later'
    return { eventId: e.id, title: e.title, date: e.date, lastCheckin, purgeOn, purgedAt, state }
  })
}

export interface RetentionOptions {
  /** called after each event is done and committed (tests simulate a crash by throwing here) */
  afterEvent?: (eventId: string) => void | Promise<void>
}

/** Runs the retention policy of every network at `now`. Safe to run again at any time. */
export async function runRetention(db: Kysely<Database>, now: Date, options: RetentionOptions = {}): Promise<RetentionReport> {
  const at = now.toISOString()
  const report: RetentionReport = { events: [], organisations: 0, auditEntriesRemoved: 0 }
  const pdb = privacyDb(db)
  const networkOf = new Map((await db.selectFrom('events').select(['id', 'network_id']).execute()).map((e) => [e.id, e.network_id]))
  for (const plan of (await purgePlan(db, now)).filter((p) => p.state === 'due')) {
    try {
      const erased = await pdb.transaction().execute(async (trx) => {
        // the run's row first: a concurrent run of the same event stops here
        await trx
          .insertInto('retention_runs')
          .values({ event_id: plan.eventId, network_id: networkOf.get(plan.eventId)!, purge_on: plan.purgeOn, erased_registrations: 0, done_at: at })
          .execute()
        const regs = await trx.selectFrom('registrations').select('id').where('event_id', '=', plan.eventId).where('erased_at', 'is', null).execute()
        let count = 0
        for (const r of regs) if (await eraseRegistration(trx, r.id, at)) count++
        await trx.updateTable('retention_runs').set({ erased_registrations: count }).where('event_id', '=', plan.eventId).execute()
        await trx
          .insertInto('audit_log')
          .values({
            id: newId(), network_id: networkOf.get(plan.eventId)!, actor: RETENTION_ACTOR, action: 'retention', target: `event:${plan.eventId}`, at,
            details: JSON.stringify({ purgeOn: plan.purgeOn, erasedRegistrations: count }),
          })
          .execute()
        return count
      })
      report.events.push({ eventId: plan.eventId, erased })
    } catch (err) {
      if (!isConstraintViolation(err)) throw err // another run did this event meanwhile
    }
    await options.afterEvent?.(plan.eventId)
  }
  report.organisations = await anonymiseOrganisations(db, at)
  report.auditEntriesRemoved = await purgeAudit(db, now)
  return report
}

/**
 * Organisations that took part in events, all of them purged, lose their name
 * (« Organisation anonymisée n », n counting per network), identifiers,
 * contacts, description and group. Sector, size, town and vocabularies stay for
 * the figures. One transaction per network.
 */
async function anonymiseOrganisations(db: Kysely<Database>, at: string): Promise<number> {
  const pdb = privacyDb(db)
  const networks = await db.selectFrom('networks').select('id').execute()
  let total = 0
  for (const { id: networkId } of networks) {
    total += await pdb.transaction().execute(async (trx) => {
      const candidates = await trx
        .selectFrom('organisations as o')
        .select(['o.id'])
        .where('o.network_id', '=', networkId)
        .where('o.anonymised_at', 'is', null)
        .where((eb) => eb.exists(eb.selectFrom('registrations as r').select('r.id').whereRef('r.organisation_id', '=', 'o.id')))
        .where((eb) =>
          eb.not(
            eb.exists(
              eb
                .selectFrom('registrations as r')
                .select('r.id')
                .whereRef('r.organisation_id', '=', 'o.id')
                .where((eb2) => eb2.not(eb2.exists(eb2.selectFrom('retention_runs as k').select('k.event_id').whereRef('k.event_id', '=', 'r.event_id')))),
            ),
          ),
        )
        .orderBy('o.created_at')
        .orderBy('o.id')
        .execute()
      if (candidates.length === 0) return 0
      const done = await trx
        .selectFrom('organisations')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('network_id', '=', networkId)
        .where('anonymised_at', 'is not', null)
        .executeTakeFirstOrThrow()
      let n = Number(done.n)
      for (const o of candidates) {
        n++
        const name = `Organisation anonymisée ${n}`
        await trx
          .updateTable('organisations')
          .set({
            name, name_key: nameKey(name), siren: null, rna: null, contact_name: null, contact_email: null, description: null, group_name: null,
            anonymised_at: at, updated_at: at,
          })
          .where('id', '=', o.id)
          .where('anonymised_at', 'is', null)
          .execute()
        await trx
          .updateTable('exclusions')
          .set({ note: null })
          .where((eb) => eb.or([eb('association_id', '=', o.id), eb('company_id', '=', o.id)]))
          .execute()
      }
      return candidates.length
    })
  }
  return total
}

/**
 * Runs the retention job a minute after start, then once a day; a failed run
 * is logged and tried again the next day. Returns a stop function. The timers
 * do not keep the process alive.
 */
export function scheduleRetention(db: Kysely<Database>, options: { everyMs?: number; clock?: () => Date; log?: (line: string) => void } = {}): () => void {
  const every = options.everyMs ?? 24 * 60 * 60 * 1000
  const clock = options.clock ?? (() => new Date())
  const log = options.log ?? ((line: string) => console.log(line))
  let running = false
  const tick = () => {
    if (running) return
    running = true
    runRetention(db, clock())
      .then((r) => {
        if (r.events.length > 0 || r.organisations > 0) {
          log(`Conservation / retention: ${r.events.length} événement(s) purgé(s) / event(s) purged, ${r.organisations} organisation(s) anonymisée(s) / anonymised`)
        }
      })
      .catch((err: unknown) => log(`Conservation : échec, nouvel essai demain / retention failed, retried tomorrow: ${String(err)}`))
      .finally(() => {
        running = false
      })
  }
  const first = setTimeout(tick, 60_000)
  const daily = setInterval(tick, every)
  first.unref()
  daily.unref()
  return () => {
    clearTimeout(first)
    clearInterval(daily)
  }
}
