/**
 * `yarn bench`: every benchmark of the delivery desk in one run, against the
 * built api (served as `yarn rw serve api` serves it), each on a fresh
 * database of its own.
 *
 *   1. callbacks  ingestion throughput and latency, ours against a bare
 *                 node:http + pg handler (bench/callbacks.ts, bench/bareHandler.ts)
 *   2. queries    the message page at 10,000 recipients and the message list
 *                 at 100,000 messages, through GraphQL (bench/queries.ts)
 *   3. send       a 1,000-recipient sendMessage through the Sinch sandbox,
 *                 until every recipient is final (bench/send.ts)
 *   4. web        the production build (`yarn rw build`, `yarn rw serve`) in
 *                 Chromium on Slow 4G: first and repeat visit, login and
 *                 message list, times and bytes (bench/web.ts)
 *   5. sql        (only with --only sql) the hot path's database side alone:
 *                 CPU and WAL bytes per callback of delivery_ingest_batch,
 *                 figures that a noisy machine barely moves (bench/ingestSql.ts)
 *   7. imports    a 100,000-row contact CSV uploaded, mapped and imported by
 *                 the api's background runner: CPU, rows per CPU-second
 *                 against a csv-parse + libphonenumber reference, peak memory
 *                 (bench/contactImport.ts)
 *   6. soak       (only with --only soak) a million signed callbacks through the
 *                 served api, then a balance check, table sizes before and after
 *                 a retention pass, and the api's memory over time (bench/soak.ts)
 *
 * Prints the tables and writes bench/results/{callbacks,queries,send,web,sql,soak,imports}.{json,md}.
 *
 * Options:
 *   --duration 10         seconds per callback load run
 *   --rounds 3            callback runs per side and connection count
 *   --connections 32,128  callback connection counts
 *   --runs 20             timed runs per GraphQL page
 *   --recipients 1000     recipients of the send
 *   --step-delay 1000     the sandbox's delay between reports (SANDBOX_STEP_DELAY_MS)
 *   --log-level warn      the api's LOG_LEVEL
 *   --only callbacks,queries,send,web,imports   (default; add or pick sql)
 *   --import-rows 100000  rows of the contact import
 *   --no-build            use the api (and for web, the web/dist and api/dist)
 *                         the previous run built
 *   --web-runs 5          browser runs (first + repeat visit each)
 *   --web-port 8946, --web-api-port 8947   where `yarn rw serve` listens for the
 *                         web benchmark (or BENCH_WEB_PORT, BENCH_WEB_API_PORT)
 *   --baseline metrics-off  the same build served again without METRICS_PORT:
 *                         the cost of the metrics, measured in one run
 *   --baseline <git ref>  also serve the api as built from that commit in the
 *                         callback runs (bench/apiBuild.ts), and measure that
 *                         commit's migrations in the sql runs, for a
 *                         before/after measured in the same run
 *   --sql-rounds 6        sql rounds per schema
 *   --sql-calls 400       delivery_ingest_batch calls (6 callbacks each) per round
 *   --callbacks 1000000   callbacks of the soak
 *
 * The web benchmark writes the figures of the previous bench/results/web.json
 * beside its own (measure the old state first, then the change).
 *
 * Environment: BENCH_CPU_PROF_DIR=<dir> makes every served api write a V8 CPU
 * profile there when it stops (how the Prisma cost on the hot path was found).
 * BENCH_API_NODE_FLAGS="--max-old-space-size=256": node flags for every served api
 * (a deployment's choice, measured: README, Contact import).
 */
import { execFileSync } from 'node:child_process'
import crypto from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'

import { hashPassword } from '@redwoodjs/auth-dbauth-api'

import {
  loadEnvFiles,
  mustRunYarn,
  root,
  waitForHttp,
  yarn,
} from '../scripts/lib/processes'

