/**
 * Sends to an audience (README "Audience sends", "Review before sending"):
 * pasted numbers, an uploaded CSV or a contact list, a body with optional
 * ((placeholders)), now or scheduled. `reviewAudienceSend` stores no message:
 * it screens the audience as a stream into a draft (SendDraft and its
 * SendDraftRecipient rows); `sendToAudience` turns the draft into the
 * message, its recipients (with their filled text) and its chunks in one
 * transaction, and leaves submission to the background submitter
 * (chunkSubmitter.ts).
 */
import crypto from 'node:crypto'

import type { Prisma } from '@prisma/client'
import type { AudienceSendInput, QueryResolvers } from 'types/graphql'

import { UserInputError } from '@redwoodjs/graphql-server'

import { draftRowsJson, dryRunBatcher, pricePerPart, type DryRunShape } from 'src/lib/audienceBatches'
import {
  MAX_CSV_CHARACTERS,
  MAX_CSV_GZIP_CHARACTERS,
  pastedAudience,
  screenAudience,
  type AudienceRow,
  type ScreenedAudience,
} from 'src/lib/audienceScreening'
import { requireAuth } from 'src/lib/auth'
import { callbackUrlWithToken } from 'src/lib/callbackAuth'
import { config } from 'src/lib/config'
import { db, pool } from 'src/lib/db'
import { notifyLive } from 'src/lib/live/notifyLive'
import { logger } from 'src/lib/logger'
import { ROLES_THAT } from 'src/lib/roles'
import { chunkClientReference, chunkCount } from 'src/lib/sendChunks'
import { sinchSmsClient } from 'src/lib/sinch/client'
import { isSinchError } from 'src/lib/sinch/errors'
import { fieldKey, placeholdersOf, templateProblem } from 'src/lib/smsTemplate'
import { recordAudit } from 'src/services/audit/audit'
import { listAudience } from 'src/services/contacts/listAudience'

import { optedOutAmong } from './audience'
import { screenCsvInWorker, type ScreenedInWorker } from './audienceScreenerWorker'
import { kickChunkSubmitter } from './chunkSubmitter'
import { MAX_BODY_LENGTH } from './sending'
import { MAX_CLIENT_REFERENCE_LENGTH } from './sendTargets'

const PREVIEW_ROWS = 5
const PROBLEMS_SHOWN = 200
/** Sinch holds a batch at most this long after send_at (docs/sinch-protocol.md#scheduling). */
export const MAX_EXPIRY_AFTER_SEND_MS = 3 * 24 * 3600_000
const MAX_SCHEDULE_AHEAD_MS = 366 * 24 * 3600_000

/** Rows in the api (pasted numbers, a contact list), or an uploaded CSV, which a worker thread reads and screens. */
type AudienceSource =
  | { rows: AudienceRow[] }
  | { csv: { gzipBase64?: string; text?: string }; numberColumn: string | null }

/** The input's source (a CSV is checked for size here, and read as a stream in its worker, never held as rows). */
async function audienceSource(input: AudienceSendInput): Promise<AudienceSource> {
  switch (input.source) {
    case 'PASTED':
      if (!input.recipients?.trim()) throw new UserInputError('Add at least one recipient.')
      if (input.recipients.length > 4_000_000) throw new UserInputError('The pasted recipients are too long.')
      return { rows: bounded(pastedAudience(input.recipients)) }
    case 'CSV': {
      const numberColumn = input.numberColumn ?? null
      if (input.csvGzip) {
        if (input.csvGzip.length > MAX_CSV_GZIP_CHARACTERS)
          throw new UserInputError('The compressed file is too large: send at most 100,000 rows.')
        return { csv: { gzipBase64: input.csvGzip }, numberColumn }
      }
      if (!input.csv?.trim()) throw new UserInputError('Choose a CSV file.')
      if (input.csv.length > MAX_CSV_CHARACTERS)
        throw new UserInputError(
          `The file has ${input.csv.length.toLocaleString('en')} characters; the limit is ${MAX_CSV_CHARACTERS.toLocaleString('en')}.`
        )
      return { csv: { text: input.csv }, numberColumn }
    }
    case 'LIST':
      if (!input.listId) throw new UserInputError('Choose a contact list.')
      // A contact list's members (opted-out ones already left out), fields keyed as placeholders match them.
      return {
        rows: bounded(
          (await listAudience(input.listId)).map((m) => ({
            phoneNumber: m.phoneNumber,
            name: m.name,
            fields: Object.fromEntries(Object.entries(m.fields).map(([k, v]) => [fieldKey(k), v])),
          }))
        ),
      }
  }
}

