/**
 * Callback ingestion throughput, ours against a bare handler, measured in the
 * same run on the same database (this machine is shared and noisy, so the
 * ratio is the figure that means something). Part of `yarn bench`
 * (bench/run.ts), which builds the api and starts the servers.
 *
 *   - every api under test (ours, and the --baseline build) gets recipients of
 *     its own, MESSAGES x RECIPIENTS submitted ones, so that neither changes
 *     what the other's reports do
 *   - autocannon at each connection count, every request a new signed
 *     recipient_delivery_report_sms (fresh nonce, timestamp and report) that
 *     moves its recipient forward: all recipients Queued, then all Dispatched,
 *     then all Delivered, as in life (a server that got through all of that
 *     would go on with reports that change nothing, which are cheaper)
 *   - each connection count runs ROUNDS times, the servers back to back in
 *     rotating order; the figures are medians over the rounds, and the ratio
 *     is the median of the per-round ratios, so that a burst of someone
 *     else's work during one run does not decide the result.
 */
import crypto from 'node:crypto'

import autocannon from 'autocannon'
import pg from 'pg'

import { cpuMs, median, processTree, withClient } from './lib'

export const CALLBACK_SECRET = 'bench-callback-secret'
export const MESSAGES = 5000
export const RECIPIENTS = 10
const STATUSES = [
  ['Queued', 400],
  ['Dispatched', 401],
  ['Delivered', 0],
] as const

/** The recipients of one api under test: its own batches and numbers (set 0, 1, ...). */
export const batchId = (set: number, m: number) => `BENCH${set}BATCH${m}`
export const msisdn = (set: number, m: number, r: number) =>
  `46${70 + set}${String(m * 100 + r).padStart(7, '0')}`

export async function seedCallbacks(databaseUrl: string, sets: number) {
  await withClient(databaseUrl, async (client) => {
    for (let set = 0; set < sets; set++) {
      await client.query(`
        INSERT INTO "Message" (id, body, "recipientCount", "sinchBatchId", "submitState", "submittedAt", "updatedAt")
        SELECT 'bench${set}_' || g, 'Benchmark message ' || g, ${RECIPIENTS}, 'BENCH${set}BATCH' || g, 'SUBMITTED', now(), now()
          FROM generate_series(1, ${MESSAGES}) g`)
      await client.query(`
        INSERT INTO "MessageRecipient" ("messageId", "phoneNumber", "updatedAt")
        SELECT 'bench${set}_' || m, '+46${70 + set}' || lpad((m * 100 + r)::text, 7, '0'), now()
          FROM generate_series(1, ${MESSAGES}) m, generate_series(1, ${RECIPIENTS}) r`)
    }
    await client.query(
      `CREATE TABLE bench_bare_report (id bigserial PRIMARY KEY, dedupe_key text UNIQUE NOT NULL, payload text NOT NULL, received_at timestamptz NOT NULL DEFAULT now())`
    )
    await client.query('ANALYZE')
  })
}

