/**
 * Builds a realistic Sinch callback, signs it like Sinch and posts it — to try
 * the api locally or through an ngrok tunnel. Runs as `yarn send-callback …`
 * or as a Redwood script, `yarn rw exec sendCallback …`, with the same flags:
 *
 *   yarn send-callback --url https://<id>.ngrok-free.app/sinchCallbacks \
 *     --kind recipient_delivery_report_sms --batch 01J… --recipient 46701234567 \
 *     --status Delivered --code 0 [--client-reference msg_id] [--secret s] [--repeat 2]
 *
 * Kinds: recipient_delivery_report_sms, delivery_report_sms, mo_text,
 * message_delivery_report, message. The secret defaults to the first of
 * SINCH_CALLBACK_SECRETS, else the sandbox secret.
 */
import crypto from 'node:crypto'

import { SANDBOX_CALLBACK_SECRET, parseSecrets } from '../api/src/lib/config'
import { signSinchCallback } from '../api/src/lib/sinchSignature'

import { loadEnvFiles } from './lib/processes'

function args(): Record<string, string> {
  const out: Record<string, string> = {}
  const argv = process.argv.slice(2)
  for (let i = 0; i < argv.length; i++) {
    if (!argv[i].startsWith('--')) continue
    out[argv[i].slice(2)] = argv[i + 1] && !argv[i + 1].startsWith('--') ? argv[++i] : 'true'
  }
  return out
}

function payload(a: Record<string, string>): Record<string, unknown> {
  const now = new Date().toISOString()
  const recipient = (a.recipient ?? '46701234567').replace(/^\+/, '')
  const status = a.status ?? 'Delivered'
  const code = Number(a.code ?? (status === 'Delivered' ? 0 : status === 'Dispatched' ? 401 : status === 'Queued' ? 400 : 402))
  const ref = a['client-reference'] ? { client_reference: a['client-reference'] } : {}
  switch (a.kind ?? 'recipient_delivery_report_sms') {
    case 'recipient_delivery_report_sms':
      return { type: 'recipient_delivery_report_sms', batch_id: a.batch ?? 'TESTBATCH', recipient, code, status, at: now, operator_status_at: now, ...ref }
    case 'delivery_report_sms':
      return { type: 'delivery_report_sms', batch_id: a.batch ?? 'TESTBATCH', total_message_count: 1, statuses: [{ code, status, count: 1, recipients: [recipient] }], ...ref }
    case 'mo_text':
      return { type: 'mo_text', id: crypto.randomUUID(), from: recipient, to: a.to ?? '12345', body: a.body ?? 'STOP', received_at: now, ...ref }
    case 'message_delivery_report':
      return {
        app_id: a.app ?? 'APP', project_id: 'project', accepted_time: now, event_time: now,
        message_delivery_report: { message_id: a.batch ?? 'MESSAGEID', status: (a.status ?? 'DELIVERED').toUpperCase(), channel_identity: { channel: 'WHATSAPP', identity: recipient, app_id: '' }, metadata: a['client-reference'] ?? '' },
      }
    case 'message':
      return {
        app_id: a.app ?? 'APP', project_id: 'project', accepted_time: now, event_time: now,
        message: { id: crypto.randomUUID(), direction: 'TO_APP', contact_message: { text_message: { text: a.body ?? 'Hi!' } }, channel_identity: { channel: 'WHATSAPP', identity: recipient, app_id: '' }, accept_time: now },
      }
    default:
      throw new Error(`unknown --kind ${a.kind}`)
  }
}

/** Posts the callback; resolves to false when any answer was not 2xx. */
export async function sendCallback(a: Record<string, string>): Promise<boolean> {
  const url = a.url ?? process.env.SINCH_CALLBACK_URL ?? 'http://127.0.0.1:8911/sinchCallbacks'
  const secret = a.secret ?? (process.env.SINCH_CALLBACK_SECRETS ? parseSecrets(process.env.SINCH_CALLBACK_SECRETS)[0].secret : SANDBOX_CALLBACK_SECRET)
  const body = JSON.stringify(payload(a))
  let ok = true
  for (let i = 0; i < Number(a.repeat ?? 1); i++) {
    const res = await fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/json', ...signSinchCallback(secret, body) }, body })
    ok &&= res.ok
    console.log(`${res.status} ${await res.text()}`)
  }
  console.log(`sent to ${url}: ${body}`)
  return ok
}

const fail = (error: unknown) => {
  console.error(`send-callback: ${(error as Error).message}`)
  process.exit(1)
}

/** `yarn rw exec sendCallback --url … --kind …` (yargs hands over parsed flags). */
export default async ({ args: parsed }: { args: Record<string, unknown> }) => {
  const a = Object.fromEntries(
    Object.entries(parsed)
      .filter(([k, v]) => k !== '_' && k !== '$0' && v !== undefined && !/[A-Z]/.test(k))
      .map(([k, v]) => [k, String(v)])
  )
  if (!(await sendCallback(a).catch(fail))) process.exitCode = 1
}

if (require.main === module) {
  loadEnvFiles()
  sendCallback(args())
    .then((ok) => process.exit(ok ? 0 : 1))
    .catch(fail)
}
