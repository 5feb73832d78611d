/**
 * WhatsApp end to end: sendMessage → the Conversation client → the sandbox
 * over real HTTP → signed Conversation callbacks → the real /sinchCallbacks
 * handler → Postgres.
 */
import crypto from 'node:crypto'
import http from 'node:http'
import type { AddressInfo } from 'node:net'

import type { APIGatewayProxyEvent } from 'aws-lambda'
import { createSinchSandbox, type SinchSandbox } from 'sandbox/server'
import { callbackEvent } from 'testing/callbackEvent'
import { callResolver } from 'testing/callResolver'
import { listenLive } from 'testing/liveNotifications'
import { pointConfigAtSandbox } from 'testing/sandboxConfig'
import { signInAs } from 'testing/staff'

import { handler } from 'src/functions/sinchCallbacks'
import { db } from 'src/lib/db'
import { SANDBOX_CALLBACK_SECRET } from 'src/lib/sandboxCredentials'
import { resendFailed, retrySendMessage, sendMessage } from 'src/services/sending/sending'
import { recordConversationAccepted } from 'src/services/smsStatus/attach'

import {
  contactThread,
  conversationWindows,
  createWhatsAppTemplate,
  deleteWhatsAppTemplate,
  renderTemplate,
  submitWhatsApp,
  WINDOW_CLOSED_REASON,
  whatsAppTemplateLimits,
  whatsAppTemplates,
} from './whatsapp'
import type { StandardScenario } from './whatsapp.scenarios'

// Every action here is an admin's (the roles test checks who else may).
beforeEach(() => signInAs('admin'))

jest.setTimeout(30_000)

let restoreConfig: () => void
let sandbox: SinchSandbox
let receiver: http.Server
let answered: number[] = []