import {
  buildBaseline,
  buildWorkingTree,
  serveBuilt,
  workingTreeBuild,
} from './apiBuild'
import {
  CALLBACK_SECRET,
  callbacksMarkdown,
  checkStored,
  runCallbacks,
  seedCallbacks,
  type Contender,
} from './callbacks'
import { contactImportMarkdown, runContactImport } from './contactImport'
import {
  ingestSqlMarkdown,
  migrate,
  migrationsAt,
  runIngestSql,
} from './ingestSql'
import {
  arg,
  flag,
  freshDatabase,
  load,
  machine,
  quietService,
  waitUntilUp,
  withClient,
  writeResults,
  type BenchService,
} from './lib'
import {
  LIST_MESSAGES,
  BENCH_USER,
  BIG_RECIPIENTS,
  login,
  queriesMarkdown,
  runQueries,
  runSearch,
  searchMarkdown,
  seedBenchUser,
  seedQueries,
} from './queries'
import { audienceMarkdown, runAudienceSend } from './audienceSend'
import { runSend, sendMarkdown } from './send'
import { runWeb, webMarkdown, type WebFigures } from './web'
import {
  checkBalance,
  runSoak,
  seedSoak,
  soakMarkdown,
  soakPlan,
  SOAK_SECRET,
  tableSizes,
  vacuum,
} from './soak'

// BENCH_*_PORT from the environment or .env: several people bench on one machine.
loadEnvFiles()
const CALLBACKS_PORT = Number(process.env.BENCH_CALLBACKS_PORT || 8941)
const BARE_PORT = Number(process.env.BENCH_BARE_PORT || 8942)
const SANDBOX_PORT = Number(process.env.BENCH_SANDBOX_PORT || 8943)
const API_PORT = Number(process.env.BENCH_API_PORT || 8944)
const BASELINE_PORT = Number(process.env.BENCH_BASELINE_PORT || 8945)
// The callback api under test serves its Prometheus metrics here, as in production.
const METRICS_PORT = Number(process.env.BENCH_METRICS_PORT || 8948)
// --baseline metrics-off: the baseline is this very build with no METRICS_PORT (metrics off).
const METRICS_OFF = 'metrics-off'
/** The soak's api runs alone: it takes the callback benchmark's port. */
const SOAK_PORT = CALLBACKS_PORT
const QUERY_TARGET_MS = 150
/** A searched or filtered list page costs at most this many times the unfiltered first page. */
const SEARCH_TARGET_RATIO = 3

const log = (line: string) => console.log(line)
const seconds = (since: number) =>
  `${((Date.now() - since) / 1000).toFixed(1)} s`

async function stopAll(services: BenchService[]) {
  await Promise.all(services.map((s) => s.stop()))
}