/** At most SEND_MAX_AUDIENCE rows (a CSV's worker checks its own as it reads). */
function bounded(rows: AudienceRow[]): AudienceRow[] {
  const maxAudience = config().send.maxAudience
  if (rows.length > maxAudience)
    throw new UserInputError(
      `${rows.length.toLocaleString('en')} recipients: send to at most ${maxAudience.toLocaleString('en')} at a time.`
    )
  return rows
}

type Prepared = {
  body: string
  placeholders: string[]
  defaults: Record<string, string>
  source: AudienceSource
  sendAt: Date | null
  expireAt: Date | null
  sender: string | null
  clientReference: string | null
  smsTemplateId: number | null
}

async function prepare(input: AudienceSendInput, now = new Date()): Promise<Prepared> {
  const body = input.body.trim()
  if (!body) throw new UserInputError('Write a message body.')
  if (body.length > MAX_BODY_LENGTH)
    throw new UserInputError(`The body has ${body.length} characters; the limit is ${MAX_BODY_LENGTH}.`)
  const problem = templateProblem(body)
  if (problem) throw new UserInputError(problem)
  const placeholders = placeholdersOf(body)
  const defaults: Record<string, string> = {}
  for (const d of input.defaults ?? []) {
    if (!placeholders.includes(d.name)) continue
    if (d.value.length > 500) throw new UserInputError(`The default for ((${d.name})) is longer than 500 characters.`)
    if (d.value !== '') defaults[d.name] = d.value
  }
  const sendAt = input.sendAt ? new Date(input.sendAt) : null
  const expireAt = input.expireAt ? new Date(input.expireAt) : null
  if (sendAt && sendAt.getTime() <= now.getTime())
    throw new UserInputError('The scheduled time has passed: choose a later one, or send now.')
  if (sendAt && sendAt.getTime() > now.getTime() + MAX_SCHEDULE_AHEAD_MS)
    throw new UserInputError('Schedule at most a year ahead.')
  if (expireAt) {
    const from = (sendAt ?? now).getTime()
    if (expireAt.getTime() <= from) throw new UserInputError('The expiry must be after the time the message goes.')
    if (expireAt.getTime() > from + MAX_EXPIRY_AFTER_SEND_MS)
      throw new UserInputError('Sinch keeps trying for at most 3 days: choose an expiry within 3 days of sending.')
  }
  const clientReference = input.clientReference?.trim() || null
  if (clientReference && clientReference.length > MAX_CLIENT_REFERENCE_LENGTH)
    throw new UserInputError(`The client reference is longer than ${MAX_CLIENT_REFERENCE_LENGTH} characters.`)
  const source = await audienceSource(input)
  return {
    body,
    placeholders,
    defaults,
    source,
    sendAt,
    expireAt,
    sender: input.sender?.trim() || config().sinch.from || null,
    clientReference,
    smsTemplateId: input.smsTemplateId ?? null,
  }
}

/** Dry runs in flight at once (each is one chunk, 1,000 recipients by default). */
const DRY_RUN_CONCURRENCY = 4

/**
 * Sinch's own count of parts, one dry run per chunk: each chunk's request is
 * built as screening hands recipients over (dryRunBatcher, in the api or in
 * the CSV's worker) and sent here, DRY_RUN_CONCURRENCY at a time; `send`
 * waits for a free slot, so the file is read no faster than Sinch answers.
 * After a Sinch error no more are sent, and `result` is null with why (the
 * review then shows our count).
 */
