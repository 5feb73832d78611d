/**
 * Background submission of chunked sends (README "Audience sends").
 *
 * Every chunk is a stored row (MessageChunk) with its own client_reference
 * before anything is submitted. A pass claims due chunks with one
 * `UPDATE … FROM (SELECT … FOR UPDATE SKIP LOCKED)`, so two api instances
 * never hold the same chunk; a claim older than SEND_CHUNK_LEASE_SECONDS is
 * taken over (its submitter died). A chunk whose earlier attempt may have
 * reached Sinch (timeout, 5xx, a claim taken over) is first looked up by its
 * client_reference, and an existing batch is adopted instead of sending a
 * second one: the same rule as a single send's retry. A 429 puts the chunk
 * back for what Retry-After says (else a doubling backoff) without counting
 * as an attempt; other answers Sinch may change its mind about are retried
 * up to SEND_CHUNK_MAX_ATTEMPTS; a refusal fails the chunk and its message.
 */
import type { Prisma } from '@prisma/client'

import { startBackgroundTask, type BackgroundTask } from 'src/lib/backgroundTask'
import { callbackUrlWithToken } from 'src/lib/callbackAuth'
import { config } from 'src/lib/config'
import { db, pool } from 'src/lib/db'
import { notifyLive } from 'src/lib/live/notifyLive'
import { logger } from 'src/lib/logger'
import { chunkRetryDelayMs } from 'src/lib/sendChunks'
import { sinchSmsClient } from 'src/lib/sinch/client'
import { isSinchError, SinchApiError } from 'src/lib/sinch/errors'
import type { BatchParameters, SendBatchRequest } from 'src/lib/sinch/types'
import { toSinchBody } from 'src/lib/smsTemplate'
import { attachWaitingReports } from 'src/services/smsStatus/attach'
import { lockBatch } from 'src/services/smsStatus/recordReport'

/** How far before the chunk's row the lookup of its batch starts (clocks differ). */
const LOOKUP_CLOCK_SKEW_MS = 10 * 60_000

type ClaimedChunk = {
  id: number
  messageId: string
  index: number
  clientReference: string
  attempts: number
  outcomeUnknown: boolean
  createdAt: Date
}

/** Claims up to `limit` chunks that are due (and any whose claim has expired). */
export async function claimChunks(limit: number, leaseMs = config().send.leaseMs): Promise<ClaimedChunk[]> {
  const staleBefore = new Date(Date.now() - leaseMs)
  return db.$queryRaw<ClaimedChunk[]>`
    UPDATE "MessageChunk" c
       SET state = 'SUBMITTING', "claimedAt" = now(),
           -- taken over from a submitter that died: it may have reached Sinch
           "outcomeUnknown" = c."outcomeUnknown" OR c.state = 'SUBMITTING'
      FROM (SELECT ch.id FROM "MessageChunk" ch
             WHERE ((ch.state = 'PENDING' AND ch."nextAttemptAt" <= now())
                    OR (ch.state = 'SUBMITTING' AND ch."claimedAt" < ${staleBefore}))
               -- a chunk put back (429) while its message was being cancelled stays unsent
               AND NOT EXISTS (SELECT 1 FROM "Message" m WHERE m.id = ch."messageId" AND m."cancelledAt" IS NOT NULL)
             ORDER BY ch.id
             LIMIT ${limit}
             FOR UPDATE SKIP LOCKED) pick
     WHERE c.id = pick.id
    RETURNING c.id, c."messageId", c.index, c."clientReference", c.attempts, c."outcomeUnknown", c."createdAt"`
}

/**
 * Submits every chunk that is due, `SEND_CHUNK_CONCURRENCY` at a time, until
 * none is left. Returns how many chunks it handled.
 */
export async function submitDueChunks(options: { concurrency?: number } = {}): Promise<number> {
  const concurrency = options.concurrency ?? config().send.concurrency
  let handled = 0
  const workers = Array.from({ length: concurrency }, async () => {
    for (;;) {
      const [chunk] = await claimChunks(1)
      if (!chunk) return
      handled++
      await submitChunk(chunk)
    }
  })
  await Promise.all(workers)
  return handled
}

