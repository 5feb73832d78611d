import http from 'node:http'
import type { AddressInfo } from 'node:net'

import { callResolver } from 'testing/callResolver'
import { listenLive, type LiveNotifications } from 'testing/liveNotifications'
import { signInAs } from 'testing/staff'

import { resetConfigForTests } from 'src/lib/config'
import { db } from 'src/lib/db'

import { checkRecipients, Message as MessageResolvers, resendFailed, retrySendMessage, sendMessage } from './sending'
import type { ResendScenario, StandardScenario } from './sending.scenarios'

// Every action here is an admin's (the roles test checks who else may).
beforeEach(() => signInAs('admin'))

type Handler = (req: http.IncomingMessage, body: string) => Promise<[number, unknown]> | [number, unknown]

/** A stand-in for Sinch whose answers each test decides. */
let handler: Handler
let posts: { path: string; body: Record<string, unknown> }[] = []
let server: http.Server
beforeAll(async () => {
  server = http.createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c) => chunks.push(c))
    req.on('end', async () => {
      const body = Buffer.concat(chunks).toString('utf8')
      if (req.method === 'POST') posts.push({ path: String(req.url), body: JSON.parse(body) })
      const [status, json] = await handler(req, body)
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(json))
    })
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()))
  process.env.SINCH_SANDBOX_URL = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  process.env.SINCH_CALLBACK_URL = 'https://desk.example.com/api/sinchCallbacks'
  process.env.SINCH_REQUEST_TIMEOUT_MS = '300'
  resetConfigForTests()
})
afterAll(async () => {
  delete process.env.SINCH_SANDBOX_URL
  delete process.env.SINCH_CALLBACK_URL
  delete process.env.SINCH_REQUEST_TIMEOUT_MS
  resetConfigForTests()
  server.closeAllConnections()
  await new Promise<void>((r) => server.close(() => r()))
})
beforeEach(() => {
  posts = []
})

const accepted =
  (id: string): Handler =>
  (req, body) => {
    if (req.method === 'GET') return [200, { count: 0, page: 0, page_size: 1, batches: [] }]
    const b = JSON.parse(body)
    return [
      201,
      {
        ...b,
        id,
        type: 'mt_text',
        canceled: false,
        created_at: new Date().toISOString(),
        modified_at: new Date().toISOString(),
      },
    ]
  }

const call = callResolver

