import type { StorageRetentionQuery, StorageRetentionQueryVariables } from 'types/graphql'

import type { CellFailureProps, CellSuccessProps, TypedDocumentNode } from '@redwoodjs/web'

/** How long the callback log keeps what it shows, as the api is configured (RETENTION_*). */
export const QUERY: TypedDocumentNode<StorageRetentionQuery, StorageRetentionQueryVariables> = gql`
  query StorageRetentionQuery {
    storageRetention {
      callbackDays
      unmatchedDays
      reprocessableDays
    }
  }
`

export const days = (n: number) => {
  const rounded = Math.round(n * 10) / 10
  return `${rounded.toLocaleString('en')} day${rounded === 1 ? '' : 's'}`
}

export const Loading = () => null
export const Failure = ({ error }: CellFailureProps) => (
  <span role="alert" className="text-red-700">
    (Could not load how long callbacks are kept: {error?.message})
  </span>
)

export const Success = ({ storageRetention: r }: CellSuccessProps<StorageRetentionQuery>) => (
  <span data-testid="storage-retention">
    Kept for {days(r.callbackDays)}
    {r.reprocessableDays > r.callbackDays
      ? ` (unmatched and failed ones ${days(r.reprocessableDays)}, so they can be re-processed)`
      : ''}
    ; reports that never found their message are deleted after {days(r.unmatchedDays)}. Delivery history is kept.
  </span>
)
