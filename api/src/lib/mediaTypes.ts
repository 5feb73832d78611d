/**
 * What a file is, found in its first bytes (its "magic number"), never taken
 * from a Content-Type header or a file name alone: a header can say
 * image/jpeg over an HTML page. Only the types below can be stored; what the
 * desk serves is the type found here, so nothing it serves can run as a page
 * (no HTML, SVG or XML is ever recognised). README "Media" says why this is
 * hand-written rather than the `file-type` package.
 */

/** Every type the desk can recognise (MEDIA_ALLOWED_TYPES may narrow it). */
export const SNIFFABLE_MEDIA_TYPES = [
  'image/jpeg',
  'image/png',
  'image/gif',
  'image/webp',
  'video/mp4',
  'video/3gpp',
  'audio/mpeg',
  'audio/ogg',
  'audio/amr',
  'audio/mp4',
  'application/pdf',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  'application/vnd.openxmlformats-officedocument.presentationml.presentation',
] as const

export type MediaType = (typeof SNIFFABLE_MEDIA_TYPES)[number]

/** How many leading bytes sniffMediaType needs. */
export const SNIFF_BYTES = 64

const OOXML: Record<string, MediaType> = {
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  pptx: 'application/vnd.openxmlformats-officedocument.presentationml.presentation',
}

const startsWith = (b: Uint8Array, bytes: number[], offset = 0) =>
  b.length >= offset + bytes.length && bytes.every((x, i) => b[offset + i] === x)
const ascii = (b: Uint8Array, text: string, offset = 0) =>
  startsWith(
    b,
    [...text].map((c) => c.charCodeAt(0)),
    offset
  )

/**
 * The type of a file from its first bytes, or null when it is none we keep.
 * A ZIP (Office documents are ZIPs) is only taken for an Office type when the
 * sender declared one, by type or file extension: a ZIP carries no type of
 * its own, and it never runs in a browser whatever we call it.
 */
export function sniffMediaType(
  head: Uint8Array,
  declared?: { mimeType?: string | null; fileName?: string | null }
): MediaType | null {
  if (startsWith(head, [0xff, 0xd8, 0xff])) return 'image/jpeg'
  if (startsWith(head, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'image/png'
  if (ascii(head, 'GIF87a') || ascii(head, 'GIF89a')) return 'image/gif'
  if (ascii(head, 'RIFF') && ascii(head, 'WEBP', 8)) return 'image/webp'
  if (ascii(head, '%PDF-')) return 'application/pdf'
  if (ascii(head, '#!AMR')) return 'audio/amr'
  if (ascii(head, 'OggS')) return 'audio/ogg'
  if (ascii(head, 'ID3') || (head.length >= 2 && head[0] === 0xff && (head[1] & 0xe0) === 0xe0)) return 'audio/mpeg'
  if (ascii(head, 'ftyp', 4)) {
    const brand = String.fromCharCode(...head.slice(8, 12))
    if (brand.startsWith('3gp') || brand.startsWith('3g2')) return 'video/3gpp'
    if (brand === 'M4A ' || brand === 'M4B ') return 'audio/mp4'
    return 'video/mp4'
  }
  if (startsWith(head, [0x50, 0x4b, 0x03, 0x04])) {
    const ext = declared?.fileName?.toLowerCase().match(/\.(docx|xlsx|pptx)$/)?.[1]
    const byType = Object.values(OOXML).find((t) => t === declared?.mimeType?.toLowerCase())
    return byType ?? (ext ? OOXML[ext] : null)
  }
  return null
}

/** How the thread shows a type: image (thumbnail), video and audio (a player), document (a link). */
export function mediaKind(mimeType: string | null | undefined): 'image' | 'video' | 'audio' | 'document' {
  const t = (mimeType ?? '').toLowerCase()
  if (t.startsWith('image/')) return 'image'
  if (t.startsWith('video/')) return 'video'
  if (t.startsWith('audio/')) return 'audio'
  return 'document'
}

/** Browsers show these inline without running anything; everything else is a download. */
export function servedInline(mimeType: string): boolean {
  return ['image', 'video', 'audio'].includes(mediaKind(mimeType)) || mimeType === 'application/pdf'
}

/** A file name safe for Content-Disposition: ASCII in `filename`, the original in RFC 5987 `filename*`. */
export function contentDisposition(disposition: 'inline' | 'attachment', fileName: string): string {
  const clean = fileName.replace(/[\r\n"\\/]/g, '_').slice(0, 200) || 'file'
  const asciiName = clean.replace(/[^\x20-\x7e]/g, '_')
  return `${disposition}; filename="${asciiName}"; filename*=UTF-8''${encodeURIComponent(clean)}`
}

const EXTENSIONS: Record<string, string> = {
  'image/jpeg': 'jpg',
  'image/png': 'png',
  'image/gif': 'gif',
  'image/webp': 'webp',
  'video/mp4': 'mp4',
  'video/3gpp': '3gp',
  'audio/mpeg': 'mp3',
  'audio/ogg': 'ogg',
  'audio/amr': 'amr',
  'audio/mp4': 'm4a',
  'application/pdf': 'pdf',
  ...Object.fromEntries(Object.entries(OOXML).map(([ext, t]) => [t, ext])),
}

/** A name for a file sent without one. */
export function defaultFileName(mimeType: string, id: string | number): string {
  return `file-${id}.${EXTENSIONS[mimeType] ?? 'bin'}`
}

/** A size as staff read it (1 MB = 1,048,576 bytes, as MEDIA_MAX_BYTES counts). */
export function formatBytes(n: number): string {
  return n >= 1024 * 1024 ? `${(n / 1024 / 1024).toFixed(1)} MB` : `${Math.ceil(n / 1024)} KB`
}
