import http from 'node:http'
import type { AddressInfo } from 'node:net'

import { createSinchSandbox, type SinchSandbox } from 'sandbox/server'
import { callbackEvent } from 'testing/callbackEvent'
import { callResolver } from 'testing/callResolver'
import { listenLive } from 'testing/liveNotifications'
import { pointConfigAtSandbox } from 'testing/sandboxConfig'
import { signInAs } from 'testing/staff'

import { handler as sinchCallbacks } from 'src/functions/sinchCallbacks'
import { recipientReportSchema } from 'src/lib/callbackPayload'
import { config } from 'src/lib/config'
import { db } from 'src/lib/db'
import { SANDBOX_CALLBACK_SECRET } from 'src/lib/sandboxCredentials'
import { createSinchSmsClient, type SinchSmsClient } from 'src/lib/sinch/client'
import { sendMessage } from 'src/services/sending/sending'
import { recordReport } from 'src/services/smsStatus/recordReport'
import { recipientReportRow } from 'src/services/smsStatus/reportRows'

import { reconcileMessage, reconcileMessageNow, reconcileStuck } from './reconciliation'

// Every action here is an admin's (the roles test checks who else may).
beforeEach(() => signInAs('admin'))

/**
 * The sandbox plays delivery over real HTTP, but its callbacks go to a
 * receiver that only keeps them: they are "lost", as when Sinch's callback
 * never reaches us. Reconciliation then has to ask the sandbox (over the same
 * real client) what happened. Time is moved forward through `now`.
 */
let sandbox: SinchSandbox
let lost: { body: string }[] = []
let receiver: http.Server
let restoreConfig: () => void

beforeAll(async () => {
  receiver = http.createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c) => chunks.push(c))
    req.on('end', () => {
      lost.push({ body: Buffer.concat(chunks).toString('utf8') })
      res.writeHead(200).end()
    })
  })
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', () => r()))
  sandbox = await createSinchSandbox({
    callbackSecret: SANDBOX_CALLBACK_SECRET,
    stepDelayMs: 15,
    retryBaseMs: 10,
    maxAttempts: 2,
  })
  restoreConfig = pointConfigAtSandbox(
    sandbox.url,
    `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/sinchCallbacks`,
    {
      SINCH_REQUEST_TIMEOUT_MS: '3000',
      SINCH_DELIVERY_REPORT: 'per_recipient',
    }
  )
})
afterAll(async () => {
  restoreConfig()
  await sandbox.close()
  receiver.closeAllConnections()
  await new Promise<void>((r) => receiver.close(() => r()))
})
beforeEach(() => {
  lost = []
})

const MIN = 60_000
const call = callResolver

const waitFor = async (predicate: () => boolean, ms = 5000) => {
  const deadline = Date.now() + ms
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error('timed out waiting')
    await new Promise((r) => setTimeout(r, 20))
  }
}

/** Sends through the app to the sandbox and waits until the sandbox has played (and lost) every report. */
async function sendAndLoseReports(numbers: string[], reports: number) {
  const result = await call(sendMessage, {
    input: { body: 'Your parcel is on its way', recipients: numbers.join('\n') },
  })
  expect(result.message).toMatchObject({ submitState: 'SUBMITTED' })
  await waitFor(() => lost.length >= reports)
  return result.message as { id: string; sinchBatchId: string; submittedAt: Date }
}

const recipientOf = (messageId: string, phoneNumber: string) =>
  db.messageRecipient.findUniqueOrThrow({ where: { messageId_phoneNumber: { messageId, phoneNumber } } })

const later = (ms: number) => new Date(Date.now() + ms)

