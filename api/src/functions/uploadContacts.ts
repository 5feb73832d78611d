import type { APIGatewayProxyEvent, Context } from 'aws-lambda'

import { createAuthDecoder } from '@redwoodjs/auth-dbauth-api'
import { useRequireAuth } from '@redwoodjs/graphql-server'

import { cookieName, getCurrentUser, hasRole, isAuthenticated } from 'src/lib/auth'
import { CsvFileError, MAX_IMPORT_BYTES } from 'src/lib/contactCsv'
import { logger } from 'src/lib/logger'
import { ROLES_THAT } from 'src/lib/roles'
import { uploadContactFile } from 'src/services/contacts/contactImport'

const json = (statusCode: number, body: object) => ({
  statusCode,
  headers: { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' },
  body: JSON.stringify(body),
})

/**
 * POST /api/uploadContacts?name=contacts.csv with the CSV as the raw body
 * (Content-Type text/csv, at most MAX_IMPORT_BYTES; senders and admins).
 * Answers {id, headers} for the mapping step, or {error} with 400/413 and
 * nothing stored. The api server lets this path alone take bodies that large.
 */
export const uploadHandler = async (event: APIGatewayProxyEvent, _context: Context) => {
  if (!isAuthenticated()) return json(401, { error: 'Log in to import contacts.' })
  if (!hasRole([...ROLES_THAT.send])) return json(403, { error: 'Only senders and admins can import contacts.' })
  if (event.httpMethod !== 'POST') return { statusCode: 405, headers: { Allow: 'POST' }, body: 'Use POST.' }
  const body = event.isBase64Encoded ? Buffer.from(event.body ?? '', 'base64').toString('utf8') : (event.body ?? '')
  if (Buffer.byteLength(body, 'utf8') > MAX_IMPORT_BYTES)
    return json(413, { error: `The file is larger than ${MAX_IMPORT_BYTES / 1024 / 1024} MB: split it.` })
  const fileName = String(event.queryStringParameters?.name ?? 'contacts.csv')
  const user = context.currentUser as { id: number }
  try {
    const upload = await uploadContactFile(body, fileName, user.id)
    logger.info({ importId: upload.id, userId: user.id, bytes: body.length }, 'contact file uploaded')
    return json(201, upload)
  } catch (error) {
    if (error instanceof CsvFileError) return json(400, { error: error.message })
    throw error
  }
}

export const handler = useRequireAuth({
  handlerFn: uploadHandler,
  getCurrentUser,
  authDecoder: createAuthDecoder(cookieName),
})
