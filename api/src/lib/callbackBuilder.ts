/**
 * Realistic Sinch callback payloads, as Sinch would post them: used by
 * scripts/sendCallback.ts (`yarn send-callback`) and by the callback log's
 * "Send a test callback" (src/services/callbacks/testCallback.ts).
 *
 * Options (all strings, as the script's flags): kind (recipient_delivery_report_sms,
 * delivery_report_sms, mo_text, message_delivery_report, message), batch,
 * recipient, status, code, at, client-reference, to, body, app.
 */
import crypto from 'node:crypto'

export function buildCallbackPayload(a: Record<string, string | undefined>): Record<string, unknown> {
  const now = new Date().toISOString()
  const at = a.at ?? now
  const recipient = (a.recipient ?? '46701234567').replace(/^\+/, '')
  const status = a.status ?? 'Delivered'
  const code = Number(
    a.code ?? (status === 'Delivered' ? 0 : status === 'Dispatched' ? 401 : status === 'Queued' ? 400 : 402)
  )
  const ref = a['client-reference'] ? { client_reference: a['client-reference'] } : {}
  switch (a.kind ?? 'recipient_delivery_report_sms') {
    case 'recipient_delivery_report_sms':
      return {
        type: 'recipient_delivery_report_sms',
        batch_id: a.batch ?? 'TESTBATCH',
        recipient,
        code,
        status,
        at,
        operator_status_at: a['operator-status-at'] ?? at,
        ...ref,
      }
    case 'delivery_report_sms':
      return {
        type: 'delivery_report_sms',
        batch_id: a.batch ?? 'TESTBATCH',
        total_message_count: 1,
        statuses: [{ code, status, count: 1, recipients: [recipient] }],
        ...ref,
      }
    case 'mo_text':
      return {
        type: 'mo_text',
        id: crypto.randomUUID(),
        from: recipient,
        to: a.to ?? '12345',
        body: a.body ?? 'STOP',
        received_at: now,
        ...ref,
      }
    case 'message_delivery_report':
      return {
        app_id: a.app ?? 'APP',
        project_id: 'project',
        accepted_time: now,
        event_time: now,
        message_delivery_report: {
          message_id: a.batch ?? 'MESSAGEID',
          status: (a.status ?? 'DELIVERED').toUpperCase(),
          channel_identity: { channel: 'WHATSAPP', identity: recipient, app_id: '' },
          metadata: a['client-reference'] ?? '',
        },
      }
    case 'message':
      return {
        app_id: a.app ?? 'APP',
        project_id: 'project',
        accepted_time: now,
        event_time: now,
        message: {
          id: crypto.randomUUID(),
          direction: 'TO_APP',
          contact_message: { text_message: { text: a.body ?? 'Hi!' } },
          channel_identity: { channel: 'WHATSAPP', identity: recipient, app_id: '' },
          accept_time: now,
        },
      }
    default:
      throw new Error(`unknown --kind ${a.kind}`)
  }
}
