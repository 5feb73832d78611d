/**
 * Worker thread of the contact import (services/contacts/contactFileWorker.ts
 * starts it, one per import): reads the file the import feeds it a slice at
 * a time, and hands back each chunk of validated rows as JSON bytes. It has
 * no database and no configuration of its own: what it needs comes in its
 * ReaderSetup. Only relative imports, so that it also runs from the
 * TypeScript sources (the api's tests load it through tsx).
 */
import { parentPort, workerData } from 'node:worker_threads'

import {
  ImportRefused,
  encodeChunk,
  readContactFile,
  type ReaderAnswer,
  type ReaderMessage,
  type ReaderSetup,
} from '../lib/contactFileReader'

const port = parentPort
if (!port) throw new Error('src/workers/contactFileReader runs as a worker thread only')

// The file is read ahead (csv-parse's stream pulls a slice) while a chunk waits to be written, so a `more` and a
// `chunk` can both be waiting: each kind of answer has its own waiter.
const waiting: { [K in ReaderAnswer['type']]?: (answer: Extract<ReaderAnswer, { type: K }>) => void } = {}
port.on('message', (answer: ReaderAnswer) => {
  const resolve = waiting[answer.type] as ((answer: ReaderAnswer) => void) | undefined
  delete waiting[answer.type]
  resolve?.(answer)
})

/** Sends a message that the import answers with `answerType`, and waits for that answer. */
function ask<K extends ReaderAnswer['type']>(
  message: ReaderMessage,
  answerType: K,
  transfer: ArrayBuffer[] = []
): Promise<Extract<ReaderAnswer, { type: K }>> {
  return new Promise((resolve) => {
    ;(waiting as Record<string, unknown>)[answerType] = resolve
    port!.postMessage(message, transfer)
  })
}

async function* slices(): AsyncGenerator<Uint8Array> {
  for (;;) {
    const { bytes } = await ask({ type: 'more' }, 'slice')
    if (!bytes) return
    yield bytes
  }
}

async function main() {
  const { mapping, defaultRegion, chunkRows, maxRows } = workerData as ReaderSetup
  try {
    const outcome = await readContactFile(slices(), mapping, defaultRegion, {
      chunkRows,
      maxRows,
      onChunk: async (chunk) => {
        const message = encodeChunk(chunk)
        await ask(message, 'written', [message.contacts.buffer as ArrayBuffer, message.problems.buffer as ArrayBuffer])
      },
      onProgress: async (rowsRead) => port!.postMessage({ type: 'progress', rowsRead } satisfies ReaderMessage),
    })
    port!.postMessage({ type: 'done', ...outcome } satisfies ReaderMessage)
  } catch (error) {
    const message = (error as Error)?.message ?? String(error)
    port!.postMessage(
      (error instanceof ImportRefused
        ? { type: 'refused', message }
        : { type: 'failed', message }) satisfies ReaderMessage
    )
  }
}

void main()
