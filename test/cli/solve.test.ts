import { execSync } from 'node:child_process'
import { mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, test } from 'vitest'
import { runSolveCli } from '../../src/cli/solve.ts'

function run(args: string[], files: Record<string, string> = {}) {
  const out: string[] = []
  const err: string[] = []
  const code = runSolveCli(args, {
    out: (t) => out.push(t),
    err: (t) => err.push(t),
    readFile: (path) => files[path] ?? readFileSync(path, 'utf8'),
  })
  return { code, out: out.join('\n'), err: err.join('\n') }
}

describe('npm run solve', () => {
  test.for(['alsace-10x10.json', '12x10-8-rounds.json', '30x30-windows.json'])('solves data/instances/%s and prints the result as JSON', (name) => {
    const { code, out } = run([`data/instances/${name}`])
    expect(code).toBe(0)
    const result = JSON.parse(out)
    expect(['optimal', 'feasible']).toContain(result.status)
    expect(result.meetings.length).toBeGreaterThan(0)
    expect(result.meetings[0]).toEqual(expect.objectContaining({ round: 1, table: expect.any(Number), association: expect.any(String), company: expect.any(String), score: expect.any(Number) }))
    expect(result.stats).toEqual(expect.objectContaining({ fairnessLevel: expect.any(Number), idleRounds: expect.any(Number) }))
  })

  test('scores computed from profiles come with reasons in words', () => {
    const { out } = run(['data/instances/30x30-windows.json'])
    const result = JSON.parse(out)
    expect(result.meetings.some((m: { reasons?: string[] }) => (m.reasons?.length ?? 0) > 0)).toBe(true)
  })

  test('--format table prints one block per round, by names, within 80 columns', () => {
    const { code, out } = run(['data/instances/30x30-windows.json', '--format', 'table'])
    expect(code).toBe(0)
    const lines = out.split('\n')
    expect(lines[0]).toBe('Tour 1')
    expect(lines[1]).toMatch(/^ {2}table 1\u00a0: \S.* × \S/)
    expect(out).not.toMatch(/\b(asso|ent|a|c)-\d+\b/)
    expect(Math.max(...lines.map((l) => l.length))).toBeLessThanOrEqual(80)
    expect(out).toMatch(/^Tour 2$/m)
    expect(out).toMatch(/Rotation (optimale|réalisable)\u00a0: score [\d\u202f]+(,\d)? sur une borne de/)
  })

  test('--format table wraps to the terminal width and gives the clock time of each round', () => {
    const instance = JSON.parse(readFileSync('data/instances/alsace-10x10.json', 'utf8'))
    const timed = JSON.stringify({ ...instance, startTime: '18:30', meetingMinutes: 7, transitionMinutes: 1, breaks: [{ afterRound: 5, minutes: 10 }] })
    const out: string[] = []
    const code = runSolveCli(['timed.json', '--format', 'table'], { out: (t) => out.push(t), err: () => {}, readFile: () => timed, columns: 40 })
    expect(code).toBe(0)
    const lines = out.join('\n').split('\n')
    expect(lines[0]).toBe('Tour 1 — 18\u00a0h\u00a030')
    expect(lines).toContain('Tour 2 — 18\u00a0h\u00a038')
    // 5 rounds of 8 minutes, then a 10-minute break
    expect(lines).toContain('Tour 6 — 19\u00a0h\u00a020')
    expect(Math.max(...lines.map((l) => l.length))).toBeLessThanOrEqual(40)
    // a wrapped line goes on under the names, not under "table"
    expect(lines.some((l) => /^ {12}\S/.test(l))).toBe(true)
  })

  test('`npm run solve -- file > out.json` writes the JSON only (no npm banner)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'solve-'))
    const file = join(dir, 'out.json')
    execSync(`npm run solve -- data/instances/alsace-10x10.json > ${JSON.stringify(file)}`, { cwd: process.cwd(), stdio: ['ignore', 'ignore', 'pipe'] })
    const text = readFileSync(file, 'utf8')
    expect(text.trimStart().startsWith('{')).toBe(true)
    expect(JSON.parse(text).status).toBe('optimal')
  }, 60_000)

  test.for(['infeasible-required-forbidden.json', 'infeasible-too-few-rounds.json'])('an impossible instance exits 1 with the reason (%s)', (name) => {
    const { code, out, err } = run([`data/instances/${name}`])
    expect(code).toBe(1)
    expect(JSON.parse(out).status).toBe('infeasible')
    expect(err).toMatch(/infeasible: .+/)
  })

  test('an invalid instance prints its issues with their paths and exits 2', () => {
    const file = JSON.stringify({ rounds: 2, associations: [{ id: 'a1' }], companies: [{ id: 'c1' }], required: [['a1', 'zz']] })
    const { code, err } = run(['bad.json'], { 'bad.json': file })
    expect(code).toBe(2)
    expect(err).toMatch(/required\[0\]\[1\]: .*unknown company "zz"/)
  })

  test('unreadable JSON and a missing file argument exit 2', () => {
    expect(run(['x.json'], { 'x.json': '{ nope' }).code).toBe(2)
    expect(run([]).code).toBe(2)
    expect(run(['a.json', '--format', 'xml']).code).toBe(2)
  })
})
