import type { Prisma } from '@prisma/client'

import { hashPassword } from '@redwoodjs/auth-dbauth-api'

import { db } from 'src/lib/db'
import { logger } from 'src/lib/logger'
import { boundedToken, hashOneTimeToken, newOneTimeToken, tokenMatchesHash, tokensEqual } from 'src/lib/oneTimeToken'
import { isStaffRole, type StaffRole } from 'src/lib/roles'
import { recordAudit } from 'src/services/audit/audit'

export const MIN_PASSWORD_LENGTH = 10
/** SETUP_TOKEN must be at least this long (`openssl rand -hex 24`). */
export const MIN_SETUP_TOKEN_LENGTH = 24
/** A setup token printed at start-up is valid this long (a restart prints a new one). */
export const SETUP_TOKEN_TTL_MS = 24 * 3600_000

export class SignupClosedError extends Error {
  constructor() {
    super('Signup is closed: this desk already has staff. Ask an admin for an invitation link.')
    this.name = 'SignupClosedError'
  }
}

export class SetupTokenError extends Error {
  constructor() {
    super(
      'The setup token is missing or wrong. It is printed in the api log at start-up while the desk has no user (or set in SETUP_TOKEN).'
    )
    this.name = 'SetupTokenError'
  }
}

/** SETUP_TOKEN, when set and long enough to be unguessable. */
function setupTokenFromEnv(): string | null {
  const value = process.env.SETUP_TOKEN?.trim()
  return value && value.length >= MIN_SETUP_TOKEN_LENGTH ? value : null
}

/**
 * At api start-up: while the desk has no user, makes sure a setup token
 * exists and says how to use it. Without SETUP_TOKEN a random one is stored
 * (its hash) in Postgres, so that any api instance accepts it, and printed.
 * Returns what was printed, for tests.
 */
export async function announceSetupToken(
  print: (line: string) => void = (line) => console.log(line) // eslint-disable-line no-console
): Promise<'none-needed' | 'env' | 'generated'> {
  if (await hasAnyUser()) return 'none-needed'
  if (process.env.SETUP_TOKEN && !setupTokenFromEnv()) {
    logger.warn(`SETUP_TOKEN is shorter than ${MIN_SETUP_TOKEN_LENGTH} characters and is ignored`)
  }
  if (setupTokenFromEnv()) {
    print('The desk has no user yet: create the first admin at /signup with the token in SETUP_TOKEN.')
    return 'env'
  }
  const token = newOneTimeToken()
  await db.userToken.create({
    data: {
      purpose: 'SETUP',
      tokenHash: hashOneTimeToken(token),
      expiresAt: new Date(Date.now() + SETUP_TOKEN_TTL_MS),
    },
  })
  print(
    [
      '',
      '  The desk has no user yet. Create the first admin at /signup with this one-time setup token',
      `  (valid 24 hours, or until the first user exists):  ${token}`,
      '  Or, on the server: yarn rw exec createUser --role admin --email … --password …',
      '',
    ].join('\n')
  )
  logger.warn('the desk has no user: a one-time setup token was printed on the console')
  return 'generated'
}

/** Whether `given` is SETUP_TOKEN or an unused, unexpired stored setup token; every candidate compared in constant time. */
async function setupTokenValid(tx: Prisma.TransactionClient, given: unknown) {
  const token = boundedToken(given)
  if (!token) return false
  const stored = await tx.userToken.findMany({
    where: { purpose: 'SETUP', usedAt: null, expiresAt: { gt: new Date() } },
    select: { tokenHash: true },
  })
  const fromEnv = setupTokenFromEnv()
  let valid = fromEnv ? tokensEqual(token, fromEnv) : false
  for (const { tokenHash } of stored) valid = tokenMatchesHash(token, tokenHash) || valid
  return valid
}

/**
 * The web signup (dbAuth's signup, through the auth function): creates the
 * first admin, only while the desk has no user and only with the setup
 * token. The check and the insert run under one advisory lock, so of two
 * requests racing with the token only one creates a user; the setup tokens
 * are used up in the same transaction.
 */
export async function createFirstUser(input: {
  email: string
  hashedPassword: string
  salt: string
  name?: string
  setupToken?: unknown
}) {
  return db.$transaction(async (tx) => {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext('first-user-signup'))`
    if ((await tx.user.count()) > 0) throw new SignupClosedError()
    if (!(await setupTokenValid(tx, input.setupToken))) throw new SetupTokenError()
    const user = await tx.user.create({
      data: {
        email: input.email.trim().toLowerCase(),
        hashedPassword: input.hashedPassword,
        salt: input.salt,
        name: input.name?.slice(0, 200),
        role: 'admin',
        activatedAt: new Date(),
      },
    })
    await tx.userToken.updateMany({ where: { purpose: 'SETUP', usedAt: null }, data: { usedAt: new Date() } })
    await recordAudit(tx, {
      action: 'first_admin_created',
      actor: { id: user.id, email: user.email },
      targetType: 'user',
      targetId: user.id,
    })
    return user
  })
}

/**
 * Adds a staff member (or resets their password, and changes their role when
 * one is given); used by `yarn rw exec createUser`. A new user is an admin
 * when the desk has none yet, else a viewer unless a role is given.
 */
export async function upsertStaffUser(input: { email: string; password: string; name?: string; role?: string }) {
  const email = input.email.trim().toLowerCase()
  if (!/^[^@\s]+@[^@\s]+$/.test(email)) throw new Error(`"${input.email}" is not an email address`)
  if (input.password.length < MIN_PASSWORD_LENGTH) {
    throw new Error(`the password must have at least ${MIN_PASSWORD_LENGTH} characters`)
  }
  if (input.role !== undefined && !isStaffRole(input.role)) {
    throw new Error(`--role is admin, sender or viewer (got "${input.role}")`)
  }
  const [hashedPassword, salt] = hashPassword(input.password)
  return db.$transaction(async (tx) => {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext('first-user-signup'))`
    const existing = await tx.user.findUnique({ where: { email } })
    if (existing) {
      return tx.user.update({
        where: { email },
        data: {
          hashedPassword,
          salt,
          activatedAt: existing.activatedAt ?? new Date(),
          // A new password ends every session of the user (src/lib/session.ts).
          sessionVersion: { increment: 1 },
          ...(input.name ? { name: input.name } : {}),
          ...(input.role ? { role: input.role as StaffRole } : {}),
        },
        select: { id: true, email: true, role: true },
      })
    }
    const role = (input.role as StaffRole | undefined) ?? ((await tx.user.count()) === 0 ? 'admin' : 'viewer')
    return tx.user.create({
      data: { email, hashedPassword, salt, name: input.name, role, activatedAt: new Date() },
      select: { id: true, email: true, role: true },
    })
  })
}

export async function hasAnyUser(): Promise<boolean> {
  return (await db.user.count()) > 0
}

export const signupOpen = async () => !(await hasAnyUser())

export const passwordRules = () => ({ minLength: MIN_PASSWORD_LENGTH })
