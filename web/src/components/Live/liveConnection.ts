/**
 * The browser's one connection to the api's live events (GET /api/liveEvents,
 * server-sent events; README "Live updates"). Every view that wants to be live
 * subscribes through useLiveEvents; the tab opens one EventSource while at
 * least one view is subscribed and closes it when none is, so a tab with no
 * live view on screen holds no connection and asks nothing.
 *
 * Events carry ids only: `{"m": [message ids] | "*", "i": [inbound ids] | "*", "c": 1, "r": 1, "o": 1}`, and
 * `"rd": 1` when the signed-in user's own read state changed (the api sends it to that user's streams only).
 */

/** What a view can watch. */
export type LiveTopic =
  /** any message, its recipients or their timelines */
  | 'messages'
  /** one message (its page) */
  | `message:${string}`
  /** replies (inbound messages) */
  | 'inbound'
  /** the callback log */
  | 'callbacks'
  /** refused callbacks */
  | 'refused'
  /** the stalled-delivery alarm */
  | 'alarm'
  /** the signed-in user's read state (marked read in another tab); nobody else's reaches this tab */
  | 'read'
  /** opt-outs (added or removed by staff, or by a STOP / START reply) */
  | 'optouts'

export type LiveChange = { m?: string[] | '*'; i?: number[] | '*'; c?: 1; r?: 1; a?: 1; o?: 1; rd?: 1 }

export type ConnectionState = 'connecting' | 'open' | 'offline'

export type LiveSubscriber = {
  onChange: (change: LiveChange) => void
  /** The stream (re)opened: whatever happened while it was closed was missed, refetch. */
  onOpen: () => void
  onState: (state: ConnectionState) => void
}

/** True if a change concerns a topic. */
export function matches(topic: LiveTopic, change: LiveChange): boolean {
  if (topic === 'messages') return change.m === '*' || (Array.isArray(change.m) && change.m.length > 0)
  if (topic === 'inbound') return change.i === '*' || (Array.isArray(change.i) && change.i.length > 0)
  if (topic === 'callbacks') return change.c === 1
  if (topic === 'refused') return change.r === 1
  if (topic === 'alarm') return change.a === 1
  if (topic === 'read') return change.rd === 1
  if (topic === 'optouts') return change.o === 1
  const id = topic.slice('message:'.length)
  return change.m === '*' || (Array.isArray(change.m) && change.m.includes(id))
}

const MAX_BACKOFF_MS = 30_000
/** A view that unmounts and another that mounts right after (a page change) keep the connection. */
const CLOSE_DELAY_MS = 2_000

export type LiveConnection = {
  readonly current: ConnectionState
  /** Adds a view; returns its unsubscribe. */
  subscribe: (subscriber: LiveSubscriber) => () => void
}

export function createLiveConnection(url: string): LiveConnection {
  const subscribers = new Set<LiveSubscriber>()
  let source: EventSource | null = null
  let state: ConnectionState = 'offline'
  let backoffMs = 1000
  let retryTimer: ReturnType<typeof setTimeout> | undefined
  let closeTimer: ReturnType<typeof setTimeout> | undefined

  const setState = (next: ConnectionState) => {
    state = next
    for (const s of subscribers) s.onState(next)
  }

  const connect = () => {
    if (typeof EventSource === 'undefined') {
      setState('offline')
      return
    }
    setState('connecting')
    const opened = new EventSource(url)
    source = opened
    opened.onopen = () => {
      backoffMs = 1000
      setState('open')
      for (const s of subscribers) s.onOpen()
    }
    opened.addEventListener('change', (event) => {
      let change: LiveChange
      try {
        change = JSON.parse((event as MessageEvent<string>).data)
      } catch {
        return
      }
      for (const s of subscribers) s.onChange(change)
    })
    opened.onerror = () => {
      if (opened.readyState === EventSource.CONNECTING) {
        // A dropped connection: the browser reconnects by itself (after the server's `retry`).
        setState('connecting')
        return
      }
      // Refused (401, 429, 503) or unreachable through the proxy: try again later, backing off.
      opened.close()
      source = null
      setState('offline')
      if (subscribers.size === 0) return
      retryTimer = setTimeout(() => {
        retryTimer = undefined
        if (subscribers.size > 0) connect()
      }, backoffMs)
      backoffMs = Math.min(backoffMs * 2, MAX_BACKOFF_MS)
    }
  }

  const disconnect = () => {
    clearTimeout(retryTimer)
    retryTimer = undefined
    source?.close()
    source = null
    state = 'offline'
  }

  return {
    get current() {
      return state
    },
    subscribe(subscriber) {
      subscribers.add(subscriber)
      clearTimeout(closeTimer)
      if (!source && retryTimer === undefined) connect()
      subscriber.onState(state)
      return () => {
        subscribers.delete(subscriber)
        if (subscribers.size === 0) {
          clearTimeout(closeTimer)
          closeTimer = setTimeout(() => subscribers.size === 0 && disconnect(), CLOSE_DELAY_MS)
        }
      }
    },
  }
}

let shared: LiveConnection | undefined

/** The tab's connection (one per tab, shared by every live view). */
export function liveConnection(): LiveConnection {
  const apiUrl = (globalThis as { RWJS_API_URL?: string }).RWJS_API_URL ?? '/api'
  shared ??= createLiveConnection(`${apiUrl.replace(/\/$/, '')}/liveEvents`)
  return shared
}
