/**
 * Who an audience send goes to (README "Audience sends"): the screening
 * itself is pure and lives in src/lib/audienceScreening.ts; this is its
 * database side, the opt-outs.
 */
import { db } from 'src/lib/db'
import { optOutReason } from 'src/services/optOuts/optOuts'

/** Opt-outs of many numbers in one statement (an IN list of 100,000 would exceed Postgres's parameter limit). */
export async function optedOutAmong(numbers: string[]): Promise<Map<string, string>> {
  if (numbers.length === 0) return new Map()
  const rows = await db.$queryRaw<{ phoneNumber: string }[]>`
    SELECT "phoneNumber" FROM "OptOut" WHERE "phoneNumber" = ANY(${numbers}::text[])`
  if (rows.length === 0) return new Map()
  const full = await db.optOut.findMany({
    where: { phoneNumber: { in: rows.map((r) => r.phoneNumber).slice(0, 10_000) } },
    include: { inboundMessage: { select: { body: true } }, createdBy: { select: { email: true } } },
  })
  return new Map(full.map((o) => [o.phoneNumber, optOutReason(o)]))
}
