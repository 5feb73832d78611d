/**
 * Storing an authenticated callback: delivery reports through group commit
 * (one statement, delivery_ingest_batch, for the callbacks that arrive
 * together), everything else in one Prisma transaction. The signature nonce
 * is consumed by the insert of the callback-log row (a unique
 * "CallbackEvent".nonce), in the same transaction as what it protects: a
 * store that fails rolls it back, and Sinch's retry is not a replay.
 */
import type { Prisma } from '@prisma/client'

import { NonceReplayError } from 'src/lib/callbackAuth'
import { type SinchCallback } from 'src/lib/callbackPayload'
import { config } from 'src/lib/config'
import { DatabaseBusyError, isDatabaseUnavailable } from 'src/lib/databaseErrors'
import { CONNECT_TIMEOUT_MS, db, queryWithin } from 'src/lib/db'
import { GroupCommitter, type FlushResult } from 'src/lib/groupCommit'
import { notifyLive } from 'src/lib/live/notifyLive'
import { kickMediaFetcher } from 'src/services/media/mediaFetcher'

import { liveNoticeOf, processOther, reportJson } from './recordReport'
import { batchIdOf, notesOf, type ReportRow } from './reportRows'

type Tx = Prisma.TransactionClient

export type Verdict = 'ACCEPTED' | 'DUPLICATE' | 'REJECTED' | 'IGNORED'
export type ProcessingState = 'PROCESSED' | 'UNMATCHED' | 'FAILED' | 'IGNORED' | 'REJECTED'

export type IngestInput = {
  rawBody: string
  headers: Record<string, string>
  requestId?: string
  secretId?: string
  /** The verified signature nonce: consumed by the callback-log insert. */
  nonce?: string
} & ({ callback: SinchCallback } | { rejected: { kind: string; error: string } })

export type IngestResult = {
  callbackEventId: number
  verdict: Verdict
  state: ProcessingState
  stored: number
  duplicates: number
  unmatched: number
  /** Reports for unknown recipients beyond SINCH_CALLBACK_MAX_UNMATCHED_REPORTS: counted, not stored. */
  skipped: number
}

type EventRow = {
  kind: string
  verdict: Verdict
  processingState: ProcessingState
  error?: string
  batchId?: string | null
  receivedAt: Date
}

/**
 * Writes the callback-log row and so consumes the nonce: a nonce that is
 * already in the log (committed, or by a transaction that then commits)
 * throws NonceReplayError, and the transaction is rolled back with nothing
 * written. Raw SQL for ON CONFLICT on the partial unique index, which Prisma
 * cannot name.
 */
async function insertCallbackEvent(tx: Tx, input: IngestInput, row: EventRow): Promise<number> {
  const [event] = await tx.$queryRaw<{ id: number }[]>`
    INSERT INTO "CallbackEvent"
      ("receivedAt", "requestId", kind, verdict, "processingState", error, "rawBody", headers, "secretId", nonce, "batchId")
    VALUES (${row.receivedAt}, ${input.requestId ?? null}, ${row.kind}, ${row.verdict}::"CallbackVerdict",
            ${row.processingState}::"ProcessingState", ${row.error ?? null}, ${input.rawBody},
            ${JSON.stringify(input.headers)}::jsonb, ${input.secretId ?? null}, ${input.nonce ?? null},
            ${row.batchId ?? null})
    ON CONFLICT (nonce) WHERE nonce IS NOT NULL DO NOTHING
    RETURNING id`
  if (!event) throw new NonceReplayError(input.nonce ?? '')
  return event.id
}

type ReportCallback = { input: IngestInput & { callback: SinchCallback }; rows: ReportRow[] }
type IngestRow = { callback_event_id: number; stored: number; duplicates: number; unmatched: number; skipped: number }

function resultOf(r: IngestRow): IngestResult {
  const verdict: Verdict = r.stored === 0 && r.skipped === 0 && r.duplicates > 0 ? 'DUPLICATE' : 'ACCEPTED'
  const state: ProcessingState = r.unmatched > 0 || r.skipped > 0 ? 'UNMATCHED' : 'PROCESSED'
  return {
    callbackEventId: r.callback_event_id,
    verdict,
    state,
    stored: r.stored,
    duplicates: r.duplicates,
    unmatched: r.unmatched,
    skipped: r.skipped,
  }
}

const kindOf = (callback: SinchCallback) => (callback.kind === 'ignored' ? callback.label : callback.kind)

/**
 * Callbacks with delivery reports, one or several that arrived together: one
 * statement, one commit (delivery_ingest_batch). A replayed nonce comes back
 * as that callback's result and fails it alone.
 *
 * This one statement goes straight to the pg pool Prisma itself uses, as a
 * named prepared statement: Prisma's query compiler and parameter encoding
 * cost more CPU per callback here than the rest of the handler (README,
 * Performance). Everything else stays with Prisma.
 */
async function ingestReportCallbacks(batch: ReportCallback[], deadline?: number): Promise<FlushResult<IngestResult>[]> {
  const maxUnmatched = config().callbacks.maxUnmatchedReports
  const payload = batch.map(({ input, rows }, idx) => ({
    idx,
    ...(input.nonce ? { nonce: input.nonce } : {}),
    requestId: input.requestId,
    kind: kindOf(input.callback),
    rawBody: input.rawBody,
    headers: input.headers,
    secretId: input.secretId,
    batchId: batchIdOf(input.callback),
    note: notesOf(rows),
    // Only a callback that could exceed it carries the limit.
    maxUnmatched: rows.length > maxUnmatched ? maxUnmatched : undefined,
    reports: rows.map(reportJson),
  }))
  const { rows: results } = await queryWithin<IngestRow & { idx: number; replay: boolean }>(deadline, {
    name: 'delivery_ingest_batch',
    text: 'SELECT idx, callback_event_id, stored, duplicates, unmatched, skipped, replay FROM delivery_ingest_batch($1::jsonb)',
    values: [JSON.stringify(payload)],
  })
  const byIdx = new Map(results.map((r) => [r.idx, r]))
  return batch.map(({ input }, idx) => {
    const r = byIdx.get(idx)
    if (!r) return { ok: false, error: new Error(`no result for callback ${idx} of the batch`) }
    if (r.replay) return { ok: false, error: new NonceReplayError(input.nonce ?? '') }
    return { ok: true, value: resultOf(r) }
  })
}

