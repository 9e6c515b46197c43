import { describe, expect, test } from 'vitest'
import { loadConfig } from '../../src/config.ts'

describe('loadConfig', () => {
  test('defaults: port 3000, SQLite file in var/, links on localhost', () => {
    expect(loadConfig({})).toEqual({
      port: 3000, host: '0.0.0.0', databaseUrl: 'var/speeddating.sqlite', publicUrl: 'http://localhost:3000', loadExamples: true,
    })
  })
  test('from the environment', () => {
    const config = loadConfig({ PORT: '8080', HOST: '127.0.0.1', DATABASE_URL: 'postgres://u:p@db/x', PUBLIC_URL: 'https://rencontres.example.org/', LOAD_EXAMPLES: '0' })
    expect(config).toEqual({ port: 8080, host: '127.0.0.1', databaseUrl: 'postgres://u:p@db/x', publicUrl: 'https://rencontres.example.org', loadExamples: false })
  })
  test('a bad port is refused with its name', () => {
    expect(() => loadConfig({ PORT: 'eighty' })).toThrow(/PORT/)
  })
})
