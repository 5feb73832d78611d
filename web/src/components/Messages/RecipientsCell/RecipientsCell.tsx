import type { MessageRecipientsQuery, MessageRecipientsQueryVariables } from 'types/graphql'

import { Link, routes } from '@redwoodjs/router'
import type { CellFailureProps, CellSuccessProps, TypedDocumentNode } from '@redwoodjs/web'

import StatusBadge from 'src/components/Delivery/StatusBadge/StatusBadge'
import { formatDuration } from 'src/components/Messages/MessageCell/MessageCell'
import PageButton from 'src/components/PageButton/PageButton'

export const QUERY: TypedDocumentNode<MessageRecipientsQuery, MessageRecipientsQueryVariables> = gql`
  query MessageRecipientsQuery($id: String!, $cursor: Int, $status: String, $failureCode: Int, $search: String) {
    message(id: $id) {
      id
      recipients(cursor: $cursor, take: 100, status: $status, failureCode: $failureCode, search: $search) {
        total
        nextCursor
        items {
          id
          phoneNumber
          status
          statusMeaning
          code
          codeMeaning
          isFinal
          isFailure
          statusAt
          statusReason
          timeToDeliverMs
          filledText
          chunk
        }
      }
    }
  }
`

// The message itself is never null here (MessageCell says when it is), so Redwood's default check never sees it as empty.
export const isEmpty = (data: MessageRecipientsQuery) => !data?.message?.recipients?.items?.length

export const Loading = () => <p className="text-slate-600">Loading recipients…</p>
export const Empty = ({ onClearFilters }: { onClearFilters?: () => void }) =>
  onClearFilters ? (
    <p className="rounded border border-dashed border-slate-300 bg-white p-4 text-sm">
      No recipient matches these filters.{' '}
      <button type="button" className="text-indigo-700 underline" onClick={onClearFilters}>
        Clear the filters
      </button>
    </p>
  ) : (
    <p>No recipients.</p>
  )
export const Failure = ({ error }: CellFailureProps) => (
  <p role="alert" className="rounded bg-rose-50 p-3 text-rose-900">
    Could not load recipients: {error?.message}
  </p>
)

type Props = CellSuccessProps<MessageRecipientsQuery, MessageRecipientsQueryVariables> & {
  selectedId?: number | null
  onSelect?: (id: number) => void
  onNext?: (cursor: number) => void
  /** Given while a filter is set: the empty state then offers to clear it. */
  onClearFilters?: () => void
}

export const Success = ({ message, selectedId, onSelect, onNext }: Props) => {
  const page = message!.recipients
  return (
    <div>
      <p className="mb-2 text-sm text-slate-600">
        {page.total} recipient{page.total === 1 ? '' : 's'} match
      </p>
      {/* A table from md up; below, each row reads as a card (labels shown, no sideways scrolling on a phone). */}
      <div className="rounded border border-slate-200 bg-white md:overflow-x-auto">
        <table className="block w-full text-sm md:table md:min-w-full">
          <thead className="hidden bg-slate-50 text-left text-xs uppercase text-slate-600 md:table-header-group">
            <tr>
              <th scope="col" className="px-3 py-2">
                Number
              </th>
              <th scope="col" className="px-3 py-2">
                Status
              </th>
              <th scope="col" className="px-3 py-2">
                Meaning
              </th>
              <th scope="col" className="px-3 py-2">
                Time to deliver
              </th>
            </tr>
          </thead>
          <tbody className="block divide-y divide-slate-100 md:table-row-group">
            {page.items.map((r) => (
              <tr
                key={r.id}
                className={`block space-y-1 p-3 md:table-row md:space-y-0 md:p-0 ${selectedId === r.id ? 'bg-indigo-50' : ''}`}
                data-recipient={r.phoneNumber}
              >
                <td className="block font-mono md:table-cell md:px-3 md:py-2">
                  <button
                    type="button"
                    onClick={() => onSelect?.(r.id)}
                    aria-expanded={selectedId === r.id}
                    className="text-indigo-700 underline focus:outline-none focus-visible:ring-2 focus-visible:ring-indigo-500"
                  >
                    {r.phoneNumber}
                  </button>
                  <Link
                    to={routes.contact({ phoneNumber: r.phoneNumber })}
                    aria-label={`Conversation with ${r.phoneNumber}`}
                    className="ml-2 font-sans text-xs text-slate-600 underline"
                  >
                    thread
                  </Link>
                  {r.filledText && (
                    <p className="mt-1 whitespace-pre-wrap font-sans text-xs text-slate-700" data-filled-text>
                      {r.filledText}
                    </p>
                  )}
                </td>
                <td className="block md:table-cell md:px-3 md:py-2">
                  <StatusBadge status={r.status} title={r.statusMeaning} />
                </td>
                <td className="block break-words text-slate-700 md:table-cell md:px-3 md:py-2">
                  {r.statusReason ?? r.codeMeaning ?? r.statusMeaning}
                </td>
                <td className="block text-slate-700 md:table-cell md:px-3 md:py-2">
                  <span className="text-xs text-slate-500 md:hidden">Time to deliver: </span>
                  {formatDuration(r.timeToDeliverMs)}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {page.nextCursor && onNext && <PageButton onClick={() => onNext(page.nextCursor!)}>Next recipients</PageButton>}
    </div>
  )
}
