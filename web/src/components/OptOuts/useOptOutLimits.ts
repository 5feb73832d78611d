import type { OptOutLimitsQuery, OptOutLimitsQueryVariables } from 'types/graphql'

import { useQuery, type TypedDocumentNode } from '@redwoodjs/web'

export const OPT_OUT_LIMITS: TypedDocumentNode<OptOutLimitsQuery, OptOutLimitsQueryVariables> = gql`
  query OptOutLimitsQuery {
    optOutLimits {
      maxNoteLength
    }
  }
`

/**
 * What addOptOut accepts, as the api enforces it (asked once, then Apollo's
 * cache answers). Null while loading: the api still judges what is sent.
 */
export function useOptOutLimits() {
  const { data } = useQuery(OPT_OUT_LIMITS, { fetchPolicy: 'cache-first' })
  return data?.optOutLimits ?? null
}
