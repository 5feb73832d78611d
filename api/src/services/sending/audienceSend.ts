/**
 * Sends to an audience (README "Audience sends", "Review before sending"):
 * pasted numbers, an uploaded CSV or a contact list, a body with optional
 * ((placeholders)), now or scheduled. `reviewAudienceSend` stores nothing;
 * `sendToAudience` screens the same input again, stores the message, its
 * recipients (with their filled text) and its chunks in one transaction, and
 * leaves submission to the background submitter (chunkSubmitter.ts).
 */
import crypto from 'node:crypto'

import type { Prisma } from '@prisma/client'
import type { AudienceSendInput, QueryResolvers } from 'types/graphql'

import { UserInputError } from '@redwoodjs/graphql-server'

import { requireAuth } from 'src/lib/auth'
import { callbackUrlWithToken } from 'src/lib/callbackAuth'
import { config } from 'src/lib/config'
import { db, pool } from 'src/lib/db'
import { logger } from 'src/lib/logger'
import { ROLES_THAT } from 'src/lib/roles'
import { chunkClientReference, chunkCount } from 'src/lib/sendChunks'
import { sinchSmsClient } from 'src/lib/sinch/client'
import { isSinchError } from 'src/lib/sinch/errors'
import { fieldKey, placeholdersOf, templateProblem, toSinchBody } from 'src/lib/smsTemplate'
import { recordAudit } from 'src/services/audit/audit'
import { listAudience } from 'src/services/contacts/listAudience'

import {
  csvAudience,
  pastedAudience,
  screenAudience,
  unpackCsv,
  type AudienceRow,
  type ScreenedAudience,
} from './audience'
import { kickChunkSubmitter } from './chunkSubmitter'
import { MAX_BODY_LENGTH } from './sending'
import { MAX_CLIENT_REFERENCE_LENGTH } from './sendTargets'

const PREVIEW_ROWS = 5
const PROBLEMS_SHOWN = 200
/** Sinch holds a batch at most this long after send_at (docs/sinch-protocol.md#scheduling). */
export const MAX_EXPIRY_AFTER_SEND_MS = 3 * 24 * 3600_000
const MAX_SCHEDULE_AHEAD_MS = 366 * 24 * 3600_000

async function audienceRows(input: AudienceSendInput): Promise<AudienceRow[]> {
  switch (input.source) {
    case 'PASTED':
      if (!input.recipients?.trim()) throw new UserInputError('Add at least one recipient.')
      if (input.recipients.length > 4_000_000) throw new UserInputError('The pasted recipients are too long.')
      return pastedAudience(input.recipients)
    case 'CSV': {
      const text = input.csvGzip ? unpackCsv(input.csvGzip) : input.csv
      if (!text?.trim()) throw new UserInputError('Choose a CSV file.')
      return csvAudience(text, input.numberColumn).rows
    }
    case 'LIST':
      if (!input.listId) throw new UserInputError('Choose a contact list.')
      // A contact list's members (opted-out ones already left out), fields keyed as placeholders match them.
      return (await listAudience(input.listId)).map((m) => ({
        phoneNumber: m.phoneNumber,
        name: m.name,
        fields: Object.fromEntries(Object.entries(m.fields).map(([k, v]) => [fieldKey(k), v])),
      }))
  }
}

type Prepared = {
  body: string
  placeholders: string[]
  defaults: Record<string, string>
  screened: ScreenedAudience
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
  const rows = await audienceRows(input)
  const maxAudience = config().send.maxAudience
  if (rows.length > maxAudience)
    throw new UserInputError(
      `${rows.length.toLocaleString('en')} recipients: send to at most ${maxAudience.toLocaleString('en')} at a time.`
    )
  const screened = await screenAudience(rows, body, placeholders, defaults)
  return {
    body,
    placeholders,
    defaults,
    screened,
    sendAt,
    expireAt,
    sender: input.sender?.trim() || config().sinch.from || null,
    clientReference,
    smsTemplateId: input.smsTemplateId ?? null,
  }
}

/** The review's price of one recipient's parts: the longest matching prefix's price, else the default. */
function pricePerPart(phoneNumber: string): number {
  const { price } = config().send
  return price.byPrefix.find((p) => phoneNumber.startsWith(p.prefix))?.perPart ?? price.perPart
}

/**
 * Sinch's own count of parts, one dry run per chunk (4 at a time). Null, with
 * why, when Sinch cannot be asked (the review then shows our count only).
 */
