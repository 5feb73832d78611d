import crypto from 'node:crypto'

import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda'

import { authenticateCallback, NonceReplayError } from 'src/lib/callbackAuth'
import { classifyCallback, parseCallbackJson } from 'src/lib/callbackPayload'
import { config, type AppConfig } from 'src/lib/config'
import { isDatabaseUnavailable } from 'src/lib/databaseErrors'
import { logger } from 'src/lib/logger'
import { countCallback, countDatabaseUnavailable, countRefusedCallback, observeCallbackStore } from 'src/lib/metrics'
import { withSpan } from 'src/lib/tracing'
import { recordCallbackRejection } from 'src/services/callbacks/callbackRejections'
import { ingestCallback, recordFailedCallback } from 'src/services/smsStatus/smsStatus'

/**
 * POST /api/sinchCallbacks — where Sinch delivers reports.
 *
 * Status codes follow Sinch's retry rules (docs/sinch-protocol.md#retries-and-status-codes):
 * 2xx only after the report is committed; 5xx when we failed (Sinch retries);
 * 4xx only for what must never be retried (it is dropped for good).
 */

const KEPT_HEADERS = [
  'content-type',
  'content-length',
  'user-agent',
  'host',
  'x-forwarded-for',
  'x-forwarded-proto',
  'x-forwarded-host',
  'x-sinch-webhook-signature-nonce',
  'x-sinch-webhook-signature-timestamp',
  'x-sinch-webhook-signature-algorithm',
  'x-sinch-webhook-signature',
]

const json = (
  statusCode: number,
  body: Record<string, unknown>,
  headers: Record<string, string> = {}
): APIGatewayProxyResult => ({
  statusCode,
  headers: { 'Content-Type': 'application/json', 'Cache-Control': 'no-store', ...headers },
  body: JSON.stringify(body),
})

/**
 * The headers once, by lower-case name (the first of repeated ones, as
 * headerValue takes it): a dozen lookups follow, each of which would
 * otherwise walk and lower-case every header again.
 */
function byLowerCaseName(headers: APIGatewayProxyEvent['headers']): Record<string, string> {
  const map: Record<string, string> = {}
  for (const [key, value] of Object.entries(headers ?? {})) {
    const name = key.toLowerCase()
    const first = Array.isArray(value) ? value[0] : value
    if (map[name] === undefined && first !== undefined) map[name] = first
  }
  return map
}

function keptHeaders(headers: Record<string, string>): Record<string, string> {
  const kept: Record<string, string> = {}
  for (const name of KEPT_HEADERS) {
    const value = headers[name]
    if (value !== undefined) kept[name] = value.slice(0, 500)
  }
  return kept
}

function rawBodyOf(event: APIGatewayProxyEvent): Buffer {
  if (!event.body) return Buffer.alloc(0)
  return event.isBase64Encoded ? Buffer.from(event.body, 'base64') : Buffer.from(event.body, 'utf8')
}

