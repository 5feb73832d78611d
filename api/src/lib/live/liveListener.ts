import pg from 'pg'

import { logger } from '../logger'

import { LIVE_CHANNEL, parseLiveChange, type LiveChange } from './liveChange'

/**
 * One dedicated Postgres connection per api instance that LISTENs on the live
 * channel (never one per browser). It is opened when the first browser
 * subscribes and closed when the last has gone; while it is closed nothing
 * touches the database. A lost connection is reported (`onLost`): every stream
 * of this instance is closed, and browsers reconnect and refetch, which is how
 * nothing missed while it was down stays missed.
 */
export class LiveListener {
  private client: pg.Client | null = null
  private connecting: Promise<void> | null = null

  constructor(
    private readonly options: {
      connectionString: string | undefined
      connectTimeoutMs: number
      onChange: (change: LiveChange) => void
      onLost: (error: Error) => void
    }
  ) {}

  get listening() {
    return this.client !== null
  }

  /** Resolves once LISTEN is in place (at once if it already is); rejects if the database cannot be reached. */
  start(): Promise<void> {
    if (this.client) return Promise.resolve()
    if (!this.connecting) {
      this.connecting = this.connect().finally(() => {
        this.connecting = null
      })
    }
    return this.connecting
  }

  private async connect() {
    const client = new pg.Client({
      connectionString: this.options.connectionString,
      connectionTimeoutMillis: this.options.connectTimeoutMs,
      // A dead peer (network cut, failover) is noticed without queries of our own.
      keepAlive: true,
      keepAliveInitialDelayMillis: 10_000,
      application_name: 'delivery-desk live',
    })
    let lost = false
    const onLost = (error: Error) => {
      if (lost) return
      lost = true
      if (this.client === client) this.client = null
      client.end().catch(() => {})
      this.options.onLost(error)
    }
    client.on('error', onLost)
    client.on('end', () => onLost(new Error('live listener connection ended')))
    client.on('notification', (message) => {
      if (message.channel !== LIVE_CHANNEL) return
      const change = parseLiveChange(message.payload)
      if (change) this.options.onChange(change)
    })
    try {
      await client.connect()
      await client.query(`LISTEN ${LIVE_CHANNEL}`)
    } catch (error) {
      lost = true
      client.end().catch(() => {})
      throw error
    }
    this.client = client
    logger.info('live updates: listening')
  }

  async stop() {
    await this.connecting?.catch(() => {})
    const client = this.client
    this.client = null
    if (!client) return
    client.removeAllListeners('end')
    client.removeAllListeners('error')
    client.on('error', () => {})
    await client.end().catch(() => {})
    logger.info('live updates: stopped listening (no browser watching)')
  }
}
