/**
 * Retention: what outsiders make us store is kept for a configured time, then
 * deleted in small batches (README, "Storage and retention").
 *
 * What is pruned, and what never is:
 * - The callback log (`CallbackEvent`: raw body, headers, verdict) is
 *   diagnostics. An event older than RETENTION_CALLBACK_DAYS is deleted, the
 *   whole row: keeping a bodiless row per callback would still grow with
 *   every duplicate and retry. An UNMATCHED or FAILED event can be
 *   re-processed from its body, so it is kept until it has been
 *   re-processable for the longer of RETENTION_CALLBACK_DAYS and
 *   RETENTION_UNMATCHED_DAYS.
 * - History (`SmsStatusUpdate` rows with their recipient, `InboundMessage`)
 *   is the product and is never pruned. A history row keeps its own copy of
 *   the report (`rawPayload`), status, code, times and source; its
 *   `callbackEventId` is a log reference without a foreign key, which after
 *   the retention names a pruned event (a reply's link is set to null by its
 *   foreign key).
 * - Reports that never found their message (`recipientId` null, "unmatched")
 *   are deleted after RETENTION_UNMATCHED_DAYS. Until its callback is pruned,
 *   re-processing it stores them again (and attaches them if the message now
 *   exists).
 *
 * One instance at a time: a pass runs only while it holds a session advisory
 * lock (pg_try_advisory_lock) on its own connection; another instance's pass
 * finds the lock taken and skips. The lock goes with the connection, so a
 * crashed pass cannot hold it. Each batch is its own short statement, so
 * callbacks are never blocked behind a long delete.
 */
import type { QueryResolvers } from 'types/graphql'

import { startBackgroundTask, type BackgroundTask } from 'src/lib/backgroundTask'
import { config } from 'src/lib/config'
import { pool } from 'src/lib/db'
import { logger } from 'src/lib/logger'
import { countRetentionPruned } from 'src/lib/metrics'

/** Two-key advisory lock (its own key space: the single-key per-batch locks cannot collide with it). */
const LOCK_CLASS = 7126
const LOCK_RETENTION = 1

export type PruneOptions = {
  /** The current time (tests and `yarn rw exec prune --days-ahead` move it). */
  now?: Date
  batchSize?: number
  /** At most this many batches per kind in one pass; the next pass continues. */
  maxBatches?: number
  /** Pause between batches, so the hot path gets the disk in between. */
  pauseMs?: number
}

export type PruneSummary = {
  /** False when another instance was pruning (nothing done). */
  ran: boolean
  callbackEvents: number
  unmatchedReports: number
  /** Media copies deleted (their rows stay, PRUNED, so the thread says the file is gone and why). */
  mediaFiles: number
  /** Reviews of audience sends nobody confirmed within their hour, with their recipient rows. */
  sendDrafts: number
  batches: number
  ms: number
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))
/** Columns are timestamp(3) in UTC; pass instants as ISO text and convert in SQL. */
const utc = (d: Date) => d.toISOString()

