/**
 * The inbox: conversations (the replies of one number on one channel), the
 * signed-in user's read state in each, and replying from a thread.
 *
 * A conversation is not a table: it is the replies (InboundMessage) grouped
 * by number and channel, so that nothing has to be kept in step with the
 * verified callback path that stores them. Read state is per staff user
 * (ConversationRead: the highest reply id they have seen). "Unanswered"
 * means nothing was sent to the number on that channel after its latest reply.
 */
import type { MutationmarkConversationReadArgs, MutationreplyToConversationArgs, QueryResolvers } from 'types/graphql'

import { UserInputError } from '@redwoodjs/graphql-server'

import { requireAuth } from 'src/lib/auth'
import { config } from 'src/lib/config'
import { db } from 'src/lib/db'
import { notifyLive } from 'src/lib/live/notifyLive'
import { logger } from 'src/lib/logger'
import { maskPhone, normalisePhoneNumber } from 'src/lib/phone'
import { ROLES_THAT } from 'src/lib/roles'
import { MAX_SEARCH_LENGTH } from 'src/lib/searchLimits'
import { optedOut } from 'src/services/optOuts/optOuts'
import { send } from 'src/services/sending/sending'
import { WINDOW_CLOSED_REASON, windowsFor } from 'src/services/whatsapp/whatsapp'

export const DEFAULT_INBOX_PAGE = 25
export const MAX_INBOX_PAGE = 100

type Channel = 'SMS' | 'WHATSAPP'

/** Keyset cursor over (lastInboundAt desc, phoneNumber desc, channel desc). */
function encodeCursor(c: { lastInboundAt: Date; phoneNumber: string; channel: string }) {
  return Buffer.from(JSON.stringify([c.lastInboundAt.toISOString(), c.phoneNumber, c.channel])).toString('base64url')
}
function decodeCursor(cursor: string): { at: Date; phoneNumber: string; channel: Channel } {
  try {
    const [at, phoneNumber, channel] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'))
    const date = new Date(at)
    if (Number.isNaN(date.getTime()) || typeof phoneNumber !== 'string' || !['SMS', 'WHATSAPP'].includes(channel))
      throw new Error('bad cursor')
    return { at: date, phoneNumber, channel }
  } catch {
    throw new UserInputError('Invalid cursor.')
  }
}

/** The signed-in staff user's id: read state belongs to a user. */
function currentUserId(): number {
  const id = context.currentUser?.id
  if (typeof id !== 'number') throw new UserInputError('Read state needs a signed-in staff user.')
  return id
}

function oneNumber(input: string): string {
  const parsed = normalisePhoneNumber(input, config().phoneDefaultRegion)
  if (!parsed.ok) throw new UserInputError(`${input.slice(0, 40)}: ${parsed.reason}`)
  return parsed.e164
}

type ConversationRow = {
  phoneNumber: string
  name: string | null
  channel: Channel
  lastInboundAt: Date
  lastInboundBody: string | null
  lastInboundContentType: string
  inboundCount: number
  unreadCount: number
  lastOutboundAt: Date | null
  optedOut: boolean
}

export const conversations: QueryResolvers['conversations'] = async ({ unansweredOnly, search, cursor, take }) => {
  requireAuth({ roles: [...ROLES_THAT.read] })
  const userId = currentUserId()
  const size = Math.min(Math.max(take ?? DEFAULT_INBOX_PAGE, 1), MAX_INBOX_PAGE)
  const query = (search ?? '').trim()
  if (query.length > MAX_SEARCH_LENGTH)
    throw new UserInputError(`Search for at most ${MAX_SEARCH_LENGTH} characters: part of a number or a name.`)
  // Digits search the number; anything else, the contact book's names.
  const digits = /^[+\d\s().-]+$/.test(query) ? query.replace(/\D/g, '') : ''
  const name = query && !digits ? `%${query.replace(/[\\%_]/g, (c) => `\\${c}`)}%` : ''
  const after = cursor ? decodeCursor(cursor) : null
  // The page is chosen first (grouping, order, cursor, the unanswered test), and only its rows get their latest
  // text, unread count and opt-out: the per-row lookups then cost the same whatever the number of conversations.
  const rows = await db.$queryRaw<ConversationRow[]>`
    WITH conv AS (
      SELECT i."fromNumber" AS "phoneNumber", i.channel, max(i."receivedAt") AS "lastInboundAt", count(*)::int AS "inboundCount"
        FROM "InboundMessage" i
       -- Replies from a phone number: a Conversation identity that is not one (a contact id) cannot be answered here.
       WHERE i."fromNumber" LIKE '+%'
         AND (${digits} = '' OR i."fromNumber" LIKE '%' || ${digits} || '%')
         AND (${name} = '' OR i."fromNumber" IN (SELECT ct."phoneNumber" FROM "Contact" ct WHERE ct.name ILIKE ${name}))
       GROUP BY 1, 2
    ), page AS (
      SELECT c.*, sent."lastOutboundAt"
        FROM (SELECT * FROM conv
               WHERE ${after === null}
                  OR ("lastInboundAt", "phoneNumber", channel::text)
                     < (${after?.at ?? new Date(0)}, ${after?.phoneNumber ?? ''}, ${after?.channel ?? ''})
               ORDER BY "lastInboundAt" DESC, "phoneNumber" DESC, channel::text DESC) c
       CROSS JOIN LATERAL (
         SELECT max(m."createdAt") AS "lastOutboundAt"
           FROM "MessageRecipient" mr JOIN "Message" m ON m.id = mr."messageId"
          WHERE mr."phoneNumber" = c."phoneNumber" AND m.channel = c.channel) sent
       WHERE ${!!unansweredOnly} = false OR sent."lastOutboundAt" IS NULL OR sent."lastOutboundAt" < c."lastInboundAt"
       ORDER BY c."lastInboundAt" DESC, c."phoneNumber" DESC, c.channel::text DESC
       LIMIT ${size + 1}
    )
    SELECT p."phoneNumber", p.channel::text AS channel, ct.name, p."lastInboundAt", p."inboundCount", p."lastOutboundAt",
           last.body AS "lastInboundBody", last."contentType" AS "lastInboundContentType",
           (SELECT count(*)::int FROM "InboundMessage" u
             WHERE u."fromNumber" = p."phoneNumber" AND u.channel = p.channel
               AND u.id > coalesce(r."lastReadInboundId", 0)) AS "unreadCount",
           EXISTS (SELECT 1 FROM "OptOut" o WHERE o."phoneNumber" = p."phoneNumber") AS "optedOut"
      FROM page p
      LEFT JOIN "Contact" ct ON ct."phoneNumber" = p."phoneNumber"
      LEFT JOIN "ConversationRead" r
        ON r."userId" = ${userId} AND r."phoneNumber" = p."phoneNumber" AND r.channel = p.channel
      CROSS JOIN LATERAL (
        SELECT l.body, l."contentType" FROM "InboundMessage" l
         WHERE l.channel = p.channel AND l."fromNumber" = p."phoneNumber"
         ORDER BY l."receivedAt" DESC, l.id DESC LIMIT 1) last
     ORDER BY p."lastInboundAt" DESC, p."phoneNumber" DESC, p.channel::text DESC`
  const items = rows.slice(0, size).map((row) => ({
    ...row,
    id: `${row.channel}:${row.phoneNumber}`,
    unanswered: row.lastOutboundAt === null || row.lastOutboundAt < row.lastInboundAt,
  }))
  return { items, nextCursor: rows.length > size ? encodeCursor(items[items.length - 1]) : null }
}

