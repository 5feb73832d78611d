import { hashPassword } from '@redwoodjs/auth-dbauth-api'

import { db } from 'src/lib/db'

import { createFirstUser, SignupClosedError, signupOpen, upsertStaffUser } from './staff'

const credentials = (email: string) => {
  const [hashedPassword, salt] = hashPassword('a-long-password')
  return { email, hashedPassword, salt }
}

describe('staff', () => {
  it('opens signup only while there is no user, and only one first signup wins', async () => {
    expect(await signupOpen()).toBe(true)
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
    expect(await signupOpen()).toBe(false)
  })

  it('adds staff and resets a password, refusing short passwords and bad emails', async () => {
    const user = await upsertStaffUser({ email: ' Ana@Example.com ', password: 'first-password' })
    expect(user.email).toBe('ana@example.com')
    const before = await db.user.findUniqueOrThrow({ where: { id: user.id } })
    await upsertStaffUser({ email: 'ana@example.com', password: 'second-password' })
    const after = await db.user.findUniqueOrThrow({ where: { id: user.id } })
    expect(after.hashedPassword).not.toBe(before.hashedPassword)
    await expect(upsertStaffUser({ email: 'ana@example.com', password: 'short' })).rejects.toThrow(/at least 10/)
    await expect(upsertStaffUser({ email: 'not-an-email', password: 'long-enough-pw' })).rejects.toThrow(/not an email/)
  })
})
