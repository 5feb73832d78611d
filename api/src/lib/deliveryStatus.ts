/**
 * What a status or code means, and how statuses order.
 *
 * A recipient's latest status only moves forward: a report replaces it when
 * its rank is higher, or equal with a later event time. Finals (rank 3) are
 * never replaced by intermediates; between two finals the later event wins.
 * Sources: docs/sinch-protocol.md#sms-statuses, #sms-codes and #conversation-delivery-reports.
 */

export const SMS_STATUSES = [
  'Queued',
  'Dispatched',
  'Aborted',
  'Cancelled',
  'Rejected',
  'Deleted',
  'Delivered',
  'Failed',
  'Expired',
  'Unknown',
] as const

export const SMS_FINAL_STATUSES = new Set([
  'Aborted',
  'Cancelled',
  'Rejected',
  'Deleted',
  'Delivered',
  'Failed',
  'Expired',
  'Unknown',
])

/** Conversation API (WhatsApp) delivery statuses. */
export const CONVERSATION_STATUSES = ['QUEUED_ON_CHANNEL', 'DELIVERED', 'READ', 'FAILED', 'SWITCHING_CHANNEL'] as const

/** Statuses that count as a failed delivery (for the UI and resends). */
export const FAILURE_STATUSES = new Set([
  'Aborted',
  'Cancelled',
  'Rejected',
  'Deleted',
  'Failed',
  'Expired',
  'Unknown',
  'FAILED',
])

export const PENDING_STATUS = 'Pending'

/** Statuses that mean the message reached the recipient (SQL filters use this list). */
export const DELIVERED_STATUSES = new Set(['Delivered', 'DELIVERED', 'READ'])

/** The rank of a final status: nothing replaces it but a later final. */
export const FINAL_RANK = 3

const RANKS: Record<string, number> = {
  Pending: 0,
  Queued: 1,
  Dispatched: 2,
  QUEUED_ON_CHANNEL: 1,
  SWITCHING_CHANNEL: 1,
  // DELIVERED is final unless the channel later reports READ.
  DELIVERED: 2,
  READ: 3,
  FAILED: 3,
}

/**
 * The rank of a status, or null for a status Sinch does not document (e.g.
 * "INVALID"): such a report is kept in the recipient's history but never
 * becomes the latest status, so a typo or a status added later can neither
 * end a recipient nor hide its real final status (README, "How a report moves
 * a recipient").
 */
export function statusRank(status: string): number | null {
  if (status in RANKS) return RANKS[status]
  return SMS_FINAL_STATUSES.has(status) ? FINAL_RANK : null
}

export function isDocumentedStatus(status: string): boolean {
  return statusRank(status) !== null
}

export function isFinalStatus(status: string): boolean {
  return statusRank(status) === FINAL_RANK
}

export function isDeliveredStatus(status: string): boolean {
  return DELIVERED_STATUSES.has(status)
}

export const STATUS_MEANINGS: Record<string, string> = {
  Pending: 'Saved here; no report from Sinch yet',
  Queued: 'Waiting in Sinch’s queue; sent at the account’s rate',
  Dispatched: 'Handed to the operator (SMSC) and accepted for delivery',
  Aborted: 'Stopped before it reached the operator',
  Cancelled: 'Cancelled before it reached the operator',
  Rejected: 'The operator rejected it',
  Deleted: 'The operator deleted it',
  Delivered: 'Delivered to the handset',
  Failed: 'Delivery failed',
  Expired: 'Expired before it could be delivered',
  Unknown: 'Reached the operator, but no usable delivery receipt came back',
  QUEUED_ON_CHANNEL: 'Handed to the channel (e.g. WhatsApp)',
  DELIVERED: 'The channel reports it reached the user',
  READ: 'Seen by the user',
  FAILED: 'Failed, and no channel is left to try',
  SWITCHING_CHANNEL: 'Failed on this channel; falling back to the next one',
}

