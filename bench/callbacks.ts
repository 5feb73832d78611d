/**
 * Callback ingestion throughput, ours against a bare handler, measured in the
 * same run on the same database (this machine is shared and noisy, so the
 * ratio is the figure that means something). Part of `yarn bench`
 * (bench/run.ts), which builds the api and starts both servers.
 *
 *   - MESSAGES x RECIPIENTS submitted recipients in their own database
 *   - autocannon at each connection count, every request a new signed
 *     recipient_delivery_report_sms (fresh nonce, timestamp and report) for
 *     an existing recipient
 *   - each connection count runs ROUNDS times, bare and ours back to back,
 *     alternating which goes first; the figures are medians over the rounds,
 *     and the ratio is the median of the per-round ratios, so that a burst of
 *     someone else's work during one run does not decide the result.
 */
import crypto from 'node:crypto'

import autocannon from 'autocannon'

import pg from 'pg'

import { cpuMs, median, processTree, withClient } from './lib'

export const CALLBACK_SECRET = 'bench-callback-secret'
const MESSAGES = 2000
const RECIPIENTS = 10
const STATUSES = [
  ['Queued', 400],
  ['Dispatched', 401],
  ['Delivered', 0],
] as const

export async function seedCallbacks(databaseUrl: string) {
  await withClient(databaseUrl, async (client) => {
    await client.query(`
      INSERT INTO "Message" (id, body, "recipientCount", "sinchBatchId", "submitState", "submittedAt", "updatedAt")
      SELECT 'bench_' || g, 'Benchmark message ' || g, ${RECIPIENTS}, 'BENCHBATCH' || g, 'SUBMITTED', now(), now()
        FROM generate_series(1, ${MESSAGES}) g`)
    await client.query(`
      INSERT INTO "MessageRecipient" ("messageId", "phoneNumber", "updatedAt")
      SELECT 'bench_' || m, '+4670' || lpad((m * 100 + r)::text, 7, '0'), now()
        FROM generate_series(1, ${MESSAGES}) m, generate_series(1, ${RECIPIENTS}) r`)
    await client.query(
      `CREATE TABLE bench_bare_report (id bigserial PRIMARY KEY, dedupe_key text UNIQUE NOT NULL, payload text NOT NULL, received_at timestamptz NOT NULL DEFAULT now())`
    )
    await client.query('ANALYZE')
  })
}

