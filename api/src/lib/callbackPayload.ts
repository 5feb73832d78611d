/**
 * Parses and classifies a callback body (after its signature was verified).
 * SMS callbacks carry `type`; Conversation callbacks have no `type` and are
 * told apart by their top-level key (docs/sinch-protocol.md#sms-callbacks, #conversation-inbound-messages-and-triggers).
 *
 * What Sinch's published models mark optional or unbounded is accepted
 * (docs/sinch-protocol.md#what-sinchs-models-allow): the bounds here are on
 * what we store (storedText), not on what Sinch may send.
 *
 *   - known kind, right shape  → { ok: true, callback }
 *   - known kind, wrong shape  → { ok: false } → 400, never retried
 *   - unknown kind             → { ok: true, callback: { kind: 'ignored' } } → 200
 */
import { z } from 'zod/v4'

import { exceedsJsonDepth } from 'src/lib/jsonDepth'
import { internationalE164 } from 'src/lib/phone'

const isoDate = z
  .string()
  .refine((v) => !Number.isNaN(Date.parse(v)), 'must be an ISO-8601 date-time')
  .transform((v) => new Date(v))
  // A year Postgres cannot store would fail the insert with a 500 that Sinch
  // retries for ever; refuse it here as the malformed payload it is (400).
  .refine(
    (d) => d.getUTCFullYear() >= 1970 && d.getUTCFullYear() <= 9999,
    'must be a date between the years 1970 and 9999'
  )

/**
 * Longest client reference we store. Sinch's models set no maximum; a longer
 * one is accepted and stored cut, with a marker that says so (the raw body in
 * the callback log keeps it whole, within the body size limit).
 */
export const MAX_STORED_CLIENT_REFERENCE = 2048

/** Cuts a text to `max` characters for storage, ending with a marker naming the original length. */
export function storedText(value: string, max: number): string {
  if (value.length <= max) return value
  const marker = `…[cut: ${value.length} characters]`
  return value.slice(0, max - marker.length) + marker
}

const clientReference = z.string().transform((v) => storedText(v, MAX_STORED_CLIENT_REFERENCE))

// Any format internationalE164 reads (46701234567, +46…, 0046…, tel:…);
// the services store it through that same function.
const msisdn = z
  .string()
  .trim()
  .max(40)
  .refine((v) => /^\+\d{3,20}$/.test(internationalE164(v) ?? ''), 'must be a phone number (digits, optional + or 00)')

export const recipientReportSchema = z
  .object({
    type: z.enum(['recipient_delivery_report_sms', 'recipient_delivery_report_mms']),
    batch_id: z.string().min(1).max(100),
    recipient: msisdn,
    code: z.number().int(),
    status: z.string().min(1).max(40),
    at: isoDate,
    operator_status_at: isoDate.optional(),
    client_reference: clientReference.optional(),
  })
  .passthrough()

export const batchReportSchema = z
  .object({
    type: z.enum(['delivery_report_sms', 'delivery_report_mms']),
    batch_id: z.string().min(1).max(100),
    client_reference: clientReference.optional(),
    total_message_count: z.number().int().nonnegative().optional(),
    statuses: z
      .array(
        z
          .object({
            code: z.number().int(),
            status: z.string().min(1).max(40),
            count: z.number().int().nonnegative(),
            recipients: z.array(msisdn).optional(),
          })
          .passthrough()
      )
      .max(1000),
  })
  .passthrough()

export const moTextSchema = z
  .object({
    type: z.literal('mo_text'),
    id: z.string().min(1).max(200),
    from: msisdn,
    to: z.string().min(1).max(40),
    body: z.string().max(10_000),
    received_at: isoDate,
    sent_at: isoDate.optional(),
    operator_id: z.string().optional(),
    client_reference: clientReference.optional(),
  })
  .passthrough()

/** An inbound MMS (docs/sinch-protocol.md#media): text, subject and files, each a URL Sinch hosts for a while. */
export const moMediaSchema = z
  .object({
    type: z.literal('mo_media'),
    id: z.string().min(1).max(200),
    from: msisdn,
    to: z.string().min(1).max(40),
    body: z
      .object({
        subject: z.string().max(10_000).optional(),
        message: z.string().max(10_000).optional(),
        media: z
          .array(z.object({ url: z.string().max(2048), code: z.number().int().optional() }).passthrough())
          .max(100)
          .optional(),
      })
      .passthrough(),
    received_at: isoDate,
    sent_at: isoDate.optional(),
    operator_id: z.string().optional(),
    client_reference: clientReference.optional(),
  })
  .passthrough()

const channelIdentity = z.object({ channel: z.string().min(1), identity: z.string().min(1).max(100) }).passthrough()

export const conversationDeliverySchema = z
  .object({
    app_id: z.string(),
    // Optional in Sinch's model: without it the report is recorded at our receipt time, and says so.
    event_time: isoDate.optional(),
    accepted_time: isoDate.optional(),
    message_metadata: z.string().optional(),
    correlation_id: z.string().optional(),
    message_delivery_report: z
      .object({
        message_id: z.string().min(1).max(200),
        status: z.string().min(1).max(40),
        channel_identity: channelIdentity.optional(),
        reason: z
          .object({
            code: z.string().optional(),
            description: z.string().optional(),
            sub_code: z.string().optional(),
          })
          .passthrough()
          .optional(),
        metadata: z.string().optional(),
      })
      .passthrough(),
  })
  .passthrough()

