/**
 * Reconciliation: asking Sinch about recipients whose report never came.
 *
 * A recipient still Pending (its message SUBMITTED), Queued or Dispatched
 * RECONCILE_AFTER_MINUTES after the last news about it (submission, a report,
 * or our last check) is "stuck". For each stuck recipient we fetch what Sinch
 * knows (docs/sinch-protocol.md#sms-rest-api, delivery reports on demand): the batch's full delivery report says
 * which recipients moved, and the per-recipient report gives the exact report
 * (with its `at`), which is recorded through the same idempotent, forward-only
 * path as a callback (recordReport, source FETCHED). A callback for the same
 * event arriving later is then a duplicate (same dedupe key).
 *
 * Each check Sinch answered counts as an attempt; after RECONCILE_MAX_ATTEMPTS
 * a recipient with still no final status ends `Unknown`, with the reason in
 * words on the recipient and as a FETCHED report row in its timeline.
 *
 * Safe with several api instances: recipients are claimed with one UPDATE over
 * SELECT … FOR UPDATE SKIP LOCKED that also stamps lastReconcileAt, so a
 * recipient claimed by one runner is neither visible (locked, skipped) nor
 * eligible (just stamped) to another. Nothing is held while Sinch is called.
 */
import type { Prisma } from '@prisma/client'
import type { MutationResolvers } from 'types/graphql'

import { UserInputError } from '@redwoodjs/graphql-server'

import { requireAuth } from 'src/lib/auth'
import { startBackgroundTask, type BackgroundTask } from 'src/lib/backgroundTask'
import { recipientReportSchema } from 'src/lib/callbackPayload'
import { config } from 'src/lib/config'
import { db } from 'src/lib/db'
import { FINAL_RANK } from 'src/lib/deliveryStatus'
import { notifyLive } from 'src/lib/live/notifyLive'
import { logger } from 'src/lib/logger'
import { countReconcileOutcomes } from 'src/lib/metrics'
import { ROLES_THAT } from 'src/lib/roles'
import { sinchSmsClient, type SinchSmsClient } from 'src/lib/sinch/client'
import { isSinchError, SinchApiError } from 'src/lib/sinch/errors'
import type { BatchDeliveryReport } from 'src/lib/sinch/types'
import { recordAudit } from 'src/services/audit/audit'
import { recordReport } from 'src/services/smsStatus/recordReport'
import { recipientReportRow, type ReportRow } from 'src/services/smsStatus/reportRows'

export type ReconcileOptions = {
  /** The current time (tests move it forward instead of waiting). */
  now?: Date
  afterMs?: number
  maxAttempts?: number
  /** Recipients claimed per round. */
  limit?: number
  client?: SinchSmsClient
}

export type ReconcileSummary = {
  /** Recipients asked about. */
  checked: number
  /** Recipients whose status changed (a fetched report, or Unknown). */
  changed: number
  /** Recipients that ended Unknown because no final report came. */
  gaveUp: number
  /** Recipients whose check failed (Sinch unreachable, 5xx): not counted as an attempt. */
  failed: number
  errors: string[]
}

type Claimed = {
  id: number
  messageId: string
  batchId: string
  phoneNumber: string
  status: string
  code: number | null
  reconcileAttempts: number
  /** Whether this check counts towards giving up (the recipient was stuck). */
  counts: boolean
}

const empty = (): ReconcileSummary => ({ checked: 0, changed: 0, gaveUp: 0, failed: 0, errors: [] })

function settings(options: ReconcileOptions) {
  const { reconcile, sinch } = config()
  return {
    now: options.now ?? new Date(),
    afterMs: options.afterMs ?? reconcile.afterMs,
    maxAttempts: options.maxAttempts ?? reconcile.maxAttempts,
    limit: options.limit ?? 200,
    client: options.client ?? sinchSmsClient(sinch),
  }
}