/** Every call: a new report for a real recipient, signed with a fresh nonce. */
let sent = 0
function nextRequest() {
  const n = ++sent
  const m = (n % MESSAGES) + 1
  const r = (Math.floor(n / MESSAGES) % RECIPIENTS) + 1
  const [status, code] =
    STATUSES[Math.floor(n / (MESSAGES * RECIPIENTS)) % STATUSES.length]
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
  const signature = crypto
    .createHmac('sha256', CALLBACK_SECRET)
    .update(`${body}.${nonce}.${timestamp}`)
    .digest('base64')
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

export type Figures = {
  requestsPerSec: number
  p50: number
  p99: number
  non2xx: number
  errors: number
  total: number
  /** CPU per request: the server's process tree, and the Postgres backends of the bench database. */
  appCpuMs?: number
  dbCpuMs?: number
}

export async function hammer(
  port: number,
  connections: number,
  duration: number
): Promise<Figures> {
  const result = await autocannon({
    url: `http://127.0.0.1:${port}`,
    connections,
    duration,
    requests: [{ setupRequest: (req) => ({ ...req, ...nextRequest() }) }],
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

type Round = { ours: Figures; bare: Figures; throughputRatio: number }
export type CallbackRow = {
  connections: number
  ours: Figures
  bare: Figures
  throughputRatio: number
  p99Ratio: number
  rounds: Round[]
}

const summarise = (runs: Figures[]): Figures => ({
  requestsPerSec: median(runs.map((r) => r.requestsPerSec)),
  appCpuMs: +median(runs.map((r) => r.appCpuMs ?? NaN)).toFixed(3),
  dbCpuMs: +median(runs.map((r) => r.dbCpuMs ?? NaN)).toFixed(3),
  p50: median(runs.map((r) => r.p50)),
  p99: median(runs.map((r) => r.p99)),
  non2xx: runs.reduce((s, r) => s + r.non2xx, 0),
  errors: runs.reduce((s, r) => s + r.errors, 0),
  total: runs.reduce((s, r) => s + r.total, 0),
})

/**
 * A load run with the CPU it cost: CPU time is much less at the mercy of the
 * other work on a shared machine than throughput is.
 */
async function measured(
  monitor: pg.Client,
  database: string,
  serverPid: number,
  port: number,
  connections: number,
  duration: number
): Promise<Figures> {
  const backends = async () =>
    (
      await monitor.query(
        'SELECT pid FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()',
        [database]
      )
    ).rows.map((r) => r.pid as number)
  const app = processTree(serverPid)
  const appBefore = cpuMs(app)
  const dbBefore = cpuMs(await backends())
  const figures = await hammer(port, connections, duration)
  const appAfter = cpuMs(app)
  const dbAfter = cpuMs(await backends())
  const spent = (before: Map<number, number>, after: Map<number, number>) =>
    [...after].reduce((sum, [pid, ms]) => sum + ms - (before.get(pid) ?? 0), 0)
  return {
    ...figures,
    appCpuMs: +(
      spent(appBefore, appAfter) / Math.max(figures.total, 1)
    ).toFixed(3),
    dbCpuMs: +(spent(dbBefore, dbAfter) / Math.max(figures.total, 1)).toFixed(
      3
    ),
  }
}

export async function runCallbacks(opts: {
  oursPort: number
  barePort: number
  oursPid: number
  barePid: number
  databaseUrl: string
  duration: number
  rounds: number
  connectionsList: number[]
  log: (line: string) => void
}): Promise<CallbackRow[]> {
  // Warm both up (JIT, pools) before measuring.
  await hammer(opts.oursPort, 8, 2)
  await hammer(opts.barePort, 8, 2)
  const monitor = new pg.Client({ connectionString: opts.databaseUrl })
  await monitor.connect()
  const database = new URL(opts.databaseUrl).pathname.slice(1)
  const rows: CallbackRow[] = []
  try {
    for (const connections of opts.connectionsList) {
      const rounds: Round[] = []
      for (let i = 0; i < opts.rounds; i++) {
        // Alternate which goes first, so that drift hits both alike.
        const order =
          i % 2 === 0
            ? (['bare', 'ours'] as const)
            : (['ours', 'bare'] as const)
        const got: Partial<Record<'ours' | 'bare', Figures>> = {}
        for (const who of order) {
          got[who] = await measured(
            monitor,
            database,
            who === 'ours' ? opts.oursPid : opts.barePid,
            who === 'ours' ? opts.oursPort : opts.barePort,
            connections,
            opts.duration
          )
        }
        const round = {
          ours: got.ours!,
          bare: got.bare!,
          throughputRatio: +(
            got.ours!.requestsPerSec / got.bare!.requestsPerSec
          ).toFixed(2),
        }
        rounds.push(round)
        opts.log(
          `  ${connections} conn, round ${i + 1}/${opts.rounds}: ours ${round.ours.requestsPerSec} req/s p99 ${round.ours.p99} ms (CPU/req ${round.ours.appCpuMs} + db ${round.ours.dbCpuMs} ms), bare ${round.bare.requestsPerSec} req/s p99 ${round.bare.p99} ms (CPU/req ${round.bare.appCpuMs} + db ${round.bare.dbCpuMs} ms) → ${round.throughputRatio}`
        )
      }
      const ours = summarise(rounds.map((r) => r.ours))
      const bare = summarise(rounds.map((r) => r.bare))
      rows.push({
        connections,
        ours,
        bare,
        throughputRatio: +median(rounds.map((r) => r.throughputRatio)).toFixed(
          2
        ),
        p99Ratio: +median(
          rounds.map((r) => r.ours.p99 / Math.max(r.bare.p99, 1))
        ).toFixed(2),
        rounds,
      })
    }
  } finally {
    await monitor.end()
  }
  return rows
}

export async function checkStored(databaseUrl: string) {
  return withClient(databaseUrl, async (client) => {
    const stored = (
      await client.query('SELECT count(*)::int AS n FROM "SmsStatusUpdate"')
    ).rows[0].n as number
    const duplicatedRows = (
      await client.query(
        'SELECT count(*)::int AS n FROM (SELECT "dedupeKey" FROM "SmsStatusUpdate" GROUP BY 1 HAVING count(*) > 1) d'
      )
    ).rows[0].n as number
    const events = (
      await client.query('SELECT count(*)::int AS n FROM "CallbackEvent"')
    ).rows[0].n as number
    const nonces = (
      await client.query('SELECT count(*)::int AS n FROM "WebhookNonce"')
    ).rows[0].n as number
    return { stored, duplicatedRows, events, nonces }
  })
}

export function callbacksMarkdown(
  rows: CallbackRow[],
  meta: { duration: number; rounds: number },
  check: Awaited<ReturnType<typeof checkStored>>
): string[] {
  return [
    `Ingestion of signed \`recipient_delivery_report_sms\` callbacks (${MESSAGES * RECIPIENTS} recipients), ours (\`yarn rw serve api\`) against a bare node:http + pg handler on the same database. ${meta.rounds} round(s) of ${meta.duration} s each per side and connection count; medians over rounds, ratio = median of per-round ratios.`,
    ``,
    `| connections | ours req/s | ours p50 / p99 ms | bare req/s | bare p50 / p99 ms | throughput ours/bare | p99 ours/bare | non-2xx ours | CPU ms/req ours (node + db) | CPU ms/req bare (node + db) |`,
    `|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|`,
    ...rows.map(
      (r) =>
        `| ${r.connections} | ${r.ours.requestsPerSec} | ${r.ours.p50} / ${r.ours.p99} | ${r.bare.requestsPerSec} | ${r.bare.p50} / ${r.bare.p99} | ${r.throughputRatio} | ${r.p99Ratio} | ${r.ours.non2xx + r.ours.errors} | ${r.ours.appCpuMs} + ${r.ours.dbCpuMs} | ${r.bare.appCpuMs} + ${r.bare.dbCpuMs} |`
    ),
    ``,
    `Per round (ours/bare req/s): ${rows.map((r) => `${r.connections} conn: ${r.rounds.map((x) => `${x.ours.requestsPerSec}/${x.bare.requestsPerSec}`).join(', ')}`).join('; ')}.`,
    ``,
    `Stored reports: ${check.stored} (callback events ${check.events}, nonces ${check.nonces}); duplicated rows: ${check.duplicatedRows}. Targets: throughput ≥ 0.5 × bare, p99 ≤ 25 ms at 32 connections (p99 within 2 × bare on this machine).`,
  ]
}
