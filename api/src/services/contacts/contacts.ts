/**
 * The contact book and its lists (README "Contacts, lists and import").
 * Everyone signed in reads; senders and admins change, each change audited
 * in its own transaction. A number is in the book once (E.164, normalised
 * like a pasted recipient with PHONE_DEFAULT_REGION).
 */
import { Prisma } from '@prisma/client'
import type { MutationResolvers, QueryResolvers } from 'types/graphql'

import { UserInputError } from '@redwoodjs/graphql-server'

import { requireAuth } from 'src/lib/auth'
import { config } from 'src/lib/config'
import { db } from 'src/lib/db'
import { normalisePhoneNumber } from 'src/lib/phone'
import { ROLES_THAT } from 'src/lib/roles'
import { recordAudit } from 'src/services/audit/audit'

import {
  checkedFields,
  checkedListName,
  checkedName,
  contactDtos,
  currentUserId,
  listDtos,
  withLists,
} from './contactRows'

export const ADDRESS_BOOK_PAGE_SIZE = 50

const requireEditor = () => requireAuth({ roles: [...ROLES_THAT.send] })

function oneNumber(input: string): string {
  const result = normalisePhoneNumber(input, config().phoneDefaultRegion)
  if (!result.ok) throw new UserInputError(`${input.trim() || 'The number'}: ${result.reason}.`)
  return result.e164
}

const isUniqueViolation = (error: unknown) =>
  error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002'

export const addressBookContacts: QueryResolvers['addressBookContacts'] = async ({ search, listId, page }) => {
  const pageIndex = Math.max(1, Math.min(page ?? 1, 10_000))
  const text = search?.trim().slice(0, 100)
  const digits = text?.replace(/\D/g, '')
  const where: Prisma.ContactWhereInput = {
    ...(listId ? { lists: { some: { listId } } } : {}),
    ...(text
      ? {
          OR: [
            { name: { contains: text, mode: 'insensitive' } },
            ...(digits && digits.length >= 3 ? [{ phoneNumber: { contains: digits } }] : []),
          ],
        }
      : {}),
  }
  const [rows, total] = await Promise.all([
    db.contact.findMany({
      where,
      orderBy: [{ name: { sort: 'asc', nulls: 'last' } }, { id: 'asc' }],
      skip: (pageIndex - 1) * ADDRESS_BOOK_PAGE_SIZE,
      take: ADDRESS_BOOK_PAGE_SIZE,
      include: withLists,
    }),
    db.contact.count({ where }),
  ])
  return { items: await contactDtos(rows), total, page: pageIndex, pageSize: ADDRESS_BOOK_PAGE_SIZE }
}

async function loadContact(id: number) {
  const row = await db.contact.findUnique({ where: { id }, include: withLists })
  return row ? (await contactDtos([row]))[0] : null
}

export const addressBookContact: QueryResolvers['addressBookContact'] = ({ id }) => loadContact(id)

async function checkedListIds(tx: Prisma.TransactionClient, listIds: number[] | null | undefined) {
  if (!listIds) return null
  const unique = [...new Set(listIds)]
  const found = await tx.contactList.count({ where: { id: { in: unique } } })
  if (found !== unique.length) throw new UserInputError('One of the lists no longer exists.')
  return unique
}

export const createAddressBookContact: MutationResolvers['createAddressBookContact'] = async ({ input }) => {
  requireEditor()
  const phoneNumber = oneNumber(input.phoneNumber)
  const name = checkedName(input.name)
  const attributes = checkedFields(input.fields)
  const userId = currentUserId()
  const id = await db
    .$transaction(async (tx) => {
      const listIds = await checkedListIds(tx, input.listIds)
      const contact = await tx.contact.create({
        data: { phoneNumber, name, attributes, createdById: userId, updatedById: userId },
      })
      if (listIds?.length)
        await tx.contactListMember.createMany({ data: listIds.map((listId) => ({ listId, contactId: contact.id })) })
      await recordAudit(tx, {
        action: 'contact_created',
        targetType: 'contact',
        targetId: contact.id,
        details: { phoneNumber, fields: Object.keys(attributes).length, lists: listIds ?? [] },
      })
      return contact.id
    })
    .catch(async (error) => {
      if (!isUniqueViolation(error)) throw error
      const existing = await db.contact.findUnique({ where: { phoneNumber } })
      throw new UserInputError(
        `${phoneNumber} is already in the contact book${existing?.name ? ` (${existing.name})` : ''}: edit that contact instead.`
      )
    })
  return (await loadContact(id))!
}

