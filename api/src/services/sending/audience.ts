/**
 * Who an audience send goes to, from any source: pasted numbers, an uploaded
 * CSV whose columns fill the template, or a contact list (listAudience). Every
 * source becomes AudienceRows; screenAudience then normalises, removes
 * duplicates, opted-out numbers and invalid rows (each reported with its line),
 * and fills the template per recipient.
 */
import zlib from 'node:zlib'

import { parse } from 'csv-parse/sync'

import { UserInputError } from '@redwoodjs/graphql-server'

import { config } from 'src/lib/config'
import { db } from 'src/lib/db'
import { normalisePhoneNumber, splitRecipientEntries } from 'src/lib/phone'
import { smsParts, type SmsEncoding } from 'src/lib/smsParts'
import { fieldKey, fillTemplate } from 'src/lib/smsTemplate'
import { optOutReason } from 'src/services/optOuts/optOuts'

/** One recipient as a source gives it: a number as written, and values by field name. */
export type AudienceRow = { phoneNumber: string; name?: string | null; fields: Record<string, string>; line?: number }

/** An uploaded CSV is bounded before it is parsed. */
export const MAX_CSV_CHARACTERS = 12 * 1024 * 1024
/** Column names (fieldKey form, - read as _) taken for the number column when none is chosen: the first such column. */
export const NUMBER_HEADERS = ['phone', 'phonenumber', 'phone_number', 'number', 'mobile', 'msisdn', 'to', 'recipient']

export type AudienceProblem = { line: number | null; input: string; reason: string }

export type ScreenedRecipient = {
  phoneNumber: string
  parameters: Record<string, string> | null
  filledText: string
  parts: number
  encoding: SmsEncoding
}

export type ScreenedAudience = {
  recipients: ScreenedRecipient[]
  /** Rows whose number is invalid, or that lack a value a placeholder needs. */
  invalid: AudienceProblem[]
  optedOut: AudienceProblem[]
  duplicatesRemoved: number
  /** Placeholder names no row has a value for and no default covers. */
  missing: { name: string; rows: number }[]
}

/** The base64 gzip text is bounded before it is decoded, and so is what it unpacks to. */
export const MAX_CSV_GZIP_CHARACTERS = 4 * 1024 * 1024

/**
 * A CSV file sent gzip-compressed (base64), as the browser sends it: unpacked
 * to at most MAX_CSV_CHARACTERS bytes, and read as UTF-8 (a broken encoding is
 * an error, not replacement characters in someone's name).
 */
export function unpackCsv(gzipBase64: string): string {
  if (gzipBase64.length > MAX_CSV_GZIP_CHARACTERS)
    throw new UserInputError('The compressed file is too large: send at most 100,000 rows.')
  let bytes: Buffer
  try {
    bytes = zlib.gunzipSync(Buffer.from(gzipBase64, 'base64'), { maxOutputLength: MAX_CSV_CHARACTERS })
  } catch (error) {
    throw new UserInputError(
      (error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE'
        ? `The file is larger than ${MAX_CSV_CHARACTERS.toLocaleString('en')} bytes.`
        : 'The file could not be unpacked: upload it again.'
    )
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes)
  } catch {
    throw new UserInputError('The file is not valid UTF-8 (save it from your spreadsheet as "CSV UTF-8").')
  }
}

export function pastedAudience(text: string): AudienceRow[] {
  return splitRecipientEntries(text).map((phoneNumber, i) => ({ phoneNumber, fields: {}, line: i + 1 }))
}

/**
 * A CSV with a header row. The number column is `numberColumn` if given,
 * else the first header named like a phone number; every column (the number
 * too) is a field that can fill a placeholder. csv-parse reads RFC 4180
 * (quotes, embedded newlines, a BOM); a line it cannot read is an error
 * naming the line, and nothing is sent.
 */
export function csvAudience(text: string, numberColumn?: string | null): { rows: AudienceRow[]; columns: string[] } {
  if (text.length > MAX_CSV_CHARACTERS)
    throw new UserInputError(
      `The file has ${text.length.toLocaleString('en')} characters; the limit is ${MAX_CSV_CHARACTERS.toLocaleString('en')}.`
    )
  if (text.includes('\uFFFD'))
    throw new UserInputError('The file is not valid UTF-8 (save it from your spreadsheet as "CSV UTF-8").')
  let records: { record: string[]; info: { lines: number } }[]
  try {
    records = readCsv(text)
  } catch (error) {
    throw new UserInputError(`The file is not a readable CSV: ${(error as Error).message}`)
  }
  if (records.length === 0) throw new UserInputError('The file is empty.')
  const columns = records[0].record.map((h) => h.trim())
  const keys = columns.map(fieldKey)
  const wanted = numberColumn ? fieldKey(numberColumn) : null
  const numberAt = wanted ? keys.indexOf(wanted) : keys.findIndex((k) => NUMBER_HEADERS.includes(k.replace(/-/g, '_')))
  if (numberAt < 0)
    throw new UserInputError(
      wanted
        ? `The file has no column "${numberColumn}" (its columns: ${columns.join(', ')}).`
        : `No column of the file holds phone numbers (name one phone, number or mobile; its columns: ${columns.join(', ')}).`
    )
  const maxAudience = config().send.maxAudience
  if (records.length - 1 > maxAudience)
    throw new UserInputError(
      `The file has ${(records.length - 1).toLocaleString('en')} rows; send to at most ${maxAudience.toLocaleString('en')} at a time.`
    )
  const rows: AudienceRow[] = []
  for (let r = 1; r < records.length; r++) {
    const { record, info } = records[r]
    const fields: Record<string, string> = {}
    for (let c = 0; c < keys.length; c++) if (record[c] !== undefined && record[c] !== '') fields[keys[c]] = record[c]
    rows.push({ phoneNumber: record[numberAt] ?? '', fields, line: info.lines })
  }
  return { rows, columns }
}

