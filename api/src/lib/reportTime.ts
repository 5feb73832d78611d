/**
 * A time Sinch gives for an event (a report's `at`, an inbound message's
 * `received_at`) cannot be later than when we received it by more than the
 * clock difference we accept for signatures (SINCH_CALLBACK_TOLERANCE_SECONDS).
 * One that is (a report dated 9999) would otherwise win every "later event
 * wins" comparison for ever and freeze its recipient. It is replaced by the
 * receipt time, marked as such; Sinch's own time stays in the stored body.
 */
export type BoundedTime = { at: Date; clamped: boolean }

export function boundEventTime(at: Date, receivedAt: Date, toleranceSeconds: number): BoundedTime {
  return at.getTime() > receivedAt.getTime() + toleranceSeconds * 1000
    ? { at: receivedAt, clamped: true }
    : { at, clamped: false }
}

export function clampedTimeNote(field: string, original: Date, toleranceSeconds: number): string {
  return (
    `${field} ${original.toISOString()} is more than ${toleranceSeconds} s after we received the callback: ` +
    'stored at the time we received it instead (the original stays in the body).'
  )
}