/**
 * The user's own read state: every reply of this number (both channels: the
 * thread shows both) up to the newest one the thread showed them. Never moves
 * back, so an older tab cannot undo a read. Not audited: it is the user's own
 * view, like signing out, and changes nothing for anyone else.
 */
export const markConversationRead = async ({ phoneNumber, upToInboundId }: MutationmarkConversationReadArgs) => {
  requireAuth({ roles: [...ROLES_THAT.read] })
  const userId = currentUserId()
  const number = oneNumber(phoneNumber)
  return db.$transaction(async (tx) => {
    const changed = await tx.$executeRaw`
      INSERT INTO "ConversationRead" ("userId", "phoneNumber", channel, "lastReadInboundId", "readAt")
      SELECT ${userId}, i."fromNumber", i.channel, max(i.id), now()
        FROM "InboundMessage" i
       WHERE i."fromNumber" = ${number} AND i.id <= ${upToInboundId}
       GROUP BY i."fromNumber", i.channel
      ON CONFLICT ("userId", "phoneNumber", channel) DO UPDATE
         SET "lastReadInboundId" = EXCLUDED."lastReadInboundId", "readAt" = EXCLUDED."readAt"
       WHERE "ConversationRead"."lastReadInboundId" < EXCLUDED."lastReadInboundId"`
    // The user's other tabs update their unread counts; nobody else's read state changed.
    if (changed > 0) await notifyLive(tx, { readByUserIds: [userId] })
    return changed
  })
}

/**
 * A reply from a thread: a one-recipient send through the sending service
 * (stored, audited as reply_sent in the same transaction, submitted and
 * tracked like any message). Refused with the reason, before anything is
 * stored, when the number opted out or when WhatsApp free text falls outside
 * the 24-hour window; the send path checks both again.
 */
export const replyToConversation = async ({ input }: MutationreplyToConversationArgs) => {
  requireAuth({ roles: [...ROLES_THAT.send] })
  const number = oneNumber(input.phoneNumber)
  const refusedFor = (await optedOut([number])).get(number)
  if (refusedFor) throw new UserInputError(`Not sent: ${number} ${refusedFor}.`)
  const template = input.templateId !== null && input.templateId !== undefined
  if (input.channel === 'SMS' && template)
    throw new UserInputError('Templates are for WhatsApp: reply by SMS with text.')
  if (input.channel === 'WHATSAPP' && !template && !(await windowsFor([number])).get(number)!.open)
    throw new UserInputError(`Not sent: ${WINDOW_CLOSED_REASON}.`)
  const result = await send(
    {
      body: input.body ?? '',
      recipients: number,
      channel: input.channel,
      templateId: input.templateId,
      templateParameters: input.templateParameters,
    },
    { action: 'reply_sent', details: { phoneNumber: number } }
  )
  // Between the checks above and the send (a STOP arriving, the window closing), the send path refused it.
  if (!result.message) throw new UserInputError(`Not sent: ${result.invalid.map((p) => p.reason).join('; ')}.`)
  logger.info(
    { messageId: result.message.id, phone: maskPhone(number), channel: input.channel },
    'replied from a conversation'
  )
  return result.message
}
