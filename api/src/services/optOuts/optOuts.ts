/**
 * Opt-outs: numbers that replied STOP (or that staff added) are never sent to
 * until they reply START or staff remove them. Every change is kept as an
 * OptOutEvent, with who or which reply made it.
 */
import type { OptOut as OptOutRow, OptOutEvent as OptOutEventRow, Prisma } from '@prisma/client'
import type {
  MutationResolvers,
  OptOutEventRelationResolvers,
  OptOutRelationResolvers,
  QueryResolvers,
} from 'types/graphql'

import { UserInputError } from '@redwoodjs/graphql-server'

import { requireAuth } from 'src/lib/auth'
import { config } from 'src/lib/config'
import { db } from 'src/lib/db'
import { pageSize } from 'src/lib/listArguments'
import { notifyLive } from 'src/lib/live/notifyLive'
import { logger } from 'src/lib/logger'
import { maskPhone, parseRecipients } from 'src/lib/phone'
import type { RowResolvers } from 'src/lib/resolverTypes'
import { ROLES_THAT } from 'src/lib/roles'
import { recordAudit } from 'src/services/audit/audit'

type Tx = Prisma.TransactionClient

export type ReplyKeyword = 'OPT_OUT' | 'OPT_IN'

/** What a reply asks for: the whole text, trimmed and in any case, must be a keyword. */
export function replyKeyword(text: string | null | undefined): ReplyKeyword | null {
  const word = (text ?? '').trim().toUpperCase()
  if (!word) return null
  const { optOutKeywords, optInKeywords } = config()
  if (optOutKeywords.includes(word)) return 'OPT_OUT'
  if (optInKeywords.includes(word)) return 'OPT_IN'
  return null
}

/**
 * Applies an opt-out or opt-in keyword of a reply that was just stored, in the
 * reply's own transaction. Called only for a newly inserted reply, so a
 * repeated callback changes nothing. Returns what changed, if anything.
 */
export async function applyReplyKeyword(
  tx: Tx,
  reply: { phoneNumber: string; body: string | null | undefined; inboundMessageId: number }
): Promise<ReplyKeyword | null> {
  const keyword = replyKeyword(reply.body)
  if (!keyword || !/^\+\d{6,15}$/.test(reply.phoneNumber)) return null
  const { phoneNumber, inboundMessageId } = reply
  if (keyword === 'OPT_OUT') {
    const { count } = await tx.optOut.createMany({
      data: [{ phoneNumber, source: 'INBOUND', inboundMessageId }],
      skipDuplicates: true,
    })
    if (count === 0) return null
  } else {
    const { count } = await tx.optOut.deleteMany({ where: { phoneNumber } })
    if (count === 0) return null
  }
  await tx.optOutEvent.create({ data: { phoneNumber, action: keyword, source: 'INBOUND', inboundMessageId } })
  await notifyLive(tx, { optOuts: true })
  logger.info({ phone: maskPhone(phoneNumber), action: keyword }, 'reply changed an opt-out')
  return keyword
}

const day = (d: Date) => d.toISOString().slice(0, 10)

/** Why sending to this number is refused, in words for the compose page. */
export function optOutReason(
  o: OptOutRow & { inboundMessage?: { body: string | null } | null; createdBy?: { email: string } | null }
): string {
  if (o.source === 'INBOUND') {
    const word = o.inboundMessage?.body?.trim().toUpperCase() || 'STOP'
    return `opted out (replied ${word} on ${day(o.createdAt)})`
  }
  return `opted out (added by ${o.createdBy?.email ?? 'staff'} on ${day(o.createdAt)})`
}

/** The opted-out numbers among these, with the reason for each. */
export async function optedOut(phoneNumbers: string[], client: Tx | typeof db = db): Promise<Map<string, string>> {
  if (phoneNumbers.length === 0) return new Map()
  const rows = await client.optOut.findMany({
    where: { phoneNumber: { in: phoneNumbers } },
    include: { inboundMessage: { select: { body: true } }, createdBy: { select: { email: true } } },
  })
  return new Map(rows.map((o) => [o.phoneNumber, optOutReason(o)]))
}

/** What staff may write with an opt-out or its removal (kept in OptOutEvent forever, so bounded). */
export const MAX_OPT_OUT_NOTE_LENGTH = 500

/** What the opt-out form may send, for the web to check before it asks. */
export const optOutLimits: QueryResolvers['optOutLimits'] = () => ({ maxNoteLength: MAX_OPT_OUT_NOTE_LENGTH })

