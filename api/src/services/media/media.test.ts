/**
 * Media end to end on the api side: a signed Conversation inbound callback
 * with a media_message through the real /sinchCallbacks handler, the
 * background fetcher against a real HTTP server (a photo behind a lying
 * Content-Type, an expired link, an endless body, HTML posing as a JPEG, a
 * flaky server, a redirect to a host we do not fetch from), serving only to
 * signed-in staff, and the signed links Sinch fetches outbound files from.
 */
import crypto from 'node:crypto'
import http from 'node:http'
import type { AddressInfo } from 'node:net'

import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda'
import { samplePng } from 'sandbox/mediaFiles'
import { callbackEvent, TEST_CALLBACK_SECRET } from 'testing/callbackEvent'
import { listenLive } from 'testing/liveNotifications'

import { handler as auth } from 'src/functions/auth'
import { handler as mediaFunction } from 'src/functions/media'
import { handler as mediaPublic } from 'src/functions/mediaPublic'
import { handler as sinchCallbacks } from 'src/functions/sinchCallbacks'
import { config, resetConfigForTests } from 'src/lib/config'
import { contentView } from 'src/lib/conversationContent'
import { db } from 'src/lib/db'
import { sniffMediaType } from 'src/lib/mediaTypes'
import { signedMediaUrl } from 'src/lib/mediaUrl'
import { pruneExpired } from 'src/services/retention/retention'
import { upsertStaffUser } from 'src/services/staff/staff'

import { fetchDueMedia } from './mediaFetcher'
import { claimDueMedia } from './mediaStore'

jest.setTimeout(60_000)

const PNG = samplePng(8)
const hits: Record<string, number> = {}
let bigBytesWritten = 0
let server: http.Server
let base: string

const ENV = [
  'SINCH_CALLBACK_SECRETS',
  'SINCH_CALLBACK_AUTH',
  'MEDIA_FETCH_ALLOWED_HOSTS',
  'MEDIA_MAX_BYTES',
  'MEDIA_FETCH_RETRY_SECONDS',
  'MEDIA_FETCH_MAX_ATTEMPTS',
  'MEDIA_FETCH_TIMEOUT_MS',
]
const saved: Record<string, string | undefined> = {}

beforeAll(async () => {
  server = http.createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0]
    hits[path] = (hits[path] ?? 0) + 1
    switch (path) {
      case '/photo.png':
        // The header lies; the bytes decide.
        return res.writeHead(200, { 'content-type': 'text/html' }).end(PNG)
      case '/expired':
        return res.writeHead(410).end('gone')
      case '/endless': {
        // No Content-Length, and a body that never ends: only a cap enforced while reading stops it.
        res.writeHead(200, { 'content-type': 'image/png' })
        const block = Buffer.concat([PNG, Buffer.alloc(64 * 1024 - PNG.length)])
        const write = () => {
          while (!res.destroyed && bigBytesWritten < 64 * 1024 * 1024) {
            bigBytesWritten += block.length
            if (!res.write(block)) return res.once('drain', write)
          }
          res.end()
        }
        res.on('close', () => {})
        return write()
      }
      case '/announced-huge':
        return res.writeHead(200, { 'content-type': 'image/jpeg', 'content-length': String(50 * 1024 * 1024) }).end()
      case '/page.jpg':
        return res
          .writeHead(200, { 'content-type': 'image/jpeg' })
          .end('<html><body><script>alert(document.cookie)</script></body></html>')
      case '/flaky':
        return hits[path] === 1 ? res.writeHead(503).end() : res.writeHead(200).end(PNG)
      case '/down':
        return res.writeHead(503).end()
      case '/redirect-away':
        return res
          .writeHead(302, { location: `http://localhost:${(server.address() as AddressInfo).port}/photo.png` })
          .end()
      default:
        return res.writeHead(404).end()
    }
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()))
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  for (const k of ENV) saved[k] = process.env[k]
  process.env.SINCH_CALLBACK_SECRETS = `current=${TEST_CALLBACK_SECRET}`
  process.env.SINCH_CALLBACK_AUTH = 'hmac'
  process.env.MEDIA_FETCH_ALLOWED_HOSTS = '127.0.0.1'
  process.env.MEDIA_MAX_BYTES = String(1024 * 1024)
  process.env.MEDIA_FETCH_RETRY_SECONDS = '60'
  process.env.MEDIA_FETCH_MAX_ATTEMPTS = '3'
  process.env.MEDIA_FETCH_TIMEOUT_MS = '10000'
  resetConfigForTests()
})

