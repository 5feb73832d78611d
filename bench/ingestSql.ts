/**
 * `yarn bench --only sql`: the callback hot path's database side on its own,
 * in figures that a shared, noisy machine barely moves.
 *
 * The HTTP benchmark (bench/callbacks.ts) is the one the targets are about,
 * but on this box its throughput swings ±40 % from run to run, more than a
 * schema change moves it. This one calls delivery_ingest_batch directly, the
 * way the group commit does (6 callbacks of one report each per call, one
 * transaction per call), and measures per callback:
 *
 * - WAL bytes: deterministic. Every round starts from a CHECKPOINT, so
 *   full-page images weigh the same in every round and database.
 * - CPU time of the one backend doing the work, read by the backend itself
 *   from /proc/self/stat (Linux; needs a superuser, as the embedded dev
 *   Postgres has).
 *
 * Commits are asynchronous here (synchronous_commit off): the fsync is the
 * same for every schema and would only add noise. Each round first puts every
 * recipient back to Pending, so each report changes its recipient's status,
 * as real reports do.
 *
 * With `--baseline <git ref>`, a second database gets that commit's
 * migrations (applied as plain SQL, the same way for both) and the two are
 * measured in alternating rounds on the same payloads.
 */
import { execFileSync } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'

import pg from 'pg'

import { root } from '../scripts/lib/processes'

import {
  batchId,
  MESSAGES,
  msisdn,
  RECIPIENTS,
  seedCallbacks,
} from './callbacks'
import { freshDatabase, median, withClient } from './lib'

const CALLBACKS_PER_CALL = 6

export type SqlFigures = {
  label: string
  migrations: string
  /** Backend CPU per callback, µs: median and best over rounds. */
  cpuUsMedian: number
  cpuUsMin: number
  /** WAL bytes per callback, median over rounds. */
  walBytes: number
  rounds: { cpuUs: number; walBytes: number }[]
}

type MigrationFile = { name: string; sql: string }

function workingTreeMigrations(): MigrationFile[] {
  const dir = path.join(root, 'api/db/migrations')
  return fs
    .readdirSync(dir)
    .filter((name) => fs.existsSync(path.join(dir, name, 'migration.sql')))
    .sort()
    .map((name) => ({
      name,
      sql: fs.readFileSync(path.join(dir, name, 'migration.sql'), 'utf8'),
    }))
}

export function migrationsAt(ref: string): MigrationFile[] {
  const git = (...args: string[]) =>
    execFileSync('git', args, {
      cwd: root,
      encoding: 'utf8',
      maxBuffer: 64 << 20,
    })
  return git('ls-tree', '-r', '--name-only', ref, 'api/db/migrations')
    .split('\n')
    .filter((file) => file.endsWith('/migration.sql'))
    .sort()
    .map((file) => ({
      name: path.basename(path.dirname(file)),
      sql: git('show', `${ref}:${file}`),
    }))
}

/** The same statements `prisma migrate deploy` runs, without its bookkeeping. */
export async function migrate(client: pg.Client, migrations: MigrationFile[]) {
  for (const m of migrations) {
    try {
      await client.query(m.sql)
    } catch (error) {
      throw new Error(`migration ${m.name} failed: ${(error as Error).message}`)
    }
  }
}

/** Payloads and the loop that feeds them to the function, one transaction per call. */
const HARNESS = `
CREATE TABLE sqlbench_payload (id integer PRIMARY KEY, p text NOT NULL);
CREATE PROCEDURE sqlbench_loop(first integer, n integer) LANGUAGE plpgsql AS $$
DECLARE
  v_payload jsonb;
  v_rows integer;
BEGIN
  FOR i IN first .. first + n - 1 LOOP
    SELECT p::jsonb INTO v_payload FROM sqlbench_payload WHERE id = i;
    SELECT count(*) INTO v_rows FROM delivery_ingest_batch(v_payload);
    COMMIT;
  END LOOP;
END $$;
`

/**
 * One call's payload, shaped as ingestReportCallbacks (src/services/smsStatus/ingest.ts)
 * builds it: a signed callback's raw body and kept headers, and its one report.
 */
