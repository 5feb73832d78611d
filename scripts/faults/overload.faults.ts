/**
 * Overload on the callback path, against one instance with a pool of two
 * connections (DATABASE_POOL_SIZE=2) and a 3 s request timeout:
 * - the database too busy to serve it (every connection stuck behind a lock
 *   another client holds): /sinchCallbacks answers 503 with Retry-After within
 *   5 s — never a 4xx, which Sinch would drop — and writes nothing; Sinch's
 *   retries then store everything once.
 * - slow clients (a body trickled at 1 byte/s) are cut off by the request
 *   timeout and barely move the other senders' p99.
 */
import assert from 'node:assert/strict'
import net from 'node:net'
import { after, before, describe, it } from 'node:test'

import pg from 'pg'

import {
  deliverLikeSinch,
  msisdn,
  newTally,
  percentile,
  pool,
  postTo,
  prepareDatabase,
  printSummary,
  seedMessages,
  sign,
  sleep,
  startApi,
  stopCluster,
  type Api,
} from './lib'

const PORT = Number(process.env.FAULTS_API_PORT_OVERLOAD || 8955)
const REQUEST_TIMEOUT_MS = 3000
const tally = newTally()
const lost: Record<string, number> = {}
let db: pg.Pool
let dbUrl: string
let api: Api | undefined

before(async () => {
  ;({ db, url: dbUrl } = await prepareDatabase('delivery_desk_faults_overload'))
  await seedMessages(db, 1, 40, 10)
  api = await startApi('api', PORT, dbUrl, {
    DATABASE_POOL_SIZE: '2',
    API_REQUEST_TIMEOUT_MS: String(REQUEST_TIMEOUT_MS),
  })
})

after(async () => {
  await api?.stop()
  await db?.end().catch(() => {})
  await stopCluster()
  printSummary('Fault suite (overload)', tally, lost)
})

const report = (m: number, r: number, second: number) =>
  JSON.stringify({
    type: 'recipient_delivery_report_sms',
    batch_id: `FAULTBATCH${m}`,
    recipient: msisdn(m, r),
    code: 0,
    status: 'Delivered',
    at: new Date(Date.UTC(2025, 2, 1, 12, 0, second)).toISOString(),
  })

async function counts() {
  const r =
    await db.query(`SELECT (SELECT count(*) FROM "SmsStatusUpdate")::int AS updates, (SELECT count(*) FROM "CallbackEvent")::int AS events,
    (SELECT count(*) FROM "WebhookNonce")::int AS nonces, (SELECT count(*) FROM "InboundMessage")::int AS inbound,
    (SELECT count(*) FROM "MessageRecipient" WHERE status <> 'Pending')::int AS moved`)
  return r.rows[0] as Record<string, number>
}

describe('the database is too busy', () => {
  it('every connection stuck behind a lock: 503 with Retry-After within 5 s, nothing written; Sinch-like retries then store everything once', async () => {
    const before = await counts()
    const bodies = [
      ...Array.from({ length: 16 }, (_, i) => report(1 + Math.floor(i / 10), (i % 10) + 1, 1)),
      // Replies take the other path (one Prisma transaction each).
      ...Array.from({ length: 4 }, (_, i) =>
        JSON.stringify({
          type: 'mo_text',
          id: `overload-mo-${i}`,
          from: msisdn(30, i + 1),
          to: '12345',
          body: 'hello',
          received_at: '2025-03-01T12:00:00.000Z',
        })
      ),
    ]
    const signed = bodies.map((body) => ({ body, headers: sign(body) }))

    // Another client holds the table every callback writes (its nonce) — as a
    // migration or a runaway transaction would.
    const holder = new pg.Client({ connectionString: dbUrl })
    await holder.connect()
    await holder.query('BEGIN')
    await holder.query('LOCK TABLE "WebhookNonce" IN ACCESS EXCLUSIVE MODE')
    const answers = await Promise.all(
      signed.map(async ({ body, headers }, i) => {
        await sleep(i < 10 ? 0 : 500) // some arrive while the first ones already wait
        const started = Date.now()
        const res = await postTo(api!.callbacks, body, headers).catch((error: Error) => ({
          status: 0,
          headers: new Headers(),
          json: { error: error.message },
        }))
        return {
          status: res.status,
          ms: Date.now() - started,
          retryAfter: res.headers.get('retry-after'),
          json: res.json,
        }
      })
    )
    await holder.query('ROLLBACK')
    await holder.end()

    const slowest = Math.max(...answers.map((a) => a.ms))
    const byStatus = answers.reduce<Record<number, number>>(
      (acc, a) => ((acc[a.status] = (acc[a.status] ?? 0) + 1), acc),
      {}
    )
    console.log(
      `  database busy: answers ${JSON.stringify(byStatus)}, slowest ${slowest} ms, median ${percentile(
        answers.map((a) => a.ms),
        50
      )} ms`
    )
    for (const a of answers) tally.retryCauses[String(a.status)] = (tally.retryCauses[String(a.status)] ?? 0) + 1
    tally.retried += answers.length
    assert.deepEqual(
      answers.filter((a) => a.status !== 503),
      [],
      'every callback answered 503 (never 2xx while nothing could be stored, never 4xx)'
    )
    assert.ok(
      answers.every((a) => a.retryAfter),
      'with Retry-After'
    )
    assert.ok(slowest < 5000, `within 5 s (slowest ${slowest} ms)`)
    assert.deepEqual(
      await counts(),
      before,
      'nothing half-written: no report, no log entry, no nonce, no reply, no recipient moved'
    )

    // Sinch retries the same signed requests: each is stored once, none is a replay.
    const results = await Promise.all(
      signed.map(({ body, headers }) => deliverLikeSinch(tally, api!.callbacks, body, { headers }))
    )
    assert.deepEqual(
      results.map((r) => r.status),
      signed.map(() => 200)
    )
    const after = await counts()
    assert.equal(after.updates - before.updates, 16, 'one row per report')
    assert.equal(after.inbound - before.inbound, 4, 'one row per reply')
    lost['database busy'] = 16 + 4 - (after.updates - before.updates) - (after.inbound - before.inbound)
  })
})

