/**
 * Who an audience send goes to, screened: the pure part of it (no database,
 * no configuration), so that an uploaded CSV is read and screened in a
 * worker thread (src/workers/audienceScreener.ts) and pasted numbers or a
 * contact list in the api (services/sending/audienceSend.ts). Every source
 * becomes AudienceRows; screenAudience then normalises, removes duplicates,
 * opted-out numbers and invalid rows (each reported with its line), and fills
 * the template per recipient. Relative imports only (the worker also runs
 * from the TypeScript sources, through tsx, in the api's tests).
 */
import { Readable } from 'node:stream'
import zlib from 'node:zlib'

import { parse } from 'csv-parse'

import { normalisePhoneNumber, splitRecipientEntries } from './phone'
import { smsParts, type SmsEncoding } from './smsParts'
import { fieldKey, fillTemplate } from './smsTemplate'

/** What is wrong with the audience as given, in words for the sender (the api answers it as a UserInputError). */
export class AudienceInputError extends Error {
  name = 'AudienceInputError'
}

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

/** What screening found; the recipients themselves went to its `onRecipients`, a batch at a time. */
export type ScreenedAudience = {
  recipients: number
  /** Rows whose number is invalid, or that lack a value a placeholder needs: how many, and the first few. */
  invalidCount: number
  invalid: AudienceProblem[]
  optedOutCount: number
  optedOut: AudienceProblem[]
  duplicatesRemoved: number
  /** Placeholder names no row has a value for and no default covers. */
  missing: { name: string; rows: number }[]
  /** The first recipients, filled. */
  preview: ScreenedRecipient[]
}

/** The base64 gzip text is bounded before it is decoded, and so is what it unpacks to. */
export const MAX_CSV_GZIP_CHARACTERS = 4 * 1024 * 1024

const NOT_UTF8 = 'The file is not valid UTF-8 (save it from your spreadsheet as "CSV UTF-8").'

/**
 * A CSV file sent gzip-compressed (base64), as the browser sends it, unpacked
 * as a stream (never the whole text in memory): at most MAX_CSV_CHARACTERS
 * bytes, and strict UTF-8 (a broken encoding is an error, not replacement
 * characters in someone's name).
 */
export async function* unpackCsv(gzipBase64: string): AsyncGenerator<Buffer> {
  // The api checks this before it starts the worker; kept here so that the function is safe on its own.
  if (gzipBase64.length > MAX_CSV_GZIP_CHARACTERS)
    throw new AudienceInputError('The compressed file is too large: send at most 100,000 rows.')
  const gunzip = zlib.createGunzip()
  gunzip.end(Buffer.from(gzipBase64, 'base64'))
  const utf8 = new TextDecoder('utf-8', { fatal: true })
  let bytes = 0
  try {
    for await (const chunk of gunzip as AsyncIterable<Buffer>) {
      bytes += chunk.length
      if (bytes > MAX_CSV_CHARACTERS)
        throw new AudienceInputError(`The file is larger than ${MAX_CSV_CHARACTERS.toLocaleString('en')} bytes.`)
      try {
        utf8.decode(chunk, { stream: true })
      } catch {
        throw new AudienceInputError(NOT_UTF8)
      }
      yield chunk
    }
    try {
      utf8.decode()
    } catch {
      throw new AudienceInputError(NOT_UTF8)
    }
  } catch (error) {
    if (error instanceof AudienceInputError) throw error
    throw new AudienceInputError('The file could not be unpacked: upload it again.')
  } finally {
    gunzip.destroy()
  }
}

/** A text 16 K characters at a time (only those are ever copied out as bytes), never between a surrogate pair's halves. */
function* inSlices(text: string): Generator<Buffer> {
  let at = 0
  while (at < text.length) {
    let end = Math.min(text.length, at + 16 * 1024)
    const last = text.charCodeAt(end - 1)
    if (end < text.length && last >= 0xd800 && last <= 0xdbff) end--
    yield Buffer.from(text.slice(at, end), 'utf8')
    at = end
  }
}

export function pastedAudience(text: string): AudienceRow[] {
  return splitRecipientEntries(text).map((phoneNumber, i) => ({ phoneNumber, fields: {}, line: i + 1 }))
}

