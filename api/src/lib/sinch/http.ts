import { SinchTimeoutError, SinchUnreachableError } from './errors'

export type SinchHttpAnswer = { status: number; ok: boolean; text: string; json: unknown }

/**
 * One HTTP call to a Sinch API, shared by the SMS and Conversation clients:
 * JSON in and out, a timeout, and transport failures as typed errors. What an
 * error body means differs per API, so the callers read status and json.
 */
export async function sinchFetch(
  operation: string,
  url: string,
  init: { method: 'GET' | 'POST'; authorization: string; body?: unknown },
  timeoutMs: number
): Promise<SinchHttpAnswer> {
  let res: Response
  try {
    res = await fetch(url, {
      method: init.method,
      headers: {
        Authorization: init.authorization,
        Accept: 'application/json',
        ...(init.body === undefined ? {} : { 'Content-Type': 'application/json' }),
      },
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
      signal: AbortSignal.timeout(timeoutMs),
    })
  } catch (error) {
    if ((error as Error)?.name === 'TimeoutError') throw new SinchTimeoutError(operation, timeoutMs)
    throw new SinchUnreachableError(operation, url, error)
  }
  const text = await res.text()
  let json: unknown
  try {
    json = text ? JSON.parse(text) : undefined
  } catch {
    json = undefined
  }
  return { status: res.status, ok: res.ok, text, json }
}
