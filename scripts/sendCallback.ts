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
import { buildCallbackPayload } from '../api/src/lib/callbackBuilder'
import { parseSecrets } from '../api/src/lib/config'
import { SANDBOX_CALLBACK_SECRET } from '../api/src/lib/sandboxCredentials'
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

/** Posts the callback; resolves to false when any answer was not 2xx. */
export async function sendCallback(a: Record<string, string>): Promise<boolean> {
  const url = a.url ?? process.env.SINCH_CALLBACK_URL ?? 'http://127.0.0.1:8911/sinchCallbacks'
  const secret =
    a.secret ??
    (process.env.SINCH_CALLBACK_SECRETS
      ? parseSecrets(process.env.SINCH_CALLBACK_SECRETS)[0].secret
      : SANDBOX_CALLBACK_SECRET)
  const body = JSON.stringify(buildCallbackPayload(a))
  let ok = true
  for (let i = 0; i < Number(a.repeat ?? 1); i++) {
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', ...signSinchCallback(secret, body) },
      body,
    })
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
