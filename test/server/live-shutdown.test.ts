/**
 * An open live stream (a room screen left on) does not hold the server's
 * shutdown up: on SIGTERM the live bus closes, the stream ends from the
 * server's side, and the process exits cleanly.
 */
import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { expect, test } from 'vitest'

const root = new URL('../../', import.meta.url).pathname

test('SIGTERM ends the open live streams and the server exits with 0', { timeout: 60_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'rencontres-live-'))
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
    cwd: root,
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', DATABASE_URL: join(dir, 'db.sqlite'), LOAD_EXAMPLES: '0', PUBLIC_URL: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let output = ''
  child.stdout.on('data', (d) => (output += String(d)))
  child.stderr.on('data', (d) => (output += String(d)))
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)))
  try {
    for (let i = 0; i < 400 && !/Essai \/ try/.test(output); i++) await new Promise((r) => setTimeout(r, 100))
    const port = Number(/\(port (\d+),/.exec(output)?.[1])
    const admin = /^(adm_\S+)$/m.exec(output)?.[1]
    expect(port, output).toBeGreaterThan(0)
    expect(admin, output).toBeTruthy()
    const url = `http://127.0.0.1:${port}`
    const created = await fetch(`${url}/api/events`, {
      method: 'POST',
      headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json' },
      body: JSON.stringify({ title: 'Soirée', date: '2027-01-14', startTime: '18:30', rounds: 4, seatedSide: 'company' }),
    })
    expect(created.status).toBe(201)
    const eventId = ((await created.json()) as { event: { id: string } }).event.id

    const res = await fetch(`${url}/evenements/${eventId}/salle/flux`, { headers: { cookie: `org_token=${admin}`, accept: 'text/event-stream' } })
    expect(res.status).toBe(200)
    const reader = res.body!.getReader()
    let received = ''
    while (!received.includes('event: clock')) received += new TextDecoder().decode((await reader.read()).value)

    child.kill('SIGTERM')
    // the server ends the stream itself (the client does not hang up)
    for (;;) if ((await reader.read()).done) break
    await expect(exited).resolves.toBe(0)
    expect(output).toContain('SIGTERM')
  } finally {
    if (child.exitCode === null) child.kill('SIGKILL')
    rmSync(dir, { recursive: true, force: true })
  }
})
