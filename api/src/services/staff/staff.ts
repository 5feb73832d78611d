import { hashPassword } from '@redwoodjs/auth-dbauth-api'

import { db } from 'src/lib/db'

export const MIN_PASSWORD_LENGTH = 10

export class SignupClosedError extends Error {
  constructor() {
    super('Signup is closed: this desk already has staff. Ask a colleague to add you with `yarn rw exec createUser`.')
    this.name = 'SignupClosedError'
  }
}

/** The web signup: allowed only while the desk has no user at all. */
export async function createFirstUser(input: { email: string; hashedPassword: string; salt: string; name?: string }) {
  return db.$transaction(async (tx) => {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext('first-user-signup'))`
    if ((await tx.user.count()) > 0) throw new SignupClosedError()
    return tx.user.create({
      data: {
        email: input.email.trim().toLowerCase(),
        hashedPassword: input.hashedPassword,
        salt: input.salt,
        name: input.name,
      },
    })
  })
}

/** Adds (or resets the password of) a staff member; used by `yarn rw exec createUser`. */
export async function upsertStaffUser(input: { email: string; password: string; name?: string }) {
  const email = input.email.trim().toLowerCase()
  if (!/^[^@\s]+@[^@\s]+$/.test(email)) throw new Error(`"${input.email}" is not an email address`)
  if (input.password.length < MIN_PASSWORD_LENGTH) {
    throw new Error(`the password must have at least ${MIN_PASSWORD_LENGTH} characters`)
  }
  const [hashedPassword, salt] = hashPassword(input.password)
  return db.user.upsert({
    where: { email },
    create: { email, hashedPassword, salt, name: input.name },
    // A new password ends every session of the user (src/lib/session.ts).
    update: { hashedPassword, salt, sessionVersion: { increment: 1 }, ...(input.name ? { name: input.name } : {}) },
    select: { id: true, email: true },
  })
}

export async function hasAnyUser(): Promise<boolean> {
  return (await db.user.count()) > 0
}

export const signupOpen = async () => !(await hasAnyUser())
