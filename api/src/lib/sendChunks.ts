/**
 * How a chunked send is cut into Sinch batches (README "Audience sends").
 * A chunk's client_reference is derived from the message id and the chunk's
 * index, so the same chunk always carries the same reference: a retry finds
 * the batch an earlier attempt created (docs/sinch-protocol.md#listing-batches).
 */
export function chunkClientReference(messageId: string, index: number): string {
  return `${messageId}.${index}`
}

export function chunkCount(recipients: number, chunkSize: number): number {
  return Math.ceil(recipients / chunkSize)
}

/**
 * The delay before the next attempt of a chunk: what Sinch's Retry-After
 * asked for, else doubling from 1 s to at most 60 s, with up to 25 % jitter
 * so that chunks refused together do not come back together.
 */
export function chunkRetryDelayMs(attempts: number, retryAfterMs?: number, random = Math.random): number {
  if (retryAfterMs !== undefined) return Math.min(retryAfterMs, 15 * 60_000)
  const base = Math.min(60_000, 1000 * 2 ** Math.max(0, attempts - 1))
  return Math.round(base * (1 + random() * 0.25))
}
