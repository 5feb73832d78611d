import type { APIGatewayProxyEvent } from 'aws-lambda'

import { config } from 'src/lib/config'
import { logger } from 'src/lib/logger'
import { checkSignedMediaUrl } from 'src/lib/mediaUrl'
import { mediaResponse, textAnswer } from 'src/services/media/mediaServe'
import { readStoredMedia } from 'src/services/media/mediaStore'

/**
 * GET /api/mediaPublic?key=…&exp=…&sig=… — a file staff sent, for Sinch to
 * fetch: no session, the signed, expiring URL is the permission
 * (src/lib/mediaUrl.ts). Only outbound files are served here, never what a
 * customer sent.
 */
export const handler = async (event: APIGatewayProxyEvent) => {
  if (event.httpMethod !== 'GET' && event.httpMethod !== 'HEAD')
    return textAnswer(405, 'Use GET.', { Allow: 'GET, HEAD' })
  const params = event.queryStringParameters ?? {}
  const check = checkSignedMediaUrl(config().media.urlSecret, params)
  if (!check.ok) {
    logger.info({ reason: check.reason }, 'media URL refused')
    // The same words for every refusal; only an expired link is told apart (410), as Sinch may log it.
    return textAnswer(check.reason === 'expired' ? 410 : 403, 'This link is not valid or has expired.')
  }
  const file = await readStoredMedia(params.key!, { direction: 'OUTBOUND' })
  if (!file) return textAnswer(404, 'No such file.')
  return mediaResponse(file, { download: false, cache: 'private, no-store' })
}
