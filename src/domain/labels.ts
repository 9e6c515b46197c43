/**
 * The words for the service's codes, in both languages: event statuses,
 * partnership stages, proposal statuses, sides, attendance. One table for the
 * domain's messages (errors, e-mails) and for the pages (src/web/i18n.ts
 * reads its `status.*`, `pipeline.*`, `proposal.*` and `side.*` keys from
 * here), so that a code never reaches a reader as it is.
 */
import type { EventStatus, PartnershipStatus } from '../db/schema.ts'
import type { Auth } from '../auth/tokens.ts'
import type { Lang, Msg } from '../errors.ts'

export const eventStatusLabels: Record<EventStatus, Msg> = {
  draft: { fr: 'brouillon', en: 'draft' },
  open: { fr: 'inscriptions ouvertes', en: 'registration open' },
  scheduled: { fr: 'rotation publiée', en: 'rotation published' },
  live: { fr: 'en cours', en: 'live' },
  closed: { fr: 'terminé', en: 'closed' },
}

/** Partnership stages, as the board's columns name them (capitalised) */
export const pipelineLabels: Record<PartnershipStatus, Msg> = {
  proposed: { fr: 'Proposé', en: 'Proposed' },
  contacted: { fr: 'Contacté', en: 'Contacted' },
  in_discussion: { fr: 'En discussion', en: 'In discussion' },
  agreement: { fr: 'Accord', en: 'Agreement' },
  carried_out: { fr: 'Réalisé', en: 'Carried out' },
  renewed: { fr: 'Renouvelé', en: 'Renewed' },
  abandoned: { fr: 'Abandonné', en: 'Abandoned' },
}

export const proposalLabels: Record<'proposed' | 'accepted' | 'dropped', Msg> = {
  proposed: { fr: 'proposée', en: 'proposed' },
  accepted: { fr: 'acceptée', en: 'accepted' },
  dropped: { fr: 'écartée', en: 'dropped' },
}

/** Account roles, as the network page and the API's refusals name them */
export const roleLabels: Record<Auth['role'], Msg> = {
  admin: { fr: 'administrateur du réseau', en: 'network admin' },
  organiser: { fr: 'organisateur', en: 'organiser' },
  accueil: { fr: 'accueil', en: 'door volunteer' },
  salle: { fr: 'écran de salle', en: 'room screen' },
  lab: { fr: 'laboratoire', en: 'lab' },
  participant: { fr: 'participant (lien personnel)', en: 'participant (personal link)' },
}

export const sideLabels: Record<'association' | 'company', Msg> = {
  association: { fr: 'association', en: 'association' },
  company: { fr: 'entreprise', en: 'company' },
}

export const attendanceLabels: Record<'registered' | 'present' | 'absent' | 'walk-in', Msg> = {
  registered: { fr: 'inscrit', en: 'registered' },
  present: { fr: 'présent', en: 'present' },
  absent: { fr: 'absent', en: 'absent' },
  'walk-in': { fr: 'venu sans inscription', en: 'walk-in' },
}

/** `label(pipelineLabels, 'in_discussion')` in both languages, lower-cased for a sentence: « en discussion ». */
export function inSentence(message: Msg): Msg {
  return { fr: message.fr.toLocaleLowerCase('fr-FR'), en: message.en.toLocaleLowerCase('en-GB') }
}

/** Joins labels: « proposé, contacté » / "proposed, contacted"; `none` when empty. */
export function joinLabels(labels: Msg[], none: Msg = { fr: 'aucun', en: 'none' }): Msg {
  if (labels.length === 0) return none
  return { fr: labels.map((l) => l.fr).join(', '), en: labels.map((l) => l.en).join(', ') }
}

export const word = (message: Msg, lang: Lang): string => message[lang]
