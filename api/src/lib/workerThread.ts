/**
 * The api's worker threads (src/workers/): starting one with a capped heap,
 * and the conversation with it, for the contact import's reader and an
 * audience's CSV screener. A worker does work that makes much short-lived
 * garbage (parsing a 100,000-row file); in its own heap, capped, V8 collects
 * it early, where the api's heap grew by about as much first (README,
 * "Contact import" under Performance).
 */
import path from 'node:path'
import { Worker } from 'node:worker_threads'

/**
 * Starts src/workers/{name}: the built module beside this one in the api's
 * build; run from the TypeScript sources (the api's tests), the same module
 * through tsx (which is why a worker's own imports are relative).
 */
export function startWorker(
  name: string,
  workerData: unknown,
  { oldMb, youngMb }: { oldMb: number; youngMb: number }
): Worker {
  const options = { workerData, resourceLimits: { maxOldGenerationSizeMb: oldMb, maxYoungGenerationSizeMb: youngMb } }
  const entry = path.join(__dirname, '..', 'workers', name)
  if (!__filename.endsWith('.ts')) return new Worker(`${entry}.js`, options)
  return new Worker(`require('tsx/cjs'); require(${JSON.stringify(`${entry}.ts`)})`, { ...options, eval: true })
}

export type Conversation<R> = {
  /** Answers a question of the worker's. */
  answer: (message: unknown, transfer?: ArrayBuffer[]) => void
  /** Work the conversation must not end under (a write in the caller's transaction): ending waits for it. */
  track: <T>(work: Promise<T>) => Promise<T>
  resolve: (value: R) => void
  fail: (error: unknown) => void
}

/**
 * Talks with `worker` until `onMessage` resolves or fails the conversation,
 * the worker dies, runs out of its heap (`outOfMemory`), or stays silent for
 * `silenceMs` while it is its turn (the watchdog stops while one of its
 * `questions` is being answered: an answer may wait on the database or on
 * Sinch). It ends only once no tracked work is running, then stops the
 * worker; whatever the worker sent before it stopped is ignored.
 */
export function converse<M extends { type: string }, R>(
  worker: Worker,
  {
    label,
    silenceMs,
    questions,
    outOfMemory,
    onMessage,
  }: {
    label: string
    silenceMs: number
    questions: M['type'][]
    outOfMemory: () => Error
    onMessage: (message: M, conversation: Conversation<R>) => Promise<void>
  }
): Promise<R> {
  let settled = false
  let tracked: Promise<unknown> = Promise.resolve()
  let silence: NodeJS.Timeout | undefined
  let open = 0
  return new Promise<R>((resolve, reject) => {
    const fail = (error: unknown) => {
      if (settled) return
      settled = true
      void tracked.then(() => reject(error))
    }
    const watch = () => {
      clearTimeout(silence)
      silence = setTimeout(() => fail(new Error(`${label} sent nothing for ${silenceMs / 1000} s.`)), silenceMs)
    }
    const conversation: Conversation<R> = {
      answer: (message, transfer = []) => {
        if (settled) return
        worker.postMessage(message, transfer)
        if (--open === 0) watch()
      },
      track: (work) => {
        const previous = tracked
        tracked = Promise.all([previous, work.catch(() => {})])
        return work
      },
      resolve: (value) => {
        if (settled) return
        settled = true
        resolve(value)
      },
      fail,
    }
    watch()
    worker.on('message', async (message: M) => {
      if (settled) return
      if (questions.includes(message.type)) {
        open++
        clearTimeout(silence)
      } else if (open === 0) watch()
      try {
        await onMessage(message, conversation)
      } catch (error) {
        fail(error)
      }
    })
    worker.on('error', (error: Error & { code?: string }) =>
      fail(error.code === 'ERR_WORKER_OUT_OF_MEMORY' ? outOfMemory() : error)
    )
    worker.on('exit', (code) => fail(new Error(`${label} stopped (exit code ${code}).`)))
  }).finally(async () => {
    clearTimeout(silence)
    await worker.terminate()
  })
}
