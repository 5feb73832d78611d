/**
 * A retry after a lost answer must find the batch of the first attempt however
 * long ago it was sent: Sinch's batch list looks back 24 hours unless told
 * otherwise (docs/sinch-protocol.md#listing-batches), and so does the
 * sandbox, which is what this test talks to over HTTP.
 */
import { createSinchSandbox, type SinchSandbox } from 'sandbox/server'
import { callResolver } from 'testing/callResolver'
import { signInAs } from 'testing/staff'

import { config, resetConfigForTests } from 'src/lib/config'
import { db } from 'src/lib/db'
import { createSinchSmsClient } from 'src/lib/sinch/client'

import type { StandardScenario } from './lostAnswer.scenarios'
import { retrySendMessage } from './sending'

// Retrying is a sender's action.
beforeEach(() => signInAs('sender'))

const ENV = ['SINCH_SANDBOX_URL', 'SINCH_CALLBACK_URL'] as const
const saved = Object.fromEntries(ENV.map((k) => [k, process.env[k]]))
let sandbox: SinchSandbox

beforeAll(async () => {
  // Nothing listens on the callback URL: the sandbox gives up after one try.
  sandbox = await createSinchSandbox({ callbackSecret: 'unused', stepDelayMs: 5, maxAttempts: 1 })
  process.env.SINCH_SANDBOX_URL = sandbox.url
  process.env.SINCH_CALLBACK_URL = 'http://127.0.0.1:9/api/sinchCallbacks'
  resetConfigForTests()
})
beforeEach(() => sandbox.batches.clear())
afterAll(async () => {
  await sandbox.close()
  for (const k of ENV) {
    if (saved[k] === undefined) delete process.env[k]
    else process.env[k] = saved[k]
  }
  resetConfigForTests()
})

/** The first attempt reached Sinch (the sandbox) at `sentAt`; its answer never came back to us. */
async function firstAttemptReachedSinch(messageId: string, sentAt: Date) {
  const batch = await createSinchSmsClient(config().sinch).sendBatch({
    to: ['+46701234567'],
    body: 'Your parcel is on its way',
    delivery_report: 'none',
    client_reference: messageId,
  })
  sandbox.batches.get(batch.id)!.batch.created_at = sentAt.toISOString()
  return batch.id
}

const retry = (id: string) => callResolver(retrySendMessage, { id })
describe('retry after a lost answer', () => {
  scenario(
    'two days later, the retry adopts the batch of the first attempt and sends nothing',
    async (scenario: StandardScenario) => {
      const message = scenario.message.lostAnswer
      const firstBatchId = await firstAttemptReachedSinch(message.id, new Date(message.createdAt.getTime() + 1000))

      await retry(message.id)

      expect(await db.message.findUniqueOrThrow({ where: { id: message.id } })).toMatchObject({
        submitState: 'SUBMITTED',
        sinchBatchId: firstBatchId,
        submitAttempts: 2,
      })
      expect(sandbox.batches.size).toBe(1)
    }
  )

  scenario(
    'the sandbox, like Sinch, lists only the last 24 hours without start_date',
    async (scenario: StandardScenario) => {
      const message = scenario.message.lostAnswer
      await firstAttemptReachedSinch(message.id, new Date(message.createdAt.getTime() + 1000))
      const client = createSinchSmsClient(config().sinch)
      expect((await client.listBatches({ client_reference: message.id })).batches).toEqual([])
      expect(
        (await client.listBatches({ client_reference: message.id, start_date: message.createdAt.toISOString() }))
          .batches
      ).toHaveLength(1)
    }
  )
})
