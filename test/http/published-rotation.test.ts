/**
 * A published rotation never changes under the organiser's feet, and a
 * re-plan never blocks: removing one of its participants or changing what it
 * was computed for answers 409 in words; withdrawing the publication before
 * the evening lets the organiser change them; a version that lost meetings is
 * not published; a "must meet" pair with someone absent is dropped with a
 * warning naming both organisations, and the diff says what publishing changes.
 */
import { describe, expect } from 'vitest'
import { apiTest } from '../helpers/api.ts'
import { smallEvent } from '../helpers/builders.ts'
import { dialects } from '../helpers/db.ts'

describe.each(dialects)('the published rotation on %s', (dialect) => {
  const test = apiTest(dialect)

  test('removing a participant or changing rounds, tables or times is refused in words; withdrawing the publication lets both through', async ({ api }) => {
    const { eventId, associations } = await smallEvent(api)
    const published = await api.call('POST', `/api/events/${eventId}/schedule?publish=1`, { token: api.org })
    expect(published.status).toBe(201)

    const removal = await api.call('DELETE', `/api/events/${eventId}/participants/${associations[1]!.id}`, { token: api.org })
    expect(removal.status).toBe(409)
    expect(removal.body.error.message).toMatch(/^Personne Entraide Neudorf \(Entraide Neudorf\) a \d+\u00a0rencontres? dans la rotation publiée \(version 1\)\u00a0: marquez cette personne absente/)
    const settings = await api.call('PATCH', `/api/events/${eventId}`, { token: api.org, json: { rounds: 3, startTime: '19:00' } })
    expect(settings.status).toBe(409)
    expect(settings.body.error.message).toMatch(/calculée pour 4\u00a0tours.*pour changer le nombre de tours, l’heure de début, retirez d’abord sa publication/)
    const english = await api.call('PATCH', `/api/events/${eventId}`, { token: api.org, json: { tables: 1 }, headers: { 'accept-language': 'en' } })
    expect(english.body.error.message).toMatch(/^The published rotation \(version 1\) was computed for 4 rounds.*to change the number of tables/)
    // changing what the rotation does not depend on still works, and so does giving the same values
    expect((await api.call('PATCH', `/api/events/${eventId}`, { token: api.org, json: { venue: 'Hôtel de Ville', rounds: 4 } })).status).toBe(200)

    const withdrawn = await api.call('POST', `/api/events/${eventId}/schedules/1/unpublish`, { token: api.org })
    expect(withdrawn.status).toBe(200)
    expect((await api.call('GET', `/api/events/${eventId}`, { token: api.org })).body).toMatchObject({ event: { status: 'open' }, publishedVersion: null })
    expect((await api.call('POST', `/api/events/${eventId}/schedules/1/unpublish`, { token: api.org })).status).toBe(409)
    const audit = await api.db.selectFrom('audit_log').select('action').where('target', '=', `event:${eventId}`).execute()
    expect(audit.map((a) => a.action)).toEqual(['schedule-unpublish'])

    expect((await api.call('PATCH', `/api/events/${eventId}`, { token: api.org, json: { rounds: 3 } })).status).toBe(200)
    expect((await api.call('DELETE', `/api/events/${eventId}/participants/${associations[1]!.id}`, { token: api.org })).status).toBe(204)
    // version 1 lost that participant's meetings: it is out of date and is not published again
    const stale = await api.call('POST', `/api/events/${eventId}/schedules/1/publish`, { token: api.org })
    expect(stale.status).toBe(409)
    expect(stale.body.error.message).toMatch(/^La version 1 est périmée/)
  })

  test('once the evening is live, the publication stays: re-plan instead', async ({ api }) => {
    const { eventId } = await smallEvent(api)
    await api.call('POST', `/api/events/${eventId}/status`, { token: api.org, json: { status: 'open' } })
    await api.call('POST', `/api/events/${eventId}/schedule?publish=1`, { token: api.org })
    expect((await api.call('POST', `/api/events/${eventId}/status`, { token: api.org, json: { status: 'live' } })).status).toBe(200)
    const refused = await api.call('POST', `/api/events/${eventId}/schedules/1/unpublish`, { token: api.org })
    expect(refused.status).toBe(409)
    expect(refused.body.error.message).toMatch(/re-planifiez les tours restants/)
  })

  test('a must-meet pair with someone absent: the re-plan goes through, names both organisations, and the diff says what changes', async ({ api }) => {
    const { eventId, associations, companies } = await smallEvent(api)
    await api.call('POST', `/api/events/${eventId}/schedule?publish=1`, { token: api.org })
    const [absentee, partner] = [associations[0]!, companies[2]!]
    expect((await api.call('PUT', `/api/events/${eventId}/wishes`, { token: api.org, json: { from: absentee.id, to: partner.id, level: 'must' } })).status).toBe(200)
    await api.call('POST', `/api/events/${eventId}/participants/${absentee.id}/attendance`, { token: api.org, json: { attendance: 'absent' } })
    const replan = await api.call('POST', `/api/events/${eventId}/schedule/replan`, { token: api.org, json: { fromRound: 1 } })
    expect(replan.status).toBe(201)
    expect(replan.body.schedule.status).not.toBe('infeasible')
    expect(replan.body.schedule.warnings).toEqual([
      {
        kind: 'required-dropped',
        association: 'Les Jardins de la Montagne Verte',
        company: 'Transports Ill-Bruche',
        absent: ['Les Jardins de la Montagne Verte'],
        message: {
          fr: 'Rencontre obligatoire retirée\u00a0: Les Jardins de la Montagne Verte × Transports Ill-Bruche, car Les Jardins de la Montagne Verte n’est pas là.',
          en: 'Required meeting dropped: Les Jardins de la Montagne Verte × Transports Ill-Bruche, as Les Jardins de la Montagne Verte is not here.',
        },
      },
    ])
    const diff = await api.call('GET', `/api/events/${eventId}/schedules/2/diff`, { token: api.org })
    expect(diff.status).toBe(200)
    expect(diff.body).toMatchObject({ version: 2, against: 1, diff: { fromRound: 1 } })
    // every meeting of the absentee is lost, none gained for it; names only, never ids
    const lost = diff.body.diff.lost as { association: string; company: string }[]
    expect(lost.filter((m) => m.association === 'Les Jardins de la Montagne Verte').length).toBeGreaterThan(0)
    expect(diff.body.diff.gained.some((m: { association: string }) => m.association === 'Les Jardins de la Montagne Verte')).toBe(false)
    expect(JSON.stringify(diff.body)).not.toMatch(/[0-9a-f]{8}-[0-9a-f]{4}-/)
    // the published version has nothing to compare with itself
    expect((await api.call('GET', `/api/events/${eventId}/schedules/1/diff`, { token: api.org })).body).toEqual({ version: 1, against: 1, diff: null })
    expect((await api.call('POST', `/api/events/${eventId}/schedules/2/publish`, { token: api.org })).status).toBe(200)
  })
})
