/**
 * Overload on the callback path, against one instance with a pool of two
 * connections (DATABASE_POOL_SIZE=2) and a 3 s request timeout:
 * - the database too busy to serve it (every connection stuck behind a lock
 *   another client holds): /sinchCallbacks answers 503 with Retry-After within
 *   5 s — never a 4xx, which Sinch would drop — and writes nothing; Sinch's
 *   retries then store everything once. Also with 200 callbacks at once: a
 *   callback waits for a connection a bounded time, queueing included,
 *   instead of behind every earlier group commit (before that bound, 50 of
 *   the 200 took 5–6 s).
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
    // The answer-time budget under overload (README, status codes): a callback
    // waits at most DATABASE_CONNECT_TIMEOUT_MS for a connection (queueing
    // included), then at most DATABASE_LOCK_TIMEOUT_MS for a lock: 3.5 s here.
    DATABASE_CONNECT_TIMEOUT_MS: '1500',
    DATABASE_LOCK_TIMEOUT_MS: '2000',
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
    (SELECT count(*) FROM "CallbackEvent" WHERE nonce IS NOT NULL)::int AS nonces, (SELECT count(*) FROM "InboundMessage")::int AS inbound,
    (SELECT count(*) FROM "MessageRecipient" WHERE status <> 'Pending')::int AS moved`)
  return r.rows[0] as Record<string, number>
}

type Answer = { status: number; ms: number; retryAfter: string | null; json: Record<string, unknown> }

/**
 * Posts every signed callback while another client holds the table every
 * callback writes first (the callback log, whose row consumes its nonce), as
 * a migration or a runaway transaction would;
 * `delayOf(i)` staggers the arrivals. Releases the lock once all are answered.
 */
async function postWhileHeld(
  signed: { body: string; headers: Record<string, string> }[],
  delayOf: (i: number) => number
): Promise<Answer[]> {
  const holder = new pg.Client({ connectionString: dbUrl })
  await holder.connect()
  await holder.query('BEGIN')
  await holder.query('LOCK TABLE "CallbackEvent" IN ACCESS EXCLUSIVE MODE')
  try {
    return await Promise.all(
      signed.map(async ({ body, headers }, i) => {
        await sleep(delayOf(i))
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
  } finally {
    await holder.query('ROLLBACK')
    await holder.end()
  }
}

/** Every answer a 503 with Retry-After within 5 s, nothing written; then Sinch's retries store each once. */
async function checkHeldThenRetried(
  label: string,
  signed: { body: string; headers: Record<string, string> }[],
  answers: Answer[],
  before: Record<string, number>,
  expected: { updates: number; inbound: number }
) {
  const ms = answers.map((a) => a.ms)
  const slowest = Math.max(...ms)
  const byStatus = answers.reduce<Record<number, number>>(
    (acc, a) => ((acc[a.status] = (acc[a.status] ?? 0) + 1), acc),
    {}
  )
  const late = answers.filter((a) => a.ms >= 5000).length
  console.log(
    `  ${label}: answers ${JSON.stringify(byStatus)}, median ${percentile(ms, 50)} ms, p90 ${percentile(ms, 90)} ms, slowest ${slowest} ms, ${late} at 5 s or later`
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
  assert.ok(slowest < 5000, `every answer within 5 s (slowest ${slowest} ms, ${late} of ${answers.length} late)`)
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
  assert.equal(after.updates - before.updates, expected.updates, 'one row per report')
  assert.equal(after.inbound - before.inbound, expected.inbound, 'one row per reply')
  lost[label] =
    expected.updates + expected.inbound - (after.updates - before.updates) - (after.inbound - before.inbound)
}

const reply = (id: string, from: string) =>
  JSON.stringify({
    type: 'mo_text',
    id,
    from,
    to: '12345',
    body: 'hello',
    received_at: '2025-03-01T12:00:00.000Z',
  })

describe('the database is too busy', () => {
  it('every connection stuck behind a lock: 503 with Retry-After within 5 s, nothing written; Sinch-like retries then store everything once', async () => {
    const before = await counts()
    const bodies = [
      ...Array.from({ length: 16 }, (_, i) => report(1 + Math.floor(i / 10), (i % 10) + 1, 1)),
      // Replies take the other path (one Prisma transaction each).
      ...Array.from({ length: 4 }, (_, i) => reply(`overload-mo-${i}`, msisdn(30, i + 1))),
    ]
    const signed = bodies.map((body) => ({ body, headers: sign(body) }))
    // Some arrive while the first ones already wait.
    const answers = await postWhileHeld(signed, (i) => (i < 10 ? 0 : 500))
    await checkHeldThenRetried('database busy', signed, answers, before, { updates: 16, inbound: 4 })
  })

  it('200 callbacks at once while the database is held: every one answered 503 with Retry-After within 5 s, then stored once', async () => {
    const before = await counts()
    const bodies = [
      // 180 reports to 18 messages' recipients, and 20 replies.
      ...Array.from({ length: 180 }, (_, i) => report(3 + Math.floor(i / 10), (i % 10) + 1, 2)),
      ...Array.from({ length: 20 }, (_, i) => reply(`overload-burst-mo-${i}`, msisdn(31, i + 1))),
    ]
    const signed = bodies.map((body) => ({ body, headers: sign(body) }))
    const answers = await postWhileHeld(signed, () => 0)
    await checkHeldThenRetried('200 at once, database busy', signed, answers, before, { updates: 180, inbound: 20 })
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
