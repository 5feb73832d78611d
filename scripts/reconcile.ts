/**
 * One reconciliation pass, now: asks Sinch about every stuck recipient (see
 * api/src/services/reconciliation). Safe next to running api instances.
 *
 *   yarn rw exec reconcile                 stuck recipients (RECONCILE_AFTER_MINUTES)
 *   yarn rw exec reconcile --message <id>  one message's non-final recipients, whatever their age
 */
import { db } from 'api/src/lib/db'
import { reconcileMessageNow, reconcileStuck } from 'api/src/services/reconciliation/reconciliation'

export default async ({ args }: { args: Record<string, string | undefined> }) => {
  try {
    const summary = args.message ? await reconcileMessageNow(String(args.message)) : await reconcileStuck()
    console.log(
      `Checked ${summary.checked} recipient${summary.checked === 1 ? '' : 's'} with Sinch: ${summary.changed} changed, ` +
        `${summary.gaveUp} ended Unknown, ${summary.failed} could not be checked.`
    )
    for (const error of summary.errors) console.log(`  ${error}`)
  } finally {
    await db.$disconnect()
  }
}
