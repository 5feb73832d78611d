/**
 * Recording reports and replies: the per-batch advisory lock, the
 * forward-only advance of a recipient, one report through
 * delivery_record_report, batch summaries and inbound messages.
 */
import type { Prisma } from '@prisma/client'

import { type BatchReport, type SinchCallback } from 'src/lib/callbackPayload'
import type { DeclaredMedia } from 'src/lib/conversationContent'
import { db } from 'src/lib/db'
import { statusRank } from 'src/lib/deliveryStatus'
import { queueInboundMedia } from 'src/services/media/mediaStore'
import { applyReplyKeyword } from 'src/services/optOuts/optOuts'

import { conversationInboundRow, moMediaRow, moTextRow, type ReportRow, type ReportTimeSource } from './reportRows'

type Tx = Prisma.TransactionClient

export type RecordOutcome = {
  inserted: boolean
  matched: boolean
  skipped?: boolean
  note?: string
  /** What changed, for the live notification the caller's transaction sends (notifyLive). */
  messageIds?: string[]
  inboundIds?: number[]
}

/** The live notice of a transaction's outcomes: every message and reply they changed. */
export function liveNoticeOf(outcomes: RecordOutcome[]) {
  return {
    messageIds: outcomes.flatMap((o) => o.messageIds ?? []),
    inboundIds: outcomes.flatMap((o) => o.inboundIds ?? []),
  }
}

