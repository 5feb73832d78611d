import { Prisma } from '@prisma/client'
import type { QueryResolvers } from 'types/graphql'

import { validateWithSync } from '@redwoodjs/api'

import { db } from 'src/lib/db'
import {
  codeMeaning,
  DELIVERED_STATUSES,
  FAILURE_STATUSES,
  FINAL_RANK,
  SMS_CODE_MEANINGS,
} from 'src/lib/deliveryStatus'

const DAY_MS = 24 * 60 * 60 * 1000
export const MAX_PERIOD_DAYS = 366
/** Periods up to this long are bucketed by hour, longer ones by day. */
export const HOURLY_UP_TO_MS = 2 * DAY_MS
export const TOP_FAILURE_CODES = 5

type BucketSize = 'HOUR' | 'DAY'

/**
 * An IANA zone name both Node and Postgres know. Offsets such as "+05:30" are
 * refused: Postgres reads them POSIX-style, with the sign the other way round.
 */
function isTimeZone(tz: string): boolean {
  if (tz.length > 64 || !/^[A-Za-z][A-Za-z0-9_-]*(\/[A-Za-z0-9_+-]+)*$/.test(tz)) return false
  try {
    return Intl.DateTimeFormat('en-US', { timeZone: tz }).resolvedOptions().timeZone.length > 0
  } catch {
    return false
  }
}

/**
 * Every recipient of the messages created in [from, to), with what the
 * queries below need. Prisma's DateTime columns are timestamps without time
 * zone holding UTC, so the range is compared in UTC (which keeps the
 * createdAt index usable) and createdAt is handed on as a timestamptz.
 *
 * "final" is a final rank or a delivered status: a Conversation DELIVERED
 * keeps rank 2 only so that a later READ can replace it, but the message has
 * reached the user, so it counts as delivered and not as in flight.
 *
 * ttd (time to deliver, ms) is the delivery time minus the message's
 * submittedAt, never negative. For READ the latest status time is when the
 * user read it, so the DELIVERED report's time is used instead.
 */
function scope(from: Date, to: Date) {
  const delivered = [...DELIVERED_STATUSES]
  return Prisma.sql`
    SELECT r.id, r.status, r.code,
           m."createdAt" AT TIME ZONE 'UTC' AS created,
           r.status = ANY(${delivered}) AS delivered,
           r.status = ANY(${[...FAILURE_STATUSES]}) AS failed,
           (r."statusRank" = ${FINAL_RANK} OR r.status = ANY(${delivered})) AS final,
           CASE WHEN r.status = ANY(${delivered}) AND m."submittedAt" IS NOT NULL THEN
             greatest(0, extract(epoch FROM (
               CASE WHEN r.status = 'READ'
                    THEN (SELECT min(u.at) FROM "SmsStatusUpdate" u WHERE u."recipientId" = r.id AND u.status = 'DELIVERED')
                    ELSE r."statusAt" END
               - m."submittedAt")) * 1000)::float8
           END AS ttd
      FROM "Message" m JOIN "MessageRecipient" r ON r."messageId" = m.id
     WHERE m."createdAt" >= (${from}::timestamptz AT TIME ZONE 'UTC')
       AND m."createdAt" < (${to}::timestamptz AT TIME ZONE 'UTC')`
}

/**
 * Bucket starts from the one holding `from` up to `to`, and the bucket of a
 * row. Hours are absolute hours from the local hour `from` falls in (exact
 * across daylight-saving changes); days are local calendar days in timeZone.
 */
function buckets(size: BucketSize, from: Date, to: Date, tz: string) {
  if (size === 'HOUR') {
    const origin = Prisma.sql`date_trunc('hour', ${from}::timestamptz, ${tz}::text)`
    return {
      starts: Prisma.sql`SELECT g AS start FROM generate_series(${origin}, ${to}::timestamptz, interval '1 hour') g`,
      of: Prisma.sql`${origin} + floor(extract(epoch FROM (s.created - ${origin})) / 3600)::int * interval '1 hour'`,
    }
  }
  return {
    starts: Prisma.sql`
      SELECT g AT TIME ZONE ${tz}::text AS start
        FROM generate_series(date_trunc('day', ${from}::timestamptz, ${tz}::text) AT TIME ZONE ${tz}::text,
                             ${to}::timestamptz AT TIME ZONE ${tz}::text, interval '1 day') g`,
    of: Prisma.sql`date_trunc('day', s.created, ${tz}::text)`,
  }
}

type Totals = {
  total: number
  final: number
  delivered: number
  failed: number
  median: number | null
  p95: number | null
  timed: number
}

