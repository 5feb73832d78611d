import http from 'node:http'
import type { AddressInfo } from 'node:net'

import { SinchClient } from '@sinch/sdk-core'
import { createSinchSandbox, type SinchSandbox } from 'sandbox/server'

import { type AppConfig } from 'src/lib/config'
import { SANDBOX_API_TOKEN, SANDBOX_SERVICE_PLAN_ID } from 'src/lib/sandboxCredentials'
import { verifySinchSignature } from 'src/lib/sinchSignature'

import { createSinchSmsClient } from '../client'
import { SinchApiError, SinchTimeoutError, SinchUnreachableError } from '../errors'

const SECRET = 'sandbox-test-secret'

function sinchConfig(base: string, overrides: Partial<AppConfig['sinch']> = {}): AppConfig['sinch'] {
  return {
    region: 'us',
    credentials: { mode: 'apiToken', servicePlanId: SANDBOX_SERVICE_PLAN_ID, apiToken: SANDBOX_API_TOKEN },
    smsBaseUrl: base,
    authUrl: `${base}/oauth2/token`,
    deliveryReport: 'per_recipient',
    requestTimeoutMs: 2000,
    mmsEnabled: false,
    ...overrides,
  }
}

/** A receiver that records callbacks and answers with the given status codes in turn. */
async function receiver(answers: number[] = []) {
  const received: { body: string; headers: http.IncomingHttpHeaders; answered: number }[] = []
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c) => chunks.push(c))
    req.on('end', () => {
      const answered = answers.length > 0 ? answers.shift()! : 200
      received.push({ body: Buffer.concat(chunks).toString('utf8'), headers: req.headers, answered })
      res.writeHead(answered).end()
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

let sandbox: SinchSandbox
beforeAll(async () => {
  sandbox = await createSinchSandbox({ callbackSecret: SECRET, stepDelayMs: 30, retryBaseMs: 20, maxAttempts: 4 })
})
afterAll(() => sandbox.close())

describe('Sinch SMS client against the sandbox (real HTTP)', () => {
  it('sends, gets and lists batches; the sandbox plays signed per-recipient reports', async () => {
    const rx = await receiver()
    const client = createSinchSmsClient(sinchConfig(sandbox.url))
    const batch = await client.sendBatch({
      to: ['+46701234567', '+46701234402'],
      body: 'Hi',
      delivery_report: 'per_recipient',
      callback_url: rx.url,
      client_reference: 'msg_1',
    })
    expect(batch).toMatchObject({
      to: ['46701234567', '46701234402'],
      body: 'Hi',
      type: 'mt_text',
      canceled: false,
      client_reference: 'msg_1',
    })
    expect(batch.id).toMatch(/^[0-9A-HJKMNP-TV-Z]{26}$/)
    expect(await client.getBatch(batch.id)).toMatchObject({ id: batch.id })
    expect((await client.listBatches({ client_reference: 'msg_1' })).batches.map((b) => b.id)).toEqual([batch.id])
    expect((await client.listBatches({ client_reference: 'other' })).batches).toEqual([])

    await waitFor(() => rx.received.length >= 6)
    const reports = rx.received.map((r) => {
      const check = verifySinchSignature({
        headers: r.headers as never,
        rawBody: r.body,
        secrets: [{ id: 's', secret: SECRET }],
        toleranceSeconds: 300,
      })
      expect(check.ok).toBe(true)
      return JSON.parse(r.body)
    })
    const finals = Object.fromEntries(
      reports.filter((r) => !['Queued', 'Dispatched'].includes(r.status)).map((r) => [r.recipient, [r.status, r.code]])
    )
    expect(finals).toEqual({ '46701234567': ['Delivered', 0], '46701234402': ['Aborted', 402] })
    expect(reports[0]).toMatchObject({
      type: 'recipient_delivery_report_sms',
      batch_id: batch.id,
      client_reference: 'msg_1',
    })

    const byRecipient = await client.getRecipientDeliveryReport(batch.id, '+46701234402')
    expect(byRecipient).toMatchObject({ type: 'recipient_delivery_report_sms', status: 'Aborted', code: 402 })
    const full = await client.getBatchDeliveryReport(batch.id, { type: 'full' })
    expect(full.statuses).toEqual(
      expect.arrayContaining([expect.objectContaining({ status: 'Delivered', count: 1, recipients: ['46701234567'] })])
    )
    await rx.close()
  })

  it('honours per_recipient_final and full', async () => {
    const rx = await receiver()
    const client = createSinchSmsClient(sinchConfig(sandbox.url))
    await client.sendBatch({
      to: ['+12025550100'],
      body: 'x',
      delivery_report: 'per_recipient_final',
      callback_url: rx.url,
    })
    await client.sendBatch({
      to: ['+12025550101', '+12025550404'],
      body: 'x',
      delivery_report: 'full',
      callback_url: rx.url,
    })
    await waitFor(() => rx.received.length >= 2)
    await new Promise((r) => setTimeout(r, 200))
    const kinds = rx.received
      .map((r) => JSON.parse(r.body))
      .map(
        (b) =>
          `${b.type}:${
            b.status ??
            b.statuses
              .map((s: { status: string }) => s.status)
              .sort()
              .join('+')
          }`
      )
    expect(kinds.sort()).toEqual(['delivery_report_sms:Delivered+Failed', 'recipient_delivery_report_sms:Delivered'])
    await rx.close()
  })

  it('retries a callback on 503 with a fresh signature, and never on 400', async () => {
    const rx = await receiver([503, 503, 200, 400])
    const client = createSinchSmsClient(sinchConfig(sandbox.url))
    await client.sendBatch({
      to: ['+12025550102', '+12025550103'],
      body: 'x',
      delivery_report: 'per_recipient_final',
      callback_url: rx.url,
    })
    await waitFor(() => rx.received.length >= 4)
    await new Promise((r) => setTimeout(r, 300))
    expect(rx.received.map((r) => r.answered)).toEqual([503, 503, 200, 400])
    const nonces = rx.received.map((r) => r.headers['x-sinch-webhook-signature-nonce'])
    expect(new Set(nonces).size).toBe(4)
    await rx.close()
  })

  it('maps Sinch errors: 400 with code and text, 401, 403 missing_callback_url', async () => {
    const client = createSinchSmsClient(sinchConfig(sandbox.url))
    await expect(client.sendBatch({ to: ['12'], body: 'x' })).rejects.toMatchObject({
      status: 400,
      sinchCode: 'syntax_invalid_parameter_format',
      message: expect.stringMatching(/Sinch refused the batch \(400 syntax_invalid_parameter_format/),
    })
    await expect(
      client.sendBatch({ to: ['+12025550104'], body: 'x', delivery_report: 'per_recipient' })
    ).rejects.toMatchObject({ status: 403, sinchCode: 'missing_callback_url' })
    const wrongToken = createSinchSmsClient(
      sinchConfig(sandbox.url, {
        credentials: { mode: 'apiToken', servicePlanId: SANDBOX_SERVICE_PLAN_ID, apiToken: 'wrong' },
      })
    )
    const error = await wrongToken.getBatch('X').catch((e) => e)
    expect(error).toBeInstanceOf(SinchApiError)
    expect(error).toMatchObject({ status: 401, retryable: false })
  })

  it('reports a timeout and an unreachable host as such', async () => {
    const silent = http.createServer(() => {})
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', () => r()))
    const slowUrl = `http://127.0.0.1:${(silent.address() as AddressInfo).port}`
    const slow = createSinchSmsClient(sinchConfig(slowUrl, { requestTimeoutMs: 150 }))
    await expect(slow.getBatch('X')).rejects.toBeInstanceOf(SinchTimeoutError)
    silent.closeAllConnections()
    await new Promise<void>((r) => silent.close(() => r()))
    const closed = createSinchSmsClient(sinchConfig(slowUrl))
    const error = await closed.getBatch('X').catch((e) => e)
    expect(error).toBeInstanceOf(SinchUnreachableError)
    expect(error.message).toMatch(/Could not reach Sinch/)
  })

  it('OAuth2 against the sandbox: one token for many calls, shared by concurrent callers', async () => {
    let tokenRequests = 0
    const realFetch = global.fetch
    const spy = jest.spyOn(global, 'fetch').mockImplementation((input, init) => {
      if (String(input).endsWith('/oauth2/token')) tokenRequests++
      return realFetch(input, init)
    })
    const client = createSinchSmsClient(
      sinchConfig(sandbox.url, {
        credentials: { mode: 'oauth2', projectId: 'proj-1', keyId: 'key', keySecret: 'secret' },
      })
    )
    await Promise.all(Array.from({ length: 10 }, () => client.listBatches()))
    await client.listBatches()
    expect(tokenRequests).toBe(1)
    spy.mockRestore()
  })

  it('the official @sinch/sdk-core 1.4.0 sends a batch to the sandbox', async () => {
    const sdk = new SinchClient({
      servicePlanId: SANDBOX_SERVICE_PLAN_ID,
      apiToken: SANDBOX_API_TOKEN,
      smsHostname: sandbox.url,
    } as never)
    const response = await sdk.sms.batches.send({
      sendSMSRequestBody: { to: ['+12025550105'], body: 'from the SDK', from: '+12025550199' },
    } as never)
    expect(response).toMatchObject({ to: ['12025550105'], body: 'from the SDK', type: 'mt_text' })
    expect((response as { id: string }).id).toHaveLength(26)
  })
})
