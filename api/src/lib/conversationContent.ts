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

/** A file a message carries, as Sinch describes it (docs/sinch-protocol.md#media). */
export type DeclaredMedia = {
  url: string
  mimeType?: string
  fileName?: string
  caption?: string
  /** Why it will not be fetched (kept, so the thread says so). */
  problem?: string
}

/** The longest media URL we store; Sinch's are far shorter. */
export const MAX_MEDIA_URL_LENGTH = 2048

const str = (v: unknown, max = 500): string | undefined =>
  typeof v === 'string' && v.trim() ? v.trim().slice(0, max) : undefined

function declaredMedia(m: unknown): DeclaredMedia | null {
  if (typeof m !== 'object' || m === null) return null
  const o = m as Record<string, unknown>
  const url = str(o.url, MAX_MEDIA_URL_LENGTH + 1)
  if (!url) return null
  return {
    url: url.slice(0, MAX_MEDIA_URL_LENGTH),
    ...(url.length > MAX_MEDIA_URL_LENGTH
      ? { problem: `the link is longer than ${MAX_MEDIA_URL_LENGTH.toLocaleString('en')} characters: not fetched` }
      : {}),
    mimeType: str(o.mime_type, 200) ?? str(o.content_type, 200),
    fileName: str(o.filename_override, 255) ?? str(o.file_name, 255) ?? str(o.filename, 255),
    caption: str(o.caption, 4096),
  }
}

/**
 * The files of a Conversation inbound message: a media_message (one file) or
 * a media_card_message (one file with a caption). Other content carries none.
 */
export function mediaOfContactMessage(contactMessage: Record<string, unknown>): DeclaredMedia[] {
  const m = declaredMedia(contactMessage.media_message) ?? declaredMedia(contactMessage.media_card_message)
  return m ? [m] : []
}

/** The files of an inbound MMS (`mo_media`: body.media[], each with url and, when Sinch says, content_type). */
export function mediaOfMoMedia(body: { media?: unknown[] } | undefined, maxFiles: number): DeclaredMedia[] {
  return (body?.media ?? [])
    .map(declaredMedia)
    .filter((m): m is DeclaredMedia => m !== null)
    .slice(0, maxFiles)
}

/** What the thread shows for a non-text reply, read from its stored JSON body. */
export type ContentView =
  | { kind: 'location'; latitude: number; longitude: number; title?: string; label?: string }
  | { kind: 'choice'; chosen: string; answersMessageId?: string }
  | { kind: 'contact'; name: string; phoneNumbers: string[]; emailAddresses: string[] }
  | { kind: 'media'; caption?: string }
  | { kind: 'other' }

export function contentView(contentType: string, body: string | null): ContentView {
  let o: Record<string, unknown> = {}
  try {
    const parsed = body ? JSON.parse(body) : null
    if (typeof parsed === 'object' && parsed !== null) o = parsed as Record<string, unknown>
  } catch {
    return { kind: 'other' }
  }
  switch (contentType) {
    case 'location': {
      const c = (o.coordinates ?? {}) as Record<string, unknown>
      const latitude = Number(c.latitude)
      const longitude = Number(c.longitude)
      if (
        !Number.isFinite(latitude) ||
        !Number.isFinite(longitude) ||
        Math.abs(latitude) > 90 ||
        Math.abs(longitude) > 180
      )
        return { kind: 'other' }
      return { kind: 'location', latitude, longitude, title: str(o.title), label: str(o.label) }
    }
    case 'choice_response':
      return {
        kind: 'choice',
        chosen: str(o.postback_data, 1000) ?? '(no option named)',
        answersMessageId: str(o.message_id, 200),
      }
    case 'contact_info': {
      const n = (o.name ?? {}) as Record<string, unknown>
      const name = str(n.full_name) ?? ([str(n.first_name), str(n.last_name)].filter(Boolean).join(' ') || '(no name)')
      const list = (v: unknown, key: string) =>
        (Array.isArray(v) ? v : [])
          .map((x) => str((x as Record<string, unknown>)?.[key], 100))
          .filter((x): x is string => !!x)
          .slice(0, 20)
      return {
        kind: 'contact',
        name,
        phoneNumbers: list(o.phone_numbers, 'phone_number'),
        emailAddresses: list(o.email_addresses, 'email_address'),
      }
    }
    case 'media':
    case 'media_card':
      return { kind: 'media', caption: str(o.caption, 4096) }
    default:
      return { kind: 'other' }
  }
}
