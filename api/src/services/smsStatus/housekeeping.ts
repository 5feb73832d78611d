/** Housekeeping of the callback path: expired signature nonces. */
import { db } from 'src/lib/db'
import { logger } from 'src/lib/logger'

let pruneCounter = 0
/** Expired nonces are useless (their timestamp is outside the window anyway). */
export function maybePruneNonces() {
  pruneCounter = (pruneCounter + 1) % 200
  if (pruneCounter !== 1) return
  db.$executeRaw`DELETE FROM "WebhookNonce" WHERE nonce IN (
      SELECT nonce FROM "WebhookNonce" WHERE "expiresAt" < now() LIMIT 5000)`
    .then((n) => n > 0 && logger.debug({ pruned: n }, 'pruned expired webhook nonces'))
    .catch((error) => logger.warn({ err: error }, 'nonce pruning failed'))
}

export async function pruneExpiredNonces(): Promise<number> {
  return db.$executeRaw`DELETE FROM "WebhookNonce" WHERE "expiresAt" < now()`
}
