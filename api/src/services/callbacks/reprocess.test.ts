import { recipientReport } from 'testing/callbackEvent'
import { callResolver } from 'testing/callResolver'
import { listenLive } from 'testing/liveNotifications'
import { signInAs } from 'testing/staff'

import { classifyCallback } from 'src/lib/callbackPayload'
import { db } from 'src/lib/db'
import { reprocessCallbackEvent } from 'src/services/smsStatus/reprocess'
import { ingestCallback } from 'src/services/smsStatus/smsStatus'

import { reprocessCallback, reprocessCallbacks } from './callbacks'
import type { StandardScenario } from './reprocess.scenarios'

const call = callResolver

// Every action here is an admin's (the roles test checks who else may).
beforeEach(() => signInAs('admin'))

const report = (batchId: string, status = 'Dispatched', code = 401, at = '2025-03-01T10:00:00.123Z') =>
  recipientReport({
    batchId,
    recipient: '46701234567',
    status,
    code,
    at,
    clientReference: batchId === 'BATCH_KNOWN' ? 'msg_sent' : undefined,
  })

/** Stores a callback the way /sinchCallbacks does (already authenticated). */
async function receive(body: object) {
  const rawBody = JSON.stringify(body)
  const classified = classifyCallback(JSON.parse(rawBody))
  if (!classified.ok) throw new Error(classified.error)
  return ingestCallback({ rawBody, headers: { 'content-type': 'application/json' }, callback: classified.callback })
}

/** A callback whose processing failed (rolled back), as recordFailedCallback leaves it. */
const failedEvent = (rawBody: string) =>
  db.callbackEvent.create({
    data: {
      kind: 'recipient_delivery_report_sms',
      verdict: 'REJECTED',
      processingState: 'FAILED',
      error: 'processing failed, answered 500',
      rawBody,
      headers: {},
    },
  })

const recipient = () =>
  db.messageRecipient.findFirstOrThrow({ where: { phoneNumber: '+46701234567', messageId: 'msg_sent' } })

describe('re-processing stored callbacks', () => {
  scenario(
    'an UNMATCHED report is attached once its message exists, and re-processing again changes nothing',
    async () => {
      const first = await receive(report('BATCH_LATE'))
      expect(first).toMatchObject({ state: 'UNMATCHED', stored: 1 })

      // Still no message: it stays UNMATCHED, and the report stays one row.
      expect(await call(reprocessCallback, { id: first.callbackEventId })).toMatchObject({
        processingState: 'UNMATCHED',
        stored: 0,
        attached: 0,
        unmatched: 1,
      })
      expect(await db.smsStatusUpdate.count()).toBe(1)

      // The message turns up (e.g. recorded by another system or fixed by hand).
      const late = await db.message.create({
        data: {
          id: 'msg_late',
          body: 'x',
          sinchBatchId: 'BATCH_LATE',
          submitState: 'SUBMITTED',
          submittedAt: new Date(),
          recipientCount: 1,
          recipients: { create: [{ phoneNumber: '+46701234567' }] },
        },
        include: { recipients: true },
      })
      const result = await call(reprocessCallback, { id: first.callbackEventId })
      expect(result).toMatchObject({
        callbackEventId: first.callbackEventId,
        processingState: 'PROCESSED',
        stored: 0,
        attached: 1,
        unmatched: 0,
        error: null,
      })
      expect(await db.smsStatusUpdate.count()).toBe(1)
      expect(await db.smsStatusUpdate.findFirstOrThrow()).toMatchObject({ recipientId: late.recipients[0].id })
      expect(await db.messageRecipient.findUniqueOrThrow({ where: { id: late.recipients[0].id } })).toMatchObject({
        status: 'Dispatched',
        code: 401,
      })
      expect(await db.callbackEvent.findUniqueOrThrow({ where: { id: first.callbackEventId } })).toMatchObject({
        processingState: 'PROCESSED',
        verdict: 'ACCEPTED',
      })

      // PROCESSED now: pressing again is a no-op.
      expect(await call(reprocessCallback, { id: first.callbackEventId })).toMatchObject({
        processingState: 'PROCESSED',
        stored: 0,
        attached: 0,
      })
      expect(await db.smsStatusUpdate.count()).toBe(1)
    }
  )

  scenario(
    'a FAILED callback is recorded through the same path, without a nonce, once',
    async (scenario: StandardScenario) => {
      const event = await failedEvent(JSON.stringify(report('BATCH_KNOWN', 'Delivered', 0)))
      const nonces = await db.callbackEvent.count({ where: { nonce: { not: null } } })
      const result = await call(reprocessCallback, { id: event.id })
      expect(result).toMatchObject({ processingState: 'PROCESSED', stored: 1, duplicates: 0, unmatched: 0 })
      expect(await recipient()).toMatchObject({ messageId: scenario.message.sent.id, status: 'Delivered', code: 0 })
      expect(await db.callbackEvent.findUniqueOrThrow({ where: { id: event.id } })).toMatchObject({
        processingState: 'PROCESSED',
        verdict: 'ACCEPTED',
        error: null,
        reportsStored: 1,
        batchId: 'BATCH_KNOWN',
      })
      const row = await db.smsStatusUpdate.findFirstOrThrow()
      expect(row).toMatchObject({ callbackEventId: event.id, source: 'PUSHED', status: 'Delivered' })
      expect(await db.callbackEvent.count({ where: { nonce: { not: null } } })).toBe(nonces)

      expect(await call(reprocessCallback, { id: event.id })).toMatchObject({ processingState: 'PROCESSED', stored: 0 })
      expect(await db.smsStatusUpdate.count()).toBe(1)
    }
  )

  scenario('a FAILED callback whose report Sinch retried successfully stays one row (DUPLICATE)', async () => {
    const body = report('BATCH_KNOWN', 'Delivered', 0)
    const event = await failedEvent(JSON.stringify(body))
    await receive(body) // Sinch's retry got through
    expect(await call(reprocessCallback, { id: event.id })).toMatchObject({
      processingState: 'PROCESSED',
      stored: 0,
      duplicates: 1,
    })
    expect(await db.smsStatusUpdate.count()).toBe(1)
    expect(await db.callbackEvent.findUniqueOrThrow({ where: { id: event.id } })).toMatchObject({
      verdict: 'DUPLICATE',
      processingState: 'PROCESSED',
    })
    expect((await recipient()).status).toBe('Delivered')
  })

  scenario('a FAILED callback whose body is not a valid callback stays FAILED, with the reason', async () => {
    const event = await failedEvent('{"type":"recipient_delivery_report_sms","batch_id":"B"}')
    const result = await call(reprocessCallback, { id: event.id })
    expect(result).toMatchObject({
      processingState: 'FAILED',
      stored: 0,
      error: expect.stringMatching(/not a valid callback/),
    })
    expect(await db.callbackEvent.findUniqueOrThrow({ where: { id: event.id } })).toMatchObject({
      processingState: 'FAILED',
      error: expect.stringMatching(/re-processing failed/),
    })
    await expect(call(reprocessCallback, { id: 999999 })).rejects.toThrow(/No callback 999999/)
  })

  scenario(
    'reprocessCallbacks takes every UNMATCHED and FAILED one, and only those; twice is the same as once',
    async () => {
      const unmatched = await receive(report('BATCH_NOWHERE'))
      const failed = await failedEvent(JSON.stringify(report('BATCH_KNOWN', 'Dispatched', 401)))
      const broken = await failedEvent('not json')
      const processed = await receive(report('BATCH_KNOWN', 'Queued', 400, '2025-03-01T09:59:30.000Z'))
      expect(processed.state).toBe('PROCESSED')

      const summary = await call(reprocessCallbacks, {})
      expect(summary).toMatchObject({ total: 3, processed: 1, unmatched: 1, failed: 1 })
      expect(summary.results.map((r: { callbackEventId: number }) => r.callbackEventId)).toEqual([
        unmatched.callbackEventId,
        failed.id,
        broken.id,
      ])
      expect((await recipient()).status).toBe('Dispatched')
      const rows = await db.smsStatusUpdate.count()
      expect(rows).toBe(3)

      const again = await call(reprocessCallbacks, {})
      expect(again).toMatchObject({ total: 2, processed: 0, unmatched: 1, failed: 1 })
      expect(await db.smsStatusUpdate.count()).toBe(rows)
    }
  )
})

