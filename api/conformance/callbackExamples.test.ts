/**
 * Conformance: Sinch's published callback examples, and callbacks that Sinch's
 * published models allow, posted signed over HTTP to the real /sinchCallbacks
 * function, each with the verdict we owe it (docs/sinch-protocol.md#conformance-suite). The
 * fixtures name their source; a 400 here would be a callback Sinch drops for
 * good.
 */
import fs from 'node:fs'
import path from 'node:path'

import { startCallbackServer } from 'testing/callbackServer'

import { resetConfigForTests } from 'src/lib/config'
import { db } from 'src/lib/db'
import { fetchDueMedia } from 'src/services/media/mediaFetcher'
import { explainReason } from 'src/services/whatsapp/whatsapp'

type Fixture = {
  source: string
  examples: {
    name: string
    payload: Record<string, unknown>
    expected: { http: number; status: string; state: string; kind: string }
  }[]
}

const fixture = (name: string): Fixture =>
  JSON.parse(fs.readFileSync(path.join(__dirname, 'fixtures', name), 'utf8')) as Fixture
const smsCallbacks = fixture('sms-callbacks.json')
const conversationCallbacks = fixture('conversation-callbacks.json')
const modelVariants = fixture('model-variants.json')
const mediaCallbacks = fixture('media-callbacks.json')

const SECRET = 'conformance-callback-secret'
let server: Awaited<ReturnType<typeof startCallbackServer>>
const savedSecrets = process.env.SINCH_CALLBACK_SECRETS
const savedAuth = process.env.SINCH_CALLBACK_AUTH

beforeAll(async () => {
  process.env.SINCH_CALLBACK_SECRETS = `conformance=${SECRET}`
  delete process.env.SINCH_CALLBACK_AUTH
  resetConfigForTests()
  server = await startCallbackServer()
})
afterAll(async () => {
  await server.close()
  if (savedSecrets === undefined) delete process.env.SINCH_CALLBACK_SECRETS
  else process.env.SINCH_CALLBACK_SECRETS = savedSecrets
  if (savedAuth !== undefined) process.env.SINCH_CALLBACK_AUTH = savedAuth
  resetConfigForTests()
})

const post = (payload: unknown) => server.post(JSON.stringify(payload), SECRET)
const example = (fixture: Fixture, name: string) => fixture.examples.find((e) => e.name === name)!.payload

describe.each([
  ['Sinch Node SDK SMS examples', smsCallbacks],
  ['Sinch Conversation callback docs examples', conversationCallbacks],
  ["callbacks Sinch's models allow", modelVariants],
  ['media, locations, choices and contact cards (docs/sinch-protocol.md#media)', mediaCallbacks],
])('%s', (_title, fixture) => {
  it('name their source', () => expect(fixture.source).toMatch(/sinch/i))

  for (const { name, payload, expected } of fixture.examples) {
    scenario(
      `${name}: ${expected.http} ${expected.status}, ${expected.state}, logged as ${expected.kind}`,
      async () => {
        const answer = await post(payload)
        expect(answer).toEqual({
          status: expected.http,
          json: expect.objectContaining({ status: expected.status, state: expected.state }),
        })
        const event = await db.callbackEvent.findFirstOrThrow({ orderBy: { id: 'desc' } })
        expect(event).toMatchObject({ kind: expected.kind, verdict: expected.status.toUpperCase() })
        // Sinch retries the same callback: it is a duplicate (or ignored again), never a second row.
        const again = await post(payload)
        expect(again.status).toBe(200)
        expect(again.json.status).toBe(expected.status === 'ignored' ? 'ignored' : 'duplicate')
      }
    )
  }
})

