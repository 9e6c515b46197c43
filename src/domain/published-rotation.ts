/**
 * A published rotation never changes under the organiser's feet: what it was
 * computed for (participants, rounds, tables, times) stays as it is while it is
 * published. Removing one of its participants, or changing the rounds, tables
 * or times, is refused (409) with the way out in words: mark the person absent
 * and re-plan, or withdraw the publication first (before the evening only).
 */
import type { Kysely } from 'kysely'
import { lockEvent, parseBreaks, setEventStatus } from '../db/repositories/events.repository.ts'
import { publishedSchedule } from '../db/repositories/schedules.repository.ts'
import type { Database, Event, Registration, Schedule } from '../db/schema.ts'
import { AppError, type Msg } from '../errors.ts'
import { joinLabels } from './labels.ts'
import { plural } from './typography.ts'
import { publishChange } from './live.ts'
import { writeAudit } from './privacy/audit.ts'
import type { EventPatch } from './schemas.ts'

const NBSP = '\u00a0'

/** 409 when `registration` has meetings in the published rotation. */
export async function assertRemovable(
  db: Kysely<Database>,
  event: Event,
  registration: Pick<Registration, 'id' | 'person_name'>,
  organisationName: string,
): Promise<void> {
  const schedule = await publishedSchedule(db, event.id)
  if (!schedule) return
  const held = await db
    .selectFrom('meetings')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('schedule_id', '=', schedule.id)
    .where((eb) => eb.or([eb('association_registration_id', '=', registration.id), eb('company_registration_id', '=', registration.id)]))
    .executeTakeFirstOrThrow()
  const n = Number(held.n)
  if (n === 0) return
  const who = `${registration.person_name} (${organisationName})`
  const fr =
    `${who} a ${plural(n, 'fr', { one: `#${NBSP}rencontre`, other: `#${NBSP}rencontres` })} dans la rotation publiée (version ${schedule.version})${NBSP}: ` +
    (event.status === 'live'
      ? 'marquez cette personne absente à l’accueil puis re-planifiez.'
      : 'marquez cette personne absente puis recalculez et publiez une nouvelle version, ou retirez d’abord la publication (onglet Rotation).')
  const en =
    `${who} has ${plural(n, 'en', { one: '# meeting', other: '# meetings' })} in the published rotation (version ${schedule.version}): ` +
    (event.status === 'live' ? 'mark them absent at check-in, then re-plan.' : 'mark them absent and publish a new version, or withdraw the publication first (Rotation tab).')
  throw new AppError('conflict', { fr, en })
}

/** The settings a rotation is computed for, as the patch would leave them. */
const rotationSettings = ['rounds', 'tables', 'startTime', 'meetingMinutes', 'transitionMinutes', 'breaks', 'seatedSide', 'date'] as const

function current(event: Event): Record<(typeof rotationSettings)[number], unknown> {
  return {
    rounds: event.rounds,
    tables: event.tables,
    startTime: event.start_time,
    meetingMinutes: event.meeting_minutes,
    transitionMinutes: event.transition_minutes,
    breaks: parseBreaks(event.breaks),
    seatedSide: event.seated_side,
    date: event.date,
  }
}

const settingWords: Record<(typeof rotationSettings)[number], Msg> = {
  rounds: { fr: 'le nombre de tours', en: 'the number of rounds' },
  tables: { fr: 'le nombre de tables', en: 'the number of tables' },
  startTime: { fr: 'l’heure de début', en: 'the start time' },
  meetingMinutes: { fr: 'la durée des rencontres', en: 'the meeting length' },
  transitionMinutes: { fr: 'le temps de changement', en: 'the changeover time' },
  breaks: { fr: 'les pauses', en: 'the breaks' },
  seatedSide: { fr: 'le côté assis', en: 'the seated side' },
  date: { fr: 'la date', en: 'the date' },
}

/** 409 when the patch changes what the published rotation was computed for. */
export async function assertSettingsChangeable(db: Kysely<Database>, event: Event, patch: EventPatch): Promise<void> {
  const before = current(event)
  const changed = rotationSettings.filter((key) => patch[key] !== undefined && JSON.stringify(patch[key]) !== JSON.stringify(before[key]))
  if (changed.length === 0) return
  const schedule = await publishedSchedule(db, event.id)
  if (!schedule) return
  const list = joinLabels(changed.map((key) => settingWords[key]))
  const fr =
    `La rotation publiée (version ${schedule.version}) a été calculée pour ${event.rounds}${NBSP}tours` +
    (event.tables !== null ? ` et ${event.tables}${NBSP}tables` : '') +
    `${NBSP}: pour changer ${list.fr}, retirez d’abord sa publication (onglet Rotation), puis recalculez.`
  const en =
    `The published rotation (version ${schedule.version}) was computed for ${event.rounds} rounds` +
    (event.tables !== null ? ` and ${event.tables} tables` : '') +
    `: to change ${list.en}, withdraw its publication first (Rotation tab), then compute again.`
  throw new AppError('conflict', { fr, en })
}

/**
 * Withdraws the publication before the evening (the event goes back to
 * "open"); on the night or after, the published rotation stays and only a
 * re-plan replaces it. Recorded in the audit log.
 */
export async function unpublish(db: Kysely<Database>, event: Event, schedule: Schedule, by: { actor: string; now: string }): Promise<void> {
  await db.transaction().execute(async (trx) => {
    if (!(await lockEvent(trx, event.id, ['draft', 'open', 'scheduled']))) {
      throw new AppError(
        'conflict',
        { fr: 'La soirée a commencé ou est close : la rotation publiée reste, re-planifiez les tours restants', en: 'The evening has started or is closed: the published rotation stays; re-plan the remaining rounds' },
      )
    }
    const { numUpdatedRows } = await trx
      .updateTable('schedules')
      .set({ published: 0 })
      .where('id', '=', schedule.id)
      .where('published', '=', 1)
      .executeTakeFirst()
    if (numUpdatedRows === 0n) {
      throw new AppError('conflict', { fr: `La version ${schedule.version} n’est pas publiée`, en: `Version ${schedule.version} is not published` })
    }
    await setEventStatus(trx, event.id, ['scheduled'], 'open', by.now)
  })
  await writeAudit(db, { networkId: event.network_id, actor: by.actor, action: 'schedule-unpublish', target: `event:${event.id}`, details: { version: schedule.version } }, by.now)
  // open room screens and participant pages drop the withdrawn tables
  publishChange(db, event.id, 'schedule')
}
