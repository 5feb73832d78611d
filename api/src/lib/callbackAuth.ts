/**
 * Who may post to /api/sinchCallbacks, per SINCH_CALLBACK_AUTH:
 *   hmac  Sinch's signature headers (verifySinchSignature) — the default
 *   token an unguessable ?token= in the callback URL (for plans without HMAC)
 *   basic HTTP Basic auth, which Sinch can be configured to send
 *   none  nobody is checked; allowed only when configured explicitly
 * Secrets are compared in constant time; failures say why, never the secret.
 */
import crypto from 'node:crypto'

import type { AppConfig } from './config'
import {
  describeSignatureFailure,
  headerValue,
  verifySinchSignature,
  type HeaderBag,
} from './sinchSignature'

export type CallbackAuthResult =
  | { ok: true; scheme: AppConfig['callbacks']['auth']; secretId?: string; nonce?: { value: string; expiresAt: Date } }
  | { ok: false; reason: string; challenge?: string }

function safeEqual(a: string, b: string): boolean {
  // Hash first so the comparison does not leak the expected length.
  const ha = crypto.createHash('sha256').update(a, 'utf8').digest()
  const hb = crypto.createHash('sha256').update(b, 'utf8').digest()
  return crypto.timingSafeEqual(ha, hb)
}

export function authenticateCallback(input: {
  callbacks: AppConfig['callbacks']
  headers: HeaderBag
  query: Record<string, string | string[] | undefined> | null | undefined
  rawBody: string
  nowMs?: number
}): CallbackAuthResult {
  const { callbacks } = input
  switch (callbacks.auth) {
    case 'none':
      return { ok: true, scheme: 'none' }
    case 'token': {
      const raw = input.query?.token
      const token = Array.isArray(raw) ? raw[0] : raw
      if (!token) return { ok: false, reason: 'missing ?token= query parameter' }
      return safeEqual(token, callbacks.token ?? '')
        ? { ok: true, scheme: 'token', secretId: 'token' }
        : { ok: false, reason: 'wrong ?token= value' }
    }
    case 'basic': {
      const header = headerValue(input.headers, 'authorization')
      const challenge = 'Basic realm="sinchCallbacks", charset="UTF-8"'
      const match = header?.match(/^Basic\s+([A-Za-z0-9+/=]+)$/i)
      if (!match) return { ok: false, reason: 'missing Basic authorization header', challenge }
      const expected = `${callbacks.basic?.user}:${callbacks.basic?.password}`
      return safeEqual(Buffer.from(match[1], 'base64').toString('utf8'), expected)
        ? { ok: true, scheme: 'basic', secretId: `basic:${callbacks.basic?.user}` }
        : { ok: false, reason: 'wrong Basic credentials', challenge }
    }
    case 'hmac': {
      const nowMs = input.nowMs ?? Date.now()
      const check = verifySinchSignature({
        headers: input.headers,
        rawBody: input.rawBody,
        secrets: callbacks.secrets,
        toleranceSeconds: callbacks.toleranceSeconds,
        nowMs,
      })
      if (!check.ok) return { ok: false, reason: describeSignatureFailure(check) }
      // Remember the nonce as long as its timestamp could still be accepted.
      const expiresAt = new Date(Math.max(check.timestamp * 1000, nowMs) + (callbacks.toleranceSeconds + 60) * 1000)
      return { ok: true, scheme: 'hmac', secretId: check.secretId, nonce: { value: check.nonce, expiresAt } }
    }
  }
}
