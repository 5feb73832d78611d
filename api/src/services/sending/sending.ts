import type { Message as MessageRow } from '@prisma/client'
import type {
  MessageRelationResolvers,
  MutationresendFailedArgs,
  MutationretrySendMessageArgs,
  MutationsendMessageArgs,
  QueryResolvers,
} from 'types/graphql'

import { UserInputError } from '@redwoodjs/graphql-server'

import { requireAuth } from 'src/lib/auth'
import { callbackUrlWithToken } from 'src/lib/callbackAuth'
import { config } from 'src/lib/config'
import { db } from 'src/lib/db'
import { FAILURE_STATUSES, RESEND_FUTILE_SMS_CODES } from 'src/lib/deliveryStatus'
import { notifyLive } from 'src/lib/live/notifyLive'
import { logger } from 'src/lib/logger'
import type { RowResolvers } from 'src/lib/resolverTypes'
import { ROLES_THAT } from 'src/lib/roles'
import { sinchSmsClient } from 'src/lib/sinch/client'
import { isSinchError } from 'src/lib/sinch/errors'
import { withSpan } from 'src/lib/tracing'
import { recordAudit } from 'src/services/audit/audit'
import { copyOutboundMedia, outboundMediaUrl } from 'src/services/media/mediaStore'
import { optedOut } from 'src/services/optOuts/optOuts'
import { recordBatchSubmitted } from 'src/services/smsStatus/attach'
import { sendWhatsApp, submitWhatsApp } from 'src/services/whatsapp/whatsapp'

import { kickChunkSubmitter } from './chunkSubmitter'
import { PLAIN_SEND, type SendAudit } from './sendAudit'
import { screenRecipients, screenSendTargets } from './sendTargets'

export const MAX_BODY_LENGTH = 1600

/** How far before our own record of the first attempt the lookup of its batch starts (clocks differ). */
const LOOKUP_CLOCK_SKEW_MS = 10 * 60_000

export const checkRecipients: QueryResolvers['checkRecipients'] = async ({ entries }) => {
  const { valid, invalid, duplicatesRemoved } = await screenRecipients(entries)
  return { valid, invalid, duplicatesRemoved }
}

const callbackUrl = () => callbackUrlWithToken(config().callbacks)

/** Submits a stored message as one Sinch batch and records the outcome. Never throws for Sinch errors. */
export function submit(messageId: string) {
  return withSpan('sending.submit', () => submitMessage(messageId))
}

async function submitMessage(messageId: string) {
  const message = await db.message.findUniqueOrThrow({
    where: { id: messageId },
    include: { recipients: { select: { phoneNumber: true }, orderBy: { id: 'asc' } } },
  })
  if (message.channel === 'WHATSAPP') return submitWhatsApp(messageId)
  const { sinch } = config()
  const client = sinchSmsClient(sinch)
  const log = logger.child({ messageId, recipients: message.recipients.length })
  try {
    // A retry may follow an attempt that reached Sinch but whose answer was
    // lost (a timeout): adopt that batch instead of sending a second one. The
    // message row was written just before the first attempt, so its creation
    // time (less a margin for clock skew) bounds where the batch can be, however
    // long ago that was.
    if (message.submitAttempts > 1) {
      const since = new Date(message.createdAt.getTime() - LOOKUP_CLOCK_SKEW_MS)
      const existing = await client.findBatchByClientReference(message.id, since)
      if (existing) {
        log.info({ batchId: existing.id }, 'found the batch of an earlier attempt; not sending again')
        await recordBatchSubmitted({
          messageId,
          batchId: existing.id,
          submittedAt: new Date(existing.created_at),
        })
        return
      }
    }
    const common = {
      to: message.recipients.map((r) => r.phoneNumber),
      ...(message.sender ? { from: message.sender } : {}),
      delivery_report: sinch.deliveryReport,
      callback_url: callbackUrl(),
      client_reference: message.id,
    }
    // A picture staff attached makes the batch an MMS: Sinch fetches the file
    // from a signed link that expires (docs/sinch-protocol.md#media).
    const media = await db.mediaFile.findFirst({
      where: { messageId, direction: 'OUTBOUND', state: 'STORED' },
      select: { key: true, fileName: true },
    })
    const batch = media
      ? await client.sendMediaBatch({
          ...common,
          body: {
            url: outboundMediaUrl(media.key),
            // Without a caption the message row's body is the file's name, which is not sent as text.
            ...(message.body !== media.fileName ? { message: message.body } : {}),
          },
        })
      : await client.sendBatch({ ...common, body: message.body })
    await recordBatchSubmitted({ messageId, batchId: batch.id, submittedAt: new Date() })
    log.info({ batchId: batch.id }, 'batch submitted to Sinch')
  } catch (error) {
    if (!isSinchError(error)) throw error
    log.warn({ err: { message: error.message } }, 'Sinch did not accept the batch')
    await db.message.update({ where: { id: messageId }, data: { submitState: 'FAILED', submitError: error.message } })
    await notifyLive(db, { messageIds: [messageId] })
  }
}

