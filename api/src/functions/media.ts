import type { APIGatewayProxyEvent, Context } from 'aws-lambda'

import { createAuthDecoder } from '@redwoodjs/auth-dbauth-api'
import { useRequireAuth } from '@redwoodjs/graphql-server'

import { cookieName, getCurrentUser, isAuthenticated } from 'src/lib/auth'
import { mediaResponse, textAnswer } from 'src/services/media/mediaServe'
import { readStoredMedia } from 'src/services/media/mediaStore'

/**
 * GET /api/media?key=…[&download=1] — a stored media file, to signed-in staff
 * only (any role: whoever may read the thread may see its files).
 */
const mediaHandler = async (event: APIGatewayProxyEvent, _context: Context) => {
  if (!isAuthenticated()) return textAnswer(401, 'Log in to see media.')
  if (event.httpMethod !== 'GET' && event.httpMethod !== 'HEAD')
    return textAnswer(405, 'Use GET.', { Allow: 'GET, HEAD' })
  const key = event.queryStringParameters?.key
  if (!key || !/^[\w-]{10,64}$/.test(key)) return textAnswer(400, 'Pass the file key as ?key=.')
  const file = await readStoredMedia(key)
  if (!file) return textAnswer(404, 'No stored file with this key (not fetched yet, failed or deleted).')
  return mediaResponse(file, {
    download: event.queryStringParameters?.download === '1',
    // Private: a shared cache must never keep a customer's file.
    cache: 'private, max-age=3600',
  })
}

export const handler = useRequireAuth({
  handlerFn: mediaHandler,
  getCurrentUser,
  authDecoder: createAuthDecoder(cookieName),
})
