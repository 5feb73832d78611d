import { hashPassword } from '@redwoodjs/auth-dbauth-api'

import { db } from 'src/lib/db'

import { createFirstUser, SetupTokenError, SignupClosedError, signupOpen, upsertStaffUser } from './staff'

const SETUP_TOKEN = 'a-setup-token-of-at-least-24-characters'

const credentials = (email: string, setupToken: string | null = SETUP_TOKEN) => {
  const [hashedPassword, salt] = hashPassword('a-long-password')
  return { email, hashedPassword, salt, setupToken }
}

beforeEach(() => {
  process.env.SETUP_TOKEN = SETUP_TOKEN
})
afterEach(async () => {
  delete process.env.SETUP_TOKEN
  await db.auditEvent.deleteMany()
  await db.user.deleteMany()
})

describe('staff', () => {
  it('opens signup only while there is no user, only with the setup token, and only one first signup wins', async () => {
    expect(await signupOpen()).toBe(true)
    await expect(createFirstUser(credentials('x@example.com', null))).rejects.toBeInstanceOf(SetupTokenError)
    await expect(createFirstUser(credentials('x@example.com', 'short'))).rejects.toBeInstanceOf(SetupTokenError)
    // A SETUP_TOKEN shorter than 24 characters is never accepted.
    process.env.SETUP_TOKEN = 'too-short'
    await expect(createFirstUser(credentials('x@example.com', 'too-short'))).rejects.toBeInstanceOf(SetupTokenError)
    process.env.SETUP_TOKEN = SETUP_TOKEN
    expect(await db.user.count()).toBe(0)

    const results = await Promise.allSettled([
      createFirstUser(credentials('a@example.com')),
      createFirstUser(credentials('b@example.com')),
      createFirstUser(credentials('c@example.com')),
    ])
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1)
    const refused = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected')
    expect(refused).toHaveLength(2)
    refused.forEach((r) => expect(r.reason).toBeInstanceOf(SignupClosedError))
    expect(await db.user.count()).toBe(1)
    expect((await db.user.findFirstOrThrow()).role).toBe('admin')
    expect(await signupOpen()).toBe(false)
  })

  it('adds staff and resets a password, refusing short passwords, bad emails and unknown roles', async () => {
    const user = await upsertStaffUser({ email: ' Ana@Example.com ', password: 'first-password' })
    expect(user.email).toBe('ana@example.com')
    // The desk's first user is an admin; later ones are viewers unless a role is given.
    expect(user.role).toBe('admin')
    expect((await upsertStaffUser({ email: 'al@example.com', password: 'long-enough-pw' })).role).toBe('viewer')
    expect((await upsertStaffUser({ email: 'bo@example.com', password: 'long-enough-pw', role: 'viewer' })).role).toBe(
      'viewer'
    )
    const before = await db.user.findUniqueOrThrow({ where: { id: user.id } })
    await upsertStaffUser({ email: 'ana@example.com', password: 'second-password' })
    const after = await db.user.findUniqueOrThrow({ where: { id: user.id } })
    expect(after.hashedPassword).not.toBe(before.hashedPassword)
    expect(after.role).toBe('admin')
    await expect(upsertStaffUser({ email: 'ana@example.com', password: 'short' })).rejects.toThrow(/at least 10/)
    await expect(upsertStaffUser({ email: 'not-an-email', password: 'long-enough-pw' })).rejects.toThrow(/not an email/)
    await expect(
      upsertStaffUser({ email: 'cy@example.com', password: 'long-enough-pw', role: 'root' })
    ).rejects.toThrow(/admin, sender or viewer/)
  })
})
