/** What went wrong talking to Sinch, in words staff can act on. */

export class SinchApiError extends Error {
  constructor(
    readonly status: number,
    readonly sinchCode: string | undefined,
    readonly sinchText: string | undefined,
    readonly operation: string,
    /** What Sinch's Retry-After asked for (a 429 or 503), in milliseconds. */
    readonly retryAfterMs?: number
  ) {
    super(
      sinchCode
        ? `Sinch refused ${operation} (${status} ${sinchCode}: ${sinchText ?? ''})`.trim()
        : `Sinch answered ${status} to ${operation}${sinchText ? `: ${sinchText}` : ''}`
    )
    this.name = 'SinchApiError'
  }

  /** 5xx and 429 may succeed later; other 4xx will not. */
  get retryable(): boolean {
    return this.status >= 500 || this.status === 429
  }
}

export class SinchTimeoutError extends Error {
  constructor(
    readonly operation: string,
    readonly timeoutMs: number
  ) {
    super(`Sinch did not answer ${operation} within ${Math.round(timeoutMs / 100) / 10} s`)
    this.name = 'SinchTimeoutError'
  }
}

export class SinchUnreachableError extends Error {
  constructor(
    readonly operation: string,
    readonly url: string,
    cause: unknown
  ) {
    super(`Could not reach Sinch for ${operation} at ${new URL(url).origin} (${(cause as Error)?.message ?? cause})`)
    this.name = 'SinchUnreachableError'
    this.cause = cause
  }
}

export type SinchError = SinchApiError | SinchTimeoutError | SinchUnreachableError

export function isSinchError(error: unknown): error is SinchError {
  return error instanceof SinchApiError || error instanceof SinchTimeoutError || error instanceof SinchUnreachableError
}
