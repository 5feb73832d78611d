import http from 'node:http'
import type { AddressInfo } from 'node:net'

import { TEST_CALLBACK_SECRET } from 'testing/callbackEvent'
import { startCallbackServer } from 'testing/callbackServer'
import { signInAs } from 'testing/staff'

import { config, resetConfigForTests } from 'src/lib/config'
import { db } from 'src/lib/db'

import { runTestCallback, sendTestCallback } from './testCallback'
import type { StandardScenario } from './testCallback.scenarios'

// Every action here is an admin's (the roles test checks who else may).
beforeEach(() => signInAs('admin'))

/** The real HTTP path without the api server (api/testing/callbackServer.ts). */
let server: Awaited<ReturnType<typeof startCallbackServer>>
let baseUrl: string

beforeAll(async () => {
  server = await startCallbackServer()
  baseUrl = new URL(server.url).origin
})
afterAll(() => server.close())

const ENV_KEYS = [
  'SINCH_CALLBACK_URL',
  'SINCH_CALLBACK_SECRETS',
  'SINCH_CALLBACK_AUTH',
  'SINCH_CALLBACK_TOKEN',
  'SINCH_CALLBACK_BASIC',
]
const saved: Record<string, string | undefined> = {}
beforeAll(() => ENV_KEYS.forEach((k) => (saved[k] = process.env[k])))
beforeEach(() => {
  ENV_KEYS.forEach((k) => delete process.env[k])
  process.env.SINCH_CALLBACK_URL = `${baseUrl}/sinchCallbacks`
  process.env.SINCH_CALLBACK_SECRETS = `current=${TEST_CALLBACK_SECRET}`
  resetConfigForTests()
})
afterAll(() => {
  ENV_KEYS.forEach((k) => (saved[k] === undefined ? delete process.env[k] : (process.env[k] = saved[k])))
  resetConfigForTests()
})

const send = () =>
  sendTestCallback({}, { root: {} as never, info: {} as never, context: {} as never }) as ReturnType<
    typeof runTestCallback
  >

