/**
 * Shared by every scripts/faults/*.faults.ts file: the embedded cluster, one
 * database per file, the built api, signing, and a sender that retries like
 * Sinch (5xx, 429 and connection errors are retried with backoff — the same
 * signed request again —, other 4xx are final).
 *
 * `yarn faults` runs the files one after another (--test-concurrency=1); they
 * share the cluster (.pgdata/faults, port 54339) and build the api once per run.
 */
import assert from 'node:assert/strict'
import crypto from 'node:crypto'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'

import pg from 'pg'

import {
  loadEnvFiles,
  mustRunYarn,
  processTree,
  runYarn,
  startService,
  waitForHttp,
  type Service,
} from '../lib/processes'

// Before any port is read: .env names this checkout's own fault-suite ports.
loadEnvFiles()

export const PG_PORT = Number(process.env.FAULTS_PG_PORT || 54339)
/** 32+ characters: what production requires of a callback secret. */
export const SECRET = 'fault-suite-secret-0123456789abcdef'
export const CLUSTER_ENV = { TEST_DATABASE_URL: '', EMBEDDED_POSTGRES_CLUSTER: 'faults', EMBEDDED_POSTGRES: 'true' }

export const databaseUrl = (name: string) => `postgresql://postgres:postgres@127.0.0.1:${PG_PORT}/${name}`
export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

export function sign(
  body: string,
  opts: { secret?: string; nonce?: string; timestamp?: number; algorithm?: string } = {}
) {
  const nonce = opts.nonce ?? crypto.randomBytes(12).toString('base64url')
  const timestamp = String(opts.timestamp ?? Math.floor(Date.now() / 1000))
  return {
    'content-type': 'application/json',
    'x-sinch-webhook-signature-nonce': nonce,
    'x-sinch-webhook-signature-timestamp': timestamp,
    'x-sinch-webhook-signature-algorithm': opts.algorithm ?? 'HmacSHA256',
    'x-sinch-webhook-signature': crypto
      .createHmac('sha256', opts.secret ?? SECRET)
      .update(`${body}.${nonce}.${timestamp}`)
      .digest('base64'),
  }
}

export async function postTo(url: string, body: string, headers: Record<string, string>, method = 'POST') {
  const res = await fetch(url, {
    method,
    headers,
    body: method === 'GET' ? undefined : body,
    signal: AbortSignal.timeout(15_000),
  })
  return {
    status: res.status,
    headers: res.headers,
    json: (await res.json().catch(() => ({}))) as Record<string, unknown>,
  }
}

export type Tally = {
  sent: number
  accepted: number
  duplicate: number
  ignored: number
  retried: number
  rejected: Record<string, number>
  retryCauses: Record<string, number>
}
export const newTally = (): Tally => ({
  sent: 0,
  accepted: 0,
  duplicate: 0,
  ignored: 0,
  retried: 0,
  rejected: {},
  retryCauses: {},
})

export type Delivery = { status: number; attempts: number; verdict?: string; saw5xx: boolean; answeredAt: number }

/**
 * One callback delivered like Sinch delivers: retried on 5xx/429/network
 * errors with doubling backoff (at most 1.5 s apart). `url` may change
 * between attempts (a load balancer picking an instance).
 */
export async function deliverLikeSinch(
  tally: Tally,
  url: string | ((attempt: number) => string),
  body: string,
  opts: { attempts?: number; headers?: Record<string, string> } = {}
): Promise<Delivery> {
  const headers = opts.headers ?? sign(body)
  let saw5xx = false
  const attempts = opts.attempts ?? 14
  for (let attempt = 1; attempt <= attempts; attempt++) {
    try {
      const res = await postTo(typeof url === 'string' ? url : url(attempt), body, headers)
      if (res.status < 500 && res.status !== 429) {
        tally.sent++
        if (res.status === 200) {
          const verdict = String(res.json.status)
          if (verdict === 'accepted') tally.accepted++
          else if (verdict === 'duplicate') tally.duplicate++
          else tally.ignored++
        } else {
          const reason = `${res.status} ${String(res.json.reason ?? res.json.error ?? '')}`.trim()
          tally.rejected[reason] = (tally.rejected[reason] ?? 0) + 1
        }
        return {
          status: res.status,
          attempts: attempt,
          verdict: res.json.status as string | undefined,
          saw5xx,
          answeredAt: Date.now(),
        }
      }
      saw5xx = true
      tally.retryCauses[String(res.status)] = (tally.retryCauses[String(res.status)] ?? 0) + 1
    } catch {
      saw5xx = true
      tally.retryCauses['connection error'] = (tally.retryCauses['connection error'] ?? 0) + 1
    }
    tally.retried++
    await sleep(Math.min(100 * 2 ** (attempt - 1), 1500))
  }
  throw new Error(`gave up after ${attempts} attempts`)
}

export async function pool<T>(items: T[], concurrency: number, fn: (item: T) => Promise<unknown>) {
  let next = 0
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < items.length) await fn(items[next++])
    })
  )
}

export const msisdn = (m: number, r: number) => `4671${String(m * 100 + r).padStart(7, '0')}`

