import http from 'node:http'
import type { AddressInfo } from 'node:net'

import { createOAuthTokenFetcher } from '../oauth'

describe('OAuth2 token cache', () => {
  let server: http.Server
  let url: string
  let issued = 0
  let lastAuth = ''
  beforeAll(async () => {
    server = http.createServer((req, res) => {
      lastAuth = String(req.headers.authorization)
      issued++
      setTimeout(
        () =>
          res
            .writeHead(200, { 'content-type': 'application/json' })
            .end(JSON.stringify({ access_token: `t${issued}`, expires_in: 3600 })),
        30
      )
    })
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()))
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/oauth2/token`
  })
  afterAll(() => new Promise<void>((r) => server.close(() => r())))
  beforeEach(() => (issued = 0))

  it('shares one request between concurrent callers and caches until 60 s before expiry', async () => {
    let now = 1_000_000
    const tokens = createOAuthTokenFetcher({
      authUrl: url,
      keyId: 'key',
      keySecret: 'secret',
      timeoutMs: 1000,
      now: () => now,
    })
    expect(await Promise.all([tokens.token(), tokens.token(), tokens.token()])).toEqual(['t1', 't1', 't1'])
    expect(issued).toBe(1)
    expect(lastAuth).toBe(`Basic ${Buffer.from('key:secret').toString('base64')}`)
    now += 3600_000 - 61_000
    expect(await tokens.token()).toBe('t1')
    now += 2_000
    expect(await tokens.token()).toBe('t2')
    expect(issued).toBe(2)
  })

  it('fetches a new token after invalidate()', async () => {
    const tokens = createOAuthTokenFetcher({ authUrl: url, keyId: 'k', keySecret: 's', timeoutMs: 1000 })
    await tokens.token()
    tokens.invalidate()
    await tokens.token()
    expect(issued).toBe(2)
  })
})
