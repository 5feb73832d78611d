/** What the parts of `yarn bench` share: options, databases, services, result files. */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'

import pg from 'pg'

import { root, startService, type Service } from '../scripts/lib/processes'

export { processTree } from '../scripts/lib/processes'

export function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`)
  return i > 0 && process.argv[i + 1] !== undefined
    ? process.argv[i + 1]
    : fallback
}

export const flag = (name: string) => process.argv.includes(`--${name}`)

/** Drops and creates a database next to the one in base; returns its URL. */
export async function freshDatabase(
  base: string,
  name: string
): Promise<string> {
  const admin = new URL(base)
  admin.pathname = '/postgres'
  const url = new URL(base)
  url.pathname = `/${name}`
  const client = new pg.Client({ connectionString: admin.toString() })
  await client.connect()
  await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)
  await client.query(`CREATE DATABASE ${name}`)
  await client.end()
  return url.toString()
}

export async function withClient<T>(
  databaseUrl: string,
  fn: (client: pg.Client) => Promise<T>
): Promise<T> {
  const client = new pg.Client({ connectionString: databaseUrl })
  await client.connect()
  try {
    return await fn(client)
  } finally {
    await client.end()
  }
}

export const machine = () =>
  `${os.cpus().length} × ${os.cpus()[0]?.model.trim()}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}, Postgres 17 (embedded, fsync on)`

/** Load average at the start of a phase: this machine is shared, and it shows. */
export const load = () =>
  os
    .loadavg()
    .map((l) => l.toFixed(1))
    .join(' / ')

export function writeResults(name: string, json: unknown, markdown: string[]) {
  const dir = path.join(root, 'bench', 'results')
  fs.mkdirSync(dir, { recursive: true })
  fs.writeFileSync(
    path.join(dir, `${name}.json`),
    JSON.stringify(json, null, 2) + '\n'
  )
  fs.writeFileSync(path.join(dir, `${name}.md`), markdown.join('\n') + '\n')
}

/**
 * A service whose output is kept (the last lines) rather than printed, and
 * shown when it fails to come up, so a run that stops says why.
 */
export type BenchService = Service & { tail: () => string }
export function quietService(
  name: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  onLine?: (line: string) => void
): BenchService {
  const service = startService(name, args, env, { quiet: true })
  const lines: string[] = []
  const keeper = () => {
    let partial = ''
    return (chunk: Buffer) => {
      const got = (partial + chunk.toString('utf8')).split('\n')
      partial = got.pop() ?? ''
      for (const line of got.filter(Boolean)) {
        onLine?.(line)
        lines.push(line)
      }
      if (lines.length > 60) lines.splice(0, lines.length - 60)
    }
  }
  service.child.stdout?.on('data', keeper())
  service.child.stderr?.on('data', keeper())
  return {
    ...service,
    tail: () => lines.map((l) => `  [${name}] ${l}`).join('\n'),
  }
}

export async function waitUntilUp(
  service: BenchService,
  wait: () => Promise<void>
) {
  try {
    await wait()
  } catch (error) {
    console.error(
      `\n${service.name} did not come up; its last output:\n${service.tail()}`
    )
    throw error
  }
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN
  const i = Math.min(
    sorted.length - 1,
    Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)
  )
  return sorted[i]
}

export const median = (values: number[]) =>
  percentile(
    [...values].sort((a, b) => a - b),
    50
  )

export const round1 = (n: number) => Math.round(n * 10) / 10

/** CPU time (user + system, ms) of processes, from /proc (Linux); 0 for those gone. */
export function cpuMs(pids: number[]): Map<number, number> {
  const tick = 1000 / 100 // USER_HZ is 100 on Linux
  const out = new Map<number, number>()
  for (const pid of pids) {
    try {
      const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8')
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
      out.set(pid, (Number(fields[11]) + Number(fields[12])) * tick)
    } catch {
      out.set(pid, 0)
    }
  }
  return out
}

