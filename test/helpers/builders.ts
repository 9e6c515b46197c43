/** Small builders for HTTP tests: an event with participants, created through the API. */
import type { Api } from './api.ts'

export const eventBody = {
  title: 'Soirée partenariats Strasbourg',
  date: '2026-12-03',
  venue: 'CCI Strasbourg',
  startTime: '18:30',
  rounds: 4,
  meetingMinutes: 7,
  transitionMinutes: 1,
  breaks: [{ afterRound: 2, minutes: 10 }],
  tables: 3,
  seatedSide: 'company' as const,
}

export async function createEvent(api: Api, token = api.org, body: Record<string, unknown> = eventBody): Promise<string> {
  const r = await api.call('POST', '/api/events', { token, json: body })
  if (r.status !== 201) throw new Error(`create event: ${r.status} ${r.text}`)
  return r.body.event.id as string
}

export interface Added {
  id: string
  organisationId: string
  token: string
}

export async function addParticipant(
  api: Api,
  eventId: string,
  kind: 'association' | 'company',
  name: string,
  extra: Record<string, unknown> = {},
  organisation: Record<string, unknown> = {},
): Promise<Added> {
  const r = await api.call('POST', `/api/events/${eventId}/participants`, {
    token: api.org,
    json: { organisation: { kind, name, themes: ['insertion-jeunes'], ...organisation }, personName: `Personne ${name}`, ...extra },
  })
  if (r.status !== 201) throw new Error(`add participant: ${r.status} ${r.text}`)
  return { id: r.body.participant.id, organisationId: r.body.participant.organisation.id, token: r.body.token }
}

/** An event with 3 associations and 3 companies. */
export async function smallEvent(api: Api) {
  const eventId = await createEvent(api)
  const associations = [
    await addParticipant(api, eventId, 'association', 'Les Jardins de la Montagne Verte', {}, { offers: ['visibilite'], needs: ['competences-numerique'] }),
    await addParticipant(api, eventId, 'association', 'Entraide Neudorf'),
    await addParticipant(api, eventId, 'association', 'Sport Solidaire Colmar'),
  ]
  const companies = [
    await addParticipant(api, eventId, 'company', 'Numérique Rhénan SAS', {}, { offers: ['competences-numerique'] }),
    await addParticipant(api, eventId, 'company', 'Brasserie du Kochersberg'),
    await addParticipant(api, eventId, 'company', 'Transports Ill-Bruche'),
  ]
  return { eventId, associations, companies }
}
