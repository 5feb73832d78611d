// First: when OTEL_EXPORTER_OTLP_ENDPOINT is set, tracing patches http and pg as they load.
import 'src/lib/tracing'

import { createServer } from '@redwoodjs/api-server'

import { startBackgroundTask } from 'src/lib/backgroundTask'
import { limitBody } from 'src/lib/bodyLimit'
import { config, ConfigError } from 'src/lib/config'
import { MAX_IMPORT_BYTES } from 'src/lib/contactCsv'
import { markShuttingDown, registerHealthRoutes } from 'src/lib/health'
import { registerLiveEventsRoute, stopLiveEvents } from 'src/lib/live/liveEventsRoute'
import { logger } from 'src/lib/logger'
import { startMetricsServer } from 'src/lib/metricsServer'
import { flushTracing } from 'src/lib/tracing'
import { registerImportRunner, runContactImports } from 'src/services/contacts/contactImport'
import { registerDeskGauges, startAlarmWatch } from 'src/services/deskHealth/deskHealth'
import { startMediaFetchLoop } from 'src/services/media/mediaFetcher'
import { startReconcileLoop } from 'src/services/reconciliation/reconciliation'
import { startRetentionLoop } from 'src/services/retention/retention'
import { startChunkSubmitter } from 'src/services/sending/chunkSubmitter'
import { announceSetupToken } from 'src/services/staff/staff'

/**
 * The api server (`yarn rw dev`, `yarn rw serve api`).
 *
 * - Configuration is validated before anything listens: a bad variable stops
 *   start-up with a message naming it.
 * - JSON bodies are kept as text. Functions get the raw bytes either way, but
 *   fastify's own JSON parser would answer malformed JSON with its own 400
 *   before /sinchCallbacks could verify the signature and record the event.
 * - Request and body limits: slow or huge requests are cut off early.
 * - Reconciliation runs every RECONCILE_INTERVAL_SECONDS in each instance;
 *   the recipients it claims in the database keep instances apart. Retention
 *   runs every RETENTION_INTERVAL_SECONDS; an advisory lock lets one instance
 *   prune at a time.
 */
type ServerLogger = NonNullable<Parameters<typeof createServer>[0]>['logger']

/** Every request body, except a contact file's upload (/uploadContacts, MAX_IMPORT_BYTES and a margin). */
const BODY_LIMIT = 4 * 1024 * 1024
const UPLOAD_BODY_LIMIT = MAX_IMPORT_BYTES + 64 * 1024

function requestTimeoutMs(): number {
  const raw = process.env.API_REQUEST_TIMEOUT_MS
  const value = Number(raw || 30_000)
  if (!Number.isInteger(value) || value < 100) {
    throw new ConfigError([
      `API_REQUEST_TIMEOUT_MS must be a whole number of milliseconds, at least 100 (got "${raw}")`,
    ])
  }
  return value
}