afterAll(async () => {
  await db.mediaFile.deleteMany()
  await db.inboundMessage.deleteMany({ where: { fromNumber: { startsWith: '+4670555' } } })
  for (const k of ENV) {
    if (saved[k] === undefined) delete process.env[k]
    else process.env[k] = saved[k]
  }
  resetConfigForTests()
  server.closeAllConnections()
  await new Promise<void>((r) => server.close(() => r()))
})

beforeEach(async () => {
  await db.mediaFile.deleteMany()
  await db.inboundMessage.deleteMany({ where: { fromNumber: { startsWith: '+4670555' } } })
  for (const k of Object.keys(hits)) delete hits[k]
  bigBytesWritten = 0
})

let seq = 0
/** Posts a signed Conversation inbound callback through the real handler. */
async function inbound(contactMessage: Record<string, unknown>, from = '46705550001') {
  const id = `MEDIA-${Date.now()}-${seq++}`
  const res = (await sinchCallbacks(
    callbackEvent({
      app_id: 'APP',
      accepted_time: new Date().toISOString(),
      event_time: new Date().toISOString(),
      project_id: 'PROJECT',
      message: {
        id,
        direction: 'TO_APP',
        contact_message: contactMessage,
        channel_identity: { channel: 'WHATSAPP', identity: from, app_id: 'APP' },
        contact_id: 'CONTACT',
        accept_time: new Date().toISOString(),
      },
    }),
    {} as Context
  )) as APIGatewayProxyResult
  return { res, id }
}

const mediaOf = async (id: string) =>
  db.mediaFile.findFirstOrThrow({ where: { inboundMessage: { externalId: `conv:${id}` } }, include: { content: true } })

