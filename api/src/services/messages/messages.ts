import {
  Prisma,
  type Message as MessageRow,
  type MessageRecipient as RecipientRow,
  type SmsStatusUpdate as StatusUpdateRow,
} from '@prisma/client'
import type {
  MessageRelationResolvers,
  MessageRecipientRelationResolvers,
  QuerymessageArgs,
  QuerymessagesArgs,
  QueryrecipientArgs,
  QueryResolvers,
  StatusUpdateRelationResolvers,
} from 'types/graphql'

import { UserInputError } from '@redwoodjs/graphql-server'

import { hasRole } from 'src/lib/auth'
import { db } from 'src/lib/db'
import {
  codeMeaning,
  DELIVERED_STATUSES,
  FAILURE_STATUSES,
  FINAL_RANK,
  isDeliveredStatus,
  isFinalStatus,
  statusMeaning,
} from 'src/lib/deliveryStatus'
import type { RowResolvers } from 'src/lib/resolverTypes'
import { ROLES_THAT } from 'src/lib/roles'

import { loadTimeline } from './timeline'

// All logged-in staff see all messages: this is a shared desk.

const clamp = (value: number | null | undefined, fallback: number, max: number) =>
  Math.min(Math.max(value ?? fallback, 1), max)

/** Keyset cursor over (createdAt desc, id desc): stays fast at any depth. */
function encodeCursor(m: { createdAt: Date; id: string }) {
  return Buffer.from(`${m.createdAt.toISOString()}|${m.id}`).toString('base64url')
}
function decodeCursor(cursor: string): { createdAt: Date; id: string } {
  const [at, id] = Buffer.from(cursor, 'base64url').toString('utf8').split('|')
  const createdAt = new Date(at)
  if (!id || Number.isNaN(createdAt.getTime())) throw new UserInputError('Invalid cursor.')
  return { createdAt, id }
}

// Queries that return Prisma rows are typed by their arguments: see src/lib/resolverTypes.ts.
export const messages = async ({ cursor, take, status, from, to, search }: QuerymessagesArgs) => {
  const size = clamp(take, 25, 100)
  const and: Prisma.MessageWhereInput[] = []
  if (cursor) {
    const c = decodeCursor(cursor)
    // The plain range is what the (createdAt, id) index seeks to; with the OR
    // alone Postgres walks the index from the newest message to the cursor.
    and.push({ createdAt: { lte: c.createdAt } })
    and.push({ OR: [{ createdAt: { lt: c.createdAt } }, { createdAt: c.createdAt, id: { lt: c.id } }] })
  }
  if (status) and.push({ recipients: { some: { status } } })
  if (from) and.push({ createdAt: { gte: new Date(from) } })
  if (to) and.push({ createdAt: { lte: new Date(to) } })
  const term = search?.trim()
  if (term) {
    const digits = term.replace(/[^\d]/g, '')
    and.push({
      OR: [
        { clientReference: { contains: term, mode: 'insensitive' } },
        { id: term },
        ...(digits.length >= 3 ? [{ recipients: { some: { phoneNumber: { contains: digits } } } }] : []),
      ],
    })
  }
  const rows = await db.message.findMany({
    where: { AND: and },
    orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    take: size + 1,
  })
  const items = rows.slice(0, size)
  if (items.length > 0) {
    // The list shows each message's status counts: one query for the page
    // rather than one per message (Message.statusCounts reads these).
    const groups = await db.messageRecipient.groupBy({
      by: ['messageId', 'status'],
      where: { messageId: { in: items.map((m) => m.id) } },
      _count: { _all: true },
    })
    for (const m of items) {
      pageStatusCounts.set(
        m,
        sortCounts(groups.filter((g) => g.messageId === m.id).map((g) => ({ status: g.status, count: g._count._all })))
      )
    }
  }
  return { items, nextCursor: rows.length > size ? encodeCursor(items[items.length - 1]) : null }
}

type StatusCount = { status: string; count: number }
const sortCounts = (counts: StatusCount[]) => counts.sort((a, b) => b.count - a.count)

/** Status counts the list fetched for its whole page, by message row. */
const pageStatusCounts = new WeakMap<object, StatusCount[]>()
/** The submission time of the message a page of recipients belongs to, by recipient row. */
const pageSubmittedAt = new WeakMap<object, Date | null>()

export const message = ({ id }: QuerymessageArgs) => db.message.findUnique({ where: { id } })

export const recipient = ({ id }: QueryrecipientArgs) => db.messageRecipient.findUnique({ where: { id } })

/**
 * Changes whenever anything the message page shows changes: the message row
 * and the newest recipient update. Two index lookups; the page polls it.
 */
export const messageChangeToken: QueryResolvers['messageChangeToken'] = async ({ id }) => {
  const [row] = await db.$queryRaw<{ updatedAt: Date; latest: Date | null; submitState: string }[]>`
    SELECT m."updatedAt", m."submitState",
           (SELECT max(r."updatedAt") FROM "MessageRecipient" r WHERE r."messageId" = m.id) AS latest
      FROM "Message" m WHERE m.id = ${id}`
  if (!row) return null
  return { messageId: id, token: `${row.submitState}:${row.updatedAt.getTime()}:${row.latest?.getTime() ?? 0}` }
}

