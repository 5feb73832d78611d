import type { IncomingMessage, ServerResponse } from 'node:http'

import type { createServer } from '@redwoodjs/api-server'
import { dbAuthSession } from '@redwoodjs/auth-dbauth-api'

import { cookieName, getCurrentUser } from '../auth'
import { config } from '../config'
import { CONNECT_TIMEOUT_MS } from '../db'
import { isShuttingDown } from '../health'
import { logger } from '../logger'

import { LiveHub, type LiveStream } from './liveHub'

type FastifyInstance = Parameters<NonNullable<NonNullable<Parameters<typeof createServer>[0]>['configureApiServer']>>[0]

/** A comment line this often keeps proxies and the api's own socket timeout from closing a quiet stream. */
export const HEARTBEAT_MS = 20_000
/** Events waiting for a browser that does not read them: beyond this its stream is ended. */
const MAX_UNSENT_BYTES = 1024 * 1024
/** After the last stream closed, the LISTEN connection stays this long (a reload or a page change reconnects). */
const IDLE_CLOSE_MS = 30_000

let hub: LiveHub | undefined

/** This instance's streams and LISTEN connection, made on first use. */
export function liveHub(): LiveHub {
  hub ??= new LiveHub({
    connectionString: process.env.DATABASE_URL,
    connectTimeoutMs: CONNECT_TIMEOUT_MS,
    maxStreamsPerUser: config().live.maxStreamsPerUser,
    maxStreams: config().live.maxStreams,
    idleCloseMs: IDLE_CLOSE_MS,
    onListenerLost: (error) =>
      logger.warn({ err: error }, 'live updates: LISTEN connection lost; streams closed, browsers reconnect'),
  })
  return hub
}

/** Ends every stream and the LISTEN connection (shutdown, tests). */
export async function stopLiveEvents() {
  await hub?.shutdown()
  hub = undefined
}

/** The signed-in staff user behind the request's dbAuth session cookie, with the session's end, or null. */
async function staffOf(headers: Record<string, unknown>) {
  let session: Record<string, unknown> | null = null
  try {
    session = dbAuthSession({ headers } as never, cookieName)
  } catch {
    return null // a cookie that does not decrypt is no session
  }
  if (!session) return null
  const user = await getCurrentUser(session)
  if (!user) return null
  const issuedAt = Number(session.sessionIssuedAt)
  return { id: user.id, endsAt: issuedAt + config().session.maxAgeMs }
}

/**
 * GET /liveEvents (the browser's /api/liveEvents): server-sent events for
 * signed-in staff (README "Live updates"). Each event is `event: change` with
 * `{"m":[message ids],"i":[inbound ids],"c":1,"r":1,"o":1}`, and `"rd":1` on the
 * streams of a user whose own read state changed. Plain Node request and
 * response, so tests serve it with node:http as the api serves it with fastify.
 */
export async function handleLiveEvents(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const refuse = (status: number, error: string, retryAfterSeconds?: number) => {
    res.writeHead(status, {
      'content-type': 'application/json; charset=utf-8',
      'cache-control': 'no-store',
      ...(retryAfterSeconds ? { 'retry-after': String(retryAfterSeconds) } : {}),
    })
    res.end(JSON.stringify({ error }))
  }
  if (isShuttingDown()) return refuse(503, 'shutting down', 1)
  let user: Awaited<ReturnType<typeof staffOf>>
  try {
    user = await staffOf(req.headers)
  } catch (error) {
    logger.warn({ err: error }, 'live updates: could not check the session')
    return refuse(503, 'database unavailable', 5)
  }
  if (!user) return refuse(401, 'unauthenticated')

  let started = false
  const stream: LiveStream = {
    userId: user.id,
    send: (event, data) => {
      if (!started || res.writableEnded) return
      // A browser that stops reading is cut off rather than buffered for: it reconnects and refetches.
      if (res.writableLength > MAX_UNSENT_BYTES) {
        liveHub().remove(stream)
        res.destroy()
        return
      }
      res.write(`event: ${event}\ndata: ${data}\n\n`)
    },
    close: () => {
      if (!res.writableEnded) res.end()
    },
  }
  const result = await liveHub().open(stream)
  if (result === 'user-limit') return refuse(429, 'too many live connections for this user', 30)
  if (result === 'full') return refuse(503, 'too many live connections on this instance', 5)
  if (result === 'unavailable') return refuse(503, 'database unavailable', 5)
  if (res.destroyed || req.socket.destroyed) {
    // The browser left while the listener was being opened.
    liveHub().remove(stream)
    return
  }

  // A stream lives for hours: no idle socket timeout, a comment line keeps it warm instead.
  req.socket.setTimeout(0)
  req.socket.setNoDelay(true)
  res.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-store',
    // nginx and similar proxies: pass every event on at once.
    'x-accel-buffering': 'no',
    connection: 'keep-alive',
  })
  started = true
  // retry: how soon the browser reconnects after a dropped connection.
  res.write('retry: 1000\n: live\n\n')
  const heartbeat = setInterval(() => !res.writableEnded && res.write(': ping\n\n'), HEARTBEAT_MS)
  heartbeat.unref()
  // The session's maximum age ends the stream as it ends the session.
  const sessionEnd = setTimeout(stream.close, Math.max(0, Math.min(user.endsAt - Date.now(), 2 ** 31 - 1)))
  sessionEnd.unref()
  res.on('close', () => {
    clearInterval(heartbeat)
    clearTimeout(sessionEnd)
    liveHub().remove(stream)
  })
}

/** Adds GET /liveEvents to the api's fastify instance (api/src/server.ts). */
export function registerLiveEventsRoute(fastify: FastifyInstance) {
  fastify.get('/liveEvents', (request, reply) => {
    reply.hijack()
    handleLiveEvents(request.raw, reply.raw).catch((error) => {
      logger.error({ err: error }, 'live updates: stream failed')
      if (!reply.raw.headersSent) reply.raw.writeHead(500).end()
      else reply.raw.end()
    })
  })
}
