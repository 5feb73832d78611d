/**
 * Recording what Sinch tells us, exactly once, in order of meaning.
 *
 * - Idempotent by a database constraint: every report has a dedupeKey with a
 *   unique index, inserted with ON CONFLICT DO NOTHING. A repeated report
 *   (Sinch retries, the sandbox doubles, reconciliation fetches) is a no-op.
 * - Forward-only: a recipient's latest status is replaced by one conditional
 *   UPDATE (rank higher, or equal with a later event time). Postgres re-checks
 *   the condition on the locked row, so concurrent reports cannot regress it.
 * - Lossless: a report whose message is unknown is stored with no recipient
 *   and attached when the batch id is recorded (recordBatchSubmitted). Both
 *   sides take the same per-batch advisory lock, so neither can miss the other.
 * - The signature nonce is consumed by the callback-log insert (a unique
 *   "CallbackEvent".nonce) in the same transaction: a store that fails rolls
 *   it back, and Sinch's retry is not refused as a replay. The FAILED row
 *   recordFailedCallback writes afterwards carries no nonce, for that reason.
 *
 * The mechanics of a delivery report (lock, match, insert, advance) run inside
 * Postgres (migration 20261124031900_ingest_functions) so a callback costs one
 * round trip; what a report means is decided in this folder.
 *
 * The callback function enters here (ingestCallback, recordFailedCallback);
 * the jobs live next to this file: reportRows.ts (payload to rows),
 * recordReport.ts (recording), ingest.ts (group commit), attach.ts (reports
 * that waited for their message) and reprocess.ts (re-processing a stored
 * callback).
 */
import { type SinchCallback } from 'src/lib/callbackPayload'
import { db } from 'src/lib/db'
import { notifyLive } from 'src/lib/live/notifyLive'
import { logger } from 'src/lib/logger'

import { ingestOther, ingestReports, type IngestInput, type IngestResult } from './ingest'
import { deliveryReportRows } from './reportRows'

export { type IngestInput, type IngestResult, type ProcessingState, type Verdict } from './ingest'

/**
 * Stores one authenticated callback and everything it reports, in one
 * transaction. Resolves only once it is committed: the caller answers 2xx
 * after this, and 5xx if it throws (so Sinch retries).
 */
export async function ingestCallback(input: IngestInput): Promise<IngestResult> {
  const receivedAt = new Date()
  const rows = 'callback' in input ? deliveryReportRows(input.callback, receivedAt) : null
  return rows ? ingestReports(input as IngestInput & { callback: SinchCallback }, rows) : ingestOther(input, receivedAt)
}

/**
 * Records that a callback could not be processed (after its transaction was
 * rolled back), so the callback log shows it. Best effort: the database may be
 * what failed. Without the nonce: it was not consumed (the answer is 5xx), so
 * Sinch's retry with the same nonce is stored, not refused as a replay; the
 * kept headers still show it.
 */
export async function recordFailedCallback(input: {
  rawBody: string
  headers: Record<string, string>
  requestId?: string
  secretId?: string
  kind: string
  error: string
}) {
  try {
    await db.callbackEvent.create({
      data: {
        requestId: input.requestId,
        kind: input.kind,
        verdict: 'REJECTED',
        processingState: 'FAILED',
        error: input.error,
        rawBody: input.rawBody,
        headers: input.headers,
        secretId: input.secretId,
      },
    })
    await notifyLive(db, { callbacks: true })
  } catch (error) {
    logger.warn({ err: error }, 'could not record the failed callback either')
  }
}