/**
 * A CSV with a header row, read as a stream of rows (csv-parse holds one
 * slice of the file and the current record). The number column is
 * `numberColumn` if given, else the first header named like a phone number;
 * every column (the number too) is a field that can fill a placeholder.
 * csv-parse reads RFC 4180 (quotes, embedded newlines, a BOM); a line it
 * cannot read is an error naming the line, and nothing is sent. Lines count
 * the header as line 1; a record spanning lines is on its last line.
 */
export async function* csvAudience(
  file: string | AsyncIterable<Buffer>,
  numberColumn: string | null | undefined,
  maxAudience: number
): AsyncGenerator<AudienceRow> {
  if (typeof file === 'string') {
    // The api checks the length before it starts the worker; kept here so that the function is safe on its own.
    if (file.length > MAX_CSV_CHARACTERS)
      throw new AudienceInputError(
        `The file has ${file.length.toLocaleString('en')} characters; the limit is ${MAX_CSV_CHARACTERS.toLocaleString('en')}.`
      )
    if (file.includes('\uFFFD')) throw new AudienceInputError(NOT_UTF8)
  }
  const parser = parse({
    bom: true,
    relax_column_count: true,
    trim: true,
    skip_empty_lines: true,
    info: true,
    max_record_size: 64 * 1024,
  })
  // A text is handed to csv-parse 16 KB at a time: it parses what it is given in one go, and keeps the records.
  const source = Readable.from(typeof file === 'string' ? inSlices(file) : file)
  source.on('error', (error) => parser.destroy(error))
  source.pipe(parser)
  let keys: string[] | null = null
  let numberAt = -1
  let rows = 0
  try {
    for await (const { record, info } of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
      if (!keys) {
        const columns = record.map((h) => h.trim())
        keys = columns.map(fieldKey)
        const wanted = numberColumn ? fieldKey(numberColumn) : null
        numberAt = wanted ? keys.indexOf(wanted) : keys.findIndex((k) => NUMBER_HEADERS.includes(k.replace(/-/g, '_')))
        if (numberAt < 0)
          throw new AudienceInputError(
            wanted
              ? `The file has no column "${numberColumn}" (its columns: ${columns.join(', ')}).`
              : `No column of the file holds phone numbers (name one phone, number or mobile; its columns: ${columns.join(', ')}).`
          )
        continue
      }
      if (++rows > maxAudience)
        throw new AudienceInputError(
          `The file has more than ${maxAudience.toLocaleString('en')} rows; send to at most ${maxAudience.toLocaleString('en')} at a time.`
        )
      const fields: Record<string, string> = {}
      for (let c = 0; c < keys.length; c++) if (record[c] !== undefined && record[c] !== '') fields[keys[c]] = record[c]
      yield { phoneNumber: record[numberAt] ?? '', fields, line: info.lines }
    }
  } catch (error) {
    if (error instanceof AudienceInputError) throw error
    throw new AudienceInputError(`The file is not a readable CSV: ${(error as Error).message}`)
  } finally {
    source.unpipe(parser)
    source.destroy()
    parser.destroy()
  }
  if (!keys) throw new AudienceInputError('The file is empty.')
}

/** Screened rows whose opt-outs are asked in one query (and whose recipients are then handed over). */
const OPT_OUT_BATCH = 1000

/** A row with a valid, new number, screened but for its opt-out: only what its recipient and its problem need. */
type Candidate = ScreenedRecipient & { line: number | null; input: string; lacking: string[] | null }

/**
 * Screens rows for `body` (with ((placeholders))) as they come: invalid
 * numbers and opted-out ones are reported per row and left out, a repeated
 * number is sent once (the first row wins), and each recipient's text is
 * filled and counted. Recipients are handed to `onRecipients` in send
 * order, a batch at a time (one opt-out query each), and not kept: only the
 * numbers seen (for duplicates), the first `keep` problems of each kind and
 * the first `preview` recipients stay. A row is reduced to its recipient as
 * soon as it is read (the row itself is garbage at once), and a recipient
 * lives only until its batch is handed over: what a 100,000-row file leaves
 * for the garbage collector to find in the old generation is kept small. A placeholder with neither a value in a row nor a default is
 * reported in `missing` (the send is refused until the file or a default
 * covers it); an opted-out row is reported as opted out only.
 */
