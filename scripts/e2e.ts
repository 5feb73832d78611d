/**
 * `yarn e2e`: the browser tests against the production build.
 * A fresh database (delivery_desk_e2e), `yarn rw build`, `yarn rw serve` on
 * ports 8920/8921, a second api instance on 8923 (`yarn rw serve api`, the
 * other instance behind a load balancer: web/e2e/live.e2e.ts posts callbacks
 * to it) and the Sinch sandbox on 8922 — so it can run beside
 * `yarn start` — with a SETUP_TOKEN for the first admin's signup, then node's test runner on web/e2e/*.e2e.ts with Debian's
 * Chromium through playwright-core. Screenshots land in web/test-results/.
 */
import { randomBytes } from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'

import pg from 'pg'

import { forbiddenInApiBuild } from './lib/apiBuildContents'
import { ensureLocalSecrets } from './lib/localEnv'
import { loadEnvFiles, mustRunYarn, root, run, startService, waitForHttp, type Service } from './lib/processes'

// .env first: it holds this checkout's own ports (E2E_*_PORT); read before it, they were always the defaults.
loadEnvFiles()
const WEB_PORT = Number(process.env.E2E_WEB_PORT || 8920)
const API_PORT = Number(process.env.E2E_API_PORT || 8921)
const SANDBOX_PORT = Number(process.env.E2E_SANDBOX_PORT || 8922)
const API_B_PORT = Number(process.env.E2E_API_B_PORT || 8923)

async function freshDatabase(base: string): Promise<string> {
  const url = new URL(base)
  url.pathname = '/delivery_desk_e2e'
  const admin = new URL(base)
  admin.pathname = '/postgres'
  const client = new pg.Client({ connectionString: admin.toString() })
  await client.connect()
  await client.query('DROP DATABASE IF EXISTS delivery_desk_e2e WITH (FORCE)')
  await client.query('CREATE DATABASE delivery_desk_e2e')
  await client.end()
  return url.toString()
}

async function main() {
  ensureLocalSecrets()
  const chromium = process.env.CHROMIUM_PATH || '/usr/bin/chromium'
  if (!fs.existsSync(chromium)) {
    console.error(
      `e2e: no Chromium at ${chromium}. Install Debian's package (apt-get install chromium) or set CHROMIUM_PATH.`
    )
    process.exit(1)
  }
  const only = process.argv.slice(2).filter((a) => !a.startsWith('--'))
  await mustRunYarn(['db', 'start'])
  const databaseUrl = await freshDatabase(process.env.DATABASE_URL!)
  // The first admin signs up through the web with this one-time token (web/e2e/desk.e2e.ts), as on a real deploy.
  const setupToken = randomBytes(24).toString('hex')
  const env: NodeJS.ProcessEnv = {
    DATABASE_URL: databaseUrl,
    SETUP_TOKEN: setupToken,
    SINCH_SANDBOX_URL: `http://127.0.0.1:${SANDBOX_PORT}`,
    SINCH_CALLBACK_URL: `http://127.0.0.1:${API_PORT}/sinchCallbacks`,
    LOG_LEVEL: process.env.LOG_LEVEL_E2E || 'warn',
    // `yarn rw serve` runs with NODE_ENV=production, which refuses to start with the sandbox and its published
    // callback secret (README, "Production checklist"). The browser tests are about exactly that setup.
    ALLOW_UNSAFE_PRODUCTION: 'sandbox,weak-callback-secret',
    // Reconciliation for web/e2e/messages.e2e.ts: a recipient is overdue 1.2 s after its last news and ends
    // Unknown after one check; no background pass, so only "Check with Sinch now" decides when.
    RECONCILE_AFTER_MINUTES: '0.02',
    RECONCILE_MAX_ATTEMPTS: '1',
    RECONCILE_INTERVAL_SECONDS: '0',
    // The stalled-delivery alarm for web/e2e/stalled.e2e.ts: 6 s without a callback while a recipient waits;
    // each api instance checks every 5 s (the least it allows) and pushes a change to the screens.
    ALARM_STALL_MINUTES: '0.1',
    ALARM_POLL_SECONDS: '2',
    // MMS for web/e2e/mms.e2e.ts: the sandbox accepts mt_media as a plan with MMS does.
    SINCH_MMS_ENABLED: 'true',
  }
  await mustRunYarn(['rw', 'prisma', 'migrate', 'deploy'], env)
  if (!process.argv.includes('--no-build')) await mustRunYarn(['rw', 'build'], env)
  const leaked = forbiddenInApiBuild(path.join(root, 'api', 'dist'))
  if (leaked.length) {
    console.error(`The api's production build contains what must not ship:\n  ${leaked.join('\n  ')}`)
    process.exit(1)
  }

  const services: Service[] = [
    startService('sandbox', ['sandbox'], env),
    startService('serve', ['rw', 'serve', '--webPort', String(WEB_PORT), '--apiPort', String(API_PORT)], env),
    startService('api B', ['rw', 'serve', 'api', '--port', String(API_B_PORT)], env),
  ]
  const stopAll = () => Promise.all(services.map((s) => s.stop()))
  process.on('SIGINT', () => stopAll().then(() => process.exit(130)))

  let code = 1
  try {
    await waitForHttp(`http://127.0.0.1:${SANDBOX_PORT}/health`, 60_000, () => true)
    await waitForHttp(`http://127.0.0.1:${API_PORT}/graphql?query=%7B__typename%7D`, 90_000)
    await waitForHttp(`http://127.0.0.1:${API_B_PORT}/graphql?query=%7B__typename%7D`, 90_000)
    await waitForHttp(`http://localhost:${WEB_PORT}/`, 60_000)
    const files = fs
      .readdirSync(path.join(root, 'web', 'e2e'))
      .filter((f) => f.endsWith('.e2e.ts'))
      // `yarn e2e media whatsapp`: only the files whose names contain one of the words.
      .filter((f) => only.length === 0 || only.some((word) => f.includes(word)))
      .map((f) => path.join('web', 'e2e', f))
    code = await run(
      process.execPath,
      ['--import', 'tsx', '--test', '--test-reporter=spec', '--test-concurrency=1', ...files],
      {
        ...env,
        E2E_BASE_URL: `http://localhost:${WEB_PORT}`,
        E2E_API_URL: `http://127.0.0.1:${API_PORT}`,
        E2E_API_B_URL: `http://127.0.0.1:${API_B_PORT}`,
        E2E_DATABASE_URL: databaseUrl,
        E2E_SETUP_TOKEN: setupToken,
        CHROMIUM_PATH: chromium,
      }
    )
  } catch (error) {
    console.error(`e2e: ${(error as Error).message}`)
  } finally {
    await stopAll()
  }
  process.exit(code)
}

main()
