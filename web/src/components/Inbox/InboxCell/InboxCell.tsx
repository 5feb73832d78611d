import type { InboxQuery, InboxQueryVariables } from 'types/graphql'

import { Link, routes } from '@redwoodjs/router'
import type { CellFailureProps, CellSuccessProps, TypedDocumentNode } from '@redwoodjs/web'

import PageButton from 'src/components/PageButton/PageButton'

export const QUERY: TypedDocumentNode<InboxQuery, InboxQueryVariables> = gql`
  query InboxQuery($unansweredOnly: Boolean, $search: String, $cursor: String) {
    conversations(unansweredOnly: $unansweredOnly, search: $search, cursor: $cursor) {
      items {
        id
        phoneNumber
        channel
        name
        lastInboundAt
        lastInboundBody
        lastInboundContentType
        inboundCount
        unreadCount
        unanswered
        optedOut
      }
      nextCursor
    }
  }
`

type Paging = { onNext: (cursor: string) => void }

// Unread counts change while the inbox is not shown (a thread marks itself read): never show a cached page alone.
export const beforeQuery = (props: InboxQueryVariables & Paging) => ({
  variables: { unansweredOnly: props.unansweredOnly, search: props.search || null, cursor: props.cursor || null },
  fetchPolicy: 'cache-and-network' as const,
})

export const isEmpty = (data: InboxQuery) => data.conversations.items.length === 0

export const Loading = () => <p className="text-slate-600">Loading conversations…</p>

export const Empty = ({ unansweredOnly, search }: InboxQueryVariables) => (
  <p className="rounded bg-slate-50 p-3 text-slate-700">
    {search
      ? `No conversation matches “${search}”${unansweredOnly ? ' among the unanswered' : ''}.`
      : unansweredOnly
        ? 'Every conversation has been answered.'
        : 'No replies yet: conversations appear here when someone answers a message by SMS or WhatsApp.'}
  </p>
)

export const Failure = ({ error }: CellFailureProps) => (
  <p role="alert" className="rounded bg-rose-50 p-3 text-rose-900">
    Could not load the inbox: {error?.message}
  </p>
)

const channelName = (c: string) => (c === 'WHATSAPP' ? 'WhatsApp' : 'SMS')

export const Success = ({ conversations, onNext }: CellSuccessProps<InboxQuery, InboxQueryVariables> & Paging) => (
  <>
    <ul className="divide-y divide-slate-200 rounded border border-slate-200 bg-white" aria-label="Conversations">
      {conversations.items.map((c) => (
        <li key={c.id} data-conversation={c.id} data-unread={c.unreadCount}>
          <Link
            to={routes.contact({ phoneNumber: c.phoneNumber, channel: c.channel })}
            className="flex flex-wrap items-center gap-x-3 gap-y-1 px-3 py-2 hover:bg-slate-50 focus:outline-none focus-visible:ring-2 focus-visible:ring-indigo-500"
          >
            <span className={`font-mono ${c.unreadCount > 0 ? 'font-semibold' : ''}`}>{c.name ?? c.phoneNumber}</span>
            <span className="rounded bg-slate-100 px-1.5 py-0.5 text-xs text-slate-700">{channelName(c.channel)}</span>
            {c.unreadCount > 0 && (
              <span
                className="rounded-full bg-indigo-600 px-2 py-0.5 text-xs font-medium text-white"
                data-testid="unread"
                aria-label={`${c.unreadCount} unread`}
              >
                {c.unreadCount}
              </span>
            )}
            {c.unanswered && <span className="text-xs text-amber-800">Unanswered</span>}
            {c.optedOut && <span className="text-xs text-rose-800">Opted out</span>}
            <span className="ml-auto text-xs text-slate-600">{new Date(c.lastInboundAt).toLocaleString()}</span>
            <span className="w-full truncate text-sm text-slate-700">
              {c.lastInboundBody ?? `(${c.lastInboundContentType})`}
            </span>
          </Link>
        </li>
      ))}
    </ul>
    {conversations.nextCursor && (
      <PageButton onClick={() => onNext(conversations.nextCursor!)}>Older conversations</PageButton>
    )}
  </>
)
