/**
 * `yarn test`: every test, as CI runs them.
 *   0. the gates: yarn rw type-check and yarn rw lint (errors fail the run
 *      before any test starts; lint warnings are printed and do not)
 *   1. the embedded Postgres (api tests reset TEST_DATABASE_URL themselves)
 *   2. yarn rw test --no-watch: api (scenarios on real Postgres) and web (cells, pages)
 *   3. yarn faults: the callback fault suite over real HTTP (duplicates,
 *      disorder, a database restart mid-run, every kind of bad input, two api
 *      instances, SIGTERM and kill -9 mid-load, a busy database, slow clients)
 *   4. yarn e2e: build, serve with the sandbox, drive a real Chromium
 * Ends with one line "N passed, N failed" summed over all of them.
 * `yarn test --no-e2e` skips step 4.
 */
import { spawn } from 'node:child_process'

import { ensureLocalSecrets } from './lib/localEnv'
import { mustRunYarn, root, yarn } from './lib/processes'

type Counts = { passed: number; failed: number; ok: boolean; failures: string[] }

function runCounting(
  label: string,
  args: string[],
  parse: (out: string) => { passed: number; failed: number },
  failures: (out: string) => string[]
): Promise<Counts> {
  const [cmd, pre] = yarn()
  return new Promise((resolve) => {
    let output = ''
    const child = spawn(cmd, [...pre, ...args], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, FORCE_COLOR: '0' },
    })
    const tee = (out: NodeJS.WriteStream) => (chunk: Buffer) => {
      output += chunk.toString('utf8')
      out.write(chunk)
    }
    child.stdout.on('data', tee(process.stdout))
    child.stderr.on('data', tee(process.stderr))
    child.on('exit', (code) => {
      const counts = parse(output)
      const ok = code === 0 && counts.failed === 0 && counts.passed > 0
      if (!ok) console.error(`\n✖ ${label}: exit ${code}, ${counts.passed} passed, ${counts.failed} failed`)
      resolve({ ...counts, ok, failures: failures(output).map((name) => `${label}: ${name}`) })
    })
  })
}

/** Jest's summary line: "Tests:       2 failed, 1 skipped, 40 passed, 43 total". */
export function parseJest(out: string) {
  const line = [...out.matchAll(/^Tests:\s+(.*)$/gm)].pop()?.[1] ?? ''
  const n = (word: string) => Number(line.match(new RegExp(`(\\d+) ${word}`))?.[1] ?? 0)
  return { passed: n('passed'), failed: n('failed') }
}

/** Jest's failed files ("FAIL api/src/x.test.ts") and tests ("  ● Suite › test name"; "● Console" is not a test). */
export function jestFailures(out: string) {
  const files = [...out.matchAll(/^FAIL\s+(?:\S+\s+)?(\S+\.test\.\w+)/gm)].map((m) => m[1])
  const tests = [...out.matchAll(/^\s*● (?!Console$)(.+)$/gm)].map((m) => m[1].trim())
  return [...new Set([...files, ...tests])]
}

/** node:test's spec reporter marks a failed test or suite with "✖ name (1.2ms)"; its summary repeats them. */
export function nodeTestFailures(out: string) {
  const names = [...out.matchAll(/^\s*✖ (.+?)(?: \([\d.]+ms\))?$/gm)].map((m) => m[1].trim())
  return [...new Set(names)].filter((name) => !name.startsWith('failing tests'))
}

/** node:test's summary: "# pass 3" / "ℹ pass 3". */
export function parseNodeTest(out: string) {
  const n = (word: string) => Number([...out.matchAll(new RegExp(`^(?:#|ℹ) ${word} (\\d+)$`, 'gm'))].pop()?.[1] ?? 0)
  return { passed: n('pass'), failed: n('fail') }
}

async function main() {
  ensureLocalSecrets()
  const withE2e = !process.argv.includes('--no-e2e')
  // Type errors and lint errors fail the run first: the build and Jest (babel) would not notice them.
  await mustRunYarn(['rw', 'type-check'])
  await mustRunYarn(['rw', 'lint'])
  await mustRunYarn(['db', 'start'])

  const results: Counts[] = []
  results.push(await runCounting('unit and integration tests', ['rw', 'test', '--no-watch'], parseJest, jestFailures))
  results.push(await runCounting('fault suite', ['faults'], parseNodeTest, nodeTestFailures))
  if (withE2e) results.push(await runCounting('end-to-end tests', ['e2e'], parseNodeTest, nodeTestFailures))

  const passed = results.reduce((s, r) => s + r.passed, 0)
  const failed = results.reduce((s, r) => s + r.failed, 0)
  const ok = results.every((r) => r.ok)
  // Named again at the very end, where a CI log cut to its last lines still shows them.
  const failures = results.flatMap((r) => r.failures)
  if (failures.length) console.log(`\nFailed:\n${failures.map((name) => `  ✖ ${name}`).join('\n')}`)
  console.log(`\n${passed} passed, ${failed} failed`)
  process.exit(ok ? 0 : 1)
}

main()
