/**
 * One-time tokens (the setup token, invitation and password-reset links):
 * 256 random bits, base64url; only their SHA-256 is stored, and comparisons
 * run in constant time.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto'

export function newOneTimeToken(): string {
  return randomBytes(32).toString('base64url')
}

export function hashOneTimeToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex')
}

/** Whether `given` equals `expected`, in time that depends on neither (both are hashed first). */
export function tokensEqual(given: string, expected: string): boolean {
  const a = createHash('sha256').update(given, 'utf8').digest()
  const b = createHash('sha256').update(expected, 'utf8').digest()
  return timingSafeEqual(a, b)
}

/** Whether the hex SHA-256 of `given` equals a stored hex hash, in constant time. */
export function tokenMatchesHash(given: string, storedHash: string): boolean {
  const a = Buffer.from(hashOneTimeToken(given), 'hex')
  const b = Buffer.from(storedHash, 'hex')
  return a.length === b.length && timingSafeEqual(a, b)
}

/** A token as it may arrive from a browser: a bounded string, or nothing. */
export function boundedToken(value: unknown): string | null {
  return typeof value === 'string' && value.length > 0 && value.length <= 200 ? value.trim() : null
}