/** Requests for one server: each a new report for one of its recipients, signed with a fresh nonce. */
function requestsFor(set: number) {
  let sent = 0
  return () => {
    const n = sent++
    const m = (n % MESSAGES) + 1
    const r = (Math.floor(n / MESSAGES) % RECIPIENTS) + 1
    const [status, code] =
      STATUSES[Math.floor(n / (MESSAGES * RECIPIENTS)) % STATUSES.length]
    const at = new Date(Date.UTC(2025, 0, 1) + n).toISOString()
    const body = JSON.stringify({
      type: 'recipient_delivery_report_sms',
      batch_id: batchId(set, m),
      recipient: msisdn(set, m, r),
      code,
      status,
      at,
      operator_status_at: at,
      client_reference: `bench${set}_${m}`,
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
  /** Requests per committed transaction (group commit at work), from pg_stat_database. */
  perCommit?: number
}

type Next = ReturnType<typeof requestsFor>

export async function hammer(
  port: number,
  next: Next,
  connections: number,
  duration: number
): Promise<Figures> {
  const result = await autocannon({
    url: `http://127.0.0.1:${port}`,
    connections,
    duration,
    requests: [{ setupRequest: (req) => ({ ...req, ...next() }) }],
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

export type Who = 'bare' | 'ours' | 'baseline'
type Round = Partial<Record<Who, Figures>> & {
  ours: Figures
  bare: Figures
  throughputRatio: number
  baselineRatio?: number
}
export type CallbackRow = {
  connections: number
  ours: Figures
  bare: Figures
  /** `--baseline <ref>`: the api as built from that commit. */
  baseline?: Figures
  throughputRatio: number
  p99Ratio: number
  baselineThroughputRatio?: number
  baselineP99Ratio?: number
  rounds: Round[]
}

const summarise = (runs: Figures[]): Figures => ({
  requestsPerSec: median(runs.map((r) => r.requestsPerSec)),
  appCpuMs: +median(runs.map((r) => r.appCpuMs ?? NaN)).toFixed(3),
  dbCpuMs: +median(runs.map((r) => r.dbCpuMs ?? NaN)).toFixed(3),
  perCommit: median(runs.map((r) => r.perCommit ?? NaN)),
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
  next: Next,
  connections: number,
  duration: number
): Promise<Figures> {
  const backends = async () =>
    (
      await monitor.query(
        "SELECT pid FROM pg_stat_activity WHERE datname = $1 AND backend_type = 'client backend' AND pid <> pg_backend_pid()",
        [database]
      )
    ).rows.map((r) => r.pid as number)
  const commits = async () => {
    // Other backends report their counts at least once a second: wait that out.
    await new Promise((r) => setTimeout(r, 1100))
    return Number(
      (
        await monitor.query(
          'SELECT xact_commit FROM pg_stat_database WHERE datname = $1',
          [database]
        )
      ).rows[0].xact_commit
    )
  }
  const app = processTree(serverPid)
  const commitsBefore = await commits()
  const appBefore = cpuMs(app)
  const dbBefore = cpuMs(await backends())
  const figures = await hammer(port, next, connections, duration)
  const appAfter = cpuMs(app)
  const dbAfter = cpuMs(await backends())
  const commitsAfter = await commits()
  const spent = (before: Map<number, number>, after: Map<number, number>) =>
    [...after].reduce((sum, [pid, ms]) => sum + ms - (before.get(pid) ?? 0), 0)
  return {
    ...figures,
    perCommit: +(
      figures.total / Math.max(commitsAfter - commitsBefore, 1)
    ).toFixed(1),
    appCpuMs: +(
      spent(appBefore, appAfter) / Math.max(figures.total, 1)
    ).toFixed(3),
    dbCpuMs: +(spent(dbBefore, dbAfter) / Math.max(figures.total, 1)).toFixed(
      3
    ),
  }
}

/**
 * A server under test; `set` picks its recipients (bare needs none, and uses
 * set 0's shape). `database`: the one it writes to, when not the shared one
 * (a --baseline build gets a database with its own commit's schema).
 */
export type Contender = {
  who: Who
  port: number
  pid: number
  set: number
  database?: string
}

const ratio = (a: number, b: number) => +(a / Math.max(b, 1)).toFixed(2)

export async function runCallbacks(opts: {
  contenders: Contender[]
  databaseUrl: string
  duration: number
  rounds: number
  connectionsList: number[]
  log: (line: string) => void
}): Promise<CallbackRow[]> {
  const next = new Map(opts.contenders.map((c) => [c.who, requestsFor(c.set)]))
  // Warm every server up (JIT, pools, the first touch of fresh data) before measuring.
  for (const c of opts.contenders)
    await hammer(c.port, next.get(c.who)!, opts.connectionsList[0], 4)
  const monitor = new pg.Client({ connectionString: opts.databaseUrl })
  await monitor.connect()
  const database = new URL(opts.databaseUrl).pathname.slice(1)
  const describe = (who: Who, f: Figures) =>
    `${who} ${f.requestsPerSec} req/s p99 ${f.p99} ms (CPU/req ${f.appCpuMs} + db ${f.dbCpuMs} ms, ${f.perCommit} req/commit)`
  const rows: CallbackRow[] = []
  try {
    for (const connections of opts.connectionsList) {
      const rounds: Round[] = []
      for (let i = 0; i < opts.rounds; i++) {
        // Rotate who goes first, so that drift hits every contender alike.
        const order = opts.contenders.map(
          (_, k) => opts.contenders[(k + i) % opts.contenders.length]
        )
        const got: Partial<Record<Who, Figures>> = {}
        for (const c of order) {
          got[c.who] = await measured(
            monitor,
            c.database ?? database,
            c.pid,
            c.port,
            next.get(c.who)!,
            connections,
            opts.duration
          )
        }
        const round: Round = {
          ...got,
          ours: got.ours!,
          bare: got.bare!,
          throughputRatio: ratio(
            got.ours!.requestsPerSec,
            got.bare!.requestsPerSec
          ),
          ...(got.baseline
            ? {
                baselineRatio: ratio(
                  got.baseline.requestsPerSec,
                  got.bare!.requestsPerSec
                ),
              }
            : {}),
        }
        rounds.push(round)
        opts.log(
          `  ${connections} conn, round ${i + 1}/${opts.rounds}: ${order.map((c) => describe(c.who, got[c.who]!)).join(', ')} → ours/bare ${round.throughputRatio}${
            round.baselineRatio !== undefined
              ? `, baseline/bare ${round.baselineRatio}`
              : ''
          }`
        )
      }
      const baseline = rounds[0].baseline
        ? summarise(rounds.map((r) => r.baseline!))
        : undefined
      rows.push({
        connections,
        ours: summarise(rounds.map((r) => r.ours)),
        bare: summarise(rounds.map((r) => r.bare)),
        throughputRatio: +median(rounds.map((r) => r.throughputRatio)).toFixed(
          2
        ),
        p99Ratio: +median(
          rounds.map((r) => r.ours.p99 / Math.max(r.bare.p99, 1))
        ).toFixed(2),
        ...(baseline
          ? {
              baseline,
              baselineThroughputRatio: +median(
                rounds.map((r) => r.baselineRatio!)
              ).toFixed(2),
              baselineP99Ratio: +median(
                rounds.map((r) => r.baseline!.p99 / Math.max(r.bare.p99, 1))
              ).toFixed(2),
            }
          : {}),
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
      await client.query(
        'SELECT count(*)::int AS n FROM "CallbackEvent" WHERE nonce IS NOT NULL'
      )
    ).rows[0].n as number
    return { stored, duplicatedRows, events, nonces }
  })
}

export function callbacksMarkdown(
  rows: CallbackRow[],
  meta: { duration: number; rounds: number; baselineRef?: string },
  check: Awaited<ReturnType<typeof checkStored>>
): string[] {
  const line = (
    label: string,
    f: Figures,
    bare: Figures,
    throughput: number,
    p99: number
  ) =>
    `| ${label} | ${f.requestsPerSec} | ${f.p50} / ${f.p99} | ${bare.requestsPerSec} | ${bare.p50} / ${bare.p99} | ${throughput} | ${p99} | ${f.non2xx + f.errors} | ${f.appCpuMs} + ${f.dbCpuMs} | ${bare.appCpuMs} + ${bare.dbCpuMs} |`
  return [
    `Ingestion of signed \`recipient_delivery_report_sms\` callbacks (each api under test has ${MESSAGES * RECIPIENTS} recipients of its own; every report moves one forward, all Queued, then Dispatched, then Delivered), ours (the built api, served as \`yarn rw serve api\` serves it) against a bare node:http + pg handler on the same database${
      meta.baselineRef
        ? `, and the api as built from ${meta.baselineRef} (baseline), on a database of its own with that commit's migrations`
        : ''
    }. ${meta.rounds} round(s) of ${meta.duration} s each per server and connection count, in rotating order; medians over rounds, ratios = median of per-round ratios. CPU ms/req: the server's processes + its Postgres connections (client backends; autovacuum and the WAL writer are left out), per request.`,
    ``,
    `| connections | ours req/s | ours p50 / p99 ms | bare req/s | bare p50 / p99 ms | throughput ours/bare | p99 ours/bare | non-2xx ours | CPU ms/req ours (node + db) | CPU ms/req bare (node + db) |`,
    `|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|`,
    ...rows.flatMap((r) => [
      line(
        String(r.connections),
        r.ours,
        r.bare,
        r.throughputRatio,
        r.p99Ratio
      ),
      ...(r.baseline
        ? [
            line(
              `${r.connections} (baseline)`,
              r.baseline,
              r.bare,
              r.baselineThroughputRatio!,
              r.baselineP99Ratio!
            ),
          ]
        : []),
    ]),
    ``,
    `Per round (req/s): ${rows
      .map(
        (r) =>
          `${r.connections} conn: ${r.rounds
            .map(
              (x) =>
                `ours ${x.ours.requestsPerSec}${x.baseline ? ` / baseline ${x.baseline.requestsPerSec}` : ''} / bare ${x.bare.requestsPerSec}`
            )
            .join('; ')}`
      )
      .join(' — ')}.`,
    ``,
    `Stored reports: ${check.stored} (callback events ${check.events}, nonces ${check.nonces}); duplicated rows: ${check.duplicatedRows}. Targets: throughput ≥ 0.5 × bare, p99 ≤ 25 ms at 32 connections (p99 within 2 × bare on this machine).`,
  ]
}