describe('sending', () => {
  scenario('checkRecipients normalises, dedupes and explains', async () => {
    const result = await call(checkRecipients, { entries: '+1 202 555 0123\n(202) 555-0123\nnot a number' })
    expect(result).toEqual({
      valid: ['+12025550123'],
      invalid: [{ input: 'not a number', reason: expect.any(String) }],
      duplicatesRemoved: 1,
    })
  })

  scenario('refuses pasted recipients longer than the cap, before parsing them and storing anything', async () => {
    const entries = '+12025550123\n'.repeat(8000)
    expect(entries.length).toBeGreaterThan(100_000)
    await expect(call(checkRecipients, { entries })).rejects.toThrow(
      'The recipients are 104,000 characters long; paste at most 100,000 (1,000 numbers fit easily).'
    )
    await expect(call(sendMessage, { input: { body: 'Hi', recipients: entries } })).rejects.toThrow(
      /paste at most 100,000/
    )
    await expect(
      call(sendMessage, { input: { channel: 'WHATSAPP', body: 'Hi', recipients: entries } })
    ).rejects.toThrow(/paste at most 100,000/)
    expect(await db.message.count()).toBe(0)
    expect(posts).toHaveLength(0)
    // Just under the cap is parsed as usual (duplicates removed).
    const fits = await call(checkRecipients, { entries: entries.slice(0, 99_996) })
    expect(fits).toMatchObject({ valid: ['+12025550123'], invalid: [], duplicatesRemoved: 7691 })
  })

  scenario(
    'stores the message and recipients before calling Sinch, then one batch with our id as client_reference',
    async (scenario: StandardScenario) => {
      mockCurrentUser({ id: scenario.user.staff.id, email: 'staff@example.com', roles: ['admin'] })
      let seenAtSinch: { recipients: number; submitState: string } | undefined
      handler = async (req, body) => {
        const b = JSON.parse(body)
        const m = await db.message.findUniqueOrThrow({
          where: { id: b.client_reference },
          include: { recipients: true },
        })
        seenAtSinch = { recipients: m.recipients.length, submitState: m.submitState }
        return accepted('BATCH_OK_1')(req, body)
      }
      const result = await call(sendMessage, {
        input: {
          body: 'Parcel on its way',
          recipients: '+12025550123, +46701234567\n+12025550123',
          clientReference: 'order-42',
        },
      })
      expect(seenAtSinch).toEqual({ recipients: 2, submitState: 'PENDING' })
      expect(posts).toHaveLength(1)
      expect(posts[0].path).toBe('/xms/v1/sandbox-service-plan/batches')
      expect(posts[0].body).toMatchObject({
        to: ['+12025550123', '+46701234567'],
        body: 'Parcel on its way',
        delivery_report: 'per_recipient',
        callback_url: 'https://desk.example.com/api/sinchCallbacks',
        client_reference: result.message!.id,
      })
      const stored = await db.message.findUniqueOrThrow({
        where: { id: result.message!.id },
        include: { recipients: true },
      })
      expect(stored).toMatchObject({
        submitState: 'SUBMITTED',
        sinchBatchId: 'BATCH_OK_1',
        clientReference: 'order-42',
        recipientCount: 2,
        createdById: scenario.user.staff.id,
      })
      expect(stored.recipients.map((r) => [r.phoneNumber, r.status])).toEqual([
        ['+12025550123', 'Pending'],
        ['+46701234567', 'Pending'],
      ])
    }
  )

  scenario('any invalid recipient: nothing stored, nothing sent, each problem reported', async () => {
    handler = accepted('NEVER')
    const result = await call(sendMessage, { input: { body: 'x', recipients: '+12025550123\n12\nabc' } })
    expect(result.message).toBeNull()
    expect(result.invalid.map((p: { input: string }) => p.input)).toEqual(['12', 'abc'])
    expect(await db.message.count()).toBe(0)
    expect(posts).toHaveLength(0)
  })

  scenario('refuses an empty body and more than 1,000 recipients', async () => {
    await expect(call(sendMessage, { input: { body: '  ', recipients: '+12025550123' } })).rejects.toThrow(/body/)
    const many = Array.from({ length: 1001 }, (_, i) => `+1202555${String(i).padStart(4, '0')}`).join('\n')
    await expect(call(sendMessage, { input: { body: 'x', recipients: many } })).rejects.toThrow(/at most 1000/)
    expect(await db.message.count()).toBe(0)
  })

  scenario("a Sinch 4xx leaves the message FAILED with Sinch's reason", async () => {
    handler = () => [400, { code: 'syntax_invalid_parameter_format', text: 'Invalid MSISDN' }]
    const result = await call(sendMessage, { input: { body: 'x', recipients: '+12025550123' } })
    expect(result.message).toMatchObject({
      submitState: 'FAILED',
      submitError: expect.stringMatching(/400 syntax_invalid_parameter_format: Invalid MSISDN/),
    })
    expect(await db.messageRecipient.count()).toBe(1)
  })

  scenario(
    'a Sinch that does not answer in time leaves the message FAILED, and a retry adopts the batch that got through',
    async () => {
      handler = () => new Promise((r) => setTimeout(() => r([201, {}]), 1000))
      const result = await call(sendMessage, { input: { body: 'x', recipients: '+12025550123' } })
      expect(result.message).toMatchObject({
        submitState: 'FAILED',
        submitError: expect.stringMatching(/did not answer .* within 0.3 s/),
      })

      // The first attempt did reach Sinch: the list by client_reference finds it.
      handler = (req) =>
        req.method === 'GET'
          ? [
              200,
              {
                count: 1,
                page: 0,
                page_size: 100,
                batches: [
                  {
                    id: 'BATCH_FROM_FIRST_TRY',
                    client_reference: result.message!.id,
                    created_at: new Date().toISOString(),
                  },
                ],
              },
            ]
          : [201, { id: 'SECOND_SEND_MUST_NOT_HAPPEN' }]
      posts = []
      const retried = await call(retrySendMessage, { id: result.message!.id })
      expect(retried).toMatchObject({
        submitState: 'SUBMITTED',
        sinchBatchId: 'BATCH_FROM_FIRST_TRY',
        submitAttempts: 2,
      })
      expect(posts).toHaveLength(0)
    }
  )

  scenario('two retries at once submit once', async () => {
    handler = () => [503, { code: 'unavailable', text: 'try later' }]
    const result = await call(sendMessage, { input: { body: 'x', recipients: '+12025550123' } })
    expect(result.message!.submitState).toBe('FAILED')
    posts = []
    handler = accepted('BATCH_RETRY')
    const outcomes = await Promise.allSettled([
      call(retrySendMessage, { id: result.message!.id }),
      call(retrySendMessage, { id: result.message!.id }),
    ])
    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1)
    expect(outcomes.find((o): o is PromiseRejectedResult => o.status === 'rejected')?.reason.message).toMatch(
      /being submitted|already accepted/
    )
    expect(posts).toHaveLength(1)
    expect((await db.message.findUniqueOrThrow({ where: { id: result.message!.id } })).sinchBatchId).toBe('BATCH_RETRY')
  })

  scenario('an unreachable Sinch leaves the message FAILED with a clear reason', async () => {
    const saved = process.env.SINCH_SANDBOX_URL
    process.env.SINCH_SANDBOX_URL = 'http://127.0.0.1:9'
    resetConfigForTests()
    try {
      const result = await call(sendMessage, { input: { body: 'x', recipients: '+12025550123' } })
      expect(result.message).toMatchObject({
        submitState: 'FAILED',
        submitError: expect.stringMatching(/Could not reach Sinch/),
      })
    } finally {
      process.env.SINCH_SANDBOX_URL = saved
      resetConfigForTests()
    }
  })
})

