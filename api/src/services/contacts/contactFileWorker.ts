/**
 * Reads a stored contact file in a worker thread (src/workers/contactFileReader.ts)
 * for the import: this side fetches the file from its bytea a slice at a
 * time and writes each chunk the worker hands back; the worker parses and
 * validates. Parsing 100,000 rows makes some 100 MB of short-lived objects;
 * made in the api's own heap, V8 let that heap grow by about as much before
 * collecting it (the api's RSS passed 300 MB during an import, bench
 * "imports"). The worker's heap is capped (resourceLimits), so it is
 * collected early, and the api's event loop stays free for callbacks
 * meanwhile. README "Contacts, lists and import".
 */
import type { CustomTypesConfig } from 'pg'

import {
  ImportRefused,
  type ReadOutcome,
  type ReaderAnswer,
  type ReaderMessage,
  type ReaderSetup,
} from 'src/lib/contactFileReader'
import { pool } from 'src/lib/db'
import { converse, startWorker } from 'src/lib/workerThread'

/**
 * The worker's heap. What it keeps is one chunk (at most MAX_CHUNK_CHARACTERS
 * of text), the numbers already seen (about 8 MB at 100,000) and its modules:
 * some 20-25 MB in use at the end of a 100,000-row file. 48 MB of old
 * generation leaves twice that; a file that needs more is refused. A young
 * generation of 4 MB (V8's default would be up to 48) keeps what the worker
 * commits near what it uses (bench "imports": api RSS peak 250-259 MiB with
 * these, 275-285 with V8's default young generation and 64 MB).
 */
const READER_HEAP_MB = 48
const READER_YOUNG_MB = 4

/**
 * Bytes of the stored file read per query (the file is never held whole in
 * the api). Each pooled connection keeps a receive buffer as large as the
 * largest row it was sent, so a slice is kept small.
 */
const FILE_SLICE_BYTES = 256 * 1024
/** A slice comes back as its bytes (binary result format), not as hex text twice its size to decode. */
const RAW_BYTES = { getTypeParser: () => (value: unknown) => value } as unknown as CustomTypesConfig

/** The stored upload, read from its bytea a slice at a time. */
async function* storedFile(importId: number): AsyncGenerator<Buffer> {
  const { rows } = await pool.query<{ size: number | null }>(
    'SELECT octet_length(file) AS size FROM "ContactImport" WHERE id = $1',
    [importId]
  )
  const size = rows[0]?.size
  if (size === null || size === undefined) throw new ImportRefused('The uploaded file is gone.')
  for (let at = 0; at < size; at += FILE_SLICE_BYTES) {
    // `binary` is pg's (Query's config) but not in its type definitions.
    const query = {
      text: 'SELECT substring(file FROM $2 FOR $3) AS part FROM "ContactImport" WHERE id = $1',
      values: [importId, at + 1, FILE_SLICE_BYTES],
      binary: true,
      types: RAW_BYTES,
    }
    const { rows: slice } = await pool.query<{ part: Buffer | null }>(query)
    if (!slice[0]?.part) throw new ImportRefused('The uploaded file is gone.')
    yield slice[0].part
  }
}

/** A reader that sends nothing for this long while it is its turn is stopped (the import fails and is retried). */
const READER_SILENCE_MS = 60_000

export type ChunkBytes = Omit<Extract<ReaderMessage, { type: 'chunk' }>, 'type'>

/**
 * Reads stored file `importId` in a worker, calling `onChunk` for each chunk
 * (the next one waits until it returns) and `onProgress` every few thousand
 * rows. ImportRefused for a file the import refuses, including one whose
 * reading needs more than READER_HEAP_MB; any other failure as an Error.
 * It settles only once no `onChunk` is running: the caller's transaction is
 * rolled back after the chunk being written, never under it.
 */
export function readStoredFile(
  importId: number,
  setup: ReaderSetup,
  {
    onChunk,
    onProgress,
  }: { onChunk: (chunk: ChunkBytes) => Promise<void>; onProgress: (rowsRead: number) => Promise<void> }
): Promise<ReadOutcome> {
  const file = storedFile(importId)
  const worker = startWorker('contactFileReader', setup, { oldMb: READER_HEAP_MB, youngMb: READER_YOUNG_MB })
  return converse<ReaderMessage, ReadOutcome>(worker, {
    label: 'The contact file reader',
    silenceMs: READER_SILENCE_MS,
    // The file is read ahead while a chunk is written: both can be open.
    questions: ['more', 'chunk'],
    outOfMemory: () =>
      new ImportRefused(
        `Reading this file needs more than ${READER_HEAP_MB} MB: split it into smaller files and import each.`
      ),
    onMessage: async (message, { answer, track, resolve, fail }) => {
      switch (message.type) {
        case 'more': {
          const next = await file.next()
          // A copy of its own to hand over: pg's Buffer may share its memory with the connection's.
          const bytes = next.done ? null : new Uint8Array(next.value)
          answer({ type: 'slice', bytes } satisfies ReaderAnswer, bytes ? [bytes.buffer as ArrayBuffer] : [])
          break
        }
        case 'chunk':
          // The caller's transaction is rolled back after this write, never under it.
          await track(onChunk(message))
          answer({ type: 'written' } satisfies ReaderAnswer)
          break
        case 'progress':
          await onProgress(message.rowsRead)
          break
        case 'done':
          resolve({ rowsRead: message.rowsRead, duplicatesMerged: message.duplicatesMerged })
          break
        case 'refused':
          fail(new ImportRefused(message.message))
          break
        case 'failed':
          fail(new Error(`Reading the contact file failed: ${message.message}`))
          break
      }
    },
  }).finally(() => file.return(undefined))
}
