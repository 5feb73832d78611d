/**
 * The soak (`yarn bench --only soak --callbacks 1000000`): a long stream of
 * signed callbacks through the served api, then a balance check, the table
 * and index sizes before and after a retention pass, and the api's memory
 * over time.
 *
 * The stream, for N callbacks (10 % of them duplicates):
 *   - messages of 10 recipients to 100,000 phone numbers (a number gets
 *     several messages once there are more than 100,000 recipients); each
 *     recipient gets Queued, Dispatched and a final report (Delivered, or
 *     Failed for one in seven), and its message then one batch report
 *     (`delivery_report_sms`, type full) naming every recipient's final status
 *   - 10 % of the per-recipient reports arrive after a later report of the
 *     same recipient (Queued after Dispatched, Dispatched after the final)
 *   - 1 in 200 is a report for a batch nobody sent (stored unmatched)
 *   - 10 % of all callbacks are sent again later (same body, new nonce), as
 *     Sinch repeats a report
 *   - CONCURRENCY senders; 5xx, 429 and connection errors are retried with the
 *     same signed request, as Sinch does
 *
 * The balance: callbacks sent = accepted + duplicate; every recipient has
 * exactly its three reports, one row each, and the right final status; every
 * unmatched report once; rows from batch reports at most what the api said it
 * stored for them (a per-recipient report of the same status replaces one);
 * no recipient with two rows of one status; one callback-log entry per
 * callback answered 200.
 */
import crypto from 'node:crypto'
import fs from 'node:fs'
import http from 'node:http'

import { round1, withClient } from './lib'

export const SOAK_SECRET = 'bench-soak-secret'
const RECIPIENTS_PER_MESSAGE = 10
const PHONE_NUMBERS = 100_000
const DUPLICATE_SHARE = 0.1
const UNMATCHED_EVERY = 200
/** Per-recipient share whose Queued/Dispatched pair, or Dispatched/final pair, is swapped: 10 % of reports late. */
const SWAP_SHARE = 0.15
const ACTIVE_MESSAGES = 500
const CONCURRENCY = 32
const TABLES = ['CallbackEvent', 'SmsStatusUpdate', 'MessageRecipient', 'Message'] as const

type Kind = 'recipient' | 'batch' | 'unmatched'
type Callback = { body: string; kind: Kind }

