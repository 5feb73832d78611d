import MediaAttachment, { type ThreadMediaView } from 'src/components/Media/MediaAttachment/MediaAttachment'

/**
 * What a message says, whatever its kind: text, files, a location, a chosen
 * option or a contact card. Used by the conversation thread and anything else
 * that lists messages (the inbox), so every kind reads the same everywhere.
 */
export type MessageContentView = {
  body?: string | null
  contentType?: string | null
  media?: ThreadMediaView[] | null
  location?: {
    latitude: number
    longitude: number
    title?: string | null
    label?: string | null
    mapUrl: string
  } | null
  choice?: { chosen: string; answersMessageId?: string | null } | null
  contactCard?: { name: string; phoneNumbers: string[]; emailAddresses: string[] } | null
}

export const LocationContent = ({ location: l }: { location: NonNullable<MessageContentView['location']> }) => (
  <p data-testid="location" className="text-sm">
    Location: {l.title || 'shared location'}
    {l.label ? ` (${l.label})` : ''}: {l.latitude.toFixed(5)}, {l.longitude.toFixed(5)} ·{' '}
    <a href={l.mapUrl} target="_blank" rel="noreferrer" className="text-indigo-700 underline">
      open map
    </a>
  </p>
)

export const ChoiceContent = ({ choice }: { choice: NonNullable<MessageContentView['choice']> }) => (
  <p data-testid="choice" className="text-sm">
    Chose: <strong>{choice.chosen}</strong>
  </p>
)

export const ContactCardContent = ({ card }: { card: NonNullable<MessageContentView['contactCard']> }) => (
  <div data-testid="contact-card" className="text-sm">
    Contact card: <strong>{card.name}</strong>
    {card.phoneNumbers.length > 0 && <span className="font-mono"> · {card.phoneNumbers.join(', ')}</span>}
    {card.emailAddresses.length > 0 && <span> · {card.emailAddresses.join(', ')}</span>}
  </div>
)

const MessageContent = ({ message: m }: { message: MessageContentView }) => {
  const media = m.media ?? []
  const structured = media.length > 0 || m.location || m.choice || m.contactCard
  return (
    <div className="mt-1 space-y-1">
      {media.map((file) => (
        <MediaAttachment key={file.key} media={file} />
      ))}
      {m.location && <LocationContent location={m.location} />}
      {m.choice && <ChoiceContent choice={m.choice} />}
      {m.contactCard && <ContactCardContent card={m.contactCard} />}
      {m.body ? (
        <p className="whitespace-pre-wrap break-words">{m.body}</p>
      ) : (
        !structured && <p className="text-slate-600">({m.contentType ?? 'no content'})</p>
      )}
    </div>
  )
}

export default MessageContent