describe('re-processing is audited with its outcome', () => {
  scenario('one audit event per re-processed callback, written in the same transaction', async () => {
    const first = await receive(report('BATCH_AUDITED'))
    await call(reprocessCallback, { id: first.callbackEventId })
    expect(await db.auditEvent.findMany({ where: { action: 'callback_reprocessed' } })).toEqual([
      expect.objectContaining({ targetType: 'callbackEvent', targetId: String(first.callbackEventId) }),
    ])

    // When the audit cannot be written, the outcome is not recorded either.
    await db.callbackEvent.update({ where: { id: first.callbackEventId }, data: { processingState: 'FAILED' } })
    await expect(
      reprocessCallbackEvent(first.callbackEventId, async () => {
        throw new Error('audit refused')
      })
    ).rejects.toThrow('audit refused')
    expect(await db.callbackEvent.findUniqueOrThrow({ where: { id: first.callbackEventId } })).toMatchObject({
      processingState: 'FAILED',
    })
  })
})

// SmsStatusUpdate, MessageRecipient and CallbackEvent have no live trigger: re-processing announces itself.
describe('live notifications', () => {
  scenario(
    're-processing announces the messages it stored or attached reports for, and the callback log',
    async (scenario: StandardScenario) => {
      const waiting = await receive(report('BATCH_LATE'))
      await db.message.create({
        data: {
          id: 'msg_late',
          body: 'x',
          sinchBatchId: 'BATCH_LATE',
          submitState: 'SUBMITTED',
          recipientCount: 1,
          recipients: { create: [{ phoneNumber: '+46701234567' }] },
        },
      })
      const failed = await failedEvent(JSON.stringify(report('BATCH_KNOWN', 'Delivered', 0)))
      const live = await listenLive()
      try {
        expect(await call(reprocessCallback, { id: waiting.callbackEventId })).toMatchObject({ attached: 1 })
        expect(await live.naming('msg_late')).toBe(1)
        expect(await live.callbacks()).toBe(true)
        await live.clear()
        expect(await call(reprocessCallback, { id: failed.id })).toMatchObject({ stored: 1 })
        expect(await live.naming(scenario.message.sent.id)).toBe(1)
        expect(await live.callbacks()).toBe(true)
      } finally {
        await live.end()
      }
    }
  )
})
