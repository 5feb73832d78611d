import type { MutationResolvers, QueryResolvers } from 'types/graphql'

import { UserInputError } from '@redwoodjs/graphql-server'

import { config } from 'src/lib/config'
import { db } from 'src/lib/db'
import { logger } from 'src/lib/logger'
import { MAX_RECIPIENTS_PER_SEND, parseRecipients } from 'src/lib/phone'
import { sinchSmsClient } from 'src/lib/sinch/client'
import { isSinchError } from 'src/lib/sinch/errors'
import { recordBatchSubmitted } from 'src/services/smsStatus/smsStatus'

export const MAX_BODY_LENGTH = 1600

export const checkRecipients: QueryResolvers['checkRecipients'] = ({ entries }) => {
  const { valid, invalid, duplicatesRemoved } = parseRecipients(entries, config().phoneDefaultRegion)
  return { valid, invalid, duplicatesRemoved }
}

function callbackUrl(): string {
  const { callbacks } = config()
  if (callbacks.auth !== 'token' || !callbacks.token) return callbacks.url
  const url = new URL(callbacks.url)
  url.searchParams.set('token', callbacks.token)
  return url.toString()
}

/** Submits a stored message as one Sinch batch and records the outcome. Never throws for Sinch errors. */
async function submit(messageId: string) {
  const message = await db.message.findUniqueOrThrow({
    where: { id: messageId },
    include: { recipients: { select: { phoneNumber: true }, orderBy: { id: 'asc' } } },
  })
  const { sinch } = config()
  const client = sinchSmsClient(sinch)
  const log = logger.child({ messageId, recipients: message.recipients.length })
  try {
    // A retry may follow an attempt that reached Sinch but whose answer was
    // lost (a timeout): adopt that batch instead of sending a second one.
    if (message.submitAttempts > 1) {
      const existing = await client.listBatches({ client_reference: message.id, page_size: 1 })
      if (existing.batches.length > 0) {
        log.info({ batchId: existing.batches[0].id }, 'found the batch of an earlier attempt; not sending again')
        await recordBatchSubmitted({ messageId, batchId: existing.batches[0].id, submittedAt: new Date(existing.batches[0].created_at) })
        return
      }
    }
    const batch = await client.sendBatch({
      to: message.recipients.map((r) => r.phoneNumber),
      body: message.body,
      ...(message.sender ? { from: message.sender } : {}),
      delivery_report: sinch.deliveryReport,
      callback_url: callbackUrl(),
      client_reference: message.id,
    })
    await recordBatchSubmitted({ messageId, batchId: batch.id, submittedAt: new Date() })
    log.info({ batchId: batch.id }, 'batch submitted to Sinch')
  } catch (error) {
    if (!isSinchError(error)) throw error
    log.warn({ err: { message: error.message } }, 'Sinch did not accept the batch')
    await db.message.update({ where: { id: messageId }, data: { submitState: 'FAILED', submitError: error.message } })
  }
}

export const sendMessage: MutationResolvers['sendMessage'] = async ({ input }) => {
  const body = input.body.trim()
  if (!body) throw new UserInputError('Write a message body.')
  if (body.length > MAX_BODY_LENGTH) throw new UserInputError(`The body has ${body.length} characters; the limit is ${MAX_BODY_LENGTH}.`)
  const { valid, invalid, tooMany } = parseRecipients(input.recipients, config().phoneDefaultRegion)
  if (invalid.length > 0) return { message: null, invalid }
  if (valid.length === 0) throw new UserInputError('Add at least one recipient.')
  if (tooMany) throw new UserInputError(`${valid.length} recipients: send to at most ${MAX_RECIPIENTS_PER_SEND} at a time.`)
  const clientReference = input.clientReference?.trim() || null
  if (clientReference && clientReference.length > 128) throw new UserInputError('The client reference is longer than 128 characters.')

  // Stored before Sinch is called, so that a report racing the send finds its message.
  const message = await db.message.create({
    data: {
      body,
      sender: input.sender?.trim() || config().sinch.from || null,
      clientReference,
      recipientCount: valid.length,
      submitAttempts: 1,
      createdById: context.currentUser?.id ?? null,
      recipients: { createMany: { data: valid.map((phoneNumber) => ({ phoneNumber })) } },
    },
    select: { id: true },
  })
  await submit(message.id)
  return { message: await db.message.findUnique({ where: { id: message.id } }), invalid: [] }
}

export const retrySendMessage: MutationResolvers['retrySendMessage'] = async ({ id }) => {
  // Claim the retry atomically: pressing twice, or two staff at once, submits once.
  const claimed = await db.message.updateMany({
    where: { id, submitState: 'FAILED' },
    data: { submitState: 'PENDING', submitError: null, submitAttempts: { increment: 1 } },
  })
  if (claimed.count === 0) {
    const message = await db.message.findUnique({ where: { id }, select: { submitState: true } })
    if (!message) throw new UserInputError(`No message ${id}.`)
    throw new UserInputError(
      message.submitState === 'SUBMITTED' ? 'Sinch has already accepted this message.' : 'This message is being submitted right now.'
    )
  }
  await submit(id)
  return db.message.findUniqueOrThrow({ where: { id } })
}
