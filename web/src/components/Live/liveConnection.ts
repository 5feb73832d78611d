/**
 * The browser's one connection to the api's live events (GET /api/liveEvents,
 * server-sent events; README "Live updates"). Every view that wants to be live
 * subscribes through useLiveEvents; the tab opens one EventSource while at
 * least one view is subscribed and closes it when none is, so a tab with no
 * live view on screen holds no connection and asks nothing.
 *
 * Events carry ids only: `{"m": [message ids] | "*", "i": [inbound ids] | "*", "c": 1, "r": 1}`.
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

export type LiveChange = { m?: string[] | '*'; i?: number[] | '*'; c?: 1; r?: 1 }

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
  const id = topic.slice('message:'.length)
  return change.m === '*' || (Array.isArray(change.m) && change.m.includes(id))
}

const MAX_BACKOFF_MS = 30_000
/** A view that unmounts and another that mounts right after (a page change) keep the connection. */
const CLOSE_DELAY_MS = 2_000

export class LiveConnection {
  private readonly subscribers = new Set<LiveSubscriber>()
  private source: EventSource | null = null
  private state: ConnectionState = 'offline'
  private backoffMs = 1000
  private retryTimer: ReturnType<typeof setTimeout> | undefined
  private closeTimer: ReturnType<typeof setTimeout> | undefined

  constructor(private readonly url: string) {}

  get current() {
    return this.state
  }

  subscribe(subscriber: LiveSubscriber): () => void {
    this.subscribers.add(subscriber)
    clearTimeout(this.closeTimer)
    if (!this.source && this.retryTimer === undefined) this.connect()
    subscriber.onState(this.state)
    return () => {
      this.subscribers.delete(subscriber)
      if (this.subscribers.size === 0) {
        clearTimeout(this.closeTimer)
        this.closeTimer = setTimeout(() => this.subscribers.size === 0 && this.disconnect(), CLOSE_DELAY_MS)
      }
    }
  }

  private setState(state: ConnectionState) {
    this.state = state
    for (const s of this.subscribers) s.onState(state)
  }

  private connect() {
    if (typeof EventSource === 'undefined') {
      this.setState('offline')
      return
    }
    this.setState('connecting')
    const source = new EventSource(this.url)
    this.source = source
    source.onopen = () => {
      this.backoffMs = 1000
      this.setState('open')
      for (const s of this.subscribers) s.onOpen()
    }
    source.addEventListener('change', (event) => {
      let change: LiveChange
      try {
        change = JSON.parse((event as MessageEvent<string>).data)
      } catch {
        return
      }
      for (const s of this.subscribers) s.onChange(change)
    })
    source.onerror = () => {
      if (source.readyState === EventSource.CONNECTING) {
        // A dropped connection: the browser reconnects by itself (after the server's `retry`).
        this.setState('connecting')
        return
      }
      // Refused (401, 429, 503) or unreachable through the proxy: try again later, backing off.
      source.close()
      this.source = null
      this.setState('offline')
      if (this.subscribers.size === 0) return
      this.retryTimer = setTimeout(() => {
        this.retryTimer = undefined
        if (this.subscribers.size > 0) this.connect()
      }, this.backoffMs)
      this.backoffMs = Math.min(this.backoffMs * 2, MAX_BACKOFF_MS)
    }
  }

  private disconnect() {
    clearTimeout(this.retryTimer)
    this.retryTimer = undefined
    this.source?.close()
    this.source = null
    this.state = 'offline'
  }
}

let shared: LiveConnection | undefined

/** The tab's connection (one per tab, shared by every live view). */
export function liveConnection(): LiveConnection {
  const apiUrl = (globalThis as { RWJS_API_URL?: string }).RWJS_API_URL ?? '/api'
  shared ??= new LiveConnection(`${apiUrl.replace(/\/$/, '')}/liveEvents`)
  return shared
}
