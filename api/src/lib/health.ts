/**
 * Liveness and readiness for a load balancer (README "Monitoring").
 *
 * - GET /healthz: the process answers (200), nothing else is checked.
 * - GET /readyz: 200 when the database answers within READINESS_TIMEOUT_MS
 *   and every migration in api/db/migrations is applied (compared with
 *   Prisma's _prisma_migrations); 503 with the reason otherwise, and from the
 *   moment the instance starts shutting down (SIGTERM), while it still serves
 *   in-flight and new requests for API_SHUTDOWN_DRAIN_MS, so the balancer
 *   drains it first.
 *
 * Readiness has its own one-connection pool: it asks whether Postgres
 * answers, not whether the busy request pool has a connection free, and a
 * probe never takes a connection from callbacks. Probes arriving while one
 * check runs share its answer. Neither route is logged per request.
 */
import fs from 'node:fs'
import path from 'node:path'

import pg from 'pg'

import type { createServer } from '@redwoodjs/api-server'

import { logger } from './logger'

type FastifyInstance = Parameters<NonNullable<NonNullable<Parameters<typeof createServer>[0]>['configureApiServer']>>[0]

export type Readiness = { ready: true } | { ready: false; reason: string; pendingMigrations?: string[] }

let shuttingDown = false

/** From now on /readyz answers 503 (the server keeps serving until it closes). */
export function markShuttingDown() {
  shuttingDown = true
}

/** True once the instance has been told to stop (new long-lived streams go elsewhere). */
export function isShuttingDown() {
  return shuttingDown
}

/** The migrations this build expects: api/db/migrations (from src/lib or dist/lib alike). */
export function expectedMigrations(dir = path.resolve(__dirname, '..', '..', 'db', 'migrations')): string[] {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && fs.existsSync(path.join(dir, entry.name, 'migration.sql')))
    .map((entry) => entry.name)
    .sort()
}

let pool: pg.Pool | undefined
let expected: string[] | undefined
let running: Promise<Readiness> | undefined

function healthPool(timeoutMs: number): pg.Pool {
  if (!pool) {
    pool = new pg.Pool({
      connectionString: process.env.DATABASE_URL,
      max: 1,
      connectionTimeoutMillis: timeoutMs,
      query_timeout: timeoutMs,
      statement_timeout: timeoutMs,
      idleTimeoutMillis: 60_000,
      allowExitOnIdle: true,
    })
    pool.on('error', () => {
      /* an idle probe connection lost: the next probe reconnects */
    })
  }
  return pool
}

async function check(timeoutMs: number): Promise<Readiness> {
  if (shuttingDown) return { ready: false, reason: 'shutting down' }
  try {
    expected ??= expectedMigrations()
  } catch (error) {
    return { ready: false, reason: `cannot read the migrations folder: ${(error as Error).message}` }
  }
  let applied: Set<string>
  try {
    const query = healthPool(timeoutMs).query<{ migration_name: string }>(
      'SELECT migration_name FROM _prisma_migrations WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL'
    )
    let timer: NodeJS.Timeout | undefined
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs)
    })
    const result = await Promise.race([query, timeout]).finally(() => clearTimeout(timer))
    applied = new Set(result.rows.map((r) => r.migration_name))
  } catch (error) {
    return { ready: false, reason: `database unavailable: ${(error as Error).message}`.slice(0, 300) }
  }
  const pending = expected.filter((name) => !applied.has(name))
  if (pending.length > 0) return { ready: false, reason: 'migrations not applied', pendingMigrations: pending }
  if (shuttingDown) return { ready: false, reason: 'shutting down' }
  return { ready: true }
}

export function readiness(timeoutMs: number): Promise<Readiness> {
  if (shuttingDown) return Promise.resolve({ ready: false, reason: 'shutting down' })
  running ??= check(timeoutMs).finally(() => {
    running = undefined
  })
  return running
}

/** Adds /healthz and /readyz to the api's fastify instance (api/src/server.ts). */
export function registerHealthRoutes(fastify: FastifyInstance, options: { readinessTimeoutMs: number }) {
  let lastNotReady: string | undefined
  // logLevel 'silent': fastify's per-request log lines are skipped for these routes.
  fastify.get('/healthz', { logLevel: 'silent' }, async (_request, reply) => {
    reply.header('Cache-Control', 'no-store')
    return { status: 'ok' }
  })
  fastify.get('/readyz', { logLevel: 'silent' }, async (_request, reply) => {
    const result = await readiness(options.readinessTimeoutMs)
    reply.header('Cache-Control', 'no-store')
    // A change of state is logged once, not every probe.
    const state = result.ready ? undefined : result.reason
    if (state !== lastNotReady) {
      if (state && state !== 'shutting down') logger.warn({ readiness: result }, 'not ready')
      else if (!state) logger.info('ready')
      lastNotReady = state
    }
    reply.code(result.ready ? 200 : 503)
    return result.ready ? { status: 'ready' } : { status: 'not ready', ...result }
  })
}

/** Closes the probe connection (tests). */
export async function closeHealthPool() {
  await pool?.end()
  pool = undefined
}
