/**
 * Request bodies, validated at the edge. Named like the types they give.
 * Messages are French first, English second.
 */
import { z } from 'zod'
import { codes } from './vocabularies.ts'
import { zodWords } from './zod-messages.ts'

const vocab = (name: Parameters<typeof codes>[0]) => z.enum(codes(name) as [string, ...string[]])
const text = (max: number) => z.string().trim().min(1).max(max)

export const Side = z.enum(['association', 'company'])

export const Break = z.object({ afterRound: z.number().int().min(1), minutes: z.number().int().min(1).max(180) })

const eventShape = {
  title: text(200),
  // a calendar date: 2026-02-30 and 2026-13-45 are refused, 2028-02-29 is not; follow-ups
  // add up to a year to it, which must stay a four-digit year
  date: z.iso
    .date({ error: zodWords({ fr: 'date AAAA-MM-JJ du calendrier', en: 'calendar date YYYY-MM-DD' }) })
    .refine((d) => d >= '2000-01-01' && d <= '2099-12-31', zodWords({ fr: 'date entre 2000 et 2099', en: 'date between 2000 and 2099' })),
  venue: z.string().trim().max(300).nullable().optional(),
  startTime: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, zodWords({ fr: 'heure HH:MM', en: 'time HH:MM' })).nullable().optional(),
  rounds: z.number().int().min(1).max(60),
  meetingMinutes: z.number().int().min(1).max(120),
  transitionMinutes: z.number().int().min(0).max(60),
  breaks: z.array(Break).max(30),
  tables: z.number().int().min(1).max(500).nullable().optional(),
  seatedSide: Side,
  /** pairs that met at an earlier event of the network, and pairs in an active partnership */
  metBefore: z.enum(['forbid', 'penalise', 'allow']).optional(),
  metBeforePenalty: z.number().min(0).max(1000).optional(),
  activePartnerships: z.enum(['forbid', 'penalise', 'allow']).optional(),
}

function breaksWithinRounds(value: { rounds?: number | undefined; breaks?: { afterRound: number }[] | undefined }, ctx: z.RefinementCtx) {
  if (value.rounds === undefined || !value.breaks) return
  value.breaks.forEach((b, i) => {
    if (b.afterRound >= (value.rounds ?? 0)) {
      ctx.addIssue({ code: 'custom', path: ['breaks', i, 'afterRound'], message: zodWords({ fr: 'pause après la dernière rencontre', en: 'break after the last round' }) })
    }
  })
}

export const NewEvent = z
  .object({
    ...eventShape,
    meetingMinutes: eventShape.meetingMinutes.default(7),
    transitionMinutes: eventShape.transitionMinutes.default(1),
    breaks: eventShape.breaks.default([]),
    seatedSide: Side.default('company'),
  })
  .strict()
  .superRefine(breaksWithinRounds)
export type NewEvent = z.infer<typeof NewEvent>

export const EventPatch = z.object(eventShape).partial().strict().superRefine(breaksWithinRounds)
export type EventPatch = z.infer<typeof EventPatch>

/** `POST /api/events/:id/duplicate`: the new evening's date, and a title (default: the same). */
export const EventDuplicate = z.object({ date: eventShape.date, title: eventShape.title.optional() }).strict()

export const EventStatusChange = z.object({ status: z.enum(['draft', 'open', 'scheduled', 'live', 'closed']) }).strict()

export const OrganisationInput = z
  .object({
    kind: Side,
    name: text(200),
    siren: z.string().regex(/^\d{9}$/, zodWords({ fr: 'SIREN : 9 chiffres', en: 'SIREN: 9 digits' })).nullable().optional(),
    rna: z.string().regex(/^W\d{9}$/, zodWords({ fr: 'RNA : W suivi de 9 chiffres', en: 'RNA: W and 9 digits' })).nullable().optional(),
    sector: vocab('sectors').nullable().optional(),
    size: vocab('sizes').nullable().optional(),
    town: z.string().trim().max(100).nullable().optional(),
    postcode: z.string().regex(/^\d{5}$/, zodWords({ fr: 'code postal : 5 chiffres', en: 'postcode: 5 digits' })).nullable().optional(),
    latitude: z.number().min(-90).max(90).nullable().optional(),
    longitude: z.number().min(-180).max(180).nullable().optional(),
    themes: z.array(vocab('themes')).max(20).optional(),
    territories: z.array(vocab('territories')).max(10).optional(),
    offers: z.array(vocab('resources')).max(30).optional(),
    needs: z.array(vocab('resources')).max(30).optional(),
    description: z.string().trim().max(2000).nullable().optional(),
    contactName: z.string().trim().max(200).nullable().optional(),
    contactEmail: z.email().nullable().optional(),
    groupName: z.string().trim().max(200).nullable().optional(),
  })
  .strict()
export type OrganisationInput = z.infer<typeof OrganisationInput>

export const OrganisationPatch = OrganisationInput.omit({ kind: true }).partial().strict()

const registrationShape = {
  personName: text(200),
  personEmail: z.email().nullable().optional(),
  arriveRound: z.number().int().min(1).nullable().optional(),
  leaveRound: z.number().int().min(1).nullable().optional(),
  minMeetings: z.number().int().min(0).nullable().optional(),
  maxMeetings: z.number().int().min(0).nullable().optional(),
}

export const NewParticipant = z
  .object({
    organisationId: z.string().min(1).optional(),
    organisation: OrganisationInput.optional(),
    ...registrationShape,
    attendance: z.enum(['registered', 'present', 'walk-in']).optional(),
  })
  .strict()
  .refine((v) => (v.organisationId === undefined) !== (v.organisation === undefined), {
    message: zodWords({ fr: 'organisationId ou organisation, un seul des deux', en: 'exactly one of organisationId or organisation' }),
    path: ['organisation'],
  })
export type NewParticipant = z.infer<typeof NewParticipant>

export const ParticipantPatch = z.object(registrationShape).partial().strict()

/**
 * What a participant may change of its own profile before the event (`PATCH /api/me/profile`):
 * its organisation's profile and contact (the organiser's rules, same vocabularies) and its own
 * name and email. Not the kind, name or SIREN/RNA: those identify the organisation.
 */
export const MyProfilePatch = z
  .object({
    ...OrganisationPatch.pick({
      description: true,
      themes: true,
      territories: true,
      offers: true,
      needs: true,
      town: true,
      postcode: true,
      contactName: true,
      contactEmail: true,
    }).shape,
    ...ParticipantPatch.pick({ personName: true, personEmail: true }).shape,
  })
  .strict()
export type MyProfilePatch = z.infer<typeof MyProfilePatch>

export const AttendanceChange = z.object({ attendance: z.enum(['registered', 'present', 'absent', 'walk-in']) }).strict()

export const WishInput = z
  .object({ from: z.string().min(1), to: z.string().min(1), level: z.enum(['must', 'like', 'avoid']).nullable() })
  .strict()

export const MyWishes = z
  .object({ wishes: z.array(z.object({ to: z.string().min(1), level: z.enum(['must', 'like', 'avoid']) }).strict()).max(200) })
  .strict()

export const NewExclusion = z
  .object({
    associationId: z.string().min(1),
    companyId: z.string().min(1),
    reason: z.enum(['existing-partnership', 'conflict']),
    note: z.string().trim().max(500).nullable().optional(),
    /** true: applies to every event (an existing partnership is a fact, not an event setting) */
    allEvents: z.boolean().optional(),
  })
  .strict()