function callPayload(call: number, at: Date): string {
  const callbacks = Array.from({ length: CALLBACKS_PER_CALL }, (_, idx) => {
    const n = call * CALLBACKS_PER_CALL + idx
    // Spread over the recipients seedCallbacks makes for set 0, a different
    // one for each callback of a round.
    const message = 1 + ((n * 7919) % MESSAGES)
    const recipient = 1 + (Math.floor(n / MESSAGES) % RECIPIENTS)
    const number = msisdn(0, message, recipient)
    const batch = batchId(0, message)
    const when = new Date(at.getTime() + n).toISOString()
    const body = {
      type: 'recipient_delivery_report_sms',
      batch_id: batch,
      recipient: number,
      code: 400,
      status: 'Queued',
      at: when,
      client_reference: `bench0_${message}`,
    }
    const nonce = `sqlbench-${at.getTime()}-${n}`
    return {
      idx,
      nonce,
      nonceExpiresAt: new Date(at.getTime() + 86_400_000).toISOString(),
      requestId: `sqlbench-req-${n}`,
      kind: 'recipient_delivery_report_sms',
      rawBody: JSON.stringify(body),
      headers: {
        'content-type': 'application/json',
        'x-sinch-webhook-signature':
          'c2lnbmF0dXJlLW9mLXRoZS1yYXctYm9keS0zMi1ieXRlcw==',
        'x-sinch-webhook-signature-nonce': nonce,
        'x-sinch-webhook-signature-timestamp': String(
          Math.floor(at.getTime() / 1000)
        ),
        'x-sinch-webhook-signature-algorithm': 'HmacSHA256',
      },
      secretId: 'primary',
      batchId: batch,
      reports: [
        {
          dedupeKey: `sms:${batch}:+${number}:Queued:400:${when}`,
          batchId: batch,
          phoneNumber: `+${number}`,
          clientReference: `bench0_${message}`,
          status: 'Queued',
          rank: 1,
          code: 400,
          at: when,
          operatorStatusAt: when,
          source: 'PUSHED',
          rawPayload: body,
        },
      ],
    }
  })
  return JSON.stringify(callbacks)
}

async function loadPayloads(client: pg.Client, calls: number, at: Date) {
  const chunk = 500
  for (let first = 0; first < calls; first += chunk) {
    const ids: number[] = []
    const bodies: string[] = []
    for (let call = first; call < Math.min(calls, first + chunk); call++) {
      ids.push(call + 1)
      bodies.push(callPayload(call, at))
    }
    await client.query(
      'INSERT INTO sqlbench_payload (id, p) SELECT * FROM unnest($1::int[], $2::text[])',
      [ids, bodies]
    )
  }
}

const BACKEND_CPU_MS = `
  SELECT (split_part(s, ' ', 14)::bigint + split_part(s, ' ', 15)::bigint) * 1000.0 / 100 AS ms
    FROM pg_read_file('/proc/self/stat') AS s`

async function measureRound(client: pg.Client, first: number, calls: number) {
  // Every report changes its recipient's status, and the round's first write
  // to each page costs the same full-page image in every database.
  await client.query(
    `UPDATE "MessageRecipient" SET status = 'Pending', "statusRank" = 0, "statusAt" = NULL, code = NULL WHERE status <> 'Pending'`
  )
  await client.query('VACUUM "MessageRecipient"')
  await client.query('CHECKPOINT')
  await client.query('SET synchronous_commit = off')
  const wal0 = (await client.query('SELECT pg_current_wal_insert_lsn() AS lsn'))
    .rows[0].lsn as string
  const cpu0 = Number((await client.query(BACKEND_CPU_MS)).rows[0].ms)
  await client.query('CALL sqlbench_loop($1, $2)', [first, calls])
  const cpu1 = Number((await client.query(BACKEND_CPU_MS)).rows[0].ms)
  const wal = (
    await client.query(
      'SELECT pg_current_wal_insert_lsn() - $1::pg_lsn AS bytes',
      [wal0]
    )
  ).rows[0].bytes
  const callbacks = calls * CALLBACKS_PER_CALL
  return {
    cpuUs: +(((cpu1 - cpu0) * 1000) / callbacks).toFixed(1),
    walBytes: Math.round(Number(wal) / callbacks),
  }
}

