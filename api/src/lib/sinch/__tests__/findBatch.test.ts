import http from 'node:http'
import type { AddressInfo } from 'node:net'

import { type AppConfig } from 'src/lib/config'
import { SANDBOX_API_TOKEN, SANDBOX_SERVICE_PLAN_ID } from 'src/lib/sandboxCredentials'

import { createSinchSmsClient } from '../client'

/** A stand-in for Sinch's batch list whose pages each test decides. */
let pages: { count: number; batches: { id: string; client_reference?: string }[] }[] = []
let queries: URLSearchParams[] = []
let server: http.Server
let base: string

beforeAll(async () => {
  server = http.createServer((req, res) => {
    const q = new URL(req.url ?? '/', 'http://x').searchParams
    queries.push(q)
    const page = pages[Number(q.get('page') ?? 0)] ?? { count: pages[0]?.count ?? 0, batches: [] }
    res.writeHead(200, { 'content-type': 'application/json' })
    res.end(JSON.stringify({ ...page, page: Number(q.get('page') ?? 0), page_size: Number(q.get('page_size')) }))
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()))
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
})
beforeEach(() => {
  pages = []
  queries = []
})
afterAll(() => new Promise<void>((r) => server.close(() => r())))

const client = () =>
  createSinchSmsClient({
    region: 'us',
    credentials: { mode: 'apiToken', servicePlanId: SANDBOX_SERVICE_PLAN_ID, apiToken: SANDBOX_API_TOKEN },
    smsBaseUrl: base,
    authUrl: `${base}/oauth2/token`,
    deliveryReport: 'per_recipient',
    requestTimeoutMs: 2000,
  } as AppConfig['sinch'])

const others = (n: number) => Array.from({ length: n }, (_, i) => ({ id: `OTHER${i}`, client_reference: 'other' }))

describe('findBatchByClientReference', () => {
  it('sends start_date and the reference, and reads the next page when the first has no match', async () => {
    pages = [
      { count: 101, batches: others(100) },
      { count: 101, batches: [{ id: 'FOUND', client_reference: 'msg_1' }] },
    ]
    const since = new Date('2026-11-01T10:00:00.000Z')
    expect(await client().findBatchByClientReference('msg_1', since)).toMatchObject({ id: 'FOUND' })
    expect(queries.map((q) => q.get('page'))).toEqual(['0', '1'])
    expect(queries[0].get('start_date')).toBe('2026-11-01T10:00:00.000Z')
    expect(queries[0].get('client_reference')).toBe('msg_1')
    expect(queries[0].get('page_size')).toBe('100')
  })

  it('stops after the last page and answers null', async () => {
    pages = [{ count: 3, batches: others(3) }]
    expect(await client().findBatchByClientReference('msg_1', new Date())).toBeNull()
    expect(queries).toHaveLength(1)
  })
})