/** A deterministic random stream, so that two runs of the same size send the same callbacks. */
function random(seed: number) {
  let s = seed >>> 0
  return () => {
    s = (s + 0x6d2b79f5) >>> 0
    let t = s
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

export function soakPlan(callbacks: number) {
  const duplicates = Math.round(callbacks * DUPLICATE_SHARE)
  const distinct = callbacks - duplicates
  // Per message: 3 reports per recipient and one batch report.
  const perMessage = RECIPIENTS_PER_MESSAGE * 3 + 1
  const messages = Math.floor((distinct * (1 - 1 / UNMATCHED_EVERY)) / perMessage)
  const unmatched = distinct - messages * perMessage
  return {
    callbacks,
    duplicates,
    distinct,
    messages,
    recipients: messages * RECIPIENTS_PER_MESSAGE,
    phoneNumbers: Math.min(PHONE_NUMBERS, messages * RECIPIENTS_PER_MESSAGE),
    recipientReports: messages * RECIPIENTS_PER_MESSAGE * 3,
    batchReports: messages,
    unmatched,
  }
}
export type SoakPlan = ReturnType<typeof soakPlan>

const batchOf = (m: number) => `SOAKBATCH${m}`
const numberOf = (m: number, r: number) => 46_700_000_000 + ((m * RECIPIENTS_PER_MESSAGE + r) % PHONE_NUMBERS)
const finalOf = (m: number, r: number) =>
  (m + r) % 7 === 0 ? ({ status: 'Failed', code: 402 } as const) : ({ status: 'Delivered', code: 0 } as const)

/** Messages SOAK 0..messages-1, each with its 10 recipients, submitted. */
export async function seedSoak(databaseUrl: string, plan: SoakPlan) {
  await withClient(databaseUrl, async (client) => {
    await client.query(
      `INSERT INTO "Message" (id, body, "recipientCount", "sinchBatchId", "submitState", "submittedAt", "updatedAt")
       SELECT 'soak_' || g, 'Soak message ' || g, $2, 'SOAKBATCH' || g, 'SUBMITTED', now(), now()
         FROM generate_series(0, $1 - 1) g`,
      [plan.messages, RECIPIENTS_PER_MESSAGE]
    )
    await client.query(
      `INSERT INTO "MessageRecipient" ("messageId", "phoneNumber", "updatedAt")
       SELECT 'soak_' || m, '+' || (46700000000 + ((m * $2 + r) % $3))::text, now()
         FROM generate_series(0, $1 - 1) m, generate_series(0, $2 - 1) r`,
      [plan.messages, RECIPIENTS_PER_MESSAGE, PHONE_NUMBERS]
    )
    await client.query('ANALYZE')
  })
}

/** The distinct callbacks in the order they are first sent (lazily: a million bodies never sit in memory). */
function* distinctCallbacks(plan: SoakPlan, stats: { late: number }): Generator<Callback> {
  const rnd = random(42)
  const base = Date.UTC(2026, 10, 1)
  const reportBody = (m: number, r: number, step: number) => {
    const { status, code } =
      step === 0 ? { status: 'Queued', code: 400 } : step === 1 ? { status: 'Dispatched', code: 401 } : finalOf(m, r)
    const at = new Date(base + m * 60_000 + [1_000, 2_000, 5_000][step] + r).toISOString()
    return JSON.stringify({
      type: 'recipient_delivery_report_sms',
      batch_id: batchOf(m),
      recipient: String(numberOf(m, r)),
      code,
      status,
      at,
      operator_status_at: at,
      client_reference: `soak_${m}`,
    })
  }
  const batchBody = (m: number) => {
    const buckets = new Map<string, { status: string; code: number; recipients: string[] }>()
    for (let r = 0; r < RECIPIENTS_PER_MESSAGE; r++) {
      const f = finalOf(m, r)
      const bucket = buckets.get(f.status) ?? { ...f, recipients: [] }
      bucket.recipients.push(String(numberOf(m, r)))
      buckets.set(f.status, bucket)
    }
    return JSON.stringify({
      type: 'delivery_report_sms',
      batch_id: batchOf(m),
      total_message_count: RECIPIENTS_PER_MESSAGE,
      statuses: [...buckets.values()].map((b) => ({ ...b, count: b.recipients.length })),
      client_reference: `soak_${m}`,
    })
  }

  // Each active message hands out its callbacks in its own order; the stream
  // interleaves ACTIVE_MESSAGES of them at random.
  type Active = { m: number; queue: string[] }
  const start = (m: number): Active => {
    const perRecipient = Array.from({ length: RECIPIENTS_PER_MESSAGE }, (_, r) => {
      const order = [0, 1, 2]
      const x = rnd()
      if (x < SWAP_SHARE) order.splice(0, 2, 1, 0)
      else if (x < 2 * SWAP_SHARE) order.splice(1, 2, 2, 1)
      if (x < 2 * SWAP_SHARE) stats.late++
      return order.map((step) => reportBody(m, r, step))
    })
    // Steps of different recipients interleave; a recipient's own stay in the order chosen.
    const queue: string[] = []
    for (let step = 0; step < 3; step++) for (const reports of perRecipient) queue.push(reports[step])
    queue.push(batchBody(m))
    return { m, queue }
  }
  const active: Active[] = []
  let nextMessage = 0
  let unmatchedLeft = plan.unmatched
  let emitted = 0
  while (nextMessage < plan.messages || active.length > 0 || unmatchedLeft > 0) {
    while (active.length < ACTIVE_MESSAGES && nextMessage < plan.messages) active.push(start(nextMessage++))
    if (unmatchedLeft > 0 && (emitted % UNMATCHED_EVERY === UNMATCHED_EVERY - 1 || active.length === 0)) {
      unmatchedLeft--
      emitted++
      const k = plan.unmatched - unmatchedLeft
      yield {
        kind: 'unmatched',
        body: JSON.stringify({
          type: 'recipient_delivery_report_sms',
          batch_id: `SOAKNOBODY${k}`,
          recipient: String(46_800_000_000 + k),
          code: 0,
          status: 'Delivered',
          at: new Date(base + k).toISOString(),
        }),
      }
      continue
    }
    if (active.length === 0) break
    const i = Math.floor(rnd() * active.length)
    const a = active[i]
    const body = a.queue.shift()!
    if (a.queue.length === 0) active.splice(i, 1)
    emitted++
    yield { kind: body.startsWith('{"type":"delivery_report_sms"') ? 'batch' : 'recipient', body }
  }
}

/** Every callback to send, duplicates included: a duplicate goes out 1–2,000 callbacks after its original. */
function* allCallbacks(plan: SoakPlan, stats: { late: number }): Generator<Callback & { duplicate: boolean }> {
  const rnd = random(7)
  const later = new Map<number, Callback[]>()
  let i = 0
  let dupsLeft = plan.duplicates
  let distinctLeft = plan.distinct
  const releaseDue = function* () {
    const due = later.get(i)
    if (due) {
      later.delete(i)
      for (const c of due) yield { ...c, duplicate: true }
    }
  }
  for (const c of distinctCallbacks(plan, stats)) {
    yield* releaseDue()
    i++
    yield { ...c, duplicate: false }
    distinctLeft--
    // Spread the duplicates evenly over the distinct callbacks.
    if (dupsLeft > 0 && rnd() < dupsLeft / (distinctLeft + 1)) {
      dupsLeft--
      const at = i + 1 + Math.floor(rnd() * 2000)
      later.set(at, [...(later.get(at) ?? []), c])
    }
  }
  for (const key of [...later.keys()].sort((a, b) => a - b))
    for (const c of later.get(key)!) yield { ...c, duplicate: true }
}

function sign(body: string) {
  const nonce = crypto.randomBytes(12).toString('base64url')
  const timestamp = String(Math.floor(Date.now() / 1000))
  return {
    'content-type': 'application/json',
    'content-length': String(Buffer.byteLength(body)),
    'x-sinch-webhook-signature': crypto
      .createHmac('sha256', SOAK_SECRET)
      .update(`${body}.${nonce}.${timestamp}`)
      .digest('base64'),
    'x-sinch-webhook-signature-nonce': nonce,
    'x-sinch-webhook-signature-timestamp': timestamp,
    'x-sinch-webhook-signature-algorithm': 'HmacSHA256',
  }
}

const agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY })

