/**
 * User management (admins): invitations, roles, disabling, password-reset
 * links; and redeeming a link (its holder, signed out).
 *
 * No mail server is assumed: invitation and reset links are returned to the
 * admin once, to pass on. Only a token's SHA-256 is stored; redeeming claims
 * it with one conditional UPDATE, so a link works once.
 *
 * "An active admin" is an admin who is not disabled and has chosen a
 * password. Every change of role or disabled state runs under one advisory
 * lock and checks that at least one other active admin remains, so two admins
 * demoting each other at once cannot leave the desk without one.
 */
import type { Prisma, User as UserRow } from '@prisma/client'
import type { MutationResolvers, QueryResolvers, UserRelationResolvers } from 'types/graphql'

import { hashPassword } from '@redwoodjs/auth-dbauth-api'
import { UserInputError } from '@redwoodjs/graphql-server'

import { requireAuth } from 'src/lib/auth'
import { db } from 'src/lib/db'
import { boundedToken, hashOneTimeToken, newOneTimeToken } from 'src/lib/oneTimeToken'
import { ROLE_DESCRIPTIONS, ROLES_THAT, STAFF_ROLES, type StaffRole } from 'src/lib/roles'
import { recordAudit } from 'src/services/audit/audit'
import { MIN_PASSWORD_LENGTH } from 'src/services/staff/staff'

type Tx = Prisma.TransactionClient

export const INVITATION_TTL_MS = 7 * 24 * 3600_000
export const PASSWORD_RESET_TTL_MS = 24 * 3600_000
const ADMINS_LOCK = 'staff-admins'

const requireAdmin = () => requireAuth({ roles: [...ROLES_THAT.administer] })

const currentUserId = () => (context.currentUser as { id: number }).id

function normaliseEmail(input: string): string {
  const email = input.trim().toLowerCase()
  if (email.length > 254 || !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(email))
    throw new UserInputError(`"${input.slice(0, 254)}" is not an email address.`)
  return email
}

async function findUser(tx: Tx, id: number): Promise<UserRow> {
  const user = await tx.user.findUnique({ where: { id } })
  if (!user) throw new UserInputError(`No user ${id}.`)
  return user
}

/** Refuses a change that would leave no active admin; call under the admins lock. */
async function keepAnActiveAdmin(tx: Tx, user: UserRow, after: { role: StaffRole; disabled: boolean }) {
  const isActiveAdmin = (role: StaffRole, disabled: boolean) => role === 'admin' && !disabled && !!user.activatedAt
  if (!isActiveAdmin(user.role, !!user.disabledAt) || isActiveAdmin(after.role, after.disabled)) return
  const others = await tx.user.count({
    where: { role: 'admin', disabledAt: null, activatedAt: { not: null }, id: { not: user.id } },
  })
  if (others === 0) throw new UserInputError(`${user.email} is the last active admin: make someone else admin first.`)
}

/** A new link for the user; earlier unused links of the same user stop working. */
async function newLink(tx: Tx, user: UserRow, purpose: 'INVITATION' | 'PASSWORD_RESET') {
  const token = newOneTimeToken()
  const expiresAt = new Date(Date.now() + (purpose === 'INVITATION' ? INVITATION_TTL_MS : PASSWORD_RESET_TTL_MS))
  await tx.userToken.deleteMany({ where: { userId: user.id, usedAt: null } })
  await tx.userToken.create({
    data: { purpose, tokenHash: hashOneTimeToken(token), userId: user.id, createdById: currentUserId(), expiresAt },
  })
  return { user, purpose, token, expiresAt }
}

export const users: QueryResolvers['users'] = () => {
  requireAdmin()
  return db.user.findMany({ orderBy: { id: 'asc' } })
}

export const staffRoles: QueryResolvers['staffRoles'] = () =>
  STAFF_ROLES.map((role) => ({ role, description: ROLE_DESCRIPTIONS[role] }))

export const inviteUser: MutationResolvers['inviteUser'] = async ({ input }) => {
  requireAdmin()
  const email = normaliseEmail(input.email)
  const name = input.name?.trim().slice(0, 200) || null
  return db.$transaction(async (tx) => {
    const existing = await tx.user.findUnique({ where: { email }, select: { id: true } })
    if (existing) throw new UserInputError(`${email} already has an account: create a new link for it instead.`)
    // An unguessable password nobody knows: the account is usable once the link sets one.
    const [hashedPassword, salt] = hashPassword(newOneTimeToken())
    const user = await tx.user.create({
      data: { email, name, role: input.role, hashedPassword, salt, invitedById: currentUserId() },
    })
    const link = await newLink(tx, user, 'INVITATION')
    await recordAudit(tx, {
      action: 'user_invited',
      targetType: 'user',
      targetId: user.id,
      details: { email, role: input.role },
    })
    return link
  })
}

