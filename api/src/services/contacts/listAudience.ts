/**
 * A list as the recipients of a send (for Compose): every member whose
 * number is not opted out, with its name and fields for the template.
 * Bounded: a list larger than MAX_AUDIENCE is refused rather than cut short.
 */
import { UserInputError } from '@redwoodjs/graphql-server'

import { db } from 'src/lib/db'

import { fieldsOf } from './contactRows'

export const MAX_AUDIENCE = 100_000

export type AudienceMember = { phoneNumber: string; name: string | null; fields: Record<string, string> }

export type ListAudience = AudienceMember[] & {
  /** Members left out because their number is opted out. */
  optedOutExcluded?: number
}

/** The list's members that may be sent to, ordered by number; the opted-out count rides on the array. */
export async function listAudience(listId: number): Promise<ListAudience> {
  const list = await db.contactList.findUnique({ where: { id: listId }, select: { id: true, name: true } })
  if (!list) throw new UserInputError(`No list ${listId}.`)
  const rows = await db.$queryRaw<
    { phoneNumber: string; name: string | null; attributes: unknown; optedOut: boolean }[]
  >`
    SELECT c."phoneNumber", c."name", c."attributes", (o.id IS NOT NULL) AS "optedOut"
    FROM "ContactListMember" m
    JOIN "Contact" c ON c.id = m."contactId"
    LEFT JOIN "OptOut" o ON o."phoneNumber" = c."phoneNumber"
    WHERE m."listId" = ${listId}::int
    ORDER BY c."phoneNumber"
    LIMIT ${MAX_AUDIENCE + 1}::int`
  if (rows.length > MAX_AUDIENCE)
    throw new UserInputError(
      `"${list.name}" has more than ${MAX_AUDIENCE.toLocaleString('en')} contacts: split it to send to it.`
    )
  const audience: ListAudience = rows
    .filter((r) => !r.optedOut)
    .map((r) => ({ phoneNumber: r.phoneNumber, name: r.name, fields: fieldsOf(r.attributes) }))
  audience.optedOutExcluded = rows.length - audience.length
  return audience
}
