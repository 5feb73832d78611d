/**
 * CSV import into the contact book (README "Contacts, lists and import").
 *
 * 1. uploadContactFile: the file function hands over the body; it is checked
 *    (UTF-8, a header, a column that looks like phone numbers) and stored
 *    with its header and first rows. Nothing else changes.
 * 2. startContactImport: staff map the columns; the import is queued.
 * 3. runContactImports (the background runner, every api instance): claims a
 *    queued import with SKIP LOCKED, opens ONE transaction, streams the
 *    stored file from its bytea to a worker thread that parses and validates
 *    it (contactFileWorker.ts), and writes each chunk of validated rows
 *    (contacts, list members, bad rows) as it comes back, then the counts and
 *    one audit event. Only one chunk of rows is ever held. A refused file
 *    (too many rows, list gone) or a crash rolls everything back: no contact
 *    changes.
 */
import { randomUUID } from 'node:crypto'

import type { ContactImport as ContactImportRow, Prisma } from '@prisma/client'
import type { ContactImportRelationResolvers, MutationResolvers, QueryResolvers } from 'types/graphql'

import { UserInputError } from '@redwoodjs/graphql-server'

import { requireAuth } from 'src/lib/auth'
import { config } from 'src/lib/config'
import {
  CsvFileError,
  MAX_IMPORT_ROWS,
  checkedText,
  nameColumnGuess,
  numberColumnCandidates,
  readHead,
} from 'src/lib/contactCsv'
import { DEFAULT_CHUNK_ROWS, ImportRefused, type Mapping } from 'src/lib/contactFileReader'
import { db, inTransaction, pool } from 'src/lib/db'
import { logger } from 'src/lib/logger'
import type { RowResolvers } from 'src/lib/resolverTypes'
import { ROLES_THAT } from 'src/lib/roles'
import { recordAudit, recordAuditOn } from 'src/services/audit/audit'

import { readStoredFile, type ChunkBytes } from './contactFileWorker'
import { checkedListName } from './contactRows'

/** Uploaded files a user may keep waiting for their mapping at once. */
export const MAX_PENDING_UPLOADS_PER_USER = 5
/** An upload never started is dropped after this long. */
export const UPLOAD_TTL_HOURS = 24
/** A running import whose instance has not beaten its heartbeat for this long is taken over. */
export const IMPORT_STALE_SECONDS = 60
export const MAX_IMPORT_ATTEMPTS = 3

// ---- 1. Upload -----------------------------------------------------------------

/** Uploads never imported go after UPLOAD_TTL_HOURS (on each upload and each runner tick). */
async function dropStaleUploads() {
  await pool.query(
    `DELETE FROM "ContactImport" WHERE status = 'uploaded' AND "createdAt" < now() - make_interval(hours => $1)`,
    [UPLOAD_TTL_HOURS]
  )
}