export async function runIngestSql(options: {
  baseUrl: string
  baselineRef?: string
  rounds: number
  callsPerRound: number
  log: (line: string) => void
}): Promise<SqlFigures[]> {
  const { baseUrl, baselineRef, rounds, callsPerRound, log } = options
  const contenders = [
    {
      label: 'working tree',
      migrations: workingTreeMigrations(),
      db: 'delivery_desk_bench_sql',
    },
    ...(baselineRef
      ? [
          {
            label: `baseline ${baselineRef}`,
            migrations: migrationsAt(baselineRef),
            db: 'delivery_desk_bench_sql_baseline',
          },
        ]
      : []),
  ]
  const at = new Date()
  const clients: pg.Client[] = []
  try {
    for (const c of contenders) {
      const url = await freshDatabase(baseUrl, c.db)
      const client = new pg.Client({ connectionString: url })
      await client.connect()
      clients.push(client)
      try {
        await client.query(BACKEND_CPU_MS)
      } catch (error) {
        throw new Error(
          `reading the backend's CPU time needs a superuser on Linux (pg_read_file('/proc/self/stat')): ${(error as Error).message}`
        )
      }
      await migrate(client, c.migrations)
      await seedCallbacks(url, 1)
      await client.query(HARNESS)
      await loadPayloads(client, rounds * callsPerRound, at)
      await client.query('ANALYZE')
      log(
        `${c.label}: ${c.migrations.length} migrations, ${MESSAGES * RECIPIENTS} recipients, ${rounds * callsPerRound} calls ready`
      )
    }
    const perRound = contenders.map(
      () => [] as { cpuUs: number; walBytes: number }[]
    )
    for (let round = 0; round < rounds; round++) {
      // Alternate who goes first, so a noisy minute hurts both alike.
      const order = contenders.map((_, i) => i)
      if (round % 2 === 1) order.reverse()
      for (const i of order) {
        const figures = await measureRound(
          clients[i],
          round * callsPerRound + 1,
          callsPerRound
        )
        perRound[i].push(figures)
        log(
          `  round ${round + 1}/${rounds} ${contenders[i].label}: ${figures.cpuUs} µs CPU, ${figures.walBytes} WAL bytes per callback`
        )
      }
    }
    return contenders.map((c, i) => ({
      label: c.label,
      migrations: c.migrations[c.migrations.length - 1]?.name ?? '',
      cpuUsMedian: +median(perRound[i].map((r) => r.cpuUs)).toFixed(1),
      cpuUsMin: Math.min(...perRound[i].map((r) => r.cpuUs)),
      walBytes: Math.round(median(perRound[i].map((r) => r.walBytes))),
      rounds: perRound[i],
    }))
  } finally {
    await Promise.all(clients.map((c) => c.end().catch(() => undefined)))
    for (const c of contenders) {
      await withClient(baseUrl, (admin) =>
        admin.query(`DROP DATABASE IF EXISTS ${c.db} WITH (FORCE)`)
      ).catch(() => undefined)
    }
  }
}

export function ingestSqlMarkdown(
  figures: SqlFigures[],
  rounds: number,
  callsPerRound: number
): string[] {
  const [ours, baseline] = figures
  return [
    `delivery_ingest_batch called directly, ${CALLBACKS_PER_CALL} callbacks (one report each) per call and transaction, ` +
      `${callsPerRound} calls per round, ${rounds} rounds; asynchronous commit; every round from a CHECKPOINT with all ` +
      `${(MESSAGES * RECIPIENTS).toLocaleString('en')} recipients back at Pending. CPU: the backend's own ` +
      `user + system time. WAL: pg_current_wal_insert_lsn() difference.`,
    ``,
    `| schema (last migration) | CPU µs / callback, median (best) | WAL bytes / callback |`,
    `|---|---:|---:|`,
    ...figures.map(
      (f) =>
        `| ${f.label} (${f.migrations}) | ${f.cpuUsMedian} (${f.cpuUsMin}) | ${f.walBytes} |`
    ),
    ...(baseline
      ? [
          ``,
          `Working tree / baseline: CPU ${(ours.cpuUsMedian / baseline.cpuUsMedian).toFixed(2)} (best ${(ours.cpuUsMin / baseline.cpuUsMin).toFixed(2)}), ` +
            `WAL ${(ours.walBytes / baseline.walBytes).toFixed(2)}.`,
        ]
      : []),
  ]
}
