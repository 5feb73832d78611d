import type { AuditAction } from 'src/lib/auditActions'

/**
 * How a send is audited (in the transaction that stores the message): a plain
 * send is `message_sent`; a send made for another action (a reply from a
 * conversation) names that action and adds its details.
 */
export type SendAudit = { action: AuditAction; details?: Record<string, string | number | boolean> }

export const PLAIN_SEND: SendAudit = { action: 'message_sent' }
