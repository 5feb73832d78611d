/**
 * Secrets a developer's machine needs but no file in git may hold. On first
 * run of `yarn start`, `yarn test` or `yarn e2e`, a random SESSION_SECRET is
 * appended to `.env` (git-ignored), the way `yarn rw setup auth dbAuth` would.
 * Production sets its own; the api refuses to start without one.
 */
import crypto from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'

import { loadEnvFiles, root } from './processes'

export function ensureLocalSecrets() {
  loadEnvFiles()
  if (process.env.SESSION_SECRET) return
  const secret = crypto.randomBytes(32).toString('base64')
  const file = path.join(root, '.env')
  const prefix = fs.existsSync(file) && !fs.readFileSync(file, 'utf8').endsWith('\n') ? '\n' : ''
  fs.appendFileSync(
    file,
    `${prefix}# Encrypts staff session cookies; generated for this machine by scripts/lib/localEnv.ts.\nSESSION_SECRET=${secret}\n`
  )
  process.env.SESSION_SECRET = secret
  console.log('Wrote a random SESSION_SECRET to .env (git-ignored).')
}
