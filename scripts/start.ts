/**
 * `yarn start`: everything a developer needs, in one command.
 *   1. the embedded Postgres (unless DATABASE_URL points elsewhere)
 *   2. migrations (prisma migrate deploy)
 *   3. a demo staff user while the desk has none
 *   4. the Sinch sandbox, when no Sinch credentials are configured
 *   5. yarn rw dev (web on 8910, api on 8911)
 */
import { loadConfig } from '../api/src/lib/config'

import { ensureLocalSecrets } from './lib/localEnv'
import { mustRunYarn, startService, type Service } from './lib/processes'

async function main() {
  ensureLocalSecrets()
  let sandbox = false
  try {
    sandbox = loadConfig().sandbox
  } catch (error) {
    console.error((error as Error).message)
    process.exit(1)
  }

  await mustRunYarn(['db', 'start'])
  await mustRunYarn(['rw', 'prisma', 'migrate', 'deploy'])
  await mustRunYarn(['rw', 'exec', 'seed', '--silent', '--demo-user'])

  const services: Service[] = []
  if (sandbox) services.push(startService('sandbox', ['sandbox']))
  services.push(startService('rw', ['rw', 'dev']))

  let stopping = false
  const stopAll = async (code: number) => {
    if (stopping) return
    stopping = true
    await Promise.all(services.map((s) => s.stop()))
    console.log('Stopped. The database keeps running: `yarn db stop` stops it.')
    process.exit(code)
  }
  process.on('SIGINT', () => stopAll(0))
  process.on('SIGTERM', () => stopAll(0))
  for (const s of services) {
    s.child.on('exit', (code) => {
      if (!stopping) {
        console.error(`[${s.name}] exited with ${code}; stopping the rest`)
        void stopAll(code ?? 1)
      }
    })
  }
  console.log(
    `\nDelivery desk: http://localhost:8910  (api :8911${sandbox ? ', Sinch sandbox :8912' : ''}). Ctrl-C stops.\n`
  )
}

main()