describe('opt-outs when sending', () => {
  async function optOutByReply(phoneNumber: string, body: string, at: string) {
    const inbound = await db.inboundMessage.create({
      data: {
        channel: 'SMS',
        externalId: `sms:${phoneNumber}`,
        fromNumber: phoneNumber,
        body,
        receivedAt: new Date(at),
        rawPayload: {},
      },
    })
    await db.optOut.create({
      data: { phoneNumber, source: 'INBOUND', inboundMessageId: inbound.id, createdAt: new Date(at) },
    })
  }

  scenario('checkRecipients reports an opted-out number as invalid, as typed, with why', async () => {
    await optOutByReply('+46701234567', ' stop ', '2025-03-01T10:00:00Z')
    const result = await call(checkRecipients, { entries: '+12025550123\n+46 70 123 45 67\nabc\n0046701234567' })
    expect(result).toEqual({
      valid: ['+12025550123'],
      invalid: [
        { input: '+46 70 123 45 67', reason: 'opted out (replied STOP on 2025-03-01)' },
        { input: 'abc', reason: expect.any(String) },
      ],
      duplicatesRemoved: 1,
    })
  })

  scenario(
    'sending to an opted-out number is refused per entry: nothing stored, Sinch never called',
    async (scenario: StandardScenario) => {
      await optOutByReply('+46701234567', 'STOP', '2025-03-01T10:00:00Z')
      await db.optOut.create({
        data: {
          phoneNumber: '+12025550124',
          source: 'STAFF',
          createdById: scenario.user.staff.id,
          createdAt: new Date('2025-03-05T10:00:00Z'),
        },
      })
      handler = accepted('NEVER')
      const result = await call(sendMessage, {
        input: { body: 'x', recipients: '+12025550123\n+46701234567\n+1 202 555 0124' },
      })
      expect(result.message).toBeNull()
      expect(result.invalid).toEqual([
        { input: '+46701234567', reason: 'opted out (replied STOP on 2025-03-01)' },
        { input: '+1 202 555 0124', reason: 'opted out (added by staff@example.com on 2025-03-05)' },
      ])
      expect(await db.message.count()).toBe(0)
      expect(posts).toHaveLength(0)
    }
  )

  scenario('once the number opts back in, the same send goes through', async () => {
    await optOutByReply('+46701234567', 'STOP', '2025-03-01T10:00:00Z')
    await db.optOut.deleteMany({})
    handler = accepted('BATCH_AFTER_OPT_IN')
    const result = await call(sendMessage, { input: { body: 'x', recipients: '+46701234567' } })
    expect(result.message).toMatchObject({ submitState: 'SUBMITTED' })
    expect(posts).toHaveLength(1)
  })
})

