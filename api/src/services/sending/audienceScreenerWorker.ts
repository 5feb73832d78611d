/**
 * Screens an uploaded CSV in a worker thread (src/workers/audienceScreener.ts)
 * for a review or a send: the worker parses and screens; this side answers
 * its questions (the opt-outs), and stores and sends what it hands back as
 * bytes. Screening 100,000 rows in the api's own heap left some 100 MB of
 * garbage that V8 collected late, and the api's RSS passed 300 MB (bench
 * "audience"); the worker's heap is capped, so it is collected early. The
 * contact import reads its file the same way (contactFileWorker.ts).
 */
import { UserInputError } from '@redwoodjs/graphql-server'

import type { ScreenerAnswer, ScreenerMessage, ScreenerSetup } from 'src/lib/audienceScreenerProtocol'
import type { ScreenedAudience } from 'src/lib/audienceScreening'
import { converse, startWorker } from 'src/lib/workerThread'

/**
 * The worker's heap: it keeps the numbers seen (about 10 MB at 100,000), a
 * batch of recipients, a chunk's dry-run request and the file as sent (at
 * most 4 MB of base64, or 12 MB of text); 64 MB of old generation leaves
 * room, and a 4 MB young generation keeps what it commits near what it uses.
 */
const SCREENER_HEAP_MB = 64
const SCREENER_YOUNG_MB = 4
/** A worker that sends nothing for this long while it is its turn is stopped (the review fails). */
const SCREENER_SILENCE_MS = 60_000

export type ScreenedInWorker = { screened: ScreenedAudience; ourParts: number; cost: number }

/**
 * Runs the worker to its end. `onDraftRows` and `onDryRun` are awaited before
 * the worker goes on (they decide how much is in flight); it settles only
 * once none of them is running, so the caller's clean-up never races them.
 * A refusal (no number column, a broken encoding, too many rows) is a
 * UserInputError with the worker's words.
 */
export function screenCsvInWorker(
  setup: ScreenerSetup,
  handlers: {
    optedOutAmong: (numbers: string[]) => Promise<Map<string, string>>
    onDraftRows: (draftRows: Uint8Array, position: number) => Promise<void>
    onDryRun: (request: Uint8Array) => Promise<void>
  }
): Promise<ScreenedInWorker> {
  const worker = startWorker('audienceScreener', setup, { oldMb: SCREENER_HEAP_MB, youngMb: SCREENER_YOUNG_MB })
  return converse<ScreenerMessage, ScreenedInWorker>(worker, {
    label: 'The audience screener',
    silenceMs: SCREENER_SILENCE_MS,
    // One at a time: the worker waits for each answer (a dry run's until a slot is free, as long as Sinch takes).
    questions: ['optOuts', 'draftRows', 'dryRun'],
    outOfMemory: () =>
      new UserInputError(
        'Reading this file needs more memory than screening an audience may use: send it in smaller files.'
      ),
    onMessage: async (message, { answer, track, resolve, fail }) => {
      switch (message.type) {
        case 'optOuts': {
          const found = await track(handlers.optedOutAmong(message.numbers))
          answer({ type: 'optOuts', found: [...found] } satisfies ScreenerAnswer)
          break
        }
        case 'draftRows':
          await track(handlers.onDraftRows(message.draftRows, message.position))
          answer({ type: 'taken' } satisfies ScreenerAnswer)
          break
        case 'dryRun':
          await track(handlers.onDryRun(message.request))
          answer({ type: 'taken' } satisfies ScreenerAnswer)
          break
        case 'done':
          resolve({ screened: message.screened, ourParts: message.ourParts, cost: message.cost })
          break
        case 'refused':
          fail(new UserInputError(message.message))
          break
        case 'failed':
          fail(new Error(`Screening the file failed: ${message.message}`))
          break
      }
    },
  })
}
