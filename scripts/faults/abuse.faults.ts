/**
 * What an attacker can cost us, over real HTTP against the built api
 * (`yarn rw serve api`, NODE_ENV=production) on one Postgres:
 *
 * - A flood of 5,000 badly signed callbacks while Sinch's real ones arrive:
 *   every real callback is answered 200 (none 503, none retried), none is lost,
 *   and the refused-callback rows stay within the per-address budget while
 *   every refusal is still counted.
 * - Sign-in throttling across two api instances: failures on A and on B count
 *   together, also when they race.
 * - The callback URL's ?token= never reaches a log line (fastify's request log
 *   at LOG_LEVEL=info included).
 *
 * Ports: FAULTS_API_PORT_ABUSE_A / _B (default 8959, 8960: the operations file uses 8956-8958).
 */
import assert from 'node:assert/strict'
import crypto from 'node:crypto'
import { after, before, describe, it } from 'node:test'

import type pg from 'pg'

import { hashPassword } from '@redwoodjs/auth-dbauth-api'

import {
  checkOutcome,
  deliverLikeSinch,
  newTally,
  percentile,
  pool,
  postTo,
  prepareDatabase,
  printSummary,
  reportsFor,
  seedMessages,
  sign,
  sleep,
  startApi,
  stopCluster,
  type Api,
  type Delivery,
} from './lib'

const PORT_A = Number(process.env.FAULTS_API_PORT_ABUSE_A || 8959)
const PORT_B = Number(process.env.FAULTS_API_PORT_ABUSE_B || 8960)
const FLOOD = 5000
/** The api's default CALLBACK_REJECTIONS_PER_ADDRESS_PER_HOUR. */
const ROWS_PER_ADDRESS_PER_HOUR = 100
const PASSWORD = 'abuse-suite-passphrase'

const tally = newTally()
const lost: Record<string, number> = {}
let db: pg.Pool
let a: Api | undefined
let b: Api | undefined
let logOfA = ''

before(async () => {
  const prepared = await prepareDatabase('delivery_desk_faults_abuse')
  db = prepared.db
  await seedMessages(db, 1, 30, 10)
  for (const email of ['ana@abuse.test', 'bo@abuse.test']) {
    const [hashedPassword, salt] = hashPassword(PASSWORD)
    await db.query(`INSERT INTO "User" (email, "hashedPassword", salt) VALUES ($1, $2, $3)`, [
      email,
      hashedPassword,
      salt,
    ])
  }
  // A logs at info, the most production allows: fastify then logs every request with its URL.
  ;[a, b] = await Promise.all([
    startApi('api A', PORT_A, prepared.url, { LOG_LEVEL: 'info' }),
    startApi('api B', PORT_B, prepared.url),
  ])
  a.child.stdout?.on('data', (chunk: Buffer) => (logOfA += chunk.toString('utf8')))
  a.child.stderr?.on('data', (chunk: Buffer) => (logOfA += chunk.toString('utf8')))
})

after(async () => {
  await Promise.all([a?.stop(), b?.stop()])
  await db?.end().catch(() => {})
  await stopCluster()
  printSummary('Fault suite (abuse)', tally, lost)
})

