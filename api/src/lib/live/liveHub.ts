import { browserEvent, type LiveChange } from './liveChange'
import { LiveListener } from './liveListener'

/** One browser's open event stream (liveEventsRoute.ts writes it). */
export type LiveStream = {
  userId: number
  /** Writes one server-sent event. */
  send: (event: string, data: string) => void
  /** Ends the response; the browser reconnects (and refetches) if it still watches. */
  close: () => void
}

export type OpenResult = 'open' | 'user-limit' | 'full' | 'unavailable'

/**
 * The open event streams of this api instance and the one LISTEN connection
 * that feeds them. Every change the database announces goes to every stream
 * (ids only; each browser refetches what it shows), except a user's read
 * state, which goes only to that user's streams; a user whose sessions were
 * ended loses its streams at once; when the LISTEN connection is lost every
 * stream is closed, so browsers reconnect (to this instance or another) and
 * catch up by refetching.
 */
export class LiveHub {
  private readonly streams = new Set<LiveStream>()
  private readonly perUser = new Map<number, number>()
  /** Streams counted while their LISTEN connection is being opened. */
  private pending = 0
  private idleTimer: NodeJS.Timeout | undefined
  private readonly listener: LiveListener

  constructor(
    private readonly options: {
      connectionString: string | undefined
      connectTimeoutMs: number
      maxStreamsPerUser: number
      maxStreams: number
      /** With no stream open for this long, the LISTEN connection is closed. */
      idleCloseMs: number
      onListenerLost?: (error: Error) => void
    }
  ) {
    this.listener = new LiveListener({
      connectionString: options.connectionString,
      connectTimeoutMs: options.connectTimeoutMs,
      onChange: (change) => this.publish(change),
      onLost: (error) => {
        this.options.onListenerLost?.(error)
        this.closeAll()
      },
    })
  }

  get size() {
    return this.streams.size
  }

  get listening() {
    return this.listener.listening
  }

  /** Counts the stream against the limits, makes sure this instance listens, then adds it. */
  async open(stream: LiveStream): Promise<OpenResult> {
    const mine = this.perUser.get(stream.userId) ?? 0
    if (mine >= this.options.maxStreamsPerUser) return 'user-limit'
    if (this.streams.size + this.pending >= this.options.maxStreams) return 'full'
    this.perUser.set(stream.userId, mine + 1)
    this.pending++
    clearTimeout(this.idleTimer)
    try {
      await this.listener.start()
    } catch {
      this.release(stream.userId)
      return 'unavailable'
    } finally {
      this.pending--
    }
    this.streams.add(stream)
    return 'open'
  }

  /** The browser went away (or we closed the stream). */
  remove(stream: LiveStream) {
    if (!this.streams.delete(stream)) return
    this.release(stream.userId)
  }

  private release(userId: number) {
    const left = (this.perUser.get(userId) ?? 1) - 1
    if (left > 0) this.perUser.set(userId, left)
    else this.perUser.delete(userId)
    if (this.streams.size === 0 && this.pending === 0) {
      clearTimeout(this.idleTimer)
      this.idleTimer = setTimeout(() => {
        if (this.streams.size === 0 && this.pending === 0) void this.listener.stop()
      }, this.options.idleCloseMs)
      this.idleTimer.unref()
    }
  }

  /** Sends a change to every stream; ends the streams of users whose sessions ended. */
  publish(change: LiveChange) {
    if (change.userIds.length) {
      const ended = new Set(change.userIds)
      for (const stream of [...this.streams]) if (ended.has(stream.userId)) this.end(stream)
    }
    const shared = browserEvent(change)
    // A user's read state goes to that user's streams only (their other tabs), never to anyone else's.
    const readers = new Map(change.readUserIds.map((id) => [id, browserEvent(change, id)]))
    if (!shared && readers.size === 0) return
    for (const stream of this.streams) {
      const data = readers.has(stream.userId) ? readers.get(stream.userId) : shared
      if (data) stream.send('change', data)
    }
  }

  private end(stream: LiveStream) {
    this.remove(stream)
    stream.close()
  }

  /** Ends every stream (the LISTEN connection was lost, or the instance stops). */
  closeAll() {
    for (const stream of [...this.streams]) this.end(stream)
  }

  /** Ends every stream and the LISTEN connection. */
  async shutdown() {
    this.closeAll()
    clearTimeout(this.idleTimer)
    await this.listener.stop()
  }
}