function sinchDryRuns() {
  const client = sinchSmsClient(config().sinch)
  // Every dry run sent (awaited by `result`), and a slot count. Plain arrays and a counter: a Set handed to
  // Promise.race/all is not iterated as one in the api build (core-js's Set wrapper), and some would go unawaited.
  const sent: Promise<void>[] = []
  let running = 0
  let slotFreed: (() => void) | null = null
  let total = 0
  let failure: Error | null = null
  const dryRun = async (request: Uint8Array) => {
    try {
      // Awaited before `total` is read: `total += await …` would read it first and lose concurrent answers.
      const answer = await client.dryRunRequest(request)
      total += answer.number_of_messages
    } catch (error) {
      failure ??= error as Error
    }
  }
  return {
    async send(request: Uint8Array) {
      if (failure) return
      while (running >= DRY_RUN_CONCURRENCY) await new Promise<void>((resolve) => (slotFreed = resolve))
      running++
      sent.push(
        dryRun(request).finally(() => {
          running--
          slotFreed?.()
          slotFreed = null
        })
      )
    },
    async result(): Promise<{ parts: number | null; note: string | null }> {
      await Promise.all(sent)
      if (!failure) return { parts: total, note: null }
      if (!isSinchError(failure)) throw failure
      const message = (failure as Error).message
      logger.warn({ err: { message } }, 'Sinch dry run failed; the review shows our own count')
      return { parts: null, note: `Sinch's dry run was not available (${message}); the count is ours.` }
    },
  }
}

/** How this send's dry-run requests look, apart from their recipients. */
function dryRunShape(p: Prepared): DryRunShape {
  return {
    body: p.body,
    placeholders: p.placeholders,
    defaults: p.defaults,
    from: p.sender,
    callbackUrl: callbackUrlWithToken(config().callbacks),
    chunkSize: config().send.chunkSize,
  }
}

type ScreenedDraft = { screened: ScreenedAudience; draftId: string | null; ourParts: number; cost: number }

const DRAFT_TTL_MS = 3600_000

/**
 * Screens the audience straight into a draft (README "Review before
 * sending"): each batch of screened recipients is written to
 * SendDraftRecipient as screening hands it over (one statement per batch,
 * while the next batch is read) and added to its chunk's dry-run request
 * (`dryRuns`, a review only), so no list of every recipient is ever held in
 * the api. An uploaded CSV is screened in a worker thread
 * (audienceScreenerWorker.ts), which hands over the same rows and requests as
 * bytes; pasted numbers and a list are screened here. Each write is
 * its own statement on the pg pool Prisma uses (a batch's JSON through
 * Prisma's query engine costs its memory): no transaction stays open, and no
 * pool connection is held, while the file is read and Sinch answers dry runs
 * (the callbacks share that pool). Until it is complete the draft has 0
 * recipients, which no send accepts, and its id is handed out only then.
 * `check` may refuse what was screened; the draft is kept only when there is
 * someone to send to and every placeholder has its values, else (and on any
 * failure) it is deleted again. One draft per staff member (a new one
 * replaces the last), none older than an hour (the retention pass deletes
 * what is left): what a review can make us keep is bounded.
 */
