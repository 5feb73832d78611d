/**
 * The audit log: an append-only record of staff actions (who, when, what),
 * read by admins on /audit and exported as CSV.
 *
 * recordAudit(tx, …) is called by every service that changes something, with
 * the transaction of the change itself, so the action and its record commit
 * or roll back together. Details carry ids and counts, never message bodies,
 * passwords or tokens.
 */
import type { Prisma } from '@prisma/client'
import type { APIGatewayProxyEvent } from 'aws-lambda'
import type pg from 'pg'
import type { QueryResolvers } from 'types/graphql'

import { UserInputError } from '@redwoodjs/graphql-server'

import { AUDIT_ACTIONS, isAuditAction, type AuditAction } from 'src/lib/auditActions'
import { requireAuth } from 'src/lib/auth'
import { csvRow } from 'src/lib/csv'
import { db } from 'src/lib/db'
import { pageSize } from 'src/lib/listArguments'
import { ROLES_THAT } from 'src/lib/roles'

type Tx = Prisma.TransactionClient | typeof db

export type AuditActor = { id: number | null; email: string } | null

export type AuditEntry = {
  action: AuditAction
  targetType?: string | null
  targetId?: string | number | null
  /** Ids and counts only. */
  details?: Record<string, string | number | boolean | null | string[] | number[]>
  /** Defaults to the signed-in staff user (context.currentUser). */
  actor?: AuditActor
  /** Defaults to the address of the request being served. */
  clientAddress?: string | null
}

/** The client address of the request being served (fastify's view, as Redwood passes it). */
export function clientAddressOf(event: Pick<APIGatewayProxyEvent, 'requestContext'> | undefined | null) {
  const ip = event?.requestContext?.identity?.sourceIp
  return typeof ip === 'string' && ip ? ip.slice(0, 64) : null
}

function currentActor(): AuditActor {
  const user = context.currentUser as { id?: unknown; email?: unknown } | undefined | null
  return typeof user?.id === 'number' && typeof user.email === 'string' ? { id: user.id, email: user.email } : null
}

/** The row an entry becomes. */
function auditRow(entry: AuditEntry) {
  const actor = entry.actor === undefined ? currentActor() : entry.actor
  const clientAddress =
    entry.clientAddress === undefined
      ? clientAddressOf((context as { event?: APIGatewayProxyEvent }).event)
      : entry.clientAddress
  return {
    action: entry.action,
    actorId: actor?.id ?? null,
    actorEmail: actor?.email?.slice(0, 320) ?? null,
    targetType: entry.targetType ?? null,
    targetId: entry.targetId === null || entry.targetId === undefined ? null : String(entry.targetId).slice(0, 200),
    details: entry.details ?? {},
    clientAddress,
  }
}

/** Appends one audit event, in the caller's transaction. */
export async function recordAudit(tx: Tx, entry: AuditEntry) {
  await tx.auditEvent.create({ data: auditRow(entry) })
}

/** recordAudit for a transaction on a plain pg connection (src/lib/db.ts, inTransaction). */
export async function recordAuditOn(client: pg.ClientBase, entry: AuditEntry) {
  const row = auditRow(entry)
  await client.query(
    // Stamped when written, in UTC as Prisma stores it (the column's default is the transaction's start).
    `INSERT INTO "AuditEvent" (action, "actorId", "actorEmail", "targetType", "targetId", details, "clientAddress", at)
     VALUES ($1, $2, $3, $4, $5, $6::jsonb, $7, clock_timestamp() AT TIME ZONE 'UTC')`,
    [
      row.action,
      row.actorId,
      row.actorEmail,
      row.targetType,
      row.targetId,
      JSON.stringify(row.details),
      row.clientAddress,
    ]
  )
}

// ---- Reading --------------------------------------------------------------

export const MAX_AUDIT_PAGE = 100
/** A CSV export holds at most this many rows (newest first); narrow the filter for more. */
export const MAX_AUDIT_EXPORT = 50_000

export type AuditFilter = {
  actorId?: number | null
  action?: string | null
  from?: Date | string | null
  to?: Date | string | null
}

function whereOf(filter: AuditFilter): Prisma.AuditEventWhereInput {
  if (filter.action && !isAuditAction(filter.action)) throw new UserInputError(`Unknown action "${filter.action}".`)
  const from = filter.from ? new Date(filter.from) : null
  const to = filter.to ? new Date(filter.to) : null
  if ((from && isNaN(from.getTime())) || (to && isNaN(to.getTime()))) throw new UserInputError('Invalid period.')
  if (from && to && from >= to) throw new UserInputError('The period must end after it starts.')
  return {
    ...(filter.actorId ? { actorId: filter.actorId } : {}),
    ...(filter.action ? { action: filter.action } : {}),
    ...(from || to ? { at: { ...(from ? { gte: from } : {}), ...(to ? { lt: to } : {}) } } : {}),
  }
}

export const auditEvents: QueryResolvers['auditEvents'] = async ({ cursor, take, actorId, action, from, to }) => {
  requireAuth({ roles: [...ROLES_THAT.administer] })
  const size = pageSize(take, 50, MAX_AUDIT_PAGE)
  const where = whereOf({ actorId, action, from, to })
  const [items, total] = await Promise.all([
    db.auditEvent.findMany({
      where: { ...where, ...(cursor ? { id: { lt: cursor } } : {}) },
      orderBy: { id: 'desc' },
      take: size + 1,
    }),
    db.auditEvent.count({ where }),
  ])
  const page = items.slice(0, size)
  return {
    items: page.map((e) => ({ ...e, actionLabel: labelOf(e.action) })),
    nextCursor: items.length > size ? page[page.length - 1].id : null,
    total,
  }
}

const labelOf = (action: string) => (isAuditAction(action) ? AUDIT_ACTIONS[action] : action)

export const auditActions: QueryResolvers['auditActions'] = () => {
  requireAuth({ roles: [...ROLES_THAT.administer] })
  return Object.entries(AUDIT_ACTIONS).map(([action, label]) => ({ action, label }))
}

export const AUDIT_CSV_COLUMNS = [
  'id',
  'at',
  'actor_id',
  'actor_email',
  'action',
  'action_label',
  'target_type',
  'target_id',
  'details',
  'client_address',
] as const

/**
 * The filtered audit log as CSV (newest first, at most MAX_AUDIT_EXPORT rows),
 * recorded itself as audit_exported. Cells a spreadsheet would read as a
 * formula are escaped (src/lib/csv.ts). The caller checks the admin role.
 */
export async function exportAuditCsv(filter: AuditFilter, actor: AuditActor, clientAddress: string | null) {
  const where = whereOf(filter)
  return db.$transaction(async (tx) => {
    const rows = await tx.auditEvent.findMany({ where, orderBy: { id: 'desc' }, take: MAX_AUDIT_EXPORT })
    await recordAudit(tx, {
      action: 'audit_exported',
      actor,
      clientAddress,
      details: {
        rows: rows.length,
        ...(filter.action ? { action: filter.action } : {}),
        ...(filter.actorId ? { actorId: filter.actorId } : {}),
      },
    })
    let csv = csvRow([...AUDIT_CSV_COLUMNS])
    for (const e of rows) {
      csv += csvRow([
        e.id,
        e.at,
        e.actorId,
        e.actorEmail,
        e.action,
        labelOf(e.action),
        e.targetType,
        e.targetId,
        JSON.stringify(e.details),
        e.clientAddress,
      ])
    }
    return { csv, rows: rows.length }
  })
}
