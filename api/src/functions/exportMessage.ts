import type { APIGatewayProxyEvent, Context } from 'aws-lambda'

import { createAuthDecoder } from '@redwoodjs/auth-dbauth-api'
import { useRequireAuth } from '@redwoodjs/graphql-server'

import { cookieName, getCurrentUser, isAuthenticated } from 'src/lib/auth'
import { logger } from 'src/lib/logger'
import { exportMessageCsv } from 'src/services/messageExport/messageExport'

/** GET /api/exportMessage?id=… — a message's delivery history as CSV (staff only). */
const exportHandler = async (event: APIGatewayProxyEvent, _context: Context) => {
  if (!isAuthenticated()) return { statusCode: 401, body: 'Log in to export messages.' }
  if (event.httpMethod !== 'GET') return { statusCode: 405, headers: { Allow: 'GET' }, body: 'Use GET.' }
  const id = event.queryStringParameters?.id
  if (!id || !/^[\w-]{1,64}$/.test(id)) return { statusCode: 400, body: 'Pass the message id as ?id=.' }

  const result = await exportMessageCsv(id)
  if (!result) return { statusCode: 404, body: `No message ${id}.` }
  logger.info({ messageId: id, userId: context.currentUser?.id, bytes: result.csv.length }, 'exported message history')
  return {
    statusCode: 200,
    headers: {
      'Content-Type': 'text/csv; charset=utf-8',
      'Content-Disposition': `attachment; filename="${result.filename}"`,
      'Cache-Control': 'no-store',
    },
    body: result.csv,
  }
}

export const handler = useRequireAuth({
  handlerFn: exportHandler,
  getCurrentUser,
  authDecoder: createAuthDecoder(cookieName),
})
