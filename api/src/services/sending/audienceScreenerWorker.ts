/**
 * Screens an uploaded CSV in a worker thread (src/workers/audienceScreener.ts)
 * for a review or a send: the worker parses and screens; this side answers
 * its questions (the opt-outs), and stores and sends what it hands back as
 * bytes. Screening 100,000 rows in the api's own heap left some 100 MB of
 * garbage that V8 collected late, and the api's RSS passed 300 MB (bench
 * "audience"); the worker's heap is capped, so it is collected early. The
 * contact import reads its file the same way (contactFileWorker.ts).
 */
import path from 'node:path'
import { Worker } from 'node:worker_threads'

import { UserInputError } from '@redwoodjs/graphql-server'

import type { ScreenerAnswer, ScreenerMessage, ScreenerSetup } from 'src/lib/audienceScreenerProtocol'
import type { ScreenedAudience } from 'src/lib/audienceScreening'

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

function startScreener(setup: ScreenerSetup): Worker {
  const options = {
    workerData: setup,
    resourceLimits: { maxOldGenerationSizeMb: SCREENER_HEAP_MB, maxYoungGenerationSizeMb: SCREENER_YOUNG_MB },
  }
  const entry = path.join(__dirname, '..', '..', 'workers', 'audienceScreener')
  if (!__filename.endsWith('.ts')) return new Worker(`${entry}.js`, options)
  // From the TypeScript sources (the api's tests): the same module through tsx.
  return new Worker(`require('tsx/cjs'); require(${JSON.stringify(`${entry}.ts`)})`, { ...options, eval: true })
}

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
  const worker = startScreener(setup)
  let settled = false
  let handling: Promise<unknown> = Promise.resolve()
  let silence: NodeJS.Timeout | undefined
  return new Promise<ScreenedInWorker>((resolve, reject) => {
    const fail = (error: unknown) => {
      if (settled) return
      settled = true
      void handling.then(() => reject(error))
    }
    const watch = () => {
      clearTimeout(silence)
      silence = setTimeout(
        () => fail(new Error(`The audience screener sent nothing for ${SCREENER_SILENCE_MS / 1000} s.`)),
        SCREENER_SILENCE_MS
      )
    }
    watch()
    // The watchdog runs only while it is the worker's turn: not while the api answers it (a dry-run slot can take
    // as long as Sinch does).
    const answer = (message: ScreenerAnswer) => {
      if (settled) return
      worker.postMessage(message)
      watch()
    }
    const handle = async (work: () => Promise<ScreenerAnswer>) => {
      const done = work()
      handling = done.catch(() => {})
      answer(await done)
    }
    worker.on('message', async (message: ScreenerMessage) => {
      // Whatever the worker sent before it was stopped is still delivered: none of it is acted on.
      if (settled) return
      clearTimeout(silence)
      try {
        switch (message.type) {
          case 'optOuts':
            await handle(async () => ({
              type: 'optOuts',
              found: [...(await handlers.optedOutAmong(message.numbers))],
            }))
            break
          case 'draftRows':
            await handle(async () => {
              await handlers.onDraftRows(message.draftRows, message.position)
              return { type: 'taken' }
            })
            break
          case 'dryRun':
            await handle(async () => {
              await handlers.onDryRun(message.request)
              return { type: 'taken' }
            })
            break
          case 'done':
            settled = true
            resolve({ screened: message.screened, ourParts: message.ourParts, cost: message.cost })
            break
          case 'refused':
            fail(new UserInputError(message.message))
            break
          case 'failed':
            fail(new Error(`Screening the file failed: ${message.message}`))
            break
        }
      } catch (error) {
        fail(error)
      }
    })
    worker.on('error', (error: Error & { code?: string }) =>
      fail(
        error.code === 'ERR_WORKER_OUT_OF_MEMORY'
          ? new UserInputError(
              'Reading this file needs more memory than screening an audience may use: send it in smaller files.'
            )
          : error
      )
    )
    worker.on('exit', (code) => fail(new Error(`The audience screener stopped (exit code ${code}).`)))
  }).finally(async () => {
    clearTimeout(silence)
    await worker.terminate()
  })
}