export const createUserLink: MutationResolvers['createUserLink'] = async ({ id }) => {
  requireAdmin()
  return db.$transaction(async (tx) => {
    const user = await findUser(tx, id)
    if (user.disabledAt) throw new UserInputError(`${user.email} is disabled: enable the account first.`)
    const purpose = user.activatedAt ? 'PASSWORD_RESET' : 'INVITATION'
    const link = await newLink(tx, user, purpose)
    await recordAudit(tx, {
      action: purpose === 'INVITATION' ? 'user_invited' : 'password_reset_link_created',
      targetType: 'user',
      targetId: user.id,
      details: { email: user.email, ...(purpose === 'INVITATION' ? { role: user.role, again: true } : {}) },
    })
    return link
  })
}

export const setUserRole: MutationResolvers['setUserRole'] = async ({ id, role }) => {
  requireAdmin()
  return db.$transaction(async (tx) => {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${ADMINS_LOCK}))`
    const user = await findUser(tx, id)
    if (user.role === role) return user
    await keepAnActiveAdmin(tx, user, { role, disabled: !!user.disabledAt })
    const updated = await tx.user.update({ where: { id }, data: { role } })
    await recordAudit(tx, {
      action: 'user_role_changed',
      targetType: 'user',
      targetId: id,
      details: { email: user.email, from: user.role, to: role },
    })
    return updated
  })
}

export const setUserDisabled: MutationResolvers['setUserDisabled'] = async ({ id, disabled }) => {
  requireAdmin()
  return db.$transaction(async (tx) => {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${ADMINS_LOCK}))`
    const user = await findUser(tx, id)
    if (!!user.disabledAt === disabled) return user
    await keepAnActiveAdmin(tx, user, { role: user.role, disabled })
    // Disabling also ends every session (src/lib/session.ts), besides getCurrentUser refusing a disabled user.
    const updated = await tx.user.update({
      where: { id },
      data: disabled ? { disabledAt: new Date(), sessionVersion: { increment: 1 } } : { disabledAt: null },
    })
    // Unused links of a disabled user stop working.
    if (disabled) await tx.userToken.deleteMany({ where: { userId: id, usedAt: null } })
    await recordAudit(tx, {
      action: disabled ? 'user_disabled' : 'user_enabled',
      targetType: 'user',
      targetId: id,
      details: { email: user.email },
    })
    return updated
  })
}

export const User: UserRelationResolvers = {
  pendingLinkExpiresAt: async (_args, { root }) => {
    const link = await db.userToken.findFirst({
      where: { userId: root.id, usedAt: null, expiresAt: { gt: new Date() } },
      orderBy: { expiresAt: 'desc' },
      select: { expiresAt: true },
    })
    return link?.expiresAt ?? null
  },
}

// ---- The link's holder (signed out) -----------------------------------------

const LINK_PURPOSES = ['INVITATION', 'PASSWORD_RESET'] as const

export const userLink: QueryResolvers['userLink'] = async ({ token }) => {
  const given = boundedToken(token)
  if (!given) return null
  const link = await db.userToken.findUnique({
    where: { tokenHash: hashOneTimeToken(given) },
    include: { user: { select: { email: true, disabledAt: true } } },
  })
  if (!link || link.usedAt || link.expiresAt <= new Date() || !link.user || link.user.disabledAt) return null
  if (link.purpose === 'SETUP') return null
  return {
    purpose: link.purpose,
    email: link.user.email,
    expiresAt: link.expiresAt,
    minPasswordLength: MIN_PASSWORD_LENGTH,
  }
}

export const redeemUserLink: MutationResolvers['redeemUserLink'] = async ({ token, password, name }) => {
  const given = boundedToken(token)
  if (!given) throw new UserInputError('This link is not valid.')
  if (password.length < MIN_PASSWORD_LENGTH || password.length > 1000)
    throw new UserInputError(`Use at least ${MIN_PASSWORD_LENGTH} characters.`)
  return db.$transaction(async (tx) => {
    // The claim: of two uses of one link, only one finds it unused.
    const claimed = await tx.userToken.updateManyAndReturn({
      where: {
        tokenHash: hashOneTimeToken(given),
        purpose: { in: [...LINK_PURPOSES] },
        usedAt: null,
        expiresAt: { gt: new Date() },
        user: { disabledAt: null },
      },
      data: { usedAt: new Date() },
      select: { userId: true, purpose: true },
    })
    if (claimed.length !== 1 || !claimed[0].userId)
      throw new UserInputError('This link has been used, has expired or is not valid: ask an admin for a new one.')
    const [hashedPassword, salt] = hashPassword(password)
    const existing = await findUser(tx, claimed[0].userId)
    const user = await tx.user.update({
      where: { id: existing.id },
      data: {
        hashedPassword,
        salt,
        activatedAt: existing.activatedAt ?? new Date(),
        // A new password ends every session of the user (src/lib/session.ts).
        sessionVersion: { increment: 1 },
        ...(name?.trim() ? { name: name.trim().slice(0, 200) } : {}),
      },
    })
    await recordAudit(tx, {
      action: claimed[0].purpose === 'INVITATION' ? 'invitation_accepted' : 'password_reset',
      actor: { id: user.id, email: user.email },
      targetType: 'user',
      targetId: user.id,
    })
    return { email: user.email }
  })
}
