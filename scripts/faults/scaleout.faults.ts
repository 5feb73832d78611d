/**
 * Scale out: two `yarn rw serve api` instances on one Postgres, as behind a
 * load balancer. A report stored by one instance is visible to staff logged in
 * on the other within a second (the messageChangeToken the web UI polls is read
 * from Postgres: no in-process state); nonces and idempotency hold across
 * instances (both live in Postgres constraints).
 */
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'

import type pg from 'pg'

import { hashPassword } from '@redwoodjs/auth-dbauth-api'

import {
  deliverLikeSinch,
  msisdn,
  newTally,
  pool,
  postTo,
  prepareDatabase,
  printSummary,
  reportsFor,
  seedMessages,
  shuffle,
  sign,
  sleep,
  startApi,
  stopCluster,
  checkOutcome,
  type Api,
} from './lib'

const PORT_A = Number(process.env.FAULTS_API_PORT_A || 8952)
const PORT_B = Number(process.env.FAULTS_API_PORT_B || 8953)
const USER = { email: 'scaleout@example.com', password: 'scale-out-passphrase' }

const tally = newTally()
const lost: Record<string, number> = {}
let db: pg.Pool
let a: Api | undefined
let b: Api | undefined

const report = (m: number, r: number, status: string, code: number, second: number) =>
  JSON.stringify({
    type: 'recipient_delivery_report_sms',
    batch_id: `FAULTBATCH${m}`,
    recipient: msisdn(m, r),
    code,
    status,
    at: new Date(Date.UTC(2025, 2, 1, 11, 0, second)).toISOString(),
    client_reference: `fault_${m}`,
  })

function record(res: { status: number; json: Record<string, unknown> }) {
  tally.sent++
  if (res.status === 200) {
    if (res.json.status === 'accepted') tally.accepted++
    else if (res.json.status === 'duplicate') tally.duplicate++
    else tally.ignored++
  } else {
    const reason = `${res.status} ${String(res.json.reason ?? res.json.error ?? '')}`.trim()
    tally.rejected[reason] = (tally.rejected[reason] ?? 0) + 1
  }
}

/** Logs in like the web app: POST /auth, then getToken with the cookie. */
async function login(api: Api) {
  const res = await fetch(`${api.url}/auth`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ method: 'login', username: USER.email, password: USER.password }),
  })
  assert.equal(res.status, 200, `login on ${api.name}: ${await res.clone().text()}`)
  const cookie = res.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ')
  const token = await (await fetch(`${api.url}/auth?method=getToken`, { headers: { cookie } })).text()
  assert.ok(token, 'getToken answered a token')
  return { cookie, 'auth-provider': 'dbAuth', authorization: `Bearer ${token}`, 'content-type': 'application/json' }
}

async function graphql(api: Api, headers: Record<string, string>, query: string, variables: Record<string, unknown>) {
  const res = await fetch(`${api.url}/graphql`, { method: 'POST', headers, body: JSON.stringify({ query, variables }) })
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- GraphQL answers of several shapes
  const body = (await res.json()) as { data?: Record<string, any>; errors?: unknown[] }
  assert.equal(body.errors, undefined, JSON.stringify(body.errors))
  return body.data!
}

before(async () => {
  const prepared = await prepareDatabase('delivery_desk_faults_scaleout')
  db = prepared.db
  await seedMessages(db, 1, 30, 10)
  const [hashedPassword, salt] = hashPassword(USER.password)
  await db.query(`INSERT INTO "User" (email, "hashedPassword", salt, name) VALUES ($1, $2, $3, 'Scale out')`, [
    USER.email,
    hashedPassword,
    salt,
  ])
  ;[a, b] = await Promise.all([startApi('api A', PORT_A, prepared.url), startApi('api B', PORT_B, prepared.url)])
})

after(async () => {
  await Promise.all([a?.stop(), b?.stop()])
  await db?.end().catch(() => {})
  await stopCluster()
  printSummary('Fault suite (scale out)', tally, lost)
})