/** Claims stuck recipients (any message), oldest first. */
async function claimStuck(now: Date, cutoff: Date, maxAttempts: number, limit: number): Promise<Claimed[]> {
  return db.$queryRaw<Claimed[]>`
    UPDATE "MessageRecipient" rc SET "lastReconcileAt" = ${now}::timestamp(3)
      FROM (
        SELECT r.id, coalesce(m."sinchBatchId", ch."sinchBatchId") AS "batchId"
          FROM "MessageRecipient" r JOIN "Message" m ON m.id = r."messageId"
          -- a chunked send: the recipient's batch is its chunk's
          LEFT JOIN "MessageChunk" ch ON ch."messageId" = r."messageId" AND ch.index = r."chunkIndex"
         WHERE r."statusRank" < ${FINAL_RANK}
           AND m."submitState" = 'SUBMITTED' AND coalesce(m."sinchBatchId", ch."sinchBatchId") IS NOT NULL
           AND m.channel = 'SMS'
           AND r."reconcileAttempts" < ${maxAttempts}
           AND greatest(m."submittedAt", m."sendAt", r."statusAt", r."lastReconcileAt") <= ${cutoff}::timestamp(3)
         ORDER BY greatest(m."submittedAt", m."sendAt", r."statusAt", r."lastReconcileAt"), r.id
         LIMIT ${limit}
           FOR UPDATE OF r SKIP LOCKED
      ) c
     WHERE rc.id = c.id
    RETURNING rc.id, rc."messageId", c."batchId", rc."phoneNumber", rc.status, rc.code, rc."reconcileAttempts", true AS counts`
}

/** Claims every non-final recipient of one message, stuck or not (on demand). */
async function claimMessage(
  tx: Prisma.TransactionClient,
  messageId: string,
  now: Date,
  cutoff: Date
): Promise<Claimed[]> {
  return tx.$queryRaw<Claimed[]>`
    UPDATE "MessageRecipient" rc SET "lastReconcileAt" = ${now}::timestamp(3)
      FROM (
        SELECT r.id, coalesce(m."sinchBatchId", ch."sinchBatchId") AS "batchId",
               coalesce(greatest(m."submittedAt", m."sendAt", r."statusAt", r."lastReconcileAt") <= ${cutoff}::timestamp(3), false) AS stuck
          FROM "MessageRecipient" r JOIN "Message" m ON m.id = r."messageId"
          LEFT JOIN "MessageChunk" ch ON ch."messageId" = r."messageId" AND ch.index = r."chunkIndex"
         WHERE r."messageId" = ${messageId} AND r."statusRank" < ${FINAL_RANK}
           AND m."submitState" = 'SUBMITTED' AND coalesce(m."sinchBatchId", ch."sinchBatchId") IS NOT NULL
           AND m.channel = 'SMS'
         ORDER BY r.id
           FOR UPDATE OF r SKIP LOCKED
      ) c
     WHERE rc.id = c.id
    RETURNING rc.id, rc."messageId", c."batchId", rc."phoneNumber", rc.status, rc.code, rc."reconcileAttempts", c.stuck AS counts`
}

/** Sinch answered the check (with a report or with "none"): it counts as an attempt. */
type CheckOutcome = { answered: boolean; error?: string }

const digits = (phone: string) => phone.replace(/\D/g, '')

/** Asks Sinch about the claimed recipients of one batch and records what it says. */
async function checkBatch(
  client: SinchSmsClient,
  batchId: string,
  recipients: Claimed[]
): Promise<Map<number, CheckOutcome>> {
  const outcomes = new Map<number, CheckOutcome>()
  let full: BatchDeliveryReport | null = null
  try {
    full = await client.getBatchDeliveryReport(batchId, { type: 'full' })
  } catch (error) {
    if (error instanceof SinchApiError && error.status === 404) {
      // Sinch has no report for the batch at all: an answer, with nothing in it.
      for (const r of recipients) outcomes.set(r.id, { answered: true })
      return outcomes
    }
    if (!isSinchError(error)) throw error
    for (const r of recipients) outcomes.set(r.id, { answered: false, error: error.message })
    return outcomes
  }
  const bucketOf = new Map<string, { status: string; code: number }>()
  for (const bucket of full?.statuses ?? []) {
    for (const msisdn of bucket.recipients ?? [])
      bucketOf.set(digits(msisdn), { status: bucket.status, code: bucket.code })
  }

  for (const r of recipients) {
    const bucket = bucketOf.get(digits(r.phoneNumber))
    // The batch report has no event time; only the per-recipient report does,
    // and the dedupe key needs it. Ask only where something may have moved.
    if (bucket && bucket.status === r.status && bucket.code === r.code) {
      outcomes.set(r.id, { answered: true })
      continue
    }
    try {
      const report = await client.getRecipientDeliveryReport(batchId, r.phoneNumber)
      const parsed = recipientReportSchema.safeParse({
        ...report,
        type: report.type ?? 'recipient_delivery_report_sms',
      })
      if (!parsed.success) {
        outcomes.set(r.id, {
          answered: true,
          error: `Sinch's report for ${r.phoneNumber} is malformed: ${parsed.error.issues[0]?.message}`,
        })
        continue
      }
      await recordReport(db, recipientReportRow(parsed.data, 'FETCHED', null))
      outcomes.set(r.id, { answered: true })
    } catch (error) {
      if (error instanceof SinchApiError && error.status === 404) {
        outcomes.set(r.id, { answered: true })
      } else if (isSinchError(error)) {
        outcomes.set(r.id, { answered: false, error: error.message })
      } else {
        throw error
      }
    }
  }
  return outcomes
}