async function main() {
  try {
    const settings = config()
    requestTimeoutMs()
    if (settings.callbacks.auth === 'none') {
      logger.warn(
        '!!! SINCH_CALLBACK_AUTH=none: /sinchCallbacks accepts UNAUTHENTICATED reports. Anyone who finds the URL can change delivery statuses. Use hmac, token or basic outside local experiments. !!!'
      )
    }
    if (process.env.NODE_ENV === 'production' && !settings.session.cookieSecure) {
      logger.warn('SESSION_COOKIE_SECURE=false: session cookies are sent over plain HTTP too.')
    }
    logger.info(
      {
        sinch: settings.sandbox ? 'sandbox' : settings.sinch.credentials.mode,
        smsBaseUrl: settings.sinch.smsBaseUrl,
        callbackUrl: settings.callbacks.url.replace(/token=[^&]+/, 'token=…'),
        callbackAuth: settings.callbacks.auth,
        callbackSecretIds: settings.callbacks.secrets.map((s) => s.id),
      },
      'configuration loaded'
    )
  } catch (error) {
    if (error instanceof ConfigError) {
      logger.fatal(error.message)
      // eslint-disable-next-line no-console
      console.error(error.message)
      process.exit(1)
    }
    throw error
  }

  const server = await createServer({
    // Redwood's logger is the pino logger fastify expects, but this pino's type declares no
    // `msgPrefix`, which fastify's logger type requires.
    logger: logger as unknown as ServerLogger,
    fastifyServerOptions: {
      // Which X-Forwarded-For hops to believe for request.ip (TRUST_PROXY).
      trustProxy: config().trustProxy,
      // Above the callback function's own limit (SINCH_CALLBACK_MAX_BODY_BYTES),
      // so that it answers 413 itself for most oversized bodies. Only the
      // contact upload takes more (see configureApiServer).
      bodyLimit: BODY_LIMIT,
      // A request (headers and body) must arrive within API_REQUEST_TIMEOUT_MS
      // (default 30 s), checked every second: a client trickling its body is
      // cut off with a 408 instead of holding a socket for ever. Node 20 only
      // enforces it when given to http.createServer (fastify's requestTimeout
      // alone is set afterwards and never fires), hence `http`.
      requestTimeout: requestTimeoutMs(),
      // (fastify 4 passes `http` to http.createServer; its types omit it.)
      ...({
        http: { requestTimeout: requestTimeoutMs(), connectionsCheckingInterval: Math.min(1000, requestTimeoutMs()) },
      } as object),
      connectionTimeout: 30_000,
    },
    configureApiServer: (fastify) => {
      // GET /healthz and /readyz for the load balancer (README "Monitoring").
      registerHealthRoutes(fastify, { readinessTimeoutMs: config().operations.readinessTimeoutMs })
      // GET /liveEvents: live updates pushed to signed-in staff (README "Live updates").
      registerLiveEventsRoute(fastify)
      // One route serves every function: it takes UPLOAD_BODY_LIMIT, and the
      // preParsing hook holds every function path but the contact upload to
      // BODY_LIMIT, by the declared length and by counting what arrives.
      // (GraphQL is served outside this plugin, with the server's BODY_LIMIT.)
      fastify.addHook('onRoute', (route) => {
        route.bodyLimit = UPLOAD_BODY_LIMIT
      })
      fastify.addHook('preParsing', (request, _reply, payload, done) => {
        if ((request.raw.url ?? '/').split(/[?#]/, 1)[0] === '/uploadContacts') return done(null, payload)
        limitBody(request.headers, payload, BODY_LIMIT, done)
      })
      // A contact file's upload (/uploadContacts) is text/csv; the function reads the raw body. As bytes: a
      // file that is not UTF-8 must reach the function (which says so), not fail fastify's length check.
      fastify.addContentTypeParser(
        'text/csv',
        { parseAs: 'buffer', bodyLimit: UPLOAD_BODY_LIMIT },
        (_req, body, done) => done(null, body)
      )
      fastify.removeContentTypeParser('application/json')
      fastify.addContentTypeParser('application/json', { parseAs: 'string' }, (_req, body, done) => done(null, body))
      // Redwood builds every function's event.path with @fastify/url-data,
      // which runs fast-uri over the whole URL. fast-uri 2.4 spends ~0.1 ms
      // normalising an IPv4 Host (127.0.0.1, a load balancer hitting the
      // instance by address): a fifth of a callback's CPU. The path is the
      // request line's path; only URLs with escapes take the full parser.
      fastify.addHook('onRequest', (request, _reply, done) => {
        const url = request.raw.url ?? '/'
        if (!url.includes('%')) {
          const req = request as unknown as { urlData: (key?: string) => unknown }
          const full = req.urlData
          req.urlData = (key) => (key === 'path' ? url.split(/[?#]/, 1)[0] : full.call(request, key))
        }
        done()
      })
    },
  })

  await server.start()
  // While the desk has no user: a one-time token for creating the first admin at /signup.
  await announceSetupToken().catch((error) => logger.error({ err: error }, 'could not prepare the setup token'))
  // Asks Sinch about recipients whose report never came (RECONCILE_INTERVAL_SECONDS, 0: off).
  startReconcileLoop()
  // Prometheus metrics on their own port (METRICS_PORT), the stalled-delivery alarm's warn line.
  const { operations } = config()
  registerDeskGauges()
  const metricsServer = startMetricsServer(operations.metricsPort, operations.metricsHost)
  startAlarmWatch()
  // Imports queued contact files; each instance claims one at a time with SKIP LOCKED.
  registerImportRunner(startBackgroundTask('contact import', 2000, runContactImports))
  // Prunes the callback log and unmatched reports (RETENTION_INTERVAL_SECONDS, 0: off); one instance at a time.
  startRetentionLoop()
  // Copies the files customers send from Sinch's temporary URLs (MEDIA_FETCH_INTERVAL_SECONDS, 0: off).
  startMediaFetchLoop()
  startChunkSubmitter()

  // Graceful stop (SIGTERM from an orchestrator, SIGINT from a terminal): stop
  // accepting connections, let in-flight requests finish and be answered, then
  // exit; after API_SHUTDOWN_TIMEOUT_MS (default 10 s) exit anyway. Requests
  // never answered are retried by Sinch against another or restarted instance.
  let stopping = false
  const shutdown = (signal: NodeJS.Signals) => {
    if (stopping) return
    stopping = true
    // /readyz answers 503 from now on; the balancer stops sending new requests
    // during API_SHUTDOWN_DRAIN_MS, while this instance still serves them.
    markShuttingDown()
    // Open event streams end now (they would hold the close until its timeout);
    // browsers reconnect through the balancer to an instance that is not stopping.
    void stopLiveEvents()
    logger.info(
      { signal, drainMs: operations.shutdownDrainMs },
      'shutting down: draining, then finishing in-flight requests'
    )
    setTimeout(
      () => {
        logger.warn('in-flight requests did not finish in time; exiting')
        process.exit(1)
      },
      operations.shutdownDrainMs + Number(process.env.API_SHUTDOWN_TIMEOUT_MS || 10_000)
    ).unref()
    const close = async () => {
      metricsServer?.close()
      await server.close()
      await flushTracing().catch(() => {})
    }
    new Promise((resolve) => setTimeout(resolve, operations.shutdownDrainMs)).then(close).then(
      () => process.exit(0),
      (error) => {
        logger.error({ err: error }, 'error while shutting down')
        process.exit(1)
      }
    )
  }
  process.on('SIGTERM', shutdown)
  process.on('SIGINT', shutdown)
}

main()
