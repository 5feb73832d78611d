/**
 * Conformance: every request our Sinch clients build, captured on the wire (a
 * recording proxy in front of the sandbox) while the real services run, is
 * validated against JSON Schemas written from Sinch's published models
 * (sinchRequestSchemas.ts, docs/sinch-protocol.md#conformance-suite).
 */
import http from 'node:http'
import type { AddressInfo } from 'node:net'

import Ajv from 'ajv'
import addFormats from 'ajv-formats'
import { samplePng } from 'sandbox/mediaFiles'
import { createSinchSandbox, type SinchSandbox } from 'sandbox/server'
import { startCallbackServer } from 'testing/callbackServer'
import { callResolver } from 'testing/callResolver'
import { signInAs } from 'testing/staff'

import { config, resetConfigForTests } from 'src/lib/config'
import { db } from 'src/lib/db'
import { createSinchConversationClient, type ConversationSend } from 'src/lib/sinch/conversation'
import { sendMms } from 'src/services/media/mediaSend'
import { reconcileMessageNow } from 'src/services/reconciliation/reconciliation'
import { reviewAudienceSend, sendToAudience } from 'src/services/sending/audienceSend'
import { cancelMessage } from 'src/services/sending/cancel'
import { submitDueChunks } from 'src/services/sending/chunkSubmitter'
import { retrySendMessage, sendMessage } from 'src/services/sending/sending'

import type { StandardScenario } from './clientRequests.scenarios'
import {
  batchDeliveryReportQuerySchema,
  cancelBatchSchema,
  dryRunQuerySchema,
  listBatchesQuerySchema,
  mediaRequestSchema,
  oauthTokenFormSchema,
  sendMessageRequestSchema,
  textRequestSchema,
} from './sinchRequestSchemas'

type Captured = { method: string; path: string; query: Record<string, string>; contentType: string; body: string }

const ajv = new Ajv({ allErrors: true, strict: true })
addFormats(ajv)
const validators = {
  textRequest: ajv.compile(textRequestSchema),
  mediaRequest: ajv.compile(mediaRequestSchema),
  listBatches: ajv.compile(listBatchesQuerySchema),
  batchReport: ajv.compile(batchDeliveryReportQuerySchema),
  oauthToken: ajv.compile(oauthTokenFormSchema),
  sendMessage: ajv.compile(sendMessageRequestSchema),
  dryRunQuery: ajv.compile(dryRunQuerySchema),
  cancelBatch: ajv.compile(cancelBatchSchema),
}

/** Which schema a captured request must satisfy, and what it is checked against. */
function check(request: Captured): { schema: keyof typeof validators | 'none'; errors: unknown } {
  const p = request.path
  let schema: keyof typeof validators | 'none' = 'none'
  let data: unknown = undefined
  if (request.method === 'POST' && /\/xms\/v1\/[^/]+\/batches$/.test(p)) {
    data = JSON.parse(request.body)
    schema = (data as { type?: string }).type === 'mt_media' ? 'mediaRequest' : 'textRequest'
  } else if (request.method === 'POST' && /\/xms\/v1\/[^/]+\/batches\/dry_run$/.test(p)) {
    // The body is a send's body; the query has its own model.
    if (!validators.textRequest(JSON.parse(request.body)))
      return { schema: 'textRequest', errors: validators.textRequest.errors }
    ;[schema, data] = ['dryRunQuery', request.query]
  } else if (request.method === 'DELETE' && /\/xms\/v1\/[^/]+\/batches\/[^/]+$/.test(p))
    [schema, data] = ['cancelBatch', { batchId: p.split('/').pop(), query: request.query, body: request.body }]
  else if (request.method === 'GET' && /\/xms\/v1\/[^/]+\/batches$/.test(p))
    [schema, data] = ['listBatches', request.query]
  else if (request.method === 'GET' && /\/batches\/[^/]+\/delivery_report$/.test(p))
    [schema, data] = ['batchReport', request.query]
  else if (request.method === 'POST' && p === '/oauth2/token')
    [schema, data] = ['oauthToken', Object.fromEntries(new URLSearchParams(request.body))]
  else if (request.method === 'POST' && /\/v1\/projects\/[^/]+\/messages:send$/.test(p))
    [schema, data] = ['sendMessage', JSON.parse(request.body)]
  if (schema === 'none') return { schema, errors: null }
  const validate = validators[schema]
  return { schema, errors: validate(data) ? null : validate.errors }
}