export const handler = async (event: APIGatewayProxyEvent, _context: Context): Promise<APIGatewayProxyResult> => {
  const requestId = event.requestContext?.requestId || crypto.randomUUID()
  // Made when something is logged: most callbacks log nothing above debug.
  let child: typeof logger | undefined
  const log = () => (child ??= logger.child({ webhook: 'sinchCallbacks', requestId }))

  let settings: AppConfig['callbacks']
  try {
    settings = config().callbacks
  } catch (error) {
    log().error({ err: error }, 'configuration is invalid; answering 500 so Sinch retries once it is fixed')
    countCallback('unparsed', 'failed', 500)
    return json(500, { error: 'server misconfigured' })
  }

  if (event.httpMethod !== 'POST') {
    countRefusedCallback('wrong_method', 405)
    return json(405, { error: `method ${event.httpMethod} not allowed` }, { Allow: 'POST' })
  }
  const allHeaders = byLowerCaseName(event.headers)
  const contentType = allHeaders['content-type'] ?? ''
  if (!/^application\/json\s*(;|$)/i.test(contentType)) {
    countRefusedCallback('wrong_content_type', 415)
    return json(415, { error: 'Content-Type must be application/json' })
  }
  const bytes = rawBodyOf(event)
  if (bytes.length > settings.maxBodyBytes) {
    countRefusedCallback('body_too_large', 413)
    log().warn({ bytes: bytes.length, limit: settings.maxBodyBytes }, 'callback body too large')
    return json(413, { error: `body larger than ${settings.maxBodyBytes} bytes` })
  }
  // The signature covers these exact bytes, decoded once as UTF-8.
  const rawBody = bytes.toString('utf8')
  const headers = keptHeaders(allHeaders)

  const auth = authenticateCallback({
    callbacks: settings,
    headers: allHeaders,
    query: event.queryStringParameters,
    rawBody,
  })
  if (!auth.ok) {
    countRefusedCallback(auth.code, 401)
    // The only write for a 401: the diagnostics row (best-effort, bounded). Not
    // logged when over budget: a flood is rate-limited in the log as in the table.
    const recorded = await recordCallbackRejection({
      event,
      requestId,
      code: auth.code,
      reasonText: auth.reason,
      details: auth.details,
      rawBody,
      contentLength: bytes.length,
    })
    if (recorded !== 'over budget') {
      log().warn(
        {
          reason: auth.reason,
          forwardedProto: headers['x-forwarded-proto'],
          forwardedHost: headers['x-forwarded-host'],
        },
        'callback refused: authentication failed'
      )
    }
    // Nothing for an attacker to learn: the reason is in CallbackRejection, for admins.
    return json(401, { error: 'unauthenticated' }, auth.challenge ? { 'WWW-Authenticate': auth.challenge } : {})
  }

  const common = { rawBody, headers, requestId, secretId: auth.secretId, nonce: auth.nonce }
  const parsed = parseCallbackJson(rawBody)
  const classified = parsed.ok
    ? classifyCallback(parsed.json)
    : ({ ok: false, kind: 'invalid', error: parsed.error } as const)

  const storeStarted = performance.now()
  try {
    if (!classified.ok) {
      await withSpan('smsStatus.ingestCallback', () =>
        ingestCallback({ ...common, rejected: { kind: classified.kind, error: classified.error } })
      )
      countCallback(classified.kind, 'rejected', 400)
      log().warn({ kind: classified.kind, error: classified.error }, 'callback rejected: invalid payload')
      return json(400, { error: 'invalid payload', detail: classified.error })
    }
    const result = await withSpan('smsStatus.ingestCallback', () =>
      ingestCallback({ ...common, callback: classified.callback })
    )
    observeCallbackStore((performance.now() - storeStarted) / 1000)
    countCallback(classified.callback.kind, result.verdict.toLowerCase(), 200)
    // Debug, not info: every callback is in the callback log already, and a
    // line per callback at info cost more than the rest of the answer.
    if (logger.isLevelEnabled('debug')) {
      log().debug(
        {
          kind: classified.callback.kind,
          verdict: result.verdict,
          state: result.state,
          stored: result.stored,
          callbackEventId: result.callbackEventId,
        },
        'callback stored'
      )
    }
    return json(200, {
      status: result.verdict.toLowerCase(),
      state: result.state.toLowerCase(),
      stored: result.stored,
      // Reports for unknown recipients beyond SINCH_CALLBACK_MAX_UNMATCHED_REPORTS.
      ...(result.skipped > 0 ? { notStored: result.skipped } : {}),
    })
  } catch (error) {
    if (error instanceof NonceReplayError) {
      countRefusedCallback('nonce_replay', 401)
      log().warn({ reason: 'nonce replay' }, 'callback refused: nonce already used')
      await recordCallbackRejection({
        event,
        requestId,
        code: 'nonce_replay',
        reasonText: 'nonce already used (replay)',
        details: { nonce: auth.nonce, secretId: auth.secretId },
        rawBody,
        contentLength: bytes.length,
      })
      return json(401, { error: 'unauthenticated' })
    }
    const unavailable = isDatabaseUnavailable(error)
    log().error({ err: error, unavailable }, 'callback not stored; answering 5xx so Sinch retries')
    if (!unavailable) {
      await recordFailedCallback({
        ...common,
        kind: classified.ok
          ? classified.callback.kind === 'ignored'
            ? classified.callback.label
            : classified.callback.kind
          : classified.kind,
        error: `processing failed, answered 500 so Sinch retries: ${(error as Error).message}`.slice(0, 2000),
      })
    }
    countCallback(classified.ok ? classified.callback.kind : classified.kind, 'failed', unavailable ? 503 : 500)
    if (unavailable) countDatabaseUnavailable('sinchCallbacks')
    return unavailable
      ? json(503, { error: 'storage unavailable, retry later' }, { 'Retry-After': '5' })
      : json(500, { error: 'could not store the callback, retry later' })
  }
}
