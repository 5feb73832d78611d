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
  statusRank,
} from 'src/lib/deliveryStatus'
import { DELIVERY_STATUS_CATALOG } from 'src/lib/deliveryStatusCatalog'
import { containsPattern, MAX_SEARCH_LENGTH, MIN_SEARCH_LENGTH, pageSize, searchText } from 'src/lib/listArguments'
import type { RowResolvers } from 'src/lib/resolverTypes'
import { ROLES_THAT } from 'src/lib/roles'

import { loadTimeline } from './timeline'

// All logged-in staff see all messages: this is a shared desk.

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

const KNOWN_STATUSES = new Set(DELIVERY_STATUS_CATALOG.map((s) => s.status))
function knownStatus(status: string | null | undefined): string | null {
  if (!status) return null
  if (!KNOWN_STATUSES.has(status)) throw new UserInputError(`Unknown status "${status.slice(0, 40)}".`)
  return status
}
function dateArgument(name: string, value: string | Date | null | undefined): Date | null {
  if (value === null || value === undefined) return null
  const at = new Date(value)
  if (Number.isNaN(at.getTime())) throw new UserInputError(`${name} is not a date.`)
  return at
}

/** Columns are timestamp(3) holding UTC: compare with the instant read in UTC, whatever the session's zone. */
const utc = (at: Date) => Prisma.sql`(${at.toISOString()}::timestamptz AT TIME ZONE 'UTC')`

/**
 * The digits of a search text that reads as (a part of) a phone number — digits
 * and the spaces, +, -, dots and brackets people type in them — when there are
 * enough of them; null for words ("parcel 42" is not a number).
 */
function searchDigits(term: string): string | null {
  if (!/^[\d\s+().-]+$/.test(term)) return null
  const digits = term.replace(/[^\d]/g, '')
  return digits.length >= MIN_SEARCH_LENGTH ? digits : null
}

/**
 * A page of the messages matching `where` and the search `term`, newest first.
 *
 * One newest-first page per way a message can match (words of its body, its
 * client reference, its id, a recipient's number), each under the list's
 * filters, then the newest of those: the page of the whole. Each branch is a
 * query the planner can answer either way — through its trigram index when
 * the text is rare (migration 20261202130000), or by walking the (createdAt,
 * id) index and stopping after a page when the text is everywhere. An OR of
 * the four reads every message; a union of all matches reads every match
 * (README, "Finding messages", and the bench's search figures).
 */
async function searchPage(where: Prisma.Sql, term: string, limit: number) {
  const pattern = containsPattern(term)
  const digits = searchDigits(term)
  const matches = [
    Prisma.sql`m.body ILIKE ${pattern}`,
    Prisma.sql`m."clientReference" ILIKE ${pattern}`,
    Prisma.sql`m.id = ${term}`,
    ...(digits
      ? [
          Prisma.sql`EXISTS (SELECT 1 FROM "MessageRecipient" r
            WHERE r."messageId" = m.id AND r."phoneNumber" LIKE ${containsPattern(digits)})`,
        ]
      : []),
  ]
  const branches = matches.map(
    (match) => Prisma.sql`(SELECT m.id, m."createdAt" FROM "Message" m
       WHERE ${where} AND ${match}
       ORDER BY m."createdAt" DESC, m.id DESC
       LIMIT ${limit})`
  )
  return db.$queryRaw<{ id: string }[]>`
    SELECT id FROM (${Prisma.join(branches, ' UNION ')}) found
     ORDER BY "createdAt" DESC, id DESC
     LIMIT ${limit}`
}