export const conversationInboundSchema = z
  .object({
    app_id: z.string(),
    event_time: isoDate.optional(),
    accepted_time: isoDate.optional(),
    message: z
      .object({
        id: z.string().min(1).max(200),
        contact_message: z.record(z.string(), z.unknown()),
        channel_identity: channelIdentity.optional(),
        contact_id: z.string().max(200).optional(),
        accept_time: isoDate.optional(),
        sender_id: z.string().optional(),
        metadata: z.string().optional(),
      })
      .passthrough(),
  })
  .passthrough()

export type RecipientReport = z.infer<typeof recipientReportSchema>
export type BatchReport = z.infer<typeof batchReportSchema>
export type MoText = z.infer<typeof moTextSchema>
export type MoMedia = z.infer<typeof moMediaSchema>
export type ConversationDelivery = z.infer<typeof conversationDeliverySchema>
export type ConversationInbound = z.infer<typeof conversationInboundSchema>

export type SinchCallback =
  | { kind: RecipientReport['type']; payload: RecipientReport }
  | { kind: BatchReport['type']; payload: BatchReport }
  | { kind: 'mo_text'; payload: MoText }
  | { kind: 'mo_media'; payload: MoMedia }
  | { kind: 'message_delivery_report'; payload: ConversationDelivery }
  | { kind: 'message'; payload: ConversationInbound }
  | { kind: 'ignored'; label: string }

export type ClassifyResult = { ok: true; callback: SinchCallback } | { ok: false; kind: string; error: string }

/**
 * Conversation triggers we know of but do not act on, by their top-level key
 * (docs/sinch-protocol.md#conversation-inbound-messages-and-triggers).
 * CONTACT_IDENTITIES_DUPLICATION's key is duplicated_contact_identities_notification;
 * duplicated_identities is the list inside it.
 */
const OTHER_CONVERSATION_KEYS = [
  'event',
  'event_delivery_report',
  'message_submit_notification',
  'conversation_start_notification',
  'conversation_stop_notification',
  'conversation_delete_notification',
  'contact_create_notification',
  'contact_delete_notification',
  'contact_merge_notification',
  'contact_update_notification',
  'duplicated_contact_identities_notification',
  'capability_notification',
  'opt_in_notification',
  'opt_out_notification',
  'channel_event_notification',
  'unsupported_callback',
  'smart_conversation_notification',
  'message_redaction',
  'record_notification',
]

function describe(error: z.ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((i) => `${i.path.join('.') || '(body)'}: ${i.message}`)
    .join('; ')
}

function check<K extends string, S extends z.ZodType>(kind: K, schema: S, json: unknown) {
  const parsed = schema.safeParse(json)
  return parsed.success
    ? ({ ok: true, callback: { kind, payload: parsed.data } } as const)
    : ({ ok: false, kind, error: describe(parsed.error) } as const)
}

/**
 * The deepest nesting a callback may have. Sinch's deepest documented payload
 * (a Conversation inbound message with a card or carousel) nests under 10
 * levels; anything deeper than this is refused before it is parsed
 * (src/lib/jsonDepth.ts says why).
 */
export const MAX_CALLBACK_JSON_DEPTH = 64

export function parseCallbackJson(rawBody: string): { ok: true; json: unknown } | { ok: false; error: string } {
  if (exceedsJsonDepth(rawBody, MAX_CALLBACK_JSON_DEPTH) !== null) {
    return { ok: false, error: `JSON nested deeper than ${MAX_CALLBACK_JSON_DEPTH} levels` }
  }
  try {
    return { ok: true, json: JSON.parse(rawBody) }
  } catch (e) {
    return { ok: false, error: `malformed JSON: ${(e as Error).message}` }
  }
}

export function classifyCallback(json: unknown): ClassifyResult {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    return { ok: false, kind: 'invalid', error: 'the body must be a JSON object' }
  }
  const body = json as Record<string, unknown>

  if ('type' in body) {
    const type = body.type
    if (typeof type !== 'string') return { ok: false, kind: 'invalid', error: 'type: must be a string' }
    switch (type) {
      case 'recipient_delivery_report_sms':
      case 'recipient_delivery_report_mms':
        return check(type, recipientReportSchema, json) as ClassifyResult
      case 'delivery_report_sms':
      case 'delivery_report_mms':
        return check(type, batchReportSchema, json) as ClassifyResult
      case 'mo_text':
        return check('mo_text', moTextSchema, json) as ClassifyResult
      case 'mo_media':
        return check('mo_media', moMediaSchema, json) as ClassifyResult
      default:
        // mo_binary, or a type Sinch adds later: stored, not acted on.
        return { ok: true, callback: { kind: 'ignored', label: type.slice(0, 60) } }
    }
  }

  if ('message_delivery_report' in body) {
    return check('message_delivery_report', conversationDeliverySchema, json) as ClassifyResult
  }
  if ('message' in body && 'app_id' in body) {
    return check('message', conversationInboundSchema, json) as ClassifyResult
  }
  const otherKey = OTHER_CONVERSATION_KEYS.find((k) => k in body)
  if (otherKey) return { ok: true, callback: { kind: 'ignored', label: otherKey } }
  if ('app_id' in body) return { ok: true, callback: { kind: 'ignored', label: 'conversation (unknown trigger)' } }

  return {
    ok: false,
    kind: 'invalid',
    error: 'not a Sinch callback: no "type" (SMS) and no known Conversation trigger key',
  }
}
