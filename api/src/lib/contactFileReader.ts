/**
 * Reading a contact file for the import: csv-parse over the file's bytes as
 * they come, every row validated, distinct numbers handed over a chunk at a
 * time. Pure (no database): the import runs it in a worker thread
 * (src/workers/contactFileReader.ts) so that its garbage is collected
 * against a small heap of its own and not the api's (README "Contacts, lists
 * and import", memory). The messages between that worker and the import are
 * typed here, beside what they carry.
 */
import { Readable } from 'node:stream'

import { parse } from 'csv-parse'

import { MAX_ATTRIBUTE_LENGTH, MAX_IMPORT_ROWS, MAX_NAME_LENGTH, MAX_PROBLEM_VALUE_LENGTH } from './contactCsv'
import { normalisePhoneNumber } from './phone'

export type Mapping = { numberColumn: string; nameColumn: string | null; fieldColumns: string[] }

/** A file the import refuses (too many rows, no number column): the whole import rolls back. */
export class ImportRefused extends Error {
  name = 'ImportRefused'
}

export type ParsedContact = {
  phoneNumber: string
  name: string | null
  attributes: Record<string, string>
  again: boolean
}
export type Problem = { line: number; reason: string; value: string | null }

export type ImportChunk = {
  /** Distinct numbers of this chunk, merged within it; `again` when an earlier chunk already had the number. */
  contacts: ParsedContact[]
  problems: Problem[]
}

export type ReadOutcome = { rowsRead: number; duplicatesMerged: number }

/** Distinct numbers per chunk (one statement each). */
export const DEFAULT_CHUNK_ROWS = 5000
/**
 * A chunk is handed over sooner when its numbers, names and fields reach
 * this many characters, so that a file of wide rows (up to 100 columns of
 * 1,000 characters) holds no more in one chunk than a file of narrow ones.
 */
export const MAX_CHUNK_CHARACTERS = 1024 * 1024
/**
 * csv-parse is handed at most this many bytes at a time. It parses what it
 * is given in one go and keeps the records until they are read: 16 KB is a
 * few hundred rows, which are garbage before the next minor collection,
 * where a 256 KB slice of the stored file made thousands that outlived it.
 */
const PARSE_SLICE_BYTES = 16 * 1024
const PROGRESS_EVERY_ROWS = 5000

const clip = (text: string | undefined | null) => (text ? text.slice(0, MAX_PROBLEM_VALUE_LENGTH) : null)

async function* inSlices(file: AsyncIterable<Uint8Array> | Iterable<Uint8Array>): AsyncGenerator<Uint8Array> {
  for await (const part of file)
    for (let at = 0; at < part.length; at += PARSE_SLICE_BYTES) yield part.subarray(at, at + PARSE_SLICE_BYTES)
}

/**
 * Streams a file through csv-parse and validates every row, handing over a
 * chunk whenever it holds `chunkRows` distinct numbers or bad rows, or
 * MAX_CHUNK_CHARACTERS of text (and at the end), so only one chunk of rows is
 * ever in memory.
 * Duplicates within a chunk merge into its first row of that number (later
 * non-empty name and fields win); a number an earlier chunk had is marked
 * `again` and merged by the writer (ON CONFLICT), so the counts stay per
 * distinct number. Throws ImportRefused above `maxRows` (MAX_IMPORT_ROWS)
 * rows: the caller's transaction then rolls back whatever chunks were written.
 */