export async function lockBatch(tx: Tx, batchId: string) {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${'batch:' + batchId}))`
}

/** Moves a recipient's latest status forward, never back (delivery_advance_recipient). */
async function advanceRecipient(
  tx: Tx,
  recipientId: number,
  r: Pick<ReportRow, 'status' | 'code' | 'at' | 'operatorStatusAt' | 'timeSource'>
) {
  const rank = statusRank(r.status)
  // An undocumented status stays in the history only.
  if (rank === null) return
  await tx.$queryRaw`SELECT delivery_advance_recipient(${recipientId}, ${r.status}, ${rank},
    ${r.code}, ${r.at}::timestamp(3), ${r.operatorStatusAt ?? null}::timestamp(3), ${r.timeSource !== 'REPORTED'})`
}

export type StoredReport = {
  recipientId: number
  status: string
  code: number | null
  at: Date
  operatorStatusAt: Date | null
  timeSource: ReportTimeSource
}

/** Advances recipients by reports attached after they were stored (waiting for their message). */
export async function advanceByStoredReports(tx: Tx, rows: StoredReport[]) {
  for (const row of rows) {
    await advanceRecipient(tx, row.recipientId, { ...row, operatorStatusAt: row.operatorStatusAt ?? undefined })
  }
  // A batch-report row that waited and now finds a report of the same status
  // with Sinch's own time says nothing new (as delivery_record_report decides
  // when both find their recipient at once).
  const recipientIds = [...new Set(rows.map((r) => r.recipientId))]
  if (rows.some((r) => r.timeSource === 'BATCH_ARRIVAL')) {
    await tx.$executeRaw`
      DELETE FROM "SmsStatusUpdate" b USING "SmsStatusUpdate" o
       WHERE b."recipientId" = ANY(${recipientIds}::int[]) AND b."timeSource" = 'BATCH_ARRIVAL'
         AND o."recipientId" = b."recipientId" AND o.status = b.status AND o.id <> b.id
         AND (o."timeSource" <> 'BATCH_ARRIVAL' OR o.id < b.id)`
    // What is left tells delivery_record_report to look for it.
    await tx.$executeRaw`
      UPDATE "MessageRecipient" rc SET "batchReportInHistory" = true
       WHERE rc.id = ANY(${recipientIds}::int[]) AND NOT rc."batchReportInHistory"
         AND EXISTS (SELECT 1 FROM "SmsStatusUpdate" u WHERE u."recipientId" = rc.id AND u."timeSource" = 'BATCH_ARRIVAL')`
  }
}

/** The JSON shape delivery_record_report and delivery_ingest_batch take. */
export function reportJson(r: ReportRow) {
  return {
    dedupeKey: r.dedupeKey,
    batchId: r.batchId,
    phoneNumber: r.phoneNumber,
    clientReference: r.clientReference,
    sinchMessageId: r.sinchMessageId,
    status: r.status,
    rank: statusRank(r.status),
    code: r.code,
    reason: r.reason,
    at: r.at.toISOString(),
    operatorStatusAt: r.operatorStatusAt?.toISOString(),
    timeSource: r.timeSource,
    source: r.source,
    rawPayload: r.rawPayload,
  }
}

/**
 * Stores one report (e.g. fetched by reconciliation) and advances its
 * recipient. storeUnmatched false: a report that finds no recipient is
 * skipped, not stored (the caller's share of UNMATCHED rows is used up).
 */
export async function recordReport(tx: Tx | typeof db, r: ReportRow, storeUnmatched = true): Promise<RecordOutcome> {
  const [{ messageId, ...outcome }] = await tx.$queryRaw<(RecordOutcome & { messageId: string | null })[]>`
    SELECT inserted, matched, skipped, message_id AS "messageId"
      FROM delivery_record_report(${JSON.stringify(reportJson(r))}::jsonb, ${r.callbackEventId}, ${storeUnmatched})`
  return messageId ? { ...outcome, messageIds: [messageId] } : outcome
}

/** Summary mode (counts only): keep the latest summary on the message. */
async function recordBatchSummary(tx: Tx, p: BatchReport, receivedAt: Date): Promise<RecordOutcome[]> {
  const updated = await tx.$queryRaw<{ id: string }[]>`
    UPDATE "Message" SET "batchSummary" = ${JSON.stringify(p)}::jsonb, "batchSummaryAt" = ${receivedAt}, "updatedAt" = now()
     WHERE ("sinchBatchId" = ${p.batch_id} OR ("sinchBatchId" IS NULL AND id = ${p.client_reference ?? null}))
       AND ("batchSummaryAt" IS NULL OR "batchSummaryAt" <= ${receivedAt})
    RETURNING id`
  return [{ inserted: true, matched: updated.length > 0, messageIds: updated.map((m) => m.id) }]
}

async function recordInbound(
  tx: Tx,
  row: {
    channel: 'SMS' | 'WHATSAPP'
    externalId: string
    fromNumber: string
    toNumber?: string
    body?: string
    contentType: string
    receivedAt: Date
    clientReference?: string
    rawPayload: unknown
    callbackEventId: number
    notes: string[]
    media: DeclaredMedia[]
  }
): Promise<RecordOutcome> {
  const inserted = await tx.$queryRaw<{ id: number }[]>`
    INSERT INTO "InboundMessage"
      (channel, "externalId", "fromNumber", "toNumber", body, "contentType", "receivedAt",
       "clientReference", "rawPayload", "callbackEventId", "createdAt")
    VALUES (${row.channel}::"Channel", ${row.externalId}, ${row.fromNumber}, ${row.toNumber ?? null},
            ${row.body ?? null}, ${row.contentType}, ${row.receivedAt}, ${row.clientReference ?? null},
            ${JSON.stringify(row.rawPayload)}::jsonb, ${row.callbackEventId}, now())
    ON CONFLICT ("externalId") DO NOTHING
    RETURNING id`
  // Its files are queued for the background fetcher in the same transaction: stored means queued.
  if (inserted.length > 0 && row.media.length > 0) {
    await queueInboundMedia(tx, inserted[0].id, row.media)
  }
  // STOP / START: only for a newly stored reply, so a repeated callback changes nothing.
  if (inserted.length > 0 && row.contentType === 'text') {
    await applyReplyKeyword(tx, { phoneNumber: row.fromNumber, body: row.body, inboundMessageId: inserted[0].id })
  }
  return {
    inserted: inserted.length > 0,
    matched: true,
    note: row.notes.join(' ') || undefined,
    inboundIds: inserted.map((i) => i.id),
  }
}

export async function processOther(
  tx: Tx,
  callback: SinchCallback,
  callbackEventId: number,
  receivedAt: Date
): Promise<RecordOutcome[]> {
  switch (callback.kind) {
    case 'delivery_report_sms':
    case 'delivery_report_mms':
      return recordBatchSummary(tx, callback.payload, receivedAt)
    case 'mo_text':
      return [await recordInbound(tx, moTextRow(callback.payload, callbackEventId, receivedAt))]
    case 'mo_media':
      return [await recordInbound(tx, moMediaRow(callback.payload, callbackEventId, receivedAt))]
    case 'message':
      return [await recordInbound(tx, conversationInboundRow(callback.payload, callbackEventId, receivedAt))]
    default:
      return []
  }
}
