/**
 * Sign-in throttling, in Postgres so that every api instance counts the same
 * attempts. Each attempt is a `SignInAttempt` row: `pending` while the
 * password is checked, then `failed` or `succeeded`; `throttled` when it was
 * refused without checking.
 *
 * An attempt is refused when, within SIGN_IN_LOCKOUT_MINUTES, the account has
 * SIGN_IN_MAX_FAILURES_PER_ACCOUNT failed (or pending) attempts since its last
 * success, or the client address has SIGN_IN_MAX_FAILURES_PER_ADDRESS. The
 * count and the new `pending` row are decided under per-account and
 * per-address advisory locks, so attempts racing on two instances cannot both
 * slip under the limit; the password check itself runs outside the lock.
 * Accounts are counted by the email typed, whether or not a user has it, so
 * the lockout says nothing about which accounts exist.
 */
import { config, type AppConfig } from 'src/lib/config'
import { db } from 'src/lib/db'
import { logger } from 'src/lib/logger'

/** Rows are kept this long (evidence of attacks, until the audit log has them)… */
export const SIGN_IN_ATTEMPT_RETENTION_DAYS = 7
/** …and never more than this many: anything outsiders can make us store is bounded. */
export const SIGN_IN_ATTEMPT_MAX_ROWS = 100_000
const PRUNE_EVERY_MS = 60_000

/** Advisory lock key spaces (pg_advisory_xact_lock(int, int)). */
const ACCOUNT_LOCK = 15_001
const ADDRESS_LOCK = 15_002
/** Prisma's defaults (2 s for a connection, 5 s in all) are short for a burst queued on one account's lock. */
const TRANSACTION_OPTIONS = { maxWait: 10_000, timeout: 15_000 }

export type SignInOutcome = 'failed' | 'succeeded'

export class SignInThrottledError extends Error {
  constructor(
    readonly scope: 'account' | 'address',
    readonly retryAfterSeconds: number
  ) {
    const minutes = Math.max(1, Math.ceil(retryAfterSeconds / 60))
    super(
      `Too many failed sign-ins ${scope === 'account' ? 'for this account' : 'from your network address'}. ` +
        `Try again in ${minutes} minute${minutes === 1 ? '' : 's'}.`
    )
    this.name = 'SignInThrottledError'
  }
}

/** How the email is counted: as dbAuth looks it up, trimmed and lower-cased, bounded. */
export const attemptKey = (email: string) => email.trim().toLowerCase().slice(0, 320)

let lastPruneAt = 0

/**
 * Records the start of a sign-in attempt, or refuses it (SignInThrottledError,
 * with a `throttled` row recorded). Returns the attempt's id for finishSignInAttempt.
 */
export async function beginSignInAttempt(
  input: { email: string; clientAddress: string },
  settings: AppConfig['signIn'] = config().signIn
): Promise<number> {
  const email = attemptKey(input.email)
  const clientAddress = input.clientAddress.slice(0, 200)
  const lockoutMs = settings.lockoutMs
  maybePrune()

  const verdict = await db.$transaction(async (tx) => {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(${ACCOUNT_LOCK}::int, hashtext(${email}))`
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(${ADDRESS_LOCK}::int, hashtext(${clientAddress}))`
    // The Nth most recent failure in the window, if there are N: the lockout
    // lasts until it leaves the window. Seconds left, or none.
    const [row] = await tx.$queryRaw<{ account: number | null; address: number | null }[]>`
      WITH since AS (
        SELECT greatest(
          now() - make_interval(secs => ${lockoutMs / 1000}::float8),
          coalesce((SELECT max("at") FROM "SignInAttempt" WHERE "email" = ${email} AND "outcome" = 'succeeded'), '-infinity')
        ) AS account_since
      )
      SELECT
        (SELECT extract(epoch FROM "at" + make_interval(secs => ${lockoutMs / 1000}::float8) - now())::float8
           FROM "SignInAttempt", since
          WHERE "email" = ${email} AND "outcome" IN ('failed', 'pending') AND "at" > since.account_since
          ORDER BY "at" DESC OFFSET ${settings.maxFailuresPerAccount - 1}::int LIMIT 1) AS account,
        (SELECT extract(epoch FROM "at" + make_interval(secs => ${lockoutMs / 1000}::float8) - now())::float8
           FROM "SignInAttempt"
          WHERE "clientAddress" = ${clientAddress} AND "outcome" IN ('failed', 'pending')
            AND "at" > now() - make_interval(secs => ${lockoutMs / 1000}::float8)
          ORDER BY "at" DESC OFFSET ${settings.maxFailuresPerAddress - 1}::int LIMIT 1) AS address`
    const throttled =
      row.account !== null
        ? new SignInThrottledError('account', row.account)
        : row.address !== null
          ? new SignInThrottledError('address', row.address)
          : null
    const attempt = await tx.signInAttempt.create({
      data: { email, clientAddress, outcome: throttled ? 'throttled' : 'pending' },
      select: { id: true },
    })
    return throttled ?? attempt.id
    // Attempts racing for one account queue on its lock: give them time to.
  }, TRANSACTION_OPTIONS)
  if (verdict instanceof SignInThrottledError) {
    logger.warn({ scope: verdict.scope, clientAddress }, 'sign-in refused: too many failures')
    throw verdict
  }
  return verdict
}

export async function finishSignInAttempt(id: number, outcome: SignInOutcome, userId?: number) {
  await db.signInAttempt.update({ where: { id }, data: { outcome, userId } })
}

function maybePrune() {
  if (Date.now() - lastPruneAt < PRUNE_EVERY_MS) return
  lastPruneAt = Date.now()
  pruneSignInAttempts().catch((error) => logger.warn({ err: error }, 'could not prune sign-in attempts'))
}

/** Deletes attempts older than the retention and beyond the newest SIGN_IN_ATTEMPT_MAX_ROWS. */
export async function pruneSignInAttempts(options: { maxRows?: number; retentionDays?: number } = {}): Promise<number> {
  const maxRows = options.maxRows ?? SIGN_IN_ATTEMPT_MAX_ROWS
  const days = options.retentionDays ?? SIGN_IN_ATTEMPT_RETENTION_DAYS
  const old = await db.$executeRaw`DELETE FROM "SignInAttempt" WHERE "at" < now() - make_interval(days => ${days}::int)`
  const beyond = await db.$executeRaw`
    DELETE FROM "SignInAttempt"
    WHERE id <= (SELECT id FROM "SignInAttempt" ORDER BY id DESC OFFSET ${maxRows}::int LIMIT 1)`
  return old + beyond
}