async function sinchPartCount(p: Prepared): Promise<{ parts: number | null; note: string | null }> {
  const { sinch, send } = config()
  const client = sinchSmsClient(sinch)
  const { recipients } = p.screened
  const size = send.chunkSize
  const chunks = chunkCount(recipients.length, size)
  let total = 0
  let next = 0
  try {
    await Promise.all(
      Array.from({ length: Math.min(4, chunks) }, async () => {
        while (next < chunks) {
          const slice = recipients.slice(next * size, (next + 1) * size)
          next++
          const parameters: Record<string, Record<string, string>> = {}
          for (const name of p.placeholders) {
            const values: Record<string, string> = {}
            for (const r of slice) if (r.parameters?.[name] !== undefined) values[r.phoneNumber] = r.parameters[name]
            if (p.defaults[name] !== undefined) values.default = p.defaults[name]
            parameters[name] = values
          }
          const answer = await client.dryRun({
            to: slice.map((r) => r.phoneNumber),
            body: p.placeholders.length > 0 ? toSinchBody(p.body) : p.body,
            ...(p.sender ? { from: p.sender } : {}),
            ...(p.placeholders.length > 0 ? { parameters } : {}),
            callback_url: callbackUrlWithToken(config().callbacks),
          })
          total += answer.number_of_messages
        }
      })
    )
    return { parts: total, note: null }
  } catch (error) {
    if (!isSinchError(error)) throw error
    logger.warn({ err: { message: error.message } }, 'Sinch dry run failed; the review shows our own count')
    return { parts: null, note: `Sinch's dry run was not available (${error.message}); the count is ours.` }
  }
}

