import type { CallbackEvent as CallbackEventRow } from '@prisma/client'
import type { CallbackEventRelationResolvers, MutationResolvers, QueryResolvers } from 'types/graphql'

import { UserInputError } from '@redwoodjs/graphql-server'

import { hasRole, requireAuth } from 'src/lib/auth'
import { classifyCallback, parseCallbackJson } from 'src/lib/callbackPayload'
import { db } from 'src/lib/db'
import { SMS_CODE_MEANINGS } from 'src/lib/deliveryStatus'
import { DELIVERY_STATUS_CATALOG } from 'src/lib/deliveryStatusCatalog'
import { pageSize } from 'src/lib/listArguments'
import { logger } from 'src/lib/logger'
import type { RowResolvers } from 'src/lib/resolverTypes'
import { ROLES_THAT } from 'src/lib/roles'
import { recordAudit } from 'src/services/audit/audit'
import { deliveryReportRows } from 'src/services/smsStatus/reportRows'
import { REPROCESSABLE_STATES, reprocessCallbackEvent, type ReprocessResult } from 'src/services/smsStatus/reprocess'

const MAX_PAGE = 100

export const callbackEvents: QueryResolvers['callbackEvents'] = async ({ cursor, take, verdict }) => {
  const size = pageSize(take, 25, MAX_PAGE)
  const items = await db.callbackEvent.findMany({
    where: {
      ...(verdict ? { verdict } : {}),
      ...(cursor ? { id: { lt: cursor } } : {}),
    },
    orderBy: { id: 'desc' },
    take: size + 1,
  })
  const page = items.slice(0, size)
  return { items: page, nextCursor: items.length > size ? page[page.length - 1].id : null }
}

/** The diagnostics log of callbacks refused for authentication (401), newest first. */
export const callbackRejections: QueryResolvers['callbackRejections'] = async ({ cursor, take }) => {
  requireAuth({ roles: [...ROLES_THAT.administer] })
  const size = pageSize(take, 25, MAX_PAGE)
  const items = await db.callbackRejection.findMany({
    where: cursor ? { id: { lt: cursor } } : {},
    orderBy: { id: 'desc' },
    take: size + 1,
  })
  const page = items.slice(0, size)
  return { items: page, nextCursor: items.length > size ? page[page.length - 1].id : null }
}

export const deliveryCodes: QueryResolvers['deliveryCodes'] = () =>
  Object.entries(SMS_CODE_MEANINGS).map(([code, { name, meaning }]) => ({ code: Number(code), name, meaning }))

export const deliveryStatuses: QueryResolvers['deliveryStatuses'] = () => [...DELIVERY_STATUS_CATALOG]

const toGraphql = (r: ReprocessResult) => ({ ...r, processingState: r.state })

// Re-processing runs in the recording path's own transactions
// (src/services/smsStatus/reprocess.ts); its audit event is written right after, with
// what it did.
export const reprocessCallback: MutationResolvers['reprocessCallback'] = async ({ id }) => {
  requireAuth({ roles: [...ROLES_THAT.administer] })
  const result = await reprocessCallbackEvent(id, auditReprocessed)
  if (!result) throw new UserInputError(`No callback ${id}.`)
  logger.info({ ...result }, 'callback re-processed by staff')
  return toGraphql(result)
}

/** One audit event per re-processed callback, in the transaction that records its outcome. */
const auditReprocessed = (tx: Parameters<typeof recordAudit>[0], result: ReprocessResult) =>
  recordAudit(tx, {
    action: 'callback_reprocessed',
    targetType: 'callbackEvent',
    targetId: result.callbackEventId,
    details: { state: result.state, stored: result.stored, attached: result.attached },
  })

/** At most this many per call: the button can be pressed again for the rest. */
const MAX_REPROCESS = 1000

export const reprocessCallbacks: MutationResolvers['reprocessCallbacks'] = async () => {
  requireAuth({ roles: [...ROLES_THAT.administer] })
  const events = await db.callbackEvent.findMany({
    where: { processingState: { in: REPROCESSABLE_STATES } },
    orderBy: { id: 'asc' },
    select: { id: true },
    take: MAX_REPROCESS,
  })
  const results: ReprocessResult[] = []
  for (const { id } of events) {
    const result = await reprocessCallbackEvent(id, auditReprocessed)
    if (result) results.push(result)
  }
  const count = (state: string) => results.filter((r) => r.state === state).length
  const summary = {
    total: results.length,
    processed: count('PROCESSED'),
    unmatched: count('UNMATCHED'),
    failed: count('FAILED'),
  }
  logger.info(summary, 'unmatched and failed callbacks re-processed by staff')
  return { ...summary, results: results.map(toGraphql) }
}

/** How many of a callback's reports its log row names. */
const REPORTS_SHOWN = 3

/**
 * The delivery reports a stored callback carried, read back from its raw body
 * (the same parsing that stored them) rather than through an index on the
 * reports' callback id, which every stored report would pay for on the hot path.
 */
async function callbackReports(event: { rawBody: string; receivedAt: Date }) {
  const parsed = parseCallbackJson(event.rawBody)
  if (!parsed.ok) return null
  const classified = classifyCallback(parsed.json)
  if (!classified.ok) return null
  const rows = deliveryReportRows(classified.callback, event.receivedAt)
  if (!rows) return null
  const items = await Promise.all(
    rows.slice(0, REPORTS_SHOWN).map(async (r) => {
      if (r.sinchMessageId) {
        // A Conversation report names Sinch's message id: the recipient has it.
        const recipient = await db.messageRecipient.findUnique({
          where: { sinchMessageId: r.sinchMessageId },
          select: { messageId: true, phoneNumber: true },
        })
        return {
          phoneNumber: r.phoneNumber || recipient?.phoneNumber || '',
          status: r.status,
          code: r.code,
          messageId: recipient?.messageId ?? null,
        }
      }
      const message = await db.message.findUnique({ where: { sinchBatchId: r.batchId }, select: { id: true } })
      return { phoneNumber: r.phoneNumber, status: r.status, code: r.code, messageId: message?.id ?? null }
    })
  )
  return { total: rows.length, items }
}

// Raw bodies and headers are admins' diagnostics; other roles read null.
export const CallbackEvent: RowResolvers<CallbackEventRow, CallbackEventRelationResolvers> = {
  reports: (_args, { root }) => callbackReports(root),
  rawBody: (_args, { root }) => (hasRole([...ROLES_THAT.administer]) ? (root.rawBody ?? null) : null),
  headers: (_args, { root }) => (hasRole([...ROLES_THAT.administer]) ? (root.headers ?? null) : null),
}
