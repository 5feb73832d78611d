/**
 * One file of a conversation, as staff read it: a thumbnail that opens the
 * full picture, a player for audio and video, a download link with type and
 * size for documents; while our copy is being made, or when it could not be,
 * it says so and why. The file comes from /api/media (signed-in staff only).
 */
export type ThreadMediaView = {
  key: string
  kind: string
  state: string
  mimeType?: string | null
  declaredMimeType?: string | null
  fileName?: string | null
  sizeBytes?: number | null
  failureReason?: string | null
  attempts: number
}

export const mediaUrl = (key: string, download = false) =>
  `/api/media?key=${encodeURIComponent(key)}${download ? '&download=1' : ''}`

export function formatSize(bytes: number | null | undefined): string {
  if (bytes === null || bytes === undefined) return ''
  if (bytes < 1024) return `${bytes} B`
  if (bytes < 1024 * 1024) return `${Math.ceil(bytes / 1024)} KB`
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`
}

const describe = (m: ThreadMediaView) =>
  [m.fileName, m.mimeType ?? m.declaredMimeType, formatSize(m.sizeBytes)].filter(Boolean).join(' · ')

/** Under a picture or player: what the file is, and a link that downloads it. */
const DownloadCaption = ({ media: m }: { media: ThreadMediaView }) => (
  <figcaption className="mt-1 text-xs text-slate-600">
    {describe(m)} ·{' '}
    <a href={mediaUrl(m.key, true)} className="text-indigo-700 underline">
      download
    </a>
  </figcaption>
)

const MediaAttachment = ({ media: m }: { media: ThreadMediaView }) => {
  if (m.state === 'PENDING' || m.state === 'FETCHING') {
    return (
      <p data-testid="media-pending" className="rounded bg-slate-50 p-2 text-xs text-slate-700">
        {m.kind === 'image' ? 'Picture' : 'File'} {m.fileName ? `“${m.fileName}” ` : ''}being copied from Sinch…
        {m.failureReason ? ` (${m.failureReason}; trying again)` : ''}
      </p>
    )
  }
  if (m.state !== 'STORED') {
    return (
      <p data-testid="media-failed" className="rounded bg-rose-50 p-2 text-xs text-rose-900">
        {m.state === 'PRUNED' ? 'File no longer kept' : 'File could not be fetched'}
        {m.fileName ? ` (“${m.fileName}”)` : ''}: {m.failureReason ?? 'no reason recorded'}
      </p>
    )
  }
  const url = mediaUrl(m.key)
  switch (m.kind) {
    case 'image':
      return (
        <figure data-testid="media-image">
          <a href={url} target="_blank" rel="noreferrer" title="Open the full picture">
            <img
              src={url}
              alt={m.fileName ?? 'Picture sent in the conversation'}
              loading="lazy"
              className="max-h-48 max-w-[16rem] rounded border border-slate-200 object-contain"
            />
          </a>
          <DownloadCaption media={m} />
        </figure>
      )
    case 'video':
    case 'audio':
      return (
        <figure data-testid={`media-${m.kind}`}>
          {m.kind === 'video' ? (
            <video controls preload="metadata" src={url} className="max-h-64 max-w-full rounded">
              <track kind="captions" />
            </video>
          ) : (
            <audio controls preload="metadata" src={url}>
              <track kind="captions" />
            </audio>
          )}
          <DownloadCaption media={m} />
        </figure>
      )
    default:
      return (
        <p data-testid="media-document" className="text-sm">
          <a href={mediaUrl(m.key, true)} className="text-indigo-700 underline">
            {m.fileName ?? 'Document'}
          </a>{' '}
          <span className="text-xs text-slate-600">
            {[m.mimeType, formatSize(m.sizeBytes)].filter(Boolean).join(' · ')}
          </span>
        </p>
      )
  }
}

export default MediaAttachment
