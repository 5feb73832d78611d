import { callbackEvent, OLD_CALLBACK_SECRET, recipientReport, TEST_CALLBACK_SECRET } from 'testing/callbackEvent'
import { listenLive, type LiveNotifications } from 'testing/liveNotifications'

import { resetConfigForTests } from 'src/lib/config'
import { db, pool } from 'src/lib/db'
import { pruneCallbackRejections } from 'src/services/callbacks/callbackRejections'
import { recordBatchSubmitted } from 'src/services/smsStatus/attach'

import { handler } from '../sinchCallbacks'

const context = {} as never
const call = (event: ReturnType<typeof callbackEvent>) => handler(event, context)
const bodyOf = (res: { body: string }) => JSON.parse(res.body)

const ENV_KEYS = [
  'SINCH_CALLBACK_SECRETS',
  'SINCH_CALLBACK_AUTH',
  'SINCH_CALLBACK_TOKEN',
  'SINCH_CALLBACK_BASIC',
  'SINCH_CALLBACK_MAX_BODY_BYTES',
]
const saved: Record<string, string | undefined> = {}

beforeAll(() => ENV_KEYS.forEach((k) => (saved[k] = process.env[k])))
beforeEach(() => {
  ENV_KEYS.forEach((k) => delete process.env[k])
  process.env.SINCH_CALLBACK_SECRETS = `current=${TEST_CALLBACK_SECRET},previous=${OLD_CALLBACK_SECRET}`
  resetConfigForTests()
})
afterAll(() => {
  ENV_KEYS.forEach((k) => (saved[k] === undefined ? delete process.env[k] : (process.env[k] = saved[k])))
  resetConfigForTests()
})

const recipientOf = (messageId: string, phoneNumber: string) =>
  db.messageRecipient.findUniqueOrThrow({ where: { messageId_phoneNumber: { messageId, phoneNumber } } })

const dispatched = (overrides: Partial<Parameters<typeof recipientReport>[0]> = {}) =>
  recipientReport({
    batchId: 'BATCH_SUBMITTED',
    recipient: '46701234567',
    status: 'Dispatched',
    code: 401,
    at: '2025-03-01T10:00:00.123Z',
    clientReference: 'msg_submitted',
    ...overrides,
  })

/** A report of msg_racing's batch without client_reference: it waits until the batch id is recorded. */
const waitingReport = () =>
  recipientReport({
    batchId: 'BATCH_RACING',
    recipient: '12025550102',
    status: 'Delivered',
    code: 0,
    at: '2025-03-01T10:00:05.000Z',
  })

/** An inbound SMS (mo_text) from +46701234567, as Sinch posts it. */
const moText = (id: string, body: string) => ({
  type: 'mo_text',
  id,
  from: '46701234567',
  to: '12345',
  body,
  received_at: '2025-03-01T10:00:00Z',
})

async function countWrites() {
  const [events, updates, nonces, inbound] = await Promise.all([
    db.callbackEvent.count(),
    db.smsStatusUpdate.count(),
    // Nonces are consumed by callback-log rows: the ones that carry one.
    db.callbackEvent.count({ where: { nonce: { not: null } } }),
    db.inboundMessage.count(),
  ])
  return { events, updates, nonces, inbound }
}

