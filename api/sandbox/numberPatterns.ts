/**
 * What the sandbox plays for a recipient, by the last digits of its number.
 * Every other number: Queued (400), Dispatched (401), Delivered (0).
 */
export type Step = { status: string; code: number }
export type Scenario = { endsWith: string; plays: string; steps: Step[]; order?: 'reversed'; repeat?: number }

const QUEUED = { status: 'Queued', code: 400 }
const DISPATCHED = { status: 'Dispatched', code: 401 }

export const NUMBER_PATTERNS: Scenario[] = [
  { endsWith: '402', plays: 'Aborted 402: unroutable', steps: [QUEUED, DISPATCHED, { status: 'Aborted', code: 402 }] },
  {
    endsWith: '404',
    plays: 'Failed 404: temporary failure',
    steps: [QUEUED, DISPATCHED, { status: 'Failed', code: 404 }],
  },
  {
    endsWith: '406',
    plays: 'Expired 406: expired before reaching the operator',
    steps: [QUEUED, { status: 'Expired', code: 406 }],
  },
  {
    endsWith: '408',
    plays: 'Rejected 408: rejected, a retry would fail the same way',
    steps: [QUEUED, DISPATCHED, { status: 'Rejected', code: 408 }],
  },
  {
    endsWith: '777',
    plays: 'never a final report (stays Dispatched: the operator sends no receipt)',
    steps: [QUEUED, DISPATCHED],
  },
  {
    endsWith: '555',
    plays: 'Delivered, but the reports arrive newest first',
    steps: [QUEUED, DISPATCHED, { status: 'Delivered', code: 0 }],
    order: 'reversed',
  },
  {
    endsWith: '333',
    plays: 'Delivered, every report sent twice',
    steps: [QUEUED, DISPATCHED, { status: 'Delivered', code: 0 }],
    repeat: 2,
  },
]

export const DEFAULT_SCENARIO: Scenario = {
  endsWith: '',
  plays: 'Delivered',
  steps: [QUEUED, DISPATCHED, { status: 'Delivered', code: 0 }],
}

export function scenarioFor(msisdn: string): Scenario {
  const digits = msisdn.replace(/\D/g, '')
  return NUMBER_PATTERNS.find((p) => digits.endsWith(p.endsWith)) ?? DEFAULT_SCENARIO
}

export function describeNumberPatterns(): string {
  return [...NUMBER_PATTERNS.map((p) => `  …${p.endsWith}  ${p.plays}`), '  other  Queued, Dispatched, Delivered'].join(
    '\n'
  )
}

/**
 * WhatsApp (Conversation API messages:send), by the last digits of a number.
 * Every number: QUEUED_ON_CHANNEL, DELIVERED, READ (docs/sinch-protocol.md#conversation-delivery-reports) — except
 * that free text (text_message) to a number outside its 24-hour window plays
 * QUEUED_ON_CHANNEL then FAILED with reason OUTSIDE_ALLOWED_SENDING_WINDOW
 * (the 24-hour window). The sandbox opens a number's window only with the inbound replies it
 * simulates itself (…441), like Sinch, which knows only what WhatsApp saw.
 */
export type ConversationStep = {
  status: string
  reason?: { code: string; description: string; sub_code: string }
  channel?: 'WHATSAPP' | 'SMS'
}
export type ConversationScenario = {
  endsWith: string
  plays: string
  /** Free text is refused as outside the window even after a simulated reply. */
  windowNeverOpens?: boolean
  /** A simulated inbound reply (text_message) this long after a template is delivered. */
  replyAfterTemplate?: string
  steps?: ConversationStep[]
  /** With channel_priority_order [WHATSAPP, SMS]: what the SMS fallback plays. */
  fallbackSteps?: ConversationStep[]
}

const reason = (code: string, description: string) => ({ code, description, sub_code: 'UNSPECIFIED_SUB_CODE' })
export const OUTSIDE_WINDOW_REASON = reason(
  'OUTSIDE_ALLOWED_SENDING_WINDOW',
  'The message was sent outside the 24 hours customer care window: only a template message may be sent'
)
const QUEUED_ON_CHANNEL = { status: 'QUEUED_ON_CHANNEL' }
export const WHATSAPP_DELIVERED_READ: ConversationStep[] = [
  QUEUED_ON_CHANNEL,
  { status: 'DELIVERED' },
  { status: 'READ' },
]
export const WHATSAPP_OUTSIDE_WINDOW: ConversationStep[] = [
  QUEUED_ON_CHANNEL,
  { status: 'FAILED', reason: OUTSIDE_WINDOW_REASON },
]

/** A send to a contact_id the sandbox does not know: accepted, then failed (Sinch's documented reason). */
export const CONTACT_NOT_FOUND: ConversationStep[] = [
  {
    status: 'FAILED',
    reason: {
      code: 'CONTACT_NOT_FOUND',
      description: 'The provided Contact ID did not exist',
      sub_code: 'UNSPECIFIED_SUB_CODE',
    },
  },
]

export const CONVERSATION_PATTERNS: ConversationScenario[] = [
  {
    endsWith: '440',
    plays:
      'free text always FAILED OUTSIDE_ALLOWED_SENDING_WINDOW (the window is never open at Sinch); templates Delivered and Read',
    windowNeverOpens: true,
  },
  {
    endsWith: '441',
    plays:
      'a template is Delivered and Read, then the contact replies "Yes, that works" (an inbound message), which opens the 24-hour window',
    replyAfterTemplate: 'Yes, that works',
  },
  {
    endsWith: '442',
    plays:
      'WhatsApp unreachable: SWITCHING_CHANNEL (RECIPIENT_NOT_REACHABLE), then the SMS fallback is Delivered; without fallback FAILED RECIPIENT_NOT_REACHABLE',
    steps: [
      { status: 'SWITCHING_CHANNEL', reason: reason('RECIPIENT_NOT_REACHABLE', 'The recipient is not on WhatsApp') },
    ],
    fallbackSteps: [
      { status: 'QUEUED_ON_CHANNEL', channel: 'SMS' },
      { status: 'DELIVERED', channel: 'SMS' },
    ],
  },
  {
    endsWith: '443',
    plays: 'Delivered, never Read (read receipts off)',
    steps: [QUEUED_ON_CHANNEL, { status: 'DELIVERED' }],
  },
]

export function conversationScenarioFor(identity: string): ConversationScenario | undefined {
  const digits = identity.replace(/\D/g, '')
  return CONVERSATION_PATTERNS.find((p) => digits.endsWith(p.endsWith))
}

export function describeConversationPatterns(): string {
  return [
    ...CONVERSATION_PATTERNS.map((p) => `  …${p.endsWith}  ${p.plays}`),
    '  other  QUEUED_ON_CHANNEL, DELIVERED, READ; free text outside the window FAILED OUTSIDE_ALLOWED_SENDING_WINDOW',
  ].join('\n')
}
