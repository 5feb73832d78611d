import type { APIGatewayProxyEvent, Context } from 'aws-lambda'

import { isAuthenticated } from 'src/lib/auth'
import { csvDownload, withSession } from 'src/lib/csvDownload'
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
  return csvDownload(result.filename, result.csv)
}

export const handler = withSession(exportHandler)
