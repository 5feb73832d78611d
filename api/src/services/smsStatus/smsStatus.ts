/**
 * Recording what Sinch tells us, exactly once, in order of meaning.
 *
 * - Idempotent by a database constraint: every report has a dedupeKey with a
 *   unique index, inserted with ON CONFLICT DO NOTHING. A repeated report
 *   (Sinch retries, the sandbox doubles, reconciliation fetches) is a no-op.
 * - Forward-only: a recipient's latest status is replaced by one conditional
 *   UPDATE (rank higher, or equal with a later event time). Postgres re-checks
 *   the condition on the locked row, so concurrent reports cannot regress it.
 * - Lossless: a report whose message is unknown is stored with no recipient
 *   and attached when the batch id is recorded (recordBatchSubmitted). Both
 *   sides take the same per-batch advisory lock, so neither can miss the other.
 * - The signature nonce is inserted in the same transaction: a store that
 *   fails rolls it back, and Sinch's retry is not refused as a replay.
 *
 * The mechanics of a delivery report (lock, match, insert, advance) run inside
 * Postgres (migration 20261124031900_ingest_functions) so a callback costs one
 * round trip; what a report means is decided here.
 */
import type { Prisma } from '@prisma/client'

import {
  classifyCallback,
  parseCallbackJson,
  type BatchReport,
  type ConversationDelivery,
  type ConversationInbound,
  type MoText,
  type RecipientReport,
  type SinchCallback,
} from 'src/lib/callbackPayload'
import { config } from 'src/lib/config'
import { contactMessageContent } from 'src/lib/conversationContent'
import { DatabaseBusyError, isDatabaseUnavailable } from 'src/lib/databaseErrors'
import { CONNECT_TIMEOUT_MS, db, queryWithin } from 'src/lib/db'
import { statusRank } from 'src/lib/deliveryStatus'
import { GroupCommitter, type FlushResult } from 'src/lib/groupCommit'
import { logger } from 'src/lib/logger'
import { e164FromSinch, internationalE164 } from 'src/lib/phone'
import { boundEventTime, clampedTimeNote } from 'src/lib/reportTime'
import { applyReplyKeyword } from 'src/services/optOuts/optOuts'

type Tx = Prisma.TransactionClient

export class NonceReplayError extends Error {
  constructor(readonly nonce: string) {
    super('nonce already used')
    this.name = 'NonceReplayError'
  }
}

export type Verdict = 'ACCEPTED' | 'DUPLICATE' | 'REJECTED' | 'IGNORED'
export type ProcessingState = 'PROCESSED' | 'UNMATCHED' | 'FAILED' | 'IGNORED' | 'REJECTED'

export type IngestInput = {
  rawBody: string
  headers: Record<string, string>
  requestId?: string
  secretId?: string
  /** The verified nonce and until when it must be remembered. */
  nonce?: { value: string; expiresAt: Date }
} & ({ callback: SinchCallback } | { rejected: { kind: string; error: string } })

export type IngestResult = {
  callbackEventId: number
  verdict: Verdict
  state: ProcessingState
  stored: number
  duplicates: number
  unmatched: number
  /** Reports for unknown recipients beyond SINCH_CALLBACK_MAX_UNMATCHED_REPORTS: counted, not stored. */
  skipped: number
}

/** Sinch sends numbers without + (or with 00…); we store E.164 with it (one function for both sides). */
const toE164 = e164FromSinch

/** Where a report's `at` comes from (ReportTimeSource in schema.prisma). */
export type ReportTimeSource = 'REPORTED' | 'BATCH_ARRIVAL' | 'CLAMPED' | 'RECEIVED'

const toleranceSeconds = () => config().callbacks.toleranceSeconds

/** A time Sinch gives, bounded by when we received it (src/lib/reportTime.ts); notes say what was clamped. */
function boundedTime(field: string, at: Date, receivedAt: Date, notes: string[]): { at: Date; clamped: boolean } {
  const tolerance = toleranceSeconds()
  const bounded = boundEventTime(at, receivedAt, tolerance)
  if (bounded.clamped) notes.push(clampedTimeNote(field, at, tolerance))
  return bounded
}