describe('resendFailed', () => {
  const resendsOf = (id: string) =>
    db.message.findMany({ where: { resendOfId: id }, include: { recipients: { orderBy: { id: 'asc' } } } })

  scenario(
    'resend',
    'creates one linked message to the failed recipients only, skipping opted-out numbers',
    async (scenario: ResendScenario) => {
      mockCurrentUser({ id: scenario.user.staff.id, email: 'staff@example.com', roles: ['admin'] })
      handler = accepted('BATCH_RESEND_1')
      const result = await call(resendFailed, { id: 'msg_original' })
      expect(result).toMatchObject({ created: true, skippedOptedOut: 1, alreadyResent: 0 })
      expect(result.message).toMatchObject({
        resendOfId: 'msg_original',
        resendAttempt: 1,
        body: 'Your parcel is on its way',
        sender: 'DeskCo',
        channel: 'SMS',
        clientReference: 'order-7',
        recipientCount: 2,
        submitState: 'SUBMITTED',
        sinchBatchId: 'BATCH_RESEND_1',
        createdById: scenario.user.staff.id,
      })
      expect(posts).toHaveLength(1)
      expect(posts[0].body).toMatchObject({
        to: ['+12025550102', '+12025550103'],
        body: 'Your parcel is on its way',
        from: 'DeskCo',
        client_reference: result.message.id,
      })
      const [stored] = await resendsOf('msg_original')
      expect(stored.recipients.map((r) => [r.phoneNumber, r.status])).toEqual([
        ['+12025550102', 'Pending'],
        ['+12025550103', 'Pending'],
      ])

      // Linked both ways.
      const resolve = (field: 'resendOf' | 'resends', root: unknown) =>
        (MessageResolvers[field] as (a: unknown, o: unknown) => Promise<unknown>)({}, { root })
      expect(await resolve('resendOf', result.message)).toMatchObject({ id: 'msg_original' })
      expect(await resolve('resends', scenario.message.original)).toEqual([
        expect.objectContaining({ id: result.message.id }),
      ])
      expect(await resolve('resendOf', scenario.message.original)).toBeNull()
    }
  )

  scenario('resend', 'counts who a resend would reach, and leaves out hopeless failures on request', async () => {
    // Failed: +…102 with 402 (unroutable: hopeless), +…103 Expired (406), +…105 with 408 but opted out.
    const resendable = () =>
      (MessageResolvers.resendable as (a: unknown, o: unknown) => Promise<unknown>)(
        {},
        { root: { id: 'msg_original' } }
      )
    expect(await resendable()).toEqual({ count: 2, unlikelyToSucceed: 1, optedOut: 1, alreadyResent: 0 })

    handler = accepted('BATCH_RESEND_LIKELY')
    const likely = await call(resendFailed, { id: 'msg_original', skipUnlikely: true })
    expect(likely).toMatchObject({ created: true, skippedUnlikely: 1, skippedOptedOut: 1 })
    expect(posts[0].body).toMatchObject({ to: ['+12025550103'] })
    expect(await resendable()).toEqual({ count: 1, unlikelyToSucceed: 1, optedOut: 1, alreadyResent: 1 })

    // Only hopeless ones left: leaving them out leaves nothing, and says so.
    await expect(call(resendFailed, { id: 'msg_original', skipUnlikely: true })).rejects.toThrow(
      /failed in a way a resend will not change/
    )
    // The user may still choose to send to them.
    handler = accepted('BATCH_RESEND_ALL')
    const rest = await call(resendFailed, { id: 'msg_original' })
    expect(rest).toMatchObject({ created: true, skippedUnlikely: 0 })
    expect(rest.message.resendAttempt).toBe(2)
    expect(posts[1].body).toMatchObject({ to: ['+12025550102'] })
    expect(await resendable()).toEqual({ count: 0, unlikelyToSucceed: 0, optedOut: 1, alreadyResent: 2 })
  })

  scenario('resend', 'pressing twice returns the same resend and sends once', async () => {
    handler = accepted('BATCH_RESEND_ONCE')
    const first = await call(resendFailed, { id: 'msg_original' })
    const second = await call(resendFailed, { id: 'msg_original' })
    expect(second).toMatchObject({ created: false, skippedOptedOut: 1, alreadyResent: 2 })
    expect(second.message.id).toBe(first.message.id)
    expect(await resendsOf('msg_original')).toHaveLength(1)
    expect(posts).toHaveLength(1)
  })

  scenario('resend', 'two staff at once create one resend', async () => {
    handler = async (req, body) => {
      await new Promise((r) => setTimeout(r, 50))
      return accepted('BATCH_RESEND_RACE')(req, body)
    }
    const results = await Promise.all([0, 1, 2, 3].map(() => call(resendFailed, { id: 'msg_original' })))
    expect(new Set(results.map((r) => r.message.id)).size).toBe(1)
    expect(results.filter((r) => r.created)).toHaveLength(1)
    expect(await resendsOf('msg_original')).toHaveLength(1)
    expect(posts).toHaveLength(1)
  })

  scenario(
    'resend',
    'a recipient that fails later is resent as a second attempt; each failure is resent once',
    async () => {
      handler = accepted('BATCH_RESEND_A')
      const first = await call(resendFailed, { id: 'msg_original' })
      await db.messageRecipient.update({
        where: { messageId_phoneNumber: { messageId: 'msg_original', phoneNumber: '+12025550104' } },
        data: { status: 'Failed', statusRank: 3, code: 404 },
      })
      handler = accepted('BATCH_RESEND_B')
      const second = await call(resendFailed, { id: 'msg_original' })
      expect(second).toMatchObject({
        created: true,
        alreadyResent: 2,
        skippedOptedOut: 1,
        message: { resendAttempt: 2, recipientCount: 1 },
      })
      expect(second.message.id).not.toBe(first.message.id)
      expect(posts.map((p) => p.body.to)).toEqual([['+12025550102', '+12025550103'], ['+12025550104']])
    }
  )

  scenario(
    'resend',
    'refuses a message with no failed recipient, or whose failed recipients all opted out',
    async () => {
      handler = accepted('NEVER')
      await expect(call(resendFailed, { id: 'msg_all_delivered' })).rejects.toThrow(
        /No recipient of this message has failed/
      )
      await db.optOut.createMany({
        data: ['+12025550102', '+12025550103'].map((phoneNumber) => ({ phoneNumber, source: 'STAFF' as const })),
      })
      await expect(call(resendFailed, { id: 'msg_original' })).rejects.toThrow(
        /Every failed recipient \(3\) has opted out/
      )
      await expect(call(resendFailed, { id: 'nope' })).rejects.toThrow(/No message nope/)
      expect(await db.message.count()).toBe(2)
      expect(posts).toHaveLength(0)
    }
  )
})