async function chunkRequest(chunk: ClaimedChunk): Promise<SendBatchRequest> {
  const message = await db.message.findUniqueOrThrow({
    where: { id: chunk.messageId },
    select: { body: true, sender: true, parameterNames: true, parameterDefaults: true, sendAt: true, expireAt: true },
  })
  // Straight through pg (the pool Prisma uses): 1,000 rows a chunk, four chunks at a time, through Prisma's
  // engine cost several times the memory (bench/audienceSend.ts).
  const { rows: recipients } = await pool.query<{ phoneNumber: string; parameters: Record<string, string> | null }>(
    `SELECT "phoneNumber", parameters FROM "MessageRecipient" WHERE "messageId" = $1 AND "chunkIndex" = $2 ORDER BY id`,
    [chunk.messageId, chunk.index]
  )
  const { sinch } = config()
  let parameters: BatchParameters | undefined
  if (message.parameterNames.length > 0) {
    parameters = {}
    const defaults = (message.parameterDefaults ?? {}) as Record<string, string>
    for (const name of message.parameterNames) {
      const values: Record<string, string> = {}
      for (const r of recipients) {
        const v = r.parameters?.[name]
        if (v !== undefined) values[r.phoneNumber] = v
      }
      if (defaults[name] !== undefined) values.default = defaults[name]
      parameters[name] = values
    }
  }
  const now = Date.now()
  return {
    to: recipients.map((r) => r.phoneNumber),
    body: message.parameterNames.length > 0 ? toSinchBody(message.body) : message.body,
    ...(message.sender ? { from: message.sender } : {}),
    delivery_report: sinch.deliveryReport,
    callback_url: callbackUrlWithToken(config().callbacks),
    client_reference: chunk.clientReference,
    ...(parameters ? { parameters } : {}),
    ...(message.sendAt && message.sendAt.getTime() > now ? { send_at: message.sendAt.toISOString() } : {}),
    ...(message.expireAt ? { expire_at: message.expireAt.toISOString() } : {}),
  }
}

export async function submitChunk(chunk: ClaimedChunk): Promise<void> {
  const { sinch, send } = config()
  const client = sinchSmsClient(sinch)
  const log = logger.child({ messageId: chunk.messageId, chunk: chunk.index })
  try {
    if (chunk.outcomeUnknown) {
      const since = new Date(chunk.createdAt.getTime() - LOOKUP_CLOCK_SKEW_MS)
      const existing = await client.findBatchByClientReference(chunk.clientReference, since)
      if (existing) {
        log.info({ batchId: existing.id }, 'found the batch of an earlier attempt of this chunk; not sending again')
        await recordChunkSubmitted(chunk, existing.id, new Date(existing.created_at))
        return
      }
    }
    // From here until the answer is recorded, the outcome is unknown: if this
    // process dies, whoever takes the chunk over looks it up first.
    const request = await chunkRequest(chunk)
    await db.messageChunk.update({
      where: { id: chunk.id },
      data: { attempts: { increment: 1 }, outcomeUnknown: true },
    })
    const batch = await client.sendBatch(request)
    await recordChunkSubmitted(chunk, batch.id, new Date())
    log.info({ batchId: batch.id, recipients: request.to.length }, 'chunk submitted to Sinch')
  } catch (error) {
    if (!isSinchError(error)) {
      // Our own failure (database): the claim expires and the chunk is taken over.
      log.error({ err: error }, 'submitting a chunk failed; it will be taken over when its claim expires')
      return
    }
    await recordChunkRefused(chunk, error, send.maxAttempts)
  }
}

async function recordChunkRefused(chunk: ClaimedChunk, error: Error, maxAttempts: number) {
  const log = logger.child({ messageId: chunk.messageId, chunk: chunk.index })
  const current = await db.messageChunk.findUniqueOrThrow({ where: { id: chunk.id }, select: { attempts: true } })
  const api = error instanceof SinchApiError ? error : null
  if (api?.status === 429) {
    // Not accepted (docs/sinch-protocol.md#rate-limits): back off, it does not count as an attempt.
    const delay = chunkRetryDelayMs(current.attempts, api.retryAfterMs)
    log.warn({ retryInMs: delay }, 'Sinch is rate-limiting (429); the chunk waits')
    await putBack(chunk, {
      state: 'PENDING',
      attempts: { decrement: 1 },
      outcomeUnknown: chunk.outcomeUnknown,
      nextAttemptAt: new Date(Date.now() + delay),
      error: error.message,
    })
    return
  }
  const retryable = !api || api.retryable
  if (retryable && current.attempts < maxAttempts) {
    const delay = chunkRetryDelayMs(current.attempts, api?.retryAfterMs)
    log.warn({ err: { message: error.message }, retryInMs: delay }, 'Sinch did not take the chunk; trying again')
    await putBack(chunk, { state: 'PENDING', nextAttemptAt: new Date(Date.now() + delay), error: error.message })
    return
  }
  log.warn({ err: { message: error.message } }, 'Sinch did not accept the chunk')
  await db.$transaction(async (tx) => {
    // A refusal (4xx) is a definite answer; an unanswered attempt stays unknown.
    await tx.messageChunk.update({
      where: { id: chunk.id },
      data: { state: 'FAILED', error: error.message, outcomeUnknown: retryable },
    })
    await tx.message.update({
      where: { id: chunk.messageId },
      data: { submitState: 'FAILED', submitError: `Chunk ${chunk.index + 1}: ${error.message}` },
    })
    await notifyLive(tx, { messageIds: [chunk.messageId] })
  })
}

