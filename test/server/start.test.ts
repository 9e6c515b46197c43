/**
 * `npm start` as whoever runs the server sees it: the port is taken first (a
 * busy port is one line and exit 1, with nothing created), then on an empty
 * database one network, its admin token and a lab token granted to it are
 * printed, each on a line of its own, and work; a second start creates nothing.
 */
import { spawn } from 'node:child_process'
import { existsSync, mkdtempSync } from 'node:fs'
import { createServer, type Server } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, test } from 'vitest'

const root = new URL('../../', import.meta.url).pathname

function start(env: Record<string, string>) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
    cwd: root,
    env: { ...process.env, HOST: '127.0.0.1', LOAD_EXAMPLES: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let out = ''
  let err = ''
  child.stdout.on('data', (d) => (out += String(d)))
  child.stderr.on('data', (d) => (err += String(d)))
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)))
  return {
    child,
    exited,
    output: () => out,
    errors: () => err,
    /** resolves once stdout has a line matching `re` */
    waitFor: async (re: RegExp) => {
      for (let i = 0; i < 300 && !re.test(out); i++) {
        if (child.exitCode !== null) throw new Error(`the server exited: ${err}`)
        await new Promise((r) => setTimeout(r, 100))
      }
      if (!re.test(out)) throw new Error(`no ${re} in: ${out}`)
    },
  }
}

async function freePort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()))
  const { port } = server.address() as { port: number }
  await new Promise<void>((r) => server.close(() => r()))
  return port
}

describe('npm start', () => {
  test('a busy port is one clear line and exit 1, and nothing is created', async () => {
    const blocker: Server = createServer()
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', () => r()))
    const { port } = blocker.address() as { port: number }
    const dir = mkdtempSync(join(tmpdir(), 'start-'))
    try {
      const server = start({ PORT: String(port), DATABASE_URL: join(dir, 'db.sqlite') })
      expect(await server.exited).toBe(1)
      const lines = server.errors().trim().split('\n')
      expect(lines).toHaveLength(1)
      expect(lines[0]).toContain(String(port))
      expect(lines[0]).toMatch(/port déjà utilisé \/ port already in use/)
      expect(server.output()).not.toMatch(/adm_|lab_/)
      expect(existsSync(join(dir, 'db.sqlite'))).toBe(false)
    } finally {
      await new Promise<void>((r) => blocker.close(() => r()))
    }
  }, 30_000)

  test('the first start prints a network admin token and a lab token granted to it, once; both work', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'start-'))
    const port = await freePort()
    const env = { PORT: String(port), DATABASE_URL: join(dir, 'db.sqlite') }
    const first = start(env)
    try {
      await first.waitFor(/^lab_\S+$/m)
      const admin = /^(adm_\S+)$/m.exec(first.output())?.[1]
      const lab = /^(lab_\S+)$/m.exec(first.output())?.[1]
      expect(admin).toBeDefined()
      expect(lab).toBeDefined()
      const url = `http://127.0.0.1:${port}`
      const get = (path: string, token: string) => fetch(url + path, { headers: { authorization: `Bearer ${token}` } })
      const network = await (await get('/api/network', admin!)).json() as { role: string; network: { name: string } }
      expect(network).toMatchObject({ role: 'admin', network: { name: 'Premier réseau' } })
      const access = await (await get('/api/lab/access', lab!)).json() as { grants: { networkName: string }[] }
      expect(access.grants.map((g) => g.networkName)).toEqual(['Premier réseau'])
    } finally {
      first.child.kill('SIGTERM')
      await first.exited
    }
    const second = start(env)
    try {
      await second.waitFor(/Essai \/ try/)
      expect(second.output()).not.toMatch(/^(adm|lab)_/m)
    } finally {
      second.child.kill('SIGTERM')
      await second.exited
    }
  }, 60_000)
})
