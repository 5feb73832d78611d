/**
 * `yarn sandbox`: the Sinch sandbox on SINCH_SANDBOX_URL's port (default 8912).
 * Callbacks are signed with the first of SINCH_CALLBACK_SECRETS, or the
 * sandbox secret the api accepts by default when it runs without credentials.
 * WhatsApp (Conversation) reports and simulated replies go to
 * SANDBOX_CONVERSATION_CALLBACK_URL, else SINCH_CALLBACK_URL, else the api's
 * default callback URL: Conversation webhooks have no per-message URL.
 */
import { describeConversationPatterns, describeNumberPatterns } from '../api/sandbox/numberPatterns'
import { createSinchSandbox } from '../api/sandbox/server'
import { parseSecrets } from '../api/src/lib/config'
import { SANDBOX_CALLBACK_SECRET } from '../api/src/lib/sandboxCredentials'

import { loadEnvFiles } from './lib/processes'

async function main() {
  loadEnvFiles()
  const url = new URL(process.env.SINCH_SANDBOX_URL || 'http://127.0.0.1:8912')
  const secrets = process.env.SINCH_CALLBACK_SECRETS ? parseSecrets(process.env.SINCH_CALLBACK_SECRETS) : []
  const line = (level: string) => (o: object, m: string) =>
    console.log(JSON.stringify({ level, time: new Date().toISOString(), msg: m, ...o }))
  const sandbox = await createSinchSandbox({
    host: url.hostname,
    port: Number(url.port || 8912),
    callbackSecret: secrets[0]?.secret ?? SANDBOX_CALLBACK_SECRET,
    stepDelayMs: Number(process.env.SANDBOX_STEP_DELAY_MS || 1000),
    retryBaseMs: Number(process.env.SANDBOX_RETRY_BASE_MS || 1000),
    log: { info: line('info'), warn: line('warn') },
    conversationCallbackUrl:
      process.env.SANDBOX_CONVERSATION_CALLBACK_URL ||
      process.env.SINCH_CALLBACK_URL ||
      'http://127.0.0.1:8911/sinchCallbacks',
    replyDelayMs: Number(process.env.SANDBOX_REPLY_DELAY_MS || 3000),
    maxBatchesPerSecond: Number(process.env.SANDBOX_MAX_BATCHES_PER_SECOND || 0),
  })
  console.log(`Sinch sandbox on ${sandbox.url} (service plan sandbox-service-plan, token sandbox-api-token)`)
  console.log(`What it plays, by the last digits of a number:\n${describeNumberPatterns()}`)
  console.log(
    `WhatsApp (Conversation API, project sandbox-project, app sandbox-conversation-app):\n${describeConversationPatterns()}`
  )
  console.log(
    `Simulate a WhatsApp reply: curl -XPOST ${sandbox.url}/sandbox/inbound -d '{"from":"+12025550123","text":"Hi"}'`
  )
  console.log(
    `…with a file: -d '{"from":"+12025550123","media":"photo"}' (photo, document, expired, oversize, wrong-type); ` +
      `a location: '{"from":…,"location":{"latitude":59.33,"longitude":18.06}}'; a button reply: '{"from":…,"choice":"Reschedule"}'`
  )
  const stop = () => sandbox.close().then(() => process.exit(0))
  process.on('SIGINT', stop)
  process.on('SIGTERM', stop)
}

main().catch((error) => {
  console.error(`sandbox: ${(error as Error).message}`)
  process.exit(1)
})
