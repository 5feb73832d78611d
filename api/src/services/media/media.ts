/**
 * GraphQL for media (README "Media"): what staff may upload, and how a file
 * appears in a thread. Sending is mediaSend.ts.
 */
import type { QueryResolvers } from 'types/graphql'

import { config } from 'src/lib/config'
import { contentView } from 'src/lib/conversationContent'
import { mediaKind } from 'src/lib/mediaTypes'

import { mmsTypes } from './mediaSend'

export const mediaLimits: QueryResolvers['mediaLimits'] = () => ({
  uploadMaxBytes: config().media.uploadMaxBytes,
  allowedTypes: config().media.allowedTypes,
  mmsEnabled: config().sinch.mmsEnabled,
  mmsTypes: mmsTypes(),
})

type MediaRow = {
  key: string
  state: string
  mimeType: string | null
  declaredMimeType: string | null
  fileName: string | null
  sizeBytes: number | null
  failureReason: string | null
  attempts: number
}

/** The columns a thread reads (never the bytes). */
export const THREAD_MEDIA_SELECT = {
  key: true,
  state: true,
  mimeType: true,
  declaredMimeType: true,
  fileName: true,
  sizeBytes: true,
  failureReason: true,
  attempts: true,
  position: true,
} as const

export function threadMedia(row: MediaRow) {
  return { ...row, kind: mediaKind(row.mimeType ?? row.declaredMimeType) }
}

/** A reply's location, choice or contact card, as the thread shows it. */
export function threadContent(contentType: string, body: string | null) {
  const view = contentView(contentType, body)
  return {
    location:
      view.kind === 'location'
        ? {
            ...view,
            mapUrl: `https://www.openstreetmap.org/?mlat=${view.latitude}&mlon=${view.longitude}#map=16/${view.latitude}/${view.longitude}`,
          }
        : null,
    choice: view.kind === 'choice' ? view : null,
    contactCard: view.kind === 'contact' ? view : null,
    caption: view.kind === 'media' ? (view.caption ?? null) : undefined,
  }
}