export function giveUpReason(checks: number, lastStatus: string, lastCode: number | null): string {
  const last =
    lastStatus === 'Pending'
      ? 'no report at all'
      : `last status ${lastStatus}${lastCode === null ? '' : ` ${lastCode}`}`
  return `No delivery report from the operator after ${checks} check${checks === 1 ? '' : 's'} with Sinch (${last})`
}

/** Ends a recipient Unknown, as a FETCHED report row (so its timeline explains it) and a reason on it. */
async function giveUp(r: Claimed & { status: string; code: number | null }, checks: number, now: Date) {
  const reason = giveUpReason(checks, r.status, r.code)
  const recipient = r.phoneNumber.replace(/^\+/, '')
  const row: ReportRow = {
    dedupeKey: `reconcile:${r.batchId}:${r.phoneNumber}:Unknown`,
    batchId: r.batchId,
    phoneNumber: r.phoneNumber,
    clientReference: r.messageId,
    status: 'Unknown',
    code: null,
    reason,
    at: now,
    timeSource: 'REPORTED',
    rawPayload: {
      type: 'reconciliation',
      batch_id: r.batchId,
      recipient,
      status: 'Unknown',
      at: now.toISOString(),
      checks,
      last_status: r.status,
      last_code: r.code,
      reason,
    },
    source: 'FETCHED',
    callbackEventId: null,
  }
  await db.$transaction(async (tx) => {
    await recordReport(tx, row)
    // Only if the Unknown is what the recipient now shows (a final report may have won meanwhile).
    await tx.$executeRaw`
      UPDATE "MessageRecipient" SET "statusReason" = ${reason}
       WHERE id = ${r.id} AND status = 'Unknown' AND "statusAt" = ${now}::timestamp(3)`
  })
}

/**
 * Checks claimed recipients with Sinch, counts attempts, gives up where due,
 * then announces their messages (the claim, the fetched reports, the attempts
 * and any Unknown): one live notification per round, sent even when a check
 * failed half way, since what was written before is committed.
 */
async function checkClaimed(claimed: Claimed[], s: ReturnType<typeof settings>): Promise<ReconcileSummary> {
  if (claimed.length === 0) return empty()
  try {
    return await checkClaimedWithSinch(claimed, s)
  } finally {
    await notifyLive(db, { messageIds: claimed.map((r) => r.messageId) }).catch((error) =>
      logger.warn({ err: error }, 'reconciliation: could not announce the checked messages')
    )
  }
}

async function checkClaimedWithSinch(claimed: Claimed[], s: ReturnType<typeof settings>): Promise<ReconcileSummary> {
  const summary = empty()
  summary.checked = claimed.length
  const byBatch = new Map<string, Claimed[]>()
  for (const r of claimed) byBatch.set(r.batchId, [...(byBatch.get(r.batchId) ?? []), r])

  const outcomes = new Map<number, CheckOutcome>()
  for (const [batchId, recipients] of byBatch) {
    try {
      for (const [id, o] of await checkBatch(s.client, batchId, recipients)) outcomes.set(id, o)
    } catch (error) {
      logger.error({ err: error, batchId }, 'reconciliation: checking a batch failed')
      for (const r of recipients) outcomes.set(r.id, { answered: false, error: (error as Error).message })
    }
  }

  const counted = claimed.filter((r) => r.counts && outcomes.get(r.id)?.answered).map((r) => r.id)
  if (counted.length > 0) {
    await db.$executeRaw`UPDATE "MessageRecipient" SET "reconcileAttempts" = "reconcileAttempts" + 1 WHERE id = ANY(${counted}::int[])`
  }

  const after = await db.messageRecipient.findMany({
    where: { id: { in: claimed.map((r) => r.id) } },
    select: { id: true, status: true, code: true, statusRank: true, reconcileAttempts: true },
  })
  const afterById = new Map(after.map((a) => [a.id, a]))
  for (const r of claimed) {
    const current = afterById.get(r.id)
    const outcome = outcomes.get(r.id)
    if (outcome?.error) {
      if (!outcome.answered) summary.failed++
      if (summary.errors.length < 10 && !summary.errors.includes(outcome.error)) summary.errors.push(outcome.error)
    }
    if (!current) continue
    if (current.statusRank < FINAL_RANK && counted.includes(r.id) && current.reconcileAttempts >= s.maxAttempts) {
      await giveUp({ ...r, status: current.status, code: current.code }, current.reconcileAttempts, s.now)
      summary.gaveUp++
      summary.changed++
    } else if (current.status !== r.status || current.code !== r.code) {
      summary.changed++
    }
  }
  return summary
}

