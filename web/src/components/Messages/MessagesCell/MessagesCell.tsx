import type { MessagesQuery, MessagesQueryVariables } from 'types/graphql'

import { Link, routes } from '@redwoodjs/router'
import type { CellFailureProps, CellSuccessProps, TypedDocumentNode } from '@redwoodjs/web'

import StatusBar from 'src/components/Delivery/StatusBar/StatusBar'
import PageButton from 'src/components/PageButton/PageButton'
import When from 'src/components/When/When'
import { channelLabel } from 'src/lib/channel'

export const QUERY: TypedDocumentNode<MessagesQuery, MessagesQueryVariables> = gql`
  query MessagesQuery(
    $cursor: String
    $status: String
    $from: DateTime
    $to: DateTime
    $search: String
    $sentBy: Int
    $channel: Channel
    $failed: Boolean
    $failureCode: Int
  ) {
    messages(
      cursor: $cursor
      take: 25
      status: $status
      from: $from
      to: $to
      search: $search
      sentBy: $sentBy
      channel: $channel
      failed: $failed
      failureCode: $failureCode
    ) {
      nextCursor
      items {
        id
        body
        sender
        channel
        clientReference
        submitState
        recipientCount
        createdAt
        scheduled
        sendAt
        cancelledAt
        createdBy {
          email
        }
        statusCounts {
          status
          count
        }
      }
    }
  }
`

// The page object itself is never null, so Redwood's default check never sees it as empty.
export const isEmpty = (data: MessagesQuery) => !data?.messages?.items?.length

export const Loading = () => <p className="text-slate-600">Loading messages…</p>

/** With filters, the list is not empty: nothing matches them. */
export const Empty = ({ filtered }: { filtered?: boolean }) =>
  filtered ? (
    <div className="rounded border border-dashed border-slate-300 bg-white p-8 text-center">
      <p className="font-medium">Nothing matches these filters.</p>
      <p className="mt-1 text-sm text-slate-600">
        <Link to={routes.messages()} className="text-indigo-700 underline">
          Clear the filters
        </Link>{' '}
        to see every message.
      </p>
    </div>
  ) : (
    <div className="rounded border border-dashed border-slate-300 bg-white p-8 text-center">
      <p className="font-medium">No messages here yet.</p>
      <p className="mt-1 text-sm text-slate-600">
        <Link to={routes.compose()} className="text-indigo-700 underline">
          Compose one
        </Link>
        .
      </p>
    </div>
  )

export const Failure = ({ error }: CellFailureProps) => (
  <p role="alert" className="rounded bg-rose-50 p-3 text-rose-900">
    Could not load messages: {error?.message}
  </p>
)

type SuccessProps = CellSuccessProps<MessagesQuery, MessagesQueryVariables> & {
  onNext?: (cursor: string) => void
  filtered?: boolean
}

export const Success = ({ messages, onNext, failureCode }: SuccessProps) => (
  <div>
    <ul className="divide-y divide-slate-200 rounded border border-slate-200 bg-white">
      {messages.items.map((m) => (
        <li key={m.id}>
          <Link
            // Found by a failure code: the message page opens on the recipients it names.
            to={routes.message({ id: m.id, ...(typeof failureCode === 'number' ? { code: String(failureCode) } : {}) })}
            className="block p-4 hover:bg-slate-50 focus:bg-slate-50 focus:outline-none"
          >
            <div className="flex flex-wrap items-baseline justify-between gap-2">
              <p className="line-clamp-1 font-medium">{m.body}</p>
              <When at={m.createdAt} relative className="text-xs text-slate-600" />
            </div>
            <p className="mt-1 text-xs text-slate-600">
              {m.recipientCount} recipient{m.recipientCount === 1 ? '' : 's'} · {channelLabel(m.channel)}
              {m.sender ? ` · from ${m.sender}` : ''}
              {m.createdBy ? ` · by ${m.createdBy.email}` : ''}
              {m.clientReference ? ` · ref ${m.clientReference}` : ''}
              {m.submitState === 'FAILED' ? ' · not accepted by Sinch' : ''}
              {m.scheduled && m.sendAt && (
                <span className="ml-1 rounded bg-amber-100 px-1.5 text-amber-900" data-scheduled>
                  Scheduled {new Date(m.sendAt).toLocaleString()}
                </span>
              )}
              {m.cancelledAt ? ' · cancelled' : ''}
            </p>
            <div className="mt-2">
              <StatusBar counts={m.statusCounts} total={m.recipientCount} />
            </div>
          </Link>
        </li>
      ))}
    </ul>
    {messages.nextCursor && onNext && (
      <PageButton onClick={() => onNext(messages.nextCursor!)}>Older messages</PageButton>
    )}
  </div>
)
