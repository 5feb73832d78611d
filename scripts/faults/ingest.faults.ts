/**
 * Fault suite for /sinchCallbacks (part of `yarn test`; `yarn faults` alone).
 *
 * Real HTTP against the built api (`yarn rw serve api`), on its own embedded
 * Postgres cluster (.pgdata/faults, port 54339) because one scenario stops the
 * database mid-run. Loopback only, bounded in time. The sender behaves like
 * Sinch: 5xx, 429 and connection errors are retried with backoff (the same
 * signed request again), other 4xx are final.
 */
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'

import pg from 'pg'

import { runYarn } from '../lib/processes'

import * as lib from './lib'
import { msisdn, newTally, pool, printSummary, reportsFor, shuffle, sign, type Report } from './lib'

const API_PORT = Number(process.env.FAULTS_API_PORT || 8951)
const DATABASE_URL = lib.databaseUrl('delivery_desk_faults')
const URL_ = `http://127.0.0.1:${API_PORT}/sinchCallbacks`
const CLUSTER_ENV = { ...lib.CLUSTER_ENV, DATABASE_URL }

const tally = newTally()
const lost: Record<string, number> = {}

let api: lib.Api | undefined
let db: pg.Pool

const post = (body: string, headers: Record<string, string>, method = 'POST') => lib.postTo(URL_, body, headers, method)
const deliverLikeSinch = (body: string) => lib.deliverLikeSinch(tally, URL_, body)
const checkOutcome = (label: string, reports: Report[], expected: Map<string, string>) =>
  lib.checkOutcome(db, lost, label, reports, expected)

async function counts() {
  const r =
    await db.query(`SELECT (SELECT count(*) FROM "SmsStatusUpdate")::int AS updates, (SELECT count(*) FROM "CallbackEvent")::int AS events,
    (SELECT count(*) FROM "CallbackEvent" WHERE nonce IS NOT NULL)::int AS nonces, (SELECT count(*) FROM "MessageRecipient" WHERE status <> 'Pending')::int AS moved,
    (SELECT count(*) FROM "CallbackRejection")::int AS rejections`)
  return r.rows[0] as { updates: number; events: number; nonces: number; moved: number; rejections: number }
}

/** The reasons of the refused callbacks recorded after the first `count` ones (the callback log's "Refused (401)"). */
async function rejectionsSince(count: number) {
  const r = await db.query<{ reason: string }>('SELECT reason FROM "CallbackRejection" ORDER BY id OFFSET $1', [count])
  return r.rows.map((row) => row.reason)
}

before(async () => {
  ;({ db } = await lib.prepareDatabase('delivery_desk_faults'))
  await lib.seedMessages(db, 1, 80, 20)
  api = await lib.startApi('api', API_PORT, DATABASE_URL)
})

after(async () => {
  await api?.stop()
  await db?.end().catch(() => {})
  await runYarn(['db', 'stop'], CLUSTER_ENV)
  printSummary('Fault suite (ingest)', tally, lost)
})

describe('ingestion under duplicates, disorder and concurrency', () => {
  it('64 senders, 30% of reports repeated, 20% shuffled: every recipient ends at its final status, one row per report', async () => {
    const { reports, expected } = reportsFor(1, 40, 20)
    const deliveries: Report[] = []
    for (const r of reports) {
      deliveries.push(r)
      if (Math.random() < 0.3) for (let k = 0; k < 1 + Math.floor(Math.random() * 2); k++) deliveries.push(r)
    }
    const before = tally.duplicate
    await pool(shuffle(deliveries, 0.2), 64, (r) => deliverLikeSinch(r.body))
    assert.equal(tally.duplicate - before, deliveries.length - reports.length, 'every repeat answered as a duplicate')
    await checkOutcome('duplicates and disorder', reports, expected)
  })
})

describe('the database stops mid-run', () => {
  it('answers 5xx while it is down; a sender that retries like Sinch loses nothing and duplicates nothing', async () => {
    const { reports, expected } = reportsFor(41, 60, 20)
    const stopper = (async () => {
      await new Promise((r) => setTimeout(r, 1000))
      await runYarn(['db', 'stop'], CLUSTER_ENV)
      await new Promise((r) => setTimeout(r, 3000))
      await runYarn(['db', 'start'], CLUSTER_ENV)
    })()
    let answered5xxWhileDown = 0
    await Promise.all([
      stopper,
      // Paced (~130 callbacks/s) so that the run spans the whole outage.
      pool(shuffle(reports, 0.2), 32, async (r) => {
        await new Promise((resolve) => setTimeout(resolve, 250))
        const result = await deliverLikeSinch(r.body)
        if (result.saw5xx) answered5xxWhileDown++
        // A commit that reached Postgres just before it stopped may have had
        // its answer lost; Sinch's retry then repeats a used nonce (401). The
        // report itself is stored: checkOutcome proves it.
        assert.ok(result.status === 200 || (result.saw5xx && result.status === 401), `unexpected ${result.status}`)
      }),
    ])
    assert.ok(answered5xxWhileDown > 0, 'some deliveries saw the outage (5xx or connection error) and were retried')
    assert.ok((tally.retryCauses['503'] ?? 0) > 0, 'the api answered 503 while the database was down')
    assert.equal(tally.retryCauses['500'] ?? 0, 0, 'an unreachable database is a 503, never a 500')
    await checkOutcome('database restart', reports, expected)
  })
})