/**
 * The row of a message sent to one list of numbers, with one recipient row each, counted as submitted once:
 * the sender defaults to the configured one and the signed-in staff member is its author.
 */
export const newMessageData = (
  body: string,
  sender: string | null | undefined,
  clientReference: string | null,
  phoneNumbers: string[]
) => ({
  body,
  sender: sender?.trim() || config().sinch.from || null,
  clientReference,
  recipientCount: phoneNumbers.length,
  submitAttempts: 1,
  createdById: context.currentUser?.id ?? null,
  recipients: { createMany: { data: phoneNumbers.map((phoneNumber) => ({ phoneNumber })) } },
})

// Mutations that return Prisma rows are typed by their arguments: see src/lib/resolverTypes.ts.
export const sendMessage = async ({ input }: MutationsendMessageArgs) => {
  requireAuth({ roles: [...ROLES_THAT.send] })
  return send(input)
}

/**
 * Every send (Compose, a reply from a conversation): validated, stored with
 * its audit event in one transaction, then submitted. Callers check roles.
 */
export async function send(input: MutationsendMessageArgs['input'], audit: SendAudit = PLAIN_SEND) {
  if (input.channel === 'WHATSAPP') return sendWhatsApp(input, audit)
  if (input.templateId !== null && input.templateId !== undefined)
    throw new UserInputError('Templates are for WhatsApp: choose the WhatsApp channel.')
  const body = input.body.trim()
  if (!body) throw new UserInputError('Write a message body.')
  if (body.length > MAX_BODY_LENGTH)
    throw new UserInputError(`The body has ${body.length} characters; the limit is ${MAX_BODY_LENGTH}.`)
  const { valid, invalid, clientReference } = await screenSendTargets(input)
  if (invalid) return { message: null, invalid }

  // Stored before Sinch is called, so that a report racing the send finds
  // its message; audited in the same transaction.
  const message = await db.$transaction(async (tx) => {
    const created = await tx.message.create({
      data: newMessageData(body, input.sender, clientReference, valid),
      select: { id: true },
    })
    await recordAudit(tx, {
      action: audit.action,
      targetType: 'message',
      targetId: created.id,
      details: { channel: 'SMS', recipients: valid.length, ...audit.details },
    })
    await notifyLive(tx, { messageIds: [created.id] })
    return created
  })
  await submit(message.id)
  return { message: await db.message.findUnique({ where: { id: message.id } }), invalid: [] }
}

export const retrySendMessage = async ({ id }: MutationretrySendMessageArgs) => {
  requireAuth({ roles: [...ROLES_THAT.send] })
  // Claim the retry atomically: pressing twice, or two staff at once, submits once.
  const claimed = await db.$transaction(async (tx) => {
    const result = await tx.message.updateMany({
      where: { id, submitState: 'FAILED' },
      data: { submitState: 'PENDING', submitError: null, submitAttempts: { increment: 1 } },
    })
    if (result.count > 0) {
      // A chunked message's failed chunks go back to the submitter in the same transaction (so the page refetched on
      // this notification sees them waiting); the submitted ones stay (a chunk whose answer was lost is looked up
      // before it is sent again).
      await tx.messageChunk.updateMany({
        where: { messageId: id, state: 'FAILED' },
        data: { state: 'PENDING', attempts: 0, nextAttemptAt: new Date(), error: null },
      })
      await recordAudit(tx, { action: 'message_retried', targetType: 'message', targetId: id })
      await notifyLive(tx, { messageIds: [id] })
    }
    return result
  })
  if (claimed.count === 0) {
    const message = await db.message.findUnique({ where: { id }, select: { submitState: true } })
    if (!message) throw new UserInputError(`No message ${id}.`)
    throw new UserInputError(
      message.submitState === 'SUBMITTED'
        ? 'Sinch has already accepted this message.'
        : 'This message is being submitted right now.'
    )
  }
  const { chunked } = await db.message.findUniqueOrThrow({ where: { id }, select: { chunked: true } })
  if (chunked) kickChunkSubmitter()
  else await submit(id)
  return db.message.findUniqueOrThrow({ where: { id } })
}

