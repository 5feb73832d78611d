// See https://www.prisma.io/docs/reference/tools-and-interfaces/prisma-client/constructor
import { PrismaPg } from '@prisma/adapter-pg'
import { PrismaClient } from '@prisma/client'
import pg from 'pg'

import { emitLogLevels, handlePrismaLogging } from '@redwoodjs/api/logger'

import { DatabaseBusyError } from './databaseErrors'
import { logger } from './logger'

/**
 * The pg driver adapter is what lets Prisma run without a native query engine
 * (see README). Pool size and timeouts are explicit so that a slow or exhausted
 * database turns into a quick error the callback function maps to 503, rather
 * than a request that hangs past Sinch's patience.
 */
export const CONNECT_TIMEOUT_MS = Number(process.env.DATABASE_CONNECT_TIMEOUT_MS || 2000)

export const pool = new pg.Pool({
  connectionString: process.env.DATABASE_URL,
  max: Number(process.env.DATABASE_POOL_SIZE || 10),
  connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
  // A lock held too long elsewhere (a stuck transaction, a migration) fails
  // the statement instead of holding the request and its pool connection.
  lock_timeout: Number(process.env.DATABASE_LOCK_TIMEOUT_MS || 1500),
  idleTimeoutMillis: 30_000,
  // Tests and scripts end when their work does; the server is kept alive by
  // its listening socket anyway.
  allowExitOnIdle: true,
})

/**
 * One query on a pool connection obtained by `deadline` (epoch ms), or
 * DatabaseBusyError: the callback group commit gives it what is left of its
 * oldest callback's wait, so time spent queueing and time spent waiting for a
 * connection share one budget (README, overload). A connection that comes
 * after the deadline goes straight back to the pool.
 */
export async function queryWithin<R extends pg.QueryResultRow>(
  deadline: number | undefined,
  query: pg.QueryConfig
): Promise<pg.QueryResult<R>> {
  if (deadline === undefined) return pool.query<R>(query)
  const budget = deadline - Date.now()
  if (budget <= 0) throw new DatabaseBusyError(CONNECT_TIMEOUT_MS)
  const connecting = pool.connect()
  let timer: NodeJS.Timeout | undefined
  const timedOut = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new DatabaseBusyError(CONNECT_TIMEOUT_MS)), budget)
  })
  let client: pg.PoolClient
  try {
    client = await Promise.race([connecting, timedOut])
  } catch (error) {
    connecting.then((late) => late.release()).catch(() => {})
    throw error
  } finally {
    clearTimeout(timer)
  }
  // As pool.query does: a connection that dies mid-query emits 'error' on the
  // checked-out client (which has no other listener: unheard, it would end the
  // process); the query fails with it too, and the client is discarded.
  let broken: Error | undefined
  const onError = (error: Error) => (broken = error)
  client.on('error', onError)
  try {
    return await client.query<R>(query)
  } catch (error) {
    if (!broken && isConnectionBroken(error)) broken = error as Error
    throw error
  } finally {
    client.removeListener('error', onError)
    client.release(broken)
  }
}

const isConnectionBroken = (error: unknown) =>
  !(error as { code?: unknown })?.code ||
  /terminat|Connection ended|ECONNRESET|EPIPE/i.test(String((error as Error)?.message))

/**
 * One pool for Prisma and for the few hot statements that skip it (the
 * callback group commit, see services/smsStatus/ingest.ts): both count against the
 * same DATABASE_POOL_SIZE, and $disconnect leaves the pool to the process.
 */
const adapter = new PrismaPg(pool)

// An idle connection that dies (Postgres restarted) is an event, not a crash:
// without a listener, pg's pool would throw it out of the process.
pool.on('error', (error) => logger.warn({ err: error }, 'idle database connection lost'))

const prismaClient = new PrismaClient({
  adapter,
  log: emitLogLevels(['info', 'warn', 'error']),
})

handlePrismaLogging({
  db: prismaClient,
  logger,
  logLevels: ['info', 'warn', 'error'],
})

export const db = prismaClient

/**
 * `work` in one transaction on a pool connection of its own: committed when
 * it returns, rolled back when it throws. For work whose statements carry
 * large parameters (a contact import's chunks): Prisma's engine would copy
 * each through the api's heap several times. A transaction left idle (the
 * api stalled) is ended by Postgres after `idleSeconds`, freeing its locks.
 */
export async function inTransaction<T>(
  work: (client: pg.PoolClient) => Promise<T>,
  { idleSeconds = 60 }: { idleSeconds?: number } = {}
): Promise<T> {
  const client = await pool.connect()
  let broken: Error | undefined
  const onError = (error: Error) => (broken = error)
  client.on('error', onError)
  try {
    await client.query('BEGIN')
    await client.query(`SET LOCAL idle_in_transaction_session_timeout = '${Math.round(idleSeconds)}s'`)
    const result = await work(client)
    await client.query('COMMIT')
    return result
  } catch (error) {
    // A connection that failed the ROLLBACK too is discarded, not handed to the next user.
    if (!broken) await client.query('ROLLBACK').catch((rollback: Error) => (broken = rollback))
    throw error
  } finally {
    client.removeListener('error', onError)
    client.release(broken)
  }
}
