/**
 * `yarn bench`: callback ingestion throughput, ours against a bare handler,
 * measured in the same run on the same database (this machine is shared and
 * noisy, so the ratio is the figure that means something).
 *
 *   1. fresh database delivery_desk_bench, migrations, MESSAGES x RECIPIENTS rows
 *   2. `yarn rw build api`, then `yarn rw serve api` (ours) and bench/bareHandler.ts
 *   3. autocannon at 32 and 128 connections, every request a new signed
 *      recipient_delivery_report_sms (fresh nonce, timestamp and report)
 *      for an existing recipient
 *   4. prints a table and writes bench/results/callbacks.{json,md}
 *
 * Options: --duration 10 (seconds per run), --no-build, --connections 32,128
 */
import crypto from 'node:crypto'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'

import autocannon from 'autocannon'
import pg from 'pg'

import { loadEnvFiles, mustRunYarn, root, startService, waitForHttp, type Service } from '../scripts/lib/processes'

const SECRET = 'bench-callback-secret'
const OURS_PORT = 8941
const BARE_PORT = 8942
const MESSAGES = 2000
const RECIPIENTS = 10
const STATUSES = [
  ['Queued', 400],
  ['Dispatched', 401],
  ['Delivered', 0],
] as const

function arg(name: string, fallback: string) {
  const i = process.argv.indexOf(`--${name}`)
  return i > 0 ? process.argv[i + 1] : fallback
}

async function prepareDatabase(base: string) {
  const admin = new URL(base)
  admin.pathname = '/postgres'
  const url = new URL(base)
  url.pathname = '/delivery_desk_bench'
  const client = new pg.Client({ connectionString: admin.toString() })
  await client.connect()
  await client.query('DROP DATABASE IF EXISTS delivery_desk_bench WITH (FORCE)')
  await client.query('CREATE DATABASE delivery_desk_bench')
  await client.end()
  return url.toString()
}

async function seed(databaseUrl: string) {
  const client = new pg.Client({ connectionString: databaseUrl })
  await client.connect()
  await client.query(`
    INSERT INTO "Message" (id, body, "recipientCount", "sinchBatchId", "submitState", "submittedAt", "updatedAt")
    SELECT 'bench_' || g, 'Benchmark message ' || g, ${RECIPIENTS}, 'BENCHBATCH' || g, 'SUBMITTED', now(), now()
      FROM generate_series(1, ${MESSAGES}) g`)
  await client.query(`
    INSERT INTO "MessageRecipient" ("messageId", "phoneNumber", "updatedAt")
    SELECT 'bench_' || m, '+4670' || lpad((m * 100 + r)::text, 7, '0'), now()
      FROM generate_series(1, ${MESSAGES}) m, generate_series(1, ${RECIPIENTS}) r`)
  await client.query(`CREATE TABLE bench_bare_report (id bigserial PRIMARY KEY, dedupe_key text UNIQUE NOT NULL, payload text NOT NULL, received_at timestamptz NOT NULL DEFAULT now())`)
  await client.end()
}

/** Every call: a new report for a real recipient, signed with a fresh nonce. */
function makeRequestFactory() {
  let n = 0
  return () => {
    n++
    const m = (n % MESSAGES) + 1
    const r = (Math.floor(n / MESSAGES) % RECIPIENTS) + 1
    const [status, code] = STATUSES[Math.floor(n / (MESSAGES * RECIPIENTS)) % STATUSES.length]
    const at = new Date(Date.UTC(2025, 0, 1) + n).toISOString()
    const body = JSON.stringify({
      type: 'recipient_delivery_report_sms',
      batch_id: `BENCHBATCH${m}`,
      recipient: `4670${String(m * 100 + r).padStart(7, '0')}`,
      code,
      status,
      at,
      operator_status_at: at,
      client_reference: `bench_${m}`,
    })
    const nonce = crypto.randomBytes(12).toString('base64url')
    const timestamp = String(Math.floor(Date.now() / 1000))
    const signature = crypto.createHmac('sha256', SECRET).update(`${body}.${nonce}.${timestamp}`).digest('base64')
    return {
      method: 'POST' as const,
      path: '/sinchCallbacks',
      body,
      headers: {
        'content-type': 'application/json',
        'x-sinch-webhook-signature': signature,
        'x-sinch-webhook-signature-nonce': nonce,
        'x-sinch-webhook-signature-timestamp': timestamp,
        'x-sinch-webhook-signature-algorithm': 'HmacSHA256',
      },
    }
  }
}

type Figures = { requestsPerSec: number; p50: number; p99: number; non2xx: number; errors: number; total: number }

