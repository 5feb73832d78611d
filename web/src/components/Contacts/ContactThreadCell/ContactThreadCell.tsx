import type { ContactThreadQuery, ContactThreadQueryVariables } from 'types/graphql'

import { Link, routes } from '@redwoodjs/router'
import type { CellFailureProps, CellSuccessProps, TypedDocumentNode } from '@redwoodjs/web'

import StatusBadge from 'src/components/Delivery/StatusBadge/StatusBadge'
import { useStatusLabel } from 'src/components/Delivery/useDeliveryStatuses'
import MessageContent from 'src/components/Media/MessageContent/MessageContent'
import SendFileForm from 'src/components/Media/SendFileForm/SendFileForm'
import { channelLabel } from 'src/lib/channel'
import { formatDateTime } from 'src/lib/formatTime'
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

export const beforeQuery = (props: ContactThreadQueryVariables) => ({ variables: props })

export const isEmpty = (data: ContactThreadQuery) => data.contactThread.entries.length === 0

const when = (iso: string) => formatDateTime(iso)

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

export const Success = ({ contactThread }: CellSuccessProps<ContactThreadQuery, ContactThreadQueryVariables>) => {
  const can = useCan()
  const labelOf = useStatusLabel()
  return (
    <section aria-label={`Conversation with ${contactThread.phoneNumber}`} className="space-y-3">
      <WindowBanner window={contactThread.window} />
      {can('send') && <SendFileForm phoneNumber={contactThread.phoneNumber} windowOpen={contactThread.window.open} />}
      <ol className="space-y-2">
        {contactThread.entries.map((e) => {
          const inbound = e.direction === 'INBOUND'
          return (
            <li
              key={e.id}
              data-direction={e.direction}
              className={`max-w-xl rounded-lg border p-3 text-sm ${inbound ? 'mr-auto border-slate-200 bg-white' : 'ml-auto border-indigo-200 bg-indigo-50'}`}
            >
              <p className="text-xs text-slate-600">
                {inbound ? 'Received' : 'Sent'} · {channelLabel(e.channel)} · {when(e.at)}
                {e.templateName ? ` · template ${e.templateName}` : ''}
                {!inbound && e.messageId && (
                  <>
                    {' · '}
                    <Link to={routes.message({ id: e.messageId })} className="text-indigo-700 underline">
                      message
                    </Link>
                  </>
                )}
              </p>
              <MessageContent message={e} />
              {!inbound && e.status && (
                <div className="mt-2 flex flex-wrap items-center gap-2 text-xs">
                  <StatusBadge status={e.status} />
                  <span className="text-slate-600">{e.statusMeaning}</span>
                </div>
              )}
              {e.reasonCode && (
                <p className="mt-1 text-xs text-rose-800" data-testid="reason">
                  {e.reasonCode}: {e.reasonMeaning}
                </p>
              )}
              {e.timeline && e.timeline.length > 0 && (
                <details className="mt-1 text-xs text-slate-600">
                  <summary>Delivery history</summary>
                  <ul data-testid="timeline">
                    {e.timeline.map((t) => (
                      <li key={t.id}>
                        {formatDateTime(t.at, { seconds: true })}
                        {t.atIsReceiptTime ? ' (time of receipt: Sinch gave no usable event time)' : ''}{' '}
                        {labelOf(t.status)}
                        {t.channel ? ` (${channelLabel(t.channel)})` : ''}
                        {t.reasonCode
                          ? ` — ${t.reasonCode}: ${t.reasonMeaning}`
                          : t.reasonMeaning
                            ? ` — ${t.reasonMeaning}`
                            : ''}
                      </li>
                    ))}
                  </ul>
                </details>
              )}
            </li>
          )
        })}
      </ol>
    </section>
  )
}
