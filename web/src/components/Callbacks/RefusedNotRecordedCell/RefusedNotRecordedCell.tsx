import type { RefusedNotRecordedQuery, RefusedNotRecordedQueryVariables } from 'types/graphql'

import type { TypedDocumentNode } from '@redwoodjs/web'

import { formatDateTime } from 'src/lib/formatTime'

export const QUERY: TypedDocumentNode<RefusedNotRecordedQuery, RefusedNotRecordedQueryVariables> = gql`
  query RefusedNotRecordedQuery {
    refusedCallbacksNotRecorded {
      perAddressPerHour
      totalNotRecorded
      addresses {
        clientAddress
        refused
        recorded
        notRecorded
        lastHour
      }
    }
  }
`

export const beforeQuery = () => ({ fetchPolicy: 'cache-and-network' as const })

export const isEmpty = (data: RefusedNotRecordedQuery) => !data?.refusedCallbacksNotRecorded?.totalNotRecorded

export const Loading = () => null
export const Empty = () => null
export const Failure = () => null

/** The refusals the per-address rate limit counted without a row below (a flood of bad signatures). */
export const Success = ({ refusedCallbacksNotRecorded: r }: RefusedNotRecordedQuery) => (
  <section
    aria-label="Refused callbacks not recorded"
    className="mb-3 rounded border border-amber-300 bg-amber-50 p-3 text-sm text-amber-950"
  >
    <p>
      <strong>{r.totalNotRecorded.toLocaleString()}</strong> more refused callback
      {r.totalNotRecorded === 1 ? ' was' : 's were'} counted but not listed: each address gets at most{' '}
      {r.perAddressPerHour.toLocaleString()} rows an hour, so a flood cannot push real evidence out of the list.
    </p>
    <ul className="mt-1 space-y-0.5 font-mono text-xs">
      {r.addresses.map((a) => (
        <li key={a.clientAddress}>
          {a.clientAddress}: {a.notRecorded.toLocaleString()} not listed of {a.refused.toLocaleString()} refused (last
          at {formatDateTime(a.lastHour)})
        </li>
      ))}
    </ul>
  </section>
)