export const messages = async ({
  cursor,
  take,
  status,
  from,
  to,
  search,
  sentBy,
  channel,
  failed,
  failureCode,
}: QuerymessagesArgs) => {
  const size = pageSize(take, 25, 100)
  const term = searchText(search)
  const conditions: Prisma.Sql[] = [Prisma.sql`true`]
  if (cursor) {
    const c = decodeCursor(cursor)
    // The plain range is what the (createdAt, id) index seeks to; with the OR
    // alone Postgres walks the index from the newest message to the cursor.
    conditions.push(Prisma.sql`m."createdAt" <= ${utc(c.createdAt)}`)
    conditions.push(
      Prisma.sql`(m."createdAt" < ${utc(c.createdAt)} OR (m."createdAt" = ${utc(c.createdAt)} AND m.id < ${c.id}))`
    )
  }
  const recipientStatus = knownStatus(status)
  if (recipientStatus) {
    conditions.push(
      Prisma.sql`EXISTS (SELECT 1 FROM "MessageRecipient" r WHERE r."messageId" = m.id AND r.status = ${recipientStatus})`
    )
  }
  const fromAt = dateArgument('from', from)
  const toAt = dateArgument('to', to)
  if (fromAt) conditions.push(Prisma.sql`m."createdAt" >= ${utc(fromAt)}`)
  if (toAt) conditions.push(Prisma.sql`m."createdAt" <= ${utc(toAt)}`)
  if (sentBy !== null && sentBy !== undefined) conditions.push(Prisma.sql`m."createdById" = ${sentBy}`)
  if (channel) conditions.push(Prisma.sql`m.channel = ${channel}::"Channel"`)
  const failures = [...FAILURE_STATUSES]
  if (failed) {
    conditions.push(Prisma.sql`(m."submitState" = 'FAILED' OR EXISTS (
      SELECT 1 FROM "MessageRecipient" r WHERE r."messageId" = m.id AND r.status = ANY(${failures})))`)
  }
  if (failureCode !== null && failureCode !== undefined) {
    conditions.push(Prisma.sql`EXISTS (SELECT 1 FROM "MessageRecipient" r
      WHERE r."messageId" = m.id AND r.status = ANY(${failures}) AND r.code = ${failureCode})`)
  }
  const where = Prisma.join(conditions, ' AND ')
  const found = term
    ? await searchPage(where, term, size + 1)
    : await db.$queryRaw<{ id: string }[]>`
        SELECT m.id FROM "Message" m
         WHERE ${where}
         ORDER BY m."createdAt" DESC, m.id DESC
         LIMIT ${size + 1}`
  const ids = found.slice(0, size).map((r) => r.id)
  const byId = new Map((await db.message.findMany({ where: { id: { in: ids } } })).map((m) => [m.id, m]))
  const items = ids.map((id) => byId.get(id)).filter((m): m is MessageRow => m !== undefined)
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
  return { items, nextCursor: found.length > size ? encodeCursor(items[items.length - 1]) : null }
}

/** Staff who can appear as a message's sender: every user (a desk has a handful), for the list's filter. */
export const messageSenders = () =>
  db.user.findMany({ select: { id: true, email: true, name: true }, orderBy: { email: 'asc' }, take: 1000 })

export const searchLimits = () => ({ minLength: MIN_SEARCH_LENGTH, maxLength: MAX_SEARCH_LENGTH })

type StatusCount = { status: string; count: number }
/** A delivered status's count, and how many of those recipients have a status time. */
type DeliveredCount = StatusCount & { timed: number }
/** The status catalog's order (Pending, then each channel's lifecycle), not the counts: ties cannot reorder it. */
const CATALOG_ORDER = new Map(DELIVERY_STATUS_CATALOG.map((s, i) => [s.status, i]))
const catalogIndex = (status: string) => CATALOG_ORDER.get(status) ?? CATALOG_ORDER.size
const sortCounts = (counts: StatusCount[]) =>
  counts.sort((a, b) => catalogIndex(a.status) - catalogIndex(b.status) || a.status.localeCompare(b.status))

/** Status counts the list fetched for its whole page, by message row. */
const pageStatusCounts = new WeakMap<object, StatusCount[]>()
/** The submission time of the message a page of recipients belongs to, by recipient row. */
const pageSubmittedAt = new WeakMap<object, Date | null>()

