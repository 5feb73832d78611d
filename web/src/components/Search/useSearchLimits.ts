import type { SearchLimitsQuery, SearchLimitsQueryVariables } from 'types/graphql'

import { useQuery, type TypedDocumentNode } from '@redwoodjs/web'

export const SEARCH_LIMITS: TypedDocumentNode<SearchLimitsQuery, SearchLimitsQueryVariables> = gql`
  query SearchLimitsQuery {
    searchLimits {
      minLength
      maxLength
    }
  }
`

/**
 * How long a search text may be, as the api enforces it (asked once, then
 * Apollo's cache answers). Null while loading.
 */
export function useSearchLimits() {
  const { data } = useQuery(SEARCH_LIMITS, { fetchPolicy: 'cache-first' })
  return data?.searchLimits ?? null
}

/** What a typed search becomes: the text to send, or why nothing is sent yet. */
export function searchToSend(
  text: string,
  limits: { minLength: number; maxLength: number } | null
): { search: string | null; hint: string | null } {
  const term = text.trim()
  if (!term) return { search: null, hint: null }
  // Until the limits arrive the api judges the text itself (rather than a first request without it).
  if (!limits) return { search: term, hint: null }
  if (term.length < limits.minLength) return { search: null, hint: `Type at least ${limits.minLength} characters.` }
  return { search: term.slice(0, limits.maxLength), hint: null }
}