function add(total: ReconcileSummary, part: ReconcileSummary) {
  total.checked += part.checked
  total.changed += part.changed
  total.gaveUp += part.gaveUp
  total.failed += part.failed
  for (const e of part.errors) if (total.errors.length < 10 && !total.errors.includes(e)) total.errors.push(e)
}

/**
 * One pass over every stuck recipient, in rounds of `limit`. Several runners
 * (api instances, `yarn rw exec reconcile`) may run at once: each recipient
 * is claimed by exactly one of them.
 */
export async function reconcileStuck(options: ReconcileOptions = {}): Promise<ReconcileSummary> {
  const s = settings(options)
  const cutoff = new Date(s.now.getTime() - s.afterMs)
  const total = empty()
  for (let round = 0; round < 50; round++) {
    const claimed = await claimStuck(s.now, cutoff, s.maxAttempts, s.limit)
    if (claimed.length === 0) break
    add(total, await checkClaimed(claimed, s))
    if (claimed.length < s.limit) break
  }
  countReconcileOutcomes(total)
  if (total.checked > 0) logger.info({ ...total }, 'reconciliation: checked stuck recipients with Sinch')
  return total
}

/**
 * Checks one message's non-final recipients now, whatever their age. A check
 * counts towards giving up only for a recipient that was already stuck, so
 * pressing the button on a fresh message never ends anyone Unknown.
 */
export async function reconcileMessageNow(
  messageId: string,
  options: ReconcileOptions = {},
  /** Runs in the transaction that claims the recipients (staff checks audit themselves there). */
  onClaimed?: (tx: Prisma.TransactionClient, claimed: Claimed[]) => Promise<unknown>
): Promise<ReconcileSummary> {
  const s = settings(options)
  const claimed = await db.$transaction(async (tx) => {
    const rows = await claimMessage(tx, messageId, s.now, new Date(s.now.getTime() - s.afterMs))
    await onClaimed?.(tx, rows)
    return rows
  })
  const summary = await checkClaimed(claimed, s)
  countReconcileOutcomes(summary)
  logger.info({ messageId, ...summary }, 'reconciliation: checked a message with Sinch on demand')
  return summary
}

export const reconcileMessage: MutationResolvers['reconcileMessage'] = async ({ id }) => {
  requireAuth({ roles: [...ROLES_THAT.send] })
  const message = await db.message.findUnique({ where: { id }, select: { submitState: true, channel: true } })
  if (!message) throw new UserInputError(`No message ${id}.`)
  if (message.channel !== 'SMS')
    throw new UserInputError('Only SMS messages can be checked with Sinch’s delivery report API.')
  if (message.submitState !== 'SUBMITTED')
    throw new UserInputError('Sinch has not accepted this message: there is nothing to check yet.')
  // The staff action is the claim (the recipients it stamps to be checked now): audited in its transaction.
  // What Sinch then reports is recorded like any callback, in the recipients' timelines (source FETCHED).
  const summary = await reconcileMessageNow(id, {}, (tx, claimed) =>
    recordAudit(tx, {
      action: 'message_checked',
      targetType: 'message',
      targetId: id,
      details: { recipients: claimed.length },
    })
  )
  return { messageId: id, ...summary }
}

let loop: BackgroundTask | undefined

/**
 * Starts the periodic pass in this process (api/src/server.ts) on the api's
 * background runner (src/lib/backgroundTask). The claim in the database is
 * what keeps instances apart; the runner only stops one slow pass in this
 * process from overlapping the next.
 */
export function startReconcileLoop(): () => void {
  const { intervalMs, afterMs, maxAttempts } = config().reconcile
  if (intervalMs <= 0 || loop) return stopReconcileLoop
  loop = startBackgroundTask('reconciliation', intervalMs, () => reconcileStuck(), {
    afterMinutes: afterMs / 60_000,
    maxAttempts,
  })
  return stopReconcileLoop
}

export function stopReconcileLoop() {
  loop?.stop()
  loop = undefined
}