describe('reconciliation', () => {
  scenario('moves a stuck recipient to its real final status; the late callback is then a duplicate', async () => {
    const message = await sendAndLoseReports(['+46701234567', '+46701234402'], 6)
    expect((await recipientOf(message.id, '+46701234567')).status).toBe('Pending')

    expect(await reconcileStuck({ now: later(14 * MIN) })).toMatchObject({ checked: 0 })

    const summary = await reconcileStuck({ now: later(16 * MIN) })
    expect(summary).toMatchObject({ checked: 2, changed: 2, gaveUp: 0, failed: 0 })
    const delivered = await recipientOf(message.id, '+46701234567')
    expect(delivered).toMatchObject({ status: 'Delivered', code: 0, reconcileAttempts: 1, statusReason: null })
    expect(await recipientOf(message.id, '+46701234402')).toMatchObject({
      status: 'Aborted',
      code: 402,
      reconcileAttempts: 1,
    })
    const fetched = await db.smsStatusUpdate.findMany({ where: { recipientId: delivered.id } })
    expect(fetched.map((u) => [u.status, u.source])).toEqual([['Delivered', 'FETCHED']])

    // The callback Sinch had sent for that same event finally arrives: a duplicate.
    const final = lost
      .map((l) => l.body)
      .find((b) => JSON.parse(b).recipient === '46701234567' && JSON.parse(b).status === 'Delivered')!
    const rowsBefore = await db.smsStatusUpdate.count()
    const res = await sinchCallbacks(callbackEvent(final, { secret: SANDBOX_CALLBACK_SECRET }), {} as never)
    expect(res.statusCode).toBe(200)
    expect(JSON.parse(res.body)).toMatchObject({ status: 'duplicate', stored: 0 })
    expect(await db.smsStatusUpdate.count()).toBe(rowsBefore)
    expect(await recipientOf(message.id, '+46701234567')).toMatchObject({
      status: 'Delivered',
      code: 0,
      statusAt: delivered.statusAt,
    })

    // An older intermediate report arriving late is stored but moves nothing back.
    const dispatched = lost
      .map((l) => l.body)
      .find((b) => JSON.parse(b).recipient === '46701234567' && JSON.parse(b).status === 'Dispatched')!
    const late = await sinchCallbacks(callbackEvent(dispatched, { secret: SANDBOX_CALLBACK_SECRET }), {} as never)
    expect(JSON.parse(late.body)).toMatchObject({ status: 'accepted', stored: 1 })
    expect((await recipientOf(message.id, '+46701234567')).status).toBe('Delivered')

    // Final now: never asked about again.
    expect(await reconcileStuck({ now: later(60 * MIN) })).toMatchObject({ checked: 0 })
  })

  scenario(
    'a number whose operator never reports (…777) ends Unknown with its reason after the last check; checks are spaced and counted',
    async () => {
      const message = await sendAndLoseReports(['+46701234777'], 2)
      const id = (await recipientOf(message.id, '+46701234777')).id

      expect(await reconcileStuck({ now: later(16 * MIN) })).toMatchObject({ checked: 1, changed: 1, gaveUp: 0 })
      expect(await db.messageRecipient.findUniqueOrThrow({ where: { id } })).toMatchObject({
        status: 'Dispatched',
        code: 401,
        reconcileAttempts: 1,
      })

      // Not again before the interval has passed since the last check.
      expect(await reconcileStuck({ now: later(30 * MIN) })).toMatchObject({ checked: 0 })
      expect(await reconcileStuck({ now: later(32 * MIN) })).toMatchObject({ checked: 1, changed: 0, gaveUp: 0 })
      const second = await db.messageRecipient.findUniqueOrThrow({ where: { id } })
      expect(second).toMatchObject({ status: 'Dispatched', reconcileAttempts: 2 })
      expect(second.lastReconcileAt!.getTime()).toBeGreaterThanOrEqual(Date.now() + 31 * MIN)

      const third = await reconcileStuck({ now: later(48 * MIN) })
      expect(third).toMatchObject({ checked: 1, changed: 1, gaveUp: 1 })
      const ended = await db.messageRecipient.findUniqueOrThrow({ where: { id } })
      expect(ended).toMatchObject({
        status: 'Unknown',
        reconcileAttempts: 3,
        statusReason: 'No delivery report from the operator after 3 checks with Sinch (last status Dispatched 401)',
      })
      const timeline = await db.smsStatusUpdate.findMany({ where: { recipientId: id }, orderBy: { at: 'asc' } })
      expect(timeline.map((u) => [u.status, u.source])).toEqual([
        ['Dispatched', 'FETCHED'],
        ['Unknown', 'FETCHED'],
      ])
      expect(timeline[1].reason).toBe(ended.statusReason)

      // Final: no fourth check, and running again changes nothing.
      expect(await reconcileStuck({ now: later(200 * MIN) })).toMatchObject({ checked: 0 })
      expect(await db.smsStatusUpdate.count({ where: { recipientId: id } })).toBe(2)

      // Should the operator's receipt come after all, it wins (a later final), and the reason goes.
      const receipt = recipientReportSchema.parse({
        type: 'recipient_delivery_report_sms',
        batch_id: message.sinchBatchId,
        recipient: '46701234777',
        status: 'Delivered',
        code: 0,
        at: later(300 * MIN).toISOString(),
      })
      // Received on this test's clock (a time ahead of receipt would be clamped to it).
      await recordReport(db, recipientReportRow(receipt, 'PUSHED', null, later(300 * MIN)))
      expect(await db.messageRecipient.findUniqueOrThrow({ where: { id } })).toMatchObject({
        status: 'Delivered',
        statusReason: null,
      })
    }
  )

  scenario('two runs at once check each recipient once', async () => {
    const numbers = ['+46701234561', '+46701234562', '+46701234563', '+46701234564']
    await sendAndLoseReports(numbers, 12)
    const asked: string[] = []
    const base = createSinchSmsClient(config().sinch)
    const counting: SinchSmsClient = {
      ...base,
      getRecipientDeliveryReport: (batchId, msisdn) => {
        asked.push(msisdn)
        return base.getRecipientDeliveryReport(batchId, msisdn)
      },
    }
    const now = later(16 * MIN)
    const runs = await Promise.all([
      reconcileStuck({ now, client: counting, limit: 2 }),
      reconcileStuck({ now, client: counting, limit: 2 }),
      reconcileStuck({ now, client: counting, limit: 2 }),
    ])
    expect(runs.reduce((n, r) => n + r.checked, 0)).toBe(4)
    expect(asked.sort()).toEqual(numbers)
    const recipients = await db.messageRecipient.findMany()
    expect(recipients.map((r) => [r.status, r.reconcileAttempts])).toEqual(numbers.map(() => ['Delivered', 1]))
  })

  scenario('a recipient another runner holds (row locked) is skipped, not waited for', async () => {
    const message = await sendAndLoseReports(['+46701234571', '+46701234572'], 6)
    const held = await recipientOf(message.id, '+46701234571')
    await db.$transaction(async (tx) => {
      await tx.$queryRaw`SELECT id FROM "MessageRecipient" WHERE id = ${held.id} FOR UPDATE`
      const summary = await reconcileStuck({ now: later(16 * MIN) })
      expect(summary).toMatchObject({ checked: 1, changed: 1 })
    })
    expect(await recipientOf(message.id, '+46701234571')).toMatchObject({ status: 'Pending', reconcileAttempts: 0 })
    expect(await recipientOf(message.id, '+46701234572')).toMatchObject({ status: 'Delivered', reconcileAttempts: 1 })
  })

  scenario('a check Sinch did not answer is not counted as an attempt', async () => {
    const message = await sendAndLoseReports(['+46701234777'], 2)
    const unreachable = createSinchSmsClient({ ...config().sinch, smsBaseUrl: 'http://127.0.0.1:9' })
    const summary = await reconcileStuck({ now: later(16 * MIN), client: unreachable })
    expect(summary).toMatchObject({ checked: 1, failed: 1, changed: 0 })
    expect(summary.errors[0]).toMatch(/Could not reach Sinch/)
    expect(await recipientOf(message.id, '+46701234777')).toMatchObject({ status: 'Pending', reconcileAttempts: 0 })
  })

  scenario(
    'reconcileMessage checks a message now, whatever its age, and never gives up on fresh recipients',
    async () => {
      const message = await sendAndLoseReports(['+46701234567', '+46701234777'], 5)
      const first = await call(reconcileMessage, { id: message.id })
      expect(first).toMatchObject({ messageId: message.id, checked: 2, changed: 2, gaveUp: 0, failed: 0, errors: [] })
      expect(await recipientOf(message.id, '+46701234567')).toMatchObject({ status: 'Delivered', reconcileAttempts: 0 })
      for (let i = 0; i < 3; i++) await call(reconcileMessage, { id: message.id })
      expect(await recipientOf(message.id, '+46701234777')).toMatchObject({
        status: 'Dispatched',
        reconcileAttempts: 0,
      })
      expect(await call(reconcileMessage, { id: message.id })).toMatchObject({ checked: 1, changed: 0 })
      await expect(call(reconcileMessage, { id: 'no-such-message' })).rejects.toThrow(/No message/)
    }
  )

  scenario('a check with Sinch is audited in the transaction that claims its recipients', async () => {
    const message = await sendAndLoseReports(['+46701234567', '+46701234777'], 5)
    // When the audit cannot be written, nothing is claimed and Sinch is not asked.
    await expect(
      reconcileMessageNow(message.id, {}, async () => {
        throw new Error('audit refused')
      })
    ).rejects.toThrow('audit refused')
    expect(await recipientOf(message.id, '+46701234567')).toMatchObject({ lastReconcileAt: null })

    await call(reconcileMessage, { id: message.id })
    expect(await db.auditEvent.findMany({ where: { action: 'message_checked' } })).toEqual([
      expect.objectContaining({ targetType: 'message', targetId: message.id, details: { recipients: 2 } }),
    ])
  })
})

// MessageRecipient and SmsStatusUpdate have no live trigger: reconciliation announces itself (src/lib/live/notifyLive.ts).
describe('live notifications', () => {
  scenario(
    'a pass announces the messages it checked, once per round; a pass that checks nothing, nothing',
    async () => {
      const message = await sendAndLoseReports(['+46701234567', '+46701234402'], 6)
      const live = await listenLive()
      try {
        expect(await reconcileStuck({ now: later(16 * MIN) })).toMatchObject({ checked: 2, changed: 2 })
        expect(await live.naming(message.id)).toBe(1)
        await live.clear()
        expect(await reconcileStuck({ now: later(200 * MIN), maxAttempts: 1 })).toMatchObject({ checked: 0 })
        expect(await live.naming(message.id)).toBe(0)
      } finally {
        await live.end()
      }
    }
  )
})
