import { csvRow } from 'src/lib/csv'
import { db } from 'src/lib/db'
import { codeMeaning, isFinalStatus } from 'src/lib/deliveryStatus'

export const EXPORT_COLUMNS = [
  'message_id',
  'sinch_batch_id',
  'recipient',
  'latest_status',
  'latest_code',
  'report_status',
  'report_code',
  'report_meaning',
  'reason',
  'event_at',
  'operator_status_at',
  'received_at',
  'source',
]

const PAGE = 1000

/**
 * A message's per-recipient delivery history as CSV: one row per report,
 * in event order per recipient; a recipient without reports gets one row.
 * Returns null when there is no such message.
 */
export async function exportMessageCsv(messageId: string): Promise<{ filename: string; csv: string } | null> {
  const message = await db.message.findUnique({ where: { id: messageId }, select: { id: true, sinchBatchId: true } })
  if (!message) return null

  const chunks: string[] = [csvRow(EXPORT_COLUMNS)]
  let cursor: number | undefined
  for (;;) {
    const recipients = await db.messageRecipient.findMany({
      where: { messageId, ...(cursor ? { id: { gt: cursor } } : {}) },
      orderBy: { id: 'asc' },
      take: PAGE,
      include: { updates: { orderBy: [{ at: 'asc' }, { receivedAt: 'asc' }, { id: 'asc' }] } },
    })
    for (const r of recipients) {
      const latest = [message.id, message.sinchBatchId, r.phoneNumber, r.status, r.code]
      if (r.updates.length === 0) chunks.push(csvRow([...latest, '', '', '', '', '', '', '', '']))
      for (const u of r.updates) {
        chunks.push(
          csvRow([
            ...latest,
            u.status,
            u.code,
            codeMeaning(u.code) ?? (isFinalStatus(u.status) ? 'final' : ''),
            u.reason,
            u.at,
            u.operatorStatusAt,
            u.receivedAt,
            u.source.toLowerCase(),
          ])
        )
      }
    }
    if (recipients.length < PAGE) break
    cursor = recipients[recipients.length - 1].id
  }
  return { filename: `message-${message.id}-delivery.csv`, csv: chunks.join('') }
}