export type ReportRow = {
  dedupeKey: string
  batchId: string
  phoneNumber: string
  clientReference?: string
  /** Conversation reports match the recipient by Sinch's message id. */
  sinchMessageId?: string
  status: string
  code: number | null
  reason?: string
  at: Date
  operatorStatusAt?: Date
  timeSource: ReportTimeSource
  rawPayload: unknown
  source: 'PUSHED' | 'FETCHED'
  callbackEventId: number | null
  /** What the callback log should say about this report (a clamped time). */
  notes?: string[]
}

type RecordOutcome = { inserted: boolean; matched: boolean; skipped?: boolean; note?: string }

async function lockBatch(tx: Tx, batchId: string) {
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

type StoredReport = {
  recipientId: number
  status: string
  code: number | null
  at: Date
  operatorStatusAt: Date | null
  timeSource: ReportTimeSource
}

/** Advances recipients by reports attached after they were stored (waiting for their message). */
async function advanceByStoredReports(tx: Tx, rows: StoredReport[]) {
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
function reportJson(r: ReportRow) {
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
  const [outcome] = await tx.$queryRaw<RecordOutcome[]>`
    SELECT inserted, matched, skipped
      FROM delivery_record_report(${JSON.stringify(reportJson(r))}::jsonb, ${r.callbackEventId}, ${storeUnmatched})`
  return outcome
}

export function recipientReportRow(
  p: RecipientReport,
  source: ReportRow['source'],
  callbackEventId: number | null,
  receivedAt: Date = new Date()
): ReportRow {
  const phoneNumber = toE164(p.recipient)
  const notes: string[] = []
  const at = boundedTime('at', p.at, receivedAt, notes)
  const operatorStatusAt = p.operator_status_at
    ? boundedTime('operator_status_at', p.operator_status_at, receivedAt, notes).at
    : undefined
  return {
    // Sinch's own time in the key: a retry of a clamped report is the same report.
    dedupeKey: `sms:${p.batch_id}:${phoneNumber}:${p.status}:${p.code}:${p.at.toISOString()}`,
    batchId: p.batch_id,
    phoneNumber,
    clientReference: p.client_reference,
    status: p.status,
    code: p.code,
    at: at.at,
    operatorStatusAt,
    timeSource: at.clamped ? 'CLAMPED' : 'REPORTED',
    rawPayload: p,
    source,
    callbackEventId,
    notes,
  }
}

/**
 * A full batch report lists recipients per status, with no time per
 * recipient: each row is dated by the report's arrival and marked
 * BATCH_ARRIVAL. delivery_record_report stores it only when it tells
 * something new about its recipient, and a per-recipient report of the same
 * status (Sinch's own time) supersedes it.
 */
function batchReportRows(p: BatchReport, receivedAt: Date): ReportRow[] {
  return p.statuses.flatMap((bucket) =>
    (bucket.recipients ?? []).map((recipient): ReportRow => {
      const phoneNumber = toE164(recipient)
      return {
        // A summary has no event time per recipient: one row per state is
        // enough, and a repeated summary changes nothing.
        dedupeKey: `summary:${p.batch_id}:${phoneNumber}:${bucket.status}:${bucket.code}`,
        batchId: p.batch_id,
        phoneNumber,
        clientReference: p.client_reference,
        status: bucket.status,
        code: bucket.code,
        at: receivedAt,
        timeSource: 'BATCH_ARRIVAL',
        rawPayload: { ...p, statuses: [{ ...bucket, recipients: [recipient] }] },
        source: 'PUSHED',
        callbackEventId: null,
      }
    })
  )
}

/** Summary mode (counts only): keep the latest summary on the message. */
async function recordBatchSummary(tx: Tx, p: BatchReport, receivedAt: Date): Promise<RecordOutcome[]> {
  const updated = await tx.$executeRaw`
    UPDATE "Message" SET "batchSummary" = ${JSON.stringify(p)}::jsonb, "batchSummaryAt" = ${receivedAt}, "updatedAt" = now()
     WHERE ("sinchBatchId" = ${p.batch_id} OR ("sinchBatchId" IS NULL AND id = ${p.client_reference ?? null}))
       AND ("batchSummaryAt" IS NULL OR "batchSummaryAt" <= ${receivedAt})`
  return [{ inserted: true, matched: updated > 0 }]
}

/**
 * A Conversation delivery report. Sinch's model makes event_time and
 * channel_identity optional: without an event time the report is recorded at
 * our receipt time, marked RECEIVED (the timeline says so), and without an
 * identity the recipient is still found by message_id
 * (docs/sinch-protocol.md#what-sinchs-models-allow).
 */
function conversationReportRow(p: ConversationDelivery, receivedAt: Date): ReportRow {
  const report = p.message_delivery_report
  const notes: string[] = []
  const identity = report.channel_identity?.identity
  const at = p.event_time ? boundedTime('event_time', p.event_time, receivedAt, notes) : null
  return {
    dedupeKey: `conv:${report.message_id}:${report.status}`,
    batchId: report.message_id,
    sinchMessageId: report.message_id,
    phoneNumber: identity ? toE164(identity) : '',
    clientReference: report.metadata || p.message_metadata || undefined,
    status: report.status,
    code: null,
    reason: report.reason ? [report.reason.code, report.reason.description].filter(Boolean).join(': ') : undefined,
    at: at ? at.at : receivedAt,
    timeSource: !at ? 'RECEIVED' : at.clamped ? 'CLAMPED' : 'REPORTED',
    rawPayload: p,
    source: 'PUSHED',
    callbackEventId: null,
    notes,
  }
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
  // STOP / START: only for a newly stored reply, so a repeated callback changes nothing.
  if (inserted.length > 0 && row.contentType === 'text') {
    await applyReplyKeyword(tx, { phoneNumber: row.fromNumber, body: row.body, inboundMessageId: inserted[0].id })
  }
  return { inserted: inserted.length > 0, matched: true, note: row.notes.join(' ') || undefined }
}

function moTextRow(p: MoText, callbackEventId: number, receivedAt: Date) {
  const notes: string[] = []
  return {
    channel: 'SMS' as const,
    externalId: `sms:${p.id}`,
    fromNumber: toE164(p.from),
    toNumber: p.to,
    body: p.body,
    contentType: 'text',
    receivedAt: boundedTime('received_at', p.received_at, receivedAt, notes).at,
    clientReference: p.client_reference,
    rawPayload: p,
    callbackEventId,
    notes,
  }
}

function conversationInboundRow(p: ConversationInbound, callbackEventId: number, receivedAt: Date) {
  const notes: string[] = []
  const m = p.message
  const { contentType, body } = contactMessageContent(m.contact_message)
  // Without a channel identity (optional in Sinch's model) the sender is known by its contact id only.
  const identity = m.channel_identity?.identity
  return {
    channel: (m.channel_identity?.channel === 'WHATSAPP' ? 'WHATSAPP' : 'SMS') as 'SMS' | 'WHATSAPP',
    externalId: `conv:${m.id}`,
    // A phone number in any written form (tel:, spaces, 00…) is stored as E.164, as on every other path, so
    // that a STOP from it opts the number out and its 24-hour window is found; any other identity as it came.
    fromNumber: identity ? (internationalE164(identity) ?? identity) : `contact:${m.contact_id || 'unknown'}`,
    toNumber: m.sender_id,
    body,
    contentType,
    receivedAt: boundedTime('accept_time', m.accept_time ?? p.event_time ?? receivedAt, receivedAt, notes).at,
    clientReference: m.metadata || undefined,
    rawPayload: p,
    callbackEventId,
    notes,
  }
}

function batchIdOf(callback: SinchCallback): string | null {
  switch (callback.kind) {
    case 'recipient_delivery_report_sms':
    case 'recipient_delivery_report_mms':
    case 'delivery_report_sms':
    case 'delivery_report_mms':
      return callback.payload.batch_id
    case 'message_delivery_report':
      return callback.payload.message_delivery_report.message_id
    default:
      return null
  }
}

/** Delivery reports of this callback, or null for kinds that carry none. */
function deliveryReportRows(callback: SinchCallback, receivedAt: Date): ReportRow[] | null {
  switch (callback.kind) {
    case 'recipient_delivery_report_sms':
    case 'recipient_delivery_report_mms':
      return [recipientReportRow(callback.payload, 'PUSHED', null, receivedAt)]
    case 'delivery_report_sms':
    case 'delivery_report_mms': {
      const rows = batchReportRows(callback.payload, receivedAt)
      return rows.length > 0 ? rows : null
    }
    case 'message_delivery_report':
      return [conversationReportRow(callback.payload, receivedAt)]
    default:
      return null
  }
}

async function processOther(
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
    case 'message':
      return [await recordInbound(tx, conversationInboundRow(callback.payload, callbackEventId, receivedAt))]
    default:
      return []
  }
}

async function consumeNonce(tx: Tx, nonce: IngestInput['nonce']) {
  if (!nonce) return
  const inserted = await tx.$executeRaw`
    INSERT INTO "WebhookNonce" (nonce, "expiresAt", "createdAt") VALUES (${nonce.value}, ${nonce.expiresAt}, now())
    ON CONFLICT (nonce) DO NOTHING`
  if (inserted === 0) throw new NonceReplayError(nonce.value)
}

/**
 * Stores one authenticated callback and everything it reports, in one
 * transaction. Resolves only once it is committed: the caller answers 2xx
 * after this, and 5xx if it throws (so Sinch retries).
 */
export async function ingestCallback(input: IngestInput): Promise<IngestResult> {
  const receivedAt = new Date()
  const rows = 'callback' in input ? deliveryReportRows(input.callback, receivedAt) : null
  const result = rows
    ? await ingestReports(input as IngestInput & { callback: SinchCallback }, rows)
    : await ingestOther(input, receivedAt)
  maybePruneNonces()
  return result
}

type ReportCallback = { input: IngestInput & { callback: SinchCallback }; rows: ReportRow[] }
type IngestRow = { callback_event_id: number; stored: number; duplicates: number; unmatched: number; skipped: number }

function resultOf(r: IngestRow): IngestResult {
  const verdict: Verdict = r.stored === 0 && r.skipped === 0 && r.duplicates > 0 ? 'DUPLICATE' : 'ACCEPTED'
  const state: ProcessingState = r.unmatched > 0 || r.skipped > 0 ? 'UNMATCHED' : 'PROCESSED'
  return {
    callbackEventId: r.callback_event_id,
    verdict,
    state,
    stored: r.stored,
    duplicates: r.duplicates,
    unmatched: r.unmatched,
    skipped: r.skipped,
  }
}

/** The callback log's note for a callback's reports (a clamped time), or undefined. */
function notesOf(rows: ReportRow[]): string | undefined {
  const notes = [...new Set(rows.flatMap((r) => r.notes ?? []))]
  return notes.length > 0 ? notes.join(' ').slice(0, 2000) : undefined
}

const kindOf = (callback: SinchCallback) => (callback.kind === 'ignored' ? callback.label : callback.kind)

/**
 * Callbacks with delivery reports, one or several that arrived together: one
 * statement, one commit (delivery_ingest_batch). A replayed nonce comes back
 * as that callback's result and fails it alone.
 *
 * This one statement goes straight to the pg pool Prisma itself uses, as a
 * named prepared statement: Prisma's query compiler and parameter encoding
 * cost ~0.15 ms of CPU per callback here, more than the rest of the handler
 * (`yarn bench`, README Performance). Everything else stays with Prisma.
 */
async function ingestReportCallbacks(batch: ReportCallback[], deadline?: number): Promise<FlushResult<IngestResult>[]> {
  const maxUnmatched = config().callbacks.maxUnmatchedReports
  const payload = batch.map(({ input, rows }, idx) => ({
    idx,
    ...(input.nonce ? { nonce: input.nonce.value, nonceExpiresAt: input.nonce.expiresAt.toISOString() } : {}),
    requestId: input.requestId,
    kind: kindOf(input.callback),
    rawBody: input.rawBody,
    headers: input.headers,
    secretId: input.secretId,
    batchId: batchIdOf(input.callback),
    note: notesOf(rows),
    // Only a callback that could exceed it carries the limit.
    maxUnmatched: rows.length > maxUnmatched ? maxUnmatched : undefined,
    reports: rows.map(reportJson),
  }))
  const { rows: results } = await queryWithin<IngestRow & { idx: number; replay: boolean }>(deadline, {
    name: 'delivery_ingest_batch',
    text: 'SELECT idx, callback_event_id, stored, duplicates, unmatched, skipped, replay FROM delivery_ingest_batch($1::jsonb)',
    values: [JSON.stringify(payload)],
  })
  const byIdx = new Map(results.map((r) => [r.idx, r]))
  return batch.map(({ input }, idx) => {
    const r = byIdx.get(idx)
    if (!r) return { ok: false, error: new Error(`no result for callback ${idx} of the batch`) }
    if (r.replay) return { ok: false, error: new NonceReplayError(input.nonce?.value ?? '') }
    return { ok: true, value: resultOf(r) }
  })
}

/** One callback on its own: alone in its flush, or isolated after its batch failed. */
async function ingestOneReportCallback(item: ReportCallback, deadline?: number): Promise<IngestResult> {
  const [result] = await ingestReportCallbacks([item], deadline)
  if (!result.ok) throw result.error
  return result.value
}

/**
 * Callbacks with delivery reports go through group commit: under load, the
 * ones that arrive while a commit is running are stored together by the
 * next. Each request is still answered only after its own data is committed.
 *
 * Two batches may be in flight (INGEST_CONCURRENT_COMMITS): one executes
 * while the other waits for its WAL flush, so a burst (Sinch delivering a
 * 1,000-recipient batch's reports at once) drains sooner — in `yarn bench`'s
 * send, every recipient was final after 7.5–9.3 s instead of 9.5–13.5 s. Two
 * batches cannot deadlock: delivery_ingest_batch takes nonces, then batch
 * locks, each in one global order.
 *
 * A callback waits at most DATABASE_CONNECT_TIMEOUT_MS in the queue and for
 * its connection together, then fails with DatabaseBusyError (503 with
 * Retry-After): with the database held, a burst of 200 is answered within
 * that plus the lock timeout, not after queueing behind every earlier flush.
 */
const reportCommitter = new GroupCommitter<ReportCallback, IngestResult>(
  ingestReportCallbacks,
  ingestOneReportCallback,
  {
    maxBatch: 64,
    maxConcurrentFlushes: Math.max(1, Number(process.env.INGEST_CONCURRENT_COMMITS || 2)),
    isTransient: isDatabaseUnavailable,
    maxQueueMs: CONNECT_TIMEOUT_MS,
    queueTimeoutError: () => new DatabaseBusyError(CONNECT_TIMEOUT_MS),
  }
)

function ingestReports(input: IngestInput & { callback: SinchCallback }, rows: ReportRow[]): Promise<IngestResult> {
  return reportCommitter.submit({ input, rows })
}

/** Everything else (replies, summaries, ignored and rejected callbacks): one Prisma transaction. */
async function ingestOther(input: IngestInput, receivedAt: Date): Promise<IngestResult> {
  return db.$transaction(async (tx) => {
    await consumeNonce(tx, input.nonce)

    if ('rejected' in input) {
      const event = await tx.callbackEvent.create({
        data: {
          requestId: input.requestId,
          kind: input.rejected.kind,
          verdict: 'REJECTED',
          processingState: 'REJECTED',
          error: input.rejected.error,
          rawBody: input.rawBody,
          headers: input.headers,
          secretId: input.secretId,
          nonce: input.nonce?.value,
          receivedAt,
        },
        select: { id: true },
      })
      return {
        callbackEventId: event.id,
        verdict: 'REJECTED',
        state: 'REJECTED',
        stored: 0,
        duplicates: 0,
        unmatched: 0,
        skipped: 0,
      } as IngestResult
    }

    const { callback } = input
    const ignored = callback.kind === 'ignored'
    const event = await tx.callbackEvent.create({
      data: {
        requestId: input.requestId,
        kind: ignored ? callback.label : callback.kind,
        verdict: ignored ? 'IGNORED' : 'ACCEPTED',
        processingState: ignored ? 'IGNORED' : 'PROCESSED',
        rawBody: input.rawBody,
        headers: input.headers,
        secretId: input.secretId,
        nonce: input.nonce?.value,
        batchId: batchIdOf(callback),
        receivedAt,
      },
      select: { id: true },
    })

    const outcomes = await processOther(tx, callback, event.id, receivedAt)
    const stored = outcomes.filter((o) => o.inserted).length
    const duplicates = outcomes.length - stored
    const unmatched = outcomes.filter((o) => o.inserted && !o.matched).length
    const verdict: Verdict = ignored ? 'IGNORED' : stored === 0 && duplicates > 0 ? 'DUPLICATE' : 'ACCEPTED'
    const state: ProcessingState = ignored ? 'IGNORED' : unmatched > 0 ? 'UNMATCHED' : 'PROCESSED'
    const note = outcomes.map((o) => o.note).find(Boolean)
    if (
      verdict !== (ignored ? 'IGNORED' : 'ACCEPTED') ||
      state !== (ignored ? 'IGNORED' : 'PROCESSED') ||
      stored > 0 ||
      note
    ) {
      await tx.callbackEvent.update({
        where: { id: event.id },
        data: { verdict, processingState: state, reportsStored: stored, ...(note ? { error: note } : {}) },
      })
    }
    return { callbackEventId: event.id, verdict, state, stored, duplicates, unmatched, skipped: 0 }
  })
}

/**
 * Records that a callback could not be processed (after its transaction was
 * rolled back), so the callback log shows it. Best effort: the database may be
 * what failed.
 */
export async function recordFailedCallback(input: {
  rawBody: string
  headers: Record<string, string>
  requestId?: string
  secretId?: string
  kind: string
  error: string
}) {
  try {
    await db.callbackEvent.create({
      data: {
        requestId: input.requestId,
        kind: input.kind,
        verdict: 'REJECTED',
        processingState: 'FAILED',
        error: input.error,
        rawBody: input.rawBody,
        headers: input.headers,
        secretId: input.secretId,
      },
    })
  } catch (error) {
    logger.warn({ err: error }, 'could not record the failed callback either')
  }
}

let pruneCounter = 0
/** Expired nonces are useless (their timestamp is outside the window anyway). */
function maybePruneNonces() {
  pruneCounter = (pruneCounter + 1) % 200
  if (pruneCounter !== 1) return
  db.$executeRaw`DELETE FROM "WebhookNonce" WHERE nonce IN (
      SELECT nonce FROM "WebhookNonce" WHERE "expiresAt" < now() LIMIT 5000)`
    .then((n) => n > 0 && logger.debug({ pruned: n }, 'pruned expired webhook nonces'))
    .catch((error) => logger.warn({ err: error }, 'nonce pruning failed'))
}

export async function pruneExpiredNonces(): Promise<number> {
  return db.$executeRaw`DELETE FROM "WebhookNonce" WHERE "expiresAt" < now()`
}

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

export type ReprocessResult = {
  callbackEventId: number
  /** The event's processing state afterwards. */
  state: ProcessingState
  /** Reports stored now for the first time. */
  stored: number
  /** Reports that were already stored (and stay one row). */
  duplicates: number
  /** Stored reports that found their recipient only now. */
  attached: number
  /** Reports that still have no message. */
  unmatched: number
  /** Why it could not be re-processed, when it could not. */
  error: string | null
}

/** The callback log's words for reports skipped by the limit (delivery_ingest_batch writes the same). */
function unmatchedLimitNote(skipped: number, limit: number): string {
  return (
    `${skipped} reports for recipients we do not know were not stored: one callback stores at most ${limit} such ` +
    'reports (SINCH_CALLBACK_MAX_UNMATCHED_REPORTS). Re-process this callback once their message exists.'
  )
}

export const REPROCESSABLE_STATES: ProcessingState[] = ['UNMATCHED', 'FAILED']

/**
 * Gives a stored report that waits for its message (recipientId null) its
 * recipient, if it has one now, and advances that recipient. Same matching as
 * delivery_record_report; the caller holds the batch lock.
 */
async function attachStoredReport(tx: Tx, dedupeKey: string): Promise<boolean> {
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

/**
 * Processes a stored callback again from its raw body: one whose reports found
 * no message (UNMATCHED) or whose processing failed (FAILED). It goes through
 * the same recording path as when it arrived (same dedupe keys, same
 * forward-only advance), without a nonce: its signature was verified when it
 * was received. Idempotent: a report already stored stays one row; one that
 * waited for its message is attached to it. Events in any other state are
 * left as they are.
 */
export async function reprocessCallbackEvent(
  id: number,
  /** Runs inside the transaction that records the outcome (staff re-processing audits itself there). */
  onRecorded?: (tx: Tx, result: ReprocessResult) => Promise<unknown>
): Promise<ReprocessResult | null> {
  const event = await db.callbackEvent.findUnique({
    where: { id },
    select: { id: true, rawBody: true, receivedAt: true, processingState: true, verdict: true, reportsStored: true },
  })
  if (!event) return null
  const unchanged = (error: string | null = null): ReprocessResult => ({
    callbackEventId: id,
    state: event.processingState,
    stored: 0,
    duplicates: 0,
    attached: 0,
    unmatched: 0,
    error,
  })
  if (!REPROCESSABLE_STATES.includes(event.processingState)) return unchanged()

  const parsed = parseCallbackJson(event.rawBody)
  const classified = parsed.ok
    ? classifyCallback(parsed.json)
    : ({ ok: false, kind: 'invalid', error: parsed.error } as const)
  if (!classified.ok) {
    const error = `re-processing failed: the stored body is not a valid callback (${classified.error})`.slice(0, 2000)
    const result = { ...unchanged(error), state: event.processingState }
    await db.$transaction(async (tx) => {
      await tx.callbackEvent.updateMany({
        where: { id, processingState: { in: REPROCESSABLE_STATES } },
        data: { error },
      })
      await onRecorded?.(tx, result)
    })
    return result
  }
  const { callback } = classified
  if (callback.kind === 'ignored') {
    const result: ReprocessResult = { ...unchanged(), state: 'IGNORED' }
    await db.$transaction(async (tx) => {
      await tx.callbackEvent.updateMany({
        where: { id, processingState: { in: REPROCESSABLE_STATES } },
        data: { processingState: 'IGNORED', verdict: 'IGNORED', error: null },
      })
      await onRecorded?.(tx, result)
    })
    return result
  }

  const batchId = batchIdOf(callback)
  const rows = deliveryReportRows(callback, event.receivedAt)
  return db.$transaction(async (tx) => {
    // The batch lock first, as the callback path and recordBatchSubmitted
    // take it, and only then the event row: no lock-order deadlock.
    if (batchId) await lockBatch(tx, batchId)
    const [locked] = await tx.$queryRaw<{ processingState: ProcessingState }[]>`
      SELECT "processingState" FROM "CallbackEvent" WHERE id = ${id} FOR UPDATE`
    if (!locked || !REPROCESSABLE_STATES.includes(locked.processingState))
      return { ...unchanged(), state: locked?.processingState ?? event.processingState }

    let stored = 0
    let duplicates = 0
    let attached = 0
    let unmatched = 0
    let skipped = 0
    const maxUnmatched = config().callbacks.maxUnmatchedReports
    if (rows) {
      const keys = rows.map((r) => r.dedupeKey)
      const waitingOfThis = async () => {
        const [left] = await tx.$queryRaw<{ n: number }[]>`
          SELECT count(*)::int AS n FROM "SmsStatusUpdate" WHERE "dedupeKey" = ANY(${keys}::text[]) AND "recipientId" IS NULL`
        return left.n
      }
      // The limit counts this callback's reports still waiting from earlier passes.
      let waiting = await waitingOfThis()
      for (const row of rows) {
        const outcome = await recordReport(tx, { ...row, callbackEventId: id }, waiting < maxUnmatched)
        if (outcome.skipped) skipped++
        else if (outcome.inserted) {
          stored++
          if (!outcome.matched) waiting++
        } else if (await attachStoredReport(tx, row.dedupeKey)) attached++
        else duplicates++
      }
      unmatched = await waitingOfThis()
    } else {
      const outcomes = await processOther(tx, callback, id, event.receivedAt)
      stored = outcomes.filter((o) => o.inserted).length
      duplicates = outcomes.length - stored
      unmatched = outcomes.filter((o) => !o.matched).length
    }
    const state: ProcessingState = unmatched > 0 || skipped > 0 ? 'UNMATCHED' : 'PROCESSED'
    const verdict =
      event.processingState === 'FAILED'
        ? stored === 0 && attached === 0 && skipped === 0 && duplicates > 0
          ? 'DUPLICATE'
          : 'ACCEPTED'
        : event.verdict
    await tx.callbackEvent.update({
      where: { id },
      data: {
        processingState: state,
        verdict,
        // The clamped-time notes are worked out again from the same body and receipt time, so they stay.
        error:
          [rows ? notesOf(rows) : undefined, skipped > 0 ? unmatchedLimitNote(skipped, maxUnmatched) : undefined]
            .filter(Boolean)
            .join(' ') || null,
        reportsStored: event.reportsStored + stored,
        reportsNotStored: skipped,
        ...(batchId ? { batchId } : {}),
      },
    })
    const result: ReprocessResult = { callbackEventId: id, state, stored, duplicates, attached, unmatched, error: null }
    await onRecorded?.(tx, result)
    return result
  })
}
