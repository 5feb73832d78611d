/** Child processes for the project's own scripts: run to completion, or keep running with prefixed output. */
import { spawn, type ChildProcess } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'

import dotenv from 'dotenv'

export const root = path.resolve(__dirname, '..', '..')

/** Same order as Redwood: .env wins over .env.defaults; the real environment wins over both. */
export function loadEnvFiles() {
  dotenv.config({ path: path.join(root, '.env'), quiet: true } as dotenv.DotenvConfigOptions)
  dotenv.config({ path: path.join(root, '.env.defaults'), quiet: true } as dotenv.DotenvConfigOptions)
}

/** The yarn that runs this script (a JS file or, with Yarn 4, a shell shim), else corepack's. */
export const yarn = (): [string, string[]] => {
  const execpath = process.env.npm_execpath
  if (!execpath || !/yarn/.test(execpath)) return ['corepack', ['yarn']]
  return /\.c?js$/.test(execpath) ? [process.execPath, [execpath]] : [execpath, []]
}

export function run(command: string, args: string[], env: NodeJS.ProcessEnv = {}): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } })
    child.on('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0)))
    child.on('error', () => resolve(1))
  })
}

export function runYarn(args: string[], env: NodeJS.ProcessEnv = {}): Promise<number> {
  const [cmd, pre] = yarn()
  return run(cmd, [...pre, ...args], env)
}

export async function mustRunYarn(args: string[], env: NodeJS.ProcessEnv = {}) {
  const code = await runYarn(args, env)
  if (code !== 0) {
    console.error(`\n✖ yarn ${args.join(' ')} failed (exit ${code})`)
    process.exit(code)
  }
}

export type Service = { name: string; child: ChildProcess; stop: () => Promise<void> }

export function startService(
  name: string,
  args: string[],
  env: NodeJS.ProcessEnv = {},
  opts: { quiet?: boolean } = {}
): Service {
  const [cmd, pre] = yarn()
  const child = spawn(cmd, [...pre, ...args], {
    cwd: root,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  })
  const prefix = `[${name}] `
  const pipe = (stream: NodeJS.ReadableStream | null, out: NodeJS.WriteStream) => {
    let buffered = ''
    stream?.on('data', (chunk: Buffer) => {
      buffered += chunk.toString('utf8')
      const lines = buffered.split('\n')
      buffered = lines.pop() ?? ''
      if (!opts.quiet) for (const line of lines) out.write(prefix + line + '\n')
    })
  }
  pipe(child.stdout, process.stdout)
  pipe(child.stderr, process.stderr)
  return { name, child, stop: () => stopProcessGroup(child) }
}

/** SIGTERM to a detached child's whole process group; SIGKILL if it is still there 8 s later. */
export function stopProcessGroup(child: ChildProcess): Promise<void> {
  return new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve()
    child.once('exit', () => resolve())
    try {
      process.kill(-child.pid!, 'SIGTERM')
    } catch {
      resolve()
    }
    setTimeout(() => {
      try {
        process.kill(-child.pid!, 'SIGKILL')
      } catch {
        /* already gone */
      }
    }, 8000).unref()
  })
}

export async function waitForHttp(url: string, timeoutMs: number, accept = (status: number) => status < 500) {
  const deadline = Date.now() + timeoutMs
  let last = ''
  while (Date.now() < deadline) {
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(2000) })
      if (accept(res.status)) return
      last = `HTTP ${res.status}`
    } catch (error) {
      last = (error as Error).message
    }
    await new Promise((r) => setTimeout(r, 500))
  }
  throw new Error(`${url} did not answer within ${timeoutMs / 1000}s (${last})`)
}

/** Pids of a process and all its descendants (Linux /proc): the node under yarn under corepack. */
export function processTree(pid: number): number[] {
  const children = new Map<number, number[]>()
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8')
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1])
      children.set(ppid, [...(children.get(ppid) ?? []), Number(entry)])
    } catch {
      /* gone meanwhile */
    }
  }
  const out: number[] = []
  const walk = (p: number) => {
    out.push(p)
    for (const c of children.get(p) ?? []) walk(c)
  }
  walk(pid)
  return out
}
