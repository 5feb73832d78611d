import { signInAs, signOut } from 'testing/staff'

import { hashPassword } from '@redwoodjs/auth-dbauth-api'

import { getCurrentUser } from 'src/lib/auth'
import { db } from 'src/lib/db'
import { withSessionClaims } from 'src/lib/session'

import { createUserLink, inviteUser, redeemUserLink, setUserDisabled, setUserRole, userLink } from './users'

const call = <T>(fn: unknown, args: object = {}) => (fn as (a: object, o: object) => Promise<T>)(args, {})
type Link = { token: string; expiresAt: Date; purpose: string; user: { id: number; email: string } }

async function activeUser(email: string, role: 'admin' | 'sender' | 'viewer') {
  const [hashedPassword, salt] = hashPassword('a-long-password')
  return db.user.create({ data: { email, role, hashedPassword, salt, activatedAt: new Date() } })
}

let admin: { id: number; email: string }

beforeEach(async () => {
  admin = await activeUser('admin@example.com', 'admin')
  signInAs('admin', admin)
})

afterEach(async () => {
  await db.userToken.deleteMany()
  await db.auditEvent.deleteMany()
  await db.user.deleteMany()
})

describe('invitations', () => {
  it('creates the account with a single-use link the admin passes on, audited in the same transaction', async () => {
    const link = await call<Link>(inviteUser, { input: { email: ' Sam@Example.com ', role: 'sender' } })
    expect(link.purpose).toBe('INVITATION')
    expect(link.token).toMatch(/^[\w-]{43}$/)
    expect(link.expiresAt.getTime() - Date.now()).toBeGreaterThan(6.9 * 24 * 3600_000)
    const user = await db.user.findUniqueOrThrow({ where: { email: 'sam@example.com' } })
    expect(user).toMatchObject({ role: 'sender', activatedAt: null, invitedById: admin.id })
    // Only the hash is stored.
    expect(await db.userToken.count({ where: { tokenHash: link.token } })).toBe(0)
    const audit = await db.auditEvent.findFirstOrThrow({ where: { action: 'user_invited' } })
    expect(audit).toMatchObject({ actorId: admin.id, targetId: String(user.id) })
    expect(JSON.stringify(audit.details)).not.toContain(link.token)

    // The link's holder sees what it is for and the shortest password it takes, sets a password once, then the link is spent.
    const shown = await call<{ minPasswordLength: number }>(userLink, { token: link.token })
    expect(shown).toMatchObject({ purpose: 'INVITATION', email: 'sam@example.com', minPasswordLength: 10 })
    signOut()
    await expect(
      call(redeemUserLink, { token: link.token, password: 'x'.repeat(shown.minPasswordLength - 1) })
    ).rejects.toThrow(/at least 10/)
    const [first, second] = await Promise.allSettled([
      call(redeemUserLink, { token: link.token, password: 'sams-own-password', name: 'Sam' }),
      call(redeemUserLink, { token: link.token, password: 'someone-elses-password' }),
    ])
    const outcomes = [first.status, second.status].sort()
    expect(outcomes).toEqual(['fulfilled', 'rejected'])
    const activated = await db.user.findUniqueOrThrow({ where: { id: user.id } })
    expect(activated.activatedAt).not.toBeNull()
    expect(activated.name).toBe('Sam')
    expect(await call(userLink, { token: link.token })).toBeNull()
    await expect(call(redeemUserLink, { token: link.token, password: 'yet-another-password' })).rejects.toThrow(
      /used, has expired or is not valid/
    )
    expect(await db.auditEvent.count({ where: { action: 'invitation_accepted', actorId: user.id } })).toBe(1)
  })

  it('refuses an expired link, an unknown one, a taken email and a bad email', async () => {
    const link = await call<Link>(inviteUser, { input: { email: 'late@example.com', role: 'viewer' } })
    await db.userToken.updateMany({ data: { expiresAt: new Date(Date.now() - 1000) } })
    await expect(call(redeemUserLink, { token: link.token, password: 'long-enough-password' })).rejects.toThrow(
      /expired/
    )
    await expect(call(redeemUserLink, { token: 'nope', password: 'long-enough-password' })).rejects.toThrow(/not valid/)
    await expect(call(inviteUser, { input: { email: 'LATE@example.com', role: 'viewer' } })).rejects.toThrow(
      /already has an account/
    )
    await expect(call(inviteUser, { input: { email: 'not an email', role: 'viewer' } })).rejects.toThrow(/not an email/)
    // A new link replaces the expired one.
    const again = await call<Link>(createUserLink, { id: link.user.id })
    expect(again.purpose).toBe('INVITATION')
    await call(redeemUserLink, { token: again.token, password: 'long-enough-password' })
  })

  it('a reset link for an active user sets a new password once; earlier links stop working', async () => {
    const sam = await activeUser('sam@example.com', 'sender')
    const first = await call<Link>(createUserLink, { id: sam.id })
    const second = await call<Link>(createUserLink, { id: sam.id })
    expect(second.purpose).toBe('PASSWORD_RESET')
    signOut()
    await expect(call(redeemUserLink, { token: first.token, password: 'new-password-123' })).rejects.toThrow()
    await call(redeemUserLink, { token: second.token, password: 'new-password-123' })
    const after = await db.user.findUniqueOrThrow({ where: { id: sam.id } })
    expect(after.hashedPassword).toBe(hashPassword('new-password-123', { salt: after.salt })[0])
    expect(await db.auditEvent.count({ where: { action: 'password_reset' } })).toBe(1)
  })
})