export async function screenAudience(
  rows: AsyncIterable<AudienceRow> | Iterable<AudienceRow>,
  body: string,
  placeholders: string[],
  defaults: Record<string, string>,
  {
    region,
    optedOutAmong,
    onRecipients,
    keep = 200,
    preview = 5,
  }: {
    /** PHONE_DEFAULT_REGION: where a number without + is read. */
    region: string
    /** The opt-outs among `numbers`, with why (one query for a batch of OPT_OUT_BATCH). */
    optedOutAmong: (numbers: string[]) => Promise<Map<string, string>>
    /**
     * The next recipients in send order, the first at `position` (from 0). `complete`: no row so far lacked a
     * value (once false, the send cannot be confirmed).
     */
    onRecipients: (recipients: ScreenedRecipient[], position: number, complete: boolean) => Promise<void>
    keep?: number
    preview?: number
  }
): Promise<ScreenedAudience> {
  const screened: ScreenedAudience = {
    recipients: 0,
    invalidCount: 0,
    invalid: [],
    optedOutCount: 0,
    optedOut: [],
    duplicatesRemoved: 0,
    missing: [],
    preview: [],
  }
  // Bad numbers are found as rows come, missing values after the opt-out check: each kind keeps its first `keep`
  // rows, and the two are merged by line at the end, so the list shown is the file's first `keep` invalid rows.
  const badNumbers: AudienceProblem[] = []
  const lackingValues: AudienceProblem[] = []
  const invalid = (kind: AudienceProblem[], problem: AudienceProblem) => {
    screened.invalidCount++
    if (kind.length < keep) kind.push(problem)
  }
  // Numbers seen, as keys of a plain object: the api build routes every Set call through a core-js wrapper.
  const seen: Record<string, 1> = Object.create(null)
  const missingCounts = new Map<string, number>()
  const keys = placeholders.map((p) => [p, fieldKey(p)] as const)
  const bodyParts = keys.length === 0 ? smsParts(body) : null
  let kept: Candidate[] = []

  const screenKept = async () => {
    const batch = kept
    kept = []
    const refused = await optedOutAmong(batch.map((k) => k.phoneNumber))
    const recipients: ScreenedRecipient[] = []
    for (const candidate of batch) {
      const reason = refused.get(candidate.phoneNumber)
      if (reason !== undefined) {
        if (screened.optedOutCount++ < keep)
          screened.optedOut.push({ line: candidate.line, input: candidate.input, reason })
        continue
      }
      if (candidate.lacking) {
        for (const name of candidate.lacking) missingCounts.set(name, (missingCounts.get(name) ?? 0) + 1)
        invalid(lackingValues, {
          line: candidate.line,
          input: candidate.input,
          reason: `no value for ${candidate.lacking.map((name) => `((${name}))`).join(', ')}`,
        })
        continue
      }
      if (screened.preview.length < preview) screened.preview.push(candidate)
      recipients.push(candidate)
    }
    if (recipients.length === 0) return
    const position = screened.recipients
    screened.recipients += recipients.length
    await onRecipients(recipients, position, missingCounts.size === 0)
  }

  for await (const row of rows) {
    const n = normalisePhoneNumber(row.phoneNumber, region)
    if (!n.ok) {
      invalid(badNumbers, { line: row.line ?? null, input: row.phoneNumber, reason: n.reason })
      continue
    }
    if (seen[n.e164]) {
      screened.duplicatesRemoved++
      continue
    }
    seen[n.e164] = 1
    let parameters: Record<string, string> | null = null
    let lacking: string[] | null = null
    if (keys.length > 0) {
      parameters = {}
      for (const [name, key] of keys) {
        const value = row.fields[key] ?? (key === 'name' ? (row.name ?? undefined) : undefined) ?? defaults[name]
        if (value === undefined || value === '') (lacking ??= []).push(name)
        else parameters[name] = value
      }
    }
    const filledText = lacking ? '' : parameters ? fillTemplate(body, parameters) : body
    const { parts, encoding } = bodyParts ?? smsParts(filledText)
    kept.push({
      phoneNumber: n.e164,
      parameters,
      filledText,
      parts,
      encoding,
      line: row.line ?? null,
      input: row.phoneNumber,
      lacking,
    })
    if (kept.length >= OPT_OUT_BATCH) await screenKept()
  }
  await screenKept()
  screened.missing = [...missingCounts].map(([name, count]) => ({ name, rows: count }))
  screened.invalid = [...badNumbers, ...lackingValues]
    .sort((a, b) => (a.line ?? Infinity) - (b.line ?? Infinity))
    .slice(0, keep)
  return screened
}