export async function pruneExpired(options: PruneOptions = {}): Promise<PruneSummary> {
  const { retention } = config()
  const now = options.now ?? new Date()
  const batchSize = options.batchSize ?? retention.batchSize
  const maxBatches = options.maxBatches ?? 200
  const pauseMs = options.pauseMs ?? 10
  const started = Date.now()
  const summary: PruneSummary = {
    ran: false,
    callbackEvents: 0,
    unmatchedReports: 0,
    mediaFiles: 0,
    sendDrafts: 0,
    batches: 0,
    ms: 0,
  }

  const client = await pool.connect()
  let locked = false
  try {
    const { rows } = await client.query<{ locked: boolean }>('SELECT pg_try_advisory_lock($1, $2) AS locked', [
      LOCK_CLASS,
      LOCK_RETENTION,
    ])
    locked = rows[0].locked
    if (!locked) return summary
    summary.ran = true

    // Reports that never found their message. The partial index on
    // (batchId, phoneNumber) WHERE recipientId IS NULL holds only these rows.
    const unmatchedBefore = utc(new Date(now.getTime() - retention.unmatchedMs))
    for (let i = 0; i < maxBatches; i++) {
      const { rowCount } = await client.query(
        `WITH doomed AS (
           SELECT id FROM "SmsStatusUpdate"
            WHERE "recipientId" IS NULL AND "receivedAt" < ($1::timestamptz AT TIME ZONE 'UTC')
            LIMIT $2)
         DELETE FROM "SmsStatusUpdate" u USING doomed
          WHERE u.id = doomed.id AND u."recipientId" IS NULL AND u."receivedAt" < ($1::timestamptz AT TIME ZONE 'UTC')`,
        [unmatchedBefore, batchSize]
      )
      summary.batches++
      summary.unmatchedReports += rowCount ?? 0
      countRetentionPruned('SmsStatusUpdate', rowCount ?? 0)
      if ((rowCount ?? 0) < batchSize) break
      await sleep(pauseMs)
    }

    // The callback log, oldest first by primary key (ids follow arrival): a
    // window of batchSize events at a time, deleting those past their
    // retention; the walk stops at the first window that reaches events
    // still within it. UNMATCHED and FAILED events kept longer stay behind
    // the cursor.
    const callbackBefore = utc(new Date(now.getTime() - retention.callbackMs))
    const reprocessableBefore = utc(new Date(now.getTime() - retention.reprocessableMs))
    let cursor = 0
    for (let i = 0; i < maxBatches; i++) {
      const {
        rows: [batch],
      } = await client.query<{ deleted: number; lastId: number | null; seen: number; young: number }>(
        `WITH window_ AS (
           SELECT id, "receivedAt" FROM "CallbackEvent" WHERE id > $1 ORDER BY id LIMIT $2),
         doomed AS (
           DELETE FROM "CallbackEvent" e USING window_ w
            WHERE e.id = w.id AND e."receivedAt" < ($3::timestamptz AT TIME ZONE 'UTC')
              AND (e."processingState" NOT IN ('UNMATCHED', 'FAILED') OR e."receivedAt" < ($4::timestamptz AT TIME ZONE 'UTC'))
           RETURNING e.id)
         SELECT (SELECT count(*) FROM doomed)::int AS deleted,
                (SELECT max(id) FROM window_) AS "lastId",
                (SELECT count(*) FROM window_)::int AS seen,
                (SELECT count(*) FROM window_ WHERE "receivedAt" >= ($3::timestamptz AT TIME ZONE 'UTC'))::int AS young`,
        [cursor, batchSize, callbackBefore, reprocessableBefore]
      )
      summary.batches++
      summary.callbackEvents += batch.deleted
      countRetentionPruned('CallbackEvent', batch.deleted)
      if (batch.seen < batchSize || batch.young > 0 || batch.lastId === null) break
      cursor = batch.lastId
      if (batch.deleted > 0) await sleep(pauseMs)
    }

    // Media copies (README "Media"): the bytes of files older than
    // RETENTION_MEDIA_DAYS go; the row stays, PRUNED with the reason, so a
    // thread never shows a broken picture without saying why.
    const mediaBefore = utc(new Date(now.getTime() - config().media.retentionMs))
    const mediaReason = `deleted after ${days(config().media.retentionMs)} days (RETENTION_MEDIA_DAYS)`
    for (let i = 0; i < maxBatches; i++) {
      const { rowCount } = await client.query(
        `WITH doomed AS (
           UPDATE "MediaFile" f SET state = 'PRUNED', "failureReason" = $3, "nextAttemptAt" = NULL
            WHERE f.id IN (SELECT id FROM "MediaFile"
                            WHERE "createdAt" < ($1::timestamptz AT TIME ZONE 'UTC') AND state <> 'PRUNED'
                            ORDER BY id LIMIT $2)
           RETURNING f.id)
         DELETE FROM "MediaContent" c USING doomed WHERE c."mediaFileId" = doomed.id`,
        [mediaBefore, batchSize, mediaReason]
      )
      summary.batches++
      // rowCount counts deleted contents; files that had none (failed, pending) are marked too.
      summary.mediaFiles += rowCount ?? 0
      countRetentionPruned('MediaContent', rowCount ?? 0)
      const { rows: more } = await client.query(
        `SELECT 1 FROM "MediaFile" WHERE "createdAt" < ($1::timestamptz AT TIME ZONE 'UTC') AND state <> 'PRUNED' LIMIT 1`,
        [mediaBefore]
      )
      if (more.length === 0) break
      await sleep(pauseMs)
    }

    // Reviews nobody confirmed: a draft is kept an hour at most (README "Review before sending"), and its recipient
    // rows (numbers and filled texts, up to 100,000) go with it by their foreign key. Drafts are few (one per staff
    // member), so one statement.
    const { rowCount: drafts } = await client.query(
      `DELETE FROM "SendDraft" WHERE "expiresAt" < ($1::timestamptz AT TIME ZONE 'UTC')`,
      [utc(now)]
    )
    summary.sendDrafts = drafts ?? 0
    countRetentionPruned('SendDraft', summary.sendDrafts)
  } finally {
    // A connection that cannot unlock is closed instead: the session lock goes with it.
    const unlocked =
      !locked ||
      (await client.query('SELECT pg_advisory_unlock($1, $2)', [LOCK_CLASS, LOCK_RETENTION]).then(
        () => true,
        () => false
      ))
    client.release(unlocked ? undefined : new Error('could not release the retention lock'))
    summary.ms = Date.now() - started
  }
  if (summary.callbackEvents + summary.unmatchedReports + summary.mediaFiles + summary.sendDrafts > 0) {
    logger.info({ ...summary }, 'retention: pruned the callback log and unmatched reports')
  }
  return summary
}

let loop: BackgroundTask | undefined

/** Prunes every RETENTION_INTERVAL_SECONDS on the api's background runner (api/src/server.ts). */
export function startRetentionLoop(): () => void {
  const { intervalMs, callbackMs, unmatchedMs } = config().retention
  if (intervalMs <= 0 || loop) return stopRetentionLoop
  loop = startBackgroundTask('retention', intervalMs, () => pruneExpired(), {
    callbackDays: days(callbackMs),
    unmatchedDays: days(unmatchedMs),
  })
  return stopRetentionLoop
}

export function stopRetentionLoop() {
  loop?.stop()
  loop = undefined
}

function days(ms: number) {
  return ms / 86_400_000
}

/** What the callback log page says about how long things are kept (from the configuration). */
export const storageRetention: QueryResolvers['storageRetention'] = () => {
  const { retention } = config()
  return {
    callbackDays: days(retention.callbackMs),
    unmatchedDays: days(retention.unmatchedMs),
    reprocessableDays: days(retention.reprocessableMs),
  }
}