function post(port: number, body: string, headers: Record<string, string>) {
  return new Promise<{ status: number; json: { status?: string; stored?: number } }>((resolve, reject) => {
    const req = http.request(
      { host: '127.0.0.1', port, path: '/sinchCallbacks', method: 'POST', headers, agent, timeout: 30_000 },
      (res) => {
        const chunks: Buffer[] = []
        res.on('data', (c) => chunks.push(c))
        res.on('end', () => {
          let json = {}
          try {
            json = JSON.parse(Buffer.concat(chunks).toString('utf8'))
          } catch {
            /* not JSON: the status says enough */
          }
          resolve({ status: res.statusCode ?? 0, json })
        })
      }
    )
    req.on('timeout', () => req.destroy(new Error('timeout')))
    req.on('error', reject)
    req.end(body)
  })
}

export type Tally = {
  sent: number
  accepted: number
  duplicate: number
  other: Record<string, number>
  retried: Record<string, number>
  byKind: Record<Kind, { accepted: number; duplicate: number; stored: number }>
  /** Distinct per-recipient and unmatched callbacks answered accepted or duplicate, by original/duplicate. */
  originals: number
  duplicates: number
  /** Per-recipient reports sent after a later report of the same recipient (first sends). */
  late: number
}

/** Resident set size of a process, in MiB (Linux /proc). */
export function rssMiB(pid: number): number {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))
    return m ? Number(m[1]) / 1024 : NaN
  } catch {
    return NaN
  }
}

export type SoakRun = {
  tally: Tally
  seconds: number
  perSecond: number
  rss: { atSeconds: number; sent: number; mib: number }[]
  p50: number
  p99: number
}