export const message = ({ id }: QuerymessageArgs) => db.message.findUnique({ where: { id } })

export const recipient = ({ id }: QueryrecipientArgs) => db.messageRecipient.findUnique({ where: { id } })

type RecipientPage = { items: RecipientRow[]; total: number; nextCursor: number | null }

/**
 * The median time from submission to delivery of a message's delivered
 * recipients (percentile_cont(0.5), in ms). With one delivered status (an SMS
 * message's Delivered) it is read from the middle of the ("messageId",
 * status, "statusAt") index: the one or two middle times, no sort, at an
 * offset from the number of timed recipients the counts already found (a
 * count of its own would walk every delivered recipient a second time: the
 * message page of a 100,000-recipient send spent a third of its time there).
 * An SMS Delivered is final, so between the two queries that number only
 * grows and the median moves by at most one place; should it have shrunk (a
 * WhatsApp DELIVERED that became READ) past the offset, the median is sorted
 * for, as a message with both DELIVERED and READ recipients always is.
 */
async function medianTimeToDeliver(root: MessageRow, delivered: DeliveredCount[]): Promise<number | null> {
  const submittedAt = root.submittedAt
  if (!submittedAt || delivered.length === 0) return null
  const sorted = async (statuses: string[]) => {
    const [row] = await db.$queryRaw<{ median: number | null }[]>`
      SELECT (percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM r."statusAt" - m."submittedAt") * 1000))::float AS median
        FROM "MessageRecipient" r JOIN "Message" m ON m.id = r."messageId"
       WHERE r."messageId" = ${root.id} AND r.status = ANY(${statuses})`
    return row.median
  }
  if (delivered.length > 1) return sorted(delivered.map((c) => c.status))
  const [{ status, timed }] = delivered
  if (timed === 0) return null
  // percentile_cont(0.5) of n times: the middle one (n odd) or the mean of the two middle ones.
  const middle = await db.$queryRaw<{ statusAt: Date }[]>`
    SELECT "statusAt" FROM "MessageRecipient"
     WHERE "messageId" = ${root.id} AND status = ${status} AND "statusAt" IS NOT NULL
     ORDER BY "statusAt"
    OFFSET ${Math.floor((timed - 1) / 2)} LIMIT ${2 - (timed % 2)}`
  // Every delivered status: those that moved on (to READ) since the count are delivered still.
  if (middle.length === 0) return sorted([...DELIVERED_STATUSES])
  return middle.reduce((sum, r) => sum + r.statusAt.getTime(), 0) / middle.length - submittedAt.getTime()
}

/** A message's recipients by status, and of those how many have a status time (what the median is taken over). */
type CountsOfMessage = { counts: StatusCount[]; timed: Map<string, number> }

/**
 * A message's recipients counted by status. statusCounts and progress resolve
 * side by side for one message row: they share one query while it runs (and
 * ask again afterwards, when the counts may have moved).
 */
const statusCountsAsked = new WeakMap<MessageRow, Promise<CountsOfMessage>>()
function statusCountsOf(root: MessageRow): Promise<CountsOfMessage> {
  let asked = statusCountsAsked.get(root)
  if (!asked) {
    asked = db.$queryRaw<{ status: string; count: number; timed: number }[]>`
      SELECT status, count(*)::int AS count, count("statusAt")::int AS timed
        FROM "MessageRecipient" WHERE "messageId" = ${root.id} GROUP BY status`
      .then((rows) => ({
        counts: sortCounts(rows.map((r) => ({ status: r.status, count: r.count }))),
        timed: new Map(rows.map((r) => [r.status, r.timed])),
      }))
      .finally(() => statusCountsAsked.delete(root))
    statusCountsAsked.set(root, asked)
  }
  return asked
}

