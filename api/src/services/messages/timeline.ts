import type { SmsStatusUpdate } from '@prisma/client'
import DataLoader from 'dataloader'

import { db } from 'src/lib/db'

/**
 * Every status report of each recipient, in event order, for many recipients in
 * one query. GraphQL resolves `timeline` once per recipient of a page, all in
 * the same tick; the loader gathers those calls into one batch, so a page of
 * recipients costs one query whatever its size (one per recipient before: a
 * message list asking for timelines could fan out to tens of thousands).
 *
 * `cache: false` keeps it a batcher only: nothing is remembered after the
 * batch, so one module-level loader is safe to share between requests (all
 * staff may read every message) and never serves a stale timeline.
 */
const timelineLoader = new DataLoader<number, SmsStatusUpdate[]>(
  async (recipientIds) => {
    const rows = await db.smsStatusUpdate.findMany({
      where: { recipientId: { in: [...recipientIds] } },
      orderBy: [{ recipientId: 'asc' }, { at: 'asc' }, { receivedAt: 'asc' }, { id: 'asc' }],
    })
    const byRecipient = new Map<number, SmsStatusUpdate[]>()
    for (const row of rows) {
      const list = byRecipient.get(row.recipientId!)
      if (list) list.push(row)
      else byRecipient.set(row.recipientId!, [row])
    }
    return recipientIds.map((id) => byRecipient.get(id) ?? [])
  },
  // A recipients page holds at most 500; a bigger batch (several pages in one
  // request) is split so that no statement carries an unbounded id list.
  { cache: false, maxBatchSize: 1000 }
)

export function loadTimeline(recipientId: number): Promise<SmsStatusUpdate[]> {
  return timelineLoader.load(recipientId)
}
