import { readFileSync } from 'node:fs'
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

  test('--format table prints a grid of rounds x tables', () => {
    const { code, out } = run(['data/instances/alsace-10x10.json', '--format', 'table'])
    expect(code).toBe(0)
    const lines = out.split('\n')
    expect(lines[0]).toMatch(/^Tour\/Round \| Table 1 .*\| Table 10$/)
    expect(lines[2]).toMatch(/^1 +\| asso-1 \/ ent-1 /)
    expect(out).toMatch(/status: optimal/)
  })

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
