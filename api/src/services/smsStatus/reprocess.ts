/** Re-processing a stored callback (UNMATCHED or FAILED) from its raw body. */
import type { Prisma } from '@prisma/client'

import { classifyCallback, parseCallbackJson } from 'src/lib/callbackPayload'
import { config } from 'src/lib/config'
import { db } from 'src/lib/db'
import { notifyLive } from 'src/lib/live/notifyLive'

import { attachStoredReport } from './attach'
import { type ProcessingState } from './ingest'
import { liveNoticeOf, lockBatch, processOther, recordReport, type RecordOutcome } from './recordReport'
import { batchIdOf, deliveryReportRows, notesOf } from './reportRows'

type Tx = Prisma.TransactionClient

export type ReprocessResult = {
  callbackEventId: number
  /** The event's processing state afterwards. */
  state: ProcessingState
  /** Reports stored now for the first time. */
  stored: number
  /** Reports that were already stored (and stay one row). */
  duplicates: number
  /** Stored reports that found their recipient only now. */
  attached: number
  /** Reports that still have no message. */
  unmatched: number
  /** Why it could not be re-processed, when it could not. */
  error: string | null
}

/** The callback log's words for reports skipped by the limit (delivery_ingest_batch writes the same). */
function unmatchedLimitNote(skipped: number, limit: number): string {
  return (
    `${skipped} reports for recipients we do not know were not stored: one callback stores at most ${limit} such ` +
    'reports (SINCH_CALLBACK_MAX_UNMATCHED_REPORTS). Re-process this callback once their message exists.'
  )
}

export const REPROCESSABLE_STATES: ProcessingState[] = ['UNMATCHED', 'FAILED']

/**
 * Processes a stored callback again from its raw body: one whose reports found
 * no message (UNMATCHED) or whose processing failed (FAILED). It goes through
 * the same recording path as when it arrived (same dedupe keys, same
 * forward-only advance), without a nonce: its signature was verified when it
 * was received. Idempotent: a report already stored stays one row; one that
 * waited for its message is attached to it. Events in any other state are
 * left as they are.
 */
export async function reprocessCallbackEvent(
  id: number,
  /** Runs inside the transaction that records the outcome (staff re-processing audits itself there). */
  onRecorded?: (tx: Tx, result: ReprocessResult) => Promise<unknown>
): Promise<ReprocessResult | null> {
  const event = await db.callbackEvent.findUnique({
    where: { id },
    select: { id: true, rawBody: true, receivedAt: true, processingState: true, verdict: true, reportsStored: true },
  })
  if (!event) return null
  const unchanged = (error: string | null = null): ReprocessResult => ({
    callbackEventId: id,
    state: event.processingState,
    stored: 0,
    duplicates: 0,
    attached: 0,
    unmatched: 0,
    error,
  })
  if (!REPROCESSABLE_STATES.includes(event.processingState)) return unchanged()

  const parsed = parseCallbackJson(event.rawBody)
  const classified = parsed.ok
    ? classifyCallback(parsed.json)
    : ({ ok: false, kind: 'invalid', error: parsed.error } as const)
  if (!classified.ok) {
    const error = `re-processing failed: the stored body is not a valid callback (${classified.error})`.slice(0, 2000)
    const result = { ...unchanged(error), state: event.processingState }
    await db.$transaction(async (tx) => {
      await tx.callbackEvent.updateMany({
        where: { id, processingState: { in: REPROCESSABLE_STATES } },
        data: { error },
      })
      await notifyLive(tx, { callbacks: true })
      await onRecorded?.(tx, result)
    })
    return result
  }
  const { callback } = classified
  if (callback.kind === 'ignored') {
    const result: ReprocessResult = { ...unchanged(), state: 'IGNORED' }
    await db.$transaction(async (tx) => {
      await tx.callbackEvent.updateMany({
        where: { id, processingState: { in: REPROCESSABLE_STATES } },
        data: { processingState: 'IGNORED', verdict: 'IGNORED', error: null },
      })
      await notifyLive(tx, { callbacks: true })
      await onRecorded?.(tx, result)
    })
    return result
  }

  const batchId = batchIdOf(callback)
  const rows = deliveryReportRows(callback, event.receivedAt)
  return db.$transaction(async (tx) => {
    // The batch lock first, as the callback path and recordBatchSubmitted
    // take it, and only then the event row: no lock-order deadlock.
    if (batchId) await lockBatch(tx, batchId)
    const [locked] = await tx.$queryRaw<{ processingState: ProcessingState }[]>`
      SELECT "processingState" FROM "CallbackEvent" WHERE id = ${id} FOR UPDATE`
    if (!locked || !REPROCESSABLE_STATES.includes(locked.processingState))
      return { ...unchanged(), state: locked?.processingState ?? event.processingState }

    let stored = 0
    let duplicates = 0
    let attached = 0
    let unmatched = 0
    let skipped = 0
    const maxUnmatched = config().callbacks.maxUnmatchedReports
    const changed: RecordOutcome[] = []
    const attachedTo: number[] = []
    if (rows) {
      const keys = rows.map((r) => r.dedupeKey)
      const waitingOfThis = async () => {
        const [left] = await tx.$queryRaw<{ n: number }[]>`
          SELECT count(*)::int AS n FROM "SmsStatusUpdate" WHERE "dedupeKey" = ANY(${keys}::text[]) AND "recipientId" IS NULL`
        return left.n
      }
      // The limit counts this callback's reports still waiting from earlier passes.
      let waiting = await waitingOfThis()
      for (const row of rows) {
        const outcome = await recordReport(tx, { ...row, callbackEventId: id }, waiting < maxUnmatched)
        changed.push(outcome)
        if (outcome.skipped) skipped++
        else if (outcome.inserted) {
          stored++
          if (!outcome.matched) waiting++
        } else {
          const recipientId = await attachStoredReport(tx, row.dedupeKey)
          if (recipientId === null) duplicates++
          else {
            attached++
            attachedTo.push(recipientId)
          }
        }
      }
      unmatched = await waitingOfThis()
    } else {
      const outcomes = await processOther(tx, callback, id, event.receivedAt)
      changed.push(...outcomes)
      stored = outcomes.filter((o) => o.inserted).length
      duplicates = outcomes.length - stored
      unmatched = outcomes.filter((o) => !o.matched).length
    }
    const state: ProcessingState = unmatched > 0 || skipped > 0 ? 'UNMATCHED' : 'PROCESSED'
    const verdict =
      event.processingState === 'FAILED'
        ? stored === 0 && attached === 0 && skipped === 0 && duplicates > 0
          ? 'DUPLICATE'
          : 'ACCEPTED'
        : event.verdict
    await tx.callbackEvent.update({
      where: { id },
      data: {
        processingState: state,
        verdict,
        // The clamped-time notes are worked out again from the same body and receipt time, so they stay.
        error:
          [rows ? notesOf(rows) : undefined, skipped > 0 ? unmatchedLimitNote(skipped, maxUnmatched) : undefined]
            .filter(Boolean)
            .join(' ') || null,
        reportsStored: event.reportsStored + stored,
        reportsNotStored: skipped,
        ...(batchId ? { batchId } : {}),
      },
    })
    await notifyLive(tx, { callbacks: true, recipientIds: attachedTo, ...liveNoticeOf(changed) })
    const result: ReprocessResult = { callbackEventId: id, state, stored, duplicates, attached, unmatched, error: null }
    await onRecorded?.(tx, result)
    return result
  })
}