describe('inbound media: stored with its reply, fetched once in the background', () => {
  it('stores the reply and queues its file in the same answer; the fetcher keeps the type found in the bytes', async () => {
    const { res, id } = await inbound({
      media_message: { url: `${base}/photo.png`, mime_type: 'image/png', filename_override: 'parcel.png' },
    })
    expect(res.statusCode).toBe(200)
    const queued = await mediaOf(id)
    expect(queued).toMatchObject({
      state: 'PENDING',
      sourceUrl: `${base}/photo.png`,
      fileName: 'parcel.png',
      attempts: 0,
    })
    expect(queued.content).toBeNull()

    // A replay of the same callback (new nonce) queues nothing more.
    await inbound({ media_message: { url: `${base}/photo.png` } })
    const summary = await fetchDueMedia()
    expect(summary.stored).toBeGreaterThanOrEqual(1)
    const stored = await mediaOf(id)
    expect(stored).toMatchObject({ state: 'STORED', mimeType: 'image/png', sizeBytes: PNG.length, attempts: 1 })
    expect(Buffer.from(stored.content!.bytes).equals(PNG)).toBe(true)
    expect(stored.sha256).toBe(crypto.createHash('sha256').update(PNG).digest('hex'))

    // Fetched once: another pass finds nothing due.
    const again = await fetchDueMedia()
    expect(again.claimed).toBe(0)
  })

  it('a fetched copy is announced live: one notification naming its inbound message', async () => {
    const { id } = await inbound({ media_message: { url: `${base}/photo.png`, mime_type: 'image/png' } })
    const queued = await mediaOf(id)
    const live = await listenLive()
    try {
      await fetchDueMedia()
      expect((await mediaOf(id)).state).toBe('STORED')
      expect(await live.inboundIds()).toContain(queued.inboundMessageId)
    } finally {
      await live.end()
    }
  })

  it('an expired link fails at once with the reason, without retrying', async () => {
    const { id } = await inbound({ media_message: { url: `${base}/expired` } })
    await fetchDueMedia()
    expect(await mediaOf(id)).toMatchObject({
      state: 'FAILED',
      attempts: 1,
      failureReason: 'the link has expired or is gone (HTTP 410)',
      content: null,
    })
    await fetchDueMedia({ now: new Date(Date.now() + 86_400_000) })
    expect(hits['/expired']).toBe(1)
  })

  it('an endless body is cut at MEDIA_MAX_BYTES while it streams, and a huge Content-Length is refused unread', async () => {
    const { id } = await inbound({ media_message: { url: `${base}/endless` } })
    const { id: announced } = await inbound({ media_message: { url: `${base}/announced-huge` } })
    await fetchDueMedia()
    const endless = await mediaOf(id)
    expect(endless.state).toBe('FAILED')
    expect(endless.failureReason).toMatch(/^too large: more than 1\.0 MB \(MEDIA_MAX_BYTES\)/)
    // The download stopped near the cap (socket buffers aside), far from the 64 MB the server would send.
    expect(bigBytesWritten).toBeLessThan(16 * 1024 * 1024)
    expect(await mediaOf(announced)).toMatchObject({
      state: 'FAILED',
      failureReason: 'too large: 50.0 MB, the limit is 1.0 MB (MEDIA_MAX_BYTES)',
    })
  })

  it('HTML served as image/jpeg is refused: the type comes from the bytes', async () => {
    const { id } = await inbound({ media_message: { url: `${base}/page.jpg`, mime_type: 'image/jpeg' } })
    await fetchDueMedia()
    expect(await mediaOf(id)).toMatchObject({
      state: 'FAILED',
      failureReason:
        'type not allowed: the content is not a recognised image, video, audio or document (the server said image/jpeg)',
      content: null,
    })
  })

  it('a 503 is retried with backoff and then stored; a server that stays down is given up after the last attempt', async () => {
    const { id } = await inbound({ media_message: { url: `${base}/flaky` } })
    const { id: down } = await inbound({ media_message: { url: `${base}/down` } })
    const t0 = new Date()
    await fetchDueMedia({ now: t0 })
    const waiting = await mediaOf(id)
    expect(waiting).toMatchObject({
      state: 'PENDING',
      attempts: 1,
      failureReason: expect.stringMatching(/^attempt 1 of 3 failed: HTTP 503/),
    })
    // First retry 60 s later (MEDIA_FETCH_RETRY_SECONDS), not before.
    expect(waiting.nextAttemptAt!.getTime() - t0.getTime()).toBeGreaterThanOrEqual(59_000)
    expect((await fetchDueMedia({ now: new Date(t0.getTime() + 30_000) })).claimed).toBe(0)

    await fetchDueMedia({ now: new Date(t0.getTime() + 61_000) })
    expect(await mediaOf(id)).toMatchObject({ state: 'STORED', attempts: 2, failureReason: null })
    const downAfter2 = await mediaOf(down)
    expect(downAfter2).toMatchObject({ state: 'PENDING', attempts: 2 })
    // The second wait is twice the first.
    expect(downAfter2.nextAttemptAt!.getTime() - (t0.getTime() + 61_000)).toBeGreaterThanOrEqual(119_000)

    await fetchDueMedia({ now: new Date(t0.getTime() + 200_000) })
    expect(await mediaOf(down)).toMatchObject({
      state: 'FAILED',
      attempts: 3,
      failureReason: 'gave up after 3 attempts: HTTP 503 from 127.0.0.1',
    })
  })

  it('fetches only from allowed hosts, redirects included (no request to anything else)', async () => {
    const { id } = await inbound({ media_message: { url: `${base}/redirect-away` } })
    const { id: other } = await inbound({ media_message: { url: 'http://169.254.169.254/latest/meta-data' } })
    await fetchDueMedia()
    expect(await mediaOf(id)).toMatchObject({
      state: 'FAILED',
      failureReason: 'host localhost is not on MEDIA_FETCH_ALLOWED_HOSTS',
    })
    expect(await mediaOf(other)).toMatchObject({
      state: 'FAILED',
      failureReason: 'host 169.254.169.254 is not on MEDIA_FETCH_ALLOWED_HOSTS',
    })
    expect(hits['/photo.png']).toBeUndefined()
  })

  it('a link longer than we store is kept as a failed file that says why, never fetched', async () => {
    const { id } = await inbound({ media_message: { url: `${base}/photo.png?${'x'.repeat(3000)}` } })
    expect(await mediaOf(id)).toMatchObject({
      state: 'FAILED',
      failureReason: 'the link is longer than 2,048 characters: not fetched',
    })
    await fetchDueMedia()
    expect(hits['/photo.png']).toBeUndefined()
  })

  it('two instances claiming at once never take the same file; a claim whose lease ran out is taken again', async () => {
    for (let i = 0; i < 6; i++) await inbound({ media_message: { url: `${base}/photo.png` } })
    const [a, b] = await Promise.all([claimDueMedia(4), claimDueMedia(4)])
    const ids = [...a, ...b].map((c) => c.id)
    expect(ids.length).toBe(6)
    expect(new Set(ids).size).toBe(6)
    // Nobody finished them: after the lease (5 minutes) they are due again, one attempt more.
    expect(await claimDueMedia(10)).toEqual([])
    const retaken = await claimDueMedia(10, new Date(Date.now() + 6 * 60_000))
    expect(retaken.map((c) => c.attempts)).toEqual([2, 2, 2, 2, 2, 2])
  })

  it('an inbound MMS (mo_media) stores its text and queues each file', async () => {
    const res = (await sinchCallbacks(
      callbackEvent({
        type: 'mo_media',
        id: `MMS-${Date.now()}`,
        from: '46705550009',
        to: '12345',
        received_at: new Date().toISOString(),
        body: { subject: 'Damage', message: 'See the box', media: [{ url: `${base}/photo.png`, code: 0 }] },
      }),
      {} as Context
    )) as APIGatewayProxyResult
    expect(res.statusCode).toBe(200)
    const reply = await db.inboundMessage.findFirstOrThrow({
      where: { fromNumber: '+46705550009' },
      include: { media: true },
    })
    expect(reply).toMatchObject({ channel: 'SMS', contentType: 'media', body: 'Damage\nSee the box' })
    expect(reply.media).toMatchObject([{ state: 'PENDING', sourceUrl: `${base}/photo.png` }])
  })
})