/** Sinch SMS delivery-report codes (docs/sinch-protocol.md#sms-codes): name and plain meaning. */
export const SMS_CODE_MEANINGS: Record<number, { name: string; meaning: string }> = {
  0: { name: 'OK', meaning: 'Delivered: no error' },
  400: { name: 'Queued', meaning: 'Queued inside Sinch' },
  401: { name: 'Dispatched', meaning: 'Sent to the operator (SMSC)' },
  402: {
    name: 'Message unroutable',
    meaning: 'Unroutable: the operator refused it; retrying will probably fail the same way',
  },
  403: { name: 'Internal error', meaning: 'Unexpected error inside Sinch' },
  404: { name: 'Temporary delivery failure', meaning: 'Temporary failure; a retry may succeed' },
  405: { name: 'Unmatched parameter', meaning: 'A ${parameter} in the body has no value for this recipient' },
  406: { name: 'Internal expiry', meaning: 'Expired inside Sinch before reaching the operator' },
  407: { name: 'Cancelled', meaning: 'Cancelled by the sender before reaching the operator' },
  408: { name: 'Internal reject', meaning: 'Rejected inside Sinch; retrying will probably fail the same way' },
  410: {
    name: 'Unmatched default originator',
    meaning: 'No sender given and no default originator fits this recipient',
  },
  411: {
    name: 'Exceeded parts limit',
    meaning: 'The message needs more parts than max_number_of_message_parts allows',
  },
  412: { name: 'Unprovisioned region', meaning: 'The account is not provisioned for this destination' },
  413: { name: 'Blocked', meaning: 'The account is blocked, possibly out of credit' },
  414: { name: 'Bad media', meaning: 'MMS: the media URL was unreachable or returned a bad response' },
  415: { name: 'Delivery report rejected', meaning: 'MMS: the gateway or network rejected it' },
  416: { name: 'Delivery report not supported', meaning: 'MMS: the operator’s MMSC does not support it' },
  417: { name: 'Delivery report unreachable', meaning: 'MMS: the network or subscriber cannot be reached' },
  418: { name: 'Delivery report unrecognized', meaning: 'MMS: the handset did not recognise the content' },
}

/**
 * SMS failure codes a resend of the same message from the same account fails
 * on again: the number is unroutable (402), Sinch rejects it (408), no
 * originator fits it (410), it needs more parts than allowed (411), the
 * account does not reach that region (412), or a body parameter has no value
 * (405). "Resend to failed" counts them and lets staff leave them out.
 */
export const RESEND_FUTILE_SMS_CODES: ReadonlySet<number> = new Set([402, 405, 408, 410, 411, 412])

/** Conversation API failure reasons (docs/sinch-protocol.md#conversation-delivery-reports), in plain words. */
export const CONVERSATION_REASON_MEANINGS: Record<string, string> = {
  RATE_LIMITED: 'Sent too fast for the channel',
  RECIPIENT_INVALID_CHANNEL_IDENTITY: 'The number is not valid on this channel',
  RECIPIENT_NOT_REACHABLE: 'The recipient cannot be reached on this channel',
  RECIPIENT_NOT_OPTED_IN: 'The recipient has not opted in',
  OUTSIDE_ALLOWED_SENDING_WINDOW: 'Outside the 24-hour window: only a template may be sent',
  CHANNEL_FAILURE: 'The channel failed to deliver it',
  CHANNEL_BAD_CONFIGURATION: 'The channel is misconfigured in the Sinch app',
  CHANNEL_CONFIGURATION_MISSING: 'The channel is not configured in the Sinch app',
  MEDIA_TYPE_UNSUPPORTED: 'The channel does not support this media type',
  MEDIA_TOO_LARGE: 'The media is too large for the channel',
  MEDIA_NOT_REACHABLE: 'The media URL could not be fetched',
  NO_CHANNELS_LEFT: 'Every channel in the priority order failed',
  TEMPLATE_NOT_FOUND: 'The template does not exist',
  TEMPLATE_INSUFFICIENT_PARAMETERS: 'The template needs more parameters',
  TEMPLATE_NON_EXISTING_LANGUAGE_OR_VERSION: 'The template has no such language or version',
  DELIVERY_TIMED_OUT: 'The channel did not confirm delivery in time',
  DELIVERY_REJECTED_DUE_TO_POLICY: 'Rejected by the channel’s policy',
  CONTACT_NOT_FOUND: 'No such contact',
  BAD_REQUEST: 'Sinch rejected the request as malformed',
  UNKNOWN_APP: 'The Conversation app id is unknown',
  NO_CHANNEL_IDENTITY_FOR_CONTACT: 'The contact has no identity on this channel',
  CHANNEL_REJECT: 'The channel rejected it',
  UNKNOWN: 'Unknown error',
  INTERNAL_ERROR: 'Internal error at Sinch',
}

export function statusMeaning(status: string): string {
  return STATUS_MEANINGS[status] ?? `Status "${status}" is not documented by Sinch`
}

export function codeMeaning(code: number | null | undefined): string | null {
  if (code === null || code === undefined) return null
  const known = SMS_CODE_MEANINGS[code]
  if (known) return `${code} ${known.name}: ${known.meaning}`
  return `${code}: not in Sinch’s table (an operator or SMPP code)`
}