/**
 * The records of a CSV with the line each ends on. csv-parse's `info` gives
 * that line, at twice the parse time and many objects per row; a file with no
 * quote (the usual export) cannot hold a record spanning lines, so its record
 * n (empty lines kept, then skipped here) is on line n.
 */
function readCsv(text: string): { record: string[]; info: { lines: number } }[] {
  const options = { bom: true, relax_column_count: true, trim: true, max_record_size: 64 * 1024 }
  if (text.includes('"'))
    return parse(text, { ...options, skip_empty_lines: true, info: true }) as unknown as {
      record: string[]
      info: { lines: number }
    }[]
  const rows = parse(text, { ...options, skip_empty_lines: false }) as string[][]
  const out: { record: string[]; info: { lines: number } }[] = []
  for (let i = 0; i < rows.length; i++) {
    const record = rows[i]
    if (record.length === 1 && record[0] === '') continue
    out.push({ record, info: { lines: i + 1 } })
  }
  return out
}

/** Opt-outs of many numbers in one statement (an IN list of 100,000 would exceed Postgres's parameter limit). */
async function optedOutAmong(numbers: string[]): Promise<Map<string, string>> {
  if (numbers.length === 0) return new Map()
  const rows = await db.$queryRaw<{ phoneNumber: string }[]>`
    SELECT "phoneNumber" FROM "OptOut" WHERE "phoneNumber" = ANY(${numbers}::text[])`
  if (rows.length === 0) return new Map()
  const full = await db.optOut.findMany({
    where: { phoneNumber: { in: rows.map((r) => r.phoneNumber).slice(0, 10_000) } },
    include: { inboundMessage: { select: { body: true } }, createdBy: { select: { email: true } } },
  })
  return new Map(full.map((o) => [o.phoneNumber, optOutReason(o)]))
}

/**
 * Screens rows for `body` (with ((placeholders))): invalid numbers and
 * opted-out ones are reported per row and left out, a repeated number is sent
 * once (the first row wins), and each recipient's text is filled and counted.
 * A placeholder with neither a value in a row nor a default is reported in
 * `missing` (the send is refused until the file or a default covers it).
 */
export async function screenAudience(
  rows: AudienceRow[],
  body: string,
  placeholders: string[],
  defaults: Record<string, string>
): Promise<ScreenedAudience> {
  const region = config().phoneDefaultRegion
  const invalid: AudienceProblem[] = []
  const seen = new Set<string>()
  let duplicatesRemoved = 0
  const kept: { phoneNumber: string; row: AudienceRow }[] = []
  for (const row of rows) {
    const n = normalisePhoneNumber(row.phoneNumber, region)
    if (!n.ok) {
      invalid.push({ line: row.line ?? null, input: row.phoneNumber, reason: n.reason })
      continue
    }
    if (seen.has(n.e164)) {
      duplicatesRemoved++
      continue
    }
    seen.add(n.e164)
    kept.push({ phoneNumber: n.e164, row })
  }
  const refused = await optedOutAmong(kept.map((k) => k.phoneNumber))
  const optedOut: AudienceProblem[] = []
  const missingCounts = new Map<string, number>()
  const recipients: ScreenedRecipient[] = []
  const keys = placeholders.map((p) => [p, fieldKey(p)] as const)
  for (const { phoneNumber, row } of kept) {
    if (refused.has(phoneNumber)) {
      optedOut.push({ line: row.line ?? null, input: row.phoneNumber, reason: refused.get(phoneNumber)! })
      continue
    }
    let parameters: Record<string, string> | null = null
    let complete = true
    if (keys.length > 0) {
      parameters = {}
      for (const [name, key] of keys) {
        const value = row.fields[key] ?? (key === 'name' ? (row.name ?? undefined) : undefined) ?? defaults[name]
        if (value === undefined || value === '') {
          missingCounts.set(name, (missingCounts.get(name) ?? 0) + 1)
          complete = false
        } else parameters[name] = value
      }
    }
    if (!complete) {
      const lacking = keys.filter(([name]) => !parameters?.[name]).map(([name]) => `((${name}))`)
      invalid.push({ line: row.line ?? null, input: row.phoneNumber, reason: `no value for ${lacking.join(', ')}` })
      continue
    }
    const filledText = parameters ? fillTemplate(body, parameters) : body
    const { parts, encoding } = smsParts(filledText)
    recipients.push({ phoneNumber, parameters, filledText, parts, encoding })
  }
  return {
    recipients,
    invalid,
    optedOut,
    duplicatesRemoved,
    missing: [...missingCounts].map(([name, count]) => ({ name, rows: count })),
  }
}
