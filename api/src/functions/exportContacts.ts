import type { APIGatewayProxyEvent, Context } from 'aws-lambda'

import { isAuthenticated } from 'src/lib/auth'
import { csvDownload, withSession } from 'src/lib/csvDownload'
import { logger } from 'src/lib/logger'
import { exportContactListCsv, exportImportProblemsCsv } from 'src/services/contacts/contactExport'

/**
 * GET /api/exportContacts?listId=… — a contact list as CSV;
 * GET /api/exportContacts?importId=… — an import's bad rows as CSV (staff only).
 */
export const exportHandler = async (event: APIGatewayProxyEvent, _context: Context) => {
  if (!isAuthenticated()) return { statusCode: 401, body: 'Log in to export contacts.' }
  if (event.httpMethod !== 'GET') return { statusCode: 405, headers: { Allow: 'GET' }, body: 'Use GET.' }
  const q = event.queryStringParameters ?? {}
  const id = (value: string | undefined) => (value && /^\d{1,9}$/.test(value) ? Number(value) : null)
  const listId = id(q.listId)
  const importId = id(q.importId)
  if (listId === null && importId === null) return { statusCode: 400, body: 'Pass ?listId= or ?importId=.' }
  const result = listId !== null ? await exportContactListCsv(listId) : await exportImportProblemsCsv(importId!)
  if (!result) return { statusCode: 404, body: listId !== null ? `No list ${listId}.` : `No import ${importId}.` }
  logger.info({ listId, importId, userId: context.currentUser?.id, bytes: result.csv.length }, 'exported contacts')
  return csvDownload(result.filename, result.csv)
}

export const handler = withSession(exportHandler)
