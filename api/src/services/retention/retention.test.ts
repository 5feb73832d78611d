import { recipientReport } from 'testing/callbackEvent'
import { callResolver } from 'testing/callResolver'

import { classifyCallback } from 'src/lib/callbackPayload'
import { resetConfigForTests } from 'src/lib/config'
import { db, pool } from 'src/lib/db'
import { reprocessCallbackEvent } from 'src/services/smsStatus/reprocess'
import { ingestCallback } from 'src/services/smsStatus/smsStatus'

import { pruneExpired, storageRetention } from './retention'

const DAY = 86_400_000
const inDays = (days: number) => new Date(Date.now() + days * DAY)

const report = (batchId: string, status = 'Dispatched', code = 401) =>
  recipientReport({ batchId, recipient: '46701234567', status, code, at: '2025-03-01T10:00:00.123Z' })

/** Stores a callback the way /sinchCallbacks does (already authenticated). */
async function receive(body: object) {
  const rawBody = JSON.stringify(body)
  const classified = classifyCallback(JSON.parse(rawBody))
  if (!classified.ok) throw new Error(classified.error)
  return ingestCallback({ rawBody, headers: { 'content-type': 'application/json' }, callback: classified.callback })
}

const failedEvent = (receivedAt = new Date()) =>
  db.callbackEvent.create({
    data: {
      kind: 'recipient_delivery_report_sms',
      verdict: 'REJECTED',
      processingState: 'FAILED',
      error: 'processing failed, answered 500',
      rawBody: JSON.stringify(report('BATCH_KEPT', 'Delivered', 0)),
      headers: {},
      receivedAt,
    },
  })

const eventIds = async () => (await db.callbackEvent.findMany({ orderBy: { id: 'asc' } })).map((e) => e.id)
const recipient = () => db.messageRecipient.findFirstOrThrow({ where: { messageId: 'msg_kept' } })

const saved: Record<string, string | undefined> = {}
const setEnv = (values: Record<string, string>) => {
  for (const [k, v] of Object.entries(values)) {
    if (!(k in saved)) saved[k] = process.env[k]
    process.env[k] = v
  }
  resetConfigForTests()
}
afterEach(() => {
  for (const [k, v] of Object.entries(saved)) {
    if (v === undefined) delete process.env[k]
    else process.env[k] = v
    delete saved[k]
  }
  resetConfigForTests()
})

