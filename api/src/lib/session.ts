/**
 * Staff sessions beyond what dbAuth does by itself. dbAuth's cookie is an
 * encrypted copy of the fields listed in `allowedUserFields`, and it trusts
 * it for as long as the browser keeps it. We add two claims at sign-in and
 * check them on every request (getCurrentUser, and /auth's getToken):
 *
 * - `sessionVersion`, the user's at sign-in: a password reset or "sign out
 *   everywhere" increments the user's, which ends every older session.
 * - `sessionIssuedAt` (ms): a session ends SESSION_MAX_AGE_HOURS after
 *   sign-in even if someone kept the cookie past its Expires date.
 */
import type { APIGatewayProxyEvent } from 'aws-lambda'

import type { Decoded, Decoder } from '@redwoodjs/api'

import { config } from './config'
import { isLoopbackPlainHttp } from './requestOrigin'

/** The claims added to dbAuth's session cookie (they go into `allowedUserFields`). */
export const SESSION_CLAIM_FIELDS = ['sessionVersion', 'sessionIssuedAt']

/** A clock this far ahead of ours still counts (several api instances). */
const CLOCK_SKEW_MS = 60_000

/** What the login handler returns: the user with the time of sign-in (its sessionVersion is a column). */
export function withSessionClaims<U extends object>(user: U, now = Date.now()) {
  return { ...user, sessionIssuedAt: now }
}

/** True if `session` (decoded from the cookie) still stands for `user` now. */
export function isSessionCurrent(
  session: Decoded,
  user: { sessionVersion: number },
  options: { now?: number; maxAgeMs?: number } = {}
): boolean {
  const now = options.now ?? Date.now()
  const maxAgeMs = options.maxAgeMs ?? config().session.maxAgeMs
  const issuedAt = session?.sessionIssuedAt
  return (
    session?.sessionVersion === user.sessionVersion &&
    typeof issuedAt === 'number' &&
    issuedAt <= now + CLOCK_SKEW_MS &&
    now - issuedAt <= maxAgeMs
  )
}

/**
 * The session cookie's Secure flag. In production it comes from
 * configuration (SESSION_COOKIE_SECURE, default true), never from headers a
 * client or proxy could set. Elsewhere: Secure except for plain HTTP to this
 * machine (yarn rw dev), where a browser would drop a Secure cookie.
 */
export function sessionCookieSecure(event: APIGatewayProxyEvent): boolean {
  return config().session.cookieSecure ?? !isLoopbackPlainHttp(event.headers ?? {})
}

/**
 * A cookie that does not decrypt (forged, or made with an older
 * SESSION_SECRET) is no session: the request is unauthenticated. dbAuth's
 * decoder throws instead, which GraphQL turns into a server error.
 */
export function tolerantDecoder(decoder: Decoder): Decoder {
  return async (token, type, req) => {
    try {
      return await decoder(token, type, req)
    } catch {
      return null
    }
  }
}