export const reviewAudienceSend: QueryResolvers['reviewAudienceSend'] = async ({ input }) => {
  requireAuth({ roles: [...ROLES_THAT.send] })
  const p = await prepare(input)
  const { recipients, invalid, optedOut, duplicatesRemoved, missing } = p.screened
  const ourParts = recipients.reduce((sum, r) => sum + r.parts, 0)
  const cost = recipients.reduce((sum, r) => sum + r.parts * pricePerPart(r.phoneNumber), 0)
  const sendable = recipients.length > 0 && missing.length === 0
  const [dryRun, draftId] = await Promise.all([
    sendable ? sinchPartCount(p) : { parts: null, note: null },
    sendable ? saveDraft(p) : null,
  ])
  const partsNote =
    dryRun.note ??
    (dryRun.parts !== null && dryRun.parts !== ourParts
      ? `Sinch counts ${dryRun.parts.toLocaleString('en')} parts where we count ${ourParts.toLocaleString('en')}: the estimate uses Sinch's.`
      : null)
  const parts = dryRun.parts ?? ourParts
  const { price } = config().send
  return {
    recipients: recipients.length,
    duplicatesRemoved,
    invalidCount: invalid.length,
    invalid: invalid.slice(0, PROBLEMS_SHOWN),
    optedOutCount: optedOut.length,
    optedOut: optedOut.slice(0, PROBLEMS_SHOWN),
    missing,
    placeholders: p.placeholders,
    preview: recipients.slice(0, PREVIEW_ROWS).map((r) => ({
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
    chunks: chunkCount(recipients.length, config().send.chunkSize),
    sendAt: p.sendAt,
    expireAt: p.expireAt,
    draftId,
  }
}

const DRAFT_TTL_MS = 3600_000

/** The rows a draft keeps per recipient, in send order (jsonb_to_recordset reads them back). */
function recipientsJson(p: Prepared): string {
  const templated = p.placeholders.length > 0
  return JSON.stringify(
    p.screened.recipients.map((r) => ({
      p: r.phoneNumber,
      a: r.parameters,
      t: templated ? r.filledText : null,
      n: r.parts,
    }))
  )
}

/**
 * Keeps what the review screened, so that confirming stores it without
 * reading the file again. One draft per staff member (a new review replaces
 * the last), none older than an hour: what a review can make us keep is bounded.
 */
async function saveDraft(p: Prepared): Promise<string> {
  const userId = context.currentUser?.id ?? null
  // Straight to the pg pool Prisma uses: a 10 MB parameter through Prisma's
  // query engine costs seconds and hundreds of MB of its memory (bench/audienceSend.ts).
  const client = await pool.connect()
  try {
    await client.query('BEGIN')
    await client.query('DELETE FROM "SendDraft" WHERE "expiresAt" < now() OR "createdById" IS NOT DISTINCT FROM $1', [
      userId,
    ])
    const { rows } = await client.query<{ id: string }>(
      `INSERT INTO "SendDraft" (id, "createdById", "expiresAt", body, "parameterNames", "parameterDefaults", sender,
                                "clientReference", "smsTemplateId", "sendAt", "expireAt", "recipientCount", recipients)
       VALUES ($1, $2, $3, $4, $5::text[], $6::jsonb, $7, $8, $9, $10, $11, $12, $13::jsonb)
       RETURNING id`,
      [
        `draft_${crypto.randomUUID()}`,
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
        p.screened.recipients.length,
        recipientsJson(p),
      ]
    )
    await client.query('COMMIT')
    return rows[0].id
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {})
    throw error
  } finally {
    client.release()
  }
}

/**
 * Stores the message, its recipients and its chunks in one transaction
 * (recipients as one INSERT from a JSON array: 100,000 rows in one statement),
 * audited, then wakes the submitter. `expectedRecipients` is the count the
 * review showed: if the audience changed since (an opt-out, another file),
 * nothing is stored and the sender reviews again.
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
  if (draftId) {
    const message = await storeDraft(draftId, expectedRecipients)
    kickChunkSubmitter()
    return db.message.findUniqueOrThrow({ where: { id: message.id } })
  }
  if (!input) throw new UserInputError('Review the send first.')
  const p = await prepare(input)
  const { recipients, missing } = p.screened
  if (missing.length > 0)
    throw new UserInputError(
      `No value for ${missing.map((m) => `((${m.name})) in ${m.rows.toLocaleString('en')} rows`).join(', ')}: fill the file or give a default.`
    )
  if (recipients.length === 0) throw new UserInputError('No recipient is left to send to.')
  if (recipients.length !== expectedRecipients)
    throw new UserInputError(
      `The audience changed since the review (${expectedRecipients.toLocaleString('en')} → ${recipients.length.toLocaleString('en')} recipients): review it again.`
    )
  const message = await storeAudienceSend(p, input.smsTemplateId ?? null)
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
      const inserted = await tx.$executeRaw`
        INSERT INTO "MessageRecipient" ("messageId", "phoneNumber", "chunkIndex", parameters, "filledText", parts, "updatedAt")
        SELECT ${created.id}, r.p, ((r.o - 1) / ${size})::int, r.a, r.t, r.n, now()
          FROM "SendDraft" d,
               ROWS FROM (jsonb_to_recordset(d.recipients) AS (p text, a jsonb, t text, n int)) WITH ORDINALITY AS r(p, a, t, n, o)
         WHERE d.id = ${draftId}
           AND NOT EXISTS (SELECT 1 FROM "OptOut" o WHERE o."phoneNumber" = r.p)
         ORDER BY r.o`
      if (inserted !== draft.recipientCount)
        throw new UserInputError(
          `${draft.recipientCount - inserted} of the reviewed numbers opted out since the review: review it again.`
        )
      await insertChunks(tx, created.id, draft.recipientCount, size)
      await tx.$executeRaw`DELETE FROM "SendDraft" WHERE id = ${draftId}`
      await auditAudienceSend(tx, created.id, draft.recipientCount, chunks, draft.sendAt, draft.parameterNames)
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

export async function storeAudienceSend(p: Prepared, smsTemplateId: number | null): Promise<{ id: string }> {
  const { recipients } = p.screened
  const size = config().send.chunkSize
  const chunks = chunkCount(recipients.length, size)
  return db.$transaction(
    async (tx) => {
      const created = await tx.message.create({
        data: {
          body: p.body,
          sender: p.sender,
          clientReference: p.clientReference,
          recipientCount: recipients.length,
          submitAttempts: 1,
          chunked: true,
          chunkCount: chunks,
          parameterNames: p.placeholders,
          parameterDefaults: Object.keys(p.defaults).length > 0 ? p.defaults : undefined,
          smsTemplateId,
          sendAt: p.sendAt,
          expireAt: p.expireAt,
          createdById: context.currentUser?.id ?? null,
        },
        select: { id: true },
      })
      const templated = p.placeholders.length > 0
      const rows = JSON.stringify(
        recipients.map((r, i) => ({
          p: r.phoneNumber,
          c: Math.floor(i / size),
          a: r.parameters,
          t: templated ? r.filledText : null,
          n: r.parts,
        }))
      )
      await tx.$executeRaw`
        INSERT INTO "MessageRecipient" ("messageId", "phoneNumber", "chunkIndex", parameters, "filledText", parts, "updatedAt")
        SELECT ${created.id}, r.p, r.c, r.a, r.t, r.n, now()
          FROM ROWS FROM (jsonb_to_recordset(${rows}::jsonb) AS (p text, c int, a jsonb, t text, n int))
               WITH ORDINALITY AS r(p, c, a, t, n, o)
         ORDER BY o`
      await insertChunks(tx, created.id, recipients.length, size)
      await auditAudienceSend(tx, created.id, recipients.length, chunks, p.sendAt, p.placeholders)
      return created
    },
    { timeout: 120_000, maxWait: 10_000 }
  )
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
