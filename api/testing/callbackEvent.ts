/** Builds API Gateway events for /sinchCallbacks, signed the way Sinch signs. */
import crypto from 'node:crypto'

import type { APIGatewayProxyEvent } from 'aws-lambda'

import { computeSinchSignature } from 'src/lib/sinchSignature'

export const TEST_CALLBACK_SECRET = 'test-callback-secret-current'
export const OLD_CALLBACK_SECRET = 'test-callback-secret-previous'

export type SignOptions = {
  secret?: string
  nonce?: string
  timestamp?: number | string
  algorithm?: string
  omit?: string[]
  headers?: Record<string, string>
  method?: string
  query?: Record<string, string>
}

export function callbackEvent(body: string | object, options: SignOptions = {}): APIGatewayProxyEvent {
  const raw = typeof body === 'string' ? body : JSON.stringify(body)
  const nonce = options.nonce ?? crypto.randomUUID()
  const timestamp = String(options.timestamp ?? Math.floor(Date.now() / 1000))
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    'x-sinch-webhook-signature-nonce': nonce,
    'x-sinch-webhook-signature-timestamp': timestamp,
    'x-sinch-webhook-signature-algorithm': options.algorithm ?? 'HmacSHA256',
    'x-sinch-webhook-signature': computeSinchSignature(options.secret ?? TEST_CALLBACK_SECRET, raw, nonce, timestamp),
    ...options.headers,
  }
  for (const name of options.omit ?? []) delete headers[name]
  return {
    httpMethod: options.method ?? 'POST',
    path: '/sinchCallbacks',
    headers,
    multiValueHeaders: {},
    queryStringParameters: options.query ?? null,
    multiValueQueryStringParameters: null,
    pathParameters: null,
    stageVariables: null,
    body: raw,
    isBase64Encoded: false,
    resource: '/sinchCallbacks',
    requestContext: { requestId: crypto.randomUUID() } as APIGatewayProxyEvent['requestContext'],
  }
}

export function recipientReport(fields: {
  batchId: string
  recipient: string
  status: string
  code: number
  at: string
  clientReference?: string
  operatorStatusAt?: string
  type?: string
}) {
  return {
    type: fields.type ?? 'recipient_delivery_report_sms',
    batch_id: fields.batchId,
    recipient: fields.recipient,
    code: fields.code,
    status: fields.status,
    at: fields.at,
    ...(fields.operatorStatusAt ? { operator_status_at: fields.operatorStatusAt } : {}),
    ...(fields.clientReference ? { client_reference: fields.clientReference } : {}),
  }
}
