/**
 * The pure part of a contact CSV: limits, the encoding check, the header and
 * its first rows for the mapping step, and which columns look like phone
 * numbers. The import itself streams the file (services/contacts/contactImport.ts).
 */
import { parse } from 'csv-parse/sync'

import { normalisePhoneNumber } from './phone'

/** The largest file an upload takes (bytes). */
export const MAX_IMPORT_BYTES = 20 * 1024 * 1024
/** The most data rows (after the header) an import takes. */
export const MAX_IMPORT_ROWS = 100_000
export const MAX_COLUMNS = 100
export const MAX_HEADER_LENGTH = 100
export const MAX_NAME_LENGTH = 200
export const MAX_ATTRIBUTE_LENGTH = 1000
/** Rows shown under the headers in the mapping step. */
export const PREVIEW_ROWS = 5
/** How much of a bad row is kept in its report. */
export const MAX_PROBLEM_VALUE_LENGTH = 200

export class CsvFileError extends Error {
  name = 'CsvFileError'
}

/**
 * The file as text, or CsvFileError when it is not UTF-8. The api receives
 * the body already decoded (Redwood's raw body is UTF-8 with U+FFFD for
 * every byte that is not), so a replacement character is the sign of a
 * broken encoding; its line is named. A leading byte-order mark is dropped.
 */
export function checkedText(text: string): string {
  const bad = text.indexOf('\uFFFD')
  if (bad >= 0) {
    const line = text.slice(0, bad).split('\n').length
    throw new CsvFileError(
      `The file is not valid UTF-8 (line ${line} has bytes that are not): save it as "CSV UTF-8" and upload it again.`
    )
  }
  return text.replace(/^\uFEFF/, '')
}

export type CsvHead = { headers: string[]; preview: string[][] }

/** The header row (trimmed, checked) and the first rows, read from the start of the file only. */
export function readHead(text: string): CsvHead {
  if (!text.trim()) throw new CsvFileError('The file is empty.')
  let records: string[][]
  try {
    records = parse(text.slice(0, 256 * 1024), {
      to: PREVIEW_ROWS + 1,
      relax_column_count: true,
      skip_empty_lines: true,
      skip_records_with_error: true,
    })
  } catch (error) {
    throw new CsvFileError(`The file is not CSV: ${(error as Error).message}`)
  }
  const [header, ...preview] = records
  if (!header || header.every((h) => !h.trim())) throw new CsvFileError('The file has no header row.')
  if (header.length > MAX_COLUMNS)
    throw new CsvFileError(`The file has ${header.length} columns; at most ${MAX_COLUMNS} are taken.`)
  const headers = header.map((h, i) => h.trim().slice(0, MAX_HEADER_LENGTH) || `Column ${i + 1}`)
  const seen = new Set<string>()
  for (const h of headers) {
    const key = h.toLowerCase()
    if (seen.has(key)) throw new CsvFileError(`Two columns are named "${h}": give each column its own name.`)
    seen.add(key)
  }
  return { headers, preview: preview.map((row) => headers.map((_, i) => (row[i] ?? '').slice(0, 200))) }
}

const NUMBER_HEADER = /phone|number|mobile|msisdn|cell|tel|whatsapp|e\.?164|nummer|numéro|móvil/i

/**
 * Columns that can hold the phone number, best first: a header that says so
 * and values that read as numbers in the default region beat either alone.
 * Empty when no column looks like phone numbers.
 */
export function numberColumnCandidates(head: CsvHead, defaultRegion: string): string[] {
  const scored = head.headers.map((header, i) => {
    const values = head.preview.map((row) => row[i]).filter((v) => v && v.trim())
    const numbers = values.filter((v) => normalisePhoneNumber(v, defaultRegion).ok).length
    const byValues = values.length > 0 && numbers * 2 >= values.length
    const byName = NUMBER_HEADER.test(header) && (values.length === 0 || numbers > 0)
    return { header, score: (byName ? 1 : 0) + (byValues ? 2 : 0) }
  })
  return scored
    .filter((c) => c.score > 0)
    .sort((a, b) => b.score - a.score)
    .map((c) => c.header)
}

/** The column that probably holds names, if any (for the mapping step's first guess). */
export function nameColumnGuess(headers: string[]): string | null {
  return headers.find((h) => /^(full[ _-]?)?name$|^navn$|^nom$|^nombre$/i.test(h.trim())) ?? null
}
