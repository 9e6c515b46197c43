/**
 * Under CI=true a missing dependency fails the run with a clear message
 * instead of skipping suites: checked by running vitest on one file without it.
 */
import { spawnSync } from 'node:child_process'
import { expect, test } from 'vitest'

const root = new URL('../../', import.meta.url).pathname

function vitest(file: string, env: Record<string, string | undefined>) {
  const clean: Record<string, string> = {}
  for (const [k, v] of Object.entries({ ...process.env, ...env })) if (v !== undefined) clean[k] = v
  const run = spawnSync('npx', ['vitest', 'run', file], { cwd: root, env: clean, encoding: 'utf8', timeout: 60_000 })
  return { status: run.status, output: `${run.stdout}${run.stderr}` }
}

test('CI=true without TEST_POSTGRES_URL fails the database suites', { timeout: 70_000 }, () => {
  const run = vitest('test/http/health.test.ts', { CI: 'true', TEST_POSTGRES_URL: undefined })
  expect(run.status).not.toBe(0)
  expect(run.output).toContain('CI=true but TEST_POSTGRES_URL is not set')
})

test('CI=true without Chromium fails the browser suites', { timeout: 70_000 }, () => {
  const run = vitest('test/web/csp.test.ts', { CI: 'true', TEST_POSTGRES_URL: 'postgres://unused@127.0.0.1:1/none', CHROMIUM_PATH: '/nonexistent/chromium' })
  expect(run.status).not.toBe(0)
  expect(run.output).toContain('CI=true but no chromium binary at /nonexistent/chromium')
})
