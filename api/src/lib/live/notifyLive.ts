import type { Prisma } from '@prisma/client'

import { LIVE_CHANNEL } from './liveChange'

/**
 * What a writer announces itself on the live channel, beside what the row
 * triggers announce (README "Live updates"). Ids only, never a number or a text.
 */
export type LiveNotice = {
  /** Staff users whose read state changed: only their own streams hear of it (topic `read`). */
  readByUserIds?: number[]
  /** An opt-out was added or removed (topic `optouts`). */
  optOuts?: boolean
}

/** The notification's payload (`{"rd":[user ids],"o":1}`, parseLiveChange reads it), or null for nothing. */
export function liveNoticePayload(notice: LiveNotice): string | null {
  const out: Record<string, unknown> = {}
  if (notice.readByUserIds?.length) out.rd = notice.readByUserIds
  if (notice.optOuts) out.o = 1
  return Object.keys(out).length ? JSON.stringify(out) : null
}

/**
 * Announces a change from inside the writer's transaction: Postgres delivers
 * a pg_notify at COMMIT (and never if the transaction rolls back), so the
 * browsers refetch only what was really written.
 */
export async function notifyLive(tx: Prisma.TransactionClient, notice: LiveNotice): Promise<void> {
  const payload = liveNoticePayload(notice)
  if (payload) await tx.$executeRaw`SELECT pg_notify(${LIVE_CHANNEL}, ${payload})`
}