/** Sends the whole stream through the api on `port`; samples the api's RSS every `sampleMs`. */
export async function runSoak(opts: {
  port: number
  plan: SoakPlan
  apiPid: number
  log: (line: string) => void
  sampleMs?: number
}): Promise<SoakRun> {
  const { port, plan, apiPid, log } = opts
  const tally: Tally = {
    sent: 0,
    accepted: 0,
    duplicate: 0,
    other: {},
    retried: {},
    byKind: {
      recipient: { accepted: 0, duplicate: 0, stored: 0 },
      batch: { accepted: 0, duplicate: 0, stored: 0 },
      unmatched: { accepted: 0, duplicate: 0, stored: 0 },
    },
    originals: 0,
    duplicates: 0,
    late: 0,
  }
  const started = Date.now()
  const rss: SoakRun['rss'] = [{ atSeconds: 0, sent: 0, mib: round1(rssMiB(apiPid)) }]
  const sampler = setInterval(() => {
    rss.push({ atSeconds: Math.round((Date.now() - started) / 1000), sent: tally.sent, mib: round1(rssMiB(apiPid)) })
  }, opts.sampleMs ?? 5000)
  const progressEvery = Math.max(10_000, Math.round(plan.callbacks / 20))
  // Latency samples: every 10th answer, enough for percentiles at any size.
  const latencies: number[] = []

  const stream = allCallbacks(plan, tally)
  const sender = async () => {
    for (;;) {
      const next = stream.next()
      if (next.done) return
      const { body, kind, duplicate } = next.value
      const headers = sign(body)
      for (let attempt = 1; ; attempt++) {
        const t0 = performance.now()
        let res: Awaited<ReturnType<typeof post>> | undefined
        try {
          res = await post(port, body, headers)
        } catch (error) {
          tally.retried[(error as Error).message] = (tally.retried[(error as Error).message] ?? 0) + 1
        }
        if (res && res.status < 500 && res.status !== 429) {
          if (tally.sent % 10 === 0) latencies.push(performance.now() - t0)
          tally.sent++
          const verdict = res.status === 200 ? String(res.json.status) : `${res.status}`
          if (verdict === 'accepted' || verdict === 'duplicate') {
            tally[verdict]++
            tally.byKind[kind][verdict]++
            tally.byKind[kind].stored += res.json.stored ?? 0
            if (duplicate) tally.duplicates++
            else tally.originals++
          } else {
            tally.other[verdict] = (tally.other[verdict] ?? 0) + 1
          }
          if (tally.sent % progressEvery === 0) {
            const s = (Date.now() - started) / 1000
            log(
              `  ${tally.sent.toLocaleString('en')} sent in ${s.toFixed(0)} s (${Math.round(tally.sent / s)}/s), api RSS ${round1(rssMiB(apiPid))} MiB`
            )
          }
          break
        }
        if (res) tally.retried[String(res.status)] = (tally.retried[String(res.status)] ?? 0) + 1
        if (attempt >= 20) throw new Error(`gave up on a callback after ${attempt} attempts`)
        await new Promise((r) => setTimeout(r, Math.min(100 * 2 ** (attempt - 1), 1500)))
      }
    }
  }
  try {
    await Promise.all(Array.from({ length: CONCURRENCY }, sender))
  } finally {
    clearInterval(sampler)
  }
  const seconds = (Date.now() - started) / 1000
  rss.push({ atSeconds: Math.round(seconds), sent: tally.sent, mib: round1(rssMiB(apiPid)) })
  latencies.sort((a, b) => a - b)
  const pct = (p: number) =>
    round1(latencies[Math.min(latencies.length - 1, Math.ceil((p / 100) * latencies.length) - 1)] ?? NaN)
  return {
    tally,
    seconds: round1(seconds),
    perSecond: Math.round(tally.sent / seconds),
    rss,
    p50: pct(50),
    p99: pct(99),
  }
}

export type Balance = {
  checks: { name: string; expected: number; actual: number; ok: boolean }[]
  ok: boolean
}

