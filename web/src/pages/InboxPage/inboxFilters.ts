import { navigate, routes, useParams } from '@redwoodjs/router'

/**
 * The inbox's search and filter, kept in the URL (/inbox?q=555+0123&unanswered=1)
 * like the message list's, so that a reload, Back and a shared link show the same conversations.
 */
export type InboxFilters = {
  /** Part of a number, or of a contact's name. */
  q: string
  unanswered: boolean
}

export function inboxFiltersFromParams(params: Record<string, string | undefined>): InboxFilters {
  return { q: params.q ?? '', unanswered: params.unanswered === '1' }
}

/** The URL's search parameters for these filters: only those that are set. */
export function paramsFromInboxFilters(f: InboxFilters): Record<string, string> {
  const params: Record<string, string> = {}
  if (f.q.trim()) params.q = f.q.trim()
  if (f.unanswered) params.unanswered = '1'
  return params
}

/**
 * The filters in the URL, and how to change them: a new history entry for a
 * choice (Back undoes it), the same entry while typing a search.
 */
export function useInboxFilters() {
  const filters = inboxFiltersFromParams(useParams())
  const setFilters = (patch: Partial<InboxFilters>, options: { replace?: boolean } = {}) =>
    navigate(routes.inbox(paramsFromInboxFilters({ ...filters, ...patch })), { replace: options.replace ?? false })
  return [filters, setFilters] as const
}
