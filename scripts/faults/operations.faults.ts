/**
 * Fault suite for running the desk in production (README "Monitoring"):
 * readiness with the database stopped, with a migration missing and during
 * shutdown; and the Prometheus endpoint after real traffic, whose counts must
 * match what this file sent (callbacks by verdict and status, refusals by
 * reason, 503s while the database was down, group-commit batch sizes, Sinch
 * calls and 429s, reconciliation outcomes).
 *
 * Real HTTP against the built api on the faults cluster; "Sinch" is a small
 * HTTP server here that answers the delivery-report API with 429 three times,
 * then 404 (no report), and counts what it was asked.
 */
import assert from 'node:assert/strict'
import http from 'node:http'
import { after, before, describe, it } from 'node:test'

import pg from 'pg'

import { loadEnvFiles, runYarn } from '../lib/processes'

import * as lib from './lib'
import { newTally, pool, printSummary, reportsFor, sign, sleep } from './lib'

loadEnvFiles()
const API_PORT = Number(process.env.FAULTS_API_PORT_OPS || 8956)
const METRICS_PORT = Number(process.env.FAULTS_METRICS_PORT || 8957)
const SINCH_PORT = Number(process.env.FAULTS_FAKE_SINCH_PORT || 8958)
const NAME = 'delivery_desk_faults_ops'
const DATABASE_URL = lib.databaseUrl(NAME)
const CLUSTER_ENV = { ...lib.CLUSTER_ENV, DATABASE_URL }
const BASE = `http://127.0.0.1:${API_PORT}`
const DRAIN_MS = 4000
/** Reconciliation: messages 1..5 (20 recipients each) are overdue at once; the others are sent "tomorrow". */
const STUCK_MESSAGES = 5
const RECIPIENTS = 20
const RATE_LIMITED = 3

const tally = newTally()
const lost: Record<string, number> = {}
let api: lib.Api | undefined
let db: pg.Pool
let sinch: http.Server
/** What the fake Sinch answered, by status. */
const sinchAnswers: Record<number, number> = {}

async function get(path: string, port = API_PORT) {
  const res = await fetch(`http://127.0.0.1:${port}${path}`, { signal: AbortSignal.timeout(10_000) })
  return { status: res.status, text: await res.text() }
}

/** The metrics text as { 'name{labels}': value }; `sum` adds the series whose name and labels match. */
async function scrape() {
  const res = await get('/metrics', METRICS_PORT)
  assert.equal(res.status, 200)
  const series = new Map<string, number>()
  for (const line of res.text.split('\n')) {
    if (!line || line.startsWith('#')) continue
    const at = line.lastIndexOf(' ')
    series.set(line.slice(0, at), Number(line.slice(at + 1)))
  }
  const sum = (name: string, labels: Record<string, string> = {}) => {
    let total = 0
    for (const [key, value] of series) {
      const brace = key.indexOf('{')
      if ((brace < 0 ? key : key.slice(0, brace)) !== name) continue
      if (Object.entries(labels).every(([k, v]) => key.includes(`${k}="${v}"`))) total += value
    }
    return total
  }
  return { text: res.text, sum }
}

before(async () => {
  ;({ db } = await lib.prepareDatabase(NAME))
  await lib.seedMessages(db, 1, 40, RECIPIENTS)
  // Only the first messages are overdue for reconciliation; the rest get reports from this file.
  await db.query(`UPDATE "Message" SET "submittedAt" = now() + interval '1 day' WHERE id <> ALL($1)`, [
    Array.from({ length: STUCK_MESSAGES }, (_, i) => `fault_${i + 1}`),
  ])
  sinch = http.createServer((req, res) => {
    const status = (sinchAnswers[429] ?? 0) < RATE_LIMITED ? 429 : 404
    sinchAnswers[status] = (sinchAnswers[status] ?? 0) + 1
    req.resume()
    res.writeHead(status, { 'Content-Type': 'application/json' })
    res.end(JSON.stringify({ code: status === 429 ? 'too_many_requests' : 'not_found', text: 'fault suite' }))
  })
  await new Promise<void>((resolve) => sinch.listen(SINCH_PORT, '127.0.0.1', resolve))
  api = await lib.startApi('api', API_PORT, DATABASE_URL, {
    METRICS_PORT: String(METRICS_PORT),
    API_SHUTDOWN_DRAIN_MS: String(DRAIN_MS),
    READINESS_TIMEOUT_MS: '500',
    SINCH_SANDBOX_URL: `http://127.0.0.1:${SINCH_PORT}`,
    RECONCILE_INTERVAL_SECONDS: '1',
    RECONCILE_AFTER_MINUTES: '0.01',
    RECONCILE_MAX_ATTEMPTS: '1',
    ALARM_POLL_SECONDS: '2',
  })
})

after(async () => {
  await api?.stop()
  await db?.end().catch(() => {})
  await new Promise((resolve) => sinch?.close(resolve))
  await runYarn(['db', 'stop'], CLUSTER_ENV)
  printSummary('Fault suite (operations)', tally, lost)
})

