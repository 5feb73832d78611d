/**
 * The diagnostics log of callbacks refused for authentication (401): why, and
 * how the request was seen (Host, X-Forwarded-Proto, X-Forwarded-Host), since
 * "the signature fails behind a proxy or tunnel" is the usual complaint.
 *
 * Rate-limited per client address (src/lib/callbackRejectionBudget.ts).
 * Best-effort: one small insert of its own, whose failure is logged and
 * otherwise ignored (the answer stays 401). Bounded, so that unauthenticated
 * traffic cannot fill the disk: rows older than 7 days and all but the newest
 * 5,000 are deleted, at most once a minute or every 500 inserts per instance.
 */
import type { APIGatewayProxyEvent } from 'aws-lambda'

import type { CallbackAuthFailureCode } from 'src/lib/callbackAuth'
import { maskToken } from 'src/lib/callbackAuth'
import { admitRefusedCallback } from 'src/lib/callbackRejectionBudget'
import { db } from 'src/lib/db'
import { logger } from 'src/lib/logger'
import { countRetentionPruned } from 'src/lib/metrics'
import { headerValue, NONCE_HEADER } from 'src/lib/sinchSignature'

export const REJECTION_RETENTION_DAYS = 7
export const REJECTION_MAX_ROWS = 5000
export const BODY_EXCERPT_CHARS = 500
const PRUNE_EVERY_MS = 60_000
const PRUNE_EVERY_INSERTS = 500

let lastPruneAt = 0
let insertsSincePrune = 0

const short = (v: string | undefined, max = 500) => (v === undefined ? null : v.slice(0, max))

/** Path and query of the request as it reached us, with any token value masked. */
export function requestPathOf(event: APIGatewayProxyEvent): string {
  const query = new URLSearchParams()
  for (const [k, v] of Object.entries(event.queryStringParameters ?? {})) {
    for (const one of Array.isArray(v) ? v : [v]) if (one !== undefined) query.append(k, String(one))
  }
  const qs = query.toString()
  return maskToken(`${event.path || '/'}${qs ? `?${qs}` : ''}`).slice(0, 2000)
}

/** Records a refused callback, unless its address is over its hourly budget (then it is only counted). */
export async function recordCallbackRejection(input: {
  event: APIGatewayProxyEvent
  requestId: string
  code: CallbackAuthFailureCode
  reasonText: string
  details: Record<string, unknown>
  rawBody: string
  contentLength: number
}): Promise<'recorded' | 'over budget' | 'failed'> {
  const { event } = input
  const headers = event.headers ?? {}
  const remoteAddress = short(event.requestContext?.identity?.sourceIp ?? headerValue(headers, 'x-forwarded-for'), 200)
  try {
    // A flood from one address is counted, not recorded (src/lib/callbackRejectionBudget.ts).
    if (!(await admitRefusedCallback(remoteAddress ?? 'unknown'))) return 'over budget'
    await db.callbackRejection.create({
      data: {
        requestId: short(input.requestId, 200),
        reason: input.code,
        reasonText: input.reasonText.slice(0, 1000),
        details: input.details as object,
        method: (event.httpMethod ?? '').slice(0, 20),
        url: requestPathOf(event),
        host: short(headerValue(headers, 'host')),
        forwardedProto: short(headerValue(headers, 'x-forwarded-proto')),
        forwardedHost: short(headerValue(headers, 'x-forwarded-host')),
        remoteAddress,
        contentLength: input.contentLength,
        bodyExcerpt: input.rawBody.slice(0, BODY_EXCERPT_CHARS),
        nonce: short(headerValue(headers, NONCE_HEADER)?.trim(), 200),
      },
    })
  } catch (error) {
    logger.warn(
      { err: error, requestId: input.requestId },
      'could not record the refused callback in the callback log (the answer is 401 anyway)'
    )
    return 'failed'
  }
  insertsSincePrune++
  if (insertsSincePrune >= PRUNE_EVERY_INSERTS || Date.now() - lastPruneAt >= PRUNE_EVERY_MS) {
    insertsSincePrune = 0
    lastPruneAt = Date.now()
    // Not awaited: the 401 does not wait for housekeeping.
    pruneCallbackRejections().then(
      (rows) => countRetentionPruned('CallbackRejection', rows),
      (error) => logger.warn({ err: error }, 'could not prune refused callbacks')
    )
  }
  return 'recorded'
}

/** Deletes rows older than the retention and beyond the newest REJECTION_MAX_ROWS (both by index). */
export async function pruneCallbackRejections(
  options: { maxRows?: number; retentionDays?: number } = {}
): Promise<number> {
  const maxRows = options.maxRows ?? REJECTION_MAX_ROWS
  const days = options.retentionDays ?? REJECTION_RETENTION_DAYS
  const old =
    await db.$executeRaw`DELETE FROM "CallbackRejection" WHERE "receivedAt" < now() - make_interval(days => ${days}::int)`
  const beyond = await db.$executeRaw`
    DELETE FROM "CallbackRejection"
    WHERE id <= (SELECT id FROM "CallbackRejection" ORDER BY id DESC OFFSET ${maxRows}::int LIMIT 1)`
  return old + beyond
}
