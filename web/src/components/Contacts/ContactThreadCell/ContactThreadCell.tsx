import { useEffect, useRef } from 'react'

import type { ContactThreadQuery, ContactThreadQueryVariables } from 'types/graphql'

import type { CellFailureProps, CellSuccessProps, TypedDocumentNode } from '@redwoodjs/web'
import { useMutation } from '@redwoodjs/web'

import ReplyBox from 'src/components/Contacts/ReplyBox/ReplyBox'
import ThreadEntry from 'src/components/Contacts/ThreadEntry/ThreadEntry'
import { when } from 'src/components/Contacts/ThreadEntry/threadEntryTypes'
import SendFileForm from 'src/components/Media/SendFileForm/SendFileForm'
import { useCan } from 'src/lib/permissions'

export const QUERY: TypedDocumentNode<ContactThreadQuery, ContactThreadQueryVariables> = gql`
  query ContactThreadQuery($phoneNumber: String!) {
    contactThread(phoneNumber: $phoneNumber) {
      phoneNumber
      window {
        phoneNumber
        open
        lastInboundAt
        closesAt
      }
      latestInboundId
      optOut {
        since
        reason
        note
      }
      entries {
        id
        direction
        channel
        at
        body
        contentType
        media {
          key
          kind
          state
          mimeType
          declaredMimeType
          fileName
          sizeBytes
          failureReason
          attempts
        }
        location {
          latitude
          longitude
          title
          label
          mapUrl
        }
        choice {
          chosen
          answersMessageId
        }
        contactCard {
          name
          phoneNumbers
          emailAddresses
        }
        messageId
        templateName
        status
        statusMeaning
        reasonCode
        reasonMeaning
        timeline {
          id
          status
          at
          atIsReceiptTime
          channel
          reasonCode
          reasonMeaning
        }
      }
    }
  }
`

/** The channel the reply box starts on ('' for the channel of the latest reply). */
type ThreadProps = { channel: string }

export const beforeQuery = ({ phoneNumber }: ContactThreadQueryVariables & ThreadProps) => ({
  variables: { phoneNumber },
  fetchPolicy: 'cache-and-network' as const,
})

const MARK_READ = gql`
  mutation MarkConversationReadMutation($phoneNumber: String!, $upToInboundId: Int!) {
    markConversationRead(phoneNumber: $phoneNumber, upToInboundId: $upToInboundId)
  }
`

const WindowBanner = ({ window: w }: { window: ContactThreadQuery['contactThread']['window'] }) =>
  w.open ? (
    <p data-testid="window" className="rounded bg-emerald-50 p-3 text-sm text-emerald-900">
      <strong>WhatsApp window open</strong> until {when(w.closesAt!)}: free text may be sent (last reply{' '}
      {when(w.lastInboundAt!)}).
    </p>
  ) : (
    <p data-testid="window" className="rounded bg-amber-50 p-3 text-sm text-amber-900">
      <strong>WhatsApp window closed</strong>
      {w.lastInboundAt
        ? ` since ${when(w.closesAt!)} (last reply ${when(w.lastInboundAt)})`
        : ': this number has never replied on WhatsApp'}
      . Only a template may be sent until they reply.
    </p>
  )

const OptOutBanner = ({ optOut }: { optOut: NonNullable<ContactThreadQuery['contactThread']['optOut']> }) => (
  <p data-testid="opt-out" className="rounded bg-rose-50 p-3 text-sm text-rose-900">
    <strong>Opted out</strong> since {when(optOut.since)}: {optOut.reason}
    {optOut.note ? ` — “${optOut.note}”` : ''}. Nothing is sent to this number.
  </p>
)

export const Loading = () => <p className="text-slate-600">Loading the conversation…</p>

export const Empty = ({ phoneNumber }: ContactThreadQueryVariables) => (
  <p className="rounded bg-slate-50 p-3 text-slate-700">
    Nothing sent to or received from {phoneNumber} yet. WhatsApp to a new contact must start with a template.
  </p>
)

export const Failure = ({ error }: CellFailureProps) => (
  <p role="alert" className="rounded bg-rose-50 p-3 text-rose-900">
    Could not load the conversation: {error?.message}
  </p>
)

/** Marks what the thread shows as read by the signed-in user (the inbox's unread counts). */
function useMarkRead(phoneNumber: string, latestInboundId: number | null | undefined) {
  const [markRead] = useMutation(MARK_READ)
  const marked = useRef<string | null>(null)
  useEffect(() => {
    const key = `${phoneNumber}:${latestInboundId}`
    if (!latestInboundId || marked.current === key) return
    marked.current = key
    // Best effort: an unread count left behind is corrected by the next visit.
    void markRead({ variables: { phoneNumber, upToInboundId: latestInboundId } }).catch(() => {})
  }, [phoneNumber, latestInboundId, markRead])
}

export const Success = ({
  contactThread,
  channel,
}: CellSuccessProps<ContactThreadQuery, ContactThreadQueryVariables> & ThreadProps) => {
  const can = useCan()
  useMarkRead(contactThread.phoneNumber, contactThread.latestInboundId)
  const latestInbound = [...contactThread.entries].reverse().find((e) => e.direction === 'INBOUND')
  const defaultChannel =
    channel === 'SMS' || channel === 'WHATSAPP' ? channel : latestInbound?.channel === 'WHATSAPP' ? 'WHATSAPP' : 'SMS'
  return (
    <section aria-label={`Conversation with ${contactThread.phoneNumber}`} className="space-y-3">
      {contactThread.optOut && <OptOutBanner optOut={contactThread.optOut} />}
      <WindowBanner window={contactThread.window} />
      {can('send') && !contactThread.optOut && (
        <SendFileForm phoneNumber={contactThread.phoneNumber} windowOpen={contactThread.window.open} />
      )}
      <ol className="space-y-2">
        {contactThread.entries.map((e) => (
          <ThreadEntry key={e.id} entry={e} />
        ))}
      </ol>
      <ReplyBox
        phoneNumber={contactThread.phoneNumber}
        defaultChannel={defaultChannel}
        windowOpen={contactThread.window.open}
        refusedBecause={contactThread.optOut?.reason ?? null}
        maySend={can('send')}
      />
    </section>
  )
}