describe('bad input gets a clear answer and changes nothing', () => {
  const valid = () =>
    JSON.stringify({
      type: 'recipient_delivery_report_sms',
      batch_id: 'FAULTBATCH61',
      recipient: msisdn(61, 1),
      code: 0,
      status: 'Delivered',
      at: new Date().toISOString(),
    })

  // 'refused: <reason>': a 401 writes nothing but one refused-callback row with that reason.
  const cases: [string, () => Promise<{ status: number }>, number, 'nothing' | 'log only' | `refused: ${string}`][] = [
    [
      'bad signature',
      () => post(valid(), sign(valid(), { secret: 'not-the-secret' })),
      401,
      'refused: signature_mismatch',
    ],
    [
      'stale timestamp',
      () => post(valid(), sign(valid(), { timestamp: Math.floor(Date.now() / 1000) - 900 })),
      401,
      'refused: timestamp_out_of_window',
    ],
    [
      'future timestamp',
      () => post(valid(), sign(valid(), { timestamp: Math.floor(Date.now() / 1000) + 900 })),
      401,
      'refused: timestamp_out_of_window',
    ],
    [
      'unsupported algorithm',
      () => post(valid(), sign(valid(), { algorithm: 'HmacSHA1' })),
      401,
      'refused: unsupported_algorithm',
    ],
    ['wrong method', () => post('', sign(''), 'GET'), 405, 'nothing'],
    ['wrong content type', () => post(valid(), { ...sign(valid()), 'content-type': 'text/plain' }), 415, 'nothing'],
    [
      '1 MiB body',
      () => {
        const big = JSON.stringify({ type: 'recipient_delivery_report_sms', padding: 'x'.repeat(1024 * 1024) })
        return post(big, sign(big))
      },
      413,
      'nothing',
    ],
    ['malformed JSON', () => post('{"type":', sign('{"type":')), 400, 'log only'],
    [
      'valid JSON of the wrong shape',
      () => {
        const body = JSON.stringify({ type: 'recipient_delivery_report_sms', batch_id: 7 })
        return post(body, sign(body))
      },
      400,
      'log only',
    ],
    [
      'a report with a field nested 5,000 deep',
      () => {
        const body = valid().replace(/}$/, `,"extra":${'['.repeat(5000)}${']'.repeat(5000)}}`)
        return post(body, sign(body))
      },
      400,
      'log only',
    ],
    [
      'an mo_text with a field nested 5,000 deep',
      () => {
        const mo = {
          type: 'mo_text',
          id: 'DEEP1',
          from: msisdn(61, 2),
          to: '12345',
          body: 'hi',
          received_at: new Date(),
        }
        const body = JSON.stringify(mo).replace(/}$/, `,"extra":${'{"a":'.repeat(5000)}1${'}'.repeat(5000)}}`)
        return post(body, sign(body))
      },
      400,
      'log only',
    ],
    [
      'unknown report type',
      () => {
        const body = JSON.stringify({ type: 'delivery_report_fax', id: 'x' })
        return post(body, sign(body))
      },
      200,
      'log only',
    ],
  ]

  for (const [name, send, status, writes] of cases) {
    it(`${name} → ${status}, ${writes === 'nothing' ? 'no write' : writes === 'log only' ? 'callback log only' : `no write but its refused-callback row (${writes.slice(9)})`}`, async () => {
      const before = await counts()
      const res = await send()
      tally.sent++
      if (res.status !== 200)
        tally.rejected[`${res.status} ${name}`] = (tally.rejected[`${res.status} ${name}`] ?? 0) + 1
      else tally.ignored++
      assert.equal(res.status, status)
      const after = await counts()
      assert.equal(after.updates, before.updates, 'no report stored')
      assert.equal(after.moved, before.moved, 'no recipient moved')
      assert.equal(after.events, before.events + (writes === 'log only' ? 1 : 0))
      if (writes !== 'log only') assert.equal(after.nonces, before.nonces, 'no nonce')
      assert.deepEqual(
        await rejectionsSince(before.rejections),
        writes.startsWith('refused: ') ? [writes.slice(9)] : []
      )
    })
  }

  it('replayed nonce → 401, no write but its refused-callback row (nonce_replay)', async () => {
    const body = valid()
    const headers = sign(body)
    assert.equal((await post(body, headers)).status, 200)
    const before = await counts()
    const replay = await post(body, headers)
    tally.sent += 2
    tally.accepted++
    tally.rejected['401 replayed nonce'] = (tally.rejected['401 replayed nonce'] ?? 0) + 1
    assert.equal(replay.status, 401)
    assert.deepEqual(await counts(), { ...before, rejections: before.rejections + 1 })
    assert.deepEqual(await rejectionsSince(before.rejections), ['nonce_replay'])
  })
})
