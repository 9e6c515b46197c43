/**
 * `npm start` is the process that receives signals: SIGTERM to npm stops the
 * server within 5 s and leaves no process behind.
 */
import { spawn, execFileSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { expect, test } from 'vitest'

const root = new URL('../../', import.meta.url).pathname

/** Every descendant of `pid`, from ps. */
function descendants(pid: number): number[] {
  const rows = execFileSync('ps', ['-eo', 'pid=,ppid='], { encoding: 'utf8' })
    .trim()
    .split('\n')
    .map((line) => line.trim().split(/\s+/).map(Number) as [number, number])
  const found: number[] = []
  const queue = [pid]
  while (queue.length > 0) {
    const parent = queue.shift()!
    for (const [child, ppid] of rows) if (ppid === parent) (found.push(child), queue.push(child))
  }
  return found
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}

test('SIGTERM to npm start stops the server within 5 s, no orphan left', { timeout: 60_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'rencontres-start-'))
  const npm = spawn('npm', ['start'], {
    cwd: root,
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', DATABASE_URL: join(dir, 'db.sqlite'), LOAD_EXAMPLES: '0', PUBLIC_URL: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  try {
    let output = ''
    const port = await new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no URL line in 40 s: ${output}`)), 40_000)
      npm.stdout.on('data', (chunk: Buffer) => {
        output += chunk.toString()
        const match = /\(port (\d+),/.exec(output)
        if (match) (clearTimeout(timer), resolve(Number(match[1])))
      })
      npm.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()))
      npm.on('exit', (code) => reject(new Error(`npm exited (${code}): ${output}`)))
    })
    const health = await fetch(`http://127.0.0.1:${port}/api/health`)
    expect(health.status).toBe(200)
    const tree = descendants(npm.pid!)
    expect(tree.length).toBeGreaterThan(0)

    const sent = Date.now()
    npm.kill('SIGTERM')
    const everyone = [npm.pid!, ...tree]
    while (everyone.some(alive) && Date.now() - sent < 5_000) await new Promise((r) => setTimeout(r, 100))
    expect(everyone.filter(alive), output).toEqual([])
    expect(Date.now() - sent).toBeLessThan(5_000)
    await expect(fetch(`http://127.0.0.1:${port}/api/health`)).rejects.toThrow()
    expect(output).toContain('SIGTERM')
  } finally {
    if (npm.exitCode === null) npm.kill('SIGKILL')
    rmSync(dir, { recursive: true, force: true })
  }
})