/** What the database holds after the stream, against what was sent. */
export async function checkBalance(databaseUrl: string, plan: SoakPlan, run: SoakRun): Promise<Balance> {
  const t = run.tally
  return withClient(databaseUrl, async (client) => {
    const one = async (sql: string, params: unknown[] = []) => Number((await client.query(sql, params)).rows[0].n)
    const perRecipient = await one(
      `SELECT count(*) AS n FROM "SmsStatusUpdate" WHERE "dedupeKey" LIKE 'sms:%' AND "recipientId" IS NOT NULL`
    )
    const wrongCount = await one(`
      SELECT count(*) AS n FROM (
        SELECT rc.id FROM "MessageRecipient" rc
          LEFT JOIN "SmsStatusUpdate" u ON u."recipientId" = rc.id AND u."dedupeKey" LIKE 'sms:%'
         WHERE rc."messageId" LIKE 'soak\\_%'
         GROUP BY rc.id
        HAVING count(u.id) <> 3 OR count(DISTINCT u.status) <> 3) x`)
    // The expected final status needs the recipient's index in its message: recomputed from the number.
    const wrongFinal = await one(
      `SELECT count(*) AS n FROM "MessageRecipient" rc,
              LATERAL (SELECT substr(rc."messageId", 6)::bigint AS m) mm,
              LATERAL (SELECT ((substr(rc."phoneNumber", 2)::bigint - 46700000000) - mm.m * $1 % $2 + $2) % $2 AS r0) rr
        WHERE rc."messageId" LIKE 'soak\\_%'
          AND rc.status <> CASE WHEN (mm.m + rr.r0 % $1) % 7 = 0 THEN 'Failed' ELSE 'Delivered' END`,
      [RECIPIENTS_PER_MESSAGE, PHONE_NUMBERS]
    )
    const unmatched = await one(
      `SELECT count(*) AS n FROM "SmsStatusUpdate" WHERE "recipientId" IS NULL AND "batchId" LIKE 'SOAKNOBODY%'`
    )
    const fromBatchReports = await one(`SELECT count(*) AS n FROM "SmsStatusUpdate" WHERE "dedupeKey" NOT LIKE 'sms:%'`)
    // A timeline must never read "Delivered > Delivered": one row per status and recipient.
    const doubledStatus = await one(`
      SELECT count(*) AS n FROM (
        SELECT 1 FROM "SmsStatusUpdate" WHERE "recipientId" IS NOT NULL GROUP BY "recipientId", status HAVING count(*) > 1) x`)
    const events = await one(`SELECT count(*) AS n FROM "CallbackEvent"`)
    const checks = [
      { name: 'callbacks answered (sent)', expected: plan.callbacks, actual: t.sent },
      { name: 'sent = accepted + duplicate', expected: t.sent, actual: t.accepted + t.duplicate },
      {
        name: 'per-recipient and unmatched callbacks answered accepted (distinct sent)',
        expected: plan.recipientReports + plan.unmatched,
        actual: t.byKind.recipient.accepted + t.byKind.unmatched.accepted,
      },
      {
        name: 'their duplicates answered duplicate',
        expected: t.sent - t.byKind.batch.accepted - t.byKind.batch.duplicate - plan.recipientReports - plan.unmatched,
        actual: t.byKind.recipient.duplicate + t.byKind.unmatched.duplicate,
      },
      { name: 'per-recipient reports stored (distinct sent)', expected: plan.recipientReports, actual: perRecipient },
      { name: 'recipients without exactly their 3 reports (lost or doubled)', expected: 0, actual: wrongCount },
      { name: 'recipients at a wrong final status', expected: 0, actual: wrongFinal },
      { name: 'unmatched reports stored (distinct sent)', expected: plan.unmatched, actual: unmatched },
      {
        // A batch report stores a row only for a status its recipient's history lacks, and a
        // per-recipient report of that status replaces it later: at most what was answered.
        name: 'rows from batch reports still in place (at most those answered stored)',
        expected: t.byKind.batch.stored,
        actual: fromBatchReports,
        atMost: true,
      },
      { name: 'recipients with two history rows of one status', expected: 0, actual: doubledStatus },
      { name: 'callback log entries = callbacks answered 200', expected: t.sent, actual: events },
    ].map(({ atMost, ...c }: { name: string; expected: number; actual: number; atMost?: boolean }) => ({
      ...c,
      ok: atMost ? c.actual <= c.expected : c.expected === c.actual,
    }))
    return { checks, ok: checks.every((c) => c.ok) }
  })
}

export type Sizes = Record<string, { rows: number; tableMiB: number; indexMiB: number }>

export async function tableSizes(databaseUrl: string): Promise<Sizes> {
  return withClient(databaseUrl, async (client) => {
    const sizes: Sizes = {}
    for (const table of TABLES) {
      const { rows } = await client.query(
        `SELECT (SELECT count(*) FROM "${table}")::bigint AS rows,
                pg_table_size($1::regclass) AS table, pg_indexes_size($1::regclass) AS index`,
        [`"${table}"`]
      )
      sizes[table] = {
        rows: Number(rows[0].rows),
        tableMiB: round1(Number(rows[0].table) / 2 ** 20),
        indexMiB: round1(Number(rows[0].index) / 2 ** 20),
      }
    }
    return sizes
  })
}

