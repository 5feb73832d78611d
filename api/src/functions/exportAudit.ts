import type { APIGatewayProxyEvent, Context } from 'aws-lambda'

import { hasRole, isAuthenticated } from 'src/lib/auth'
import { csvDownload, withSession } from 'src/lib/csvDownload'
import { logger } from 'src/lib/logger'
import { ROLES_THAT } from 'src/lib/roles'
import { clientAddressOf, exportAuditCsv } from 'src/services/audit/audit'

/** GET /api/exportAudit?action=…&actorId=…&from=…&to=… — the filtered audit log as CSV (admins only). */
const exportHandler = async (event: APIGatewayProxyEvent, _context: Context) => {
  if (!isAuthenticated()) return { statusCode: 401, body: 'Log in to export the audit log.' }
  if (!hasRole([...ROLES_THAT.administer])) return { statusCode: 403, body: 'Only admins can export the audit log.' }
  if (event.httpMethod !== 'GET') return { statusCode: 405, headers: { Allow: 'GET' }, body: 'Use GET.' }
  const q = event.queryStringParameters ?? {}
  const actorId = q.actorId ? Number(q.actorId) : null
  if (actorId !== null && !Number.isInteger(actorId)) return { statusCode: 400, body: 'actorId is a user id.' }
  const user = context.currentUser as { id: number; email: string }
  try {
    const { csv, rows } = await exportAuditCsv(
      { actorId, action: q.action || null, from: q.from || null, to: q.to || null },
      { id: user.id, email: user.email },
      clientAddressOf(event)
    )
    logger.info({ userId: user.id, rows }, 'exported the audit log')
    return csvDownload(`audit-${new Date().toISOString().slice(0, 10)}.csv`, csv)
  } catch (error) {
    if ((error as Error).name === 'UserInputError') return { statusCode: 400, body: (error as Error).message }
    throw error
  }
}

export const handler = withSession(exportHandler)