export const updateAddressBookContact: MutationResolvers['updateAddressBookContact'] = async ({ id, input }) => {
  requireEditor()
  const phoneNumber = oneNumber(input.phoneNumber)
  const name = checkedName(input.name)
  const attributes = checkedFields(input.fields)
  const userId = currentUserId()
  await db
    .$transaction(async (tx) => {
      const before = await tx.contact.findUnique({ where: { id } })
      if (!before) throw new UserInputError(`No contact ${id}.`)
      const listIds = await checkedListIds(tx, input.listIds)
      await tx.contact.update({
        where: { id },
        data: { phoneNumber, name, attributes, updatedById: userId, updatedAt: new Date() },
      })
      if (listIds) {
        await tx.contactListMember.deleteMany({ where: { contactId: id, listId: { notIn: listIds } } })
        await tx.contactListMember.createMany({
          data: listIds.map((listId) => ({ listId, contactId: id })),
          skipDuplicates: true,
        })
      }
      await recordAudit(tx, {
        action: 'contact_updated',
        targetType: 'contact',
        targetId: id,
        details: {
          phoneNumber,
          numberChanged: before.phoneNumber !== phoneNumber,
          fields: Object.keys(attributes).length,
          ...(listIds ? { lists: listIds } : {}),
        },
      })
    })
    .catch((error) => {
      if (isUniqueViolation(error)) throw new UserInputError(`${phoneNumber} is already another contact's number.`)
      throw error
    })
  return (await loadContact(id))!
}

export const deleteAddressBookContact: MutationResolvers['deleteAddressBookContact'] = async ({ id }) => {
  requireEditor()
  const before = await loadContact(id)
  if (!before) throw new UserInputError(`No contact ${id}.`)
  await db.$transaction(async (tx) => {
    const { count } = await tx.contact.deleteMany({ where: { id } })
    if (count === 0) throw new UserInputError(`No contact ${id}.`)
    await recordAudit(tx, {
      action: 'contact_deleted',
      targetType: 'contact',
      targetId: id,
      details: { phoneNumber: before.phoneNumber },
    })
  })
  return before
}

// ---- Lists ------------------------------------------------------------------

export const contactLists: QueryResolvers['contactLists'] = async () =>
  listDtos(await db.contactList.findMany({ orderBy: [{ name: 'asc' }], take: 1000 }))

async function loadList(id: number) {
  const row = await db.contactList.findUnique({ where: { id } })
  return row ? (await listDtos([row]))[0] : null
}

export const contactList: QueryResolvers['contactList'] = ({ id }) => loadList(id)

async function listOrThrow(id: number) {
  const list = await loadList(id)
  if (!list) throw new UserInputError(`No list ${id}.`)
  return list
}

const listNameTaken = (name: string) => new UserInputError(`There is already a list named "${name}".`)

export const createContactList: MutationResolvers['createContactList'] = async ({ name: typed }) => {
  requireEditor()
  const name = checkedListName(typed)
  const userId = currentUserId()
  const list = await db
    .$transaction(async (tx) => {
      const created = await tx.contactList.create({ data: { name, createdById: userId, updatedById: userId } })
      await recordAudit(tx, { action: 'contact_list_created', targetType: 'contactList', targetId: created.id })
      return created
    })
    .catch((error) => {
      throw isUniqueViolation(error) ? listNameTaken(name) : error
    })
  return listOrThrow(list.id)
}

export const renameContactList: MutationResolvers['renameContactList'] = async ({ id, name: typed }) => {
  requireEditor()
  const name = checkedListName(typed)
  await db
    .$transaction(async (tx) => {
      const { count } = await tx.contactList.updateMany({
        where: { id },
        data: { name, updatedById: currentUserId(), updatedAt: new Date() },
      })
      if (count === 0) throw new UserInputError(`No list ${id}.`)
      await recordAudit(tx, { action: 'contact_list_renamed', targetType: 'contactList', targetId: id })
    })
    .catch((error) => {
      throw isUniqueViolation(error) ? listNameTaken(name) : error
    })
  return listOrThrow(id)
}

export const deleteContactList: MutationResolvers['deleteContactList'] = async ({ id }) => {
  requireEditor()
  const before = await listOrThrow(id)
  await db.$transaction(async (tx) => {
    const { count } = await tx.contactList.deleteMany({ where: { id } })
    if (count === 0) throw new UserInputError(`No list ${id}.`)
    await recordAudit(tx, {
      action: 'contact_list_deleted',
      targetType: 'contactList',
      targetId: id,
      details: { members: before.memberCount },
    })
  })
  return before
}

async function changeMembership(listId: number, contactId: number, add: boolean) {
  requireEditor()
  await db.$transaction(async (tx) => {
    const [list, contact] = await Promise.all([
      tx.contactList.findUnique({ where: { id: listId } }),
      tx.contact.findUnique({ where: { id: contactId } }),
    ])
    if (!list) throw new UserInputError(`No list ${listId}.`)
    if (!contact) throw new UserInputError(`No contact ${contactId}.`)
    const { count } = add
      ? await tx.contactListMember.createMany({ data: [{ listId, contactId }], skipDuplicates: true })
      : await tx.contactListMember.deleteMany({ where: { listId, contactId } })
    if (count === 0)
      throw new UserInputError(
        add ? `${contact.phoneNumber} is already on the list.` : `${contact.phoneNumber} is not on the list.`
      )
    await recordAudit(tx, {
      action: add ? 'contact_list_member_added' : 'contact_list_member_removed',
      targetType: 'contactList',
      targetId: listId,
      details: { contactId },
    })
  })
  return listOrThrow(listId)
}

export const addContactToList: MutationResolvers['addContactToList'] = ({ listId, contactId }) =>
  changeMembership(listId, contactId, true)

export const removeContactFromList: MutationResolvers['removeContactFromList'] = ({ listId, contactId }) =>
  changeMembership(listId, contactId, false)
