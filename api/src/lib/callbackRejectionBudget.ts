/**
 * How many refused callbacks (401) each client address may leave in the
 * CallbackRejection diagnostics per hour: the first
 * CALLBACK_REJECTIONS_PER_ADDRESS_PER_HOUR get a row, the rest are only
 * counted (`CallbackRejectionBudget.refused - recorded`, shown to admins on
 * the refused list). So a flood of bad signatures from one address can
 * neither push real evidence out of the newest-5,000 window nor keep the
 * database busy: once an instance has seen an address exhaust its hour, it
 * counts further refusals in memory and adds them to Postgres every few
 * seconds in one statement, touching the database no more for that address.
 *
 * The budget itself is in Postgres (one row per address and hour, shared by
 * every instance); the memory is only a per-instance shortcut, bounded.
 */
import { config } from './config'
import { db } from './db'
import { logger } from './logger'

export const BUDGET_RETENTION_DAYS = 8
const FLUSH_EVERY_MS = 2_000
const PRUNE_EVERY_MS = 3_600_000
/** Addresses remembered as over budget, and counts waiting for a flush, at most (then the oldest go). */
const MAX_TRACKED_ADDRESSES = 10_000

/** address → the hour (as Postgres wrote it) it exhausted, and until when (our clock) that holds */
const exhausted = new Map<string, { windowStart: string; until: number }>()
/** `${windowStart}\n${address}` → refusals counted here and not yet in Postgres */
const unflushed = new Map<string, number>()
let flushTimer: NodeJS.Timeout | undefined
let lastPruneAt = 0

/**
 * Counts one refused callback from `address` and says whether it may be
 * recorded in CallbackRejection. Throws only if the database does (the
 * caller's recording is best-effort anyway).
 */
export async function admitRefusedCallback(
  address: string,
  limit = config().callbackRejectionsPerAddressPerHour
): Promise<boolean> {
  const known = exhausted.get(address)
  if (known && known.until > Date.now()) {
    countLocally(known.windowStart, address)
    return false
  }
  const [row] = await db.$queryRaw<{ refused: number; windowStart: string; secondsLeft: number }[]>`
    INSERT INTO "CallbackRejectionBudget" AS b ("clientAddress", "windowStart", "refused", "recorded")
    VALUES (${address}, date_trunc('hour', now())::timestamp, 1, 1)
    ON CONFLICT ("clientAddress", "windowStart") DO UPDATE
      SET "refused" = b."refused" + 1, "recorded" = least(b."recorded" + 1, ${limit}::int)
    RETURNING "refused", "windowStart"::text AS "windowStart",
      extract(epoch FROM date_trunc('hour', now()) + interval '1 hour' - now())::float8 AS "secondsLeft"`
  maybePrune()
  if (row.refused <= limit) return true
  if (exhausted.size >= MAX_TRACKED_ADDRESSES) exhausted.delete(exhausted.keys().next().value as string)
  exhausted.set(address, { windowStart: row.windowStart, until: Date.now() + row.secondsLeft * 1000 })
  return false
}

function countLocally(windowStart: string, address: string) {
  const key = `${windowStart}\n${address}`
  if (!unflushed.has(key) && unflushed.size >= MAX_TRACKED_ADDRESSES) {
    void flushRefusedCounts()
  }
  unflushed.set(key, (unflushed.get(key) ?? 0) + 1)
  flushTimer ??= setTimeout(() => void flushRefusedCounts(), FLUSH_EVERY_MS).unref()
}

/** Adds the refusals counted in memory to Postgres (also called by tests). */
export async function flushRefusedCounts(): Promise<void> {
  clearTimeout(flushTimer)
  flushTimer = undefined
  const batch = [...unflushed]
  unflushed.clear()
  for (const [key, count] of batch) {
    const [windowStart, address] = key.split('\n')
    try {
      await db.$executeRaw`
        INSERT INTO "CallbackRejectionBudget" AS b ("clientAddress", "windowStart", "refused", "recorded")
        VALUES (${address}, ${windowStart}::timestamp, ${count}::int, 0)
        ON CONFLICT ("clientAddress", "windowStart") DO UPDATE SET "refused" = b."refused" + ${count}::int`
    } catch (error) {
      logger.warn({ err: error, count }, 'could not count refused callbacks that were not recorded')
    }
  }
}

function maybePrune() {
  if (Date.now() - lastPruneAt < PRUNE_EVERY_MS) return
  lastPruneAt = Date.now()
  db.$executeRaw`DELETE FROM "CallbackRejectionBudget" WHERE "windowStart" < now() - make_interval(days => ${BUDGET_RETENTION_DAYS}::int)`.catch(
    (error: unknown) => logger.warn({ err: error }, 'could not prune the refused-callback budget')
  )
}

/** Tests: forget what this instance remembers. */
export function resetRefusedCallbackBudgetMemory() {
  exhausted.clear()
  unflushed.clear()
  clearTimeout(flushTimer)
  flushTimer = undefined
}