export async function readContactFile(
  file: AsyncIterable<Uint8Array> | Iterable<Uint8Array>,
  mapping: Mapping,
  defaultRegion: string,
  {
    chunkRows = DEFAULT_CHUNK_ROWS,
    maxRows = MAX_IMPORT_ROWS,
    onChunk,
    onProgress = async () => {},
  }: {
    chunkRows?: number
    maxRows?: number
    onChunk: (chunk: ImportChunk) => Promise<void>
    onProgress?: (rowsRead: number) => Promise<void>
  }
): Promise<ReadOutcome> {
  const parser = parse({
    bom: true,
    relax_column_count: true,
    skip_empty_lines: true,
    skip_records_with_error: true,
    info: true,
    max_record_size: 64 * 1024,
  })
  let problems: Problem[] = []
  let characters = 0
  const problem = (found: Problem) => {
    problems.push(found)
    characters += found.reason.length + (found.value?.length ?? 0)
  }
  parser.on('skip', (error: Error & { lines?: number }) => {
    problem({ line: error.lines ?? 0, reason: `not readable as CSV: ${error.message}`, value: null })
  })
  let byNumber = new Map<string, ParsedContact>()
  /** Numbers of the chunks already handed over (about 8 MB at 100,000 numbers, unlike their rows). */
  const written = new Set<string>()
  let headers: string[] | null = null
  let numberAt = -1
  let nameAt = -1
  let fieldsAt: [string, number][] = []
  let rowsRead = 0
  let duplicatesMerged = 0
  const flush = async () => {
    if (byNumber.size === 0 && problems.length === 0) return
    const chunk = { contacts: [...byNumber.values()], problems }
    for (const number of byNumber.keys()) written.add(number)
    byNumber = new Map()
    characters = 0
    problems = []
    await onChunk(chunk)
  }

  // csv-parse holds one slice and the current record, never the whole text.
  const source = Readable.from(inSlices(file))
  source.on('error', (error) => parser.destroy(error))
  source.pipe(parser)
  try {
    for await (const { record, info } of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
      // Bad rows count too: a file of mostly bad wide rows is handed over in bounded chunks as well.
      if (byNumber.size >= chunkRows || problems.length >= chunkRows || characters >= MAX_CHUNK_CHARACTERS)
        await flush()
      if (!headers) {
        headers = record.map((h, i) => h.trim().slice(0, 100) || `Column ${i + 1}`)
        const at = (h: string | null) => (h ? headers!.indexOf(h) : -1)
        numberAt = at(mapping.numberColumn)
        if (numberAt < 0) throw new ImportRefused(`The file has no column "${mapping.numberColumn}".`)
        nameAt = at(mapping.nameColumn)
        fieldsAt = mapping.fieldColumns.map((h) => [h, at(h)] as [string, number]).filter(([, i]) => i >= 0)
        continue
      }
      rowsRead++
      if (rowsRead > maxRows)
        throw new ImportRefused(
          `The file has more than ${maxRows.toLocaleString('en')} rows: split it and import each part.`
        )
      if (rowsRead % PROGRESS_EVERY_ROWS === 0) await onProgress(rowsRead)
      const line = info.lines
      const raw = record[numberAt]?.trim() ?? ''
      if (!raw) {
        problem({ line, reason: 'no phone number', value: clip(record.join(',')) })
        continue
      }
      const number = normalisePhoneNumber(raw, defaultRegion)
      if (!number.ok) {
        problem({ line, reason: number.reason, value: clip(raw) })
        continue
      }
      const name = nameAt >= 0 ? record[nameAt]?.trim() || null : null
      if (name && name.length > MAX_NAME_LENGTH) {
        problem({ line, reason: `name longer than ${MAX_NAME_LENGTH} characters`, value: clip(name) })
        continue
      }
      const attributes: Record<string, string> = {}
      let tooLong: string | null = null
      let size = number.e164.length + (name?.length ?? 0)
      for (const [header, i] of fieldsAt) {
        const value = record[i]?.trim()
        if (!value) continue
        if (value.length > MAX_ATTRIBUTE_LENGTH) tooLong = header
        attributes[header] = value
        size += header.length + value.length
      }
      if (tooLong) {
        problem({ line, reason: `"${tooLong}" longer than ${MAX_ATTRIBUTE_LENGTH} characters`, value: null })
        continue
      }
      characters += size
      const earlier = byNumber.get(number.e164)
      if (earlier) {
        duplicatesMerged++
        if (name) earlier.name = name
        Object.assign(earlier.attributes, attributes)
      } else {
        const again = written.has(number.e164)
        if (again) duplicatesMerged++
        byNumber.set(number.e164, { phoneNumber: number.e164, name, attributes, again })
      }
    }
    if (!headers) throw new ImportRefused('The file is empty.')
    await flush()
  } finally {
    source.unpipe(parser)
    source.destroy()
  }
  return { rowsRead, duplicatesMerged }
}

// ---- Between the import and its worker thread ------------------------------------

/** What the worker is started with. */
export type ReaderSetup = { mapping: Mapping; defaultRegion: string; chunkRows: number; maxRows: number }

/**
 * Worker to import. `more` and `chunk` wait for their answer (`slice`,
 * `written`), so the worker reads no faster than the file is fetched and
 * holds one chunk at a time. A chunk's rows and problems come as UTF-8 JSON
 * arrays in transferred buffers, the way the writer's statement reads them
 * (jsonb_to_recordset): the import thread never parses or copies them.
 */
export type ReaderMessage =
  | { type: 'more' }
  | {
      type: 'chunk'
      /** [{ p: number, n: name, a: fields, g: again }] */
      contacts: Uint8Array
      contactCount: number
      againCount: number
      /** [{ l: line, r: reason, v: value }] */
      problems: Uint8Array
      problemCount: number
    }
  | { type: 'progress'; rowsRead: number }
  | ({ type: 'done' } & ReadOutcome)
  | { type: 'refused'; message: string }
  | { type: 'failed'; message: string }

/** Import to worker: the next slice of the file (null at its end), or a chunk written. */
export type ReaderAnswer = { type: 'slice'; bytes: Uint8Array | null } | { type: 'written' }

const utf8 = new TextEncoder()

/** A chunk as the worker sends it (see ReaderMessage). */
export function encodeChunk({ contacts, problems }: ImportChunk): Extract<ReaderMessage, { type: 'chunk' }> {
  return {
    type: 'chunk',
    contacts: utf8.encode(
      contacts.length
        ? JSON.stringify(contacts.map((c) => ({ p: c.phoneNumber, n: c.name, a: c.attributes, g: c.again })))
        : '[]'
    ),
    contactCount: contacts.length,
    againCount: contacts.filter((c) => c.again).length,
    problems: utf8.encode(
      problems.length ? JSON.stringify(problems.map((p) => ({ l: p.line, r: p.reason, v: p.value }))) : '[]'
    ),
    problemCount: problems.length,
  }
}