/** The longest period deliveryStats takes, for the dashboard to check a custom period before it asks. */
export const deliveryStatsLimits: QueryResolvers['deliveryStatsLimits'] = () => ({ maxPeriodDays: MAX_PERIOD_DAYS })

export const deliveryStats: QueryResolvers['deliveryStats'] = async ({ from: fromInput, to: toInput, timeZone }) => {
  const from = new Date(fromInput)
  const to = new Date(toInput)
  const tz = timeZone?.trim() || 'UTC'
  validateWithSync(() => {
    if (!(from.getTime() < to.getTime()))
      throw new Error('The period must end after it starts: "from" must be before "to".')
    if (to.getTime() - from.getTime() > MAX_PERIOD_DAYS * DAY_MS)
      throw new Error(`The period can be at most ${MAX_PERIOD_DAYS} days long.`)
    if (!isTimeZone(tz))
      throw new Error(`"${tz.slice(0, 64)}" is not a time zone: use an IANA name such as Europe/Stockholm.`)
  })

  const bucketSize: BucketSize = to.getTime() - from.getTime() <= HOURLY_UP_TO_MS ? 'HOUR' : 'DAY'
  const b = buckets(bucketSize, from, to, tz)
  const s = scope(from, to)

  // One snapshot for all four, so the cards, the chart and the table agree
  // even while reports keep arriving.
  const [[totals], statusRows, codeRows, seriesRows] = await db.$transaction(
    [
      db.$queryRaw<Totals[]>`
        WITH s AS (${s})
        SELECT count(*)::int AS total,
               count(*) FILTER (WHERE final)::int AS final,
               count(*) FILTER (WHERE delivered)::int AS delivered,
               count(*) FILTER (WHERE failed)::int AS failed,
               (percentile_cont(0.5) WITHIN GROUP (ORDER BY ttd) FILTER (WHERE ttd IS NOT NULL))::float8 AS median,
               (percentile_cont(0.95) WITHIN GROUP (ORDER BY ttd) FILTER (WHERE ttd IS NOT NULL))::float8 AS p95,
               count(ttd)::int AS timed
          FROM s`,
      db.$queryRaw<{ status: string; count: number }[]>`
        WITH s AS (${s})
        SELECT status, count(*)::int AS count FROM s WHERE final GROUP BY status ORDER BY count DESC, status COLLATE "C"`,
      db.$queryRaw<{ code: number | null; count: number }[]>`
        WITH s AS (${s})
        SELECT code, count(*)::int AS count FROM s WHERE failed
         GROUP BY code ORDER BY count DESC, code ASC NULLS LAST LIMIT ${TOP_FAILURE_CODES}`,
      db.$queryRaw<{ start: Date; delivered: number; failed: number; inFlight: number }[]>`
        WITH s AS (${s}),
        counts AS (
          SELECT ${b.of} AS start,
                 count(*) FILTER (WHERE delivered)::int AS delivered,
                 count(*) FILTER (WHERE failed)::int AS failed,
                 count(*) FILTER (WHERE NOT final)::int AS "inFlight"
            FROM s GROUP BY 1
        )
        SELECT b.start, coalesce(c.delivered, 0)::int AS delivered, coalesce(c.failed, 0)::int AS failed,
               coalesce(c."inFlight", 0)::int AS "inFlight"
          FROM (${b.starts}) b LEFT JOIN counts c ON c.start = b.start
         WHERE b.start < ${to}::timestamptz
         ORDER BY b.start`,
    ],
    { isolationLevel: Prisma.TransactionIsolationLevel.RepeatableRead }
  )

  const ms = (v: number | null) => (v === null ? null : Math.round(v))
  return {
    from,
    to,
    timeZone: tz,
    bucketSize,
    totalRecipients: totals.total,
    final: totals.final,
    delivered: totals.delivered,
    failed: totals.failed,
    inFlight: totals.total - totals.final,
    deliveryRate: totals.final === 0 ? null : totals.delivered / totals.final,
    medianTimeToDeliverMs: ms(totals.median),
    p95TimeToDeliverMs: ms(totals.p95),
    timedDeliveries: totals.timed,
    finalStatusCounts: statusRows,
    topFailureCodes: codeRows.map(({ code, count }) => ({
      code,
      name: code === null ? null : (SMS_CODE_MEANINGS[code]?.name ?? null),
      meaning:
        code === null ? 'The failure report carried no code' : (SMS_CODE_MEANINGS[code]?.meaning ?? codeMeaning(code)!),
      count,
    })),
    series: seriesRows,
  }
}
