/**
 * What the refused-callback rate limit (src/lib/callbackRejectionBudget.ts)
 * counted without recording, for the refused list: a flood is visible as a
 * number per address even though its requests have no rows.
 */
import type { QueryResolvers } from 'types/graphql'

import { requireAuth } from 'src/lib/auth'
import { flushRefusedCounts } from 'src/lib/callbackRejectionBudget'
import { config } from 'src/lib/config'
import { db } from 'src/lib/db'
import { ROLES_THAT } from 'src/lib/roles'
import { REJECTION_RETENTION_DAYS } from 'src/services/callbacks/callbackRejections'

const MAX_ADDRESSES = 20

export const refusedCallbacksNotRecorded: QueryResolvers['refusedCallbacksNotRecorded'] = async () => {
  // Refused-callback diagnostics are for admins, like the refused list itself.
  requireAuth({ roles: [...ROLES_THAT.administer] })
  // This instance's not-yet-counted refusals first (other instances add theirs within seconds).
  await flushRefusedCounts()
  const since = new Date(Date.now() - REJECTION_RETENTION_DAYS * 86_400_000)
  const groups = await db.callbackRejectionBudget.groupBy({
    by: ['clientAddress'],
    where: { windowStart: { gte: since } },
    _sum: { refused: true, recorded: true },
    _max: { windowStart: true },
  })
  const addresses = groups
    .map((g) => {
      const refused = g._sum.refused ?? 0
      const recorded = g._sum.recorded ?? 0
      return {
        clientAddress: g.clientAddress,
        refused,
        recorded,
        notRecorded: refused - recorded,
        lastHour: g._max.windowStart!,
      }
    })
    .filter((a) => a.notRecorded > 0)
    .sort((a, b) => b.notRecorded - a.notRecorded)
  return {
    perAddressPerHour: config().callbackRejectionsPerAddressPerHour,
    since,
    totalNotRecorded: addresses.reduce((sum, a) => sum + a.notRecorded, 0),
    addresses: addresses.slice(0, MAX_ADDRESSES),
  }
}