describe('sendTestCallback', () => {
  scenario(
    'posts a signed report over HTTP and reports it accepted, as the desk recorded it (a repeat: nothing changes)',
    async (scenario: StandardScenario) => {
      const result = await send()
      expect(result).toMatchObject({
        outcome: 'ACCEPTED',
        httpStatus: 200,
        url: `${baseUrl}/sinchCallbacks`,
        auth: 'hmac',
        secretId: 'current',
        existingRecipient: true,
        batchId: 'BATCH_DELIVERED',
        recipient: '+46701234567',
        error: null,
        rejection: null,
      })
      expect(JSON.parse(result.responseBody!)).toEqual({ status: 'duplicate', state: 'processed', stored: 0 })
      expect(result.callbackEvent).toMatchObject({
        verdict: 'DUPLICATE',
        processingState: 'PROCESSED',
        secretId: 'current',
        batchId: 'BATCH_DELIVERED',
      })
      expect(result.summary).toMatch(
        /^Accepted: .* answered 200\. The desk recorded it as duplicate, processed \(a repeat of a stored report: nothing changed\)\.$/
      )
      // Nothing changed for the recipient. (Counted for this batch: a report a sandbox of an earlier test file still
      // had on its timers may land in the shared test database while this runs.)
      expect(await db.smsStatusUpdate.count({ where: { batchId: 'BATCH_DELIVERED' } })).toBe(1)
      const recipient = await db.messageRecipient.findFirstOrThrow({
        where: { messageId: scenario.message.delivered.id },
      })
      expect(recipient).toMatchObject({ status: 'Delivered', code: 0 })
    }
  )

  scenario('without any stored report, a made-up batch is accepted and recorded unmatched', async () => {
    await db.smsStatusUpdate.deleteMany()
    const result = await send()
    expect(result).toMatchObject({ outcome: 'ACCEPTED', httpStatus: 200, existingRecipient: false })
    expect(result.batchId).toMatch(/^TESTCALLBACK/)
    expect(result.callbackEvent).toMatchObject({
      verdict: 'ACCEPTED',
      processingState: 'UNMATCHED',
      batchId: result.batchId,
    })
    expect(result.summary).toMatch(/unmatched \(a made-up batch: no message has it, which is expected\)/)
  })

  scenario('signed with a secret the desk does not have: refused, with the reason it recorded', async () => {
    const result = await runTestCallback({
      ...config().callbacks,
      secrets: [{ id: 'stale', secret: 'a-secret-nobody-configured' }],
    })
    expect(result).toMatchObject({ outcome: 'REFUSED', httpStatus: 401, secretId: 'stale', callbackEvent: null })
    expect(result.rejection).toMatchObject({
      reason: 'signature_mismatch',
      details: { triedSecretIds: ['current'] },
      method: 'POST',
      url: '/sinchCallbacks',
      host: new URL(baseUrl).host,
    })
    expect(result.summary).toBe('Refused (401): signature matches none of the configured secrets (current).')
    expect(await db.callbackEvent.count()).toBe(0)
    expect(await db.callbackRejection.count()).toBe(1)
  })

  scenario('token authentication: the token goes into the URL, and is masked in the result', async () => {
    process.env.SINCH_CALLBACK_AUTH = 'token'
    process.env.SINCH_CALLBACK_TOKEN = 'a-very-long-unguessable-token-123456'
    resetConfigForTests()
    const result = await send()
    expect(result).toMatchObject({
      outcome: 'ACCEPTED',
      httpStatus: 200,
      auth: 'token',
      secretId: null,
      url: `${baseUrl}/sinchCallbacks?token=…`,
    })
    expect(result.callbackEvent).toMatchObject({ verdict: 'DUPLICATE', secretId: 'token' })

    const wrong = await runTestCallback({ ...config().callbacks, token: 'not-the-token-the-desk-expects-0000' })
    expect(wrong).toMatchObject({
      outcome: 'REFUSED',
      httpStatus: 401,
      rejection: { reason: 'token_mismatch', url: '/sinchCallbacks?token=…' },
    })
  })

  scenario('basic authentication: the credentials Sinch would send', async () => {
    process.env.SINCH_CALLBACK_AUTH = 'basic'
    process.env.SINCH_CALLBACK_BASIC = 'sinch:correct-horse-battery'
    resetConfigForTests()
    expect(await send()).toMatchObject({ outcome: 'ACCEPTED', httpStatus: 200, auth: 'basic' })
  })

  scenario('nothing listening: unreachable, with the error', async () => {
    const closed = http.createServer()
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve))
    const port = (closed.address() as AddressInfo).port
    await new Promise((resolve) => closed.close(resolve))
    process.env.SINCH_CALLBACK_URL = `http://127.0.0.1:${port}/sinchCallbacks`
    resetConfigForTests()
    const result = await send()
    expect(result).toMatchObject({ outcome: 'UNREACHABLE', httpStatus: null, callbackEvent: null, rejection: null })
    expect(result.error).toMatch(/ECONNREFUSED/)
    expect(result.summary).toMatch(/^Unreachable: http:\/\/127\.0\.0\.1:\d+\/sinchCallbacks did not answer/)
  })

  scenario('an answer that never comes: unreachable after the timeout', async () => {
    const silent = http.createServer(() => {})
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve))
    try {
      const url = `http://127.0.0.1:${(silent.address() as AddressInfo).port}/sinchCallbacks`
      const result = await runTestCallback({ ...config().callbacks, url }, 300)
      expect(result).toMatchObject({ outcome: 'UNREACHABLE', error: 'no answer within 0.3 s' })
    } finally {
      silent.closeAllConnections()
      await new Promise((resolve) => silent.close(resolve))
    }
  })
})
