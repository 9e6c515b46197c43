/**
 * The administration command line (`npm run admin -- …`) on a real database:
 * each new token on a line of its own, and working; revoking stops it; labs
 * read the networks that granted them access.
 */
import { describe, expect } from 'vitest'
import { createApp } from '../../src/app.ts'
import { runAdminCli } from '../../src/cli/admin.ts'
import { dbTest, dialects } from '../helpers/db.ts'

describe.each(dialects)('npm run admin on %s', (dialect) => {
  const test = dbTest(dialect)

  test('networks, tokens, labs and grants', async ({ db }) => {
    const app = createApp({ db })
    const run = async (...argv: string[]) => {
      const out: string[] = []
      const err: string[] = []
      const code = await runAdminCli(argv, db, { out: (l) => out.push(l), err: (l) => err.push(l) })
      return { code, out, err }
    }
    const get = async (path: string, token: string) => app.request(path, { headers: { authorization: `Bearer ${token}` } })

    const network = await run('network', 'add', 'Réseau Alsace Partenariats')
    expect(network.code).toBe(0)
    const networkId = /: (\S+)$/.exec(network.out[0]!)![1]!
    const admin = network.out.find((l) => /^adm_\S+$/.test(l))!
    expect((await get('/api/network', admin)).status).toBe(200)

    const organiser = await run('token', 'add', '--network', networkId, '--role', 'organiser', '--label', 'Camille')
    expect(organiser.code).toBe(0)
    const token = organiser.out.find((l) => /^org_\S+$/.test(l))!
    const tokenId = /: (\S+)$/.exec(organiser.out[0]!)![1]!
    expect((await get('/api/events', token)).status).toBe(200)

    // a door token needs its event; an unknown network or event is refused with a reason
    expect((await run('token', 'add', '--network', networkId, '--role', 'accueil', '--label', 'Porte')).code).toBe(2)
    expect((await run('token', 'add', '--network', 'nope', '--role', 'organiser', '--label', 'X')).code).toBe(1)
    expect((await run('token', 'add', '--network', networkId, '--role', 'lab', '--label', 'X')).code).toBe(2)

    const list = await run('token', 'list', '--network', networkId)
    expect(list.out.some((l) => l.includes('Camille') && l.includes('organiser'))).toBe(true)
    expect(list.out.join('\n')).not.toContain(token)

    expect((await run('token', 'revoke', tokenId)).code).toBe(0)
    expect((await get('/api/events', token)).status).toBe(401)
    expect((await run('token', 'revoke', tokenId)).code).toBe(1)

    const lab = await run('lab', 'add', 'Observatoire des partenariats')
    const labId = /: (\S+)$/.exec(lab.out[0]!)![1]!
    const labToken = lab.out.find((l) => /^lab_\S+$/.test(l))!
    expect(((await (await get('/api/lab/events', labToken)).json()) as { events: unknown[] }).events).toEqual([])
    expect((await run('lab', 'grant', labId, networkId)).code).toBe(0)
    expect((await run('lab', 'grant', labId, networkId)).code).toBe(1)
    const access = (await (await get('/api/lab/access', labToken)).json()) as { grants: { networkName: string }[] }
    expect(access.grants.map((g) => g.networkName)).toEqual(['Réseau Alsace Partenariats'])
    expect((await run('lab', 'withdraw', labId, networkId)).code).toBe(0)

    expect((await run('frobnicate')).code).toBe(2)
    expect((await run()).err.join('\n')).toContain('usage: npm run admin')
  })
})