describe('two api instances on one Postgres', () => {
  it('a report sent to A shows on B: its messageChangeToken changes and message() has the new status within a second', async () => {
    const session = await login(b!)
    const tokenQuery = 'query ($id: String!) { messageChangeToken(id: $id) { token } }'
    const messageQuery = 'query ($id: String!) { message(id: $id) { id statusCounts { status count } } }'
    const before = (await graphql(b!, session, tokenQuery, { id: 'fault_1' })).messageChangeToken.token
    const body = report(1, 1, 'Delivered', 0, 5)
    const res = await postTo(a!.callbacks, body, sign(body))
    record(res)
    assert.equal(res.status, 200)
    assert.equal(res.json.status, 'accepted')
    const stored = Date.now()
    let token = before
    let counts: { status: string; count: number }[] = []
    while (Date.now() - stored < 3000) {
      token = (await graphql(b!, session, tokenQuery, { id: 'fault_1' })).messageChangeToken.token
      if (token !== before) {
        counts = (await graphql(b!, session, messageQuery, { id: 'fault_1' })).message.statusCounts
        break
      }
      await sleep(50)
    }
    const visibleAfter = Date.now() - stored
    console.log(`  B saw A's report after ${visibleAfter} ms (token ${before} → ${token})`)
    assert.notEqual(token, before, "B's messageChangeToken changed")
    assert.ok(visibleAfter < 1000, `visible on B within a second (took ${visibleAfter} ms)`)
    assert.equal(
      counts.find((c) => c.status === 'Delivered')?.count,
      1,
      `B's message() counts the delivery: ${JSON.stringify(counts)}`
    )
  })

  it('the same signed request to A then B: the second is a 401 replay and changes nothing', async () => {
    const body = report(2, 1, 'Delivered', 0, 5)
    const headers = sign(body)
    const first = await postTo(a!.callbacks, body, headers)
    record(first)
    assert.equal(first.status, 200)
    const rows = await db.query('SELECT count(*)::int AS n FROM "SmsStatusUpdate"')
    const second = await postTo(b!.callbacks, body, headers)
    record(second)
    assert.equal(second.status, 401)
    assert.deepEqual(second.json, { error: 'unauthenticated' })
    const refused = await db.query('SELECT reason FROM "CallbackRejection" ORDER BY id DESC LIMIT 1')
    assert.equal(refused.rows[0]?.reason, 'nonce_replay')
    assert.deepEqual((await db.query('SELECT count(*)::int AS n FROM "SmsStatusUpdate"')).rows, rows.rows)
  })

  it('the same report with a fresh nonce to A and B at once (50 reports): one row each, one accepted and one duplicate', async () => {
    const bodies = Array.from({ length: 50 }, (_, i) => report(3 + Math.floor(i / 10), (i % 10) + 1, 'Delivered', 0, 7))
    const verdicts: string[] = []
    await pool(bodies, 10, async (body) => {
      const answers = await Promise.all([
        postTo(a!.callbacks, body, sign(body)),
        postTo(b!.callbacks, body, sign(body)),
      ])
      for (const res of answers) {
        record(res)
        assert.equal(res.status, 200)
        verdicts.push(String(res.json.status))
      }
    })
    assert.equal(verdicts.filter((v) => v === 'accepted').length, 50)
    assert.equal(verdicts.filter((v) => v === 'duplicate').length, 50)
    const perReport = await db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM "SmsStatusUpdate" WHERE "batchId" = ANY($1) AND status = 'Delivered' AND at = $2 GROUP BY "dedupeKey"`,
      [
        ['FAULTBATCH3', 'FAULTBATCH4', 'FAULTBATCH5', 'FAULTBATCH6', 'FAULTBATCH7'],
        new Date(Date.UTC(2025, 2, 1, 11, 0, 7)),
      ]
    )
    assert.equal(perReport.rowCount, 50, 'every report stored')
    assert.ok(
      perReport.rows.every((r) => r.n === 1),
      'exactly one row per report'
    )
  })

  it('a sender spread over both instances (duplicates, disorder): lost 0, duplicated 0', async () => {
    const { reports, expected } = reportsFor(10, 30, 10)
    const deliveries = shuffle(
      reports.flatMap((r) => (Math.random() < 0.3 ? [r, r] : [r])),
      0.2
    )
    let n = 0
    await pool(deliveries, 32, (r) =>
      deliverLikeSinch(tally, (attempt) => ((n++ + attempt) % 2 ? a! : b!).callbacks, r.body)
    )
    await checkOutcome(db, lost, 'two instances', reports, expected)
  })
})
