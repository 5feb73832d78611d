/**
 * Ending sessions server-side: every session cookie carries the user's
 * sessionVersion at sign-in (src/lib/session.ts), so incrementing it ends all
 * of them at their next request, on every api instance.
 */
import type { Prisma } from '@prisma/client'
import type { MutationResolvers } from 'types/graphql'

import { AuthenticationError } from '@redwoodjs/graphql-server'

import { db } from 'src/lib/db'
import { logger } from 'src/lib/logger'

/** Ends every session of the user (password reset, sign out everywhere, a disabled account). */
export async function endAllSessions(userId: number, tx: Prisma.TransactionClient = db) {
  await tx.user.update({ where: { id: userId }, data: { sessionVersion: { increment: 1 } } })
}

export const signOutEverywhere: MutationResolvers['signOutEverywhere'] = async () => {
  const userId = context.currentUser?.id
  if (typeof userId !== 'number') throw new AuthenticationError("You don't have permission to do that.")
  await endAllSessions(userId)
  logger.info({ userId }, 'signed out everywhere')
  return true
}