describe('roles and disabling', () => {
  it('changes a role, audited with from and to', async () => {
    const sam = await activeUser('sam@example.com', 'viewer')
    await call(setUserRole, { id: sam.id, role: 'sender' })
    expect((await db.user.findUniqueOrThrow({ where: { id: sam.id } })).role).toBe('sender')
    const audit = await db.auditEvent.findFirstOrThrow({ where: { action: 'user_role_changed' } })
    expect(audit.details).toMatchObject({ from: 'viewer', to: 'sender' })
  })

  it("a disabled user's sessions stop at the next request, and stay ended once enabled again", async () => {
    const sam = await activeUser('sam@example.com', 'sender')
    // A session as dbAuth issues it (src/lib/session.ts).
    const session = withSessionClaims({ id: sam.id, sessionVersion: 0 })
    expect(await getCurrentUser(session)).toMatchObject({ id: sam.id, roles: ['sender'] })
    await call(setUserDisabled, { id: sam.id, disabled: true })
    expect(await getCurrentUser(session)).toBeNull()
    await call(setUserDisabled, { id: sam.id, disabled: false })
    // Disabling ended the old session; a new sign-in gets a current one.
    expect(await getCurrentUser(session)).toBeNull()
    const fresh = withSessionClaims({ id: sam.id, sessionVersion: 1 })
    expect(await getCurrentUser(fresh)).toMatchObject({ id: sam.id })
    expect(await db.auditEvent.count({ where: { action: { in: ['user_disabled', 'user_enabled'] } } })).toBe(2)
  })

  it('never leaves the desk without an active admin, even when two admins demote each other at once', async () => {
    await expect(call(setUserRole, { id: admin.id, role: 'viewer' })).rejects.toThrow(/last active admin/)
    await expect(call(setUserDisabled, { id: admin.id, disabled: true })).rejects.toThrow(/last active admin/)
    // A pending invited admin does not count.
    await call(inviteUser, { input: { email: 'pending@example.com', role: 'admin' } })
    await expect(call(setUserRole, { id: admin.id, role: 'sender' })).rejects.toThrow(/last active admin/)

    const other = await activeUser('other@example.com', 'admin')
    // Another admin's change in flight, as setUserRole makes it: the lock taken, `other` demoted, not committed.
    let locked!: () => void
    let release!: () => void
    const lockTaken = new Promise<void>((resolve) => (locked = resolve))
    const gate = new Promise<void>((resolve) => (release = resolve))
    const inFlight = db.$transaction(
      async (tx) => {
        await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext('staff-admins'))`
        await tx.user.update({ where: { id: other.id }, data: { role: 'viewer' } })
        locked()
        await gate
      },
      { timeout: 20_000 }
    )
    await lockTaken
    // Meanwhile this admin demotes themself: it must wait for the other change, then see no other admin left.
    const demoteMyself = call(setUserRole, { id: admin.id, role: 'viewer' })
    const settled = demoteMyself.then(
      () => 'demoted',
      (error: Error) => error.message
    )
    await new Promise((resolve) => setTimeout(resolve, 300))
    release()
    await inFlight
    expect(await settled).toMatch(/last active admin/)
    expect(await db.user.count({ where: { role: 'admin', disabledAt: null, activatedAt: { not: null } } })).toBe(1)

    // And two at once through the service: one wins.
    await db.user.update({ where: { id: other.id }, data: { role: 'admin' } })
    const results = await Promise.allSettled([
      call(setUserRole, { id: admin.id, role: 'viewer' }),
      call(setUserDisabled, { id: other.id, disabled: true }),
    ])
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1)
    expect(await db.user.count({ where: { role: 'admin', disabledAt: null, activatedAt: { not: null } } })).toBe(1)
  })
})
