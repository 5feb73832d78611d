/**
 * "Send a test callback" on the callback log: the whole path in one click.
 * Builds a realistic recipient_delivery_report_sms, authenticates it the way
 * SINCH_CALLBACK_AUTH says Sinch will (HMAC with the first secret, ?token= in
 * the URL, or Basic), POSTs it over real HTTP to SINCH_CALLBACK_URL (through
 * ngrok or a proxy if that is what is configured) and reports the answer and
 * what the desk recorded for it, found by the request's nonce.
 *
 * The report repeats the latest stored report of an existing SMS recipient
 * when there is one: same batch, number, status, code and time, so it is a
 * duplicate and changes nothing. Without any, it names a made-up batch and is
 * recorded UNMATCHED.
 */
import crypto from 'node:crypto'

import type { MutationResolvers } from 'types/graphql'

import { requireAuth } from 'src/lib/auth'
import { callbackUrlWithToken, maskToken } from 'src/lib/callbackAuth'
import { buildCallbackPayload } from 'src/lib/callbackBuilder'
import { config, type AppConfig } from 'src/lib/config'
import { db } from 'src/lib/db'
import { logger } from 'src/lib/logger'
import { ROLES_THAT } from 'src/lib/roles'
import { NONCE_HEADER, signSinchCallback } from 'src/lib/sinchSignature'
import { recordAudit } from 'src/services/audit/audit'

export const TEST_CALLBACK_TIMEOUT_MS = 10_000

async function testReport() {
  const latest = await db.smsStatusUpdate.findFirst({
    where: { recipientId: { not: null }, dedupeKey: { startsWith: 'sms:' } },
    orderBy: { id: 'desc' },
  })
  if (latest) {
    return {
      existingRecipient: true,
      batchId: latest.batchId,
      recipient: latest.phoneNumber,
      payload: buildCallbackPayload({
        batch: latest.batchId,
        recipient: latest.phoneNumber,
        status: latest.status,
        code: String(latest.code ?? 0),
        at: latest.at.toISOString(),
        'operator-status-at': (latest.operatorStatusAt ?? latest.at).toISOString(),
        'client-reference': latest.clientReference ?? undefined,
      }),
    }
  }
  const batchId = `TESTCALLBACK${crypto.randomBytes(6).toString('hex').toUpperCase()}`
  const recipient = '+46700000000'
  return {
    existingRecipient: false,
    batchId,
    recipient,
    payload: buildCallbackPayload({ batch: batchId, recipient, status: 'Delivered', code: '0' }),
  }
}

/** Posts one test callback with the given sender settings (the desk's own, or in tests a wrong secret). */
export async function runTestCallback(sender: AppConfig['callbacks'], timeoutMs = TEST_CALLBACK_TIMEOUT_MS) {
  const report = await testReport()
  const body = JSON.stringify(report.payload)
  const url = callbackUrlWithToken(sender)
  const shownUrl = maskToken(url)
  // Every test request carries a nonce header, whatever the scheme: it is how
  // its callback event or refusal is found afterwards.
  let headers: Record<string, string> = { [NONCE_HEADER]: crypto.randomBytes(16).toString('base64url') }
  let secretId: string | null = null
  if (sender.auth === 'hmac') {
    const secret = sender.secrets[0]
    if (secret) {
      headers = signSinchCallback(secret.secret, body)
      secretId = secret.id
    }
  } else if (sender.auth === 'basic' && sender.basic) {
    headers.Authorization = `Basic ${Buffer.from(`${sender.basic.user}:${sender.basic.password}`, 'utf8').toString('base64')}`
  }
  const nonce = headers[NONCE_HEADER]
  const started = Date.now()
  const base = {
    url: shownUrl,
    auth: sender.auth,
    secretId,
    batchId: report.batchId,
    recipient: report.recipient,
    existingRecipient: report.existingRecipient,
  }

  let httpStatus: number
  let responseBody: string
  try {
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'User-Agent': 'delivery-desk-test-callback', ...headers },
      body,
      redirect: 'manual',
      signal: AbortSignal.timeout(timeoutMs),
    })
    httpStatus = res.status
    responseBody = (await res.text()).slice(0, 2000)
  } catch (error) {
    const e = error as Error & { cause?: { code?: string; message?: string } }
    const reason =
      e.name === 'TimeoutError'
        ? `no answer within ${timeoutMs / 1000} s`
        : [e.message, e.cause?.code ?? e.cause?.message].filter(Boolean).join(': ')
    logger.warn({ url: shownUrl, err: error }, 'test callback: unreachable')
    return {
      ...base,
      outcome: 'UNREACHABLE' as const,
      httpStatus: null,
      responseBody: null,
      error: reason,
      durationMs: Date.now() - started,
      callbackEvent: null,
      rejection: null,
      summary: `Unreachable: ${shownUrl} did not answer (${reason}).`,
    }
  }
  const durationMs = Date.now() - started

  const since = new Date(started - 60_000)
  const [callbackEvent, rejection] = await Promise.all([
    db.callbackEvent.findFirst({
      where: {
        receivedAt: { gte: since },
        OR: [{ nonce }, { headers: { path: [NONCE_HEADER], equals: nonce } }],
      },
      orderBy: { id: 'desc' },
    }),
    db.callbackRejection.findFirst({ where: { nonce, receivedAt: { gte: since } }, orderBy: { id: 'desc' } }),
  ])

  const outcome: 'ACCEPTED' | 'REFUSED' | 'FAILED' =
    httpStatus >= 200 && httpStatus < 300 ? 'ACCEPTED' : httpStatus === 401 ? 'REFUSED' : 'FAILED'
  const recorded = callbackEvent
    ? ` The desk recorded it as ${callbackEvent.verdict.toLowerCase()}, ${callbackEvent.processingState.toLowerCase()}${
        callbackEvent.processingState === 'UNMATCHED' ? ' (a made-up batch: no message has it, which is expected)' : ''
      }${callbackEvent.verdict === 'DUPLICATE' ? ' (a repeat of a stored report: nothing changed)' : ''}.`
    : ''
  const summary =
    outcome === 'ACCEPTED'
      ? `Accepted: ${shownUrl} answered ${httpStatus}.${recorded || ' No callback with its nonce is in this desk’s log: the URL may lead to another instance or database.'}`
      : outcome === 'REFUSED'
        ? `Refused (401): ${rejection?.reasonText ?? safeReason(responseBody) ?? 'authentication failed'}.${rejection ? '' : ' Not in this desk’s log of refused callbacks: the URL may lead to another instance.'}`
        : `Failed: ${shownUrl} answered ${httpStatus}${responseBody ? `: ${responseBody.slice(0, 200)}` : ''}.${recorded}`

  logger.info(
    { url: shownUrl, httpStatus, outcome, durationMs, callbackEventId: callbackEvent?.id, rejectionId: rejection?.id },
    'test callback sent'
  )
  return { ...base, outcome, httpStatus, responseBody, error: null, durationMs, callbackEvent, rejection, summary }
}

function safeReason(body: string): string | undefined {
  try {
    const reason = (JSON.parse(body) as { reason?: unknown }).reason
    return typeof reason === 'string' ? reason : undefined
  } catch {
    return undefined
  }
}

export const sendTestCallback: MutationResolvers['sendTestCallback'] = async () => {
  requireAuth({ roles: [...ROLES_THAT.administer] })
  const result = await runTestCallback(config().callbacks)
  await recordAudit(db, {
    action: 'test_callback_sent',
    details: { outcome: result.outcome, httpStatus: result.httpStatus ?? null },
  })
  return result
}
