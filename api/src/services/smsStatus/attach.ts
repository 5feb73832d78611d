/**
 * Reports that arrived before their message was known (they raced the send)
 * are stored with no recipient; these attach them once the batch id or
 * Conversation message id is recorded, under the same per-id lock.
 *
 * Which recipient a report belongs to is decided in one place, the SQL
 * function delivery_report_recipient (README, "Where each SQL function is
 * defined"), which delivery_record_report asks when a
 * report arrives; attaching asks it too, so a report finds the same recipient
 * whether it came before its message or after.
 */
import { Prisma } from '@prisma/client'

import { db } from 'src/lib/db'
import { notifyLive } from 'src/lib/live/notifyLive'
import { logger } from 'src/lib/logger'

import { advanceByStoredReports, lockBatch, type StoredReport } from './recordReport'

type Tx = Prisma.TransactionClient

/**
 * Called by sending once Sinch accepted the batch: stores the batch id and
 * attaches the reports that arrived before it (they raced the send), applying
 * them in order of meaning. Same advisory lock as recordReport.
 */
export async function recordBatchSubmitted(input: {
  messageId: string
  batchId: string
  submittedAt?: Date
}): Promise<{ attached: number }> {
  return db.$transaction(async (tx) => {
    await lockBatch(tx, input.batchId)
    await tx.message.update({
      where: { id: input.messageId },
      data: {
        sinchBatchId: input.batchId,
        submitState: 'SUBMITTED',
        submittedAt: input.submittedAt ?? new Date(),
        submitError: null,
      },
    })
    const attached = await attachWaitingReports(tx, input.messageId, input.batchId)
    await notifyLive(tx, { messageIds: [input.messageId], callbacks: attached > 0 })
    return { attached }
  })
}

/**
 * Records the message_id Sinch's Conversation API gave one recipient, and
 * attaches the reports that raced the answer (stored with no recipient,
 * batchId = message_id). Same per-id lock as delivery_record_report, so a
 * report is either matched there or attached here, never neither.
 */
export async function recordConversationAccepted(input: {
  recipientId: number
  sinchMessageId: string
}): Promise<{ attached: number }> {
  return db.$transaction(async (tx) => {
    await lockBatch(tx, input.sinchMessageId)
    await tx.messageRecipient.update({
      where: { id: input.recipientId },
      data: { sinchMessageId: input.sinchMessageId },
    })
    // A Conversation report keeps its message id as its batchId.
    const rows = await attachWhere(
      tx,
      Prisma.sql`w."batchId" = ${input.sinchMessageId} AND w."dedupeKey" LIKE 'conv:%'`
    )
    await advanceByStoredReports(tx, rows)
    if (rows.length > 0) {
      await tx.$executeRaw`
        UPDATE "CallbackEvent" SET "processingState" = 'PROCESSED'
         WHERE "processingState" = 'UNMATCHED' AND "batchId" = ${input.sinchMessageId} AND "reportsNotStored" = 0`
    }
    await notifyLive(tx, { recipientIds: [input.recipientId], callbacks: rows.length > 0 })
    return { attached: rows.length }
  })
}

/**
 * Gives the stored reports that wait for their message (recipientId null) and
 * satisfy `candidates` (over "SmsStatusUpdate" w) the recipient
 * delivery_report_recipient finds for them now, if any; returns those attached.
 */
async function attachWhere(tx: Tx, candidates: Prisma.Sql): Promise<StoredReport[]> {
  return tx.$queryRaw<StoredReport[]>`
    WITH target AS (
      SELECT w.id AS uid, r.recipient_id AS rid
        FROM "SmsStatusUpdate" w
       CROSS JOIN LATERAL delivery_report_recipient(w."batchId", w."phoneNumber", w."clientReference",
                                                    CASE WHEN w."dedupeKey" LIKE 'conv:%' THEN w."batchId" END) r
       WHERE w."recipientId" IS NULL AND r.recipient_id IS NOT NULL AND (${candidates}))
    UPDATE "SmsStatusUpdate" u SET "recipientId" = target.rid FROM target WHERE u.id = target.uid
    RETURNING u."recipientId", u.status, u.code, u.at, u."operatorStatusAt", u."timeSource"::text AS "timeSource"`
}

/**
 * Attaches the stored reports that name this batch to this message's
 * recipients. (A report that named the message by client_reference only was
 * matched when it arrived, while the message had no batch id yet.) The caller
 * announces the message, and the callback log when some were attached
 * (notifyLive).
 */
export async function attachWaitingReports(tx: Tx, messageId: string, batchId: string): Promise<number> {
  const rows = await attachWhere(tx, Prisma.sql`w."batchId" = ${batchId}`)
  await advanceByStoredReports(tx, rows)
  if (rows.length > 0) {
    // One with reports left unstored by the limit stays UNMATCHED: re-processing it stores them now.
    await tx.$executeRaw`
      UPDATE "CallbackEvent" SET "processingState" = 'PROCESSED'
       WHERE "processingState" = 'UNMATCHED' AND "batchId" = ${batchId} AND "reportsNotStored" = 0`
    logger.info({ messageId, batchId, attached: rows.length }, 'attached reports that arrived before their batch id')
  }
  return rows.length
}

/**
 * Gives a stored report that waits for its message (recipientId null) its
 * recipient, if it has one now, and advances that recipient; returns that
 * recipient (null: none). The caller holds the batch lock and announces it.
 */
export async function attachStoredReport(tx: Tx, dedupeKey: string): Promise<number | null> {
  const rows = await attachWhere(tx, Prisma.sql`w."dedupeKey" = ${dedupeKey}`)
  await advanceByStoredReports(tx, rows)
  return rows[0]?.recipientId ?? null
}