/** A note as staff typed it: trimmed, null when blank, refused above the limit. */
function staffNote(note: string | null | undefined): string | null {
  const trimmed = note?.trim() || null
  if (trimmed && trimmed.length > MAX_OPT_OUT_NOTE_LENGTH)
    throw new UserInputError(
      `The note has ${trimmed.length} characters; a note has at most ${MAX_OPT_OUT_NOTE_LENGTH}.`
    )
  return trimmed
}

/** One number as staff typed it, validated like a recipient. */
function oneNumber(input: string): string {
  const { valid, invalid } = parseRecipients(input, config().phoneDefaultRegion)
  if (invalid.length > 0) throw new UserInputError(`${invalid[0].input}: ${invalid[0].reason}.`)
  if (valid.length !== 1)
    throw new UserInputError(valid.length === 0 ? 'Enter a phone number.' : 'Enter one phone number at a time.')
  return valid[0]
}

export const optOuts: QueryResolvers['optOuts'] = ({ search } = {}) => {
  const digits = search?.replace(/\D/g, '')
  return db.optOut.findMany({
    where: digits ? { phoneNumber: { contains: digits } } : {},
    orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    take: 500,
  })
}

export const optOutEvents: QueryResolvers['optOutEvents'] = ({ phoneNumber, take }) =>
  db.optOutEvent.findMany({
    where: phoneNumber ? { phoneNumber: oneNumber(phoneNumber) } : {},
    orderBy: [{ at: 'desc' }, { id: 'desc' }],
    take: pageSize(take, 50, 500),
  })

export const addOptOut: MutationResolvers['addOptOut'] = async ({ input }) => {
  requireAuth({ roles: [...ROLES_THAT.send] })
  const phoneNumber = oneNumber(input.phoneNumber)
  const note = staffNote(input.note)
  const createdById = context.currentUser?.id ?? null
  return db.$transaction(async (tx) => {
    const { count } = await tx.optOut.createMany({
      data: [{ phoneNumber, source: 'STAFF', createdById, note }],
      skipDuplicates: true,
    })
    if (count === 0) {
      const existing = await tx.optOut.findUnique({ where: { phoneNumber } })
      throw new UserInputError(
        `${phoneNumber} is already opted out${existing ? ` (since ${day(existing.createdAt)})` : ''}.`
      )
    }
    await tx.optOutEvent.create({ data: { phoneNumber, action: 'OPT_OUT', source: 'STAFF', createdById, note } })
    const optOut = await tx.optOut.findUniqueOrThrow({ where: { phoneNumber } })
    await recordAudit(tx, {
      action: 'opt_out_added',
      targetType: 'optOut',
      targetId: optOut.id,
      details: { phoneNumber },
    })
    // Open threads of this number (and the opt-out list) refresh: the reply box refuses from now on.
    await notifyLive(tx, { optOuts: true })
    return optOut
  })
}

export const removeOptOut: MutationResolvers['removeOptOut'] = async ({ phoneNumber: typed, note }) => {
  requireAuth({ roles: [...ROLES_THAT.administer] })
  const phoneNumber = oneNumber(typed)
  const reason = staffNote(note)
  const createdById = context.currentUser?.id ?? null
  return db.$transaction(async (tx) => {
    const removed = await tx.optOut.findUnique({ where: { phoneNumber } })
    const { count } = removed ? await tx.optOut.deleteMany({ where: { id: removed.id } }) : { count: 0 }
    if (!removed || count === 0) throw new UserInputError(`${phoneNumber} is not opted out.`)
    await tx.optOutEvent.create({
      data: { phoneNumber, action: 'OPT_IN', source: 'STAFF', createdById, note: reason },
    })
    await recordAudit(tx, {
      action: 'opt_out_removed',
      targetType: 'optOut',
      targetId: removed.id,
      details: { phoneNumber },
    })
    await notifyLive(tx, { optOuts: true })
    return removed
  })
}

const staffUser = (id: number | null) =>
  id ? db.user.findUnique({ where: { id }, select: { id: true, email: true, name: true } }) : null
const inboundReply = (id: number | null) =>
  id
    ? db.inboundMessage.findUnique({ where: { id }, select: { id: true, channel: true, body: true, receivedAt: true } })
    : null

export const OptOut: RowResolvers<OptOutRow, OptOutRelationResolvers> = {
  createdBy: (_args, { root }) => staffUser(root.createdById),
  inboundMessage: (_args, { root }) => inboundReply(root.inboundMessageId),
}

export const OptOutEvent: RowResolvers<OptOutEventRow, OptOutEventRelationResolvers> = {
  createdBy: (_args, { root }) => staffUser(root.createdById),
  inboundMessage: (_args, { root }) => inboundReply(root.inboundMessageId),
}
