import type { Channel } from 'types/graphql'

import { navigate, routes, useParams } from '@redwoodjs/router'

/**
 * The message list's filters, kept in the URL (/?q=parcel&failed=1&channel=SMS)
 * so that a reload, Back and a shared link show the same list.
 */
export type MessageFilters = {
  q: string
  status: string
  sentBy: string
  channel: '' | Channel
  failed: boolean
  code: string
  /** Days, YYYY-MM-DD, in the browser's time zone. */
  from: string
  to: string
}

const CHANNELS: readonly Channel[] = ['SMS', 'WHATSAPP']

export function filtersFromParams(params: Record<string, string | undefined>): MessageFilters {
  const channel = CHANNELS.find((c) => c === params.channel) ?? ''
  return {
    q: params.q ?? '',
    status: params.status ?? '',
    sentBy: /^\d+$/.test(params.sentBy ?? '') ? params.sentBy! : '',
    channel,
    failed: params.failed === '1',
    code: /^\d+$/.test(params.code ?? '') ? params.code! : '',
    from: params.from ?? '',
    to: params.to ?? '',
  }
}

/** The URL's search parameters for these filters: only those that are set. */
export function paramsFromFilters(f: MessageFilters): Record<string, string> {
  const params: Record<string, string> = {}
  if (f.q.trim()) params.q = f.q.trim()
  if (f.status) params.status = f.status
  if (f.sentBy) params.sentBy = f.sentBy
  if (f.channel) params.channel = f.channel
  if (f.failed) params.failed = '1'
  if (f.code) params.code = f.code
  if (f.from) params.from = f.from
  if (f.to) params.to = f.to
  return params
}

export const hasFilters = (f: MessageFilters) => Object.keys(paramsFromFilters(f)).length > 0

/** The filters as the list query takes them. */
export function queryVariables(f: MessageFilters, search: string | null) {
  return {
    status: f.status || null,
    search,
    sentBy: f.sentBy ? Number(f.sentBy) : null,
    channel: f.channel || null,
    failed: f.failed || null,
    failureCode: f.code ? Number(f.code) : null,
    from: f.from ? new Date(`${f.from}T00:00:00`).toISOString() : null,
    to: f.to ? new Date(`${f.to}T23:59:59.999`).toISOString() : null,
  }
}

/**
 * The filters in the URL, and how to change them: a new history entry for a
 * choice (Back undoes it), the same entry while typing a search.
 */
export function useMessageFilters() {
  const filters = filtersFromParams(useParams())
  const setFilters = (patch: Partial<MessageFilters>, options: { replace?: boolean } = {}) =>
    navigate(routes.messages(paramsFromFilters({ ...filters, ...patch })), { replace: options.replace ?? false })
  return [filters, setFilters] as const
}
