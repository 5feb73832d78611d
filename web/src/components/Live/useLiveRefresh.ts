import { useEffect, useRef, useState } from 'react'

import { useApolloClient } from '@apollo/client'

import { useQuery } from '@redwoodjs/web'

export const MESSAGE_CHANGE_TOKEN = gql`
  query MessageChangeTokenQuery($id: String!) {
    messageChangeToken(id: $id) {
      messageId
      token
    }
  }
`

export type LiveState = 'live' | 'paused' | 'offline'

/**
 * Polls a message's change token about every second (one cheap query that
 * any api instance can answer from Postgres) and refetches the page's other
 * queries only when it changed. Pauses while the tab is hidden.
 */
export function useLiveMessage(id: string, intervalMs = 1000): LiveState {
  const client = useApolloClient()
  const [visible, setVisible] = useState(() => typeof document === 'undefined' || document.visibilityState !== 'hidden')
  const last = useRef<string | null>(null)

  useEffect(() => {
    const onChange = () => setVisible(document.visibilityState !== 'hidden')
    document.addEventListener('visibilitychange', onChange)
    return () => document.removeEventListener('visibilitychange', onChange)
  }, [])

  const { data, error } = useQuery(MESSAGE_CHANGE_TOKEN, {
    variables: { id },
    pollInterval: visible ? intervalMs : 0,
    fetchPolicy: 'network-only',
    notifyOnNetworkStatusChange: false,
  })

  const token = data?.messageChangeToken?.token ?? null
  useEffect(() => {
    if (token === null) return
    if (last.current !== null && last.current !== token) {
      void client.refetchQueries({
        include: 'active',
        onQueryUpdated: (q) => q.queryName !== 'MessageChangeTokenQuery',
      })
    }
    last.current = token
  }, [token, client])

  if (error) return 'offline'
  return visible ? 'live' : 'paused'
}
