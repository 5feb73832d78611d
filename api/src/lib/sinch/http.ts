import { observeSinchRequest, sinchEndpoint } from 'src/lib/metrics'

import { SinchApiError, SinchTimeoutError, SinchUnreachableError } from './errors'
import type { TokenFetcher } from './oauth'

export type HttpMethod = 'GET' | 'POST' | 'DELETE'

export type SinchHttpAnswer = { status: number; ok: boolean; text: string; json: unknown; retryAfter: string | null }

/**
 * One HTTP call to a Sinch API, shared by the SMS and Conversation clients:
 * JSON in and out, a timeout, and transport failures as typed errors. What an
 * error body means differs per API, so the callers read status and json.
 */
export async function sinchFetch(
  operation: string,
  url: string,
  init: { method: HttpMethod; authorization: string; body?: unknown },
  timeoutMs: number
): Promise<SinchHttpAnswer> {
  const endpoint = sinchEndpoint(init.method, url)
  const started = performance.now()
  const seconds = () => (performance.now() - started) / 1000
  let res: Response
  try {
    res = await fetch(url, {
      method: init.method,
      headers: {
        Authorization: init.authorization,
        Accept: 'application/json',
        ...(init.body === undefined ? {} : { 'Content-Type': 'application/json' }),
      },
      // A Uint8Array is a JSON body already serialised (an audience's dry run, built in its worker thread).
      body:
        init.body === undefined ? undefined : init.body instanceof Uint8Array ? init.body : JSON.stringify(init.body),
      signal: AbortSignal.timeout(timeoutMs),
    })
  } catch (error) {
    const timedOut = (error as Error)?.name === 'TimeoutError'
    observeSinchRequest(endpoint, timedOut ? 'timeout' : 'unreachable', seconds())
    if (timedOut) throw new SinchTimeoutError(operation, timeoutMs)
    throw new SinchUnreachableError(operation, url, error)
  }
  const text = await res.text()
  observeSinchRequest(endpoint, res.status, seconds())
  let json: unknown
  try {
    json = text ? JSON.parse(text) : undefined
  } catch {
    json = undefined
  }
  return { status: res.status, ok: res.ok, text, json, retryAfter: res.headers.get('retry-after') }
}

/** Where an API puts Sinch's error code and text in its error body. */
export type SinchErrorBodyReader = (json: unknown) => { code?: string; text?: string }

const asString = (v: unknown) => (typeof v === 'string' ? v : undefined)

/** The SMS REST API: {"code": "syntax_invalid_parameter_format", "text": "…"} (docs/sinch-protocol.md). */
export const readSmsErrorBody: SinchErrorBodyReader = (json) => {
  const err = (json ?? {}) as { code?: unknown; text?: unknown }
  return { code: asString(err.code), text: asString(err.text) }
}

/**
 * The Conversation API answers in Google's style,
 * {"error": {"code": 400, "message": "…", "status": "INVALID_ARGUMENT"}}; Sinch's
 * reference does not document the body (docs/sinch-protocol.md), so a body of
 * another shape falls back to the raw text.
 */
export const readConversationErrorBody: SinchErrorBodyReader = (json) => {
  const err = ((json as { error?: unknown })?.error ?? {}) as { status?: unknown; message?: unknown }
  return { code: asString(err.status), text: asString(err.message) }
}

/**
 * One authenticated call to a Sinch API, shared by the SMS and Conversation
 * clients: with OAuth2 `tokens`, a 401 invalidates the cached token (it may
 * have been revoked early) and the call is made once more; an answer that is
 * not 2xx becomes a SinchApiError with Sinch's code and text, read by the
 * API's own `readError` (else the first 200 characters of the body).
 */
export async function sinchRequest<T>(request: {
  operation: string
  url: string
  method: HttpMethod
  body?: unknown
  authorization: () => Promise<string>
  tokens?: TokenFetcher
  timeoutMs: number
  readError: SinchErrorBodyReader
}): Promise<T> {
  const { operation, url, method, body, timeoutMs } = request
  const call = async () =>
    sinchFetch(operation, url, { method, authorization: await request.authorization(), body }, timeoutMs)
  let res = await call()
  if (res.status === 401 && request.tokens) {
    request.tokens.invalidate()
    res = await call()
  }
  if (!res.ok) {
    const err = request.readError(res.json)
    throw new SinchApiError(
      res.status,
      err.code,
      err.text ?? (res.text.slice(0, 200) || undefined),
      operation,
      retryAfterMs(res.retryAfter)
    )
  }
  return res.json as T
}

/**
 * Retry-After as milliseconds: delay-seconds or an HTTP date (RFC 9110
 * §10.2.3); undefined when absent or unreadable (the caller backs off itself).
 */
export function retryAfterMs(header: string | null, now = Date.now()): number | undefined {
  if (!header) return undefined
  const value = header.trim()
  if (/^\d+$/.test(value)) return Number(value) * 1000
  const at = Date.parse(value)
  return Number.isNaN(at) ? undefined : Math.max(0, at - now)
}
