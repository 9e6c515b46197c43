/**
 * A solve longer than a second shows where it stands on the rotation page: with
 * the solver in its worker thread (as `npm start` runs it), the page's script
 * polls `…/rotation/progres` (cookie auth) while the form's request waits, and
 * shows the phase in words and a bar. Here the route is read while a large
 * event solves.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { workerSolver } from '../../src/domain/solver-runner.ts'
import { startSite, type Site } from './site.ts'

const themes = ['handicap', 'insertion-jeunes', 'emploi-jeunes', 'precarite', 'numerique-rural', 'vieillissement', 'education-orientation', 'environnement']
const resources = ['competences-communication', 'competences-numerique', 'competences-juridique', 'competences-gestion', 'competences-rh', 'temps-salaries', 'dons-materiel', 'locaux']

/** 300 associations and 300 companies with varied profiles: a solve of a few seconds. */
function bigCsv(): string {
  const lines = ['type;nom;participant;thèmes;offres;besoins']
  const pick = (list: string[], i: number, k: number) => Array.from({ length: k }, (_, j) => list[(i * 7 + j * 3) % list.length]).join(',')
  for (let i = 0; i < 300; i++) {
    lines.push(`association;Association n°${i + 1};Personne A${i + 1};${pick(themes, i, 2)};${pick(resources, i, 1)};${pick(resources, i + 3, 2)}`)
    lines.push(`entreprise;Entreprise n°${i + 1};Personne E${i + 1};${pick(themes, i + 1, 2)};${pick(resources, i + 5, 2)};${pick(resources, i + 2, 1)}`)
  }
  return lines.join('\n') + '\n'
}

describe('progress of a long solve', () => {
  let site: Site
  const solver = workerSolver()

  beforeAll(async () => {
    site = await startSite({ solver })
  }, 120_000)
  afterAll(async () => {
    await site?.close()
    await solver.close()
  })

  test('the rotation page’s progress route follows the worker: phase and share while it runs, nothing once done', async () => {
    const { event } = await site.call('POST', '/api/events', site.org, {
      title: 'Grand forum', date: '2027-05-20', rounds: 20, meetingMinutes: 6, transitionMinutes: 1, breaks: [], tables: 300, seatedSide: 'company',
    })
    const imported = await fetch(`${site.url}/api/events/${event.id}/participants/import`, {
      method: 'POST',
      headers: { authorization: `Bearer ${site.org}`, 'content-type': 'text/csv' },
      body: bigCsv(),
    })
    expect(imported.status).toBe(201)
    const progress = async () => {
      const r = await fetch(`${site.url}/evenements/${event.id}/rotation/progres`, { headers: { cookie: `org_token=${site.org}`, accept: 'application/json' } })
      expect(r.status).toBe(200)
      return (await r.json()) as { running: boolean; phase: string | null; fraction: number | null; queued: number }
    }
    expect(await progress()).toEqual({ running: false, phase: null, fraction: null, queued: 0 })
    const solving = fetch(`${site.url}/evenements/${event.id}/rotation`, { method: 'POST', headers: { cookie: `org_token=${site.org}` }, redirect: 'manual' })
    const seen: { phase: string | null; fraction: number | null }[] = []
    let done = false
    void solving.then(() => (done = true))
    while (!done) {
      const p = await progress()
      if (p.running) seen.push({ phase: p.phase, fraction: p.fraction })
      await new Promise((resolve) => setTimeout(resolve, 20))
    }
    expect((await solving).status).toBe(303)
    // the worker's phases were seen while it ran, their share never going back
    expect(seen.some((p) => p.phase !== null)).toBe(true)
    const fractions = seen.map((p) => p.fraction ?? 0)
    expect(fractions).toEqual([...fractions].sort((a, b) => a - b))
    expect(await progress()).toEqual({ running: false, phase: null, fraction: null, queued: 0 })
  }, 240_000)
})
