import http from 'node:http'
import type { AddressInfo } from 'node:net'

import { createSinchSandbox, type SinchSandbox } from 'sandbox/server'

import { loadConfig } from 'src/lib/config'
import {
  SANDBOX_CONVERSATION_APP_ID,
  SANDBOX_KEY_ID,
  SANDBOX_KEY_SECRET,
  SANDBOX_PROJECT_ID,
} from 'src/lib/sandboxCredentials'
import { verifySinchSignature } from 'src/lib/sinchSignature'

import { buildSendMessageRequest, createSinchConversationClient, type ConversationConfig } from '../conversation'
import { SinchApiError } from '../errors'

const SECRET = 'sandbox-test-secret'

async function receiver() {
  const received: { body: string; headers: http.IncomingHttpHeaders }[] = []
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c) => chunks.push(c))
    req.on('end', () => {
      received.push({ body: Buffer.concat(chunks).toString('utf8'), headers: req.headers })
      res.writeHead(200).end()
    })
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()))
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/sinchCallbacks`
  return { received, url, close: () => new Promise<void>((r) => server.close(() => r())) }
}

const waitFor = async (predicate: () => boolean, ms = 5000) => {
  const deadline = Date.now() + ms
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error('timed out waiting')
    await new Promise((r) => setTimeout(r, 20))
  }
}

const conf = (base: string, over: Partial<ConversationConfig> = {}): ConversationConfig => ({
  region: 'us',
  baseUrl: base,
  authUrl: `${base}/oauth2/token`,
  appId: SANDBOX_CONVERSATION_APP_ID,
  projectId: SANDBOX_PROJECT_ID,
  keyId: SANDBOX_KEY_ID,
  keySecret: SANDBOX_KEY_SECRET,
  requestTimeoutMs: 2000,
  ...over,
})

let rx: Awaited<ReturnType<typeof receiver>>
let sandbox: SinchSandbox
beforeAll(async () => {
  rx = await receiver()
  sandbox = await createSinchSandbox({
    callbackSecret: SECRET,
    stepDelayMs: 20,
    retryBaseMs: 20,
    maxAttempts: 2,
    conversationCallbackUrl: rx.url,
    replyDelayMs: 30,
  })
})
afterAll(async () => {
  await sandbox.close()
  await rx.close()
})

const reportsFor = (messageId: string) =>
  rx.received.map((r) => JSON.parse(r.body)).filter((b) => b.message_delivery_report?.message_id === messageId)

describe('Conversation API request shapes (docs/sinch-protocol.md#conversation-api)', () => {
  it('a template: channel_template.WHATSAPP with template_id, language_code, parameters; identity as digits', () => {
    expect(
      buildSendMessageRequest('APP', {
        to: '+46701234567',
        content: {
          kind: 'template',
          templateId: 'order_shipped',
          languageCode: 'en_US',
          parameters: { 'body[1]text': 'ORD-42', 'body[2]text': 'Tue 4 March' },
        },
        smsFallback: true,
        smsSender: '+15551234567',
      })
    ).toEqual({
      app_id: 'APP',
      recipient: {
        identified_by: {
          channel_identities: [
            { channel: 'WHATSAPP', identity: '46701234567' },
            { channel: 'SMS', identity: '46701234567' },
          ],
        },
      },
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
      channel_priority_order: ['WHATSAPP', 'SMS'],
      channel_properties: { SMS_SENDER: '+15551234567' },
    })
  })

  it('free text: text_message, no fallback fields unless asked; metadata and correlation id when given', () => {
    expect(
      buildSendMessageRequest('APP', {
        to: '+12025550123',
        content: { kind: 'text', text: 'Hi' },
        metadata: 'msg-1',
        correlationId: 'c-1',
      })
    ).toEqual({
      app_id: 'APP',
      recipient: { identified_by: { channel_identities: [{ channel: 'WHATSAPP', identity: '12025550123' }] } },
      message: { text_message: { text: 'Hi' } },
      message_metadata: 'msg-1',
      correlation_id: 'c-1',
    })
  })

  it("region base URLs are Sinch's; the sandbox is used without credentials", () => {
    const base = { DATABASE_URL: 'postgresql://x', SESSION_SECRET: 'a'.repeat(40) }
    const keys = {
      SINCH_PROJECT_ID: 'p',
      SINCH_KEY_ID: 'k',
      SINCH_KEY_SECRET: 's',
      SINCH_CALLBACK_SECRETS: 'secret-123456',
    }
    expect(
      loadConfig({ ...base, ...keys, SINCH_CONVERSATION_APP_ID: 'A', SINCH_CONVERSATION_REGION: 'eu' }).conversation
    ).toMatchObject({
      baseUrl: 'https://eu.conversation.api.sinch.com',
      authUrl: 'https://auth.sinch.com/oauth2/token',
      appId: 'A',
      projectId: 'p',
    })
    expect(loadConfig({ ...base, ...keys, SINCH_CONVERSATION_APP_ID: 'A' }).conversation?.baseUrl).toBe(
      'https://us.conversation.api.sinch.com'
    )
    expect(
      loadConfig({ ...base, ...keys, SINCH_CONVERSATION_APP_ID: 'A', SINCH_CONVERSATION_REGION: 'br' }).conversation
        ?.baseUrl
    ).toBe('https://br.conversation.api.sinch.com')
    expect(loadConfig({ ...base, ...keys }).conversation).toBeNull()
    expect(() =>
      loadConfig({ ...base, ...keys, SINCH_CONVERSATION_APP_ID: 'A', SINCH_CONVERSATION_REGION: 'au' })
    ).toThrow(/SINCH_CONVERSATION_REGION/)
    expect(() =>
      loadConfig({
        ...base,
        SINCH_SERVICE_PLAN_ID: 'plan',
        SINCH_API_TOKEN: 'tok',
        SINCH_CALLBACK_SECRETS: 'secret-123456',
        SINCH_CONVERSATION_APP_ID: 'A',
      })
    ).toThrow(/SINCH_PROJECT_ID is required for WhatsApp/)
    expect(loadConfig({ ...base, SINCH_SANDBOX_URL: 'http://127.0.0.1:9999/' }).conversation).toMatchObject({
      baseUrl: 'http://127.0.0.1:9999',
      authUrl: 'http://127.0.0.1:9999/oauth2/token',
      appId: SANDBOX_CONVERSATION_APP_ID,
    })
  })
})

describe('Conversation client against the sandbox (real HTTP)', () => {
  it('gets one OAuth2 token, sends a template and receives signed QUEUED_ON_CHANNEL, DELIVERED, READ', async () => {
    const spy = jest.spyOn(global, 'fetch')
    const client = createSinchConversationClient(conf(sandbox.url))
    const a = await client.sendMessage({
      to: '+12025550100',
      content: {
        kind: 'template',
        templateId: 'order_shipped',
        languageCode: 'en_US',
        parameters: { 'body[1]text': 'ORD-1' },
      },
      metadata: 'm-1',
    })
    const b = await client.sendMessage({
      to: '+12025550101',
      content: { kind: 'template', templateId: 'order_shipped', languageCode: 'en_US', parameters: {} },
    })
    expect(a.message_id).toMatch(/^[0-9A-Z]{26}$/)
    expect(new Date(a.accepted_time).getTime()).toBeGreaterThan(0)
    expect(b.message_id).not.toBe(a.message_id)
    const urls = spy.mock.calls.map(([u]) => String(u))
    spy.mockRestore()
    expect(urls.filter((u) => u.endsWith('/oauth2/token'))).toHaveLength(1)
    expect(urls.filter((u) => u === `${sandbox.url}/v1/projects/${SANDBOX_PROJECT_ID}/messages:send`)).toHaveLength(2)
    await waitFor(() => reportsFor(a.message_id).length === 3)
    const reports = reportsFor(a.message_id)
    expect(reports.map((r) => r.message_delivery_report.status)).toEqual(['QUEUED_ON_CHANNEL', 'DELIVERED', 'READ'])
    expect(reports[2]).toMatchObject({
      app_id: SANDBOX_CONVERSATION_APP_ID,
      project_id: SANDBOX_PROJECT_ID,
      message_metadata: 'm-1',
      message_delivery_report: {
        channel_identity: { channel: 'WHATSAPP', identity: '12025550100' },
        metadata: 'm-1',
        processing_mode: 'CONVERSATION',
      },
    })
    const raw = rx.received.find((r) => JSON.parse(r.body).message_delivery_report?.message_id === a.message_id)!
    const check = verifySinchSignature({
      rawBody: raw.body,
      headers: raw.headers as never,
      secrets: [{ id: 't', secret: SECRET }],
      toleranceSeconds: 60,
    })
    expect(check.ok).toBe(true)
  })

  it('free text to a contact with no simulated reply: FAILED with OUTSIDE_ALLOWED_SENDING_WINDOW', async () => {
    const client = createSinchConversationClient(conf(sandbox.url))
    const { message_id } = await client.sendMessage({ to: '+12025550102', content: { kind: 'text', text: 'Hello' } })
    await waitFor(() => reportsFor(message_id).length === 2)
    const [, failed] = reportsFor(message_id)
    expect(failed.message_delivery_report).toMatchObject({
      status: 'FAILED',
      reason: { code: 'OUTSIDE_ALLOWED_SENDING_WINDOW', sub_code: 'UNSPECIFIED_SUB_CODE' },
    })
  })

  it('…441: a template, then a simulated inbound reply opens the window, and free text is then delivered', async () => {
    const client = createSinchConversationClient(conf(sandbox.url))
    await client.sendMessage({
      to: '+12025550441',
      content: { kind: 'template', templateId: 'hello', languageCode: 'en', parameters: {} },
    })
    await waitFor(() =>
      rx.received.some((r) => JSON.parse(r.body).message?.channel_identity?.identity === '12025550441')
    )
    const inbound = rx.received
      .map((r) => JSON.parse(r.body))
      .find((b) => b.message?.channel_identity?.identity === '12025550441')
    expect(inbound.message).toMatchObject({
      direction: 'TO_APP',
      contact_message: { text_message: { text: 'Yes, that works' } },
      channel_identity: { channel: 'WHATSAPP' },
    })
    const { message_id } = await client.sendMessage({
      to: '+12025550441',
      content: { kind: 'text', text: 'Great, see you' },
    })
    await waitFor(() => reportsFor(message_id).length === 3)
    expect(reportsFor(message_id).map((r) => r.message_delivery_report.status)).toEqual([
      'QUEUED_ON_CHANNEL',
      'DELIVERED',
      'READ',
    ])
  })

  it('POST /sandbox/inbound simulates a reply from any number: a signed inbound message, and the window opens', async () => {
    const res = await fetch(`${sandbox.url}/sandbox/inbound`, {
      method: 'POST',
      body: JSON.stringify({ from: '+12025550104', text: 'Hello desk' }),
    })
    expect(res.status).toBe(202)
    const answer = await res.json()
    expect(new Date(answer.window_open_until).getTime()).toBeGreaterThan(Date.now() + 23 * 3600_000)
    await waitFor(() => rx.received.some((r) => JSON.parse(r.body).message?.id === answer.message_id))
    const raw = rx.received.find((r) => JSON.parse(r.body).message?.id === answer.message_id)!
    expect(JSON.parse(raw.body)).toMatchObject({
      app_id: SANDBOX_CONVERSATION_APP_ID,
      message: {
        direction: 'TO_APP',
        contact_message: { text_message: { text: 'Hello desk' } },
        channel_identity: { channel: 'WHATSAPP', identity: '12025550104' },
      },
    })
    expect(
      verifySinchSignature({
        rawBody: raw.body,
        headers: raw.headers as never,
        secrets: [{ id: 't', secret: SECRET }],
        toleranceSeconds: 60,
      }).ok
    ).toBe(true)
    const client = createSinchConversationClient(conf(sandbox.url))
    const { message_id } = await client.sendMessage({
      to: '+12025550104',
      content: { kind: 'text', text: 'How can we help?' },
    })
    await waitFor(() => reportsFor(message_id).length === 3)
    expect(reportsFor(message_id).map((r) => r.message_delivery_report.status)).toEqual([
      'QUEUED_ON_CHANNEL',
      'DELIVERED',
      'READ',
    ])
    expect((await fetch(`${sandbox.url}/sandbox/inbound`, { method: 'POST', body: '{"from":"nope"}' })).status).toBe(
      400
    )
  })

  it('…442: SWITCHING_CHANNEL then the SMS fallback is delivered when channel_priority_order allows it', async () => {
    const client = createSinchConversationClient(conf(sandbox.url))
    const withFallback = await client.sendMessage({
      to: '+12025550442',
      content: { kind: 'template', templateId: 'hello', languageCode: 'en', parameters: {} },
      smsFallback: true,
    })
    const without = await client.sendMessage({
      to: '+12025551442',
      content: { kind: 'template', templateId: 'hello', languageCode: 'en', parameters: {} },
    })
    await waitFor(() => reportsFor(withFallback.message_id).length === 3 && reportsFor(without.message_id).length === 1)
    expect(
      reportsFor(withFallback.message_id).map((r) => [
        r.message_delivery_report.status,
        r.message_delivery_report.channel_identity.channel,
      ])
    ).toEqual([
      ['SWITCHING_CHANNEL', 'WHATSAPP'],
      ['QUEUED_ON_CHANNEL', 'SMS'],
      ['DELIVERED', 'SMS'],
    ])
    expect(
      reportsFor(without.message_id).map((r) => [
        r.message_delivery_report.status,
        r.message_delivery_report.reason.code,
      ])
    ).toEqual([['FAILED', 'RECIPIENT_NOT_REACHABLE']])
  })

  it('typed errors: a bad language code is a 400 SinchApiError; a wrong key id still gets a token but a bad token is refused', async () => {
    const client = createSinchConversationClient(conf(sandbox.url))
    const error = await client
      .sendMessage({
        to: '+12025550103',
        content: { kind: 'template', templateId: 'x', languageCode: 'en-US', parameters: {} },
      })
      .catch((e) => e)
    expect(error).toBeInstanceOf(SinchApiError)
    expect(error).toMatchObject({ status: 400, sinchCode: 'INVALID_ARGUMENT', retryable: false })
    expect(error.message).toMatch(/language_code/)
    const broken = createSinchConversationClient(conf(sandbox.url), {
      token: async () => 'not-a-token',
      invalidate: () => {},
    })
    await expect(
      broken.sendMessage({ to: '+12025550103', content: { kind: 'text', text: 'x' } })
    ).rejects.toMatchObject({ status: 401 })
  })

  it('times out as SinchTimeoutError', async () => {
    const slow = http.createServer(() => {})
    await new Promise<void>((r) => slow.listen(0, '127.0.0.1', () => r()))
    const base = `http://127.0.0.1:${(slow.address() as AddressInfo).port}`
    const client = createSinchConversationClient(conf(base, { requestTimeoutMs: 150 }), {
      token: async () => 't',
      invalidate: () => {},
    })
    await expect(
      client.sendMessage({ to: '+12025550103', content: { kind: 'text', text: 'x' } })
    ).rejects.toMatchObject({ name: 'SinchTimeoutError' })
    slow.closeAllConnections()
    await new Promise<void>((r) => slow.close(() => r()))
  })
})