async function screenIntoDraft(
  p: Prepared,
  {
    dryRuns,
    check,
  }: {
    /** Where each chunk's dry-run request goes (a review); none when a send screens again. */
    dryRuns?: { send: (request: Uint8Array) => Promise<void> }
    check?: (screened: ScreenedAudience) => void
  } = {}
): Promise<ScreenedDraft> {
  const userId = context.currentUser?.id ?? null
  await pool.query('DELETE FROM "SendDraft" WHERE "createdById" IS NOT DISTINCT FROM $1', [userId])
  const draftId = `draft_${crypto.randomUUID()}`
  await pool.query(
    `INSERT INTO "SendDraft" (id, "createdById", "expiresAt", body, "parameterNames", "parameterDefaults", sender,
                              "clientReference", "smsTemplateId", "sendAt", "expireAt", "recipientCount")
     VALUES ($1, $2, $3, $4, $5::text[], $6::jsonb, $7, $8, $9, $10, $11, 0)`,
    [
      draftId,
      userId,
      new Date(Date.now() + DRAFT_TTL_MS),
      p.body,
      p.placeholders,
      Object.keys(p.defaults).length > 0 ? JSON.stringify(p.defaults) : null,
      p.sender,
      p.clientReference,
      p.smsTemplateId,
      p.sendAt,
      p.expireAt,
    ]
  )
  const dropDraft = () => pool.query('DELETE FROM "SendDraft" WHERE id = $1', [draftId])
  let writing: Promise<unknown> = Promise.resolve()
  /** A batch of the draft's rows (draftRowsJson: text here, UTF-8 bytes from a CSV's worker), written while the next is screened. */
  const writeDraftRows = async (rows: string | Uint8Array, position: number) => {
    // One write in flight: these recipients' is sent while the next ones are read.
    await writing
    writing = pool.query(
      `INSERT INTO "SendDraftRecipient" ("draftId", position, "phoneNumber", parameters, "filledText", parts)
       SELECT $1, $2::int + r.o::int - 1, r.p, r.a, r.t, r.n
         FROM ROWS FROM (jsonb_to_recordset(${typeof rows === 'string' ? '$3::jsonb' : "convert_from($3::bytea, 'UTF8')::jsonb"})
                         AS (p text, a jsonb, t text, n int)) WITH ORDINALITY AS r(p, a, t, n, o)`,
      [draftId, position, rows]
    )
    // Its failure is thrown where it is awaited (the next batch, or the end); until then it is not "unhandled".
    writing.catch(() => {})
  }
  try {
    const { price } = config().send
    const shape = dryRunShape(p)
    let screenedAll: ScreenedInWorker
    if ('csv' in p.source) {
      screenedAll = await screenCsvInWorker(
        {
          csv: p.source.csv,
          numberColumn: p.source.numberColumn,
          maxAudience: config().send.maxAudience,
          region: config().phoneDefaultRegion,
          body: p.body,
          placeholders: p.placeholders,
          defaults: p.defaults,
          keep: PROBLEMS_SHOWN,
          preview: PREVIEW_ROWS,
          price,
          dryRun: dryRuns ? shape : null,
        },
        {
          optedOutAmong,
          onDraftRows: (rows, position) => writeDraftRows(rows, position),
          onDryRun: async (request) => dryRuns?.send(request),
        }
      )
    } else {
      const templated = p.placeholders.length > 0
      const batcher = dryRuns ? dryRunBatcher(shape, dryRuns.send) : null
      let ourParts = 0
      let cost = 0
      const screened = await screenAudience(p.source.rows, p.body, p.placeholders, p.defaults, {
        region: config().phoneDefaultRegion,
        optedOutAmong,
        keep: PROBLEMS_SHOWN,
        preview: PREVIEW_ROWS,
        onRecipients: async (recipients, position, complete) => {
          for (const r of recipients) {
            ourParts += r.parts
            cost += r.parts * pricePerPart(r.phoneNumber, price)
          }
          await writeDraftRows(draftRowsJson(recipients, templated), position)
          // Once a row lacked a value the send cannot be confirmed: no more dry runs.
          if (complete) await batcher?.add(recipients)
        },
      })
      await batcher?.flush()
      screenedAll = { screened, ourParts, cost }
    }
    const { screened, ourParts, cost } = screenedAll
    await writing
    check?.(screened)
    if (screened.recipients === 0 || screened.missing.length > 0) {
      await dropDraft()
      return { screened, draftId: null, ourParts, cost }
    }
    await pool.query('UPDATE "SendDraft" SET "recipientCount" = $2 WHERE id = $1', [draftId, screened.recipients])
    return { screened, draftId, ourParts, cost }
  } catch (error) {
    await writing.catch(() => {})
    await dropDraft().catch(() => {})
    throw error
  }
}

export const reviewAudienceSend: QueryResolvers['reviewAudienceSend'] = async ({ input }) => {
  requireAuth({ roles: [...ROLES_THAT.send] })
  const p = await prepare(input)
  const dryRuns = sinchDryRuns()
  const { screened, draftId, ourParts, cost } = await screenIntoDraft(p, { dryRuns })
  const { recipients, missing } = screened
  const sendable = recipients > 0 && missing.length === 0
  const sinch = await dryRuns.result()
  const dryRun = sendable ? sinch : { parts: null, note: null }
  const partsNote =
    dryRun.note ??
    (dryRun.parts !== null && dryRun.parts !== ourParts
      ? `Sinch counts ${dryRun.parts.toLocaleString('en')} parts where we count ${ourParts.toLocaleString('en')}: the estimate uses Sinch's.`
      : null)
  const parts = dryRun.parts ?? ourParts
  const { price } = config().send
  return {
    recipients,
    duplicatesRemoved: screened.duplicatesRemoved,
    invalidCount: screened.invalidCount,
    invalid: screened.invalid,
    optedOutCount: screened.optedOutCount,
    optedOut: screened.optedOut,
    missing,
    placeholders: p.placeholders,
    preview: screened.preview.map((r) => ({
      phoneNumber: r.phoneNumber,
      text: r.filledText,
      parts: r.parts,
      encoding: r.encoding,
    })),
    ourParts,
    sinchParts: dryRun.parts,
    parts,
    partsNote,
    estimatedCost: dryRun.parts !== null && ourParts > 0 ? (cost * dryRun.parts) / ourParts : cost,
    currency: price.currency,
    pricePerPart: price.perPart,
    chunks: chunkCount(recipients, config().send.chunkSize),
    sendAt: p.sendAt,
    expireAt: p.expireAt,
    draftId,
  }
}

