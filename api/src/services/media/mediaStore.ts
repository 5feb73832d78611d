/**
 * Our copies of media files, in Postgres (README "Media" says why bytea):
 * queueing what a reply carries, the fetch queue shared by every api
 * instance (claimed with FOR UPDATE SKIP LOCKED, with a lease so a crashed
 * instance's claim comes back), and reading a stored file.
 */
import crypto from 'node:crypto'

import type { Prisma } from '@prisma/client'

import { config } from 'src/lib/config'
import type { DeclaredMedia } from 'src/lib/conversationContent'
import { db } from 'src/lib/db'
import { mediaKind } from 'src/lib/mediaTypes'
import { newMediaKey, signedMediaUrl } from 'src/lib/mediaUrl'

type Tx = Prisma.TransactionClient

/** How long a claimed file belongs to the instance fetching it; after that another may take it. */
export const FETCH_LEASE_MS = 5 * 60_000

/** Queues the files of a newly stored reply, in the transaction that stores it. */
export async function queueInboundMedia(tx: Tx, inboundMessageId: number, media: DeclaredMedia[], now = new Date()) {
  await tx.mediaFile.createMany({
    data: media.map((m, position) => ({
      key: newMediaKey(),
      direction: 'INBOUND' as const,
      inboundMessageId,
      position,
      sourceUrl: m.url,
      declaredMimeType: m.mimeType ?? null,
      fileName: m.fileName ?? null,
      ...(m.problem
        ? { state: 'FAILED' as const, failureReason: m.problem, nextAttemptAt: null }
        : { state: 'PENDING' as const, nextAttemptAt: now }),
    })),
  })
}

export type ClaimedMedia = {
  id: number
  sourceUrl: string
  declaredMimeType: string | null
  fileName: string | null
  attempts: number
}

/**
 * Claims up to `limit` files due for fetching: PENDING ones whose time has
 * come, and FETCHING ones whose lease ran out (their instance died). Rows
 * another instance holds are skipped, not waited for. The claim is the
 * lease: nextAttemptAt moves to now + FETCH_LEASE_MS.
 */
export async function claimDueMedia(limit: number, now = new Date()): Promise<ClaimedMedia[]> {
  const leaseUntil = new Date(now.getTime() + FETCH_LEASE_MS)
  return db.$queryRaw<ClaimedMedia[]>`
    UPDATE "MediaFile" m
       SET state = 'FETCHING', attempts = m.attempts + 1, "nextAttemptAt" = ${leaseUntil}
      FROM (SELECT id FROM "MediaFile"
             WHERE state IN ('PENDING', 'FETCHING') AND "nextAttemptAt" <= ${now}
             ORDER BY "nextAttemptAt", id
             LIMIT ${limit}
             FOR UPDATE SKIP LOCKED) due
     WHERE m.id = due.id
 RETURNING m.id, m."sourceUrl", m."declaredMimeType", m."fileName", m.attempts`
}

/**
 * Records a fetched file. Only the claim that is still current may finish it
 * (same attempt, still FETCHING): a claim whose lease was taken over by
 * another instance writes nothing.
 */
export async function recordFetched(
  claim: ClaimedMedia,
  file: { bytes: Buffer; mimeType: string },
  now = new Date()
): Promise<boolean> {
  return db.$transaction(async (tx) => {
    const updated = await tx.mediaFile.updateMany({
      where: { id: claim.id, state: 'FETCHING', attempts: claim.attempts },
      data: {
        state: 'STORED',
        mimeType: file.mimeType,
        sizeBytes: file.bytes.length,
        sha256: crypto.createHash('sha256').update(file.bytes).digest('hex'),
        storedAt: now,
        nextAttemptAt: null,
        failureReason: null,
      },
    })
    if (updated.count === 0) return false
    await tx.mediaContent.create({ data: { mediaFileId: claim.id, bytes: file.bytes } })
    return true
  })
}

/**
 * Records a failed attempt: retried after fetchRetryMs × 2^(attempt-1)
 * while attempts are left and trying again can help, else FAILED with why.
 */
export async function recordFetchFailure(
  claim: ClaimedMedia,
  failure: { retry: boolean; reason: string },
  now = new Date()
): Promise<'retry' | 'failed' | 'stale'> {
  const { fetchMaxAttempts, fetchRetryMs } = config().media
  const again = failure.retry && claim.attempts < fetchMaxAttempts
  const reason = again
    ? `attempt ${claim.attempts} of ${fetchMaxAttempts} failed: ${failure.reason}`
    : failure.retry
      ? `gave up after ${claim.attempts} attempts: ${failure.reason}`
      : failure.reason
  const updated = await db.mediaFile.updateMany({
    where: { id: claim.id, state: 'FETCHING', attempts: claim.attempts },
    data: again
      ? {
          state: 'PENDING',
          nextAttemptAt: new Date(now.getTime() + fetchRetryMs * 2 ** (claim.attempts - 1)),
          failureReason: reason.slice(0, 500),
        }
      : { state: 'FAILED', nextAttemptAt: null, failureReason: reason.slice(0, 500) },
  })
  return updated.count === 0 ? 'stale' : again ? 'retry' : 'failed'
}

export type StoredMedia = { key: string; mimeType: string; fileName: string | null; bytes: Buffer }

/** A stored file by its key, or null (unknown, not fetched, failed or pruned). */
export async function readStoredMedia(
  key: string,
  where: Prisma.MediaFileWhereInput = {}
): Promise<StoredMedia | null> {
  const file = await db.mediaFile.findFirst({
    where: { key, state: 'STORED', ...where },
    select: { key: true, mimeType: true, fileName: true, content: { select: { bytes: true } } },
  })
  if (!file?.content || !file.mimeType) return null
  return { key: file.key, mimeType: file.mimeType, fileName: file.fileName, bytes: Buffer.from(file.content.bytes) }
}

/** The link Sinch fetches an outbound file from: signed, valid for MEDIA_URL_TTL_SECONDS from now. */
export function outboundMediaUrl(key: string, now = new Date()): string {
  const { publicBaseUrl, urlSecret, urlTtlMs } = config().media
  return signedMediaUrl(publicBaseUrl, urlSecret, key, new Date(now.getTime() + urlTtlMs))
}

/**
 * A resend of a message with a file carries the file too: a copy, as each
 * message owns its file (retention and the signed link go by it). 'gone'
 * when the original's copy was already deleted by retention.
 */
export async function copyOutboundMedia(
  tx: Tx,
  fromMessageId: string,
  toMessageId: string
): Promise<'none' | 'copied' | 'gone'> {
  const file = await tx.mediaFile.findFirst({
    where: { messageId: fromMessageId, direction: 'OUTBOUND' },
    include: { content: true },
  })
  if (!file) return 'none'
  if (!file.content || file.state !== 'STORED') return 'gone'
  await tx.mediaFile.create({
    data: {
      key: newMediaKey(),
      direction: 'OUTBOUND',
      messageId: toMessageId,
      fileName: file.fileName,
      mimeType: file.mimeType,
      sizeBytes: file.sizeBytes,
      sha256: file.sha256,
      state: 'STORED',
      storedAt: new Date(),
      uploadedById: file.uploadedById,
      content: { create: { bytes: file.content.bytes } },
    },
  })
  return 'copied'
}

/** The template parameter that carries a header file: `header[1]image.link`, `…video.link` or `…document.link`. */
export function templateHeaderParameter(mimeType: string | null): string {
  const kind = mediaKind(mimeType)
  return `header[1]${kind === 'image' || kind === 'video' ? kind : 'document'}.link`
}
