/**
 * Every delivery status a recipient can have, as the web shows and filters
 * them: the desk's own Pending, Sinch's SMS statuses and the Conversation API
 * (WhatsApp) statuses, each with its channel, meaning, finality and outcome.
 * The web reads this through the `deliveryStatuses` query instead of keeping
 * its own lists (docs/sinch-protocol.md describes the statuses).
 */
import {
  CONVERSATION_STATUSES,
  DELIVERED_STATUSES,
  FAILURE_STATUSES,
  isFinalStatus,
  PENDING_STATUS,
  SMS_STATUSES,
  statusMeaning,
} from './deliveryStatus'

/** What a status says about the message, for colour and grouping. */
export type DeliveryOutcome = 'PENDING' | 'IN_FLIGHT' | 'DELIVERED' | 'FAILED' | 'UNDETERMINED'

export type DeliveryStatusInfo = {
  status: string
  /** How staff read it: SMS statuses as Sinch names them, the Conversation API's capitals in sentence case. */
  label: string
  /** Null for Pending, which is ours and applies to every channel. */
  channel: 'SMS' | 'WHATSAPP' | null
  meaning: string
  isFinal: boolean
  isFailure: boolean
  isDelivered: boolean
  outcome: DeliveryOutcome
}

/** Unknown is final and counts as a failure (it is resent), but nobody knows whether it arrived. */
const UNDETERMINED_STATUSES = new Set(['Unknown'])

function outcomeOf(status: string): DeliveryOutcome {
  if (status === PENDING_STATUS) return 'PENDING'
  if (DELIVERED_STATUSES.has(status)) return 'DELIVERED'
  if (UNDETERMINED_STATUSES.has(status)) return 'UNDETERMINED'
  if (FAILURE_STATUSES.has(status)) return 'FAILED'
  return 'IN_FLIGHT'
}

/** "QUEUED_ON_CHANNEL" → "Queued on channel"; "Delivered" stays as it is. */
export function statusLabel(status: string): string {
  if (status !== status.toUpperCase()) return status
  const words = status.toLowerCase().replace(/_/g, ' ')
  return words.charAt(0).toUpperCase() + words.slice(1)
}

function info(status: string, channel: DeliveryStatusInfo['channel']): DeliveryStatusInfo {
  return {
    status,
    label: statusLabel(status),
    channel,
    meaning: statusMeaning(status),
    isFinal: isFinalStatus(status),
    isFailure: FAILURE_STATUSES.has(status),
    isDelivered: DELIVERED_STATUSES.has(status),
    outcome: outcomeOf(status),
  }
}

/** Pending first, then SMS and WhatsApp, each in the order a message usually moves through them. */
const LIFECYCLE_ORDER: DeliveryOutcome[] = ['PENDING', 'IN_FLIGHT', 'DELIVERED', 'FAILED', 'UNDETERMINED']
const byLifecycle = (a: DeliveryStatusInfo, b: DeliveryStatusInfo) =>
  LIFECYCLE_ORDER.indexOf(a.outcome) - LIFECYCLE_ORDER.indexOf(b.outcome)

export const DELIVERY_STATUS_CATALOG: readonly DeliveryStatusInfo[] = [
  info(PENDING_STATUS, null),
  ...SMS_STATUSES.map((s) => info(s, 'SMS')).sort(byLifecycle),
  ...CONVERSATION_STATUSES.map((s) => info(s, 'WHATSAPP')).sort(byLifecycle),
]
