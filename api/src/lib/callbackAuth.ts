/**
 * Who may post to /api/sinchCallbacks, per SINCH_CALLBACK_AUTH:
 *   hmac  Sinch's signature headers (verifySinchSignature) — the default
 *   token an unguessable ?token= in the callback URL (for plans without HMAC)
 *   basic HTTP Basic auth, which Sinch can be configured to send
 *   none  nobody is checked; allowed only when configured explicitly
 * Secrets are compared in constant time; failures say why, never the secret.
 */
import crypto from 'node:crypto'

import { secretFingerprint, type AppConfig } from './config'
import {
  describeSignatureFailure,
  headerValue,
  verifySinchSignature,
  type HeaderBag,
  type SignatureFailure,
} from './sinchSignature'

/** Why a callback was refused, as a code for the callback log (CallbackRejection.reason). */
export type CallbackAuthFailureCode =
  | SignatureFailure['reason']
  | 'nonce_replay'
  | 'token_missing'
  | 'token_mismatch'
  | 'basic_missing'
  | 'basic_mismatch'

/**
 * A verified nonce that was used before: the callback is refused (401) as a
 * replay. Thrown by the store, which consumes the nonce in the insert of the
 * callback-log row (src/services/smsStatus/ingest.ts): only a callback that
 * is stored uses its nonce up, so Sinch's retry of one we failed to store is
 * accepted.
 */
export class NonceReplayError extends Error {
  constructor(readonly nonce: string) {
    super('nonce already used')
    this.name = 'NonceReplayError'
  }
}

export type CallbackAuthResult =
  | {
      ok: true
      scheme: AppConfig['callbacks']['auth']
      secretId?: string
      /**
       * The verified signature nonce (hmac only). It is remembered as long as
       * the callback log keeps the callback, which is longer than its
       * timestamp can pass the window (config requires it).
       */
      nonce?: string
    }
  | {
      ok: false
      /** In words, for the 401's body and the log. */
      reason: string
      code: CallbackAuthFailureCode
      /** Structured: header, algorithm, skewSeconds, triedSecretIds… never a secret. */
      details: Record<string, unknown>
      challenge?: string
    }

/** The failure of verifySinchSignature as a code and details, with the fingerprints of the secrets tried. */
function signatureFailureDetails(
  failure: SignatureFailure,
  secrets: AppConfig['callbacks']['secrets']
): Record<string, unknown> {
  const { reason: _reason, ok: _ok, ...rest } = failure as SignatureFailure & { ok?: boolean }
  if (failure.reason !== 'signature_mismatch') return rest
  return { ...rest, triedSecrets: secrets.map((s) => ({ id: s.id, fingerprint: secretFingerprint(s.secret) })) }
}

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
      if (!token) return { ok: false, reason: 'missing ?token= query parameter', code: 'token_missing', details: {} }
      return safeEqual(token, callbacks.token ?? '')
        ? { ok: true, scheme: 'token', secretId: 'token' }
        : { ok: false, reason: 'wrong ?token= value', code: 'token_mismatch', details: { tokenLength: token.length } }
    }
    case 'basic': {
      const header = headerValue(input.headers, 'authorization')
      const challenge = 'Basic realm="sinchCallbacks", charset="UTF-8"'
      const match = header?.match(/^Basic\s+([A-Za-z0-9+/=]+)$/i)
      if (!match) {
        return {
          ok: false,
          reason: 'missing Basic authorization header',
          code: 'basic_missing',
          details: { authorizationHeader: header ? 'present, not Basic' : 'absent' },
          challenge,
        }
      }
      const expected = `${callbacks.basic?.user}:${callbacks.basic?.password}`
      const given = Buffer.from(match[1], 'base64').toString('utf8')
      return safeEqual(given, expected)
        ? { ok: true, scheme: 'basic', secretId: `basic:${callbacks.basic?.user}` }
        : {
            ok: false,
            reason: 'wrong Basic credentials',
            code: 'basic_mismatch',
            // The user name is not a secret; whether it matched tells a wrong password from a wrong user.
            details: {
              user: given.split(':')[0].slice(0, 100),
              userMatches: given.split(':')[0] === callbacks.basic?.user,
            },
            challenge,
          }
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
      if (!check.ok) {
        return {
          ok: false,
          reason: describeSignatureFailure(check),
          code: check.reason,
          details: signatureFailureDetails(check, callbacks.secrets),
        }
      }
      return { ok: true, scheme: 'hmac', secretId: check.secretId, nonce: check.nonce }
    }
  }
}

/** The callback URL Sinch is given: SINCH_CALLBACK_URL, with ?token= when SINCH_CALLBACK_AUTH=token. */
export function callbackUrlWithToken(callbacks: AppConfig['callbacks']): string {
  if (callbacks.auth !== 'token' || !callbacks.token) return callbacks.url
  const url = new URL(callbacks.url)
  url.searchParams.set('token', callbacks.token)
  return url.toString()
}

/** A URL or path+query with any token value replaced, fit for logs and the callback log. */
export function maskToken(url: string): string {
  return url.replace(/([?&]token=)[^&#]*/gi, (_m, key: string) => `${key}…`)
}