describe('serving a stored file', () => {
  const PASSWORD = 'correct-horse-battery'
  const event = (query: Record<string, string>, cookie?: string) =>
    ({
      httpMethod: 'GET',
      path: '/media',
      headers: cookie ? { cookie } : {},
      multiValueHeaders: {},
      queryStringParameters: query,
      multiValueQueryStringParameters: null,
      pathParameters: null,
      stageVariables: null,
      body: null,
      isBase64Encoded: false,
      resource: '/media',
      requestContext: { requestId: 'test', identity: { sourceIp: '198.51.100.7' } },
    }) as unknown as APIGatewayProxyEvent

  async function sessionCookie(email: string) {
    await upsertStaffUser({ email, password: PASSWORD, role: 'viewer' })
    const res = (await auth(
      {
        ...event({}),
        httpMethod: 'POST',
        path: '/auth',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ method: 'login', username: email, password: PASSWORD }),
      },
      {} as Context
    )) as APIGatewayProxyResult
    const cookies = (res.multiValueHeaders?.['Set-Cookie'] ?? []) as string[]
    const session = cookies.find((c) => c.startsWith('session'))
    if (!session) throw new Error(`no session: ${JSON.stringify(res)}`)
    // What the browser sends: dbAuth's provider cookie and the session.
    return `auth-provider=dbAuth; ${session.split(';')[0]}`
  }

  const serve = async (query: Record<string, string>, cookie?: string) =>
    (await mediaFunction(event(query, cookie), {} as Context)) as APIGatewayProxyResult

  it('only to signed-in staff, as the type found in the bytes, never runnable as a page', async () => {
    const { id } = await inbound({ media_message: { url: `${base}/photo.png`, filename_override: 'parcel "1".png' } })
    await fetchDueMedia()
    const { key } = await mediaOf(id)

    expect((await serve({ key })).statusCode).toBe(401)
    expect((await serve({ key }, 'auth-provider=dbAuth; session=forged')).statusCode).toBe(401)

    await db.user.deleteMany({ where: { email: 'viewer@media.test' } })
    const cookie = await sessionCookie('viewer@media.test')
    const ok = await serve({ key }, cookie)
    expect(ok.statusCode).toBe(200)
    expect(ok.isBase64Encoded).toBe(true)
    expect(Buffer.from(ok.body, 'base64').equals(PNG)).toBe(true)
    expect(ok.headers).toMatchObject({
      'Content-Type': 'image/png',
      'Content-Disposition': `inline; filename="parcel _1_.png"; filename*=UTF-8''parcel%20_1_.png`,
      'X-Content-Type-Options': 'nosniff',
      'Cache-Control': 'private, max-age=3600',
    })
    expect(String(ok.headers!['Content-Security-Policy'])).toMatch(/^sandbox;/)
    expect((await serve({ key, download: '1' }, cookie)).headers!['Content-Disposition']).toMatch(/^attachment;/)
    expect((await serve({ key: 'AAAAAAAAAAAAAAAAAAAAAA' }, cookie)).statusCode).toBe(404)
    // A customer's file is never on the public path, even with a valid signature.
    const signed = new URL(signedMediaUrl('http://x', config().media.urlSecret, key, new Date(Date.now() + 60_000)))
    const pub = (await mediaPublic({
      ...event(Object.fromEntries(signed.searchParams)),
      path: '/mediaPublic',
    })) as APIGatewayProxyResult
    expect(pub.statusCode).toBe(404)
    await db.user.deleteMany({ where: { email: 'viewer@media.test' } })
  })

  it('retention deletes old copies and says so; the reply stays', async () => {
    const { id } = await inbound({ media_message: { url: `${base}/photo.png` } })
    await fetchDueMedia()
    await pruneExpired({ now: new Date(Date.now() + 31 * 86_400_000), pauseMs: 0 })
    const pruned = await mediaOf(id)
    expect(pruned).toMatchObject({
      state: 'PRUNED',
      content: null,
      failureReason: 'deleted after 30 days (RETENTION_MEDIA_DAYS)',
    })
    expect(await db.inboundMessage.count({ where: { externalId: `conv:${id}` } })).toBe(1)
  })
})

