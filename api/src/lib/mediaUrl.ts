/**
 * Expiring, signed URLs for the files staff send: Sinch fetches them without
 * a session, so the URL itself is the permission. The signature is
 * HMAC-SHA256 over the file's random key and the expiry, compared in
 * constant time; changing either breaks it.
 */
import crypto from 'node:crypto'

export function mediaUrlSignature(secret: string, key: string, expiresAtSeconds: number): string {
  return crypto.createHmac('sha256', secret).update(`${key}.${expiresAtSeconds}`).digest('base64url')
}

export function signedMediaUrl(baseUrl: string, secret: string, key: string, expiresAt: Date): string {
  const exp = Math.floor(expiresAt.getTime() / 1000)
  const sig = mediaUrlSignature(secret, key, exp)
  return `${baseUrl}/mediaPublic?key=${encodeURIComponent(key)}&exp=${exp}&sig=${sig}`
}

export type SignedUrlCheck = { ok: true } | { ok: false; reason: 'malformed' | 'expired' | 'bad-signature' }

export function checkSignedMediaUrl(
  secret: string,
  params: { key?: string; exp?: string; sig?: string },
  now = new Date()
): SignedUrlCheck {
  const { key, exp, sig } = params
  if (!key || !exp || !sig || !/^[\w-]{10,64}$/.test(key) || !/^\d{1,12}$/.test(exp))
    return { ok: false, reason: 'malformed' }
  const expected = Buffer.from(mediaUrlSignature(secret, key, Number(exp)))
  const given = Buffer.from(sig)
  if (expected.length !== given.length || !crypto.timingSafeEqual(expected, given))
    return { ok: false, reason: 'bad-signature' }
  if (Number(exp) * 1000 < now.getTime()) return { ok: false, reason: 'expired' }
  return { ok: true }
}

/** A new file key: 128 random bits. */
export function newMediaKey(): string {
  return crypto.randomBytes(16).toString('base64url')
}

/** Whether a host is one we fetch media from: exact, or `*.example.com` for its subdomains. */
export function hostAllowed(host: string, patterns: string[]): boolean {
  const h = host.toLowerCase().replace(/\.$/, '')
  return patterns.some((p) => (p.startsWith('*.') ? h.endsWith(p.slice(1)) && h.length > p.length - 1 : h === p))
}