function isUniqueViolation(error: unknown): boolean {
  const e = error as {
    code?: string
    meta?: { driverAdapterError?: { cause?: { kind?: string; originalCode?: string } } }
  }
  const cause = e?.meta?.driverAdapterError?.cause
  return e?.code === 'P2002' || cause?.kind === 'UniqueConstraintViolation' || cause?.originalCode === '23505'
}

/**
 * Resends a message to its recipients whose latest status is a final failure,
 * as a new message linked to it (resendOf) and submitted like any send.
 *
 * Idempotent: a failed recipient already in an earlier resend is not resent,
 * so pressing twice returns the first resend. Two staff at once both try to
 * insert the same (resendOfId, resendAttempt); the unique index lets one win
 * and the other returns the winner's message. Opted-out numbers are skipped.
 */
export const resendFailed = async ({ id, skipUnlikely }: MutationresendFailedArgs) => {
  requireAuth({ roles: [...ROLES_THAT.send] })
  const original = await db.message.findUnique({
    where: { id },
    select: {
      id: true,
      body: true,
      sender: true,
      channel: true,
      clientReference: true,
      templateId: true,
      templateName: true,
      templateLanguage: true,
      templateParameters: true,
      smsFallback: true,
      cancelledAt: true,
    },
  })
  if (!original) throw new UserInputError(`No message ${id}.`)
  if (original.cancelledAt)
    throw new UserInputError(
      'This message was cancelled before it went: its recipients did not fail, there is nothing to resend.'
    )
  const candidates = await resendCandidates(id)
  const { failed, earlier } = candidates
  const toSend = skipUnlikely ? candidates.likely : candidates.toSend
  const counts = {
    skippedOptedOut: candidates.optedOut,
    alreadyResent: candidates.alreadyResent,
    skippedUnlikely: skipUnlikely ? candidates.toSend.length - candidates.likely.length : 0,
  }
  const latest = earlier[earlier.length - 1]

  if (toSend.length === 0) {
    if (latest && candidates.toSend.length === 0)
      return { message: await db.message.findUniqueOrThrow({ where: { id: latest.id } }), created: false, ...counts }
    throw new UserInputError(
      failed === 0
        ? 'No recipient of this message has failed: there is nothing to resend.'
        : candidates.toSend.length > 0
          ? `Every failed recipient left (${candidates.toSend.length}) failed in a way a resend will not change: resend to them anyway, or leave them.`
          : `Every failed recipient (${failed}) has opted out: there is nothing to resend.`
    )
  }

  const resendAttempt = (latest?.resendAttempt ?? 0) + 1
  let created: { id: string }
  try {
    // Stored before Sinch is called, like any send; audited in the same transaction.
    created = await db.$transaction(async (tx) => {
      const resend = await tx.message.create({
        data: {
          body: original.body,
          sender: original.sender,
          channel: original.channel,
          clientReference: original.clientReference,
          // WhatsApp: the same template and parameters (free text is resent as
          // is; Sinch fails it if the window has closed meanwhile).
          templateId: original.templateId,
          templateName: original.templateName,
          templateLanguage: original.templateLanguage,
          templateParameters: original.templateParameters ?? undefined,
          smsFallback: original.smsFallback,
          resendOfId: original.id,
          resendAttempt,
          recipientCount: toSend.length,
          submitAttempts: 1,
          createdById: context.currentUser?.id ?? null,
          recipients: { createMany: { data: toSend.map((phoneNumber) => ({ phoneNumber })) } },
        },
        select: { id: true },
      })
      if ((await copyOutboundMedia(tx, original.id, resend.id)) === 'gone')
        throw new UserInputError(
          'The file of this message is no longer kept (RETENTION_MEDIA_DAYS): send it again from the conversation.'
        )
      await recordAudit(tx, {
        action: 'message_resent',
        targetType: 'message',
        targetId: resend.id,
        details: { resendOf: original.id, resendAttempt, recipients: toSend.length, ...counts },
      })
      await notifyLive(tx, { messageIds: [resend.id] })
      return resend
    })
  } catch (error) {
    if (!isUniqueViolation(error)) throw error
    // Someone else created this resend a moment ago: theirs is the one.
    const existing = await db.message.findUniqueOrThrow({
      where: { resendOfId_resendAttempt: { resendOfId: original.id, resendAttempt } },
    })
    return { message: existing, created: false, ...counts }
  }
  logger.info(
    { messageId: created.id, resendOf: original.id, resendAttempt, recipients: toSend.length, ...counts },
    'resending to failed recipients'
  )
  await submit(created.id)
  return { message: await db.message.findUniqueOrThrow({ where: { id: created.id } }), created: true, ...counts }
}