/**
 * Stores the message, its recipients and its chunks in one transaction,
 * audited, then wakes the submitter. With a `draftId` that is the reviewed
 * draft; with an `input` the audience is screened again into a new draft
 * first (replacing the caller's last review), then stored the same way.
 * `expectedRecipients` is the count the review showed: if the audience
 * changed since (an opt-out, another file), nothing is stored and the sender
 * reviews again.
 */
export const sendToAudience = async ({
  input,
  draftId,
  expectedRecipients,
}: {
  input?: AudienceSendInput | null
  draftId?: string | null
  expectedRecipients: number
}) => {
  requireAuth({ roles: [...ROLES_THAT.send] })
  if (!draftId) {
    if (!input) throw new UserInputError('Review the send first.')
    const screenedAgain = await screenIntoDraft(await prepare(input), {
      check: ({ recipients, missing }) => {
        if (missing.length > 0)
          throw new UserInputError(
            `No value for ${missing.map((m) => `((${m.name})) in ${m.rows.toLocaleString('en')} rows`).join(', ')}: fill the file or give a default.`
          )
        if (recipients === 0) throw new UserInputError('No recipient is left to send to.')
        if (recipients !== expectedRecipients)
          throw new UserInputError(
            `The audience changed since the review (${expectedRecipients.toLocaleString('en')} → ${recipients.toLocaleString('en')} recipients): review it again.`
          )
      },
    })
    draftId = screenedAgain.draftId!
  }
  const message = await storeDraft(draftId, expectedRecipients)
  kickChunkSubmitter()
  return db.message.findUniqueOrThrow({ where: { id: message.id } })
}

/**
 * Confirms a reviewed draft: the message, its recipients (from the draft, in
 * SQL, less any number opted out since the review) and its chunks, in one
 * transaction, audited; the draft is deleted. If a number opted out meanwhile
 * the count differs and nothing is stored: the sender reviews again.
 */
async function storeDraft(draftId: string, expectedRecipients: number): Promise<{ id: string }> {
  const userId = context.currentUser?.id ?? null
  const size = config().send.chunkSize
  return db.$transaction(
    async (tx) => {
      const [draft] = await tx.$queryRaw<
        {
          body: string
          parameterNames: string[]
          parameterDefaults: Record<string, string> | null
          sender: string | null
          clientReference: string | null
          smsTemplateId: number | null
          sendAt: Date | null
          expireAt: Date | null
          recipientCount: number
          expiresAt: Date
        }[]
      >`
        SELECT body, "parameterNames", "parameterDefaults", sender, "clientReference", "smsTemplateId", "sendAt",
               "expireAt", "recipientCount", "expiresAt"
          FROM "SendDraft" WHERE id = ${draftId} AND "createdById" IS NOT DISTINCT FROM ${userId}
           FOR UPDATE`
      if (!draft || draft.expiresAt.getTime() < Date.now())
        throw new UserInputError('This review is no longer kept (an hour at most, the latest one only): review again.')
      if (draft.sendAt && draft.sendAt.getTime() <= Date.now())
        throw new UserInputError('The scheduled time has passed: choose a later one, or send now.')
      if (draft.recipientCount !== expectedRecipients)
        throw new UserInputError('The audience changed since the review: review it again.')
      const chunks = chunkCount(draft.recipientCount, size)
      const created = await tx.message.create({
        data: {
          body: draft.body,
          sender: draft.sender,
          clientReference: draft.clientReference,
          recipientCount: draft.recipientCount,
          submitAttempts: 1,
          chunked: true,
          chunkCount: chunks,
          parameterNames: draft.parameterNames,
          parameterDefaults: draft.parameterDefaults ?? undefined,
          // The template may have been deleted since the review.
          smsTemplateId:
            draft.smsTemplateId && (await tx.smsTemplate.count({ where: { id: draft.smsTemplateId } }))
              ? draft.smsTemplateId
              : null,
          sendAt: draft.sendAt,
          expireAt: draft.expireAt,
          createdById: userId,
        },
        select: { id: true },
      })
      // One set-based statement for every recipient; the transaction announces the message once, below.
      const inserted = await tx.$executeRaw`
        INSERT INTO "MessageRecipient" ("messageId", "phoneNumber", "chunkIndex", parameters, "filledText", parts, "updatedAt")
        SELECT ${created.id}, r."phoneNumber", r.position / ${size}::int, r.parameters, r."filledText", r.parts, now()
          FROM "SendDraftRecipient" r
         WHERE r."draftId" = ${draftId}
           AND NOT EXISTS (SELECT 1 FROM "OptOut" o WHERE o."phoneNumber" = r."phoneNumber")
         ORDER BY r.position`
      if (inserted !== draft.recipientCount)
        throw new UserInputError(
          `${draft.recipientCount - inserted} of the reviewed numbers opted out since the review: review it again.`
        )
      await insertChunks(tx, created.id, draft.recipientCount, size)
      await tx.$executeRaw`DELETE FROM "SendDraft" WHERE id = ${draftId}`
      await auditAudienceSend(tx, created.id, draft.recipientCount, chunks, draft.sendAt, draft.parameterNames)
      await notifyLive(tx, { messageIds: [created.id] })
      return created
    },
    { timeout: 120_000, maxWait: 10_000 }
  )
}