describe('a flood of badly signed callbacks', () => {
  it(`${FLOOD} bad signatures while 600 real reports arrive: real ones all 200, none 503, rows bounded, refusals counted`, async () => {
    // The same load without a flood first, for comparison (figures only: timing is no test on this machine).
    const quiet = reportsFor(21, 30, 10)
    const quietMs: number[] = []
    await pool(quiet.reports, 8, async (report) => {
      const started = Date.now()
      assert.equal((await deliverLikeSinch(tally, a!.callbacks, report.body)).status, 200)
      quietMs.push(Date.now() - started)
    })
    await checkOutcome(db, lost, 'before the flood', quiet.reports, quiet.expected)

    const { reports, expected } = reportsFor(1, 20, 10)
    const floodAnswers: Record<number, number> = {}
    let floodDone = false
    const floodStarted = Date.now()
    const flood = pool(
      Array.from({ length: FLOOD }, (_, i) => i),
      48,
      async (i) => {
        const body = reports[i % reports.length].body
        const res = await postTo(a!.callbacks, body, sign(body, { secret: 'an-attackers-guess' }))
        floodAnswers[res.status] = (floodAnswers[res.status] ?? 0) + 1
        assert.deepEqual(res.json, { error: 'unauthenticated' })
      }
    ).finally(() => (floodDone = true))

    const deliveries: (Delivery & { ms: number; duringFlood: boolean })[] = []
    await sleep(200) // the flood is under way
    await pool(reports, 8, async (report) => {
      const started = Date.now()
      const delivery = await deliverLikeSinch(tally, a!.callbacks, report.body)
      deliveries.push({ ...delivery, ms: Date.now() - started, duringFlood: !floodDone })
    })
    await flood
    const floodSeconds = (Date.now() - floodStarted) / 1000

    const during = deliveries.filter((d) => d.duringFlood).map((d) => d.ms)
    console.log(
      `  flood: ${FLOOD} requests in ${floodSeconds.toFixed(1)} s (${JSON.stringify(floodAnswers)}); ` +
        `${during.length} of ${deliveries.length} real reports answered during it, p50 ${percentile(during, 50)} ms, ` +
        `p99 ${percentile(during, 99)} ms (without a flood: p50 ${percentile(quietMs, 50)} ms, p99 ${percentile(quietMs, 99)} ms)`
    )
    assert.deepEqual(floodAnswers, { 401: FLOOD })
    assert.ok(during.length >= 100, `most real reports arrived during the flood (${during.length})`)
    assert.deepEqual(
      deliveries.filter((d) => d.status !== 200 || d.saw5xx || d.attempts !== 1),
      [],
      'every real report answered 200 at the first attempt'
    )
    assert.deepEqual(tally.retryCauses, {}, 'no 503, no retry')
    await checkOutcome(db, lost, 'flood', reports, expected)

    const rows = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM "CallbackRejection"')
    assert.equal(rows.rows[0].n, ROWS_PER_ADDRESS_PER_HOUR, 'refused-callback rows bounded by the per-address budget')
    // Instances add what they counted in memory every 2 s.
    let counted = 0
    for (let i = 0; i < 20 && counted < FLOOD; i++) {
      await sleep(500)
      counted = (
        await db.query<{ n: number }>('SELECT coalesce(sum(refused), 0)::int AS n FROM "CallbackRejectionBudget"')
      ).rows[0].n
    }
    assert.equal(counted, FLOOD, 'every refusal counted')
    console.log(`  refused-callback rows: ${rows.rows[0].n}; refusals counted: ${counted}`)
  })
})

describe('sign-in throttling across two instances', () => {
  const logIn = async (api: Api, email: string, password: string) => {
    const res = await fetch(`${api.url}/auth`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ method: 'login', username: email, password }),
    })
    return { status: res.status, error: ((await res.json().catch(() => ({}))) as { error?: string }).error }
  }

  it('5 failures spread over A and B lock the account on both, with a clear message', async () => {
    for (let i = 0; i < 5; i++) {
      const res = await logIn(i % 2 ? b! : a!, 'ana@abuse.test', `wrong-${i}`)
      assert.deepEqual(res, { status: 400, error: 'Wrong email or password.' })
    }
    for (const api of [a!, b!]) {
      const res = await logIn(api, 'ana@abuse.test', PASSWORD)
      assert.equal(res.status, 400)
      assert.match(res.error ?? '', /^Too many failed sign-ins for this account\. Try again in 15 minutes\.$/)
    }
    assert.equal((await logIn(b!, 'bo@abuse.test', PASSWORD)).status, 200, 'another account still signs in')
  })

  it('10 wrong passwords racing on A and B: exactly 5 are checked', async () => {
    const answers = await Promise.all(
      Array.from({ length: 10 }, (_, i) => logIn(i % 2 ? b! : a!, 'bo@abuse.test', `wrong-${crypto.randomUUID()}`))
    )
    const checked = answers.filter((r) => r.error === 'Wrong email or password.').length
    const refused = answers.filter((r) => /^Too many failed sign-ins/.test(r.error ?? '')).length
    console.log(`  racing sign-ins: ${checked} checked, ${refused} refused unchecked`)
    assert.equal(checked, 5)
    assert.equal(refused, 5)
    const rows = await db.query<{ outcome: string; n: number }>(
      `SELECT outcome, count(*)::int AS n FROM "SignInAttempt" WHERE email = 'bo@abuse.test' GROUP BY 1 ORDER BY 1`
    )
    assert.deepEqual(rows.rows, [
      { outcome: 'failed', n: 5 },
      { outcome: 'succeeded', n: 1 },
      { outcome: 'throttled', n: 5 },
    ])
  })
})

describe('logs', () => {
  it("the callback URL's ?token= is masked in every log line, fastify's request log included", async () => {
    const token = `tok${crypto.randomBytes(16).toString('hex')}`
    const body = '{}'
    const res = await postTo(`${a!.callbacks}?token=${token}`, body, sign(body, { secret: 'wrong' }))
    assert.equal(res.status, 401)
    await sleep(500)
    assert.ok(!logOfA.includes(token), 'the token is in no log line')
    const lines = logOfA.split('\n').filter((l) => l.includes('/sinchCallbacks?token='))
    assert.ok(lines.length > 0, 'the request was logged (so the check above means something)')
    assert.ok(
      lines.every((l) => l.includes('token=…')),
      lines.join('\n')
    )
  })
})