type RecipientPage = { items: RecipientRow[]; total: number; nextCursor: number | null }

export const Message: RowResolvers<MessageRow, MessageRelationResolvers, { recipients: RecipientPage }> = {
  createdBy: (_args, { root }) =>
    root.createdById
      ? db.user.findUnique({ where: { id: root.createdById }, select: { id: true, email: true, name: true } })
      : null,
  statusCounts: async (_args, { root }) => {
    const prefetched = pageStatusCounts.get(root)
    if (prefetched) return prefetched
    const groups = await db.messageRecipient.groupBy({
      by: ['status'],
      where: { messageId: root.id },
      _count: { _all: true },
    })
    return sortCounts(groups.map((g) => ({ status: g.status, count: g._count._all })))
  },
  progress: async (_args, { root }) => {
    const delivered = [...DELIVERED_STATUSES]
    const [row] = await db.$queryRaw<
      { total: number; final: number; delivered: number; failed: number; median: number | null }[]
    >`
      SELECT count(*)::int AS total,
             -- Final as the dashboard counts it: a final rank, or delivered (a
             -- WhatsApp DELIVERED keeps a lower rank only so READ can follow).
             count(*) FILTER (WHERE r."statusRank" = ${FINAL_RANK} OR r.status = ANY(${delivered}))::int AS final,
             count(*) FILTER (WHERE r.status = ANY(${delivered}))::int AS delivered,
             count(*) FILTER (WHERE r.status = ANY(${[...FAILURE_STATUSES]}))::int AS failed,
             (percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM r."statusAt" - m."submittedAt") * 1000)
                FILTER (WHERE r.status = ANY(${delivered}) AND m."submittedAt" IS NOT NULL))::float AS median
        FROM "MessageRecipient" r JOIN "Message" m ON m.id = r."messageId"
       WHERE r."messageId" = ${root.id}`
    return {
      total: row.total,
      final: row.final,
      delivered: row.delivered,
      failed: row.failed,
      inFlight: row.total - row.final,
      medianTimeToDeliverMs: row.median === null ? null : Math.max(0, Math.round(row.median)),
    }
  },
  recipients: async ({ cursor, take, status, search }, { root }) => {
    const size = clamp(take, 50, 500)
    const digits = search?.replace(/[^\d]/g, '')
    const where: Prisma.MessageRecipientWhereInput = {
      messageId: root.id,
      ...(status ? { status } : {}),
      ...(digits ? { phoneNumber: { contains: digits } } : {}),
    }
    const conditions = [
      Prisma.sql`"messageId" = ${root.id}`,
      ...(status ? [Prisma.sql`status = ${status}`] : []),
      ...(digits ? [Prisma.sql`"phoneNumber" LIKE ${`%${digits}%`}`] : []),
      ...(cursor ? [Prisma.sql`id > ${cursor}`] : []),
    ]
    // This message's recipients first (messageId index), then the page in id
    // order. Asked for "ORDER BY id LIMIT n" directly, Postgres may walk the
    // primary key from the oldest recipient of all messages instead, which
    // for a large recent message means most of the table.
    const [rows, total] = await Promise.all([
      db.$queryRaw<RecipientRow[]>`
        WITH matching AS MATERIALIZED (SELECT id FROM "MessageRecipient" WHERE ${Prisma.join(conditions, ' AND ')})
        SELECT * FROM "MessageRecipient"
         WHERE id IN (SELECT id FROM matching ORDER BY id LIMIT ${size + 1})
         ORDER BY id`,
      db.messageRecipient.count({ where }),
    ])
    const items = rows.slice(0, size)
    for (const r of items) pageSubmittedAt.set(r, root.submittedAt ?? null)
    return { items, total, nextCursor: rows.length > size ? items[items.length - 1].id : null }
  },
}

export const MessageRecipient: RowResolvers<
  RecipientRow,
  MessageRecipientRelationResolvers,
  { timeline: StatusUpdateRow[] }
> = {
  statusMeaning: (_args, { root }) => statusMeaning(root.status),
  codeMeaning: (_args, { root }) => codeMeaning(root.code),
  isFinal: (_args, { root }) => isFinalStatus(root.status),
  isFailure: (_args, { root }) => FAILURE_STATUSES.has(root.status),
  timeToDeliverMs: async (_args, { root }) => {
    if (!isDeliveredStatus(root.status) || !root.statusAt) return null
    const submittedAt = pageSubmittedAt.has(root)
      ? pageSubmittedAt.get(root)
      : (await db.message.findUnique({ where: { id: root.messageId }, select: { submittedAt: true } }))?.submittedAt
    return submittedAt ? Math.max(0, root.statusAt.getTime() - submittedAt.getTime()) : null
  },
  timeline: (_args, { root }) => loadTimeline(root.id),
}

export const StatusUpdate: RowResolvers<StatusUpdateRow, StatusUpdateRelationResolvers> = {
  // Sinch's raw report: admins only.
  rawPayload: (_args, { root }) => (hasRole([...ROLES_THAT.administer]) ? (root.rawPayload ?? null) : null),
  statusMeaning: (_args, { root }) => statusMeaning(root.status),
  codeMeaning: (_args, { root }) => codeMeaning(root.code) ?? root.reason ?? null,
}