let sandbox: SinchSandbox
let proxy: http.Server
let captured: Captured[] = []
/** Answers the next POST /batches with this status instead of forwarding it (a failed first attempt). */
let failNextSend: number | null = null
const ENV = [
  'SINCH_SANDBOX_URL',
  'SINCH_CALLBACK_URL',
  'SINCH_DELIVERY_REPORT',
  'SINCH_MMS_ENABLED',
  'MEDIA_PUBLIC_BASE_URL',
] as const
const saved = Object.fromEntries(ENV.map((k) => [k, process.env[k]]))

beforeAll(async () => {
  sandbox = await createSinchSandbox({ callbackSecret: 'unused', stepDelayMs: 20, maxAttempts: 1 })
  proxy = http.createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', async () => {
      const url = new URL(req.url ?? '/', 'http://proxy')
      const body = Buffer.concat(chunks).toString('utf8')
      captured.push({
        method: req.method ?? 'GET',
        path: url.pathname,
        query: Object.fromEntries(url.searchParams),
        contentType: String(req.headers['content-type'] ?? ''),
        body,
      })
      if (failNextSend && req.method === 'POST' && url.pathname.endsWith('/batches')) {
        const status = failNextSend
        failNextSend = null
        res.writeHead(status, { 'content-type': 'application/json' }).end('{"code":"unavailable","text":"try later"}')
        return
      }
      const answer = await fetch(`${sandbox.url}${req.url}`, {
        method: req.method,
        headers: {
          ...(req.headers.authorization ? { authorization: req.headers.authorization } : {}),
          ...(req.headers['content-type'] ? { 'content-type': String(req.headers['content-type']) } : {}),
        },
        body: req.method === 'GET' ? undefined : body,
      })
      res.writeHead(answer.status, { 'content-type': 'application/json' }).end(await answer.text())
    })
  })
  await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', () => r()))
  process.env.SINCH_SANDBOX_URL = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`
  // Nothing listens there: the sandbox's callbacks fail once and are dropped.
  process.env.SINCH_CALLBACK_URL = 'http://127.0.0.1:9/api/sinchCallbacks'
  process.env.SINCH_DELIVERY_REPORT = 'per_recipient'
  resetConfigForTests()
})
beforeEach(() => {
  captured = []
  failNextSend = null
})
afterAll(async () => {
  await sandbox.close()
  proxy.closeAllConnections()
  await new Promise<void>((r) => proxy.close(() => r()))
  for (const k of ENV) {
    if (saved[k] === undefined) delete process.env[k]
    else process.env[k] = saved[k]
  }
  resetConfigForTests()
})

function expectConformant(requests: Captured[]) {
  const results = requests.map((r) => ({ request: `${r.method} ${r.path}`, ...check(r) }))
  expect(results.filter((r) => r.schema !== 'none').length).toBeGreaterThan(0)
  expect(results.filter((r) => r.errors)).toEqual([])
  return results.map((r) => r.schema)
}

describe('requests our clients send conform to Sinch’s published models', () => {
  scenario(
    'SMS: send, retry after a failed attempt (lookup by client_reference), reconciliation lookups',
    async (scenario: StandardScenario) => {
      signInAs('sender', { id: scenario.user.staff.id, email: scenario.user.staff.email })
      failNextSend = 503
      const first = await callResolver(sendMessage, {
        input: {
          body: 'Your parcel is on its way',
          recipients: '+12025550123\n+46701234567',
          clientReference: 'order-42',
        },
      })
      expect(first.message).toMatchObject({ submitState: 'FAILED' })
      const retried = await callResolver(retrySendMessage, { id: first.message!.id })
      expect(retried).toMatchObject({ submitState: 'SUBMITTED' })

      await new Promise((r) => setTimeout(r, 400)) // the sandbox plays delivery; our callback URL hears nothing
      await reconcileMessageNow(first.message!.id)

      const schemas = expectConformant(captured)
      expect(schemas).toEqual(expect.arrayContaining(['textRequest', 'listBatches', 'batchReport']))
      expect(captured.some((r) => /\/delivery_report\/\d+$/.test(r.path))).toBe(true)
      expect(captured.find((r) => r.path.endsWith('/batches') && r.method === 'GET')?.query.start_date).toBeDefined()
      expect(await db.message.count()).toBe(1)
    }
  )

  scenario('SMS: a picture as MMS (mt_media), its link fetched by the sandbox', async (scenario: StandardScenario) => {
    signInAs('sender', { id: scenario.user.staff.id, email: scenario.user.staff.email })
    // Where the sandbox fetches the picture: our real /mediaPublic over HTTP.
    const media = await startCallbackServer()
    process.env.SINCH_MMS_ENABLED = 'true'
    process.env.MEDIA_PUBLIC_BASE_URL = media.url.replace(/\/sinchCallbacks$/, '')
    resetConfigForTests()
    try {
      const { message } = await callResolver(sendMms, {
        input: {
          recipients: '+12025550123',
          message: 'Your parcel',
          fileName: 'parcel.png',
          contentBase64: samplePng(16).toString('base64'),
          clientReference: 'order-43',
        },
      })
      expect(message).toMatchObject({ submitState: 'SUBMITTED' })
      expect(expectConformant(captured)).toEqual(['mediaRequest'])
      expect(JSON.parse(captured[0].body)).toMatchObject({ type: 'mt_media', body: { message: 'Your parcel' } })
    } finally {
      for (const k of ['SINCH_MMS_ENABLED', 'MEDIA_PUBLIC_BASE_URL'] as const) {
        if (saved[k] === undefined) delete process.env[k]
        else process.env[k] = saved[k]
      }
      resetConfigForTests()
      await media.close()
    }
  })

  scenario('SMS audience send: review with dry run, chunks with parameters and send_at, cancel', async () => {
    signInAs('sender')
    process.env.SEND_CHUNK_SIZE = '2'
    resetConfigForTests()
    try {
      const input = {
        body: 'Hi ((name)), your table is booked for ((time)).',
        source: 'CSV' as const,
        csv: 'phone,name\n+12025550123,Ann\n+46701234567,Bo\n+46701234568,',
        defaults: [
          { name: 'name', value: 'there' },
          { name: 'time', value: '19:00' },
        ],
        sendAt: new Date(Date.now() + 3600_000).toISOString(),
        expireAt: new Date(Date.now() + 7200_000).toISOString(),
      }
      const review = await callResolver(reviewAudienceSend, { input })
      expect(review).toMatchObject({ recipients: 3, sinchParts: 3, chunks: 2 })
      const message = await callResolver(sendToAudience, { input, expectedRecipients: 3 })
      await submitDueChunks()
      await callResolver(cancelMessage, { id: message.id })

      const schemas = expectConformant(captured)
      expect(schemas.filter((s) => s === 'dryRunQuery')).toHaveLength(2)
      expect(schemas.filter((s) => s === 'textRequest')).toHaveLength(2)
      expect(schemas.filter((s) => s === 'cancelBatch')).toHaveLength(2)
      const sent = captured.filter((r) => r.method === 'POST' && r.path.endsWith('/batches')).map((r) => JSON.parse(r.body))
      expect(sent[0]).toMatchObject({ body: 'Hi ${name}, your table is booked for ${time}.', send_at: input.sendAt })
      expect(sent.flatMap((b) => Object.keys(b.parameters.name)).sort()).toEqual(
        ['default', 'default', '+12025550123', '+46701234567', '+46701234568'].sort()
      )
    } finally {
      delete process.env.SEND_CHUNK_SIZE
      resetConfigForTests()
    }
  })

  scenario(
    'WhatsApp: OAuth2 token, free text, a file, template, SMS fallback with sender, metadata and correlation id',
    async () => {
      const client = createSinchConversationClient(config().conversation!)
      const sends: ConversationSend[] = [
        {
          to: '+12025550441',
          content: {
            kind: 'template',
            templateId: 'order_shipped',
            languageCode: 'en_US',
            parameters: { 'body[1]text': 'ORD-42' },
          },
        },
        { to: '+12025550441', content: { kind: 'text', text: 'Thanks, see you Tuesday' } },
        {
          to: '+12025550441',
          content: {
            kind: 'media',
            url: 'https://desk.example.com/api/mediaPublic?key=AAAAAAAAAAAAAAAAAAAAAA&exp=1900000000&sig=x',
            fileName: 'delivery-note.pdf',
          },
        },
        {
          to: '+12025550442',
          content: { kind: 'template', templateId: 'order_shipped', languageCode: 'en_US', parameters: {} },
          smsFallback: true,
          smsSender: '+12025550100',
          metadata: 'msg_1',
          correlationId: 'msg_1:42',
        },
      ]
      for (const send of sends) await client.sendMessage(send)
      expect(expectConformant(captured)).toEqual([
        'oauthToken',
        'sendMessage',
        'sendMessage',
        'sendMessage',
        'sendMessage',
      ])
      expect(captured[0].contentType).toMatch(/^application\/x-www-form-urlencoded/)
    }
  )

  it('the schemas refuse what Sinch would refuse (the checks can fail)', () => {
    expect(validators.textRequest({ to: [], body: 'x' })).toBe(false)
    expect(validators.textRequest({ to: Array(1001).fill('+12025550123'), body: 'x' })).toBe(false)
    expect(validators.textRequest({ to: ['+12025550123'], body: 'x', delivery_report: 'sometimes' })).toBe(false)
    expect(validators.textRequest({ to: ['+12025550123'], body: 'x', clientReference: 'camelCase' })).toBe(false)
    expect(validators.listBatches({ start_date: 'yesterday' })).toBe(false)
    const mms = {
      to: ['+12025550123'],
      type: 'mt_media',
      body: { url: 'https://desk.example.com/api/mediaPublic?key=k' },
    }
    expect(validators.mediaRequest(mms)).toBe(true)
    expect(validators.mediaRequest({ ...mms, body: { message: 'no url' } })).toBe(false)
    expect(validators.mediaRequest({ ...mms, body: { url: 'ftp://example.com/x.png' } })).toBe(false)
    expect(validators.mediaRequest({ ...mms, body: { ...mms.body, caption: 'not in the model' } })).toBe(false)
    expect(validators.mediaRequest({ ...mms, type: 'mt_text' })).toBe(false)
    expect(validators.dryRunQuery({ per_recipient: 'yes' })).toBe(false)
    expect(validators.cancelBatch({ batchId: '01M8RRJQRFDSQHCZV15H3Y57N5', query: {}, body: '{}' })).toBe(false)
    expect(validators.textRequest({ to: ['+12025550123'], body: 'x', parameters: { name: { '+12025550123': 1 } } })).toBe(
      false
    )
    expect(
      validators.sendMessage({
        app_id: 'A',
        recipient: { contact_id: 'C' },
        message: { text_message: { text: 'x' }, reply_to: {} },
      })
    ).toBe(false)
    expect(
      validators.sendMessage({
        app_id: 'A',
        recipient: { identified_by: { channel_identities: [{ channel: 'WHATSAPP', identity: '1' }] } },
        message: { template_message: { channel_template: { WHATSAPP: { template_id: 't', language_code: 'en-US' } } } },
      })
    ).toBe(false)
    expect(
      validators.sendMessage({
        app_id: 'A',
        recipient: { contact_id: 'C' },
        message: { media_message: { url: 'ftp://example.com/x.pdf', caption: 'not in the model' } },
      })
    ).toBe(false)
  })
})
