/**
 * Sinch's callback signature (SMS REST callbacks once HMAC is enabled for the
 * service plan, and Conversation API webhooks): see docs/sinch-protocol.md#callback-authentication.
 *
 *   x-sinch-webhook-signature = base64(HMAC-SHA256(utf8(secret), `${rawBody}.${nonce}.${timestamp}`))
 *
 * Stricter than the official SDK's `validateWebhookSignature`, which has no
 * timestamp window, ignores the algorithm header, compares with `===` and
 * accepts a missing nonce as the string "undefined". Nonce replay is checked
 * by the caller against the database (it must hold across instances).
 */
import crypto from 'node:crypto'

import type { CallbackSecret } from './config'

export const SIGNATURE_HEADER = 'x-sinch-webhook-signature'
export const NONCE_HEADER = 'x-sinch-webhook-signature-nonce'
export const TIMESTAMP_HEADER = 'x-sinch-webhook-signature-timestamp'
export const ALGORITHM_HEADER = 'x-sinch-webhook-signature-algorithm'

/**
 * Sinch documents only HmacSHA256 ("currently"). The Java SDK would also take
 * HmacSHA384/512 because it hands the header to Mac.getInstance; we refuse
 * anything Sinch does not send rather than let a caller pick the algorithm.
 */
export const SUPPORTED_ALGORITHMS = ['HmacSHA256'] as const

export type SignatureFailure =
  | { reason: 'missing_header'; header: string }
  | { reason: 'unsupported_algorithm'; algorithm: string }
  | { reason: 'malformed_header'; header: string }
  | { reason: 'timestamp_out_of_window'; skewSeconds: number; toleranceSeconds: number }
  | { reason: 'signature_mismatch'; triedSecretIds: string[] }
  | { reason: 'no_secret_configured' }

export type SignatureCheck =
  | { ok: true; secretId: string; nonce: string; timestamp: number }
  | ({ ok: false } & SignatureFailure)

export type HeaderBag = Record<string, string | string[] | undefined>

/** Header lookup that is case-insensitive and takes the first of repeated values. */
export function headerValue(headers: HeaderBag, name: string): string | undefined {
  const lower = name.toLowerCase()
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() === lower) return Array.isArray(value) ? value[0] : value
  }
  return undefined
}

export function computeSinchSignature(
  secret: string,
  rawBody: string,
  nonce: string,
  timestamp: string | number
): string {
  return crypto
    .createHmac('sha256', Buffer.from(secret, 'utf8'))
    .update(`${rawBody}.${nonce}.${timestamp}`, 'utf8')
    .digest('base64')
}

const BASE64_SHA256 = /^[A-Za-z0-9+/]{43}=$/
const NONCE = /^[\x21-\x7e]{1,200}$/
const EPOCH_SECONDS = /^\d{1,12}$/

export function verifySinchSignature(input: {
  headers: HeaderBag
  rawBody: string
  secrets: CallbackSecret[]
  toleranceSeconds: number
  nowMs?: number
}): SignatureCheck {
  const { headers, rawBody, secrets, toleranceSeconds } = input
  if (secrets.length === 0) return { ok: false, reason: 'no_secret_configured' }

  const values: Record<string, string> = {}
  for (const header of [SIGNATURE_HEADER, NONCE_HEADER, TIMESTAMP_HEADER, ALGORITHM_HEADER]) {
    const value = headerValue(headers, header)?.trim()
    if (!value) return { ok: false, reason: 'missing_header', header }
    values[header] = value
  }

  const algorithm = values[ALGORITHM_HEADER]
  if (!(SUPPORTED_ALGORITHMS as readonly string[]).includes(algorithm)) {
    return { ok: false, reason: 'unsupported_algorithm', algorithm: algorithm.slice(0, 40) }
  }
  if (!NONCE.test(values[NONCE_HEADER])) return { ok: false, reason: 'malformed_header', header: NONCE_HEADER }
  if (!EPOCH_SECONDS.test(values[TIMESTAMP_HEADER])) {
    return { ok: false, reason: 'malformed_header', header: TIMESTAMP_HEADER }
  }
  const signature = values[SIGNATURE_HEADER]
  if (!BASE64_SHA256.test(signature)) return { ok: false, reason: 'malformed_header', header: SIGNATURE_HEADER }

  const timestamp = Number(values[TIMESTAMP_HEADER])
  const skewSeconds = Math.round((input.nowMs ?? Date.now()) / 1000 - timestamp)
  if (Math.abs(skewSeconds) > toleranceSeconds) {
    return { ok: false, reason: 'timestamp_out_of_window', skewSeconds, toleranceSeconds }
  }

  const provided = Buffer.from(signature, 'base64')
  for (const { id, secret } of secrets) {
    const expected = Buffer.from(
      computeSinchSignature(secret, rawBody, values[NONCE_HEADER], values[TIMESTAMP_HEADER]),
      'base64'
    )
    if (expected.length === provided.length && crypto.timingSafeEqual(expected, provided)) {
      return { ok: true, secretId: id, nonce: values[NONCE_HEADER], timestamp }
    }
  }
  return { ok: false, reason: 'signature_mismatch', triedSecretIds: secrets.map((s) => s.id) }
}

/** One line for logs and the callback log: says why, never the secret. */
export function describeSignatureFailure(failure: SignatureFailure): string {
  switch (failure.reason) {
    case 'missing_header':
      return `missing header ${failure.header}`
    case 'unsupported_algorithm':
      return `unsupported algorithm "${failure.algorithm}" (only ${SUPPORTED_ALGORITHMS.join(', ')})`
    case 'malformed_header':
      return `malformed header ${failure.header}`
    case 'timestamp_out_of_window':
      return `timestamp ${failure.skewSeconds > 0 ? `${failure.skewSeconds}s in the past` : `${-failure.skewSeconds}s in the future`} (window ±${failure.toleranceSeconds}s)`
    case 'signature_mismatch':
      return `signature matches none of the configured secrets (${failure.triedSecretIds.join(', ')})`
    case 'no_secret_configured':
      return 'no callback secret configured (SINCH_CALLBACK_SECRETS)'
  }
}

/** Headers for an outgoing signed callback (the sandbox and the send-callback script). */
export function signSinchCallback(secret: string, rawBody: string, nowMs = Date.now()) {
  const nonce = crypto.randomBytes(16).toString('base64url')
  const timestamp = String(Math.floor(nowMs / 1000))
  return {
    [NONCE_HEADER]: nonce,
    [TIMESTAMP_HEADER]: timestamp,
    [ALGORITHM_HEADER]: 'HmacSHA256',
    [SIGNATURE_HEADER]: computeSinchSignature(secret, rawBody, nonce, timestamp),
  }
}