describe('what media callbacks record', () => {
  scenario(
    'each file is queued with its reply; a host we do not fetch from says so; other content by kind',
    async () => {
      for (const { payload } of mediaCallbacks.examples) await post(payload)
      const replies = await db.inboundMessage.findMany({ orderBy: { id: 'asc' }, include: { media: true } })
      expect(replies.map((r) => [r.contentType, r.media.length])).toEqual([
        ['media', 1],
        ['media', 1],
        ['media_card', 1],
        ['location', 0],
        ['choice_response', 0],
        ['contact_info', 0],
        ['media', 1],
      ])
      expect(replies[1].media[0]).toMatchObject({ fileName: 'invoice.pdf', state: 'PENDING' })
      expect(replies[6]).toMatchObject({ channel: 'SMS', fromNumber: '+12025550777', body: 'Damage\nSee photo' })
      await fetchDueMedia({ limit: 10 })
      const files = await db.mediaFile.findMany()
      expect(files.map((f) => [f.state, f.failureReason])).toEqual(
        files.map(() => ['FAILED', 'host media.example.org is not on MEDIA_FETCH_ALLOWED_HOSTS'])
      )
    }
  )
})

describe('what the accepted variants record', () => {
  const variants = modelVariants

  scenario('no event_time: recorded at its receipt time, marked RECEIVED for the timeline', async () => {
    const before = Date.now()
    await post(example(variants, 'Conversation delivery report without event_time'))
    const after = Date.now()
    const [update] = await db.smsStatusUpdate.findMany()
    expect(update.timeSource).toBe('RECEIVED')
    expect(update.at.getTime()).toBeGreaterThanOrEqual(before - 1)
    expect(update.at.getTime()).toBeLessThanOrEqual(after + 1)
    const recipient = await db.messageRecipient.findFirstOrThrow({ where: { messageId: 'msg_whatsapp' } })
    expect(recipient.status).toBe('DELIVERED')
  })

  scenario('no channel_identity: the recipient is still found by message_id', async () => {
    await post(example(variants, 'Conversation delivery report without channel_identity'))
    const recipient = await db.messageRecipient.findFirstOrThrow({ where: { messageId: 'msg_whatsapp' } })
    expect(recipient.status).toBe('QUEUED_ON_CHANNEL')
  })

  scenario('a reason without a code is kept as its description', async () => {
    await post(example(variants, 'Conversation delivery report with a reason that has no code'))
    const [update] = await db.smsStatusUpdate.findMany()
    expect(update).toMatchObject({ status: 'FAILED', reason: 'The channel gave no reason code' })
    expect(explainReason(update.reason)).toEqual({ reasonCode: null, reasonMeaning: 'The channel gave no reason code' })
    expect(explainReason('OUTSIDE_ALLOWED_SENDING_WINDOW: …')).toMatchObject({
      reasonCode: 'OUTSIDE_ALLOWED_SENDING_WINDOW',
    })
  })

  scenario('an inbound message without channel_identity is stored under its contact id', async () => {
    await post(example(variants, 'Conversation inbound message without channel_identity'))
    expect(await db.inboundMessage.findFirstOrThrow()).toMatchObject({
      fromNumber: 'contact:01CONTACT00000000000000000',
      body: 'Hello',
      contentType: 'text',
    })
  })

  scenario('STOP with reply_to before the text is a text reply and opts the number out', async () => {
    await post(example(variants, 'WhatsApp reply STOP with reply_to written before the text'))
    expect(await db.inboundMessage.findFirstOrThrow()).toMatchObject({ body: 'STOP', contentType: 'text' })
    expect(await db.optOut.findUnique({ where: { phoneNumber: '+46709999999' } })).toMatchObject({ source: 'INBOUND' })
  })

  scenario('a client_reference over 2,048 characters is stored cut to 2,048, with a marker', async () => {
    await post(example(variants, 'SMS recipient report with a client_reference over 2,048 characters'))
    const [update] = await db.smsStatusUpdate.findMany()
    expect(update.clientReference).toHaveLength(2048)
    expect(update.clientReference).toMatch(/…\[cut: 5000 characters\]$/)
    // The callback log keeps the body as it came.
    const event = await db.callbackEvent.findFirstOrThrow()
    expect(event.rawBody).toContain('r'.repeat(5000))
  })
})
