/**
 * Cancelling a scheduled message before it goes (README "Scheduling"). In one
 * transaction holding the message row (FOR UPDATE, the lock a chunk's
 * recording takes FOR SHARE): the message is marked cancelled, chunks not yet
 * submitted never will be, and every recipient without a final status ends
 * Cancelled; then each chunk Sinch already holds is cancelled there
 * (DELETE /batches/{id}). A chunk being submitted at that moment is cancelled
 * by its submitter as soon as Sinch answers (chunkSubmitter.ts).
 */
import type { MutationcancelMessageArgs } from 'types/graphql'

import { UserInputError } from '@redwoodjs/graphql-server'

import { requireAuth } from 'src/lib/auth'
import { db } from 'src/lib/db'
import { FINAL_RANK } from 'src/lib/deliveryStatus'
import { notifyLive } from 'src/lib/live/notifyLive'
import { ROLES_THAT } from 'src/lib/roles'
import { recordAudit } from 'src/services/audit/audit'

import { cancelChunkAtSinch } from './chunkSubmitter'

export const cancelMessage = async ({ id }: MutationcancelMessageArgs) => {
  requireAuth({ roles: [...ROLES_THAT.send] })
  const userId = context.currentUser?.id ?? null
  const batches = await db.$transaction(async (tx) => {
    const [message] = await tx.$queryRaw<{ sendAt: Date | null; cancelledAt: Date | null; chunked: boolean }[]>`
      SELECT "sendAt", "cancelledAt", chunked FROM "Message" WHERE id = ${id} FOR UPDATE`
    if (!message) throw new UserInputError(`No message ${id}.`)
    if (message.cancelledAt) throw new UserInputError('This message is already cancelled.')
    if (!message.chunked || !message.sendAt) throw new UserInputError('Only a scheduled message can be cancelled.')
    if (message.sendAt.getTime() <= Date.now()) throw new UserInputError('This message has already gone.')
    const now = new Date()
    await tx.message.update({ where: { id }, data: { cancelledAt: now, cancelledById: userId } })
    await tx.messageChunk.updateMany({
      where: { messageId: id, state: { in: ['PENDING', 'FAILED'] } },
      data: { state: 'CANCELLED' },
    })
    const cancelled = await tx.messageRecipient.updateMany({
      where: { messageId: id, statusRank: { lt: FINAL_RANK } },
      data: {
        status: 'Cancelled',
        statusRank: FINAL_RANK,
        statusAt: now,
        statusAtApproximate: false,
        statusReason: 'Cancelled on the desk before it was sent',
      },
    })
    await recordAudit(tx, {
      action: 'message_cancelled',
      targetType: 'message',
      targetId: id,
      details: { recipients: cancelled.count },
    })
    await notifyLive(tx, { messageIds: [id] })
    return tx.messageChunk.findMany({
      where: { messageId: id, state: 'SUBMITTED', sinchBatchId: { not: null } },
      select: { id: true, sinchBatchId: true },
    })
  })
  const failures: string[] = []
  const cancelledAtSinch: number[] = []
  for (const chunk of batches) {
    const error = await cancelChunkAtSinch(id, chunk.sinchBatchId!)
    if (error) failures.push(error)
    else cancelledAtSinch.push(chunk.id)
  }
  // What Sinch answered, in one transaction that announces it (the page counts cancelled chunks).
  if (batches.length > 0)
    await db.$transaction(async (tx) => {
      await tx.messageChunk.updateMany({ where: { id: { in: cancelledAtSinch } }, data: { state: 'CANCELLED' } })
      if (failures.length > 0)
        await tx.message.update({
          where: { id },
          data: { submitError: `Sinch did not cancel ${failures.length} chunk(s): ${failures[0]}` },
        })
      await notifyLive(tx, { messageIds: [id] })
    })
  return db.message.findUniqueOrThrow({ where: { id } })
}
