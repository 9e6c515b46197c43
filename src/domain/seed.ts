/**
 * Example events (data/events/*.json): the format, and loading one into the
 * database with its participants, wishes and exclusions (organisations named
 * by their name), then solving and publishing its schedule.
 */
import { readdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { Kysely } from 'kysely'
import { z } from 'zod'
import { createEvent } from '../db/repositories/events.repository.ts'
import { addExclusion } from '../db/repositories/exclusions.repository.ts'
import { setWish } from '../db/repositories/wishes.repository.ts'
import type { Database, Event } from '../db/schema.ts'
import { AppError } from '../errors.ts'
import { parseOrThrow } from '../http/validate.ts'
import { registerParticipant, registrationIssues } from './participants.ts'
import { createSchedule, publish } from './schedules.ts'
import { NewEvent, OrganisationInput } from './schemas.ts'

export const ExampleEvent = z
  .object({
    event: NewEvent,
    participants: z.array(
      z
        .object({
          organisation: OrganisationInput,
          personName: z.string().trim().min(1),
          personEmail: z.email().nullable().optional(),
          arriveRound: z.number().int().min(1).nullable().optional(),
          leaveRound: z.number().int().min(1).nullable().optional(),
          minMeetings: z.number().int().min(0).nullable().optional(),
          maxMeetings: z.number().int().min(0).nullable().optional(),
        })
        .strict(),
    ),
    /** organisations named by their name */
    wishes: z.array(z.object({ from: z.string(), to: z.string(), level: z.enum(['must', 'like', 'avoid']) }).strict()).default([]),
    exclusions: z
      .array(
        z
          .object({
            association: z.string(),
            company: z.string(),
            reason: z.enum(['existing-partnership', 'conflict']),
            note: z.string().nullable().optional(),
          })
          .strict(),
      )
      .default([]),
  })
  .strict()
export type ExampleEvent = z.infer<typeof ExampleEvent>

/** Loads one example event into network `networkId`; the event is left 'scheduled' with a published schedule. */
export async function loadExampleEvent(
  db: Kysely<Database>,
  networkId: string,
  json: unknown,
  now: string,
  options: { schedule?: boolean } = {},
): Promise<{ event: Event; participants: number; scheduleVersion: number | null; status: string | null }> {
  const data = parseOrThrow(ExampleEvent, json, 'example event')
  const event = await db.transaction().execute(async (trx) => {
    const event = await createEvent(trx, networkId, data.event, now, 'open')
    const regByName = new Map<string, string>()
    const orgByName = new Map<string, { id: string; kind: string }>()
    for (const p of data.participants) {
      const { organisation, ...fields } = p
      const issues = registrationIssues(event, fields)
      if (issues.length > 0) throw new AppError('validation_failed', {
          fr: `${organisation.name} : ${issues.map((i) => i.message.fr).join(' ; ')}`,
          en: `${organisation.name}: ${issues.map((i) => i.message.en).join('; ')}`,
        })
      const added = await registerParticipant(trx, event, organisation, fields, now)
      regByName.set(organisation.name, added.registration.id)
      orgByName.set(organisation.name, { id: added.organisation.id, kind: added.organisation.kind })
    }
    const lookup = (map: Map<string, string>, name: string) => {
      const id = map.get(name)
      if (!id) throw new AppError('validation_failed', { fr: `« ${name} » inconnu`, en: `unknown “${name}”` })
      return id
    }
    for (const w of data.wishes) {
      await setWish(trx, event.id, lookup(regByName, w.from), lookup(regByName, w.to), w.level, 'participant', now)
    }
    for (const e of data.exclusions) {
      const association = orgByName.get(e.association)
      const company = orgByName.get(e.company)
      if (association?.kind !== 'association' || company?.kind !== 'company') {
        throw new AppError('validation_failed', { fr: `exclusion impossible entre « ${e.association} » et « ${e.company} »`, en: `no exclusion possible between “${e.association}” and “${e.company}”` })
      }
      await addExclusion(trx, { networkId: event.network_id, eventId: event.id, associationId: association.id, companyId: company.id, reason: e.reason, note: e.note ?? null }, now)
    }
    return event
  })
  if (options.schedule === false) return { event, participants: data.participants.length, scheduleVersion: null, status: null }
  const schedule = await createSchedule(db, event, { createdBy: 'seed', now })
  if (schedule.status !== 'infeasible') await publish(db, event, schedule, now)
  return { event, participants: data.participants.length, scheduleVersion: schedule.version, status: schedule.status }
}

/** Every data/events/*.json file, in name order. */
export async function readExampleEvents(folder: string): Promise<{ file: string; json: unknown }[]> {
  const files = (await readdir(folder)).filter((f) => f.endsWith('.json')).sort()
  return Promise.all(files.map(async (file) => ({ file, json: JSON.parse(await readFile(join(folder, file), 'utf8')) as unknown })))
}