describe('what the thread shows', () => {
  it('reads a location, a chosen option and a contact card; sniffing ignores names and headers', () => {
    expect(
      contentView('location', JSON.stringify({ title: 'Depot', coordinates: { latitude: 59.33, longitude: 18.06 } }))
    ).toEqual({ kind: 'location', latitude: 59.33, longitude: 18.06, title: 'Depot', label: undefined })
    expect(contentView('location', JSON.stringify({ coordinates: { latitude: 'x', longitude: 1 } }))).toEqual({
      kind: 'other',
    })
    expect(contentView('choice_response', JSON.stringify({ message_id: 'M1', postback_data: 'Reschedule' }))).toEqual({
      kind: 'choice',
      chosen: 'Reschedule',
      answersMessageId: 'M1',
    })
    expect(
      contentView(
        'contact_info',
        JSON.stringify({ name: { full_name: 'Ana B' }, phone_numbers: [{ phone_number: '+46701234567' }] })
      )
    ).toEqual({ kind: 'contact', name: 'Ana B', phoneNumbers: ['+46701234567'], emailAddresses: [] })
    expect(
      sniffMediaType(Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>'), { mimeType: 'image/svg+xml' })
    ).toBe(null)
    expect(sniffMediaType(Buffer.from('PK\u0003\u0004rest'), { fileName: 'report.docx' })).toBe(
      'application/vnd.openxmlformats-officedocument.wordprocessingml.document'
    )
    expect(sniffMediaType(Buffer.from('PK\u0003\u0004rest'), { fileName: 'archive.zip' })).toBe(null)
  })
})