async function main() {
  loadEnvFiles()
  const only = arg('only', 'callbacks,queries,send,web,imports,audience').split(',')
  const duration = Number(arg('duration', '10'))
  const rounds = Number(arg('rounds', '3'))
  const connectionsList = arg('connections', '32,128').split(',').map(Number)
  const runs = Number(arg('runs', '20'))
  const recipients = Number(arg('recipients', '1000'))
  const stepDelayMs = Number(arg('step-delay', '1000'))
  const logLevel = arg('log-level', 'warn')
  const baselineRef = arg('baseline', '')

  // Always the sandbox and HMAC, whatever .env says: a benchmark never talks to Sinch.
  const env: NodeJS.ProcessEnv = {
    REDWOOD_DISABLE_TELEMETRY: '1',
    LOG_LEVEL: logLevel,
    SESSION_SECRET:
      process.env.SESSION_SECRET || crypto.randomBytes(32).toString('base64'),
    SINCH_SERVICE_PLAN_ID: '',
    SINCH_API_TOKEN: '',
    SINCH_PROJECT_ID: '',
    SINCH_KEY_ID: '',
    SINCH_KEY_SECRET: '',
    SINCH_SMS_BASE_URL: '',
    SINCH_CALLBACK_AUTH: 'hmac',
    SINCH_CALLBACK_SECRETS: CALLBACK_SECRET,
    // `yarn rw serve` (the web benchmark) runs with NODE_ENV=production, which refuses the sandbox and a
    // short callback secret (README, "Production checklist"); a benchmark means both.
    ALLOW_UNSAFE_PRODUCTION: 'sandbox,weak-callback-secret',
    RECONCILE_INTERVAL_SECONDS: '0',
  }
  const stamp = () =>
    `${new Date().toISOString()} · ${machine()} · load ${load()} · LOG_LEVEL=${logLevel}`

  await mustRunYarn(['db', 'start'], env)
  const base = process.env.DATABASE_URL!
  let callbacksDb = ''
  let baselineDb = ''
  let queriesDb = ''
  if (only.includes('callbacks')) {
    callbacksDb = await freshDatabase(base, 'delivery_desk_bench')
    await mustRunYarn(['rw', 'prisma', 'migrate', 'deploy'], {
      ...env,
      DATABASE_URL: callbacksDb,
    })
    await seedCallbacks(callbacksDb, baselineRef ? 2 : 1)
    // A build of another commit writes to a database with that commit's
    // schema and SQL functions (applied as plain SQL, as --only sql does):
    // on today's, old code would run today's hot-path functions.
    if (baselineRef && baselineRef !== METRICS_OFF) {
      baselineDb = await freshDatabase(base, 'delivery_desk_bench_baseline')
      await withClient(baselineDb, (client) =>
        migrate(client, migrationsAt(baselineRef))
      )
      await seedCallbacks(baselineDb, 2)
    }
  }
  if (only.includes('queries') || only.includes('send') || only.includes('web')) {
    queriesDb = await freshDatabase(base, 'delivery_desk_bench_queries')
    await mustRunYarn(['rw', 'prisma', 'migrate', 'deploy'], {
      ...env,
      DATABASE_URL: queriesDb,
    })
    const t = Date.now()
    await seedQueries(queriesDb)
    log(
      `Seeded ${LIST_MESSAGES.toLocaleString('en')} messages and a ${BIG_RECIPIENTS.toLocaleString('en')}-recipient message in ${seconds(t)}.`
    )
  }
  // The working tree's api, built where nobody else's build can swap it
  // mid-run (bench/apiBuild.ts) and served as `yarn rw serve api` serves it.
  let apiDir = workingTreeBuild()
  const servesApi = ['callbacks', 'queries', 'send', 'soak', 'imports', 'audience'].some((part) =>
    only.includes(part)
  )
  if (servesApi && !flag('no-build')) {
    await mustRunYarn(['rw', 'prisma', 'generate'], env)
    apiDir = buildWorkingTree(log)
  }

  const output: string[] = []

  if (only.includes('sql')) {
    const sqlRounds = Number(arg('sql-rounds', '6'))
    const sqlCalls = Number(arg('sql-calls', '400'))
    log(
      `\n# The hot path's database side (${sqlRounds} rounds × ${sqlCalls} calls per schema)`
    )
    const started = stamp()
    const figures = await runIngestSql({
      baseUrl: base,
      baselineRef: baselineRef || undefined,
      rounds: sqlRounds,
      callsPerRound: sqlCalls,
      log,
    })
    const md = [
      `# Callback ingestion, database side`,
      ``,
      started,
      ``,
      ...ingestSqlMarkdown(figures, sqlRounds, sqlCalls),
    ]
    writeResults(
      'sql',
      {
        date: new Date().toISOString(),
        machine: machine(),
        rounds: sqlRounds,
        callsPerRound: sqlCalls,
        figures,
      },
      md
    )
    output.push(md.join('\n'))
  }

  if (only.includes('callbacks')) {
    const baseline =
      baselineRef === METRICS_OFF
        ? { dir: apiDir, commit: 'this build' }
        : baselineRef
          ? buildBaseline(baselineRef, log)
          : undefined
    log(
      `\n# Callback ingestion (${rounds} × ${duration} s per server and connection count)`
    )
    const started = stamp()
    const callbacksEnv = { ...env, DATABASE_URL: callbacksDb }
    const services = [
      serveBuilt('ours', apiDir, CALLBACKS_PORT, {
        ...callbacksEnv,
        METRICS_PORT: String(METRICS_PORT),
      }),
      quietService(
        'bare',
        [
          'tsx',
          'bench/bareHandler.ts',
          String(BARE_PORT),
          callbacksDb,
          CALLBACK_SECRET,
        ],
        env
      ),
      ...(baseline
        ? [
            serveBuilt('baseline', baseline.dir, BASELINE_PORT, {
              ...callbacksEnv,
              ...(baselineDb ? { DATABASE_URL: baselineDb } : {}),
            }),
          ]
        : []),
    ]
    let rows
    try {
      const graphqlUp = (port: number) => () =>
        waitForHttp(
          `http://127.0.0.1:${port}/graphql?query=%7B__typename%7D`,
          90_000
        )
      await waitUntilUp(services[0], graphqlUp(CALLBACKS_PORT))
      await waitUntilUp(services[1], () =>
        waitForHttp(`http://127.0.0.1:${BARE_PORT}/`, 30_000, () => true)
      )
      if (baseline) await waitUntilUp(services[2], graphqlUp(BASELINE_PORT))
      const contenders: Contender[] = [
        { who: 'bare', port: BARE_PORT, pid: services[1].child.pid!, set: 0 },
        {
          who: 'ours',
          port: CALLBACKS_PORT,
          pid: services[0].child.pid!,
          set: 0,
        },
        ...(baseline
          ? [
              {
                who: 'baseline' as const,
                port: BASELINE_PORT,
                pid: services[2].child.pid!,
                set: 1,
                ...(baselineDb
                  ? { database: new URL(baselineDb).pathname.slice(1) }
                  : {}),
              },
            ]
          : []),
      ]
      rows = await runCallbacks({
        contenders,
        databaseUrl: callbacksDb,
        duration,
        rounds,
        connectionsList,
        log,
      })
    } finally {
      await stopAll(services)
    }
    const check = await checkStored(callbacksDb)
    const baselineLabel = baseline
      ? `${baselineRef} (${baseline.commit.slice(0, 12)})`
      : undefined
    const md = [
      `# Callback ingestion benchmark`,
      ``,
      started,
      ``,
      ...callbacksMarkdown(
        rows,
        { duration, rounds, baselineRef: baselineLabel },
        check
      ),
    ]
    writeResults(
      'callbacks',
      {
        date: new Date().toISOString(),
        machine: machine(),
        logLevel,
        duration,
        rounds,
        baseline: baselineLabel,
        rows,
        ...check,
      },
      md
    )
    output.push(md.join('\n'))
  }

  if (only.includes('queries') || only.includes('send')) {
    const apiUrl = `http://127.0.0.1:${API_PORT}`
    let sandboxRetries = 0
    const sandboxUrl = `http://127.0.0.1:${SANDBOX_PORT}`
    const apiEnv = {
      ...env,
      DATABASE_URL: queriesDb,
      SINCH_SANDBOX_URL: sandboxUrl,
      SINCH_CALLBACK_URL: `${apiUrl}/sinchCallbacks`,
      SANDBOX_STEP_DELAY_MS: String(stepDelayMs),
    }
    const services = [
      serveBuilt('api', apiDir, API_PORT, apiEnv),
      quietService('sandbox', ['sandbox'], apiEnv, (line) => {
        if (line.includes('retrying like Sinch')) sandboxRetries++
      }),
    ]
    try {
      await waitUntilUp(services[0], () =>
        waitForHttp(`${apiUrl}/graphql?query=%7B__typename%7D`, 90_000)
      )
      await waitUntilUp(services[1], () =>
        waitForHttp(`${sandboxUrl}/health`, 30_000)
      )
      const session = await login(apiUrl)

      if (only.includes('queries')) {
        log(`\n# GraphQL pages (${runs} runs each)`)
        const started = stamp()
        const figures = await runQueries({
          apiUrl,
          session,
          databaseUrl: queriesDb,
          runs,
          log,
        })
        log(`\n# Message search and filters (${runs} runs each)`)
        const search = await runSearch({
          apiUrl,
          session,
          databaseUrl: queriesDb,
          runs,
          log,
          targetRatio: SEARCH_TARGET_RATIO,
        })
        const md = [
          `# Message pages benchmark`,
          ``,
          started,
          ``,
          ...queriesMarkdown(figures, QUERY_TARGET_MS),
          ``,
          ...searchMarkdown(search),
        ]
        writeResults(
          'queries',
          {
            date: new Date().toISOString(),
            machine: machine(),
            logLevel,
            targetMs: QUERY_TARGET_MS,
            figures,
            search,
          },
          md
        )
        output.push(md.join('\n'))
      }

      if (only.includes('send')) {
        log(`\n# ${recipients}-recipient send through the sandbox`)
        const started = stamp()
        const figures = await runSend({
          apiUrl,
          session,
          databaseUrl: queriesDb,
          recipients,
          stepDelayMs,
          sandboxRetries: () => sandboxRetries,
        })
        const md = [
          `# Send benchmark`,
          ``,
          started,
          ``,
          ...sendMarkdown(figures),
        ]
        writeResults(
          'send',
          {
            date: new Date().toISOString(),
            machine: machine(),
            logLevel,
            ...figures,
          },
          md
        )
        output.push(md.join('\n'))
      }
    } finally {
      await stopAll(services)
    }
  }

  if (only.includes('imports')) {
    const importRows = Number(arg('import-rows', '100000'))
    const importsDb = await freshDatabase(base, 'delivery_desk_bench_imports')
    await mustRunYarn(['rw', 'prisma', 'migrate', 'deploy'], { ...env, DATABASE_URL: importsDb })
    const [hashedPassword, salt] = hashPassword(BENCH_USER.password)
    await withClient(importsDb, (client) =>
      client.query(
        `INSERT INTO "User" (email, "hashedPassword", salt, name, role, "activatedAt") VALUES ($1, $2, $3, 'Bench', 'sender', now())`,
        [BENCH_USER.email, hashedPassword, salt]
      )
    )
    const apiUrl = `http://127.0.0.1:${API_PORT}`
    const api = serveBuilt('api', apiDir, API_PORT, { ...env, DATABASE_URL: importsDb, PHONE_DEFAULT_REGION: 'SE' })
    try {
      await waitUntilUp(api, () => waitForHttp(`${apiUrl}/graphql?query=%7B__typename%7D`, 90_000))
      const session = await login(apiUrl)
      log(`\n# ${importRows.toLocaleString('en')}-row contact import`)
      const started = stamp()
      const figures = await runContactImport({
        apiUrl,
        session,
        apiPid: api.child.pid!,
        databaseUrl: importsDb,
        rows: importRows,
      })
      const md = [`# Contact import benchmark`, ``, started, ``, ...contactImportMarkdown(figures, 300)]
      writeResults('imports', { date: new Date().toISOString(), machine: machine(), logLevel, ...figures }, md)
      output.push(md.join('\n'))
    } catch (error) {
      log(api.tail())
      throw error
    } finally {
      await api.stop()
    }
  }

  if (only.includes('web')) {
    output.push((await benchWeb(env, queriesDb, stamp)).join('\n'))
  }

  if (only.includes('audience')) {
    // Its own database, api and sandbox: the sandbox holds every report back
    // (ten-minute steps), so the send is timed without the callbacks after it.
    const audienceDb = await freshDatabase(base, 'delivery_desk_bench_audience')
    const audienceEnv = {
      ...env,
      DATABASE_URL: audienceDb,
      SINCH_SANDBOX_URL: `http://127.0.0.1:${SANDBOX_PORT}`,
      SINCH_CALLBACK_URL: `http://127.0.0.1:${API_PORT}/sinchCallbacks`,
      SANDBOX_STEP_DELAY_MS: '600000',
    }
    await mustRunYarn(['rw', 'prisma', 'migrate', 'deploy'], audienceEnv)
    await seedBenchUser(audienceDb)
    const rows = Number(arg('audience-rows', '100000'))
    const apiUrl = `http://127.0.0.1:${API_PORT}`
    const services = [
      serveBuilt('api', apiDir, API_PORT, audienceEnv),
      quietService('sandbox', ['sandbox'], audienceEnv),
    ]
    try {
      await waitUntilUp(services[0], () => waitForHttp(`${apiUrl}/graphql?query=%7B__typename%7D`, 90_000))
      await waitUntilUp(services[1], () => waitForHttp(`http://127.0.0.1:${SANDBOX_PORT}/health`, 30_000))
      const session = await login(apiUrl)
      log(`\n# A send to a ${rows.toLocaleString('en')}-row CSV (and 1,000 rows for reference)`)
      const started = stamp()
      const run = (n: number) =>
        runAudienceSend({ apiUrl, session, databaseUrl: audienceDb, rows: n, apiPid: services[0].child.pid! })
      const reference = await run(1000)
      const big = await run(rows)
      const md = [`# Audience send benchmark`, ``, started, ``, ...audienceMarkdown(big, reference)]
      writeResults('audience-send', { date: new Date().toISOString(), machine: machine(), logLevel, reference, big }, md)
      output.push(md.join('\n'))
    } finally {
      await stopAll(services)
    }
  }

  if (only.includes('soak')) {
    const plan = soakPlan(Number(arg('callbacks', '1000000')))
    const soakDb = await freshDatabase(base, 'delivery_desk_bench_soak')
    await mustRunYarn(['rw', 'prisma', 'migrate', 'deploy'], {
      ...env,
      DATABASE_URL: soakDb,
    })
    let t = Date.now()
    await seedSoak(soakDb, plan)
    log(
      `\n# Soak: ${plan.callbacks.toLocaleString('en')} callbacks (seeded ${plan.recipients.toLocaleString('en')} recipients in ${seconds(t)})`
    )
    const started = stamp()
    const sizes = [{ label: 'seeded', sizes: await tableSizes(soakDb) }]
    const soakEnv = {
      ...env,
      DATABASE_URL: soakDb,
      SINCH_CALLBACK_SECRETS: SOAK_SECRET,
    }
    const api = serveBuilt('soak', apiDir, SOAK_PORT, soakEnv)
    let run
    try {
      await waitUntilUp(api, () => waitForHttp(`http://127.0.0.1:${SOAK_PORT}/graphql?query=%7B__typename%7D`, 90_000))
      run = await runSoak({
        port: SOAK_PORT,
        plan,
        apiPid: api.child.pid!,
        log,
      })
    } finally {
      await api.stop()
    }
    const balance = await checkBalance(soakDb, plan, run)
    sizes.push({ label: 'after the stream', sizes: await tableSizes(soakDb) })
    // Everything the stream stored is minutes old: the pass runs as of 31
    // days later, when the whole callback log and every unmatched report are
    // past their retention (30 and 14 days by default).
    t = Date.now()
    const [yarnCmd, yarnPre] = yarn()
    const pruneOutput = execFileSync(yarnCmd, [...yarnPre, 'rw', 'exec', 'prune', '--days-ahead', '31'], {
      cwd: root,
      env: { ...process.env, ...soakEnv, LOG_LEVEL: 'warn' },
      encoding: 'utf8',
    }).split('\n')
    const prune = `\`yarn rw exec prune --days-ahead 31\`: ${pruneOutput.find((l) => l.startsWith('Pruned')) ?? pruneOutput.join(' ')} (${seconds(t)} with the command's start-up)`
    log(prune)
    await vacuum(soakDb, false)
    sizes.push({
      label: 'after the retention pass and VACUUM',
      sizes: await tableSizes(soakDb),
    })
    await vacuum(soakDb, true)
    sizes.push({ label: 'after VACUUM FULL', sizes: await tableSizes(soakDb) })
    const md = [`# Soak`, ``, started, ``, ...soakMarkdown({ plan, run, balance, sizes, prune })]
    writeResults(
      'soak',
      {
        date: new Date().toISOString(),
        machine: machine(),
        logLevel,
        plan,
        run,
        balance,
        sizes,
        prune,
      },
      md
    )
    output.push(md.join('\n'))
    if (!balance.ok) process.exitCode = 1
  }

  console.log('\n' + output.join('\n\n'))
}

