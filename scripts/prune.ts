/**
 * One retention pass, now: deletes callback log entries and unmatched reports
 * past their retention (see api/src/services/retention). Safe next to running
 * api instances: only one pass runs at a time (an advisory lock).
 *
 *   yarn rw exec prune                     as the api's background runner does
 *   yarn rw exec prune --days-ahead 31     as it would in 31 days (rehearsals and benchmarks)
 */
import { db } from 'api/src/lib/db'
import { pruneExpired } from 'api/src/services/retention/retention'

export default async ({ args }: { args: Record<string, string | undefined> }) => {
  try {
    const daysAhead = Number(args.daysAhead ?? args['days-ahead'] ?? 0)
    if (!Number.isFinite(daysAhead) || daysAhead < 0)
      throw new Error('--days-ahead must be a number of days, 0 or more')
    let total = { callbackEvents: 0, unmatchedReports: 0, batches: 0, ms: 0 }
    // One pass does at most 200 batches of each kind; repeat until nothing is left.
    for (;;) {
      const pass = await pruneExpired({ now: new Date(Date.now() + daysAhead * 86_400_000), maxBatches: 200 })
      if (!pass.ran) {
        console.log('Another instance is pruning right now; nothing done.')
        break
      }
      total = {
        callbackEvents: total.callbackEvents + pass.callbackEvents,
        unmatchedReports: total.unmatchedReports + pass.unmatchedReports,
        batches: total.batches + pass.batches,
        ms: total.ms + pass.ms,
      }
      if (pass.callbackEvents + pass.unmatchedReports === 0) break
    }
    console.log(
      `Pruned ${total.callbackEvents} callback log entries and ${total.unmatchedReports} unmatched reports in ${total.batches} batches (${total.ms} ms).`
    )
  } finally {
    await db.$disconnect()
  }
}
