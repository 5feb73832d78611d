/**
 * Downloading one file from a URL Sinch gave us, with every limit applied
 * before a byte is kept (README "Media"):
 *
 * - SSRF: only https (http for the sandbox on this machine) to a host on
 *   MEDIA_FETCH_ALLOWED_HOSTS; redirects are followed by hand, at most 3,
 *   each target checked the same way. No credentials or cookies are sent.
 * - Size: a Content-Length above the cap fails at once; otherwise the body is
 *   read chunk by chunk and the download is aborted as soon as it passes the
 *   cap, so an endless or lying body costs at most the cap in memory.
 * - Type: found in the first bytes (src/lib/mediaTypes.ts), whatever the
 *   headers say, and must be on the allowlist.
 *
 * The outcome says whether trying again can help: a 5xx, 408, 429, a
 * timeout or a network error can (retried with backoff); an expired URL
 * (401/403/404/410), a host not allowed, too big or a wrong type cannot.
 */
import { formatBytes, sniffMediaType, SNIFF_BYTES, type MediaType } from 'src/lib/mediaTypes'
import { hostAllowed } from 'src/lib/mediaUrl'

export type DownloadLimits = {
  maxBytes: number
  allowedTypes: string[]
  allowedHosts: string[]
  allowHttp: boolean
  timeoutMs: number
}

export type DownloadResult =
  | { ok: true; bytes: Buffer; mimeType: MediaType; declaredMimeType?: string }
  | { ok: false; retry: boolean; reason: string }

const MAX_REDIRECTS = 3

function checkUrl(raw: string, limits: DownloadLimits): { url: URL } | { reason: string } {
  let url: URL
  try {
    url = new URL(raw)
  } catch {
    return { reason: 'not a valid URL' }
  }
  if (url.protocol !== 'https:' && !(limits.allowHttp && url.protocol === 'http:'))
    return { reason: `${url.protocol.replace(':', '')} URLs are not fetched (https only)` }
  if (url.username || url.password) return { reason: 'URLs with credentials are not fetched' }
  if (!hostAllowed(url.hostname, limits.allowedHosts))
    return { reason: `host ${url.hostname} is not on MEDIA_FETCH_ALLOWED_HOSTS` }
  return { url }
}

const megabytes = formatBytes

export async function downloadMedia(
  raw: string,
  limits: DownloadLimits,
  declared: { mimeType?: string | null; fileName?: string | null } = {}
): Promise<DownloadResult> {
  const controller = new AbortController()
  const timer = setTimeout(() => controller.abort(), limits.timeoutMs)
  try {
    let target = raw
    let response: Response | undefined
    for (let hop = 0; hop <= MAX_REDIRECTS; hop++) {
      const checked = checkUrl(target, limits)
      if ('reason' in checked) return { ok: false, retry: false, reason: checked.reason }
      response = await fetch(checked.url, {
        redirect: 'manual',
        signal: controller.signal,
        headers: { accept: '*/*' },
        credentials: 'omit',
      })
      if (response.status >= 300 && response.status < 400 && response.headers.get('location')) {
        await response.body?.cancel()
        target = new URL(response.headers.get('location')!, checked.url).toString()
        response = undefined
        continue
      }
      break
    }
    if (!response) return { ok: false, retry: false, reason: `more than ${MAX_REDIRECTS} redirects` }
    if (!response.ok) {
      await response.body?.cancel()
      const s = response.status
      if ([401, 403, 404, 410].includes(s))
        return { ok: false, retry: false, reason: `the link has expired or is gone (HTTP ${s})` }
      const retry = s >= 500 || s === 408 || s === 429
      return { ok: false, retry, reason: `HTTP ${s} from ${new URL(target).hostname}` }
    }
    const declaredMimeType = response.headers.get('content-type')?.split(';')[0].trim().toLowerCase() || undefined
    const length = Number(response.headers.get('content-length'))
    if (Number.isFinite(length) && length > limits.maxBytes) {
      await response.body?.cancel()
      return {
        ok: false,
        retry: false,
        reason: `too large: ${megabytes(length)}, the limit is ${megabytes(limits.maxBytes)} (MEDIA_MAX_BYTES)`,
      }
    }
    const chunks: Buffer[] = []
    let total = 0
    const reader = response.body!.getReader()
    for (;;) {
      const { done, value } = await reader.read()
      if (done) break
      total += value.byteLength
      if (total > limits.maxBytes) {
        await reader.cancel()
        return {
          ok: false,
          retry: false,
          reason: `too large: more than ${megabytes(limits.maxBytes)} (MEDIA_MAX_BYTES); the download was stopped there`,
        }
      }
      chunks.push(Buffer.from(value))
    }
    const bytes = Buffer.concat(chunks, total)
    if (bytes.length === 0) return { ok: false, retry: false, reason: 'the file is empty' }
    const mimeType = sniffMediaType(bytes.subarray(0, SNIFF_BYTES), {
      mimeType: declared.mimeType ?? declaredMimeType,
      fileName: declared.fileName,
    })
    if (!mimeType || !limits.allowedTypes.includes(mimeType)) {
      return {
        ok: false,
        retry: false,
        reason: `type not allowed: the content is ${mimeType ?? 'not a recognised image, video, audio or document'}${
          declaredMimeType ? ` (the server said ${declaredMimeType.slice(0, 100)})` : ''
        }`,
      }
    }
    return { ok: true, bytes, mimeType, declaredMimeType }
  } catch (error) {
    const aborted = controller.signal.aborted
    return {
      ok: false,
      retry: true,
      reason: aborted
        ? `no complete answer within ${limits.timeoutMs / 1000} s`
        : `could not connect: ${((error as Error).cause as Error)?.message ?? (error as Error).message}`.slice(0, 300),
    }
  } finally {
    clearTimeout(timer)
  }
}