describe('retention', () => {
  scenario(
    'deletes callback log entries after 30 days and unmatched reports after 14; history is never pruned',
    async () => {
      const processed = await receive(report('BATCH_KEPT'))
      const duplicate = await receive(report('BATCH_KEPT'))
      const unmatched = await receive(report('BATCH_NOBODY_SENT'))
      const failed = await failedEvent()
      const reply = await receive({
        type: 'mo_text',
        id: 'retention-mo-1',
        from: '46701234567',
        to: '12345',
        body: 'thanks',
        received_at: '2025-03-01T10:05:00.000Z',
      })
      expect([processed.state, duplicate.verdict, unmatched.state]).toEqual(['PROCESSED', 'DUPLICATE', 'UNMATCHED'])
      const before = await recipient()
      const history = await db.smsStatusUpdate.findMany({ where: { recipientId: before.id } })
      expect(history).toHaveLength(1)

      // Within both retentions: nothing goes.
      expect(await pruneExpired({ now: inDays(10) })).toMatchObject({
        ran: true,
        callbackEvents: 0,
        unmatchedReports: 0,
      })
      expect(await eventIds()).toHaveLength(5)

      // After 14 days the unmatched report goes; its callback stays, and re-processing stores the report again.
      expect(await pruneExpired({ now: inDays(15) })).toMatchObject({ callbackEvents: 0, unmatchedReports: 1 })
      expect(await db.smsStatusUpdate.count({ where: { recipientId: null } })).toBe(0)
      expect(await eventIds()).toHaveLength(5)
      expect(await reprocessCallbackEvent(unmatched.callbackEventId)).toMatchObject({ stored: 1, unmatched: 1 })

      // After 30 days every callback log entry goes, whatever its verdict; the history stays as it was.
      const pruned = await pruneExpired({ now: inDays(31) })
      expect(pruned).toMatchObject({ ran: true, callbackEvents: 5, unmatchedReports: 1 })
      expect(await eventIds()).toEqual([])
      expect(await db.smsStatusUpdate.findMany({ where: { recipientId: before.id } })).toEqual(history)
      // The history row still names the callback that brought it: a log reference, now to a pruned entry.
      expect(history[0].callbackEventId).toBe(processed.callbackEventId)
      expect(await recipient()).toEqual(before)
      const inbound = await db.inboundMessage.findFirstOrThrow({ where: { externalId: 'sms:retention-mo-1' } })
      expect(inbound).toMatchObject({ body: 'thanks', callbackEventId: null })
      expect(failed.id).toBeLessThan(reply.callbackEventId)
    }
  )

  scenario(
    'UNMATCHED and FAILED callbacks stay until they have been re-processable for the longer retention',
    async () => {
      setEnv({ RETENTION_CALLBACK_DAYS: '30', RETENTION_UNMATCHED_DAYS: '45' })
      const processed = await receive(report('BATCH_KEPT'))
      const unmatched = await receive(report('BATCH_NOBODY_SENT'))
      const failed = await failedEvent()

      expect(await pruneExpired({ now: inDays(31) })).toMatchObject({ callbackEvents: 1, unmatchedReports: 0 })
      expect(await eventIds()).toEqual([unmatched.callbackEventId, failed.id])
      expect(await reprocessCallbackEvent(failed.id)).toMatchObject({ state: 'PROCESSED', stored: 1 })
      expect((await recipient()).status).toBe('Delivered')

      expect(await pruneExpired({ now: inDays(46) })).toMatchObject({ callbackEvents: 2, unmatchedReports: 1 })
      expect(await eventIds()).toEqual([])
      expect(processed.callbackEventId).toBeLessThan(unmatched.callbackEventId)
      expect((await recipient()).status).toBe('Delivered')
    }
  )

  scenario('prunes in small batches, walking past the entries it must keep, and stops at the young ones', async () => {
    setEnv({ RETENTION_UNMATCHED_DAYS: '45' })
    const old = new Date(Date.now() - 35 * DAY)
    await failedEvent(old)
    await failedEvent(old)
    await db.callbackEvent.createMany({
      data: Array.from({ length: 10 }, (_, i) => ({
        kind: 'recipient_delivery_report_sms',
        verdict: 'DUPLICATE' as const,
        processingState: 'PROCESSED' as const,
        rawBody: `{"n":${i}}`,
        headers: {},
        receivedAt: old,
      })),
    })
    await receive(report('BATCH_KEPT'))
    await receive(report('BATCH_KEPT'))

    const summary = await pruneExpired({ batchSize: 3, pauseMs: 0 })
    expect(summary).toMatchObject({ ran: true, callbackEvents: 10 })
    expect(summary.batches).toBeGreaterThanOrEqual(5)
    const left = await db.callbackEvent.findMany({ orderBy: { id: 'asc' } })
    expect(left.map((e) => e.processingState)).toEqual(['FAILED', 'FAILED', 'PROCESSED', 'PROCESSED'])
  })

  scenario('one instance at a time: a pass finds the lock taken and skips', async () => {
    await receive(report('BATCH_KEPT'))
    const other = await pool.connect()
    try {
      await other.query('SELECT pg_advisory_lock(7126, 1)')
      expect(await pruneExpired({ now: inDays(31) })).toMatchObject({ ran: false, callbackEvents: 0 })
      expect(await eventIds()).toHaveLength(1)
      await other.query('SELECT pg_advisory_unlock(7126, 1)')
    } finally {
      other.release()
    }
    expect(await pruneExpired({ now: inDays(31) })).toMatchObject({ ran: true, callbackEvents: 1 })
  })

  it('drops reviews of audience sends nobody confirmed within their hour, with their recipient rows', async () => {
    const draft = (id: string, expiresAt: Date) =>
      db.sendDraft.create({
        data: {
          id,
          expiresAt,
          body: 'Hi ((name))',
          recipientCount: 1,
          recipients: { create: [{ position: 0, phoneNumber: '+46701234567', filledText: 'Hi Ana', parts: 1 }] },
        },
      })
    await draft('draft_old', new Date(Date.now() - 60_000))
    await draft('draft_fresh', new Date(Date.now() + 3600_000))
    expect(await pruneExpired()).toMatchObject({ ran: true, sendDrafts: 1 })
    expect((await db.sendDraft.findMany()).map((d) => d.id)).toEqual(['draft_fresh'])
    expect(await db.sendDraftRecipient.count({ where: { draftId: 'draft_old' } })).toBe(0)
    await db.sendDraft.deleteMany()
  })

  it('says how long things are kept, from the configuration', async () => {
    expect(await callResolver(storageRetention, {})).toEqual({
      callbackDays: 30,
      unmatchedDays: 14,
      reprocessableDays: 30,
    })
    setEnv({ RETENTION_CALLBACK_DAYS: '7', RETENTION_UNMATCHED_DAYS: '10' })
    expect(await callResolver(storageRetention, {})).toEqual({
      callbackDays: 7,
      unmatchedDays: 10,
      reprocessableDays: 10,
    })
  })
})
