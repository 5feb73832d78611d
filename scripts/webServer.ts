/**
 * The web side's server: Redwood's own web plugin (`redwoodFastifyWeb` from
 * @redwoodjs/fastify-web: web/dist, the SPA fallback to index.html, the /api
 * proxy) with what Redwood 8.9's `rw-web-server` lacks and offers no hook for
 * (its `serveWeb` builds a bare fastify; api/src/server.ts configures the api
 * side only):
 *
 *   - /assets/* (content-hashed file names): the brotli or gzip file written
 *     at build time (web/vite.config.ts) when the browser accepts it, with
 *     `Cache-Control: public, max-age=31536000, immutable`; @fastify/static's
 *     `preCompressed` does the negotiation and sends `Vary: Accept-Encoding`.
 *   - everything else (index.html, the SPA fallback, favicon, and the api's
 *     answers through the proxy, e.g. GraphQL): compressed on the fly by
 *     @fastify/compress above 1 kB, when the browser accepts it.
 *   - index.html/200.html (and the SPA fallback, and errors): `Cache-Control:
 *     no-cache`, so a new deploy is picked up at once (unchanged, it costs a
 *     304); the other unhashed files of web/public (favicon.png, robots.txt):
 *     a day.
 *   - source maps (*.map, written "hidden": no sourceMappingURL in the code)
 *     answer 404 unless WEB_SERVE_SOURCE_MAPS=true.
 *
 * `yarn rw serve` starts the web side as `yarn rw-web-server --port …
 * --host … --api-proxy-target …`; the root package.json's script of that name
 * runs this file, so both sides keep starting with the one command. Its
 * options are rw-web-server's; run it directly to serve the web side alone.
 */
import path from 'node:path'
import { parseArgs } from 'node:util'
import zlib from 'node:zlib'

import fastifyCompress from '@fastify/compress'
import fastifyStatic from '@fastify/static'
import Fastify from 'fastify'

import { redwoodFastifyWeb } from '@redwoodjs/fastify-web'
import { getConfig, getPaths } from '@redwoodjs/project-config'

import { loadEnvFiles } from './lib/processes'

/** Hashed assets never change under their name: cached for a year, never revalidated. */

/**
 * The path the router matches a request to: before "?" or ";" and with %xx decoded, as find-my-way does.
 * A check on the raw URL would let "/assets/x.js.ma%70" or "/assets/x.js.map;x" reach the file.
 */
export function routedPath(url: string): string {
  const raw = url.split(/[?;]/, 1)[0]
  try {
    return decodeURIComponent(raw)
  } catch {
    return raw
  }
}

export const IMMUTABLE = 'public, max-age=31536000, immutable'
/** The HTML (index.html, 200.html, the SPA fallback) is revalidated on every use: a deploy shows at once. */
export const REVALIDATE = 'no-cache'
/** The few unhashed files of web/public (favicon.png, robots.txt): a day, so a repeat visit asks nothing for them. */
export const PUBLIC_FILE = 'public, max-age=86400'
/** Responses below this many bytes are not worth compressing on the fly. */
export const COMPRESS_THRESHOLD_BYTES = 1024

export type WebServerOptions = {
  port: number
  host: string
  apiProxyTarget?: string
  distDir?: string
  serveSourceMaps?: boolean
}

export async function createWebServer(options: WebServerOptions) {
  const dist = options.distDir ?? getPaths().web.dist
  const fastify = Fastify({
    requestTimeout: 15_000,
    logger: { level: process.env.LOG_LEVEL ?? 'warn' },
  })

  // Registered first and global (fastify-plugin): its onSend hook sees every
  // reply, also those of the plugins below. It leaves replies that already
  // have a Content-Encoding (the precompressed assets) alone.
  await fastify.register(fastifyCompress, {
    threshold: COMPRESS_THRESHOLD_BYTES,
    encodings: ['br', 'gzip'],
    // Quality 4: on-the-fly brotli must cost less than it saves on the wire;
    // the build's precompressed files use the maximum (11).
    brotliOptions: { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 4 } },
  })

  fastify.addHook('onRequest', async (request, reply) => {
    if (!options.serveSourceMaps && routedPath(request.url).endsWith('.map')) {
      reply.code(404).header('content-type', 'text/plain; charset=utf-8').send('Not Found')
      return reply
    }
  })

  fastify.addHook('onSend', async (request, reply, payload) => {
    const url = request.url.split('?', 1)[0]
    if (url.startsWith(apiPrefix())) return payload
    // "/" and the app's routes (no file extension) are the HTML too, and so is a 304 for them.
    const html =
      path.extname(url) === '' ||
      url.endsWith('.html') ||
      String(reply.getHeader('content-type')).startsWith('text/html')
    if (reply.statusCode >= 400 || html) {
      reply.header('cache-control', REVALIDATE)
    } else if (url.startsWith('/assets/')) {
      reply.header('cache-control', IMMUTABLE)
      // Which file was sent (.br, .gz or the original) depends on Accept-Encoding;
      // @fastify/static 6 does not say so itself. Caches in between must know.
      reply.header('vary', 'Accept-Encoding')
    } else {
      reply.header('cache-control', PUBLIC_FILE)
    }
    return payload
  })

  // One route per file of web/dist/assets (the build does not change while
  // served); they win over Redwood's catch-all static route, and know about
  // the .br/.gz files beside each asset. Anything else under /assets/ falls
  // through to Redwood's plugin, which answers 404.
  await fastify.register(fastifyStatic, {
    root: path.join(dist, 'assets'),
    prefix: '/assets/',
    wildcard: false,
    preCompressed: true,
    decorateReply: false,
    // The onSend hook decides Cache-Control.
    cacheControl: false,
  })

  await fastify.register(redwoodFastifyWeb, {
    redwood: options.apiProxyTarget ? { apiProxyTarget: options.apiProxyTarget } : {},
  })
  return fastify
}

/** The web side's api prefix (redwood.toml apiUrl, "/api"): the api sets its own caching. */
const apiPrefix = () => {
  const apiUrl = getConfig().web.apiUrl
  return apiUrl.endsWith('/') ? apiUrl : `${apiUrl}/`
}

async function main() {
  if (!process.env.REDWOOD_ENV_FILES_LOADED) {
    loadEnvFiles()
    process.env.REDWOOD_ENV_FILES_LOADED = 'true'
  }
  process.env.NODE_ENV ??= 'production'
  const { values } = parseArgs({
    options: {
      port: { type: 'string', short: 'p' },
      host: { type: 'string' },
      'api-proxy-target': { type: 'string' },
      apiProxyTarget: { type: 'string' },
    },
  })
  const config = getConfig()
  const port = Number(values.port ?? process.env.REDWOOD_WEB_PORT ?? config.web.port)
  const host =
    values.host ??
    process.env.REDWOOD_WEB_HOST ??
    config.web.host ??
    (process.env.NODE_ENV === 'production' ? '0.0.0.0' : '::')
  const fastify = await createWebServer({
    port,
    host,
    apiProxyTarget: values['api-proxy-target'] ?? values.apiProxyTarget,
    serveSourceMaps: process.env.WEB_SERVE_SOURCE_MAPS === 'true',
  })
  const address = await fastify.listen({ port, host })
  console.log(`Web server listening at ${address}`)
  const stop = () => fastify.close().then(() => process.exit(0))
  process.on('SIGTERM', stop)
  process.on('SIGINT', stop)
}

if (require.main === module) main()
