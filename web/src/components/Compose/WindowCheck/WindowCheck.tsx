import type { ConversationWindowsQuery, ConversationWindowsQueryVariables } from 'types/graphql'

import { useQuery, type TypedDocumentNode } from '@redwoodjs/web'

import { CHECK_RECIPIENTS } from 'src/components/Compose/RecipientCheck/RecipientCheck'
import { useDebouncedValue } from 'src/lib/useDebouncedValue'

export const CONVERSATION_WINDOWS: TypedDocumentNode<ConversationWindowsQuery, ConversationWindowsQueryVariables> = gql`
  query ConversationWindowsQuery($phoneNumbers: [String!]!) {
    conversationWindows(phoneNumbers: $phoneNumbers) {
      phoneNumber
      open
      lastInboundAt
      closesAt
    }
  }
`

export const CLOSED_REASON = 'no reply from this number in the last 24 hours: choose a template'

/**
 * WhatsApp free text: which of the typed numbers are inside their 24-hour
 * window. The send refuses the others (the server decides; this is a preview).
 */
const WindowCheck = ({ entries }: { entries: string }) => {
  const debounced = useDebouncedValue(entries)
  const { data: check } = useQuery(CHECK_RECIPIENTS, { variables: { entries: debounced }, skip: !debounced.trim() })
  const valid = check?.checkRecipients.valid ?? []
  const { data } = useQuery(CONVERSATION_WINDOWS, {
    variables: { phoneNumbers: valid },
    skip: valid.length === 0 || valid.length > 1000,
  })
  const windows = data?.conversationWindows
  if (!windows || windows.length === 0) return null
  const closed = windows.filter((w) => !w.open)
  return (
    <div className="text-xs" aria-live="polite" data-testid="window-check">
      <p className={closed.length ? 'text-amber-900' : 'text-emerald-800'}>
        {closed.length === 0
          ? `Every number replied on WhatsApp in the last 24 hours: free text reaches ${windows.length === 1 ? 'it' : 'them'}.`
          : `${closed.length} of ${windows.length} number${windows.length === 1 ? '' : 's'} outside the 24-hour window: free text will be refused; choose a template.`}
      </p>
      {closed.length > 0 && (
        <ul className="mt-1 list-inside list-disc text-amber-900">
          {closed.slice(0, 20).map((w) => (
            <li key={w.phoneNumber}>
              <span className="font-mono">{w.phoneNumber}</span>: {CLOSED_REASON}
            </li>
          ))}
        </ul>
      )}
    </div>
  )
}

export default WindowCheck