export type Report = { body: string; key: string; recipient: string }

/** Queued, Dispatched, then a final report for each recipient of messages [from, to]. */
export function reportsFor(from: number, to: number, recipients: number) {
  const reports: Report[] = []
  const expected = new Map<string, string>()
  for (let m = from; m <= to; m++) {
    for (let r = 1; r <= recipients; r++) {
      const final = (m + r) % 7 === 0 ? (['Failed', 402] as const) : (['Delivered', 0] as const)
      const steps = [
        ['Queued', 400, 1],
        ['Dispatched', 401, 2],
        [final[0], final[1], 5],
      ] as const
      for (const [status, code, s] of steps) {
        const at = new Date(Date.UTC(2025, 2, 1, 10, m % 60, s)).toISOString()
        const body = JSON.stringify({
          type: 'recipient_delivery_report_sms',
          batch_id: `FAULTBATCH${m}`,
          recipient: msisdn(m, r),
          code,
          status,
          at,
          client_reference: `fault_${m}`,
        })
        reports.push({
          body,
          key: `sms:FAULTBATCH${m}:+${msisdn(m, r)}:${status}:${code}:${at}`,
          recipient: `+${msisdn(m, r)}`,
        })
      }
      expected.set(`+${msisdn(m, r)}`, final[0])
    }
  }
  return { reports, expected }
}

export function shuffle<T>(xs: T[], fraction: number) {
  for (let i = 0; i < xs.length; i++) {
    if (Math.random() < fraction) {
      const j = Math.floor(Math.random() * xs.length)
      ;[xs[i], xs[j]] = [xs[j], xs[i]]
    }
  }
  return xs
}

/** Messages fault_<from..to>, batch FAULTBATCH<m>, with `recipients` recipients each (see msisdn). */
export async function seedMessages(db: pg.Pool, from: number, to: number, recipients: number) {
  await db.query(
    `INSERT INTO "Message" (id, body, "recipientCount", "sinchBatchId", "submitState", "submittedAt", "updatedAt")
     SELECT 'fault_' || m, 'Fault suite ' || m, $3, 'FAULTBATCH' || m, 'SUBMITTED', now(), now() FROM generate_series($1::int, $2::int) m`,
    [from, to, recipients]
  )
  await db.query(
    `INSERT INTO "MessageRecipient" ("messageId", "phoneNumber", "updatedAt")
     SELECT 'fault_' || m, '+4671' || lpad((m * 100 + r)::text, 7, '0'), now() FROM generate_series($1::int, $2::int) m, generate_series(1, $3::int) r`,
    [from, to, recipients]
  )
}

/**
 * Lost 0 and duplicated 0: one SmsStatusUpdate row per distinct report, each
 * attached to its recipient, and every recipient at its expected final status.
 * Returns how many were lost (also recorded in `lost[label]`).
 */
export async function checkOutcome(
  db: pg.Pool,
  lost: Record<string, number>,
  label: string,
  reports: Report[],
  expected: Map<string, string>
) {
  const keys = [...new Set(reports.map((r) => r.key))]
  const stored = await db.query<{ dedupeKey: string; n: number }>(
    'SELECT "dedupeKey", count(*)::int AS n FROM "SmsStatusUpdate" WHERE "dedupeKey" = ANY($1) GROUP BY 1',
    [keys]
  )
  const storedKeys = new Set(stored.rows.map((r) => r.dedupeKey))
  lost[label] = keys.filter((k) => !storedKeys.has(k)).length
  assert.equal(lost[label], 0, `${label}: reports lost`)
  assert.deepEqual(
    stored.rows.filter((r) => r.n !== 1),
    [],
    `${label}: one row per distinct report`
  )
  const attachedToRecipient = await db.query(
    'SELECT count(*)::int AS n FROM "SmsStatusUpdate" WHERE "dedupeKey" = ANY($1) AND "recipientId" IS NOT NULL',
    [keys]
  )
  assert.equal(attachedToRecipient.rows[0].n, keys.length, `${label}: every report attached to its recipient`)
  const statuses = await db.query<{ phoneNumber: string; status: string }>(
    'SELECT "phoneNumber", status FROM "MessageRecipient" WHERE "phoneNumber" = ANY($1)',
    [[...expected.keys()]]
  )
  const wrong = statuses.rows.filter((r) => expected.get(r.phoneNumber) !== r.status)
  assert.deepEqual(wrong, [], `${label}: latest status equals the expected final one`)
  assert.equal(statuses.rowCount, expected.size)
  return lost[label]
}

/** Names this `node --test` run (every file is a child of the same runner): its pid and start time. */
function runMarker(what: string) {
  let started = ''
  try {
    const stat = fs.readFileSync(`/proc/${process.ppid}/stat`, 'utf8')
    started = stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19]
  } catch {
    /* not Linux: the pid alone */
  }
  return path.join(os.tmpdir(), `delivery-desk-faults-${what}-${process.ppid}-${started}`)
}

