/**
 * What the database announces on the live channel (README "Live updates"), as
 * an api instance's listener sees it: a test LISTENs, runs a writer, and
 * checks the writer announced what it changed (the tables callbacks write
 * have no trigger doing it for them: src/lib/live/notifyLive.ts).
 */
import pg from 'pg'

import { LIVE_CHANNEL, parseLiveChange, type LiveChange } from 'src/lib/live/liveChange'

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

export type LiveNotifications = Awaited<ReturnType<typeof listenLive>>

export async function listenLive() {
  const client = new pg.Client({ connectionString: process.env.DATABASE_URL })
  await client.connect()
  const changes: LiveChange[] = []
  client.on('notification', (n) => {
    if (n.channel === LIVE_CHANNEL) changes.push(parseLiveChange(n.payload)!)
  })
  await client.query(`LISTEN ${LIVE_CHANNEL}`)
  /** Waits until no notification has come for `quietMs`. */
  const settle = async (quietMs = 300) => {
    let seen = -1
    while (seen !== changes.length) {
      seen = changes.length
      await sleep(quietMs)
    }
    return changes
  }
  return {
    changes,
    settle,
    /** The message ids announced so far ('all' when one notification said every message), once settled. */
    async messageIds(): Promise<string[] | 'all'> {
      await settle()
      if (changes.some((c) => c.messageIds === 'all')) return 'all'
      return [...new Set(changes.flatMap((c) => c.messageIds as string[]))]
    },
    /** How many notifications so far named this message (each writer's transaction sends one), once settled. */
    async naming(messageId: string): Promise<number> {
      await settle()
      return changes.filter((c) => c.messageIds === 'all' || c.messageIds.includes(messageId)).length
    },
    /** The inbound message ids announced so far, once settled. */
    async inboundIds(): Promise<number[]> {
      await settle()
      return [...new Set(changes.flatMap((c) => (c.inboundIds === 'all' ? [] : c.inboundIds)))]
    },
    /** Whether some notification said the callback log changed, once settled. */
    async callbacks(): Promise<boolean> {
      await settle()
      return changes.some((c) => c.callbacks)
    },
    /** Forgets what was announced so far (the next step of a test). */
    /** Forgets what came so far, once settled: a notification still on its way would otherwise count after it. */
    clear: async () => {
      await settle()
      changes.splice(0)
    },
    end: () => client.end(),
  }
}