/**
 * The web app as users get it: `yarn rw build` (unless --no-build), then
 * `yarn rw serve` on its own ports, measured in Chromium (bench/web.ts).
 */
async function benchWeb(
  env: NodeJS.ProcessEnv,
  databaseUrl: string,
  stamp: () => string
): Promise<string[]> {
  const webPort = Number(arg('web-port', process.env.BENCH_WEB_PORT || '8946'))
  const apiPort = Number(
    arg('web-api-port', process.env.BENCH_WEB_API_PORT || '8947')
  )
  const runs = Number(arg('web-runs', '5'))
  const chromiumPath = process.env.CHROMIUM_PATH || '/usr/bin/chromium'
  if (!fs.existsSync(chromiumPath)) {
    throw new Error(
      `no Chromium at ${chromiumPath} (apt-get install chromium, or set CHROMIUM_PATH)`
    )
  }
  const serveEnv = { ...env, DATABASE_URL: databaseUrl }
  // What the build is made of, before building.
  const commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], {
    cwd: root,
    encoding: 'utf8',
  }).trim()
  const dirty =
    execFileSync('git', ['status', '--porcelain', '--', 'web', 'package.json', 'scripts'], {
      cwd: root,
      encoding: 'utf8',
    }).trim() !== ''
  if (!flag('no-build')) await mustRunYarn(['rw', 'build'], serveEnv)
  const previousFile = path.join(root, 'bench', 'results', 'web.json')
  const previous = fs.existsSync(previousFile)
    ? (JSON.parse(fs.readFileSync(previousFile, 'utf8')) as {
        date: string
        commit?: string
        figures: WebFigures
      })
    : undefined

  const webUrl = `http://localhost:${webPort}`
  const serve = quietService(
    'serve',
    [
      'rw',
      'serve',
      '--webPort',
      String(webPort),
      '--apiPort',
      String(apiPort),
    ],
    serveEnv
  )
  try {
    await waitUntilUp(serve, () =>
      waitForHttp(
        `http://127.0.0.1:${apiPort}/graphql?query=%7B__typename%7D`,
        90_000
      )
    )
    await waitUntilUp(serve, () => waitForHttp(`${webUrl}/`, 60_000))
    log(`\n# The web app on Slow 4G (${runs} runs, ${webUrl})`)
    const started = stamp()
    const figures = await runWeb({ webUrl, runs, chromiumPath, log })
    const label = `${commit}${dirty ? ' + uncommitted changes' : ''}`
    const md = [
      `# Web app first load`,
      ``,
      `${started} · build of ${label}`,
      ``,
      ...webMarkdown(figures, previous),
    ]
    writeResults(
      'web',
      {
        date: new Date().toISOString(),
        commit: label,
        machine: machine(),
        figures,
        previous: previous
          ? { date: previous.date, commit: previous.commit, figures: previous.figures }
          : undefined,
      },
      md
    )
    return md
  } finally {
    await serve.stop()
  }
}

main().catch((error) => {
  console.error(error)
  process.exit(1)
})