/**
 * Who a resend of `messageId` would go to: its recipients whose latest status
 * is a failure, less those in an earlier resend and those who opted out; and
 * of those, the ones whose failure code says a resend will fail the same way.
 */
async function resendCandidates(messageId: string) {
  const [failedRows, earlier] = await Promise.all([
    db.messageRecipient.findMany({
      where: { messageId, status: { in: [...FAILURE_STATUSES] } },
      select: { phoneNumber: true, code: true },
      orderBy: { id: 'asc' },
    }),
    db.message.findMany({
      where: { resendOfId: messageId, resendAttempt: { not: null } },
      orderBy: { resendAttempt: 'asc' },
      select: { id: true, resendAttempt: true, recipients: { select: { phoneNumber: true } } },
    }),
  ])
  const covered = new Set(earlier.flatMap((m) => m.recipients.map((r) => r.phoneNumber)))
  const notYetResent = failedRows.filter((r) => !covered.has(r.phoneNumber))
  const refused = await optedOut(notYetResent.map((r) => r.phoneNumber))
  const toSend = notYetResent.filter((r) => !refused.has(r.phoneNumber))
  return {
    earlier,
    failed: failedRows.length,
    alreadyResent: failedRows.length - notYetResent.length,
    optedOut: refused.size,
    toSend: toSend.map((r) => r.phoneNumber),
    likely: toSend.filter((r) => r.code === null || !RESEND_FUTILE_SMS_CODES.has(r.code)).map((r) => r.phoneNumber),
  }
}

// Resend links on Message (its other fields resolve in services/messages).
export const Message: RowResolvers<
  MessageRow,
  MessageRelationResolvers,
  {
    resendOf: MessageRow | null
    resends: MessageRow[]
    resendable: { count: number; unlikelyToSucceed: number; optedOut: number; alreadyResent: number }
  }
> = {
  // The same rule as resendCandidates, counted in SQL: the message page asks it on every view, and a message of
  // 100,000 recipients may have thousands that failed (its rows through Prisma cost more than the rest of the page).
  resendable: async (_args, { root }) => {
    const [c] = await db.$queryRaw<{ count: number; unlikely: number; optedOut: number; alreadyResent: number }[]>`
      SELECT count(*) FILTER (WHERE NOT f.resent AND NOT f.opted)::int AS count,
             count(*) FILTER (WHERE NOT f.resent AND NOT f.opted AND f.code = ANY(${[...RESEND_FUTILE_SMS_CODES]}))::int AS unlikely,
             count(*) FILTER (WHERE NOT f.resent AND f.opted)::int AS "optedOut",
             count(*) FILTER (WHERE f.resent)::int AS "alreadyResent"
        FROM (SELECT r.code,
                     EXISTS (SELECT 1 FROM "Message" m JOIN "MessageRecipient" e ON e."messageId" = m.id
                              WHERE m."resendOfId" = ${root.id} AND m."resendAttempt" IS NOT NULL
                                AND e."phoneNumber" = r."phoneNumber") AS resent,
                     EXISTS (SELECT 1 FROM "OptOut" o WHERE o."phoneNumber" = r."phoneNumber") AS opted
                FROM "MessageRecipient" r
               WHERE r."messageId" = ${root.id} AND r.status = ANY(${[...FAILURE_STATUSES]})) f`
    return { count: c.count, unlikelyToSucceed: c.unlikely, optedOut: c.optedOut, alreadyResent: c.alreadyResent }
  },
  resendOf: (_args, { root }) => (root.resendOfId ? db.message.findUnique({ where: { id: root.resendOfId } }) : null),
  resends: (_args, { root }) =>
    db.message.findMany({ where: { resendOfId: root.id }, orderBy: [{ resendAttempt: 'asc' }, { createdAt: 'asc' }] }),
}