/** Stores an uploaded file for the mapping step; CsvFileError (nothing stored) when it cannot be imported. */
export async function uploadContactFile(body: string, fileName: string, userId: number | null) {
  const text = checkedText(body)
  const head = readHead(text)
  const region = config().phoneDefaultRegion
  if (numberColumnCandidates(head, region).length === 0) {
    throw new CsvFileError(
      `No column holds phone numbers (columns: ${head.headers.join(', ')}). Add a column of numbers, with + and the country code or in ${region} format.`
    )
  }
  const bytes = Buffer.from(text, 'utf8')
  await dropStaleUploads()
  const pending = await db.contactImport.count({ where: { status: 'uploaded', createdById: userId } })
  if (pending >= MAX_PENDING_UPLOADS_PER_USER)
    throw new CsvFileError(
      `You have ${pending} uploaded files waiting for their columns to be chosen: import or discard one first.`
    )
  const { rows } = await pool.query<{ id: number }>(
    `INSERT INTO "ContactImport" ("fileName", file, "byteSize", headers, preview, "createdById")
     VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
    [
      fileName.slice(0, 200) || 'contacts.csv',
      bytes,
      bytes.length,
      JSON.stringify(head.headers),
      JSON.stringify(head.preview),
      userId,
    ]
  )
  return { id: rows[0].id, headers: head.headers }
}

// ---- 2. Mapping and queries -------------------------------------------------------

const stringArray = (value: unknown): string[] => (Array.isArray(value) ? value.map(String) : [])

function importDto(row: Omit<ContactImportRow, 'file'> & { list?: { id: number; name: string } | null }) {
  const headers = stringArray(row.headers)
  const preview = (Array.isArray(row.preview) ? row.preview : []).map(stringArray)
  const progress =
    row.status === 'done'
      ? 100
      : row.status === 'running'
        ? // Rows are written as they are read: reading is the whole import.
          Math.min(99, Math.floor((100 * row.rowsRead) / Math.max(1, Math.min(MAX_IMPORT_ROWS, estimatedRows(row)))))
        : 0
  return {
    id: row.id,
    status: row.status,
    fileName: row.fileName,
    byteSize: row.byteSize,
    headers,
    preview,
    numberColumnCandidates: numberColumnCandidates({ headers, preview }, config().phoneDefaultRegion),
    nameColumnGuess: nameColumnGuess(headers),
    list: row.list ?? null,
    phase: row.phase,
    progress,
    rowsRead: row.rowsRead,
    rowsSaved: row.rowsSaved,
    rowsTotal: row.rowsTotal,
    created: row.created,
    updated: row.updated,
    duplicatesMerged: row.duplicatesMerged,
    optedOut: row.optedOut,
    badRows: row.badRows,
    error: row.error,
    createdAt: row.createdAt,
    finishedAt: row.finishedAt,
    maxRows: MAX_IMPORT_ROWS,
    // Read by the field resolver below, only when asked for.
    problems: [],
  }
}

export const ContactImport: RowResolvers<{ id: number }, ContactImportRelationResolvers> = {
  problems: ({ take }, { root }) =>
    db.contactImportProblem.findMany({
      where: { importId: root.id },
      orderBy: { line: 'asc' },
      take: Math.min(Math.max(take ?? 100, 1), 1000),
      select: { line: true, reason: true, value: true },
    }),
}

/** Rows the file probably has, from its size and its preview's average line (for the progress bar). */
function estimatedRows(row: Omit<ContactImportRow, 'file'>): number {
  const preview = (Array.isArray(row.preview) ? row.preview : []).map(stringArray)
  const sample = preview.map((r) => r.join(',').length + 1)
  const perRow = sample.length ? sample.reduce((a, b) => a + b, 0) / sample.length : 40
  return Math.max(1, Math.round(row.byteSize / Math.max(8, perRow)))
}

const withList = { list: { select: { id: true, name: true } } } as const
/** Never through Prisma: its engine would carry the stored file (up to 20 MB) through every read. */
const noFile = { file: true } as const

export const contactImport: QueryResolvers['contactImport'] = async ({ id }) => {
  const row = await db.contactImport.findUnique({ where: { id }, include: withList, omit: noFile })
  return row ? importDto(row) : null
}

export const contactImports: QueryResolvers['contactImports'] = async () => {
  const rows = await db.contactImport.findMany({ orderBy: { id: 'desc' }, take: 20, include: withList, omit: noFile })
  return rows.map(importDto)
}

export const startContactImport: MutationResolvers['startContactImport'] = async ({ input }) => {
  requireAuth({ roles: [...ROLES_THAT.send] })
  const row = await db.contactImport.findUnique({ where: { id: input.importId }, omit: noFile })
  if (!row) throw new UserInputError(`No uploaded file ${input.importId}.`)
  if (row.status !== 'uploaded') throw new UserInputError('This file is already being imported or was imported.')
  const headers = stringArray(row.headers)
  const known = (h: string) => headers.includes(h)
  if (!known(input.numberColumn))
    throw new UserInputError(
      `Choose the column with the phone numbers (the file has no column "${input.numberColumn}").`
    )
  if (input.nameColumn && !known(input.nameColumn))
    throw new UserInputError(`The file has no column "${input.nameColumn}".`)
  const unknown = input.fieldColumns.filter((h) => !known(h))
  if (unknown.length) throw new UserInputError(`The file has no column "${unknown[0]}".`)
  const mapping: Mapping = {
    numberColumn: input.numberColumn,
    nameColumn: input.nameColumn || null,
    fieldColumns: [...new Set(input.fieldColumns)].filter((h) => h !== input.numberColumn && h !== input.nameColumn),
  }
  if ((input.listId ? 1 : 0) + (input.newListName?.trim() ? 1 : 0) > 1)
    throw new UserInputError('Choose a list or name a new one, not both.')
  let listId: number | null = null
  if (input.listId) {
    const list = await db.contactList.findUnique({ where: { id: input.listId } })
    if (!list) throw new UserInputError(`No list ${input.listId}.`)
    listId = list.id
  }
  const newListName = input.newListName?.trim() ? checkedListName(input.newListName) : null
  if (newListName && (await db.contactList.findUnique({ where: { name: newListName } })))
    throw new UserInputError(`There is already a list named "${newListName}": choose it instead.`)
  const { count } = await db.contactImport.updateMany({
    where: { id: row.id, status: 'uploaded' },
    data: { status: 'queued', mapping: { ...mapping, newListName, listId }, listId, phase: 'queued' },
  })
  if (count === 0) throw new UserInputError('This file is already being imported or was imported.')
  // This instance starts at once rather than at its next tick (any instance may take it).
  void importRunner?.runNow()
  return importDto(
    (await db.contactImport.findUniqueOrThrow({ where: { id: row.id }, include: withList, omit: noFile }))!
  )
}

export const discardContactImport: MutationResolvers['discardContactImport'] = async ({ id }) => {
  requireAuth({ roles: [...ROLES_THAT.send] })
  const row = await db.contactImport.findUnique({ where: { id }, include: withList, omit: noFile })
  if (!row) throw new UserInputError(`No uploaded file ${id}.`)
  await db.$transaction(async (tx) => {
    const { count } = await tx.contactImport.deleteMany({ where: { id, status: 'uploaded' } })
    if (count === 0) throw new UserInputError('Only a file that has not been imported can be discarded.')
    await recordAudit(tx, { action: 'contact_import_discarded', targetType: 'contactImport', targetId: id })
  })
  return importDto({ ...row, status: 'discarded' })
}

// ---- 3. The background import -----------------------------------------------------

export type ImportCounts = {
  rowsRead: number
  created: number
  updated: number
  duplicatesMerged: number
  optedOut: number
  badRows: number
}

/**
 * Reads and writes a stored file in ONE transaction, a chunk at a time as it
 * is parsed. Merging with the book: a number already there keeps its
 * contact; the file's non-empty name replaces the name, the file's fields
 * are added to (or replace same-named) fields, other fields stay. A number
 * repeated in a later chunk merges the same way into what the earlier chunk
 * wrote, so later non-empty values win across the whole file.
 *
 * The transaction is a plain pg one (inTransaction), not Prisma's: each chunk
 * arrives from the reader as UTF-8 JSON and goes to Postgres as it is, a
 * bytea parameter (pg sends a Uint8Array as binary without copying it),
 * where Prisma's engine would copy it through the api's heap several times.
 * Times are taken when written (clock_timestamp, in UTC as Prisma stores
 * them), not at the transaction's start.
 */
async function importStoredFile(
  importId: number,
  claim: string,
  mapping: Mapping,
  actor: { id: number; email: string } | null,
  { chunkRows, maxRows }: ImportLimits
): Promise<ImportCounts | null> {
  return inTransaction(async (tx) => {
    // One writer per import even if a stale claim was taken over meanwhile.
    await tx.query(`SELECT pg_advisory_xact_lock(hashtext('contact-import'), $1::int)`, [importId])
    const { rows } = await tx.query<{
      status: string
      claimedBy: string | null
      listId: number | null
      mapping: { newListName?: string | null; listId?: number | null } | null
    }>('SELECT status, "claimedBy", "listId", mapping FROM "ContactImport" WHERE id = $1', [importId])
    const current = rows[0]
    if (!current || current.status !== 'running' || current.claimedBy !== claim) return null
    const stored = current.mapping
    let listId = current.listId
    const userId = actor?.id ?? null
    if (stored?.newListName) {
      const taken = await tx.query('SELECT 1 FROM "ContactList" WHERE name = $1', [stored.newListName])
      if (taken.rowCount) throw new ImportRefused(`A list named "${stored.newListName}" was created meanwhile.`)
      const created = await tx.query<{ id: number }>(
        `INSERT INTO "ContactList" (name, "createdById", "updatedById", "createdAt", "updatedAt")
         VALUES ($1, $2, $2, clock_timestamp() AT TIME ZONE 'UTC', clock_timestamp() AT TIME ZONE 'UTC') RETURNING id`,
        [stored.newListName, userId]
      )
      listId = created.rows[0].id
    } else if (stored?.listId && listId === null) {
      throw new ImportRefused('The list was deleted before the import ran.')
    }
    let created = 0
    let updated = 0
    let optedOut = 0
    let badRows = 0
    let saved = 0
    // Each chunk is ONE statement, its rows ONE parameter (a JSON array read by jsonb_to_recordset), one row back.
    // A number marked again (g) was counted by an earlier chunk: merged, not counted twice.
    const writeChunk = async (chunk: ChunkBytes) => {
      if (chunk.contactCount) {
        const { rows: counted } = await tx.query<{ created: number; updated: number; optedOut: number }>(
          `WITH rows AS (
             SELECT * FROM jsonb_to_recordset(convert_from($1::bytea, 'UTF8')::jsonb) AS t(p text, n text, a jsonb, g boolean)
           ), upserted AS (
             INSERT INTO "Contact" ("phoneNumber", "name", "attributes", "createdById", "updatedById")
             SELECT p, n, a, $2::int, $2::int FROM rows
             ON CONFLICT ("phoneNumber") DO UPDATE SET
               "name" = COALESCE(EXCLUDED."name", "Contact"."name"),
               "attributes" = "Contact"."attributes" || EXCLUDED."attributes",
               "updatedAt" = now(),
               "updatedById" = EXCLUDED."updatedById"
             RETURNING id, "phoneNumber", (xmax = 0) AS inserted
           ), members AS (
             INSERT INTO "ContactListMember" ("listId", "contactId")
             SELECT $3::int, id FROM upserted WHERE $3::int IS NOT NULL
             ON CONFLICT DO NOTHING
           )
           SELECT (SELECT count(*) FROM upserted u JOIN rows ON rows.p = u."phoneNumber"
                    WHERE u.inserted AND NOT rows.g)::int AS created,
                  (SELECT count(*) FROM upserted u JOIN rows ON rows.p = u."phoneNumber"
                    WHERE NOT u.inserted AND NOT rows.g)::int AS updated,
                  (SELECT count(*) FROM "OptOut" o JOIN rows ON o."phoneNumber" = rows.p
                    WHERE NOT rows.g)::int AS "optedOut"`,
          [chunk.contacts, userId, listId]
        )
        created += counted[0].created
        updated += counted[0].updated
        optedOut += counted[0].optedOut
        saved += chunk.contactCount - chunk.againCount
      }
      if (chunk.problemCount) {
        await tx.query(
          `INSERT INTO "ContactImportProblem" ("importId", "line", "reason", "value")
           SELECT $1::int, l, r, v FROM jsonb_to_recordset(convert_from($2::bytea, 'UTF8')::jsonb) AS t(l int, r text, v text)`,
          [importId, chunk.problems]
        )
        badRows += chunk.problemCount
      }
      await progress(importId, claim, { rowsSaved: saved })
    }
    const outcome = await readStoredFile(
      importId,
      { mapping, defaultRegion: config().phoneDefaultRegion, chunkRows, maxRows },
      { onChunk: writeChunk, onProgress: (rowsRead) => progress(importId, claim, { rowsRead }) }
    )
    const counts: ImportCounts = {
      rowsRead: outcome.rowsRead,
      created,
      updated,
      duplicatesMerged: outcome.duplicatesMerged,
      optedOut,
      badRows,
    }
    await tx.query(
      `UPDATE "ContactImport" SET "rowsRead" = $2, created = $3, updated = $4, "duplicatesMerged" = $5,
         "optedOut" = $6, "badRows" = $7, status = 'done', phase = 'done', "listId" = $8, "rowsSaved" = $9,
         "rowsTotal" = $9, file = NULL, "finishedAt" = clock_timestamp() AT TIME ZONE 'UTC'
       WHERE id = $1`,
      [importId, counts.rowsRead, created, updated, counts.duplicatesMerged, optedOut, badRows, listId, saved]
    )
    await recordAuditOn(tx, {
      action: 'contacts_imported',
      targetType: 'contactImport',
      targetId: importId,
      details: { ...counts, listId },
      actor,
      clientAddress: null,
    })
    return counts
  })
}

/** Progress and heartbeat, outside the import's transaction so the page sees them. */
async function progress(importId: number, claim: string, data: Prisma.ContactImportUpdateManyMutationInput) {
  await db.contactImport.updateMany({
    where: { id: importId, claimedBy: claim, status: 'running' },
    data: { ...data, heartbeatAt: new Date() },
  })
}

async function fail(importId: number, claim: string, error: string) {
  await db.contactImport.updateMany({
    where: { id: importId, claimedBy: claim, status: 'running' },
    data: { status: 'failed', phase: 'failed', error, file: null, finishedAt: new Date() },
  })
}

/** Rows per written chunk, and the most rows a file may have; tests make both small to see several chunks. */
type ImportLimits = { chunkRows: number; maxRows: number }

/**
 * Claims the oldest queued import (or one whose instance stopped beating its
 * heartbeat) with FOR UPDATE SKIP LOCKED, so two instances never take the
 * same one, and runs it. Returns its id, or null when there was none.
 */

export async function runNextContactImport({
  chunkRows = DEFAULT_CHUNK_ROWS,
  maxRows = MAX_IMPORT_ROWS,
}: Partial<ImportLimits> = {}): Promise<number | null> {
  const claim = randomUUID()
  const claimed = await db.$queryRaw<{ id: number; attempts: number }[]>`
    UPDATE "ContactImport" SET status = 'running', phase = 'reading', "claimedBy" = ${claim},
      "heartbeatAt" = now(), attempts = attempts + 1, "startedAt" = coalesce("startedAt", now()),
      "rowsRead" = 0, "rowsSaved" = 0
    WHERE id = (
      SELECT id FROM "ContactImport"
      WHERE status = 'queued'
         OR (status = 'running' AND "heartbeatAt" < now() - make_interval(secs => ${IMPORT_STALE_SECONDS}))
      ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED)
    RETURNING id, attempts`
  if (claimed.length === 0) return null
  const { id, attempts } = claimed[0]
  if (attempts > MAX_IMPORT_ATTEMPTS) {
    await fail(id, claim, `The import stopped ${MAX_IMPORT_ATTEMPTS} times (see the api log); upload the file again.`)
    return id
  }
  const started = Date.now()
  try {
    const { rows } = await pool.query<{ mapping: Mapping | null; createdById: number | null }>(
      'SELECT mapping, "createdById" FROM "ContactImport" WHERE id = $1',
      [id]
    )
    const row = rows[0]
    if (!row?.mapping) throw new ImportRefused('The uploaded file is gone.')
    const user = row.createdById
      ? await db.user.findUnique({ where: { id: row.createdById }, select: { id: true, email: true } })
      : null
    const counts = await importStoredFile(id, claim, row.mapping, user, { chunkRows, maxRows })
    logger.info({ importId: id, ...counts, ms: Date.now() - started }, 'contacts imported')
  } catch (error) {
    if (error instanceof ImportRefused || error instanceof CsvFileError) {
      await fail(id, claim, error.message)
      logger.info({ importId: id, reason: error.message }, 'contact import refused')
    } else {
      // Left running: its heartbeat stops, and this or another instance takes it over.
      throw error
    }
  }
  return id
}

/** Every queued import, one after the other (the background runner's task). */
export async function runContactImports(options: Partial<ImportLimits> = {}): Promise<number> {
  await dropStaleUploads()
  let ran = 0
  while ((await runNextContactImport(options)) !== null) ran++
  return ran
}

let importRunner: { runNow: () => Promise<void> } | null = null

/** Started from api/src/server.ts: every instance polls for queued imports (CONTACT_IMPORT_INTERVAL_MS). */
export function registerImportRunner(runner: { runNow: () => Promise<void> }) {
  importRunner = runner
}
