/**
 * How a stored file is answered, for staff (/media) and for Sinch
 * (/mediaPublic): always as the type found in its bytes, never one that
 * could run as a page, with headers that keep the browser from guessing
 * (nosniff) and that sandbox it if it is opened as a document anyway
 * (Content-Security-Policy: sandbox). README "Media".
 */
import { contentDisposition, defaultFileName, servedInline } from 'src/lib/mediaTypes'

import type { StoredMedia } from './mediaStore'

export const MEDIA_SECURITY_HEADERS = {
  'X-Content-Type-Options': 'nosniff',
  'Content-Security-Policy': "sandbox; default-src 'none'; img-src 'self'; media-src 'self'; style-src 'unsafe-inline'",
  'Cross-Origin-Resource-Policy': 'same-origin',
  'Referrer-Policy': 'no-referrer',
} as const

export function mediaResponse(file: StoredMedia, options: { download?: boolean; cache: string }) {
  const inline = !options.download && servedInline(file.mimeType)
  return {
    statusCode: 200,
    headers: {
      'Content-Type': file.mimeType,
      'Content-Length': String(file.bytes.length),
      'Content-Disposition': contentDisposition(
        inline ? 'inline' : 'attachment',
        file.fileName ?? defaultFileName(file.mimeType, file.key)
      ),
      'Cache-Control': options.cache,
      ...MEDIA_SECURITY_HEADERS,
    },
    body: file.bytes.toString('base64'),
    isBase64Encoded: true,
  }
}

export const textAnswer = (statusCode: number, body: string, headers: Record<string, string> = {}) => ({
  statusCode,
  headers: {
    'Content-Type': 'text/plain; charset=utf-8',
    'Cache-Control': 'no-store',
    ...MEDIA_SECURITY_HEADERS,
    ...headers,
  },
  body,
})
