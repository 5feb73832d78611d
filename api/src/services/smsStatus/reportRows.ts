/**
 * What a callback's payload becomes before it is stored: report rows (the
 * shape delivery_record_report and delivery_ingest_batch take) and inbound
 * message rows, with Sinch's times bounded by our receipt time.
 */
import {
  type BatchReport,
  type ConversationDelivery,
  type ConversationInbound,
  type MoMedia,
  type MoText,
  type RecipientReport,
  type SinchCallback,
} from 'src/lib/callbackPayload'
import { config } from 'src/lib/config'
import {
  contactMessageContent,
  type DeclaredMedia,
  mediaOfContactMessage,
  mediaOfMoMedia,
} from 'src/lib/conversationContent'
import { e164FromSinch, internationalE164 } from 'src/lib/phone'
import { boundEventTime, clampedTimeNote } from 'src/lib/reportTime'

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
export function batchReportRows(p: BatchReport, receivedAt: Date): ReportRow[] {
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

/**
 * A Conversation delivery report. Sinch's model makes event_time and
 * channel_identity optional: without an event time the report is recorded at
 * our receipt time, marked RECEIVED (the timeline says so), and without an
 * identity the recipient is still found by message_id
 * (docs/sinch-protocol.md#what-sinchs-models-allow).
 */
export function conversationReportRow(p: ConversationDelivery, receivedAt: Date): ReportRow {
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

export function moTextRow(p: MoText, callbackEventId: number, receivedAt: Date) {
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
    media: [] as DeclaredMedia[],
  }
}

/** The most files one inbound MMS makes us fetch and keep (each within MEDIA_MAX_BYTES). */
export const MAX_MEDIA_PER_MESSAGE = 10

/** An inbound MMS: its text (subject and message) as the body, its files to be fetched. */
export function moMediaRow(p: MoMedia, callbackEventId: number, receivedAt: Date) {
  const notes: string[] = []
  const text = [p.body.subject, p.body.message].filter((t) => t && t.trim()).join('\n')
  return {
    channel: 'SMS' as const,
    externalId: `sms:${p.id}`,
    fromNumber: toE164(p.from),
    toNumber: p.to,
    body: text,
    contentType: 'media',
    receivedAt: boundedTime('received_at', p.received_at, receivedAt, notes).at,
    clientReference: p.client_reference,
    rawPayload: p,
    callbackEventId,
    notes,
    media: mediaOfMoMedia(p.body, MAX_MEDIA_PER_MESSAGE),
  }
}

export function conversationInboundRow(p: ConversationInbound, callbackEventId: number, receivedAt: Date) {
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
    media: mediaOfContactMessage(m.contact_message),
  }
}

export function batchIdOf(callback: SinchCallback): string | null {
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
export function deliveryReportRows(callback: SinchCallback, receivedAt: Date): ReportRow[] | null {
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

/** The callback log's note for a callback's reports (a clamped time), or undefined. */
export function notesOf(rows: ReportRow[]): string | undefined {
  const notes = [...new Set(rows.flatMap((r) => r.notes ?? []))]
  return notes.length > 0 ? notes.join(' ').slice(0, 2000) : undefined
}