export const Message: RowResolvers<MessageRow, MessageRelationResolvers, { recipients: RecipientPage }> = {
  createdBy: (_args, { root }) =>
    root.createdById
      ? db.user.findUnique({ where: { id: root.createdById }, select: { id: true, email: true, name: true } })
      : null,
  // The list fetched its whole page's counts; a message on its own counts them here.
  statusCounts: async (_args, { root }) => pageStatusCounts.get(root) ?? (await statusCountsOf(root)).counts,
  progress: async (_args, { root }) => {
    // The counts follow from the counts by status (an index-only scan, shared with statusCounts).
    const { counts, timed } = await statusCountsOf(root)
    const median = await medianTimeToDeliver(
      root,
      counts
        .filter((c) => DELIVERED_STATUSES.has(c.status) && c.count > 0)
        .map((c) => ({ ...c, timed: timed.get(c.status) ?? 0 }))
    )
    const sum = (which: (status: string) => boolean) => counts.reduce((n, c) => (which(c.status) ? n + c.count : n), 0)
    const total = sum(() => true)
    // Final as the dashboard counts it: a final rank, or delivered (a WhatsApp DELIVERED keeps a lower rank only
    // so READ can follow). A recipient's latest status is always a documented one, so its rank is its status's.
    const final = sum((s) => statusRank(s) === FINAL_RANK || DELIVERED_STATUSES.has(s))
    return {
      total,
      final,
      delivered: sum((s) => DELIVERED_STATUSES.has(s)),
      failed: sum((s) => FAILURE_STATUSES.has(s)),
      inFlight: total - final,
      medianTimeToDeliverMs: median === null ? null : Math.max(0, Math.round(median)),
    }
  },
  recipients: async ({ cursor, take, status, failureCode, search }, { root }) => {
    const size = pageSize(take, 50, 500)
    const term = searchText(search)
    const digits = term?.replace(/[^\d]/g, '')
    if (term && !digits) throw new UserInputError('Search recipients by a part of their number (digits).')
    const recipientStatus = knownStatus(status)
    const failures = [...FAILURE_STATUSES]
    const hasCode = failureCode !== null && failureCode !== undefined
    const where: Prisma.MessageRecipientWhereInput = {
      messageId: root.id,
      AND: [
        recipientStatus ? { status: recipientStatus } : {},
        hasCode ? { status: { in: failures }, code: failureCode } : {},
        digits ? { phoneNumber: { contains: digits } } : {},
      ],
    }
    const conditions = [
      Prisma.sql`"messageId" = ${root.id}`,
      ...(recipientStatus ? [Prisma.sql`status = ${recipientStatus}`] : []),
      ...(hasCode ? [Prisma.sql`status = ANY(${failures}) AND code = ${failureCode}`] : []),
      ...(digits ? [Prisma.sql`"phoneNumber" LIKE ${containsPattern(digits)}`] : []),
      ...(cursor ? [Prisma.sql`id > ${cursor}`] : []),
    ]
    // Unfiltered, the page is a range of the ("messageId", id) index, however
    // many recipients the message has. Filtered, this message's matching
    // recipients first (by status, code or number), then the page in id
    // order: asked for "ORDER BY id LIMIT n" with a rare status, Postgres may
    // walk every recipient of the message (or the primary key) to fill it.
    const filtered = recipientStatus || hasCode || digits
    const [rows, total] = await Promise.all([
      filtered
        ? db.$queryRaw<RecipientRow[]>`
            WITH matching AS MATERIALIZED (SELECT id FROM "MessageRecipient" WHERE ${Prisma.join(conditions, ' AND ')})
            SELECT * FROM "MessageRecipient"
             WHERE id IN (SELECT id FROM matching ORDER BY id LIMIT ${size + 1})
             ORDER BY id`
        : // The page's ids from the index alone (asked for whole rows, the planner expects to find a large
          // message's recipients soon enough along the primary key, and walks it from the oldest recipient).
          db.$queryRaw<RecipientRow[]>`
            SELECT * FROM "MessageRecipient"
             WHERE id IN (SELECT id FROM "MessageRecipient" WHERE ${Prisma.join(conditions, ' AND ')}
                           ORDER BY "messageId", id LIMIT ${size + 1})
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