beforeAll(async () => {
  // The api's callback endpoint, as a real HTTP server in front of the real handler.
  receiver = http.createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c) => chunks.push(c))
    req.on('end', async () => {
      const event = {
        httpMethod: req.method,
        path: '/sinchCallbacks',
        headers: Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, String(v)])),
        multiValueHeaders: {},
        queryStringParameters: null,
        multiValueQueryStringParameters: null,
        pathParameters: null,
        stageVariables: null,
        body: Buffer.concat(chunks).toString('utf8'),
        isBase64Encoded: false,
        resource: '/sinchCallbacks',
        requestContext: { requestId: crypto.randomUUID() },
      } as unknown as APIGatewayProxyEvent
      try {
        const out = (await handler(event, {} as never)) as { statusCode: number; body?: string }
        answered.push(out.statusCode)
        res.writeHead(out.statusCode).end(out.body ?? '')
      } catch {
        answered.push(500)
        res.writeHead(500).end()
      }
    })
  })
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', () => r()))
  const callbackUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/sinchCallbacks`
  sandbox = await createSinchSandbox({
    callbackSecret: SANDBOX_CALLBACK_SECRET,
    stepDelayMs: 25,
    retryBaseMs: 20,
    maxAttempts: 3,
    conversationCallbackUrl: callbackUrl,
    // A real reply comes seconds after the template; at 50 ms it could beat our own record of the send
    // (submittedAt) on a loaded machine and sort before it in the thread.
    replyDelayMs: 1000,
  })
  restoreConfig = pointConfigAtSandbox(sandbox.url, callbackUrl, {
    SINCH_REQUEST_TIMEOUT_MS: '3000',
  })
})
afterAll(async () => {
  restoreConfig()
  await sandbox.close()
  receiver.closeAllConnections()
  await new Promise<void>((r) => receiver.close(() => r()))
})
beforeEach(() => {
  answered = []
})

const call = callResolver

const waitFor = async <T>(probe: () => Promise<T>, ok: (v: T) => boolean, ms = 8000): Promise<T> => {
  const deadline = Date.now() + ms
  for (;;) {
    const v = await probe()
    if (ok(v)) return v
    if (Date.now() > deadline) throw new Error(`timed out waiting; last: ${JSON.stringify(v)}`)
    await new Promise((r) => setTimeout(r, 30))
  }
}

const recipientOf = (messageId: string) =>
  db.messageRecipient.findFirstOrThrow({ where: { messageId }, include: { updates: true } })

describe('WhatsApp through the Conversation API', () => {
  scenario(
    'a template to a new contact; the simulated reply opens the window; free text is then allowed and READ',
    async (scenario: StandardScenario) => {
      mockCurrentUser({ id: scenario.user.staff.id, email: 'staff@example.com', roles: ['admin'] })
      const number = '+12025550441'
      const before = await call(conversationWindows, { phoneNumbers: [number] })
      expect(before).toEqual([{ phoneNumber: number, open: false, lastInboundAt: null, closesAt: null }])

      // Free text first: refused before Sinch, per recipient, with the explanation.
      const sentBefore = sandbox.conversationSent.length
      const refused = await call(sendMessage, {
        input: { channel: 'WHATSAPP', body: 'Hello there', recipients: number },
      })
      expect(refused).toEqual({ message: null, invalid: [{ input: number, reason: WINDOW_CLOSED_REASON }] })
      expect(WINDOW_CLOSED_REASON).toBe('no reply from this number in the last 24 hours: choose a template')
      expect(sandbox.conversationSent.length).toBe(sentBefore)
      // This number's messages only: other test files may send WhatsApp at the same time.
      expect(
        await db.message.count({ where: { channel: 'WHATSAPP', recipients: { some: { phoneNumber: number } } } })
      ).toBe(0)

      // A template: allowed with the window closed.
      const template = scenario.whatsAppTemplate.orderShipped
      const sent = await call(sendMessage, {
        input: {
          channel: 'WHATSAPP',
          body: '',
          recipients: number,
          templateId: template.id,
          templateParameters: ['ORD-42', 'Tue 4 March'],
        },
      })
      expect(sent.invalid).toEqual([])
      expect(sent.message).toMatchObject({
        channel: 'WHATSAPP',
        submitState: 'SUBMITTED',
        templateName: 'order_shipped',
        templateLanguage: 'en_US',
        templateParameters: { 'body[1]text': 'ORD-42', 'body[2]text': 'Tue 4 March' },
        body: 'Your order ORD-42 ships Tue 4 March.',
        createdById: scenario.user.staff.id,
      })
      // The request as Sinch receives it (docs/sinch-protocol.md#whatsapp-templates-and-the-24-hour-window).
      const atSinch = sandbox.conversationSent[sandbox.conversationSent.length - 1]
      expect(atSinch.body).toMatchObject({
        app_id: 'sandbox-conversation-app',
        project_id: 'sandbox-project',
        recipient: { identified_by: { channel_identities: [{ channel: 'WHATSAPP', identity: '12025550441' }] } },
        message: {
          template_message: {
            channel_template: {
              WHATSAPP: {
                template_id: 'order_shipped',
                language_code: 'en_US',
                parameters: { 'body[1]text': 'ORD-42', 'body[2]text': 'Tue 4 March' },
              },
            },
          },
        },
        message_metadata: sent.message!.id,
      })
      expect(atSinch.body).not.toHaveProperty('channel_priority_order')
      const recipient = await recipientOf(sent.message!.id)
      expect(recipient.sinchMessageId).toBe(atSinch.messageId)

      // Delivery then READ, through the verified callback path. The sandbox posts each status on its own timer, like
      // Sinch, so READ can be stored while DELIVERED is still in flight: wait for all three.
      const read = await waitFor(
        () => recipientOf(sent.message!.id),
        (r) => r.status === 'READ' && r.updates.length >= 3
      )
      expect(read.updates.map((u) => u.status).sort()).toEqual(['DELIVERED', 'QUEUED_ON_CHANNEL', 'READ'])
      expect(read.updates.every((u) => u.dedupeKey.startsWith(`conv:${atSinch.messageId}:`))).toBe(true)

      // The simulated reply arrives as an inbound `message` and opens the window.
      const reply = await waitFor(
        () => db.inboundMessage.findFirst({ where: { fromNumber: number } }),
        (m) => !!m
      )
      expect(reply).toMatchObject({ channel: 'WHATSAPP', body: 'Yes, that works', contentType: 'text' })
      const [window] = await call(conversationWindows, { phoneNumbers: [number] })
      expect(window.open).toBe(true)
      expect(new Date(window.closesAt!).getTime()).toBe(reply!.receivedAt.getTime() + 24 * 3600_000)

      // Free text is now allowed, and delivered and read.
      const text = await call(sendMessage, {
        input: { channel: 'WHATSAPP', body: 'Great, see you Tuesday', recipients: number },
      })
      expect(text.message).toMatchObject({
        submitState: 'SUBMITTED',
        templateName: null,
        body: 'Great, see you Tuesday',
      })
      expect(sandbox.conversationSent[sandbox.conversationSent.length - 1].body).toMatchObject({
        message: { text_message: { text: 'Great, see you Tuesday' } },
      })
      await waitFor(
        () => recipientOf(text.message!.id),
        (r) => r.status === 'READ'
      )

      // The thread: the template, the reply, the text, in order, with statuses and the window.
      const thread = await call(contactThread, { phoneNumber: '(202) 555-0441' })
      expect(thread.phoneNumber).toBe(number)
      expect(thread.window.open).toBe(true)
      expect(thread.entries.map((e) => [e.direction, e.body, e.status ?? null])).toEqual([
        ['OUTBOUND', 'Your order ORD-42 ships Tue 4 March.', 'READ'],
        ['INBOUND', 'Yes, that works', null],
        ['OUTBOUND', 'Great, see you Tuesday', 'READ'],
      ])
      expect(answered.every((s) => s === 200)).toBe(true)
    }
  )

  scenario('OUTSIDE_ALLOWED_SENDING_WINDOW from Sinch is recorded with its meaning', async () => {
    // We saw a reply (so the desk lets free text through) but Sinch's window is
    // closed for …440: Sinch plays FAILED with the reason.
    const number = '+12025550440'
    await db.inboundMessage.create({
      data: {
        channel: 'WHATSAPP',
        externalId: 'conv:test-reply-440',
        fromNumber: number,
        body: 'hi',
        receivedAt: new Date(Date.now() - 3600_000),
        rawPayload: {},
      },
    })
    const sent = await call(sendMessage, { input: { channel: 'WHATSAPP', body: 'Following up', recipients: number } })
    expect(sent.message!.submitState).toBe('SUBMITTED')
    const failed = await waitFor(
      () => recipientOf(sent.message!.id),
      (r) => r.status === 'FAILED'
    )
    expect(failed.updates.find((u) => u.status === 'FAILED')!.reason).toMatch(/^OUTSIDE_ALLOWED_SENDING_WINDOW: /)
    const thread = await call(contactThread, { phoneNumber: number })
    const out = thread.entries.find((e: { direction: string }) => e.direction === 'OUTBOUND')
    expect(out).toMatchObject({
      status: 'FAILED',
      statusMeaning: 'Failed, and no channel is left to try',
      reasonCode: 'OUTSIDE_ALLOWED_SENDING_WINDOW',
      reasonMeaning: 'Outside the 24-hour window: only a template may be sent',
    })
  })

  scenario(
    'SMS fallback: channel_priority_order [WHATSAPP, SMS] and SWITCHING_CHANNEL then DELIVERED',
    async (scenario: StandardScenario) => {
      const sent = await call(sendMessage, {
        input: {
          channel: 'WHATSAPP',
          body: '',
          recipients: '+12025550442',
          templateId: scenario.whatsAppTemplate.hello.id,
          smsFallback: true,
        },
      })
      expect(sandbox.conversationSent[sandbox.conversationSent.length - 1].body).toMatchObject({
        channel_priority_order: ['WHATSAPP', 'SMS'],
        recipient: { identified_by: { channel_identities: [{ channel: 'WHATSAPP' }, { channel: 'SMS' }] } },
      })
      const done = await waitFor(
        () => recipientOf(sent.message!.id),
        (r) => r.status === 'DELIVERED'
      )
      expect(done.updates.map((u) => u.status).sort()).toEqual(['DELIVERED', 'QUEUED_ON_CHANNEL', 'SWITCHING_CHANNEL'])
      expect(done.updates.find((u) => u.status === 'SWITCHING_CHANNEL')!.reason).toMatch(/^RECIPIENT_NOT_REACHABLE/)
      const thread = await call(contactThread, { phoneNumber: '+12025550442' })
      const entry = thread.entries.find((e) => e.messageId === sent.message!.id)!
      expect(entry.reasonCode).toBeNull()
      expect(entry.timeline!.map((t) => [t.status, t.channel, t.reasonCode, t.reasonMeaning])).toEqual([
        ['SWITCHING_CHANNEL', 'WHATSAPP', 'RECIPIENT_NOT_REACHABLE', 'The recipient cannot be reached on this channel'],
        ['QUEUED_ON_CHANNEL', 'SMS', null, null],
        ['DELIVERED', 'SMS', null, null],
      ])
    }
  )

  scenario(
    'duplicate Conversation reports are absorbed (same message id and status)',
    async (scenario: StandardScenario) => {
      const sent = await call(sendMessage, {
        input: {
          channel: 'WHATSAPP',
          body: '',
          recipients: '+12025550443',
          templateId: scenario.whatsAppTemplate.hello.id,
        },
      })
      const delivered = await waitFor(
        () => recipientOf(sent.message!.id),
        (r) => r.status === 'DELIVERED'
      )
      const report = sandbox.deliveries.find(
        (d) =>
          d.kind === 'message_delivery_report' &&
          JSON.parse(d.body).message_delivery_report.message_id === delivered.sinchMessageId &&
          JSON.parse(d.body).message_delivery_report.status === 'DELIVERED'
      )!
      // Sinch retrying the same report (a new nonce, the same body).
      const again = await handler(callbackEvent(report.body, { secret: SANDBOX_CALLBACK_SECRET }), {} as never)
      expect(again).toMatchObject({ statusCode: 200 })
      const after = await recipientOf(sent.message!.id)
      expect(after.updates.filter((u) => u.status === 'DELIVERED')).toHaveLength(1)
      expect(after.status).toBe('DELIVERED')
      expect(await db.callbackEvent.findFirst({ orderBy: { id: 'desc' } })).toMatchObject({ verdict: 'DUPLICATE' })
    }
  )

  scenario(
    'a report that races the send answer waits and is attached when the message id is recorded',
    async (scenario: StandardScenario) => {
      // The report is delivered before messages:send answers: hold the sandbox's answer by sending the report ourselves first.
      const early = {
        app_id: 'sandbox-conversation-app',
        event_time: new Date().toISOString(),
        message_delivery_report: {
          message_id: 'EARLY_ID',
          status: 'DELIVERED',
          channel_identity: { channel: 'WHATSAPP', identity: '12025550999' },
        },
      }
      const res = await handler(callbackEvent(early, { secret: SANDBOX_CALLBACK_SECRET }), {} as never)
      expect(res).toMatchObject({ statusCode: 200 })
      const message = await db.message.create({
        data: {
          body: 'x',
          channel: 'WHATSAPP',
          recipientCount: 1,
          recipients: { create: { phoneNumber: '+12025550999' } },
        },
        include: { recipients: true },
      })
      expect(
        await recordConversationAccepted({ recipientId: message.recipients[0].id, sinchMessageId: 'EARLY_ID' })
      ).toEqual({ attached: 1 })
      expect(await recipientOf(message.id)).toMatchObject({ status: 'DELIVERED', sinchMessageId: 'EARLY_ID' })
      expect(scenario.whatsAppTemplate.hello.id).toBeGreaterThan(0)
    }
  )

  scenario(
    'refuses what cannot be sent: missing template parameters, unknown template, templates on SMS',
    async (scenario: StandardScenario) => {
      await expect(
        call(sendMessage, {
          input: {
            channel: 'WHATSAPP',
            body: '',
            recipients: '+12025550100',
            templateId: scenario.whatsAppTemplate.orderShipped.id,
            templateParameters: ['ORD-1'],
          },
        })
      ).rejects.toThrow("Fill in the template's delivery day.")
      await expect(
        call(sendMessage, { input: { channel: 'WHATSAPP', body: '', recipients: '+12025550100', templateId: 99999 } })
      ).rejects.toThrow('No WhatsApp template 99999.')
      await expect(
        call(sendMessage, {
          input: {
            channel: 'SMS',
            body: 'x',
            recipients: '+12025550100',
            templateId: scenario.whatsAppTemplate.hello.id,
          },
        })
      ).rejects.toThrow(/Templates are for WhatsApp/)
      await expect(
        call(sendMessage, { input: { channel: 'WHATSAPP', body: '  ', recipients: '+12025550100' } })
      ).rejects.toThrow('Write a message, or choose a template.')
      expect(await db.message.count()).toBe(0)
    }
  )

  scenario(
    'a send Sinch refuses is FAILED with why; retry sends only to recipients without a message id',
    async (scenario: StandardScenario) => {
      // A template with a language code Sinch refuses (400): stored without the check, as if configured before.
      const bad = await db.whatsAppTemplate.create({
        data: { name: 'legacy', languageCode: 'en-US', body: 'Hi', parameterNames: [] },
      })
      const sent = await call(sendMessage, {
        input: { channel: 'WHATSAPP', body: '', recipients: '+12025550100, +12025550101', templateId: bad.id },
      })
      expect(sent.message!.submitState).toBe('FAILED')
      expect(sent.message!.submitError).toMatch(
        /^Not sent to 2 of 2: \+12025550100: Sinch refused the WhatsApp message \(400 INVALID_ARGUMENT: language_code/
      )
      await db.message.update({ where: { id: sent.message!.id }, data: { templateLanguage: 'en_US' } })
      await db.messageRecipient.updateMany({
        where: { messageId: sent.message!.id, phoneNumber: '+12025550100' },
        data: { sinchMessageId: 'ALREADY_SENT' },
      })
      const before = sandbox.conversationSent.length
      const retried = await call(retrySendMessage, { id: sent.message!.id })
      expect(retried.submitState).toBe('SUBMITTED')
      expect(sandbox.conversationSent.slice(before).map((s) => s.identity)).toEqual(['12025550101'])
      expect(scenario.whatsAppTemplate.hello.id).toBeGreaterThan(0)
    }
  )

  scenario(
    'a resend (or retry) of free text after the window closed is refused per recipient without calling Sinch',
    async () => {
      const open = '+12025550104'
      const closed = '+12025550105'
      // Both replied; the reply of `closed` is older than 24 hours.
      await db.inboundMessage.createMany({
        data: [
          {
            channel: 'WHATSAPP',
            externalId: 'conv:r-open',
            fromNumber: open,
            body: 'hi',
            receivedAt: new Date(Date.now() - 3600_000),
            rawPayload: {},
          },
          {
            channel: 'WHATSAPP',
            externalId: 'conv:r-closed',
            fromNumber: closed,
            body: 'hi',
            receivedAt: new Date(Date.now() - 25 * 3600_000),
            rawPayload: {},
          },
        ],
      })
      const original = await db.message.create({
        data: {
          body: 'Your table is ready',
          channel: 'WHATSAPP',
          recipientCount: 2,
          submitState: 'SUBMITTED',
          recipients: {
            create: [
              { phoneNumber: open, status: 'FAILED', statusRank: 3 },
              { phoneNumber: closed, status: 'FAILED', statusRank: 3 },
            ],
          },
        },
      })
      const before = sandbox.conversationSent.length
      const result = await call(resendFailed, { id: original.id })
      expect(sandbox.conversationSent.slice(before).map((s) => s.identity)).toEqual(['12025550104'])
      expect(result.message).toMatchObject({
        channel: 'WHATSAPP',
        submitState: 'FAILED',
        submitError: `Not sent to 1 of 2: ${closed}: ${WINDOW_CLOSED_REASON}`,
      })
      const recipients = await db.messageRecipient.findMany({
        where: { messageId: result.message.id },
        orderBy: { phoneNumber: 'asc' },
      })
      expect(recipients.map((r) => [r.phoneNumber, !!r.sinchMessageId])).toEqual([
        [open, true],
        [closed, false],
      ])
    }
  )

  scenario('templates: listed, created with checks, deleted', async (scenario: StandardScenario) => {
    expect((await call(whatsAppTemplates, {})).map((t) => t.name)).toEqual(['hello', 'order_shipped'])
    await expect(
      call(createWhatsAppTemplate, {
        input: { name: 'Bad Name', languageCode: 'en_US', body: 'x', parameterNames: [] },
      })
    ).rejects.toThrow(/lower-case/)
    await expect(
      call(createWhatsAppTemplate, { input: { name: 'x', languageCode: 'en-US', body: 'x', parameterNames: [] } })
    ).rejects.toThrow(/underscore/)
    await expect(
      call(createWhatsAppTemplate, { input: { name: 'hello', languageCode: 'en', body: 'x', parameterNames: [] } })
    ).rejects.toThrow(/already configured/)
    const created = await call(createWhatsAppTemplate, {
      input: { name: 'appointment', languageCode: 'sv_SE', body: 'Tid {{1}}', parameterNames: [' time ', ''] },
    })
    expect(created).toMatchObject({ name: 'appointment', languageCode: 'sv_SE', parameterNames: ['time'] })
    await call(deleteWhatsAppTemplate, { id: scenario.whatsAppTemplate.hello.id })
    expect((await call(whatsAppTemplates, {})).map((t) => t.name)).toEqual(['appointment', 'order_shipped'])
    expect(renderTemplate('{{1}} and {{2}} and {{3}}', ['a', 'b'])).toBe('a and b and {{3}}')
  })

  scenario('conversationWindows takes at most 1,000 numbers, each of phone-number length', async () => {
    const numbers = Array.from({ length: 1001 }, (_, i) => `+1202555${String(i).padStart(4, '0')}`)
    await expect(call(conversationWindows, { phoneNumbers: numbers })).rejects.toThrow(
      '1001 numbers: ask for the windows of at most 1000 at a time.'
    )
    await expect(call(conversationWindows, { phoneNumbers: ['+12025550123', '1'.repeat(65)] })).rejects.toThrow(
      /is 65 characters long; a phone number has at most 64/
    )
    expect(await call(conversationWindows, { phoneNumbers: numbers.slice(0, 1000) })).toHaveLength(1000)
  })

  scenario('a template body and its parameter labels are bounded', async () => {
    const input = { name: 'long_one', languageCode: 'en', body: 'x'.repeat(1025), parameterNames: [] as string[] }
    await expect(call(createWhatsAppTemplate, { input })).rejects.toThrow(
      'The body has 1025 characters; a WhatsApp template body has at most 1024.'
    )
    const labels = Array.from({ length: 101 }, (_, i) => `p${i}`)
    await expect(
      call(createWhatsAppTemplate, { input: { ...input, body: 'x', parameterNames: labels } })
    ).rejects.toThrow(/at most 100 parameter labels/)
    await expect(
      call(createWhatsAppTemplate, { input: { ...input, body: 'x', parameterNames: ['p'.repeat(101)] } })
    ).rejects.toThrow(/each at most 100 characters/)
    await expect(
      call(createWhatsAppTemplate, { input: { ...input, name: 'n'.repeat(513), body: 'x' } })
    ).rejects.toThrow(/lower-case/)
    expect(await db.whatsAppTemplate.count({ where: { name: 'long_one' } })).toBe(0)
  })

  scenario('tells the web the limits and patterns it enforces', async () => {
    const limits = await call(whatsAppTemplateLimits, {})
    expect(limits).toEqual({
      namePattern: '^[a-z0-9_]+$',
      maxNameLength: 512,
      languageCodePattern: '^[a-z]{2,3}(_[A-Z]{2})?$',
      maxBodyLength: 1024,
      maxParameters: 100,
      maxParameterLength: 100,
    })
    // The patterns the web is given accept and refuse what the api does.
    const name = new RegExp(limits.namePattern)
    const language = new RegExp(limits.languageCodePattern)
    expect([name.test('order_shipped'), name.test('Bad Name'), language.test('en_US'), language.test('en-US')]).toEqual(
      [true, false, true, false]
    )
  })
})

// Message and MessageRecipient have no live trigger: each writer announces itself (src/lib/live/notifyLive.ts).
describe('live notifications', () => {
  scenario(
    'recording the message id Sinch gave a recipient, and the outcome of a submission, announce the message',
    async () => {
      const message = await db.message.create({
        data: {
          body: 'Hello',
          channel: 'WHATSAPP',
          recipientCount: 1,
          recipients: { create: [{ phoneNumber: '+12025550499' }] },
        },
        include: { recipients: true },
      })
      const live = await listenLive()
      try {
        await recordConversationAccepted({ recipientId: message.recipients[0].id, sinchMessageId: 'LIVE_WA_ID' })
        expect(await live.naming(message.id)).toBe(1)
        await live.clear()
        // Every recipient has its Conversation message id: nothing is sent, the message is marked submitted.
        await submitWhatsApp(message.id)
        expect((await db.message.findUniqueOrThrow({ where: { id: message.id } })).submitState).toBe('SUBMITTED')
        expect(await live.naming(message.id)).toBe(1)
      } finally {
        await live.end()
      }
    }
  )
})