export async function vacuum(databaseUrl: string, full: boolean) {
  await withClient(databaseUrl, async (client) => {
    for (const table of TABLES) await client.query(`VACUUM ${full ? 'FULL ' : ''}ANALYZE "${table}"`)
  })
}

export function soakMarkdown(r: {
  plan: SoakPlan
  run: SoakRun
  balance: Balance
  sizes: { label: string; sizes: Sizes }[]
  prune: string
}): string[] {
  const { plan, run, balance } = r
  const t = run.tally
  const rss = run.rss.filter((s) => Number.isFinite(s.mib))
  const tenth = Math.max(1, Math.floor(rss.length / 10))
  const avg = (xs: { mib: number }[]) => round1(xs.reduce((a, b) => a + b.mib, 0) / Math.max(1, xs.length))
  const early = avg(rss.slice(tenth, 2 * tenth))
  const late = avg(rss.slice(-tenth))
  const tableRows = Object.keys(r.sizes[0].sizes).map(
    (table) =>
      `| ${table} | ${r.sizes.map((s) => `${s.sizes[table].rows.toLocaleString('en')} · ${s.sizes[table].tableMiB} + ${s.sizes[table].indexMiB}`).join(' | ')} |`
  )
  const step = Math.max(1, Math.floor(rss.length / 12))
  const samples = rss.filter((_, i) => i % step === 0 || i === rss.length - 1)
  return [
    `${plan.callbacks.toLocaleString('en')} signed callbacks through the served api (${CONCURRENCY} senders): ${plan.recipientReports.toLocaleString('en')} per-recipient reports to ${plan.recipients.toLocaleString('en')} recipients (${plan.phoneNumbers.toLocaleString('en')} phone numbers, ${plan.messages.toLocaleString('en')} messages), ${plan.batchReports.toLocaleString('en')} batch reports, ${plan.unmatched.toLocaleString('en')} reports for unknown batches, ${plan.duplicates.toLocaleString('en')} duplicates (10 %); ${t.late.toLocaleString('en')} per-recipient reports (${round1((t.late / plan.recipientReports) * 100)} %) sent after a later report of their recipient.`,
    ``,
    `**${run.seconds.toLocaleString('en')} s, ${run.perSecond.toLocaleString('en')} callbacks/s**, latency p50 ${run.p50} ms, p99 ${run.p99} ms; answers: ${t.accepted.toLocaleString('en')} accepted, ${t.duplicate.toLocaleString('en')} duplicate${Object.keys(t.other).length ? `, other ${JSON.stringify(t.other)}` : ''}; retried: ${JSON.stringify(t.retried)}.`,
    ``,
    `## Balance: ${balance.ok ? 'every check holds' : 'FAILED'}`,
    ``,
    `| check | expected | actual | |`,
    `|---|---:|---:|---|`,
    ...balance.checks.map(
      (c) =>
        `| ${c.name} | ${c.name.includes('at most') ? '≤ ' : ''}${c.expected.toLocaleString('en')} | ${c.actual.toLocaleString('en')} | ${c.ok ? '✓' : '✗'} |`
    ),
    ``,
    `## Table and index sizes (rows · table MiB + index MiB)`,
    ``,
    `| table | ${r.sizes.map((s) => s.label).join(' | ')} |`,
    `|---|${r.sizes.map(() => '---:').join('|')}|`,
    ...tableRows,
    ``,
    `Retention pass: ${r.prune}`,
    ``,
    `## Memory of the api process (RSS)`,
    ``,
    `${rss.length} samples: ${round1(Math.min(...rss.map((s) => s.mib)))}–${round1(Math.max(...rss.map((s) => s.mib)))} MiB; mean of the second tenth of the run ${early} MiB, of the last tenth ${late} MiB (${early > 0 ? `${round1(((late - early) / early) * 100)} %` : 'n/a'}).`,
    ``,
    `| seconds | callbacks answered | RSS MiB |`,
    `|---:|---:|---:|`,
    ...samples.map((s) => `| ${s.atSeconds} | ${s.sent.toLocaleString('en')} | ${s.mib} |`),
  ]
}