/** Builds the api once per `node --test` run. */
async function buildApiOnce() {
  if (process.env.FAULTS_NO_BUILD === '1') return
  const marker = runMarker('built')
  if (fs.existsSync(marker)) return
  await mustRunYarn(['rw', 'build', 'api'])
  fs.writeFileSync(marker, new Date().toISOString())
}

/**
 * Starts the faults cluster, creates a fresh database `name` and builds the
 * api. The first file of a run migrates a template database; the others copy
 * it (CREATE DATABASE … TEMPLATE), which is much quicker than migrating again.
 */
export async function prepareDatabase(name: string): Promise<{ url: string; db: pg.Pool }> {
  loadEnvFiles()
  const url = databaseUrl(name)
  const template = 'delivery_desk_faults_template'
  await mustRunYarn(['db', 'start'], { ...CLUSTER_ENV, DATABASE_URL: url })
  const admin = new pg.Client({ connectionString: databaseUrl('postgres') })
  await admin.connect()
  await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)
  const marker = runMarker('template')
  if (!fs.existsSync(marker)) {
    await admin.query(`DROP DATABASE IF EXISTS ${template} WITH (FORCE)`)
    await admin.query(`CREATE DATABASE ${template}`)
    await mustRunYarn(['rw', 'prisma', 'migrate', 'deploy'], { ...CLUSTER_ENV, DATABASE_URL: databaseUrl(template) })
    fs.writeFileSync(marker, new Date().toISOString())
  }
  await admin.query(`CREATE DATABASE ${name} TEMPLATE ${template}`)
  await admin.end()
  await buildApiOnce()
  const db = new pg.Pool({ connectionString: url, max: 4 })
  db.on('error', () => {})
  return { url, db }
}

export async function stopCluster() {
  await runYarn(['db', 'stop'], { ...CLUSTER_ENV, DATABASE_URL: databaseUrl('postgres') })
}

const SESSION_SECRET_FOR_RUN = crypto.randomBytes(32).toString('hex')

export type Api = Service & { port: number; url: string; callbacks: string }

/** `yarn rw serve api` on `port` against `dbUrl`; resolves once it answers. */
export async function startApi(name: string, port: number, dbUrl: string, env: NodeJS.ProcessEnv = {}): Promise<Api> {
  const service = startService(
    name,
    ['rw', 'serve', 'api', '--port', String(port)],
    {
      DATABASE_URL: dbUrl,
      // The api refuses to start without one; `yarn faults` run on its own
      // (not through `yarn test`) may have none in .env yet.
      SESSION_SECRET: process.env.SESSION_SECRET || SESSION_SECRET_FOR_RUN,
      SINCH_CALLBACK_SECRETS: `fault=${SECRET}`,
      LOG_LEVEL: 'error',
      // `yarn rw serve` runs with NODE_ENV=production, which refuses to start without Sinch credentials
      // (README, "Production checklist"); the fault suite never talks to Sinch, by design.
      ALLOW_UNSAFE_PRODUCTION: 'sandbox',
      DATABASE_CONNECT_TIMEOUT_MS: '2000',
      RECONCILE_INTERVAL_SECONDS: '0',
      ...env,
    },
    { quiet: process.env.FAULTS_VERBOSE !== '1' }
  )
  const url = `http://127.0.0.1:${port}`
  await waitForHttp(`${url}/graphql?query=%7B__typename%7D`, 90_000)
  return { ...service, port, url, callbacks: `${url}/sinchCallbacks` }
}

/** The node process that actually serves (`node server.js` under yarn and the rw CLI). */
export function serverPid(api: Service): number {
  const pid = processTree(api.child.pid!).find((p) => {
    try {
      return /(^|\/|\0)server\.js\0/.test(fs.readFileSync(`/proc/${p}/cmdline`, 'utf8'))
    } catch {
      return false
    }
  })
  if (!pid) throw new Error(`no server.js process under ${api.name}`)
  return pid
}

export const isAlive = (pid: number) => {
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}

export async function waitForExit(pid: number, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs
  while (isAlive(pid) && Date.now() < deadline) await sleep(50)
  return !isAlive(pid)
}

export function percentile(xs: number[], p: number) {
  if (xs.length === 0) return NaN
  const sorted = [...xs].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]
}

export function printSummary(title: string, tally: Tally, lost: Record<string, number>) {
  const rejected =
    Object.entries(tally.rejected)
      .map(([k, v]) => `${v} × ${k}`)
      .join('; ') || 'none'
  const retried = `${tally.retried} (${
    Object.entries(tally.retryCauses)
      .map(([k, v]) => `${v} × ${k}`)
      .join(', ') || 'none'
  })`
  console.log(
    [
      '',
      `${title} summary`,
      '| sent | accepted | duplicates absorbed | ignored | retried (by cause) | rejected by reason | lost |',
      '|---:|---:|---:|---:|---|---|---:|',
      `| ${tally.sent} | ${tally.accepted} | ${tally.duplicate} | ${tally.ignored} | ${retried} | ${rejected} | ${Object.values(lost).reduce((a, b) => a + b, 0)} |`,
      '',
    ].join('\n')
  )
}
