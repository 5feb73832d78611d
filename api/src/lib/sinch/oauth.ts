/**
 * OAuth2 client credentials for a Sinch project access key (docs/sinch-protocol.md#authentication-oauth2):
 * one token endpoint for all regions, tokens valid about an hour. Cached until
 * 60 s before expiry; concurrent callers share one in-flight request.
 */
import { SinchApiError, SinchTimeoutError, SinchUnreachableError } from './errors'

export type TokenFetcher = { token(): Promise<string>; invalidate(): void }

export function createOAuthTokenFetcher(options: {
  authUrl: string
  keyId: string
  keySecret: string
  timeoutMs: number
  now?: () => number
}): TokenFetcher {
  const now = options.now ?? Date.now
  let cached: { value: string; refreshAt: number } | undefined
  let inFlight: Promise<string> | undefined

  async function fetchToken(): Promise<string> {
    const operation = 'the OAuth2 token request'
    let res: Response
    try {
      res = await fetch(options.authUrl, {
        method: 'POST',
        headers: {
          Authorization: `Basic ${Buffer.from(`${options.keyId}:${options.keySecret}`).toString('base64')}`,
          'Content-Type': 'application/x-www-form-urlencoded',
          Accept: 'application/json',
        },
        body: 'grant_type=client_credentials',
        signal: AbortSignal.timeout(options.timeoutMs),
      })
    } catch (error) {
      if ((error as Error)?.name === 'TimeoutError') throw new SinchTimeoutError(operation, options.timeoutMs)
      throw new SinchUnreachableError(operation, options.authUrl, error)
    }
    const body = (await res.json().catch(() => ({}))) as {
      access_token?: string
      expires_in?: number
      error?: string
      error_description?: string
    }
    if (!res.ok || !body.access_token) {
      throw new SinchApiError(
        res.status,
        body.error,
        body.error_description ?? 'no access_token in the answer',
        operation
      )
    }
    const lifetimeMs = Math.max(0, (body.expires_in ?? 3600) * 1000)
    cached = { value: body.access_token, refreshAt: now() + Math.max(lifetimeMs - 60_000, lifetimeMs / 2) }
    return body.access_token
  }

  return {
    token() {
      if (cached && now() < cached.refreshAt) return Promise.resolve(cached.value)
      inFlight ??= fetchToken().finally(() => {
        inFlight = undefined
      })
      return inFlight
    },
    invalidate() {
      cached = undefined
    },
  }
}
