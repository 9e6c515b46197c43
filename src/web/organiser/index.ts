/**
 * The organiser console, one file per tab:
 *
 *   events.tsx        /evenements (the list, a new event)
 *   stage.tsx         the event's stage: next step, confirmations, reopening
 *   participants.tsx  /evenements/:id (participants, links, CSV import)
 *   wishes.tsx        /evenements/:id/voeux
 *   rotation.tsx      /evenements/:id/rotation (compute, read, publish)
 *   print.tsx         /evenements/:id/impression (cards, plates)
 *   checkin.tsx       /evenements/:id/accueil (door, walk-ins, re-plan)
 *   followup.tsx      /evenements/:id/suivi (ratings, proposals, partnerships)
 *   trial.tsx         /evenements/:id/essai (a randomised trial, adopted weights)
 *   shared.tsx        the signed-in member, the event, the tab frame, `submit`
 *
 * Reads come from the tables (scoped to the member's network); writes go
 * through the JSON API with the member's token.
 */
import { Hono } from 'hono'
import type { WebDeps } from '../context.ts'
import { checkinPages } from './checkin.tsx'
import { eventsPages } from './events.tsx'
import { followupPages } from './followup.tsx'
import { participantsPages } from './participants.tsx'
import { printPages } from './print.tsx'
import { rotationPages } from './rotation.tsx'
import { stagePages } from './stage.tsx'
import { trialPages } from './trial.tsx'
import { wishesPages } from './wishes.tsx'

export { notFoundPage, organiserOf } from './shared.tsx'

export function organiserPages(deps: WebDeps) {
  return new Hono()
    .route('/', eventsPages(deps))
    .route('/', stagePages(deps))
    .route('/', participantsPages(deps))
    .route('/', wishesPages(deps))
    .route('/', rotationPages(deps))
    .route('/', printPages(deps))
    .route('/', checkinPages(deps))
    .route('/', followupPages(deps))
    .route('/', trialPages(deps))
}