async function load(port: number, connections: number, duration: number): Promise<Figures> {
  const next = makeRequestFactory()
  const result = await autocannon({
    url: `http://127.0.0.1:${port}`,
    connections,
    duration,
    requests: [{ setupRequest: (req: Record<string, unknown>) => ({ ...req, ...next() }) }],
  })
  return {
    requestsPerSec: Math.round(result.requests.average),
    p50: result.latency.p50,
    p99: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
    total: result.requests.total,
  }
}

async function main() {
  loadEnvFiles()
  const duration = Number(arg('duration', '10'))
  const connectionsList = arg('connections', '32,128').split(',').map(Number)
  await mustRunYarn(['db', 'start'])
  const databaseUrl = await prepareDatabase(process.env.DATABASE_URL!)
  const env = { DATABASE_URL: databaseUrl, SINCH_CALLBACK_SECRETS: SECRET, LOG_LEVEL: 'warn' }
  await mustRunYarn(['rw', 'prisma', 'migrate', 'deploy'], env)
  await seed(databaseUrl)
  if (!process.argv.includes('--no-build')) await mustRunYarn(['rw', 'build', 'api'], env)

  const services: Service[] = [
    startService('ours', ['rw', 'serve', 'api', '--port', String(OURS_PORT)], env, { quiet: true }),
    startService('bare', ['tsx', 'bench/bareHandler.ts', String(BARE_PORT), databaseUrl, SECRET], env, { quiet: true }),
  ]
  const rows: Record<string, unknown>[] = []
  try {
    await waitForHttp(`http://127.0.0.1:${OURS_PORT}/graphql?query=%7B__typename%7D`, 90_000)
    await waitForHttp(`http://127.0.0.1:${BARE_PORT}/`, 30_000, () => true)
    // Warm both up (JIT, pools) before measuring.
    await load(OURS_PORT, 8, 2)
    await load(BARE_PORT, 8, 2)
    for (const connections of connectionsList) {
      // Alternate so that drift on a noisy machine hits both alike.
      const bare = await load(BARE_PORT, connections, duration)
      const ours = await load(OURS_PORT, connections, duration)
      rows.push({ connections, ours, bare, throughputRatio: +(ours.requestsPerSec / bare.requestsPerSec).toFixed(2), p99Ratio: +(ours.p99 / Math.max(bare.p99, 1)).toFixed(2) })
    }
  } finally {
    await Promise.all(services.map((s) => s.stop()))
  }

  const check = pg.Client
  const client = new check({ connectionString: databaseUrl })
  await client.connect()
  const stored = (await client.query('SELECT count(*)::int AS n FROM "SmsStatusUpdate"')).rows[0].n
  const dup = (await client.query('SELECT count(*)::int AS n FROM (SELECT "dedupeKey" FROM "SmsStatusUpdate" GROUP BY 1 HAVING count(*) > 1) d')).rows[0].n
  await client.end()

  const machine = `${os.cpus().length} × ${os.cpus()[0]?.model.trim()}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}, Postgres 17 (embedded, fsync on)`
  const lines = [
    `# Callback ingestion benchmark`,
    ``,
    `${new Date().toISOString()} · ${machine} · ${duration}s per run · ${MESSAGES * RECIPIENTS} recipients`,
    ``,
    `| connections | ours req/s | ours p50 / p99 ms | bare req/s | bare p50 / p99 ms | throughput ours/bare | p99 ours/bare | non-2xx ours |`,
    `|---:|---:|---:|---:|---:|---:|---:|---:|`,
    ...rows.map((r) => {
      const o = r.ours as Figures
      const b = r.bare as Figures
      return `| ${r.connections} | ${o.requestsPerSec} | ${o.p50} / ${o.p99} | ${b.requestsPerSec} | ${b.p50} / ${b.p99} | ${r.throughputRatio} | ${r.p99Ratio} | ${o.non2xx + o.errors} |`
    }),
    ``,
    `Stored reports: ${stored}; duplicated rows: ${dup}. Targets: throughput ≥ 0.5 × bare, p99 ≤ 25 ms at 32 connections.`,
  ]
  console.log('\n' + lines.join('\n'))
  fs.writeFileSync(path.join(root, 'bench', 'results', 'callbacks.json'), JSON.stringify({ date: new Date().toISOString(), machine, duration, rows, stored, duplicatedRows: dup }, null, 2) + '\n')
  fs.writeFileSync(path.join(root, 'bench', 'results', 'callbacks.md'), lines.join('\n') + '\n')
}

main().catch((error) => {
  console.error(error)
  process.exit(1)
})
