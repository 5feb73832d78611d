/**
 * The background fetcher: every MEDIA_FETCH_INTERVAL_SECONDS each api
 * instance claims the files that are due (mediaStore.claimDueMedia: SKIP
 * LOCKED, so instances share the queue and never fetch one file twice at
 * once), downloads them (mediaFetch.ts) and records the copy or the reason it
 * could not be had. Retries back off exponentially; see README "Media".
 */
import { startBackgroundTask, type BackgroundTask } from 'src/lib/backgroundTask'
import { config } from 'src/lib/config'
import { logger } from 'src/lib/logger'

import { downloadMedia } from './mediaFetch'
import { claimDueMedia, recordFetched, recordFetchFailure } from './mediaStore'

export type FetchSummary = { claimed: number; stored: number; retrying: number; failed: number }

/** One pass: claims up to `limit` due files and fetches them, `concurrency` at a time. */
export async function fetchDueMedia({
  limit = 8,
  concurrency = 2,
  now,
}: { limit?: number; concurrency?: number; now?: Date } = {}) {
  const media = config().media
  const claimed = await claimDueMedia(limit, now)
  const summary: FetchSummary = { claimed: claimed.length, stored: 0, retrying: 0, failed: 0 }
  const queue = [...claimed]
  const worker = async () => {
    for (let claim = queue.shift(); claim; claim = queue.shift()) {
      const result = await downloadMedia(
        claim.sourceUrl,
        {
          maxBytes: media.maxBytes,
          allowedTypes: media.allowedTypes,
          allowedHosts: media.fetchAllowedHosts,
          allowHttp: media.allowHttp,
          timeoutMs: media.fetchTimeoutMs,
        },
        { mimeType: claim.declaredMimeType, fileName: claim.fileName }
      )
      if (result.ok) {
        if (await recordFetched(claim, result, now)) summary.stored++
        logger.info({ mediaFileId: claim.id, bytes: result.bytes.length, mimeType: result.mimeType }, 'media stored')
      } else {
        const outcome = await recordFetchFailure(claim, result, now)
        if (outcome === 'retry') summary.retrying++
        if (outcome === 'failed') summary.failed++
        logger.warn(
          { mediaFileId: claim.id, attempt: claim.attempts, outcome, reason: result.reason },
          'media not fetched'
        )
      }
    }
  }
  await Promise.all(Array.from({ length: Math.min(concurrency, queue.length) }, worker))
  return summary
}

let loop: BackgroundTask | undefined

export function startMediaFetchLoop(): BackgroundTask {
  loop = startBackgroundTask('media fetch', config().media.fetchIntervalMs, () => fetchDueMedia(), {
    allowedHosts: config().media.fetchAllowedHosts,
  })
  return loop
}

/** Fetches now instead of at the next tick (after a reply with files was stored). Best effort. */
export function kickMediaFetcher() {
  void loop?.runNow()
}
