import type { QueryResolvers } from 'types/graphql'

import { db } from 'src/lib/db'
import { isFinalStatus, SMS_CODE_MEANINGS, STATUS_MEANINGS } from 'src/lib/deliveryStatus'

const MAX_PAGE = 100

export const callbackEvents: QueryResolvers['callbackEvents'] = async ({ cursor, take, verdict }) => {
  const size = Math.min(Math.max(take ?? 25, 1), MAX_PAGE)
  const items = await db.callbackEvent.findMany({
    where: {
      ...(verdict ? { verdict } : {}),
      ...(cursor ? { id: { lt: cursor } } : {}),
    },
    orderBy: { id: 'desc' },
    take: size + 1,
  })
  const page = items.slice(0, size)
  return { items: page, nextCursor: items.length > size ? page[page.length - 1].id : null }
}

export const deliveryCodes: QueryResolvers['deliveryCodes'] = () =>
  Object.entries(SMS_CODE_MEANINGS).map(([code, { name, meaning }]) => ({ code: Number(code), name, meaning }))

export const deliveryStatuses: QueryResolvers['deliveryStatuses'] = () =>
  Object.entries(STATUS_MEANINGS).map(([status, meaning]) => ({ status, meaning, isFinal: isFinalStatus(status) }))
