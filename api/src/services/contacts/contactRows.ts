/**
 * Contact and list rows as the GraphQL types show them, and the checks of
 * what staff type (names, fields) shared by the form and the import.
 */
import type { Contact as ContactRow, ContactList as ContactListRow } from '@prisma/client'

import { UserInputError } from '@redwoodjs/graphql-server'

import { MAX_ATTRIBUTE_LENGTH, MAX_HEADER_LENGTH, MAX_NAME_LENGTH } from 'src/lib/contactCsv'
import { db } from 'src/lib/db'

export type ContactFields = Record<string, string>

/** The attributes column as name → text (anything else a hand-made row might hold is shown as text). */
export function fieldsOf(attributes: unknown): ContactFields {
  if (!attributes || typeof attributes !== 'object' || Array.isArray(attributes)) return {}
  const out: ContactFields = {}
  for (const [k, v] of Object.entries(attributes as Record<string, unknown>)) {
    if (v !== null && v !== undefined) out[k] = typeof v === 'string' ? v : JSON.stringify(v)
  }
  return out
}

export const MAX_FIELDS = 100

/** Fields typed in the form: names trimmed and unique, values bounded; an empty value removes the field. */
export function checkedFields(fields: { name: string; value: string }[] | null | undefined): ContactFields {
  const out: ContactFields = {}
  if (!fields) return out
  if (fields.length > MAX_FIELDS) throw new UserInputError(`At most ${MAX_FIELDS} fields.`)
  for (const { name, value } of fields) {
    const key = name.trim()
    if (!key) throw new UserInputError('Every field needs a name.')
    if (key.length > MAX_HEADER_LENGTH)
      throw new UserInputError(`Field names are at most ${MAX_HEADER_LENGTH} characters.`)
    if (value.length > MAX_ATTRIBUTE_LENGTH)
      throw new UserInputError(`"${key}" is longer than ${MAX_ATTRIBUTE_LENGTH} characters.`)
    if (Object.prototype.hasOwnProperty.call(out, key)) throw new UserInputError(`Two fields are named "${key}".`)
    if (value.trim()) out[key] = value.trim()
  }
  return out
}

export function checkedName(name: string | null | undefined): string | null {
  const trimmed = name?.trim() || null
  if (trimmed && trimmed.length > MAX_NAME_LENGTH)
    throw new UserInputError(`Names are at most ${MAX_NAME_LENGTH} characters.`)
  return trimmed
}

export function checkedListName(name: string): string {
  const trimmed = name.trim()
  if (!trimmed) throw new UserInputError('Give the list a name.')
  if (trimmed.length > MAX_NAME_LENGTH)
    throw new UserInputError(`List names are at most ${MAX_NAME_LENGTH} characters.`)
  return trimmed
}

/** Emails of these users, by id (users are never deleted; an unknown id reads null). */
export async function emailsOf(ids: (number | null)[]): Promise<Map<number, string>> {
  const wanted = [...new Set(ids.filter((id): id is number => typeof id === 'number'))]
  if (wanted.length === 0) return new Map()
  const users = await db.user.findMany({ where: { id: { in: wanted } }, select: { id: true, email: true } })
  return new Map(users.map((u) => [u.id, u.email]))
}

export type ContactDto = {
  id: number
  phoneNumber: string
  name: string | null
  fields: { name: string; value: string }[]
  optedOut: boolean
  lists: { id: number; name: string }[]
  createdAt: Date
  createdByEmail: string | null
  updatedAt: Date
  updatedByEmail: string | null
}

type ContactWithLists = ContactRow & { lists: { list: { id: number; name: string } }[] }

/** Rows as the AddressBookContact type, with opt-outs and emails read in one query each. */
export async function contactDtos(rows: ContactWithLists[]): Promise<ContactDto[]> {
  const phoneNumbers = rows.map((r) => r.phoneNumber)
  const [optOuts, emails] = await Promise.all([
    phoneNumbers.length
      ? db.optOut.findMany({ where: { phoneNumber: { in: phoneNumbers } }, select: { phoneNumber: true } })
      : [],
    emailsOf(rows.flatMap((r) => [r.createdById, r.updatedById])),
  ])
  const opted = new Set(optOuts.map((o) => o.phoneNumber))
  return rows.map((r) => ({
    id: r.id,
    phoneNumber: r.phoneNumber,
    name: r.name,
    fields: Object.entries(fieldsOf(r.attributes)).map(([name, value]) => ({ name, value })),
    optedOut: opted.has(r.phoneNumber),
    lists: r.lists.map((m) => m.list).sort((a, b) => a.name.localeCompare(b.name)),
    createdAt: r.createdAt,
    createdByEmail: r.createdById ? (emails.get(r.createdById) ?? null) : null,
    updatedAt: r.updatedAt,
    updatedByEmail: r.updatedById ? (emails.get(r.updatedById) ?? null) : null,
  }))
}

export const withLists = { lists: { select: { list: { select: { id: true, name: true } } } } } as const

export type ContactListDto = {
  id: number
  name: string
  memberCount: number
  optedOutCount: number
  createdAt: Date
  createdByEmail: string | null
  updatedAt: Date
}

/** Lists as the ContactList type, with their counts (one query for all of them). */
export async function listDtos(lists: ContactListRow[]): Promise<ContactListDto[]> {
  if (lists.length === 0) return []
  const ids = lists.map((l) => l.id)
  const [counts, emails] = await Promise.all([
    db.$queryRaw<{ listId: number; members: number; optedOut: number }[]>`
      SELECT m."listId", count(*)::int AS members, count(o.id)::int AS "optedOut"
      FROM "ContactListMember" m
      JOIN "Contact" c ON c.id = m."contactId"
      LEFT JOIN "OptOut" o ON o."phoneNumber" = c."phoneNumber"
      WHERE m."listId" = ANY(${ids}::int[])
      GROUP BY m."listId"`,
    emailsOf(lists.map((l) => l.createdById)),
  ])
  const byList = new Map(counts.map((c) => [c.listId, c]))
  return lists.map((l) => ({
    id: l.id,
    name: l.name,
    memberCount: byList.get(l.id)?.members ?? 0,
    optedOutCount: byList.get(l.id)?.optedOut ?? 0,
    createdAt: l.createdAt,
    createdByEmail: l.createdById ? (emails.get(l.createdById) ?? null) : null,
    updatedAt: l.updatedAt,
  }))
}

export const currentUserId = (): number | null => {
  const id = (context.currentUser as { id?: unknown } | undefined)?.id
  return typeof id === 'number' ? id : null
}