describe('POST /sinchCallbacks', () => {
  scenario('a signed report moves the recipient, and the same report again changes nothing', async () => {
    const first = await call(callbackEvent(dispatched()))
    expect(first.statusCode).toBe(200)
    expect(bodyOf(first)).toEqual({ status: 'accepted', state: 'processed', stored: 1 })

    const recipient = await recipientOf('msg_submitted', '+46701234567')
    expect(recipient).toMatchObject({ status: 'Dispatched', code: 401, statusRank: 2 })
    expect(recipient.statusAt?.toISOString()).toBe('2025-03-01T10:00:00.123Z')

    const again = await call(callbackEvent(dispatched()))
    expect(again.statusCode).toBe(200)
    expect(bodyOf(again)).toMatchObject({ status: 'duplicate', stored: 0 })
    expect(await db.smsStatusUpdate.count({ where: { recipientId: recipient.id } })).toBe(1)

    const events = await db.callbackEvent.findMany({ orderBy: { id: 'asc' } })
    expect(events.map((e) => e.verdict)).toEqual(['ACCEPTED', 'DUPLICATE'])
    expect(events[0]).toMatchObject({
      kind: 'recipient_delivery_report_sms',
      secretId: 'current',
      batchId: 'BATCH_SUBMITTED',
      reportsStored: 1,
    })
  })

  scenario(
    'a replayed request (same nonce) is refused with 401 and writes nothing but its refused-callback row',
    async () => {
      const event = callbackEvent(dispatched(), { nonce: 'nonce-replayed-1' })
      expect((await call(event)).statusCode).toBe(200)
      const before = await countWrites()
      const replay = await call(event)
      expect(replay.statusCode).toBe(401)
      expect(bodyOf(replay)).toEqual({ error: 'unauthenticated' })
      expect(await countWrites()).toEqual(before)
      const refused = await db.callbackRejection.findMany()
      expect(refused).toHaveLength(1)
      expect(refused[0]).toMatchObject({
        reason: 'nonce_replay',
        nonce: 'nonce-replayed-1',
        details: { nonce: 'nonce-replayed-1', secretId: 'current' },
      })
    }
  )

  describe('authentication failures answer 401 and write nothing but one refused-callback row', () => {
    const now = () => Math.floor(Date.now() / 1000)
    const triedBoth = { triedSecretIds: ['current', 'previous'] }
    const cases: [string, () => ReturnType<typeof callbackEvent>, RegExp, string, Record<string, unknown>][] = [
      [
        'tampered body',
        () => {
          const e = callbackEvent(dispatched())
          return { ...e, body: e.body!.replace('Dispatched', 'Delivered') }
        },
        /signature matches none/,
        'signature_mismatch',
        triedBoth,
      ],
      [
        'wrong secret',
        () => callbackEvent(dispatched(), { secret: 'somebody-elses-secret' }),
        /signature matches none/,
        'signature_mismatch',
        triedBoth,
      ],
      [
        'stale timestamp',
        () => callbackEvent(dispatched(), { timestamp: now() - 330 }),
        /in the past/,
        'timestamp_out_of_window',
        { toleranceSeconds: 300 },
      ],
      [
        'future timestamp',
        () => callbackEvent(dispatched(), { timestamp: now() + 330 }),
        /in the future/,
        'timestamp_out_of_window',
        { toleranceSeconds: 300 },
      ],
      [
        'unsupported algorithm',
        () => callbackEvent(dispatched(), { algorithm: 'HmacSHA1' }),
        /unsupported algorithm/,
        'unsupported_algorithm',
        { algorithm: 'HmacSHA1' },
      ],
      [
        'missing signature',
        () => callbackEvent(dispatched(), { omit: ['x-sinch-webhook-signature'] }),
        /missing header x-sinch-webhook-signature$/,
        'missing_header',
        { header: 'x-sinch-webhook-signature' },
      ],
      [
        'missing nonce',
        () => callbackEvent(dispatched(), { omit: ['x-sinch-webhook-signature-nonce'] }),
        /nonce/,
        'missing_header',
        { header: 'x-sinch-webhook-signature-nonce' },
      ],
      [
        'missing timestamp',
        () => callbackEvent(dispatched(), { omit: ['x-sinch-webhook-signature-timestamp'] }),
        /timestamp/,
        'missing_header',
        { header: 'x-sinch-webhook-signature-timestamp' },
      ],
      [
        'missing algorithm',
        () => callbackEvent(dispatched(), { omit: ['x-sinch-webhook-signature-algorithm'] }),
        /algorithm/,
        'missing_header',
        { header: 'x-sinch-webhook-signature-algorithm' },
      ],
    ]
    for (const [name, build, reason, code, details] of cases) {
      scenario(name, async () => {
        const res = await call(build())
        expect(res.statusCode).toBe(401)
        // The reason is for admins (the row below), not for whoever sent it.
        expect(bodyOf(res)).toEqual({ error: 'unauthenticated' })
        expect(await countWrites()).toEqual({ events: 0, updates: 0, nonces: 0, inbound: 0 })
        expect((await recipientOf('msg_submitted', '+46701234567')).status).toBe('Pending')
        const refused = await db.callbackRejection.findMany()
        expect(refused).toHaveLength(1)
        expect(refused[0]).toMatchObject({ reason: code, details })
        expect(refused[0].reasonText).toMatch(reason)
      })
    }

    scenario(
      'the refused-callback row says how the request was seen, the skew, and which secrets were tried (never a secret)',
      async () => {
        const stale = callbackEvent(dispatched(), {
          timestamp: now() - 400,
          headers: {
            host: '127.0.0.1:8911',
            'x-forwarded-proto': 'https',
            'x-forwarded-host': 'abc123.ngrok-free.app',
            'x-forwarded-for': '203.0.113.9',
          },
        })
        expect((await call(stale)).statusCode).toBe(401)
        const wrong = callbackEvent(
          { ...dispatched(), padding: 'p'.repeat(2000) },
          { secret: 'somebody-elses-secret', headers: { host: 'desk.example.com' } }
        )
        expect((await call(wrong)).statusCode).toBe(401)

        const [skewed, mismatch] = await db.callbackRejection.findMany({ orderBy: { id: 'asc' } })
        expect(skewed).toMatchObject({
          reason: 'timestamp_out_of_window',
          method: 'POST',
          url: '/sinchCallbacks',
          host: '127.0.0.1:8911',
          forwardedProto: 'https',
          forwardedHost: 'abc123.ngrok-free.app',
          remoteAddress: '203.0.113.9',
          nonce: stale.headers['x-sinch-webhook-signature-nonce'],
          contentLength: Buffer.byteLength(stale.body!),
        })
        expect((skewed.details as { skewSeconds: number }).skewSeconds).toBeGreaterThanOrEqual(399)
        expect(skewed.reasonText).toMatch(/s in the past \(window ±300s\)/)

        expect(mismatch).toMatchObject({
          reason: 'signature_mismatch',
          host: 'desk.example.com',
          forwardedProto: null,
          forwardedHost: null,
        })
        expect(mismatch.bodyExcerpt).toHaveLength(500)
        expect(mismatch.bodyExcerpt).toBe(wrong.body!.slice(0, 500))
        const triedSecrets = (mismatch.details as { triedSecrets: { id: string; fingerprint: string }[] }).triedSecrets
        expect(triedSecrets.map((s) => s.id)).toEqual(['current', 'previous'])
        expect(triedSecrets[0].fingerprint).toMatch(/^sha256:[0-9a-f]{8}$/)
        const stored = JSON.stringify(await db.callbackRejection.findMany())
        expect(stored).not.toContain(TEST_CALLBACK_SECRET)
        expect(stored).not.toContain(OLD_CALLBACK_SECRET)
      }
    )

    scenario('a failure to record the refused callback still answers 401', async () => {
      const spy = jest.spyOn(db.callbackRejection, 'create').mockRejectedValue(new Error('disk full'))
      try {
        const res = await call(callbackEvent(dispatched(), { secret: 'somebody-elses-secret' }))
        expect(res.statusCode).toBe(401)
        expect(bodyOf(res)).toEqual({ error: 'unauthenticated' })
      } finally {
        spy.mockRestore()
      }
      expect(await db.callbackRejection.count()).toBe(0)
      expect(await countWrites()).toEqual({ events: 0, updates: 0, nonces: 0, inbound: 0 })
    })

    scenario('refused callbacks are bounded: older than 7 days and beyond the newest 5,000 are pruned', async () => {
      await db.$executeRawUnsafe(`
        INSERT INTO "CallbackRejection" ("receivedAt", reason, "reasonText", details, method, url, "bodyExcerpt")
        SELECT now() - make_interval(days => CASE WHEN g <= 3 THEN 8 ELSE 0 END), 'signature_mismatch', 'x', '{}', 'POST', '/sinchCallbacks', ''
        FROM generate_series(1, 5010) g`)
      const newest = await db.callbackRejection.findFirstOrThrow({ orderBy: { id: 'desc' } })
      expect(await pruneCallbackRejections()).toBe(10)
      expect(await db.callbackRejection.count()).toBe(5000)
      expect(
        await db.callbackRejection.count({ where: { receivedAt: { lt: new Date(Date.now() - 7 * 86_400_000) } } })
      ).toBe(0)
      expect((await db.callbackRejection.findFirstOrThrow({ orderBy: { id: 'desc' } })).id).toBe(newest.id)
      expect(await pruneCallbackRejections()).toBe(0)
    })
  })

  scenario('the previous secret still verifies during a rotation, and is refused once removed', async () => {
    const res = await call(callbackEvent(dispatched(), { secret: OLD_CALLBACK_SECRET }))
    expect(res.statusCode).toBe(200)
    expect((await db.callbackEvent.findFirstOrThrow()).secretId).toBe('previous')

    process.env.SINCH_CALLBACK_SECRETS = `current=${TEST_CALLBACK_SECRET}`
    resetConfigForTests()
    const after = await call(
      callbackEvent(dispatched({ status: 'Delivered', code: 0 }), { secret: OLD_CALLBACK_SECRET })
    )
    expect(after.statusCode).toBe(401)
  })

  describe('transport checks', () => {
    scenario('other methods get 405 with Allow: POST', async () => {
      for (const method of ['GET', 'PUT', 'DELETE']) {
        const res = await call(callbackEvent(dispatched(), { method }))
        expect(res.statusCode).toBe(405)
        expect(res.headers?.Allow).toBe('POST')
      }
    })

    scenario('a non-JSON content type gets 415', async () => {
      const res = await call(callbackEvent(dispatched(), { headers: { 'content-type': 'text/plain' } }))
      expect(res.statusCode).toBe(415)
      expect(await countWrites()).toMatchObject({ events: 0, updates: 0 })
    })

    scenario('JSON with a charset parameter is fine', async () => {
      const res = await call(
        callbackEvent(dispatched(), { headers: { 'content-type': 'application/json; charset=utf-8' } })
      )
      expect(res.statusCode).toBe(200)
    })

    scenario('a body over the limit gets 413 and writes nothing', async () => {
      const big = { ...dispatched(), padding: 'x'.repeat(300 * 1024) }
      const res = await call(callbackEvent(big))
      expect(res.statusCode).toBe(413)
      const mib = await call(callbackEvent({ ...dispatched(), padding: 'x'.repeat(1024 * 1024) }))
      expect(mib.statusCode).toBe(413)
      expect(await countWrites()).toEqual({ events: 0, updates: 0, nonces: 0, inbound: 0 })
      expect(await db.callbackRejection.count()).toBe(0)
    })
  })

  describe('payload validation (authenticated, so recorded as rejected, never retried)', () => {
    scenario('malformed JSON gets 400 and a rejected callback event', async () => {
      const res = await call(callbackEvent('{"type":"recipient_delivery_report_sms",'))
      expect(res.statusCode).toBe(400)
      expect(bodyOf(res).detail).toMatch(/malformed JSON/)
      const event = await db.callbackEvent.findFirstOrThrow()
      expect(event).toMatchObject({ verdict: 'REJECTED', processingState: 'REJECTED', kind: 'invalid' })
      expect(await db.smsStatusUpdate.count()).toBe(0)
    })

    scenario('valid JSON of the wrong shape gets 400 naming the field', async () => {
      const res = await call(callbackEvent({ ...dispatched(), code: 'four hundred one', at: 'yesterday' }))
      expect(res.statusCode).toBe(400)
      expect(bodyOf(res).detail).toMatch(/code/)
      expect(bodyOf(res).detail).toMatch(/at/)
      expect((await db.callbackEvent.findFirstOrThrow()).kind).toBe('recipient_delivery_report_sms')
      expect(await db.smsStatusUpdate.count()).toBe(0)
    })

    scenario('a JSON array or a body that is no Sinch callback gets 400', async () => {
      expect((await call(callbackEvent('[1,2]'))).statusCode).toBe(400)
      expect((await call(callbackEvent({ hello: 'world' }))).statusCode).toBe(400)
    })

    scenario('an unknown report type gets 200 and is recorded as ignored', async () => {
      const res = await call(callbackEvent({ type: 'mo_binary', id: 'x', from: '1', to: '2', body: 'AAE=' }))
      expect(res.statusCode).toBe(200)
      expect(bodyOf(res).status).toBe('ignored')
      const res2 = await call(callbackEvent({ type: 'something_new_2027', batch_id: 'B' }))
      expect(res2.statusCode).toBe(200)
      const events = await db.callbackEvent.findMany({ orderBy: { id: 'asc' } })
      expect(events.map((e) => [e.kind, e.verdict])).toEqual([
        ['mo_binary', 'IGNORED'],
        ['something_new_2027', 'IGNORED'],
      ])
    })
  })

  describe('ordering: the latest status only moves forward', () => {
    const at = (s: number) => new Date(Date.UTC(2025, 2, 1, 10, 0, s)).toISOString()
    const steps = [
      { status: 'Queued', code: 400, at: at(1) },
      { status: 'Dispatched', code: 401, at: at(2) },
      { status: 'Delivered', code: 0, at: at(5) },
    ]
    const permutations = (xs: typeof steps): (typeof steps)[] =>
      xs.length <= 1
        ? [xs]
        : xs.flatMap((x, i) => permutations([...xs.slice(0, i), ...xs.slice(i + 1)]).map((p) => [x, ...p]))

    scenario(
      'every arrival order of Queued, Dispatched, Delivered ends Delivered with three history rows',
      async () => {
        const numbers = ['46701234567', '46701234568', '46701234569']
        const orders = permutations(steps)
        // 6 orders over 3 recipients: two rounds, each recipient gets its own batch of reports.
        for (let round = 0; round < 2; round++) {
          await db.smsStatusUpdate.deleteMany()
          await db.messageRecipient.updateMany({
            data: { status: 'Pending', statusRank: 0, code: null, statusAt: null },
          })
          await Promise.all(
            numbers.map(async (n, i) => {
              for (const step of orders[round * 3 + i]) {
                const res = await call(callbackEvent(dispatched({ recipient: n, ...step })))
                expect(res.statusCode).toBe(200)
              }
            })
          )
          for (const n of numbers) {
            const r = await recipientOf('msg_submitted', `+${n}`)
            expect(r).toMatchObject({ status: 'Delivered', code: 0 })
            expect(await db.smsStatusUpdate.count({ where: { recipientId: r.id } })).toBe(3)
          }
        }
      }
    )

    scenario('a late Dispatched never overwrites Delivered', async () => {
      await call(callbackEvent(dispatched({ status: 'Delivered', code: 0, at: at(9) })))
      await call(callbackEvent(dispatched({ status: 'Dispatched', code: 401, at: at(10) })))
      expect((await recipientOf('msg_submitted', '+46701234567')).status).toBe('Delivered')
    })

    scenario('between two finals, the later event time wins whatever the arrival order', async () => {
      await call(callbackEvent(dispatched({ status: 'Delivered', code: 0, at: at(20) })))
      await call(callbackEvent(dispatched({ status: 'Failed', code: 404, at: at(10) })))
      expect((await recipientOf('msg_submitted', '+46701234567')).status).toBe('Delivered')
      await call(callbackEvent(dispatched({ status: 'Expired', code: 406, at: at(30) })))
      expect((await recipientOf('msg_submitted', '+46701234567')).status).toBe('Expired')
      expect(await db.smsStatusUpdate.count()).toBe(3)
    })
  })

  scenario('100 concurrent identical reports store one row', async () => {
    const report = dispatched({ status: 'Delivered', code: 0 })
    const results = await Promise.all(Array.from({ length: 100 }, () => call(callbackEvent(report))))
    expect(results.map((r) => r.statusCode)).toEqual(Array(100).fill(200))
    expect(results.filter((r) => bodyOf(r).status === 'accepted')).toHaveLength(1)
    expect(await db.smsStatusUpdate.count()).toBe(1)
    expect(await db.callbackEvent.count({ where: { verdict: 'DUPLICATE' } })).toBe(99)
    expect((await recipientOf('msg_submitted', '+46701234567')).status).toBe('Delivered')
  })

  describe('reports that race the send', () => {
    scenario('matched by client_reference before the batch id is stored', async () => {
      const res = await call(
        callbackEvent(dispatched({ batchId: 'BATCH_RACING', recipient: '12025550101', clientReference: 'msg_racing' }))
      )
      expect(bodyOf(res)).toMatchObject({ status: 'accepted', state: 'processed' })
      expect((await recipientOf('msg_racing', '+12025550101')).status).toBe('Dispatched')
    })

    scenario('without client_reference: kept, then attached when the batch id is recorded', async () => {
      const early = waitingReport()
      const res = await call(callbackEvent(early))
      expect(res.statusCode).toBe(200)
      expect(bodyOf(res)).toMatchObject({ status: 'accepted', state: 'unmatched' })
      const waiting = await db.smsStatusUpdate.findFirstOrThrow()
      expect(waiting.recipientId).toBeNull()

      const { attached } = await recordBatchSubmitted({ messageId: 'msg_racing', batchId: 'BATCH_RACING' })
      expect(attached).toBe(1)
      const recipient = await recipientOf('msg_racing', '+12025550102')
      expect(recipient.status).toBe('Delivered')
      expect((await db.smsStatusUpdate.findFirstOrThrow()).recipientId).toBe(recipient.id)
      expect((await db.callbackEvent.findFirstOrThrow()).processingState).toBe('PROCESSED')
      expect((await db.message.findUniqueOrThrow({ where: { id: 'msg_racing' } })).submitState).toBe('SUBMITTED')
    })

    scenario('concurrent early reports and the batch id recording lose nothing', async () => {
      const reports = ['12025550101', '12025550102'].flatMap((n) =>
        [
          ['Queued', 400, 1],
          ['Dispatched', 401, 2],
          ['Delivered', 0, 3],
        ].map(([status, code, s]) =>
          recipientReport({
            batchId: 'BATCH_RACE2',
            recipient: n,
            status: status as string,
            code: code as number,
            at: new Date(Date.UTC(2025, 2, 1, 10, 0, s as number)).toISOString(),
          })
        )
      )
      await Promise.all([
        ...reports.map((r) => call(callbackEvent(r))),
        recordBatchSubmitted({ messageId: 'msg_racing', batchId: 'BATCH_RACE2' }),
      ])
      for (const n of ['+12025550101', '+12025550102']) {
        expect((await recipientOf('msg_racing', n)).status).toBe('Delivered')
      }
      expect(await db.smsStatusUpdate.count({ where: { recipientId: null } })).toBe(0)
      expect(await db.smsStatusUpdate.count()).toBe(6)
    })
  })

  scenario('a failure inside the store answers 5xx, writes nothing, and does not burn the nonce', async () => {
    // A real failure half-way through: the nonce and the callback event are
    // inserted, then the report insert violates a constraint.
    await db.$executeRawUnsafe('ALTER TABLE "SmsStatusUpdate" ADD CONSTRAINT test_refuse_all CHECK (false) NOT VALID')
    const event = callbackEvent(dispatched({ status: 'Delivered', code: 0 }), { nonce: 'nonce-for-retry' })
    let failed
    try {
      failed = await call(event)
    } finally {
      await db.$executeRawUnsafe('ALTER TABLE "SmsStatusUpdate" DROP CONSTRAINT test_refuse_all')
    }
    expect(failed.statusCode).toBe(500)
    expect(await db.smsStatusUpdate.count()).toBe(0)
    expect(await db.callbackEvent.count({ where: { nonce: { not: null } } })).toBe(0)
    expect((await recipientOf('msg_submitted', '+46701234567')).status).toBe('Pending')
    // The only trace is the failed callback in the log, for re-processing.
    const logged = await db.callbackEvent.findMany()
    expect(logged).toHaveLength(1)
    // Without the nonce: it was not consumed, so the retry below is not a replay.
    expect(logged[0]).toMatchObject({ processingState: 'FAILED', verdict: 'REJECTED', nonce: null })
    expect(logged[0].error).toMatch(/test_refuse_all/)

    // Sinch retries the same request (same nonce): now it is stored.
    const retried = await call(event)
    expect(retried.statusCode).toBe(200)
    expect((await recipientOf('msg_submitted', '+46701234567')).status).toBe('Delivered')
  })

  describe('replay protection: the nonce is consumed by the callback-log row', () => {
    // A second api instance: the function module loaded again, with its own
    // Prisma client, pg pool and group committer, on the same database. (The
    // Prisma package itself is shared: two copies of its WebAssembly query
    // compiler in one process corrupt each other.)
    type Instance = { call: typeof call; close: () => Promise<void> }
    const prismaPackage = jest.requireActual('@prisma/client')
    const secondInstance = (): Instance => {
      let handle!: typeof handler
      let own!: { db: typeof db; pool: typeof pool }
      jest.isolateModules(() => {
        jest.doMock('@prisma/client', () => prismaPackage)
        handle = require('../sinchCallbacks').handler
        own = require('src/lib/db')
      })
      expect(own.pool).not.toBe(pool)
      return {
        call: (event) => handle(event, context),
        close: async () => {
          await own.db.$disconnect()
          await own.pool.end()
        },
      }
    }
    let other: Instance
    beforeEach(() => (other = secondInstance()))
    afterEach(() => other.close())

    const logged = (nonce: string) => db.callbackEvent.findMany({ where: { nonce } })

    scenario('a nonce used on one instance is refused on another (401, nonce_replay), in either order', async () => {
      const first = callbackEvent(dispatched(), { nonce: 'nonce-two-instances-1' })
      expect((await call(first)).statusCode).toBe(200)
      const replayed = await other.call(first)
      expect(replayed.statusCode).toBe(401)
      expect(bodyOf(replayed)).toEqual({ error: 'unauthenticated' })

      const second = callbackEvent(dispatched({ status: 'Delivered', code: 0 }), { nonce: 'nonce-two-instances-2' })
      expect((await other.call(second)).statusCode).toBe(200)
      expect((await call(second)).statusCode).toBe(401)

      expect(await logged('nonce-two-instances-1')).toHaveLength(1)
      expect(await logged('nonce-two-instances-2')).toHaveLength(1)
      const refused = await db.callbackRejection.findMany({ orderBy: { id: 'asc' } })
      expect(refused.map((r) => [r.reason, r.nonce])).toEqual([
        ['nonce_replay', 'nonce-two-instances-1'],
        ['nonce_replay', 'nonce-two-instances-2'],
      ])
      expect((await recipientOf('msg_submitted', '+46701234567')).status).toBe('Delivered')
    })

    scenario('the same request to both instances at once: one stored, every other one refused', async () => {
      const event = callbackEvent(dispatched(), { nonce: 'nonce-concurrent' })
      const answers = await Promise.all(
        Array.from({ length: 12 }, (_, i) => (i % 2 === 0 ? call(event) : other.call(event)))
      )
      expect(answers.map((a) => a.statusCode).sort()).toEqual([200, ...Array(11).fill(401)])
      expect(await logged('nonce-concurrent')).toHaveLength(1)
      expect(await db.callbackEvent.count()).toBe(1)
      expect(await db.smsStatusUpdate.count()).toBe(1)
      expect(await db.callbackRejection.count({ where: { reason: 'nonce_replay' } })).toBe(11)
    })

    scenario('the same reply (mo_text, stored outside group commit) to both instances at once', async () => {
      const mo = moText('MO-NONCE', 'hi')
      const event = callbackEvent(mo, { nonce: 'nonce-concurrent-mo' })
      const answers = await Promise.all(Array.from({ length: 6 }, (_, i) => (i % 2 ? other : { call }).call(event)))
      expect(answers.map((a) => a.statusCode).sort()).toEqual([200, 401, 401, 401, 401, 401])
      expect(await logged('nonce-concurrent-mo')).toHaveLength(1)
      expect(await db.inboundMessage.count()).toBe(1)
    })

    scenario('an authenticated but invalid callback (400) uses its nonce up too', async () => {
      const event = callbackEvent('{"type":', { nonce: 'nonce-of-a-400' })
      expect((await call(event)).statusCode).toBe(400)
      expect((await other.call(event)).statusCode).toBe(401)
      expect(await logged('nonce-of-a-400')).toMatchObject([{ verdict: 'REJECTED', processingState: 'REJECTED' }])
    })

    scenario(
      'a refused request (bad signature) does not use the nonce: the genuine one with it is stored',
      async () => {
        const forged = callbackEvent(dispatched(), { nonce: 'nonce-forged-first', secret: 'somebody-elses-secret' })
        expect((await call(forged)).statusCode).toBe(401)
        expect(await db.callbackRejection.findFirstOrThrow()).toMatchObject({
          reason: 'signature_mismatch',
          nonce: 'nonce-forged-first',
        })
        const genuine = callbackEvent(dispatched(), { nonce: 'nonce-forged-first' })
        expect((await other.call(genuine)).statusCode).toBe(200)
        expect(await logged('nonce-forged-first')).toHaveLength(1)
      }
    )

    scenario('a reply whose store failed (500) is stored when Sinch retries it with the same nonce', async () => {
      await db.$executeRawUnsafe('ALTER TABLE "InboundMessage" ADD CONSTRAINT test_refuse_all CHECK (false) NOT VALID')
      const mo = moText('MO-RETRY', 'hello')
      const event = callbackEvent(mo, { nonce: 'nonce-mo-retry' })
      let failed
      try {
        failed = await call(event)
      } finally {
        await db.$executeRawUnsafe('ALTER TABLE "InboundMessage" DROP CONSTRAINT test_refuse_all')
      }
      expect(failed.statusCode).toBe(500)
      expect(await db.callbackEvent.findMany()).toMatchObject([{ processingState: 'FAILED', nonce: null }])
      const retried = await other.call(event)
      expect(retried.statusCode).toBe(200)
      expect(await logged('nonce-mo-retry')).toMatchObject([{ verdict: 'ACCEPTED', processingState: 'PROCESSED' }])
      expect(await db.inboundMessage.count()).toBe(1)
    })

    scenario('the callback log is where nonces live: one row per nonce, no separate nonce table', async () => {
      expect((await call(callbackEvent(dispatched(), { nonce: 'nonce-in-the-log' }))).statusCode).toBe(200)
      const [{ table }] = await db.$queryRaw<{ table: string | null }[]>`
        SELECT to_regclass('"WebhookNonce"')::text AS "table"`
      expect(table).toBeNull()
      // The database itself refuses a second log row with a used nonce.
      await expect(
        db.callbackEvent.create({
          data: {
            kind: 'recipient_delivery_report_sms',
            verdict: 'ACCEPTED',
            processingState: 'PROCESSED',
            rawBody: '{}',
            headers: {},
            nonce: 'nonce-in-the-log',
          },
        })
      ).rejects.toThrow(/Unique constraint/i)
      // Rows without a nonce (other schemes, FAILED rows) are not limited.
      for (let i = 0; i < 2; i++) {
        await db.callbackEvent.create({
          data: { kind: 'x', verdict: 'REJECTED', processingState: 'FAILED', rawBody: '{}', headers: {} },
        })
      }
      expect(await db.callbackEvent.count()).toBe(3)
    })
  })

  scenario('a database that cannot be reached answers 503 with Retry-After', async () => {
    // What pg's pool throws when it cannot get a connection in time (the hot
    // path talks to the pool directly; the fault suite stops a real database).
    const spy = jest
      .spyOn(pool, 'connect')
      .mockRejectedValue(new Error('timeout exceeded when trying to connect') as never)
    const res = await call(callbackEvent(dispatched()))
    spy.mockRestore()
    expect(res.statusCode).toBe(503)
    expect(res.headers?.['Retry-After']).toBe('5')
    expect(await countWrites()).toEqual({ events: 0, updates: 0, nonces: 0, inbound: 0 })
  })

  describe('batch reports', () => {
    scenario('a full report updates each listed recipient; repeating it changes nothing', async () => {
      const report = {
        type: 'delivery_report_sms',
        batch_id: 'BATCH_SUBMITTED',
        client_reference: 'msg_submitted',
        total_message_count: 3,
        statuses: [
          { code: 0, status: 'Delivered', count: 2, recipients: ['46701234567', '46701234568'] },
          { code: 402, status: 'Aborted', count: 1, recipients: ['46701234569'] },
        ],
      }
      expect(bodyOf(await call(callbackEvent(report)))).toMatchObject({ status: 'accepted', stored: 3 })
      expect(bodyOf(await call(callbackEvent(report)))).toMatchObject({ status: 'duplicate', stored: 0 })
      expect((await recipientOf('msg_submitted', '+46701234567')).status).toBe('Delivered')
      expect(await recipientOf('msg_submitted', '+46701234569')).toMatchObject({ status: 'Aborted', code: 402 })
      expect(await db.smsStatusUpdate.count()).toBe(3)
    })

    scenario('a summary without recipients is kept on the message', async () => {
      const summary = {
        type: 'delivery_report_sms',
        batch_id: 'BATCH_SUBMITTED',
        total_message_count: 3,
        statuses: [{ code: 0, status: 'Delivered', count: 3 }],
      }
      expect((await call(callbackEvent(summary))).statusCode).toBe(200)
      const message = await db.message.findUniqueOrThrow({ where: { id: 'msg_submitted' } })
      expect(message.batchSummary).toMatchObject({ statuses: [{ count: 3, status: 'Delivered' }] })
    })
  })

  describe('inbound and Conversation callbacks', () => {
    scenario('an mo_text reply is stored once', async () => {
      const mo = moText('MO1', 'STOP')
      expect((await call(callbackEvent(mo))).statusCode).toBe(200)
      expect(bodyOf(await call(callbackEvent(mo)))).toMatchObject({ status: 'duplicate' })
      const inbound = await db.inboundMessage.findMany()
      expect(inbound).toHaveLength(1)
      expect(inbound[0]).toMatchObject({ fromNumber: '+46701234567', body: 'STOP', channel: 'SMS' })
    })

    scenario(
      'a Conversation delivery report (shaped like signature vector A2) moves the WhatsApp recipient',
      async () => {
        const a2 = {
          app_id: '01APPID0000000000000000000',
          accepted_time: '2025-03-01T10:00:01.000Z',
          event_time: '2025-03-01T10:00:02.000Z',
          project_id: 'proj-1',
          message_delivery_report: {
            message_id: '01MSGID0000000000000000000',
            conversation_id: '',
            status: 'DELIVERED',
            channel_identity: { channel: 'WHATSAPP', identity: '46709999999', app_id: '' },
            contact_id: '',
            metadata: 'order-42',
            processing_mode: 'DISPATCH',
          },
          message_metadata: 'order-42',
        }
        expect(bodyOf(await call(callbackEvent(a2)))).toMatchObject({ status: 'accepted', state: 'processed' })
        expect(bodyOf(await call(callbackEvent(a2)))).toMatchObject({ status: 'duplicate' })
        const read = {
          ...a2,
          event_time: '2025-03-01T10:01:00.000Z',
          message_delivery_report: { ...a2.message_delivery_report, status: 'READ' },
        }
        await call(callbackEvent(read))
        await call(callbackEvent(a2))
        expect((await recipientOf('msg_whatsapp', '+46709999999')).status).toBe('READ')
      }
    )

    scenario('a Conversation inbound text is stored', async () => {
      const inbound = {
        app_id: 'APP',
        accepted_time: '2025-03-01T10:00:01Z',
        event_time: '2025-03-01T10:00:00Z',
        project_id: 'p',
        message: {
          id: 'IN1',
          direction: 'TO_APP',
          contact_message: { text_message: { text: 'Hi!' } },
          channel_identity: { channel: 'WHATSAPP', identity: '46701234567', app_id: 'APP' },
          conversation_id: 'c',
          contact_id: 'k',
          metadata: '',
          accept_time: '2025-03-01T10:00:00.5Z',
        },
      }
      expect((await call(callbackEvent(inbound))).statusCode).toBe(200)
      expect(await db.inboundMessage.findFirstOrThrow()).toMatchObject({
        channel: 'WHATSAPP',
        body: 'Hi!',
        contentType: 'text',
        fromNumber: '+46701234567',
      })
    })
  })

  describe('other authentication schemes', () => {
    scenario('token: ?token= must match', async () => {
      process.env.SINCH_CALLBACK_AUTH = 'token'
      process.env.SINCH_CALLBACK_TOKEN = 'a-very-long-unguessable-token-123456'
      resetConfigForTests()
      const unsigned = (query?: Record<string, string>) =>
        callbackEvent(dispatched(), { omit: ['x-sinch-webhook-signature'], query })
      expect((await call(unsigned())).statusCode).toBe(401)
      expect((await call(unsigned({ token: 'wrong', page: '2' }))).statusCode).toBe(401)
      expect((await call(unsigned({ token: 'a-very-long-unguessable-token-123456' }))).statusCode).toBe(200)
      const refused = await db.callbackRejection.findMany({ orderBy: { id: 'asc' } })
      expect(refused.map((r) => r.reason)).toEqual(['token_missing', 'token_mismatch'])
      expect(refused[1].url).toBe('/sinchCallbacks?token=…&page=2')
    })

    scenario('basic: credentials must match, with a challenge', async () => {
      process.env.SINCH_CALLBACK_AUTH = 'basic'
      process.env.SINCH_CALLBACK_BASIC = 'sinch:correct-horse-battery'
      resetConfigForTests()
      const withAuth = (value?: string) =>
        callbackEvent(dispatched(), { headers: value ? { authorization: value } : {} })
      const none = await call(withAuth())
      expect(none.statusCode).toBe(401)
      expect(none.headers?.['WWW-Authenticate']).toMatch(/^Basic/)
      expect(await call(withAuth(`Basic ${Buffer.from('sinch:wrong').toString('base64')}`))).toMatchObject({
        statusCode: 401,
      })
      expect(
        await call(withAuth(`Basic ${Buffer.from('sinch:correct-horse-battery').toString('base64')}`))
      ).toMatchObject({ statusCode: 200 })
      const refused = await db.callbackRejection.findMany({ orderBy: { id: 'asc' } })
      expect(refused.map((r) => [r.reason, r.details])).toEqual([
        ['basic_missing', { authorizationHeader: 'absent' }],
        ['basic_mismatch', { user: 'sinch', userMatches: true }],
      ])
    })

    scenario('none: accepted only because it is configured', async () => {
      process.env.SINCH_CALLBACK_AUTH = 'none'
      resetConfigForTests()
      expect((await call(callbackEvent(dispatched(), { omit: ['x-sinch-webhook-signature'] }))).statusCode).toBe(200)
    })
  })

  // The callback tables have no live trigger: each writer announces itself (src/lib/live/notifyLive.ts).
  describe('live notifications: each way a callback is stored announces what it changed', () => {
    let live: LiveNotifications
    beforeEach(async () => (live = await listenLive()))
    afterEach(() => live.end())

    scenario(
      'a delivery report (group commit) and a batch summary: each its message and the callback log',
      async () => {
        const summary = {
          type: 'delivery_report_sms',
          batch_id: 'BATCH_SUBMITTED',
          total_message_count: 3,
          statuses: [{ code: 0, status: 'Delivered', count: 3 }],
        }
        for (const body of [dispatched(), summary]) {
          await live.clear()
          expect((await call(callbackEvent(body))).statusCode).toBe(200)
          expect(await live.messageIds()).toEqual(['msg_submitted'])
          expect(await live.callbacks()).toBe(true)
        }
      }
    )

    scenario('a reply: the stored inbound message and the callback log; its repeat only the log', async () => {
      const mo = moText('MO_LIVE', 'Thanks')
      expect((await call(callbackEvent(mo))).statusCode).toBe(200)
      const inbound = await db.inboundMessage.findFirstOrThrow()
      expect(await live.inboundIds()).toEqual([inbound.id])
      expect(await live.callbacks()).toBe(true)
      await live.clear()
      expect(bodyOf(await call(callbackEvent(mo)))).toMatchObject({ status: 'duplicate' })
      expect(await live.inboundIds()).toEqual([])
      expect(await live.callbacks()).toBe(true)
    })

    scenario('a rejected callback and a failed one: the callback log', async () => {
      expect((await call(callbackEvent('{"type":'))).statusCode).toBe(400)
      expect(await live.callbacks()).toBe(true)
      await live.clear()
      await db.$executeRawUnsafe('ALTER TABLE "SmsStatusUpdate" ADD CONSTRAINT test_refuse_all CHECK (false) NOT VALID')
      try {
        expect((await call(callbackEvent(dispatched()))).statusCode).toBe(500)
      } finally {
        await db.$executeRawUnsafe('ALTER TABLE "SmsStatusUpdate" DROP CONSTRAINT test_refuse_all')
      }
      expect(await db.callbackEvent.count({ where: { processingState: 'FAILED' } })).toBe(1)
      expect(await live.callbacks()).toBe(true)
      expect(await live.messageIds()).toEqual([])
    })

    scenario(
      'recording the batch id: its message, and the callback log once a waiting report is attached',
      async () => {
        const early = waitingReport()
        expect((await call(callbackEvent(early))).statusCode).toBe(200)
        await live.clear()
        expect(await recordBatchSubmitted({ messageId: 'msg_racing', batchId: 'BATCH_RACING' })).toEqual({
          attached: 1,
        })
        expect(await live.messageIds()).toEqual(['msg_racing'])
        expect(await live.callbacks()).toBe(true)
      }
    )
  })
})