describe('readiness', () => {
  it('/healthz and /readyz answer 200 when the database answers and every migration is applied', async () => {
    assert.deepEqual(await get('/healthz'), { status: 200, text: '{"status":"ok"}' })
    assert.deepEqual(await get('/readyz'), { status: 200, text: '{"status":"ready"}' })
  })

  it('/readyz is 503 and names the migration while one in api/db/migrations is not applied', async () => {
    const latest = await db.query<{ migration_name: string }>(
      'SELECT migration_name FROM _prisma_migrations ORDER BY migration_name DESC LIMIT 1'
    )
    const name = latest.rows[0].migration_name
    await db.query(
      `UPDATE _prisma_migrations SET migration_name = 'hidden_' || migration_name WHERE migration_name = $1`,
      [name]
    )
    try {
      const res = await get('/readyz')
      assert.equal(res.status, 503)
      assert.deepEqual(JSON.parse(res.text).pendingMigrations, [name])
    } finally {
      await db.query(`UPDATE _prisma_migrations SET migration_name = $1 WHERE migration_name = 'hidden_' || $1`, [name])
    }
    assert.equal((await get('/readyz')).status, 200)
  })
})

describe('traffic, then the metrics endpoint', () => {
  it('reconciliation meets a rate-limited Sinch: calls, 429s and outcomes are counted as Sinch saw them', async () => {
    const deadline = Date.now() + 60_000
    // Done when every stuck recipient ended Unknown (one check each, RECONCILE_MAX_ATTEMPTS=1).
    for (;;) {
      const r = await db.query(
        `SELECT count(*)::int AS n FROM "MessageRecipient" WHERE "messageId" = ANY($1) AND status <> 'Unknown'`,
        [Array.from({ length: STUCK_MESSAGES }, (_, i) => `fault_${i + 1}`)]
      )
      if (r.rows[0].n === 0) break
      assert.ok(Date.now() < deadline, 'reconciliation ended every stuck recipient within a minute')
      await sleep(500)
    }
    await sleep(1500)
    const m = await scrape()
    const endpoint = 'GET /xms/v1/:id/batches/:id/delivery_report'
    assert.equal(sinchAnswers[429], RATE_LIMITED)
    assert.equal(m.sum('desk_sinch_requests_total', { endpoint, status: '429' }), RATE_LIMITED)
    assert.equal(m.sum('desk_sinch_requests_total', { endpoint, status: '404' }), sinchAnswers[404])
    assert.equal(m.sum('desk_sinch_requests_total'), sinchAnswers[429] + sinchAnswers[404])
    assert.equal(m.sum('desk_sinch_request_seconds_count', { endpoint }), sinchAnswers[429] + sinchAnswers[404])
    assert.equal(m.sum('desk_sinch_rate_limited_total', { endpoint }), RATE_LIMITED)
    // Each 429 failed the check of one whole batch; each 404 answered one ("no report"), and with one attempt allowed
    // its recipients ended Unknown.
    assert.equal(m.sum('desk_reconcile_recipients_total', { outcome: 'failed' }), RATE_LIMITED * RECIPIENTS)
    assert.equal(m.sum('desk_reconcile_recipients_total', { outcome: 'gave_up' }), STUCK_MESSAGES * RECIPIENTS)
    assert.equal(
      m.sum('desk_reconcile_recipients_total', { outcome: 'checked' }),
      (RATE_LIMITED + STUCK_MESSAGES) * RECIPIENTS
    )
  })

  it('callbacks, duplicates, refusals and 503s while the database is down: the counters match what was sent', async () => {
    // Accepted and duplicates.
    const first = reportsFor(6, 15, RECIPIENTS)
    const repeats = first.reports.filter((_, i) => i % 5 === 0)
    await pool([...first.reports, ...repeats], 32, (r) => lib.deliverLikeSinch(tally, `${BASE}/sinchCallbacks`, r.body))
    // Refused: bad signatures, a wrong content type.
    const body = first.reports[0].body
    for (let i = 0; i < 7; i++) {
      const res = await lib.postTo(`${BASE}/sinchCallbacks`, body, sign(body, { secret: 'not-the-secret' }))
      assert.equal(res.status, 401)
    }
    for (let i = 0; i < 2; i++) {
      const res = await lib.postTo(`${BASE}/sinchCallbacks`, body, { ...sign(body), 'content-type': 'text/plain' })
      assert.equal(res.status, 415)
    }
    // The database stops while reports keep coming: 503s, retried like Sinch until it is back.
    const second = reportsFor(16, 25, RECIPIENTS)
    let readyWhileDown: number | undefined
    let liveWhileDown: number | undefined
    const outage = (async () => {
      await sleep(800)
      await runYarn(['db', 'stop'], CLUSTER_ENV)
      readyWhileDown = (await get('/readyz')).status
      liveWhileDown = (await get('/healthz')).status
      await sleep(2500)
      await runYarn(['db', 'start'], CLUSTER_ENV)
    })()
    await Promise.all([
      outage,
      pool(second.reports, 16, async (r) => {
        await sleep(150)
        await lib.deliverLikeSinch(tally, `${BASE}/sinchCallbacks`, r.body)
      }),
    ])
    assert.equal(readyWhileDown, 503, '/readyz is 503 with the database stopped')
    assert.equal(liveWhileDown, 200, '/healthz stays 200: the process answers')
    const readyAgain = Date.now() + 30_000
    while ((await get('/readyz')).status !== 200) {
      assert.ok(Date.now() < readyAgain, '/readyz is 200 again once the database is back')
      await sleep(250)
    }
    // Nothing lost or doubled (no expected final statuses: this file checks counts, not statuses).
    await lib.checkOutcome(db, lost, 'operations traffic', [...first.reports, ...second.reports], new Map())
    await sleep(1200) // the desk-wide gauges are cached for half of ALARM_POLL_SECONDS

    const m = await scrape()
    const served503 = tally.retryCauses['503'] ?? 0
    assert.ok(served503 > 0, 'some callbacks were answered 503 during the outage')
    assert.equal(m.sum('desk_callbacks_total', { verdict: 'accepted', status: '200' }), tally.accepted)
    assert.equal(m.sum('desk_callbacks_total', { verdict: 'duplicate', status: '200' }), tally.duplicate)
    assert.equal(m.sum('desk_callbacks_total', { verdict: 'failed', status: '503' }), served503)
    assert.equal(m.sum('desk_database_unavailable_responses_total', { route: 'sinchCallbacks' }), served503)
    assert.equal(m.sum('desk_callbacks_refused_total', { reason: 'signature_mismatch' }), 7)
    assert.equal(m.sum('desk_callbacks_refused_total', { reason: 'wrong_content_type' }), 2)
    // A commit that reached Postgres just before it stopped may have lost its answer: Sinch's retry is then a replay.
    const replays = m.sum('desk_callbacks_refused_total', { reason: 'nonce_replay' })
    assert.equal(m.sum('desk_callbacks_total', { verdict: 'refused', status: '401' }), 7 + replays)
    assert.equal(m.sum('desk_callbacks_total', { verdict: 'refused', status: '415' }), 2)
    assert.equal(m.sum('desk_callback_store_seconds_count'), tally.accepted + tally.duplicate)
    // Every delivery-report callback that reached the group commit is in exactly one batch.
    assert.equal(m.sum('desk_group_commit_batch_size_sum'), tally.accepted + tally.duplicate + served503 + replays)
    assert.ok(m.sum('desk_group_commit_batch_size_count') <= m.sum('desk_group_commit_batch_size_sum'))

    // Desk-wide gauges (from the database) and the process metrics are there too.
    for (const name of [
      'desk_recipients_in_flight',
      'desk_recipients_overdue',
      'desk_reports_unmatched',
      'desk_last_callback_age_seconds',
      'desk_callbacks_refused_in_window',
      'desk_delivery_alarm',
      'desk_retention_pruned_rows_total',
      'process_cpu_seconds_total',
      'nodejs_eventloop_lag_seconds',
    ])
      assert.match(m.text, new RegExp(`^# TYPE ${name} `, 'm'), `${name} is exported`)
    const inFlight = await db.query(
      `SELECT count(*)::int AS n FROM "MessageRecipient" r JOIN "Message" m ON m.id = r."messageId"
        WHERE r.status IN ('Pending', 'Queued', 'Dispatched') AND m."submitState" = 'SUBMITTED'`
    )
    assert.equal(m.sum('desk_recipients_in_flight'), inFlight.rows[0].n)
    // 7 bad signatures in the window, against 600 callbacks stored: not a refused-share alarm.
    assert.equal(m.sum('desk_callbacks_refused_in_window'), 7)
    assert.equal(m.sum('desk_delivery_alarm', { condition: 'refused_share' }), 0)
  })
})

describe('shutdown', () => {
  it('on SIGTERM /readyz turns 503 at once while the instance still serves, then it exits', async () => {
    const pid = lib.serverPid(api!)
    process.kill(pid, 'SIGTERM')
    await sleep(300)
    const ready = await get('/readyz')
    assert.equal(ready.status, 503)
    assert.equal(JSON.parse(ready.text).reason, 'shutting down')
    assert.equal((await get('/healthz')).status, 200, 'still live while draining')
    const late = reportsFor(26, 26, 1).reports[0]
    const res = await lib.postTo(`${BASE}/sinchCallbacks`, late.body, sign(late.body))
    assert.equal(res.status, 200, 'a callback arriving during the drain is still stored')
    assert.ok(lib.isAlive(pid), 'still running during API_SHUTDOWN_DRAIN_MS')
    assert.ok(await lib.waitForExit(pid, DRAIN_MS + 10_000), 'exits after the drain')
    const stopped = api
    api = undefined
    await stopped?.stop()
  })
})