/** A chunk waits for another try; the message page shows Sinch's last answer ("429 …"), so it is announced. */
function putBack(chunk: ClaimedChunk, data: Prisma.MessageChunkUpdateInput) {
  return db.$transaction(async (tx) => {
    await tx.messageChunk.update({ where: { id: chunk.id }, data })
    await notifyLive(tx, { messageIds: [chunk.messageId] })
  })
}

/**
 * Records the batch Sinch gave a chunk and attaches reports that raced it
 * (same per-batch lock as recordReport). The message row is locked FOR
 * UPDATE, which orders this against a cancellation (it came first: this
 * batch is cancelled at Sinch right away; it comes after: it finds the chunk
 * SUBMITTED) and against the recording of the message's other chunks, so
 * that the last one sees all the others and marks the message SUBMITTED.
 */
async function recordChunkSubmitted(chunk: ClaimedChunk, batchId: string, submittedAt: Date) {
  const { cancelled } = await db.$transaction(async (tx) => {
    await lockBatch(tx, batchId)
    const [message] = await tx.$queryRaw<{ cancelledAt: Date | null }[]>`
      SELECT "cancelledAt" FROM "Message" WHERE id = ${chunk.messageId} FOR UPDATE`
    await tx.messageChunk.update({
      where: { id: chunk.id },
      data: {
        state: message?.cancelledAt ? 'CANCELLED' : 'SUBMITTED',
        sinchBatchId: batchId,
        submittedAt,
        outcomeUnknown: false,
        error: null,
      },
    })
    const attached = await attachWaitingReports(tx, chunk.messageId, batchId)
    // The message is submitted once its last chunk is.
    await tx.$executeRaw`
      UPDATE "Message" SET "submitState" = 'SUBMITTED', "submittedAt" = ${submittedAt}, "submitError" = NULL,
             "updatedAt" = now()
       WHERE id = ${chunk.messageId} AND "cancelledAt" IS NULL
         AND NOT EXISTS (SELECT 1 FROM "MessageChunk" WHERE "messageId" = ${chunk.messageId} AND state <> 'SUBMITTED')`
    await notifyLive(tx, { messageIds: [chunk.messageId], callbacks: attached > 0 })
    return { cancelled: Boolean(message?.cancelledAt) }
  })
  if (cancelled) await cancelChunkAtSinch(chunk.messageId, batchId)
}

/** DELETE /batches/{id}; a failure is logged (the recipients are Cancelled on our side either way). */
export async function cancelChunkAtSinch(messageId: string, batchId: string): Promise<string | null> {
  try {
    await sinchSmsClient(config().sinch).cancelBatch(batchId)
    logger.info({ messageId, batchId }, 'chunk cancelled at Sinch')
    return null
  } catch (error) {
    if (!isSinchError(error)) throw error
    logger.warn({ messageId, batchId, err: { message: error.message } }, 'Sinch did not cancel a chunk')
    return error.message
  }
}

let loop: BackgroundTask | undefined

/** Starts this instance's submitter (api/src/server.ts); runs every SEND_CHUNK_POLL_MS. */
export function startChunkSubmitter(): BackgroundTask {
  loop ??= startBackgroundTask('chunk submission', config().send.pollMs, () => submitDueChunks(), {
    concurrency: config().send.concurrency,
  })
  return loop
}

/** Right after a send or a retry: submit now rather than at the next tick (no-op where no loop runs, e.g. tests). */
export function kickChunkSubmitter(): void {
  if (loop) void loop.runNow()
}
