import { Transform, type Readable } from 'node:stream'

/** The error fastify answers 413 for. */
export function bodyTooLarge() {
  return Object.assign(new Error('Request body is too large'), { statusCode: 413, code: 'FST_ERR_CTP_BODY_TOO_LARGE' })
}

/**
 * Holds a request body to `limit` bytes, for fastify's preParsing hook:
 * calls `done` with the payload to parse, or with the 413 error. A body with
 * a Content-Length is judged by it alone: Node's HTTP parser delivers exactly
 * that many bytes (never more, and a request that also says
 * Transfer-Encoding is refused before it gets here), and the api does not
 * decompress, so the stream needs no counting (and every callback is spared a
 * Transform stream). A chunked body has no length to trust: it is counted as
 * it arrives and cut off past the limit.
 */
export function limitBody(
  headers: Record<string, string | string[] | undefined>,
  payload: Readable,
  limit: number,
  done: (error: Error | null, payload?: Readable) => void
) {
  const declared = headers['content-length']
  if (declared !== undefined) return Number(declared) > limit ? done(bodyTooLarge()) : done(null, payload)
  let received = 0
  const limited = new Transform({
    transform(chunk: Buffer, _encoding, next) {
      received += chunk.length
      // What fastify's body reader checks against the route's limit as well.
      ;(limited as unknown as { receivedEncodedLength: number }).receivedEncodedLength = received
      next(received > limit ? bodyTooLarge() : null, chunk)
    },
  })
  payload.on('error', (error) => limited.destroy(error))
  done(null, payload.pipe(limited))
}