/** One callback on its own: alone in its flush, or isolated after its batch failed. */
async function ingestOneReportCallback(item: ReportCallback, deadline?: number): Promise<IngestResult> {
  const [result] = await ingestReportCallbacks([item], deadline)
  if (!result.ok) throw result.error
  return result.value
}

/**
 * Callbacks with delivery reports go through group commit: under load, the
 * ones that arrive while a commit is running are stored together by the
 * next. Each request is still answered only after its own data is committed.
 *
 * Two batches may be in flight (INGEST_CONCURRENT_COMMITS): one executes
 * while the other waits for its WAL flush, so a burst (Sinch delivering a
 * 1,000-recipient batch's reports at once) drains sooner. The second starts
 * only once as many callbacks wait as the first took (src/lib/groupCommit.ts),
 * so a steady load is not split into small batches (README, Performance). Two
 * batches cannot deadlock: delivery_ingest_batch writes the callback-log rows
 * (their nonces), then takes batch locks, each in one global order.
 *
 * A callback waits at most DATABASE_CONNECT_TIMEOUT_MS in the queue and for
 * its connection together, then fails with DatabaseBusyError (503 with
 * Retry-After): with the database held, a burst of 200 is answered within
 * that plus the lock timeout, not after queueing behind every earlier flush.
 */
const reportCommitter = new GroupCommitter<ReportCallback, IngestResult>(
  ingestReportCallbacks,
  ingestOneReportCallback,
  {
    maxBatch: 64,
    maxConcurrentFlushes: Math.max(1, Number(process.env.INGEST_CONCURRENT_COMMITS || 2)),
    // A flush takes a few milliseconds under load; one held longer (a lock) lets the next go beside it.
    maxWaitBesideMs: 20,
    isTransient: isDatabaseUnavailable,
    maxQueueMs: CONNECT_TIMEOUT_MS,
    queueTimeoutError: () => new DatabaseBusyError(CONNECT_TIMEOUT_MS),
  }
)

export function ingestReports(
  input: IngestInput & { callback: SinchCallback },
  rows: ReportRow[]
): Promise<IngestResult> {
  return reportCommitter.submit({ input, rows })
}

/** Everything else (replies, summaries, ignored and rejected callbacks): one Prisma transaction. */
export async function ingestOther(input: IngestInput, receivedAt: Date): Promise<IngestResult> {
  const result = await ingestOtherInTransaction(input, receivedAt)
  // A reply with files queued them in its transaction; fetch them now rather than at the next tick.
  if (!('rejected' in input) && ['message', 'mo_media'].includes(input.callback.kind) && result.stored > 0)
    kickMediaFetcher()
  return result
}

async function ingestOtherInTransaction(input: IngestInput, receivedAt: Date): Promise<IngestResult> {
  return db.$transaction(async (tx) => {
    if ('rejected' in input) {
      // Authenticated but not a valid callback (400): its nonce is used up as well.
      const callbackEventId = await insertCallbackEvent(tx, input, {
        kind: input.rejected.kind,
        verdict: 'REJECTED',
        processingState: 'REJECTED',
        error: input.rejected.error,
        receivedAt,
      })
      await notifyLive(tx, { callbacks: true })
      return {
        callbackEventId,
        verdict: 'REJECTED',
        state: 'REJECTED',
        stored: 0,
        duplicates: 0,
        unmatched: 0,
        skipped: 0,
      } as IngestResult
    }

    const { callback } = input
    const ignored = callback.kind === 'ignored'
    const eventId = await insertCallbackEvent(tx, input, {
      kind: ignored ? callback.label : callback.kind,
      verdict: ignored ? 'IGNORED' : 'ACCEPTED',
      processingState: ignored ? 'IGNORED' : 'PROCESSED',
      batchId: batchIdOf(callback),
      receivedAt,
    })

    const outcomes = await processOther(tx, callback, eventId, receivedAt)
    const stored = outcomes.filter((o) => o.inserted).length
    const duplicates = outcomes.length - stored
    const unmatched = outcomes.filter((o) => o.inserted && !o.matched).length
    const verdict: Verdict = ignored ? 'IGNORED' : stored === 0 && duplicates > 0 ? 'DUPLICATE' : 'ACCEPTED'
    const state: ProcessingState = ignored ? 'IGNORED' : unmatched > 0 ? 'UNMATCHED' : 'PROCESSED'
    const note = outcomes.map((o) => o.note).find(Boolean)
    if (
      verdict !== (ignored ? 'IGNORED' : 'ACCEPTED') ||
      state !== (ignored ? 'IGNORED' : 'PROCESSED') ||
      stored > 0 ||
      note
    ) {
      await tx.callbackEvent.update({
        where: { id: eventId },
        data: { verdict, processingState: state, reportsStored: stored, ...(note ? { error: note } : {}) },
      })
    }
    await notifyLive(tx, { callbacks: true, ...liveNoticeOf(outcomes) })
    return { callbackEventId: eventId, verdict, state, stored, duplicates, unmatched, skipped: 0 }
  })
}
