/**
 * What the api's production build must not contain: the Sinch sandbox (api/sandbox) and the api's test helpers
 * (api/testing). They live outside api/src so `yarn rw build api` never compiles them; this check makes a file that
 * imports them from api/src (and so drags them into api/dist) a red test run instead of a silent change.
 */
import fs from 'node:fs'
import path from 'node:path'

const FORBIDDEN = [
  { what: 'the Sinch sandbox', marker: 'createSinchSandbox' },
  { what: 'the api test helpers', marker: 'signInAs' },
]

function* files(dir: string): Generator<string> {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name)
    if (entry.isDirectory()) yield* files(full)
    else if (/\.(js|cjs|mjs)$/.test(entry.name)) yield full
  }
}

/** Returns one line per offending file; empty when the build is clean. */
export function forbiddenInApiBuild(distDir: string): string[] {
  if (!fs.existsSync(distDir)) return [`${distDir} does not exist: build the api first`]
  const problems: string[] = []
  for (const file of files(distDir)) {
    const relative = path.relative(distDir, file)
    if (/(^|\/)(sandbox|testing)\//.test(relative)) problems.push(`${relative}: a sandbox or testing file was built`)
    const text = fs.readFileSync(file, 'utf8')
    for (const { what, marker } of FORBIDDEN) {
      if (text.includes(marker)) problems.push(`${relative}: contains ${what} (${marker})`)
    }
  }
  return problems
}
