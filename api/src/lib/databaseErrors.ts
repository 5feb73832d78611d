/**
 * Is this error the database being unreachable, overloaded or too slow —
 * something a retry later can fix? The callback function answers those with
 * 503 so Sinch retries; never with a 4xx, which Sinch drops for good.
 */
const TRANSIENT_PRISMA_CODES = new Set(['P1001', 'P1002', 'P1008', 'P1017', 'P2024', 'P2028', 'P2034'])
// 55P03: lock_timeout (DATABASE_LOCK_TIMEOUT_MS) expired; 57014: a statement cancelled (statement_timeout).
const TRANSIENT_PG_CODES = new Set([
  '55P03',
  '57014',
  '57P01',
  '57P02',
  '57P03',
  '53300',
  '53400',
  '08000',
  '08001',
  '08003',
  '08004',
  '08006',
  '40001',
  '40P01',
])
/** Driver adapter error kinds (@prisma/driver-adapter-utils) that a later retry can fix. */
const TRANSIENT_ADAPTER_KINDS = new Set([
  'ConnectionClosed',
  'SocketTimeout',
  'TooManyConnections',
  'DatabaseNotReachable',
  'TransactionAlreadyClosed',
  'TransactionWriteConflict',
  'TlsConnectionError',
])
const TRANSIENT_MESSAGE =
  /ECONNREFUSED|ECONNRESET|ETIMEDOUT|EPIPE|Connection terminated|timeout exceeded when trying to connect|connect(ion)? timeout|Can't reach database|too many clients|the database system is (starting up|shutting down)|terminating connection|Transaction already closed|Server has closed the connection|Unable to start a transaction|server closed the connection|is not queryable|Connection ended unexpectedly|socket hang up|EHOSTUNREACH|the database system is in recovery mode|canceling statement due to (lock|statement) timeout/i

/**
 * No database connection within the time a callback may wait for one
 * (DATABASE_CONNECT_TIMEOUT_MS, queueing included): too busy, answer 503.
 */
export class DatabaseBusyError extends Error {
  constructor(waitedMs: number) {
    super(`no database connection within ${waitedMs} ms: too busy`)
    this.name = 'DatabaseBusyError'
  }
}

export function isDatabaseUnavailable(error: unknown): boolean {
  if (error instanceof DatabaseBusyError) return true
  const seen = new Set<unknown>()
  let current: unknown = error
  while (current && typeof current === 'object' && !seen.has(current)) {
    seen.add(current)
    const e = current as {
      code?: unknown
      message?: unknown
      cause?: unknown
      originalCode?: unknown
      kind?: unknown
      meta?: { driverAdapterError?: unknown }
    }
    if (typeof e.code === 'string' && (TRANSIENT_PRISMA_CODES.has(e.code) || TRANSIENT_PG_CODES.has(e.code)))
      return true
    if (typeof e.kind === 'string' && TRANSIENT_ADAPTER_KINDS.has(e.kind)) return true
    if (e.meta?.driverAdapterError && isDatabaseUnavailable(e.meta.driverAdapterError)) return true
    if (typeof e.originalCode === 'string' && TRANSIENT_PG_CODES.has(e.originalCode)) return true
    if (typeof e.message === 'string' && TRANSIENT_MESSAGE.test(e.message)) return true
    current = e.cause
  }
  return false
}
