/**
 * Reports that arrived before their message was known (they raced the send)
 * are stored with no recipient; these attach them once the batch id or
 * Conversation message id is recorded, under the same per-id lock.
 */
import type { Prisma } from '@prisma/client'

import { db } from 'src/lib/db'
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
    const rows = await tx.$queryRaw<StoredReport[]>`
      UPDATE "SmsStatusUpdate" SET "recipientId" = ${input.recipientId}
       WHERE "recipientId" IS NULL AND "batchId" = ${input.sinchMessageId} AND "dedupeKey" LIKE 'conv:%'
      RETURNING "recipientId", status, code, at, "operatorStatusAt", "timeSource"::text AS "timeSource"`
    await advanceByStoredReports(tx, rows)
    if (rows.length > 0) {
      await tx.$executeRaw`
        UPDATE "CallbackEvent" SET "processingState" = 'PROCESSED'
         WHERE "processingState" = 'UNMATCHED' AND "batchId" = ${input.sinchMessageId} AND "reportsNotStored" = 0`
    }
    return { attached: rows.length }
  })
}

/** Attaches stored reports without a recipient to this message's recipients. */
export async function attachWaitingReports(tx: Tx, messageId: string, batchId: string): Promise<number> {
  const rows = await tx.$queryRaw<StoredReport[]>`
    UPDATE "SmsStatusUpdate" u SET "recipientId" = rc.id
      FROM "MessageRecipient" rc
     WHERE u."recipientId" IS NULL
       AND rc."messageId" = ${messageId}
       AND rc."phoneNumber" = u."phoneNumber"
       AND (u."batchId" = ${batchId} OR u."clientReference" = ${messageId})
    RETURNING u."recipientId", u.status, u.code, u.at, u."operatorStatusAt", u."timeSource"::text AS "timeSource"`
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
 * recipient, if it has one now, and advances that recipient. Same matching as
 * delivery_record_report; the caller holds the batch lock.
 */
export async function attachStoredReport(tx: Tx, dedupeKey: string): Promise<boolean> {
  const rows = await tx.$queryRaw<StoredReport[]>`
    WITH target AS (
      SELECT u.id AS uid, rc.id AS rid
        FROM "SmsStatusUpdate" u
        JOIN "MessageRecipient" rc
          ON (u."dedupeKey" LIKE 'conv:%' AND rc."sinchMessageId" = u."batchId")
          OR (u."dedupeKey" NOT LIKE 'conv:%' AND rc."phoneNumber" = u."phoneNumber" AND rc."messageId" IN (
                SELECT m.id FROM "Message" m
                 WHERE m."sinchBatchId" = u."batchId" OR (m."sinchBatchId" IS NULL AND m.id = u."clientReference")))
       WHERE u."dedupeKey" = ${dedupeKey} AND u."recipientId" IS NULL
       LIMIT 1)
    UPDATE "SmsStatusUpdate" u SET "recipientId" = target.rid FROM target WHERE u.id = target.uid
    RETURNING u."recipientId", u.status, u.code, u.at, u."operatorStatusAt", u."timeSource"::text AS "timeSource"`
  await advanceByStoredReports(tx, rows)
  return rows.length > 0
}
