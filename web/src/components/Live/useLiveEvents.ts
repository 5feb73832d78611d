import { useEffect, useRef, useState } from 'react'

import { NetworkStatus, useApolloClient, type DocumentNode } from '@apollo/client'
import { getOperationName } from '@apollo/client/utilities'

import { liveConnection, matches, type ConnectionState, type LiveTopic } from './liveConnection'

export type LiveState = 'live' | 'connecting' | 'paused' | 'offline'

export type { LiveTopic }

const visible = () => typeof document === 'undefined' || document.visibilityState !== 'hidden'

/**
 * Keeps a view live: when the api announces a change on one of `topics`, the
 * active queries named by `queries` (a cell's exported QUERY, or an operation
 * name) are refetched. Also refetches when the connection (re)opens, so what
 * happened while it was down is caught up without a reload. Refetches never
 * overlap (changes during one lead to one more, at most every `minIntervalMs`)
 * and wait while the tab is hidden. Nothing is polled.
 *
 *   const live = useLiveEvents([`message:${id}`], [MESSAGE_QUERY, RECIPIENTS_QUERY])
 *   <LiveIndicator state={live} />
 */
export function useLiveEvents(
  topics: LiveTopic[],
  queries: Array<DocumentNode | string>,
  options: { minIntervalMs?: number } = {}
): LiveState {
  const client = useApolloClient()
  const [connection, setConnection] = useState<ConnectionState>('connecting')
  const [shown, setShown] = useState(visible)
  const topicsKey = topics.join('\n')
  const names = queries.map((q) => (typeof q === 'string' ? q : getOperationName(q))).filter(Boolean) as string[]
  const namesKey = names.join('\n')
  const minIntervalMs = options.minIntervalMs ?? 250
  // Refetch bookkeeping shared by the callbacks below, without re-subscribing.
  const run = useRef({ running: false, again: false, dirty: false, last: 0 })

  useEffect(() => {
    const onVisibility = () => setShown(visible())
    document.addEventListener('visibilitychange', onVisibility)
    return () => document.removeEventListener('visibilitychange', onVisibility)
  }, [])

  useEffect(() => {
    const watched = topicsKey.split('\n') as LiveTopic[]
    const wanted = new Set(namesKey.split('\n'))
    const state = run.current
    let cancelled = false
    let timer: ReturnType<typeof setTimeout> | undefined

    const refetch = async () => {
      if (cancelled) return
      if (!visible()) {
        state.dirty = true
        return
      }
      if (state.running) {
        state.again = true
        return
      }
      const wait = state.last + minIntervalMs - Date.now()
      if (wait > 0) {
        state.running = true
        timer = setTimeout(() => {
          state.running = false
          void refetch()
        }, wait)
        return
      }
      state.running = true
      state.dirty = false
      state.last = Date.now()
      try {
        await client.refetchQueries({
          include: 'active',
          onQueryUpdated: (q) =>
            wanted.has(q.queryName ?? '') &&
            // A new request, not merged into one of the same query already on its way (a view's first load):
            // that one may have been answered before the change, which would then be lost. As refetch() does,
            // but with deduplication off; the options are this fetch's only (NetworkStatus.refetch).
            q.reobserve(
              { fetchPolicy: 'network-only', context: { ...q.options.context, queryDeduplication: false } },
              NetworkStatus.refetch
            ),
        })
      } catch {
        // The cell shows its own error; the next change or reconnect tries again.
      } finally {
        state.running = false
      }
      if (state.again && !cancelled) {
        state.again = false
        void refetch()
      }
    }

    const onVisibility = () => {
      if (visible() && state.dirty) void refetch()
    }
    document.addEventListener('visibilitychange', onVisibility)
    const unsubscribe = liveConnection().subscribe({
      onChange: (change) => {
        if (watched.some((t) => matches(t, change))) void refetch()
      },
      onOpen: () => void refetch(),
      onState: setConnection,
    })
    return () => {
      cancelled = true
      clearTimeout(timer)
      state.running = false
      document.removeEventListener('visibilitychange', onVisibility)
      unsubscribe()
    }
  }, [client, topicsKey, namesKey, minIntervalMs])

  if (connection === 'offline') return 'offline'
  if (connection === 'connecting') return 'connecting'
  return shown ? 'live' : 'paused'
}