/** The audit event of an audience send, recorded in the transaction that stores the message. */
function auditAudienceSend(
  tx: Prisma.TransactionClient,
  messageId: string,
  recipients: number,
  chunks: number,
  sendAt: Date | null,
  placeholders: string[]
) {
  return recordAudit(tx, {
    action: 'message_sent',
    targetType: 'message',
    targetId: messageId,
    details: {
      channel: 'SMS',
      recipients,
      chunks,
      ...(sendAt ? { sendAt: sendAt.toISOString() } : {}),
      ...(placeholders.length > 0 ? { placeholders } : {}),
    },
  })
}

async function insertChunks(tx: Prisma.TransactionClient, messageId: string, recipients: number, size: number) {
  const chunks = chunkCount(recipients, size)
  const references = Array.from({ length: chunks }, (_, i) => chunkClientReference(messageId, i))
  const counts = Array.from({ length: chunks }, (_, i) => Math.min(size, recipients - i * size))
  await tx.$executeRaw`
    INSERT INTO "MessageChunk" ("messageId", index, "clientReference", "recipientCount")
    SELECT ${messageId}, ord - 1, ref, n FROM unnest(${references}::text[], ${counts}::int[]) WITH ORDINALITY AS u(ref, n, ord)`
}

type MessageRoot = { id: string; chunked: boolean; sendAt: Date | null; cancelledAt: Date | null }

/** Chunk progress and scheduling on Message (its other fields resolve in services/messages). */
export const Message = {
  chunkProgress: async (_args: unknown, { root }: { root: MessageRoot }) => {
    if (!root.chunked) return null
    const rows = await db.messageChunk.groupBy({ by: ['state'], where: { messageId: root.id }, _count: true })
    const count = (state: string) => rows.find((r) => r.state === state)?._count ?? 0
    const waiting = await db.messageChunk.findFirst({
      where: { messageId: root.id, state: { in: ['PENDING', 'FAILED'] }, error: { not: null } },
      select: { error: true },
      orderBy: { index: 'asc' },
    })
    return {
      total: rows.reduce((s, r) => s + r._count, 0),
      pending: count('PENDING'),
      submitting: count('SUBMITTING'),
      submitted: count('SUBMITTED'),
      failed: count('FAILED'),
      cancelled: count('CANCELLED'),
      lastError: waiting?.error ?? null,
    }
  },
  scheduled: (_args: unknown, { root }: { root: MessageRoot }) =>
    Boolean(root.sendAt && !root.cancelledAt && root.sendAt.getTime() > Date.now()),
}

export const MessageRecipient = {
  chunk: (_args: unknown, { root }: { root: { chunkIndex: number | null } }) =>
    root.chunkIndex === null ? null : root.chunkIndex + 1,
}