// Message and MessageRecipient have no live trigger: each writer announces itself (src/lib/live/notifyLive.ts).
describe('live notifications: each step of a send announces its message, once per transaction', () => {
  let live: LiveNotifications
  beforeEach(async () => (live = await listenLive()))
  afterEach(() => live.end())

  scenario('stored, then the batch recorded; stored, then failed; a retry claimed, then recorded', async () => {
    handler = accepted('BATCH_LIVE')
    const sent = await call(sendMessage, { input: { body: 'x', recipients: '+12025550123' } })
    expect(await live.naming(sent.message!.id)).toBe(2)

    await live.clear()
    handler = () => [400, { code: 'syntax_invalid_parameter_format', text: 'Invalid MSISDN' }]
    const failed = await call(sendMessage, { input: { body: 'x', recipients: '+12025550124' } })
    expect(failed.message!.submitState).toBe('FAILED')
    expect(await live.naming(failed.message!.id)).toBe(2)

    await live.clear()
    handler = accepted('BATCH_LIVE_RETRY')
    expect(await call(retrySendMessage, { id: failed.message!.id })).toMatchObject({ submitState: 'SUBMITTED' })
    expect(await live.naming(failed.message!.id)).toBe(2)
  })

  scenario('resend', 'a resend: stored, then the batch recorded', async () => {
    handler = accepted('BATCH_LIVE_RESEND')
    const resent = await call(resendFailed, { id: 'msg_original' })
    expect(resent.created).toBe(true)
    expect(await live.naming(resent.message.id)).toBe(2)
  })
})