/** A client that sends the headers of a signed callback, then its body at one byte per second. */
function slowClient(index: number) {
  const body = report(20, index + 1, 30)
  const headers = { ...sign(body), 'content-length': String(Buffer.byteLength(body)) }
  const started = Date.now()
  return new Promise<{ ms: number; answer: string; bytesSent: number }>((resolve) => {
    const socket = net.connect(PORT, '127.0.0.1')
    let answer = ''
    let sent = 0
    let timer: NodeJS.Timeout | undefined
    const done = () => {
      clearInterval(timer)
      resolve({ ms: Date.now() - started, answer: answer.split('\r\n')[0], bytesSent: sent })
    }
    socket.on('connect', () => {
      socket.write(
        `POST /sinchCallbacks HTTP/1.1\r\nHost: 127.0.0.1:${PORT}\r\n${Object.entries(headers)
          .map(([k, v]) => `${k}: ${v}\r\n`)
          .join('')}\r\n`
      )
      timer = setInterval(() => {
        if (sent < body.length - 1) socket.write(body[sent++])
      }, 1000)
    })
    socket.on('data', (chunk) => (answer += chunk.toString('latin1')))
    socket.on('close', done)
    socket.on('error', () => {})
    // Bounded: the suite never waits on a client the server forgot.
    setTimeout(() => socket.destroy(), REQUEST_TIMEOUT_MS + 10_000).unref()
  })
}

describe('slow clients', () => {
  it('20 clients trickling 1 byte/s are cut off by the request timeout; the other senders p99 stays within 3× + 50 ms', async () => {
    const normal = async (m: number, second: number) => {
      const latencies: number[] = []
      const bodies = Array.from({ length: 200 }, (_, i) => report(m + Math.floor(i / 10), (i % 10) + 1, second))
      await pool(bodies, 8, async (body) => {
        const started = performance.now()
        const result = await deliverLikeSinch(tally, api!.callbacks, body)
        latencies.push(performance.now() - started)
        assert.equal(result.status, 200)
        await sleep(60)
      })
      return latencies
    }
    // Warm up, then measure without and with the slow clients connected.
    await normal(1, 40)
    const without = await normal(1, 41)
    const slow = Array.from({ length: 20 }, (_, i) => slowClient(i))
    await sleep(200)
    const withSlow = await normal(21, 42)
    const cutOff = await Promise.all(slow)

    const p99Without = percentile(without, 99)
    const p99With = percentile(withSlow, 99)
    console.log(
      `  normal senders p99: ${p99Without.toFixed(1)} ms without, ${p99With.toFixed(1)} ms with 20 slow clients (p50 ${percentile(without, 50).toFixed(1)} → ${percentile(withSlow, 50).toFixed(1)} ms)\n` +
        `  slow clients cut off after ${Math.min(...cutOff.map((c) => c.ms))}–${Math.max(...cutOff.map((c) => c.ms))} ms with "${cutOff[0].answer}" (request timeout ${REQUEST_TIMEOUT_MS} ms)`
    )
    for (const c of cutOff) {
      tally.sent++
      const reason = `${c.answer.split(' ')[1] ?? 'closed'} slow client cut off`
      tally.rejected[reason] = (tally.rejected[reason] ?? 0) + 1
    }
    assert.ok(
      cutOff.every((c) => c.ms >= REQUEST_TIMEOUT_MS - 200 && c.ms < REQUEST_TIMEOUT_MS + 2500),
      'cut off by the request timeout, not before and not much after'
    )
    assert.ok(
      cutOff.every((c) => /^HTTP\/1\.1 408/.test(c.answer) || c.answer === ''),
      `answered 408 or closed: ${cutOff[0].answer}`
    )
    assert.ok(
      cutOff.every((c) => c.bytesSent < 10),
      'they were still trickling'
    )
    assert.ok(
      p99With <= 3 * p99Without + 50,
      `p99 with slow clients ${p99With.toFixed(1)} ms ≤ 3 × ${p99Without.toFixed(1)} + 50 ms`
    )
    const rows = await db.query(
      `SELECT count(*)::int AS n FROM "SmsStatusUpdate" WHERE "batchId" = 'FAULTBATCH20' AND at = $1`,
      [new Date(Date.UTC(2025, 2, 1, 12, 0, 30))]
    )
    assert.equal(rows.rows[0].n, 0, 'nothing stored from a cut-off request')
  })
})
