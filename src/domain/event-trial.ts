/**
 * Setting an event up as a randomised trial of matching strategies
 * (src/domain/trial.ts): only while no version of its schedule is published,
 * since the draw is made when the event is solved and the cards are printed
 * from the published version.
 */
import type { Kysely, Transaction as KyselyTransaction } from 'kysely'
import { lockEvent } from '../db/repositories/events.repository.ts'
import { listRegistrations } from '../db/repositories/registrations.repository.ts'
import { publishedSchedule } from '../db/repositories/schedules.repository.ts'
import { deleteTrial, findTrial, saveTrial, type TrialRow } from '../db/repositories/trials.repository.ts'
import type { Database, Event, Schedule } from '../db/schema.ts'

type Transaction = KyselyTransaction<Database>
import { AppError } from '../errors.ts'
import { drawSeed, drawTrial, isArm, type Arm, type Trial, type TrialDraw, type TrialSetup } from './trial.ts'

export interface TrialView {
  trial: { assignment: Trial['assignment']; seed: string; arms: Arm[]; createdAt: string; createdBy: string | null } | null
  /** a version is published: the trial can no longer change */
  locked: boolean
  /** the draw of the published version, or what a solve now would draw */
  draw: {
    source: 'published' | 'preview'
    version: number | null
    arm: Arm | null
    blocks: { registrationId: string; name: string; personName: string; arm: Arm }[]
  } | null
}

/** The event's trial as the solver reads it (arms the app knows only), or null. */
export async function loadTrial(db: Kysely<Database> | Transaction, eventId: string): Promise<Trial | null> {
  const row = await findTrial(db, eventId)
  if (!row) return null
  const arms = row.arms.filter(isArm)
  // a trial imported from a history file has arms the app may not run: not a live trial
  if (arms.length === 0 || arms.length !== row.arms.length) return null
  return { assignment: row.assignment, seed: row.seed, arms }
}

/** The draw a version was solved with (schedules.trial), or null. */
export function scheduleDraw(schedule: Pick<Schedule, 'trial'>): TrialDraw | null {
  if (!schedule.trial) return null
  try {
    const v = JSON.parse(schedule.trial) as TrialDraw
    return v && Array.isArray(v.arms) ? v : null
  } catch {
    return null
  }
}

const published = (version: number) =>
  new AppError(
    'conflict',
    { fr: `La version ${version} du planning est publiée : l’essai ne peut plus changer (les cartes sont imprimées d’après elle)`, en: `Version ${version} of the schedule is published: the trial can no longer change` },
  )

async function lockUnpublished(trx: Transaction, event: Event): Promise<void> {
  if (!(await lockEvent(trx, event.id, ['draft', 'open', 'scheduled', 'live']))) throw new AppError('event_closed', { fr: 'Événement clos', en: 'The event is closed' })
  const current = await publishedSchedule(trx, event.id)
  if (current) throw published(current.version)
}

export async function setupTrial(db: Kysely<Database>, event: Event, setup: TrialSetup, by: { createdBy: string; now: string }): Promise<TrialRow> {
  const row: TrialRow = {
    eventId: event.id,
    assignment: setup.assignment,
    seed: setup.seed === undefined ? drawSeed() : String(setup.seed),
    arms: [...setup.arms],
    createdAt: by.now,
    createdBy: by.createdBy,
  }
  await db.transaction().execute(async (trx) => {
    await lockUnpublished(trx, event)
    await saveTrial(trx, row)
  })
  return row
}

export async function removeTrial(db: Kysely<Database>, event: Event): Promise<void> {
  const removed = await db.transaction().execute(async (trx) => {
    await lockUnpublished(trx, event)
    return deleteTrial(trx, event.id)
  })
  if (!removed) throw new AppError('not_found', { fr: 'Cet événement n’est pas un essai', en: 'This event is not a trial' })
}

export async function trialView(db: Kysely<Database>, event: Event): Promise<TrialView> {
  const [row, current, registrations] = await Promise.all([findTrial(db, event.id), publishedSchedule(db, event.id), listRegistrations(db, event.id)])
  const trial = row ? { assignment: row.assignment, seed: row.seed, arms: row.arms.filter(isArm), createdAt: row.createdAt, createdBy: row.createdBy } : null
  const fromPublished = current ? scheduleDraw(current) : null
  const live = await loadTrial(db, event.id)
  const associations = registrations.filter((r) => r.organisation.kind === 'association' && r.attendance !== 'absent')
  const draw: TrialDraw | null = fromPublished ?? (live ? drawTrial(live, event.id, associations.map((r) => r.id)) : null)
  const names = new Map(registrations.map((r) => [r.id, r]))
  return {
    trial,
    locked: current !== undefined,
    draw: draw
      ? {
          source: fromPublished ? 'published' : 'preview',
          version: fromPublished ? current!.version : null,
          arm: draw.arm,
          blocks: Object.entries(draw.blocks ?? {})
            .map(([id, arm]) => ({ registrationId: id, name: names.get(id)?.organisation.name ?? '?', personName: names.get(id)?.person_name ?? '?', arm }))
            .sort((x, y) => x.arm.localeCompare(y.arm) || x.name.localeCompare(y.name, 'fr')),
        }
      : null,
  }
}
