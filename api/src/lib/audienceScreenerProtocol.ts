/**
 * The messages between an audience review and its CSV worker thread
 * (src/workers/audienceScreener.ts, services/sending/audienceScreenerWorker.ts).
 * Every message but the last is a question the review answers before the
 * worker goes on; bulky parts travel as UTF-8 JSON in transferred buffers.
 */
import type { DryRunShape, PriceTable } from './audienceBatches'
import type { ScreenedAudience } from './audienceScreening'

/** What the worker is started with. */
export type ScreenerSetup = {
  csv: { gzipBase64?: string; text?: string }
  numberColumn: string | null
  maxAudience: number
  region: string
  body: string
  placeholders: string[]
  defaults: Record<string, string>
  keep: number
  preview: number
  price: PriceTable
  /** Null when no dry run is wanted (a send that screens again). */
  dryRun: DryRunShape | null
}

/** Worker to review. */
export type ScreenerMessage =
  | { type: 'optOuts'; numbers: string[] }
  /** A batch of the draft's rows (see draftRowsJson), the first at `position`. */
  | { type: 'draftRows'; draftRows: Uint8Array; position: number }
  /** One chunk's dry-run request, as sent. */
  | { type: 'dryRun'; request: Uint8Array }
  | { type: 'done'; screened: ScreenedAudience; ourParts: number; cost: number }
  /** The audience cannot be sent as given (the message is for the sender). */
  | { type: 'refused'; message: string }
  | { type: 'failed'; message: string }

/** Review to worker: the opt-outs found (number, why), or that the batch or request was taken. */
export type ScreenerAnswer = { type: 'optOuts'; found: [string, string][] } | { type: 'taken' }
