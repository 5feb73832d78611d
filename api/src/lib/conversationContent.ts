/**
 * What a Conversation API inbound message (`message.contact_message`) says.
 *
 * Sinch's model has exactly one content key (text_message, media_message, …)
 * and, beside it, optional context such as `reply_to` (the message being
 * answered). JSON key order means nothing, so the content is picked by name,
 * never as "the first key" (docs/sinch-protocol.md#conversation-inbound-messages-and-triggers).
 */

/** The content keys of Sinch's ContactMessage model, in the order we look for them. */
export const CONTACT_MESSAGE_CONTENT_KEYS = [
  'text_message',
  'media_message',
  'location_message',
  'choice_response_message',
  'media_card_message',
  'fallback_message',
  'product_response_message',
  'contact_info_message',
  'channel_specific_message',
] as const

/** Keys that describe the content rather than being it. */
export const CONTACT_MESSAGE_CONTEXT_KEYS = ['reply_to'] as const

export type ContactMessageContent = {
  /** The content key without `_message` (`text`, `media`, …), or `unknown` when none we know is present. */
  contentType: string
  /** The text of a text message; other content as JSON. */
  body: string
  /** The message this one answers, when Sinch says so. */
  replyToMessageId?: string
}

export function contactMessageContent(contactMessage: Record<string, unknown>): ContactMessageContent {
  const replyTo = contactMessage.reply_to as { message_id?: unknown } | undefined
  const replyToMessageId = typeof replyTo?.message_id === 'string' ? replyTo.message_id : undefined
  const known = CONTACT_MESSAGE_CONTENT_KEYS.find((k) => contactMessage[k] !== undefined && contactMessage[k] !== null)
  // A content kind Sinch adds later: the first key that is not context.
  const key =
    known ?? Object.keys(contactMessage).find((k) => !(CONTACT_MESSAGE_CONTEXT_KEYS as readonly string[]).includes(k))
  if (!key) return { contentType: 'unknown', body: 'null', replyToMessageId }
  const content = contactMessage[key]
  const body =
    key === 'text_message' ? String((content as { text?: unknown })?.text ?? '') : JSON.stringify(content ?? null)
  return { contentType: key.replace(/_message$/, ''), body, replyToMessageId }
}
