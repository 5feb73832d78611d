/**
 * An instance stops while Sinch is sending: SIGTERM (a deploy, a scale-in)
 * must finish and answer the requests in flight and refuse new connections;
 * kill -9 (a crash, the OOM killer) loses only requests that were never
 * answered. Either way, once it is back and Sinch has retried: lost 0,
 * duplicated 0.
 */
import assert from 'node:assert/strict'
import net from 'node:net'
import { after, before, describe, it } from 'node:test'

import pg from 'pg'

import {
  checkOutcome,
  deliverLikeSinch,
  isAlive,
  msisdn,
  newTally,
  pool,
  postTo,
  prepareDatabase,
  printSummary,
  reportsFor,
  seedMessages,
  serverPid,
  shuffle,
  sign,
  sleep,
  startApi,
  stopCluster,
  waitForExit,
  type Api,
  type Report,
} from './lib'

const PORT = Number(process.env.FAULTS_API_PORT_RESTARTS || 8954)
// The SIGTERM scenario holds a batch lock for about a second: well within this.
const API_ENV = { DATABASE_LOCK_TIMEOUT_MS: '5000' }
const tally = newTally()
const lost: Record<string, number> = {}
let db: pg.Pool
let dbUrl: string
let api: Api | undefined

before(async () => {
  ;({ db, url: dbUrl } = await prepareDatabase('delivery_desk_faults_restarts'))
  await seedMessages(db, 1, 40, 10)
  await seedMessages(db, 99, 99, 10)
  api = await startApi('api', PORT, dbUrl, API_ENV)
})

after(async () => {
  await api?.stop()
  await db?.end().catch(() => {})
  await stopCluster()
  printSummary('Fault suite (restarts)', tally, lost)
})

/** Does a new TCP connection to the port get refused? */
const refused = () =>
  new Promise<boolean>((resolve) => {
    const socket = net.connect(PORT, '127.0.0.1')
    socket.once('connect', () => {
      socket.destroy()
      resolve(false)
    })
    socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code === 'ECONNREFUSED'))
  })

/** Streams `reports` at ~`perSecond` through a Sinch-like sender; every delivery must end 200 (or 401 after a lost answer). */
async function stream(reports: Report[], perSecond: number) {
  const concurrency = 16
  await pool(reports, concurrency, async (r) => {
    await sleep((1000 * concurrency) / perSecond)
    const result = await deliverLikeSinch(tally, api!.callbacks, r.body, { attempts: 20 })
    // A commit whose answer was lost with the connection: Sinch's retry
    // repeats a used nonce (401); checkOutcome proves the report is stored.
    assert.ok(result.status === 200 || (result.saw5xx && result.status === 401), `unexpected ${result.status}`)
  })
}

describe('an instance stops mid-load', () => {
  it('SIGTERM: in-flight requests are answered 2xx, new connections are refused; after a restart and retries: lost 0, duplicated 0', async () => {
    const { reports, expected } = reportsFor(1, 20, 10)
    const sending = stream(shuffle(reports, 0.2), 120)

    await sleep(1000)
    // Keep a few requests in flight across the SIGTERM: their batch is locked
    // (as a long transaction would), so they wait inside the server.
    const holder = new pg.Client({ connectionString: dbUrl })
    await holder.connect()
    await holder.query(`SELECT pg_advisory_lock(hashtext('batch:FAULTBATCH99'))`)
    const held = Array.from({ length: 5 }, (_, i) => {
      const body = JSON.stringify({
        type: 'recipient_delivery_report_sms',
        batch_id: 'FAULTBATCH99',
        recipient: msisdn(99, i + 1),
        code: 0,
        status: 'Delivered',
        at: '2025-03-01T12:00:00.000Z',
      })
      return postTo(api!.callbacks, body, sign(body)).then((res) => ({ ...res, at: Date.now() }))
    })
    await sleep(300)

    const pid = serverPid(api!)
    const sigtermAt = Date.now()
    process.kill(pid, 'SIGTERM')
    await sleep(150)
    const refusedWhileDraining = await refused()
    const stillDraining = isAlive(pid)
    await sleep(450)
    await holder.query(`SELECT pg_advisory_unlock(hashtext('batch:FAULTBATCH99'))`)
    await holder.end()

    const answers = await Promise.all(held)
    for (const res of answers) {
      tally.sent++
      if (res.status === 200) tally.accepted++
    }
    assert.ok(await waitForExit(pid, 12_000), 'the server exits once it has drained')
    const exitedAfter = Date.now() - sigtermAt
    await api!.stop()
    api = await startApi('api', PORT, dbUrl, API_ENV)
    await sending

    console.log(
      `  SIGTERM: ${answers.filter((r) => r.status === 200 && r.at > sigtermAt).length}/5 held requests answered 200 after the signal; ` +
        `new connection refused while draining: ${refusedWhileDraining && stillDraining}; exited ${exitedAfter} ms after the signal`
    )
    assert.ok(stillDraining, 'the server was still draining when the new connection was tried')
    assert.ok(refusedWhileDraining, 'a new connection is refused once SIGTERM arrived')
    assert.deepEqual(
      answers.map((r) => r.status),
      [200, 200, 200, 200, 200],
      'every request in flight at SIGTERM was answered 200'
    )
    assert.ok(
      answers.every((r) => r.at > sigtermAt),
      'they were answered after the signal (the server drained them)'
    )
    const heldRows = await db.query(`SELECT count(*)::int AS n FROM "SmsStatusUpdate" WHERE "batchId" = 'FAULTBATCH99'`)
    assert.equal(heldRows.rows[0].n, 5)
    await checkOutcome(db, lost, 'SIGTERM', reports, expected)
  })

  it('kill -9 mid-load and a restart: a sender retrying 5xx and connection errors loses nothing and duplicates nothing', async () => {
    const { reports, expected } = reportsFor(21, 40, 10)
    const retriedBefore = tally.retryCauses['connection error'] ?? 0
    const sending = stream(shuffle(reports, 0.2), 120)
    await sleep(1500)
    process.kill(-api!.child.pid!, 'SIGKILL')
    await api!.stop()
    await sleep(300)
    api = await startApi('api', PORT, dbUrl, API_ENV)
    await sending
    const connectionErrors = (tally.retryCauses['connection error'] ?? 0) - retriedBefore
    console.log(`  kill -9: ${connectionErrors} connection errors retried`)
    assert.ok(connectionErrors > 0, 'some deliveries hit the dead instance and were retried')
    await checkOutcome(db, lost, 'kill -9', reports, expected)
  })
})
